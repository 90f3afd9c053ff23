"""Benchmark janus-audiobridge: time from join to the first mixed audio heard.

Run it from the repository root::

    python bench/bench_audiobridge.py           # full run, about a minute
    python bench/bench_audiobridge.py --quick   # fewer rounds (CI smoke run)

It starts a private Janus with ``JanusServer`` (ICE on the private address of
``ensure_ice_address``, aioice restricted to it, no STUN server) and a room (48 kHz mix) where a
speaker sends a 440 Hz tone. Then, over WebSocket, a listener joins again and again, offering a
silent audio track with its ``join``, and the time is measured from the ``join`` (session and
handle already there) to:

- the first decoded audio frame, and
- the first decoded frame in which the speaker's tone is heard (``tone_strength`` > 0.5 on that
  20 ms frame): the mix, not just packets.

The library's ``AudioBridgeHandle`` is compared with a minimal raw client (the ``RawJanus`` of
``bench_videoroom.py``: a ``websockets`` connection with a dict of transaction -> future, and a
bare aiortc ``RTCPeerConnection``). Runs alternate; the median is kept. With ``--listeners N``
it also joins N listeners at once (library) and reports when the last one heard the tone.

The script is a benchmark, not a test: it always exits 0.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import platform
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import websockets
from aiortc import RTCConfiguration, RTCPeerConnection, RTCSessionDescription
from websockets.typing import Subprotocol

import janus_webrtc
from janus_audiobridge import AudioBridgeHandle
from janus_webrtc.media import FrameCounter, ToneAudioTrack
from janus_webrtc.testing import JanusServer, ensure_ice_address, restrict_aioice_to
from janus_webrtc.testing.rtp import mono_samples, tone_strength

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_videoroom import RawJanus  # the raw client is written once

TONE = 440.0
HEARD = 0.5


class Ear:
    """A FrameCounter of the heard audio, and when the speaker's tone was first in a frame."""

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.tone: float | None = None
        self.heard = asyncio.Event()
        self.counter = FrameCounter(on_frame=self._frame)

    def _frame(self, kind: str, frame: Any) -> None:
        if (
            self.tone is None
            and tone_strength(mono_samples([frame]), frame.sample_rate, TONE) > HEARD
        ):
            self.tone = time.monotonic() - self.started
            self.heard.set()

    @property
    def first(self) -> float | None:
        first_at = self.counter.count("audio").first_at
        return None if first_at is None else first_at - self.started


async def library_join(session: janus_webrtc.Session, room: int | str) -> Ear:
    listener = await session.attach(AudioBridgeHandle)
    listener.configure_rtc(RTCConfiguration(iceServers=[]))
    listener.add_track(ToneAudioTrack(amplitude=0.0))
    ear = Ear()
    listener.record_to(ear.counter)
    ear.started = time.monotonic()
    try:
        await listener.join(room, display="listener")
        await asyncio.wait_for(ear.heard.wait(), 20)
    finally:
        await listener.detach()
    return ear


async def raw_join(janus: RawJanus, session: int, room: int | str) -> Ear:
    attached = await janus.request(
        {"janus": "attach", "session_id": session, "plugin": "janus.plugin.audiobridge"}
    )
    handle = attached["data"]["id"]
    address = {"janus": "message", "session_id": session, "handle_id": handle}
    pc = RTCPeerConnection(RTCConfiguration(iceServers=[]))
    silence = ToneAudioTrack(amplitude=0.0)
    pc.addTrack(silence)
    ear = Ear()
    pc.on("track", ear.counter.addTrack)
    await ear.counter.start()
    ear.started = time.monotonic()
    try:
        await pc.setLocalDescription(await pc.createOffer())
        offer = {"type": "offer", "sdp": pc.localDescription.sdp}
        body = {"request": "join", "room": room, "display": "raw listener"}
        joined = await janus.request({**address, "body": body, "jsep": offer})
        answer = joined["jsep"]
        await pc.setRemoteDescription(RTCSessionDescription(answer["sdp"], answer["type"]))
        await asyncio.wait_for(ear.heard.wait(), 20)
    finally:
        await ear.counter.stop()
        await pc.close()
        silence.stop()
        await janus.request({"janus": "detach", "session_id": session, "handle_id": handle})
    return ear


async def many_join(session: janus_webrtc.Session, room: int | str, count: int) -> float:
    """Join ``count`` listeners at once; seconds until the last one heard the tone."""
    started = time.perf_counter()
    await asyncio.gather(*(library_join(session, room) for _ in range(count)))
    return time.perf_counter() - started


def ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:7.1f}" if values else "      -"


async def bench(url: str, quick: bool, listeners: int | None) -> None:
    print(f"janus-audiobridge benchmark ({'quick' if quick else 'full'} run)")
    print(f"python {platform.python_version()}, {os.cpu_count()} CPUs, Opus, WebSocket")
    rounds = 3 if quick else 11
    async with (
        janus_webrtc.connect(url) as connection,
        await connection.create_session() as session,
        websockets.connect(url, subprotocols=[Subprotocol("janus-protocol")]) as ws,
    ):
        janus = RawJanus(ws)
        raw_session = (await janus.request({"janus": "create"}))["data"]["id"]
        speaker = await session.attach(AudioBridgeHandle)
        speaker.configure_rtc(RTCConfiguration(iceServers=[]))
        room = (await speaker.create_room(sampling_rate=48000, description="bench")).room
        speaker.add_track(ToneAudioTrack(frequency=TONE))
        await speaker.join(room, display="speaker")
        await speaker.wait_connected(timeout=20)
        speaker.blackhole()
        await asyncio.sleep(1.0)  # the speaker's audio is in the mix
        timings: dict[str, dict[str, list[float]]] = {
            "library": {"first": [], "tone": []},
            "raw": {"first": [], "tone": []},
        }
        for _ in range(rounds):
            ears: dict[str, Ear] = {
                "library": await library_join(session, room),
                "raw": await raw_join(janus, raw_session, room),
            }
            for kind, ear in ears.items():
                assert ear.first is not None
                assert ear.tone is not None
                timings[kind]["first"].append(ear.first)
                timings[kind]["tone"].append(ear.tone)
        print(f"\n1. join -> first mixed audio (median of {rounds} ms)")
        print(f"  {'client':>8} | {'1st frame':>9} {'tone heard':>10}")
        for kind, values in timings.items():
            print(f"  {kind:>8} | {ms(values['first']):>9} {ms(values['tone']):>10}")
        if listeners:
            print(f"\n2. {listeners} listeners joining at once (library)")
            seconds = await many_join(session, room, listeners)
            print(f"  all {listeners} heard the tone {seconds * 1000:.1f} ms after the joins")
        await speaker.leave()
        await speaker.destroy_room(room)
        await janus.request({"janus": "destroy", "session_id": raw_session})
        await janus.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds")
    parser.add_argument("--listeners", type=int, help="also join this many listeners at once")
    args = parser.parse_args()
    listeners: Any = args.listeners if args.listeners is not None else (2 if args.quick else 8)
    ice = ensure_ice_address()
    with JanusServer(ice_address=ice) as server:
        restriction = restrict_aioice_to(ice) if ice else contextlib.nullcontext()
        with restriction:
            asyncio.run(bench(server.endpoints.ws_url, args.quick, listeners))
    return 0


if __name__ == "__main__":
    sys.exit(main())
