"""Benchmark janus-streaming: time from watch to first frame, and watchers one process sustains.

Run it from the repository root::

    python bench/bench_streaming.py           # full run, about two minutes
    python bench/bench_streaming.py --quick   # fewer rounds and steps (CI smoke run)

It starts a private Janus with ``JanusServer`` (ICE on the private address of
``ensure_ice_address``, aioice restricted to it, no STUN server). An RTP mountpoint on
loopback (Opus audio, 160x120 VP8 video at 30 fps, ``bufferkf`` so that a new viewer gets the
last keyframe at once) is fed by ``janus_webrtc.testing.rtp.RtpSource`` in a separate process,
and, over WebSocket:

1. Watch to first frame: the time from ``watch`` (session and handle already there) to the
   first decoded video and audio frame, for the library's ``StreamingHandle`` and for a
   minimal raw client (the ``RawJanus`` of ``bench_videoroom.py``: a ``websockets``
   connection with a dict of transaction -> future, and a bare aiortc ``RTCPeerConnection``).
   Runs alternate; the median is kept.
2. Watchers at full frame rate: N viewers of the mountpoint in this process (library, then
   raw), N growing until a viewer decodes fewer than 90 % of 30 fps.

The script is a benchmark, not a test: it always exits 0.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import websockets
from aiortc import RTCConfiguration, RTCPeerConnection, RTCSessionDescription
from websockets.typing import Subprotocol

import janus_webrtc
from janus_streaming import MountpointCreated, RtpMedia, StreamingHandle
from janus_webrtc.media import FrameCounter, TestPatternVideoTrack, ToneAudioTrack
from janus_webrtc.testing import JanusServer, ensure_ice_address, restrict_aioice_to
from janus_webrtc.testing.rtp import RtpSource

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_videoroom import RawJanus  # the raw client is written once

FPS = 30.0
FULL_RATE = 0.9 * FPS
OPUS_PT, VP8_PT = 111, 100


# -- the feed (a separate process) -----------------------------------------------------------


async def feed(audio_port: int, video_port: int) -> None:
    """Feed process: send a tone and a 160x120 pattern as RTP until stdin closes."""
    tracks = (ToneAudioTrack(), TestPatternVideoTrack(width=160, height=120, fps=FPS))
    sources = [
        RtpSource(tracks[0], port=audio_port, payload_type=OPUS_PT),
        RtpSource(tracks[1], port=video_port, payload_type=VP8_PT),
    ]
    for source in sources:
        await source.start()
    print(json.dumps({"feeding": True}), flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
    for source in sources:
        await source.stop()


async def start_feed(created: MountpointCreated) -> asyncio.subprocess.Process:
    command = [sys.executable, __file__, "--feed", str(created.port("a")), str(created.port("v"))]
    process = await asyncio.create_subprocess_exec(
        *command, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE
    )
    assert process.stdout is not None
    await process.stdout.readline()
    return process


async def stop_feed(process: asyncio.subprocess.Process) -> None:
    if process.stdin is not None:
        process.stdin.close()
    try:
        await asyncio.wait_for(process.wait(), 10)
    except TimeoutError:
        process.kill()
        await process.wait()


# -- frames -----------------------------------------------------------------------------------


class Frames:
    """A viewer's FrameCounter and when the viewer started: first frames, frames per kind."""

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.counter = FrameCounter()

    def first(self, kind: str) -> float:
        first_at = self.counter.count(kind).first_at
        assert first_at is not None
        return first_at - self.started

    async def both(self, timeout: float) -> None:
        for kind in ("video", "audio"):
            await self.counter.wait_frames(kind, 1, timeout=timeout)

    def video(self) -> int:
        return self.counter.frames("video")


# -- the two clients ---------------------------------------------------------------------------


