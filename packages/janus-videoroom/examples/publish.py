"""Publish a media file, or a generated test pattern and tone, into a VideoRoom room.

Usage::

    python examples/publish.py ws://127.0.0.1:8188 --room 1234
    python examples/publish.py http://127.0.0.1:8088/janus --room 1234 --file clip.mp4
    python examples/publish.py ws://127.0.0.1:8188 --create --seconds 30

With ``--create`` the room is created (and destroyed at the end). Without ``--file`` a
160x120 moving test pattern and a 440 Hz tone are published. ICE uses host candidates only
(no STUN server); ``--ice-address`` restricts them to one local address, as the test suite
does with its private Janus.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys

from aiortc import RTCConfiguration

import janus_webrtc
from janus_videoroom import VideoRoomPublisher
from janus_webrtc.media import TestPatternVideoTrack, ToneAudioTrack


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", help="Janus API URL (ws://... or http://.../janus)")
    parser.add_argument("--room", type=int, help="the room to publish in")
    parser.add_argument("--create", action="store_true", help="create the room first")
    parser.add_argument("--pin", help="the room's pin, if it has one")
    parser.add_argument("--display", default="publisher", help="display name in the room")
    parser.add_argument("--file", help="a media file (or device/URL) to publish instead")
    parser.add_argument("--loop", action="store_true", help="loop the media file")
    parser.add_argument("--seconds", type=float, help="stop after this long (default: Ctrl-C)")
    parser.add_argument("--ice-address", help="gather ICE candidates on this address only")
    args = parser.parse_args(argv)
    if args.room is None and not args.create:
        parser.error("give --room, or --create to make a new room")
    return args


def add_media(publisher: VideoRoomPublisher, args: argparse.Namespace) -> None:
    """Add the file's tracks, or a generated pattern and tone, to the publisher."""
    if args.file:
        from aiortc.contrib.media import MediaPlayer

        publisher.add_player(MediaPlayer(args.file, loop=args.loop), direction="sendonly")
    else:
        publisher.add_track(ToneAudioTrack(), direction="sendonly")
        publisher.add_track(TestPatternVideoTrack(width=160, height=120), direction="sendonly")


async def publish(args: argparse.Namespace) -> None:
    """Join the room, publish until told to stop, then leave."""
    async with (
        janus_webrtc.connect(args.url) as connection,
        await connection.create_session() as session,
    ):
        publisher = await session.attach(VideoRoomPublisher)
        publisher.configure_rtc(RTCConfiguration(iceServers=[]))
        async with publisher:
            room = args.room
            if args.create:
                room = (await publisher.create_room(room=room, pin=args.pin)).room
                print(f"created room {room}", flush=True)
            add_media(publisher, args)
            joined = await publisher.join(room, display=args.display, pin=args.pin)
            others = ", ".join(p.display or str(p.id) for p in joined.publishers) or "none"
            print(f"joined room {room} as {joined.id} (other publishers: {others})")
            await publisher.publish()
            await publisher.wait_webrtc_up(timeout=15)
            print("publishing", flush=True)
            try:
                if args.seconds is None:
                    await asyncio.Event().wait()
                else:
                    await asyncio.sleep(args.seconds)
            finally:
                stats = await publisher.stats()
                for stream in stats.outbound():
                    print(f"sent {stream.kind}: {stream.packets} packets")
                await publisher.leave()
                if args.create:
                    await publisher.destroy_room(room)
                print("left", flush=True)


def main(argv: list[str] | None = None) -> int:
    """Run the example; return the exit status."""
    args = parse_args(argv)
    restriction = contextlib.nullcontext()
    if args.ice_address:
        from janus_webrtc.testing import restrict_aioice_to

        restriction = restrict_aioice_to(args.ice_address)  # type: ignore[assignment]
    with restriction, contextlib.suppress(KeyboardInterrupt):
        asyncio.run(publish(args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
