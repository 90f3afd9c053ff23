"""``janusctl echotest``: echo generated audio and video through Janus, measured live.

A tone and a moving test pattern go to the EchoTest plugin and come back. Every second a
line on standard error gives the frames sent and echoed per second (audio, video), the round
trip of echoed video frames (read from the frame number drawn in the pattern) and RTCP's
round-trip time when Janus reports one. At the end the totals are printed (``--json``: as
JSON). The exit status is 1 when nothing came back.

    janusctl echotest --url ws://127.0.0.1:8188 --seconds 10 --size 320x240
"""

from __future__ import annotations

import argparse
import asyncio
import time
from typing import Any

from janus_webrtc.cli import Command, Context, UsageError, add_url_option
from janus_webrtc.media import EchoLatencyProbe, FrameCounter, TestPatternVideoTrack, ToneAudioTrack

from .errors import EchoTestError
from .handle import EchoTestHandle

__all__ = ["COMMANDS"]


def _arguments(parser: argparse.ArgumentParser) -> None:
    add_url_option(parser)
    parser.add_argument("--seconds", type=int, default=5, help="how long to echo (default 5)")
    parser.add_argument("--size", default="160x120", help="video size (default 160x120)")


def _size(text: str) -> tuple[int, int]:
    width, _, height = text.lower().partition("x")
    if not (width.isdigit() and height.isdigit()) or int(width) < 16 or int(height) < 16:
        raise UsageError(f"--size {text!r}: give WIDTHxHEIGHT, such as 320x240")
    return int(width), int(height)


def _ms(seconds: float | None) -> str:
    return "n/a" if seconds is None else f"{seconds * 1000:.1f} ms"


async def _run(ctx: Context) -> dict[str, Any]:
    width, height = _size(ctx.args.size)
    if ctx.args.seconds < 1:
        raise UsageError("--seconds must be at least 1")
    with ctx.ice():
        async with (
            ctx.connect(ctx.args.url, media=True) as connection,
            await connection.create_session() as session,
        ):
            echo = await session.attach(EchoTestHandle)
            tone, pattern = ToneAudioTrack(), TestPatternVideoTrack(width=width, height=height)
            echo.add_track(tone)
            echo.add_track(pattern)
            probe = EchoLatencyProbe(pattern)
            counter = FrameCounter(on_frame=probe)
            echo.record_to(counter)
            async with echo:
                started = time.monotonic()
                await echo.start(audio=True, video=True)
                await echo.wait_connected(timeout=ctx.timeout)
                connected = time.monotonic() - started
                ctx.live(f"connected in {_ms(connected)} ({width}x{height}, Opus + VP8)")
                rtts: list[float] = []
                before = (0, 0, 0, 0)
                for second in range(1, ctx.args.seconds + 1):
                    await asyncio.sleep(1.0)  # the pace of the live figures
                    now = (
                        tone.frames_sent,
                        counter.frames("audio"),
                        pattern.frames_sent,
                        counter.frames("video"),
                    )
                    rate = [b - a for a, b in zip(before, now, strict=True)]
                    rtcp = (await echo.stats()).round_trip_time
                    echo_rtt = probe.median()
                    if echo_rtt is not None:
                        rtts.append(echo_rtt)
                    ctx.live(
                        f"{second:3d} s  audio {rate[0]:3d} sent {rate[1]:3d} echoed /s   "
                        f"video {rate[2]:3d} sent {rate[3]:3d} echoed /s   "
                        f"round trip {_ms(echo_rtt)}   RTCP RTT {_ms(rtcp)}"
                    )
                    before = now
                    probe.latencies.clear()
    if not (now[1] and now[3]):
        raise EchoTestError(None, f"nothing came back: {now[1]} audio, {now[3]} video frames")
    return {
        "seconds": ctx.args.seconds,
        "connected_ms": round(connected * 1000, 1),
        "audio_sent": now[0],
        "audio_echoed": now[1],
        "video_sent": now[2],
        "video_echoed": now[3],
        "video_fps": round(now[3] / ctx.args.seconds, 1),
        "round_trip_ms": round(sorted(rtts)[len(rtts) // 2] * 1000, 1) if rtts else None,
    }


COMMANDS = (
    Command(
        "echotest",
        "echo generated audio and video through Janus, with live frame rates and round trip",
        _run,
        _arguments,
        description=__doc__.split("\n\n")[1].replace("\n", " "),
    ),
)
"""The subcommands this package adds to ``janusctl``."""
