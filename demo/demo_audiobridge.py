"""AudioBridge demo: two participants with two tones and a prompt bot (janus-audiobridge).

Run by ``demo/run_demo.py``: ``run(endpoints)`` gets the private Janus it started.
"""

from __future__ import annotations

import asyncio
import contextlib
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from aiortc import RTCConfiguration

import janus_webrtc
from janus_audiobridge import AnnouncementStopped, AudioBridgeHandle
from janus_webrtc.media import FrameCounter, ToneAudioTrack
from janus_webrtc.testing import JanusEndpoints, restrict_aioice_to
from janus_webrtc.testing.rtp import mono_samples, tone_strength, write_opus_tone

TONES = {"alice": 440.0, "bob": 880.0}
PROMPT = 660.0


def _keeper(heard: list[object]) -> Callable[[str, object], None]:
    """A FrameCounter callback keeping the last second heard."""

    def keep(kind: str, frame: object) -> None:
        heard.append(frame)
        del heard[:-50]

    return keep


def _levels(heard: list[object]) -> str:
    samples = mono_samples(heard)
    named = {**{f"{n} {f:g} Hz": f for n, f in TONES.items()}, f"prompt {PROMPT:g} Hz": PROMPT}
    return ", ".join(f"{name} {tone_strength(samples, 48000, f):.2f}" for name, f in named.items())


async def run(endpoints: JanusEndpoints) -> None:
    """Alice (440 Hz) and Bob (880 Hz) join; each hears the other; a prompt is played."""
    restriction = (
        restrict_aioice_to(endpoints.ice_address)
        if endpoints.ice_address
        else contextlib.nullcontext()
    )
    with restriction, tempfile.TemporaryDirectory() as folder:
        prompt = write_opus_tone(Path(folder) / "prompt.opus", frequency=PROMPT, seconds=1.5)
        async with (
            janus_webrtc.connect(endpoints.ws_url) as connection,
            await connection.create_session() as session,
        ):
            handles = {name: await session.attach(AudioBridgeHandle) for name in TONES}
            alice = handles["alice"]
            room = (await alice.create_room(sampling_rate=48000, description="demo")).room
            print(f"  room {room} created")
            heard: dict[str, list[object]] = {name: [] for name in TONES}
            for name, handle in handles.items():
                handle.configure_rtc(RTCConfiguration(iceServers=[]))
                handle.add_track(ToneAudioTrack(frequency=TONES[name]))
                handle.record_to(FrameCounter(on_frame=_keeper(heard[name])), kinds=("audio",))
                started = time.perf_counter()
                await handle.join(room, display=name)
                await handle.wait_connected(timeout=10)
                print(f"  {name} joined and connected in {time.perf_counter() - started:.3f} s")
            await asyncio.sleep(1.5)
            for name in TONES:
                print(f"  {name} hears: {_levels(heard[name])}")
            done = alice.wait_for(AnnouncementStopped, timeout=20)
            await alice.play_file(room, str(prompt))
            await asyncio.sleep(1.0)
            print(f"  during the prompt, alice hears: {_levels(heard['alice'])}")
            await done
            hears_bob = tone_strength(mono_samples(heard["alice"]), 48000, TONES["bob"])
            for handle in handles.values():
                await handle.leave()
            await alice.destroy_room(room)
            if hears_bob < 0.1:
                raise AssertionError("alice did not hear bob")
