"""Restream a media file (or a generated pattern and tone) into a mountpoint, and record it.

Usage::

    python examples/restream.py ws://127.0.0.1:8188 --out watched/ --seconds 10
    python examples/restream.py http://127.0.0.1:8088/janus --file clip.mp4 --out watched/

Creates an RTP mountpoint (Opus audio ``a``, VP8 video ``v``) listening on 127.0.0.1, sends it
the file's audio and video (re-encoded) as RTP with :class:`janus_webrtc.testing.rtp.RtpSource`
(without ``--file``: a 160x120 test pattern and a 440 Hz tone), watches the mountpoint with a
:class:`~janus_streaming.StreamingHandle` and records what arrives in the folder ``--out``:
``video.mp4`` and ``audio.ogg`` (one file per kind: aiortc's ``MediaRecorder`` writes a
container's header at its first packet, so a video stream whose first frame comes after the
first audio packet would be lost from a shared file). Then stops
watching and destroys the mountpoint. ICE uses host candidates only (no STUN server);
``--ice-address`` restricts them to one local address, as the test suite does.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
from pathlib import Path
from typing import Any

from aiortc import RTCConfiguration

import janus_webrtc
from janus_streaming import RtpMedia, StreamingHandle
from janus_webrtc.media import TestPatternVideoTrack, ToneAudioTrack
from janus_webrtc.testing.rtp import RtpSource

OPUS_PT, VP8_PT = 111, 100


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", help="Janus API URL (ws://... or http://.../janus)")
    parser.add_argument("--file", help="a media file to restream (default: generated media)")
    parser.add_argument("--out", required=True, help="folder to record what the viewer gets")
    parser.add_argument("--seconds", type=float, default=5.0, help="how long to watch")
    parser.add_argument("--ice-address", help="gather ICE candidates on this address only")
    return parser.parse_args(argv)


def media_tracks(args: argparse.Namespace) -> tuple[Any, Any, Any]:
    """The audio and video tracks to send, and the player to stop (or None)."""
    if args.file:
        from aiortc.contrib.media import MediaPlayer

        player = MediaPlayer(args.file, loop=True)
        return player.audio, player.video, player
    return ToneAudioTrack(), TestPatternVideoTrack(width=160, height=120), None


async def restream(args: argparse.Namespace) -> None:
    """Create the mountpoint, feed it, watch and record it, then clean up."""
    async with (
        janus_webrtc.connect(args.url) as connection,
        await connection.create_session() as session,
    ):
        viewer = await session.attach(StreamingHandle)
        viewer.configure_rtc(RTCConfiguration(iceServers=[]))
        async with viewer:
            created = await viewer.create_rtp_mountpoint(
                [
                    RtpMedia(type="audio", mid="a", pt=OPUS_PT, codec="opus", iface="127.0.0.1"),
                    RtpMedia(type="video", mid="v", pt=VP8_PT, codec="vp8", iface="127.0.0.1"),
                ],
                description="restream example",
            )
            print(f"mountpoint {created.id}: ports {[(p.mid, p.port) for p in created.ports]}")
            audio, video, player = media_tracks(args)
            sources = [
                RtpSource(track, port=created.port(mid), payload_type=pt)
                for track, mid, pt in ((audio, "a", OPUS_PT), (video, "v", VP8_PT))
                if track is not None
            ]
            try:
                for source in sources:
                    await source.start()
                out = Path(args.out)
                recorders = [
                    viewer.record_to(out / "video.mp4", kinds=("video",)),
                    viewer.record_to(out / "audio.ogg", kinds=("audio",)),
                ]
                await viewer.watch(created.id)
                await viewer.wait_connected(timeout=15)
                print("watching", flush=True)
                await asyncio.sleep(args.seconds)
                stats = await viewer.stats()
                for stream in stats.inbound():
                    print(f"received {stream.kind}: {stream.packets} packets")
                await viewer.stop()
                for recorder in recorders:
                    await viewer.stop_recording(recorder)
            finally:
                for source in sources:
                    await source.stop()
                if player is None:
                    for track in (audio, video):
                        track.stop()
                await viewer.destroy_mountpoint(created.id)
            print(f"recorded to {args.out}", flush=True)


def main(argv: list[str] | None = None) -> int:
    """Run the example; return the exit status."""
    args = parse_args(argv)
    Path(args.out).mkdir(parents=True, exist_ok=True)
    restriction = contextlib.nullcontext()
    if args.ice_address:
        from janus_webrtc.testing import restrict_aioice_to

        restriction = restrict_aioice_to(args.ice_address)  # type: ignore[assignment]
    with restriction, contextlib.suppress(KeyboardInterrupt):
        asyncio.run(restream(args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
