"""Benchmark janus-echotest (janus-webrtc's WebRTC handle) against a minimal raw client.

Run it from the repository root::

    python bench/bench_echotest.py           # 20 runs and the concurrency ramp, about a minute
    python bench/bench_echotest.py --quick   # 5 runs, a short ramp (CI smoke run)

It starts a private Janus with ``JanusServer`` (ICE on the private 127/8 address when this
process may create it, as in the tests) and measures:

1. Call set-up, over 20 runs (``--runs``): from starting the call (create the peer connection
   with its tracks, create the offer, gather, send it) to ICE connected, to the first echoed
   audio frame and to the first echoed video frame (audio and 160x120 video go out), p50 and
   p99. Both clients do the same work inside the measured window. The library
   (``session.attach("echotest")`` then ``start()``) and a raw client written here
   (``websockets`` + aiortc, one dict of transaction -> future) alternate run by run, both
   over WebSocket, each on a fresh handle and peer connection (the library over HTTP is
   measured too, for reference). Target: the library within
   1.2x of raw.
2. Concurrency: how many audio echotests one process sustains at full frame rate (50 frames/s
   of 20 ms echoed back to each call), ramping the number of simultaneous calls up until one
   call falls below 95% of the frame rate in a 3 s window (``--window``).

A benchmark, not a test: it exits 0 even when a target is missed (it prints ``MISSED``).
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
from dataclasses import dataclass, field
from importlib.metadata import version
from typing import Any

from aiortc import (
    MediaStreamTrack,
    RTCConfiguration,
    RTCPeerConnection,
    RTCSessionDescription,
)
from aiortc.mediastreams import MediaStreamError
from websockets.asyncio.client import ClientConnection
from websockets.asyncio.client import connect as ws_connect
from websockets.typing import Subprotocol

import janus_webrtc
from janus_echotest import EchoTestHandle
from janus_webrtc import IceStateChanged
from janus_webrtc.media import FrameCounter, TestPatternVideoTrack, ToneAudioTrack
from janus_webrtc.testing import JanusServer, ensure_ice_address, restrict_aioice_to

TARGET_RATIO = 1.2
FULL_RATE = 50.0  # audio frames per second at 20 ms
SUSTAINED = 0.95
NO_STUN = RTCConfiguration(iceServers=[])


@dataclass
class Timing:
    """One call set-up, in seconds from the start of the offer."""

    connected: float
    first_audio: float
    first_video: float


@dataclass
class Series:
    name: str
    runs: list[Timing] = field(default_factory=list)

    def values(self, attribute: str) -> list[float]:
        return [getattr(run, attribute) for run in self.runs]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


# -- the library ------------------------------------------------------------------------------


async def library_call(session: janus_webrtc.Session, timeout: float) -> Timing:
    echo = await session.attach("echotest")
    assert isinstance(echo, EchoTestHandle)
    echo.configure_rtc(NO_STUN)
    echo.add_track(ToneAudioTrack())
    echo.add_track(TestPatternVideoTrack(width=160, height=120))
    counter = echo.record_to(FrameCounter())
    assert isinstance(counter, FrameCounter)
    connected_at: list[float] = []
    echo.on(
        lambda e: connected_at.append(time.monotonic()) if e.state == "completed" else None,
        IceStateChanged,
    )
    try:
        started = time.monotonic()
        await echo.start(audio=True, video=True)
        audio = await counter.wait_frames("audio", 1, timeout=timeout)
        video = await counter.wait_frames("video", 1, timeout=timeout)
        assert audio.first_at is not None
        assert video.first_at is not None
        assert connected_at
        return Timing(connected_at[0] - started, audio.first_at - started, video.first_at - started)
    finally:
        await echo.close()


# -- a minimal raw client ---------------------------------------------------------------------


class RawJanus:
    """Janus API over WebSocket: a dict of transaction -> future, one reader task."""

    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws
        self.pending: dict[str, tuple[asyncio.Future[dict[str, Any]], bool]] = {}
        self.counter = 0
        self.reader = asyncio.create_task(self.read())

    @classmethod
    async def open(cls, url: str) -> RawJanus:
        ws = await ws_connect(url, subprotocols=[Subprotocol("janus-protocol")])
        return cls(ws)

    async def read(self) -> None:
        async for raw in self.ws:
            message = json.loads(raw)
            entry = self.pending.get(message.get("transaction", ""))
            if entry is None:
                continue
            future, wait_event = entry
            if message.get("janus") == "ack" and wait_event:
                continue
            if not future.done():
                future.set_result(message)

    async def request(self, message: dict[str, Any], *, wait_event: bool = False) -> dict[str, Any]:
        self.counter += 1
        transaction = f"raw{self.counter}"
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self.pending[transaction] = (future, wait_event)
        try:
            await self.ws.send(json.dumps({**message, "transaction": transaction}))
            async with asyncio.timeout(10):
                return await future
        finally:
            del self.pending[transaction]

    async def close(self) -> None:
        await self.ws.close()
        self.reader.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self.reader


async def raw_call(janus: RawJanus, session_id: int, timeout: float) -> Timing:
    attached = await janus.request(
        {"janus": "attach", "session_id": session_id, "plugin": "janus.plugin.echotest"}
    )
    handle_id = attached["data"]["id"]
    audio_track, video_track = ToneAudioTrack(), TestPatternVideoTrack(width=160, height=120)
    # The clock starts where the library's start() starts: the tracks exist, the peer
    # connection not yet (creating it and its transceivers is part of the call).
    started = time.monotonic()
    pc = RTCPeerConnection(NO_STUN)
    pc.addTrack(audio_track)
    pc.addTrack(video_track)
    first: dict[str, float] = {}
    got_both = asyncio.Event()
    connected_at: list[float] = []
    readers: list[asyncio.Task[None]] = []

    @pc.on("iceconnectionstatechange")
    def on_ice() -> None:
        if pc.iceConnectionState == "completed":
            connected_at.append(time.monotonic())

    async def drain(track: MediaStreamTrack) -> None:
        with contextlib.suppress(MediaStreamError):
            while True:
                await track.recv()
                if track.kind not in first:
                    first[track.kind] = time.monotonic()
                    if len(first) == 2:
                        got_both.set()

    @pc.on("track")
    def on_track(track: MediaStreamTrack) -> None:
        readers.append(asyncio.create_task(drain(track)))

    try:
        await pc.setLocalDescription(await pc.createOffer())
        reply = await janus.request(
            {
                "janus": "message",
                "session_id": session_id,
                "handle_id": handle_id,
                "body": {"audio": True, "video": True},
                "jsep": {"type": "offer", "sdp": pc.localDescription.sdp, "trickle": False},
            },
            wait_event=True,
        )
        await pc.setRemoteDescription(
            RTCSessionDescription(sdp=reply["jsep"]["sdp"], type="answer")
        )
        async with asyncio.timeout(timeout):
            await got_both.wait()
        return Timing(connected_at[0] - started, first["audio"] - started, first["video"] - started)
    finally:
        await pc.close()
        for reader in readers:
            reader.cancel()
        await asyncio.gather(*readers, return_exceptions=True)
        await janus.request({"janus": "detach", "session_id": session_id, "handle_id": handle_id})


# -- scenario 1: call set-up -----------------------------------------------------------------


async def setup_latency(
    url: str, http_url: str, runs: int, timeout: float
) -> tuple[Series, Series, Series]:
    lib, raw, lib_http = Series("janus_webrtc"), Series("raw"), Series("lib over HTTP")
    raw_janus = await RawJanus.open(url)
    created = await raw_janus.request({"janus": "create"})
    raw_session = created["data"]["id"]
    try:
        async with (
            janus_webrtc.connect(url) as connection,
            await connection.create_session() as session,
            janus_webrtc.connect(http_url) as http_connection,
            await http_connection.create_session() as http_session,
        ):
            # One warm-up call each (codecs, certificates, first imports).
            await library_call(session, timeout)
            await library_call(http_session, timeout)
            await raw_call(raw_janus, raw_session, timeout)
            for index in range(runs):
                order: list[tuple[Series, Callable[[], Awaitable[Timing]]]] = [
                    (lib, lambda: library_call(session, timeout)),
                    (raw, lambda: raw_call(raw_janus, raw_session, timeout)),
                ]
                if index % 2:
                    order.reverse()
                order.append((lib_http, lambda: library_call(http_session, timeout)))
                for series, call in order:
                    series.runs.append(await call())
    finally:
        with contextlib.suppress(Exception):
            await raw_janus.request({"janus": "destroy", "session_id": raw_session})
        await raw_janus.close()
    return lib, raw, lib_http


def print_setup(lib: Series, raw: Series, lib_http: Series, runs: int) -> bool:
    print(f"\n1. EchoTest call set-up, {runs} runs each, WebSocket, audio + 160x120 video")
    print("   time from starting the offer to ...        p50 ms    p99 ms")
    all_ok = True
    for attribute, label in (
        ("connected", "ICE connected"),
        ("first_audio", "first echoed audio frame"),
        ("first_video", "first echoed video frame"),
    ):
        rows = []
        for series in (raw, lib):
            values = series.values(attribute)
            rows.append((percentile(values, 0.5), percentile(values, 0.99)))
            print(
                f"   {label:<26} {series.name:<13} {rows[-1][0] * 1000:8.1f}  "
                f"{rows[-1][1] * 1000:8.1f}"
            )
        values = lib_http.values(attribute)
        print(
            f"   {'':<26} {lib_http.name:<13} {percentile(values, 0.5) * 1000:8.1f}  "
            f"{percentile(values, 0.99) * 1000:8.1f}  (no raw HTTP client: for reference)"
        )
        ratio = rows[1][0] / rows[0][0] if rows[0][0] > 0 else float("inf")
        ratio99 = rows[1][1] / rows[0][1] if rows[0][1] > 0 else float("inf")
        ok = ratio <= TARGET_RATIO
        all_ok &= ok
        print(
            f"   {'':<26} {'lib/raw':<13} {ratio:8.2f}x {ratio99:8.2f}x  "
            f"p50 {'ok' if ok else 'MISSED'} (target <= {TARGET_RATIO}x)"
        )
    return all_ok


# -- scenario 2: concurrency -------------------------------------------------------------------


@dataclass
class Level:
    calls: int
    setup: float
    min_rate: float
    mean_rate: float
    cpu: float

    @property
    def sustained(self) -> bool:
        return self.min_rate >= FULL_RATE * SUSTAINED


async def concurrency_level(
    session: janus_webrtc.Session, calls: int, window: float, timeout: float
) -> Level:
    handles: list[EchoTestHandle] = []
    counters: list[FrameCounter] = []
    try:
        for _ in range(calls):
            echo = await session.attach("echotest")
            assert isinstance(echo, EchoTestHandle)
            echo.configure_rtc(NO_STUN)
            echo.add_track(ToneAudioTrack())
            counter = echo.record_to(FrameCounter())
            assert isinstance(counter, FrameCounter)
            handles.append(echo)
            counters.append(counter)
        started = time.monotonic()
        await asyncio.gather(*(h.start(audio=True) for h in handles))
        await asyncio.gather(*(c.wait_frames("audio", 10, timeout=timeout) for c in counters))
        setup = time.monotonic() - started
        before = [c.frames("audio") for c in counters]
        cpu_before = time.process_time()
        await asyncio.sleep(window)
        cpu = (time.process_time() - cpu_before) / window
        rates = [(c.frames("audio") - b) / window for c, b in zip(counters, before, strict=True)]
        return Level(calls, setup, min(rates), statistics.fmean(rates), cpu)
    finally:
        await asyncio.gather(*(h.close() for h in handles), return_exceptions=True)


async def concurrency(url: str, levels: list[int], window: float, timeout: float) -> list[Level]:
    results: list[Level] = []
    async with (
        janus_webrtc.connect(url) as connection,
        await connection.create_session() as session,
    ):
        for calls in levels:
            try:
                level = await concurrency_level(session, calls, window, timeout)
            except TimeoutError:
                level = Level(calls, float("nan"), 0.0, 0.0, float("nan"))
            results.append(level)
            print(
                f"   {calls:4d} calls  set-up {level.setup:6.2f} s  echoed frames/s per call: "
                f"min {level.min_rate:5.1f} mean {level.mean_rate:5.1f}  "
                f"CPU {level.cpu * 100:5.0f}% of a core  "
                f"{'full rate' if level.sustained else 'BELOW full rate'}",
                flush=True,
            )
            if not level.sustained:
                break
            await asyncio.sleep(0.5)
    return results


# -- main ---------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="5 runs and a short ramp")
    parser.add_argument("--runs", type=int, default=None, help="set-up runs per client (20)")
    parser.add_argument("--window", type=float, default=None, help="seconds per level (3)")
    args = parser.parse_args(argv)
    runs = args.runs or (5 if args.quick else 20)
    window = args.window or (2.0 if args.quick else 3.0)
    levels = [1, 4, 8] if args.quick else [1, 2, 4, 6, 8, 10, 12, 14, 16, 20, 24, 28, 32, 40]
    timeout = 15.0

    print("janus-echotest benchmark")
    print(
        f"python {platform.python_version()}, aiortc {version('aiortc')}, "
        f"janus-webrtc {janus_webrtc.__version__}, {os.cpu_count()} CPUs, {platform.machine()}"
    )
    ice_address = ensure_ice_address()
    if ice_address is None:
        print("cannot set up the private ICE address (needs root): not run")
        return 0
    with restrict_aioice_to(ice_address), JanusServer(ice_address=ice_address) as server:
        url = server.endpoints.ws_url
        lib, raw, lib_http = asyncio.run(
            setup_latency(url, server.endpoints.http_url, runs, timeout)
        )
        ok = print_setup(lib, raw, lib_http, runs)
        print(
            f"\n2. Concurrent audio echotests in one process (Opus 20 ms, full rate = "
            f"{FULL_RATE:.0f} echoed frames/s per call, sustained = every call >= "
            f"{SUSTAINED:.0%} of it over {window:g} s)"
        )
        results = asyncio.run(concurrency(url, levels, window, timeout))
    sustained = [r.calls for r in results if r.sustained]
    best = max(sustained) if sustained else 0
    ceiling = "" if results and not results[-1].sustained else " (the ramp's end: more may fit)"
    print(f"   sustained at full rate: {best} concurrent calls{ceiling}")
    print(f"\nsummary: set-up {'within' if ok else 'MISSED'} {TARGET_RATIO}x of raw; {best} calls")
    return 0


if __name__ == "__main__":
    sys.exit(main())
