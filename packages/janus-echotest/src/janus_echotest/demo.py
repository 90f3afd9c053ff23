"""EchoTest demo: a generated pattern and tone go to Janus and come back, measured live.

Run against a private Janus started for the demo (needs the ``janus`` binary; as root it also
sets up the private ICE address)::

    python -m janus_echotest.demo --seconds 5

or against a running server (ICE then uses every local address aioice finds)::

    python -m janus_echotest.demo --url ws://127.0.0.1:8188

Each second it prints the frames sent and echoed per second, audio and video, and the round
trip of echoed video frames (read from the frame number drawn in the pattern), plus RTCP's
round-trip time when Janus reports one. ``run(endpoints)`` is the same demo for
``demo/run_demo.py``-style runners.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING

from aiortc import RTCConfiguration

import janus_webrtc
from janus_webrtc.media import (
    EchoLatencyProbe,
    FrameCounter,
    TestPatternVideoTrack,
    ToneAudioTrack,
)

from .handle import EchoTestHandle

if TYPE_CHECKING:
    from janus_webrtc.testing import JanusEndpoints

__all__ = ["echo_for", "main", "run"]


@contextlib.contextmanager
def _restricted(ice_address: str | None) -> Iterator[None]:
    if ice_address is None:
        yield
        return
    from janus_webrtc.testing import restrict_aioice_to

    with restrict_aioice_to(ice_address):
        yield


async def echo_for(
    url: str,
    *,
    seconds: float = 5.0,
    width: int = 160,
    height: int = 120,
    print_line: bool = True,
) -> dict[str, float]:
    """Run one echo test for ``seconds`` and print a line per second.

    Args:
        url: Janus API URL (``ws://...`` or ``http://.../janus``).
        seconds: How long to echo.
        width: Video width.
        height: Video height.
        print_line: Print the per-second lines.

    Returns:
        Totals: frames sent and echoed per kind, set-up seconds, median echo round trip.
    """
    async with (
        janus_webrtc.connect(url) as connection,
        await connection.create_session() as session,
    ):
        echo = await session.attach(EchoTestHandle)
        echo.configure_rtc(RTCConfiguration(iceServers=[]))
        tone = ToneAudioTrack()
        pattern = TestPatternVideoTrack(width=width, height=height)
        echo.add_track(tone)
        echo.add_track(pattern)
        probe = EchoLatencyProbe(pattern)
        counter = FrameCounter(on_frame=probe)
        echo.record_to(counter)
        async with echo:
            started = time.monotonic()
            await echo.start(audio=True, video=True)
            await echo.wait_connected(timeout=10)
            connected = time.monotonic() - started
            await counter.wait_frames("video", 1, timeout=10)
            first_frame = time.monotonic() - started
            if print_line:
                print(
                    f"  connected in {connected * 1000:.0f} ms, first echoed video frame "
                    f"after {first_frame * 1000:.0f} ms ({width}x{height}, Opus + VP8)"
                )
            last = (tone.frames_sent, pattern.frames_sent, counter.frames("audio"))
            last_video = counter.frames("video")
            for second in range(1, int(seconds) + 1):
                await asyncio.sleep(1.0)
                now = (tone.frames_sent, pattern.frames_sent, counter.frames("audio"))
                video = counter.frames("video")
                stats = await echo.stats()
                rtcp = stats.round_trip_time
                latency = probe.median()
                if print_line:
                    print(
                        f"  {second:3d} s  audio sent {now[0] - last[0]:3d}/s "
                        f"echoed {now[2] - last[2]:3d}/s   video sent {now[1] - last[1]:3d}/s "
                        f"echoed {video - last_video:3d}/s   echo round trip "
                        + (f"{latency * 1000:5.1f} ms" if latency is not None else "   n/a")
                        + (f"   RTCP RTT {rtcp * 1000:.1f} ms" if rtcp is not None else "")
                    )
                last, last_video = now, video
                probe.latencies.clear()
        return {
            "connected": connected,
            "first_frame": first_frame,
            "audio_sent": float(tone.frames_sent),
            "audio_echoed": float(counter.frames("audio")),
            "video_sent": float(pattern.frames_sent),
            "video_echoed": float(counter.frames("video")),
        }


async def run(endpoints: JanusEndpoints, *, seconds: float = 3.0) -> None:
    """The demo against a server given as endpoints (over WebSocket, then HTTP)."""
    with _restricted(endpoints.ice_address):
        for transport in ("ws", "http"):
            print(f"  over {transport}:")
            totals = await echo_for(endpoints.url(transport), seconds=seconds)
            if totals["video_echoed"] == 0 or totals["audio_echoed"] == 0:
                raise RuntimeError(f"nothing came back over {transport}: {totals}")


def main(argv: list[str] | None = None) -> int:
    """Command line entry point (``janus-echotest-demo`` / ``python -m janus_echotest.demo``)."""
    parser = argparse.ArgumentParser(description="EchoTest demo with generated media")
    parser.add_argument("--url", help="Janus API URL; default: start a private Janus")
    parser.add_argument("--seconds", type=float, default=5.0, help="how long to echo")
    parser.add_argument("--size", default="160x120", help="video size, such as 320x240")
    args = parser.parse_args(argv)
    width, height = (int(part) for part in args.size.lower().split("x"))
    if args.url:
        asyncio.run(echo_for(args.url, seconds=args.seconds, width=width, height=height))
        return 0
    from janus_webrtc.testing import JanusServer, ensure_ice_address

    ice_address = ensure_ice_address()
    with JanusServer(ice_address=ice_address) as server, _restricted(ice_address):
        print(f"private Janus at {server.endpoints.ws_url} (ICE on {ice_address or 'any'})")
        asyncio.run(
            echo_for(server.endpoints.ws_url, seconds=args.seconds, width=width, height=height)
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