class LibraryViewer:
    def __init__(self, session: janus_webrtc.Session) -> None:
        self.session = session
        self.frames = Frames()
        self.handle: StreamingHandle | None = None

    async def watch(self, mountpoint: int | str) -> None:
        handle = await self.session.attach(StreamingHandle)
        handle.configure_rtc(RTCConfiguration(iceServers=[]))
        handle.record_to(self.frames.counter)
        self.handle = handle
        self.frames.started = time.monotonic()
        await handle.watch(mountpoint)

    async def close(self) -> None:
        if self.handle is not None:
            await self.handle.detach()


class RawViewer:
    def __init__(self, janus: RawJanus, session: int) -> None:
        self.janus = janus
        self.session = session
        self.frames = Frames()
        self.pc: RTCPeerConnection | None = None
        self.handle: int | None = None

    async def watch(self, mountpoint: int | str) -> None:
        attached = await self.janus.request(
            {"janus": "attach", "session_id": self.session, "plugin": "janus.plugin.streaming"}
        )
        self.handle = attached["data"]["id"]
        pc = RTCPeerConnection(RTCConfiguration(iceServers=[]))
        self.pc = pc
        pc.on("track", self.frames.counter.addTrack)
        await self.frames.counter.start()
        address = {"janus": "message", "session_id": self.session, "handle_id": self.handle}
        self.frames.started = time.monotonic()
        prepared = await self.janus.request(
            {**address, "body": {"request": "watch", "id": mountpoint}}
        )
        offer = prepared["jsep"]
        await pc.setRemoteDescription(RTCSessionDescription(offer["sdp"], offer["type"]))
        await pc.setLocalDescription(await pc.createAnswer())
        answer = {"type": "answer", "sdp": pc.localDescription.sdp}
        await self.janus.request({**address, "body": {"request": "start"}, "jsep": answer})

    async def close(self) -> None:
        await self.frames.counter.stop()
        if self.pc is not None:
            await self.pc.close()
        if self.handle is not None:
            await self.janus.request(
                {"janus": "detach", "session_id": self.session, "handle_id": self.handle}
            )


Viewers = Callable[[int], Awaitable[tuple[list[Any], Callable[[], Awaitable[None]]]]]


@contextlib.asynccontextmanager
async def library_client(url: str) -> Any:
    async with (
        janus_webrtc.connect(url) as connection,
        await connection.create_session() as session,
    ):
        yield lambda: LibraryViewer(session)


@contextlib.asynccontextmanager
async def raw_client(url: str) -> Any:
    async with websockets.connect(url, subprotocols=[Subprotocol("janus-protocol")]) as ws:
        janus = RawJanus(ws)
        session = (await janus.request({"janus": "create"}))["data"]["id"]
        keepalive = asyncio.ensure_future(_keepalive(janus, session))
        try:
            yield lambda: RawViewer(janus, session)
        finally:
            keepalive.cancel()
            await janus.request({"janus": "destroy", "session_id": session})
            await janus.close()


async def _keepalive(janus: RawJanus, session: int) -> None:
    while True:
        await asyncio.sleep(20)
        await janus.request({"janus": "keepalive", "session_id": session})


CLIENTS = {"library": library_client, "raw": raw_client}


# -- scenario 1 -------------------------------------------------------------------------------


async def first_frames(url: str, mountpoint: int | str, rounds: int) -> dict[str, dict[str, list]]:
    timings: dict[str, dict[str, list[float]]] = {
        kind: {"video": [], "audio": []} for kind in CLIENTS
    }
    for _ in range(rounds):
        for kind, client in CLIENTS.items():
            async with client(url) as make:
                viewer = make()
                try:
                    await viewer.watch(mountpoint)
                    await viewer.frames.both(timeout=20)
                    for medium in ("video", "audio"):
                        timings[kind][medium].append(viewer.frames.first(medium))
                finally:
                    await viewer.close()
    return timings


# -- scenario 2 -------------------------------------------------------------------------------


