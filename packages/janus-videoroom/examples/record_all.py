"""Subscribe to every publisher of a VideoRoom room and record each one to its own file.

Usage::

    python examples/record_all.py ws://127.0.0.1:8188 --room 1234 --out recordings/
    python examples/record_all.py http://127.0.0.1:8088/janus --room 1234 --seconds 60

One subscription (one PeerConnection) receives every publisher's streams; publishers that
start later are added to it, those that leave are dropped (Janus renegotiates, the handle
answers). Each publisher gets a file ``<out>/feed-<id>.<format>`` with its audio and video
(``mp4``: H.264/AAC, ``webm``: VP8/Opus). ICE uses host candidates only (no STUN server);
``--ice-address`` restricts them to one local address, as the test suite does.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
from collections import defaultdict
from pathlib import Path

from aiortc import MediaStreamTrack, RTCConfiguration
from aiortc.contrib.media import MediaRecorder

import janus_webrtc
from janus_videoroom import (
    Kicked,
    Leaving,
    ParticipantId,
    Publishers,
    Unpublished,
    VideoRoomPublisher,
    VideoRoomSubscriber,
)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", help="Janus API URL (ws://... or http://.../janus)")
    parser.add_argument("--room", type=int, required=True, help="the room to record")
    parser.add_argument("--pin", help="the room's pin, if it has one")
    parser.add_argument("--out", type=Path, default=Path("."), help="folder of the files")
    parser.add_argument("--format", choices=("mp4", "webm", "mkv"), default="mp4")
    parser.add_argument("--seconds", type=float, help="stop after this long (default: Ctrl-C)")
    parser.add_argument("--ice-address", help="gather ICE candidates on this address only")
    return parser.parse_args(argv)


class Recorders:
    """One MediaRecorder per publisher, fed with the subscription's tracks of that publisher."""

    def __init__(self, subscriber: VideoRoomSubscriber, folder: Path, suffix: str) -> None:
        self.subscriber = subscriber
        self.folder = folder
        self.suffix = suffix
        self.recorders: dict[ParticipantId, MediaRecorder] = {}
        self.files: list[Path] = []

    async def add_new_feeds(self) -> None:
        """Start a recorder for each publisher with tracks and none yet."""
        tracks: dict[ParticipantId, list[MediaStreamTrack]] = defaultdict(list)
        for remote in self.subscriber.remote_tracks_now:
            feed = self.subscriber.feed_of(remote.mid)
            if feed is not None and feed not in self.recorders:
                tracks[feed].append(remote.track)
        for feed, feed_tracks in tracks.items():
            path = self.folder / f"feed-{feed}.{self.suffix}"
            recorder = MediaRecorder(str(path))
            for track in feed_tracks:
                recorder.addTrack(track)
            await recorder.start()
            self.recorders[feed] = recorder
            self.files.append(path)
            print(f"recording feed {feed} ({len(feed_tracks)} tracks) to {path}", flush=True)

    async def stop(self, feed: ParticipantId) -> None:
        """Stop (and close the file of) one publisher's recorder."""
        recorder = self.recorders.pop(feed, None)
        if recorder is not None:
            await recorder.stop()
            print(f"feed {feed} left: its file is complete", flush=True)

    async def stop_all(self) -> None:
        """Stop every recorder."""
        for feed in list(self.recorders):
            await self.stop(feed)


async def record(args: argparse.Namespace) -> list[Path]:
    """Record the room's publishers until told to stop; return the files written."""
    args.out.mkdir(parents=True, exist_ok=True)
    async with (
        janus_webrtc.connect(args.url) as connection,
        await connection.create_session() as session,
    ):
        # A participant that never publishes: it hears of publishers coming and going.
        watcher = await session.attach(VideoRoomPublisher)
        subscriber = await session.attach(VideoRoomSubscriber)
        subscriber.configure_rtc(RTCConfiguration(iceServers=[]))
        recorders = Recorders(subscriber, args.out, args.format)
        changes = watcher.subscribe(Publishers, Unpublished, Leaving, Kicked)
        joined = await watcher.join(args.room, display="recorder", pin=args.pin)
        subscribed: set[ParticipantId] = set()

        async def follow(feeds: list[ParticipantId]) -> None:
            new = [feed for feed in feeds if feed not in subscribed]
            if not new:
                return
            if subscriber.room is None:
                await subscriber.join(args.room, streams=new, private_id=joined.private_id)
            else:
                await subscriber.subscribe_streams(new)
            subscribed.update(new)
            await subscriber.wait_connected(timeout=15)
            await recorders.add_new_feeds()

        async def watch() -> None:
            await follow([p.id for p in joined.publishers if not p.dummy])
            async for event in changes:
                if isinstance(event, Publishers):
                    await follow([p.id for p in event.publishers if not p.dummy])
                elif isinstance(event, Unpublished | Leaving | Kicked) and event.id is not None:
                    subscribed.discard(event.id)
                    await recorders.stop(event.id)

        watching = asyncio.ensure_future(watch())
        try:
            if args.seconds is None:
                await watching
            else:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(asyncio.shield(watching), args.seconds)
        finally:
            watching.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watching
            await recorders.stop_all()
            if subscriber.room is not None:
                await subscriber.leave()
            await watcher.leave()
    return recorders.files


def main(argv: list[str] | None = None) -> int:
    """Run the example; return the exit status."""
    args = parse_args(argv)
    restriction = contextlib.nullcontext()
    if args.ice_address:
        from janus_webrtc.testing import restrict_aioice_to

        restriction = restrict_aioice_to(args.ice_address)  # type: ignore[assignment]
    files: list[Path] = []
    with restriction, contextlib.suppress(KeyboardInterrupt):
        files = asyncio.run(record(args))
    for path in files:
        size = path.stat().st_size if path.exists() else 0
        print(f"{path}: {size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