async def rates(url: str, kind: str, mountpoint: int | str, count: int, seconds: float) -> tuple:
    async with CLIENTS[kind](url) as make:
        viewers = [make() for _ in range(count)]
        try:
            for viewer in viewers:
                await viewer.watch(mountpoint)
            await asyncio.gather(*(v.frames.both(timeout=30) for v in viewers))
            await asyncio.sleep(1.0)  # warm-up
            before = [v.frames.video() for v in viewers]
            cpu, wall = time.process_time(), time.perf_counter()
            await asyncio.sleep(seconds)
            elapsed = time.perf_counter() - wall
            cpu_share = (time.process_time() - cpu) / elapsed * 100
            fps = [(v.frames.video() - b) / elapsed for v, b in zip(viewers, before, strict=True)]
        finally:
            for viewer in viewers:
                await viewer.close()
    return min(fps), statistics.mean(fps), cpu_share


async def capacity(url: str, mountpoint: int | str, steps: list[int], seconds: float) -> dict:
    best: dict[str, int] = {}
    for kind in CLIENTS:
        best[kind] = 0
        for count in steps:
            try:
                low, mean, cpu = await rates(url, kind, mountpoint, count, seconds)
            except TimeoutError:
                print(f"  {kind:>8} {count:3d} viewers: not all got media in time")
                break
            print(
                f"  {kind:>8} {count:3d} viewers: min {low:5.1f} fps, mean {mean:5.1f} fps,"
                f" CPU {cpu:5.1f} %",
                flush=True,
            )
            if low < FULL_RATE:
                break
            best[kind] = count
    return best


# -- main -------------------------------------------------------------------------------------


def ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:7.1f}" if values else "      -"


async def bench(url: str, quick: bool, steps: list[int] | None) -> None:
    print(f"janus-streaming benchmark ({'quick' if quick else 'full'} run)")
    print(
        f"python {platform.python_version()}, {os.cpu_count()} CPUs, "
        f"160x120 VP8 at {FPS:g} fps + Opus, WebSocket"
    )
    async with (
        janus_webrtc.connect(url) as connection,
        await connection.create_session() as session,
    ):
        admin = await session.attach(StreamingHandle)
        created = await admin.create_rtp_mountpoint(
            [
                RtpMedia(type="audio", mid="a", pt=OPUS_PT, codec="opus", iface="127.0.0.1"),
                RtpMedia(
                    type="video", mid="v", pt=VP8_PT, codec="vp8", iface="127.0.0.1", bufferkf=True
                ),
            ],
            description="bench",
        )
        process = await start_feed(created)
        try:
            await asyncio.sleep(1.5)  # a keyframe is buffered
            print("\n1. watch -> first decoded frame (median ms)")
            timings = await first_frames(url, created.id, rounds=3 if quick else 9)
            print(f"  {'client':>8} | {'video':>8} {'audio':>8}")
            for kind, values in timings.items():
                print(f"  {kind:>8} | {ms(values['video']):>8} {ms(values['audio']):>8}")
            print(f"\n2. viewers at full frame rate (>= {FULL_RATE:g} fps) in one process")
            if steps is None:
                steps = [1, 4] if quick else [1, 2, 4, 8, 16, 24, 32, 40, 48, 64]
            best = await capacity(url, created.id, steps, seconds=2.0 if quick else 4.0)
            for kind, count in best.items():
                print(f"  => {kind}: {count} viewers at full rate")
        finally:
            await stop_feed(process)
            await admin.destroy_mountpoint(created.id)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds and steps")
    parser.add_argument("--steps", type=int, nargs="+", help="numbers of viewers to try")
    parser.add_argument(
        "--feed", nargs=2, type=int, metavar=("AUDIO", "VIDEO"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.feed:
        asyncio.run(feed(*args.feed))
        return 0
    ice = ensure_ice_address()
    with JanusServer(ice_address=ice) as server:
        restriction = restrict_aioice_to(ice) if ice else contextlib.nullcontext()
        with restriction:
            asyncio.run(bench(server.endpoints.ws_url, args.quick, args.steps))
    return 0


if __name__ == "__main__":
    sys.exit(main())
