"""Shared fixtures and helpers of the janus-audiobridge tests (Janus fixtures: janus_webrtc)."""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field

import av
import pytest

import janus_webrtc
from janus_audiobridge import AudioBridgeHandle
from janus_webrtc.media import FrameCounter, ToneAudioTrack
from janus_webrtc.testing import HandleFactory, poll_until
from janus_webrtc.testing.rtp import mono_samples, tone_strength

HEARD = 0.2
"""Share of the heard audio's energy at a frequency that counts as "this tone is heard"."""
SILENT = 0.03
"""Share below which a tone counts as absent."""


@pytest.fixture
async def admin(janus_handle_factory: HandleFactory) -> AudioBridgeHandle:
    """An AudioBridge handle used to manage rooms."""
    return await janus_handle_factory(AudioBridgeHandle)


@pytest.fixture
def secret() -> str:
    """A fresh room secret."""
    return secrets.token_hex(8)


class Rooms:
    """Creates rooms (secret ``secret``) and destroys them all after the test."""

    def __init__(self, admin: AudioBridgeHandle, secret: str) -> None:
        self.admin = admin
        self.secret = secret
        self.made: list[int | str] = []

    async def create(self, **options: object) -> int | str:
        created = await self.admin.create_room(secret=self.secret, **options)  # type: ignore[arg-type]
        self.made.append(created.room)
        return created.room

    async def close(self) -> None:
        for room in self.made:
            with contextlib.suppress(janus_webrtc.JanusError):
                await self.admin.destroy_room(room, secret=self.secret)


@pytest.fixture
async def rooms(admin: AudioBridgeHandle, secret: str) -> AsyncIterator[Rooms]:
    """A room maker; every room is destroyed after the test."""
    made = Rooms(admin, secret)
    yield made
    await made.close()


@dataclass
class Ear:
    """Listens to a handle's remote audio: FrameCounter's figures and the last second heard."""

    counter: FrameCounter = field(init=False)
    frames: list[av.AudioFrame] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.counter = FrameCounter(on_frame=self._frame)

    def _frame(self, kind: str, frame: av.AudioFrame | av.VideoFrame) -> None:
        if isinstance(frame, av.AudioFrame):
            self.frames.append(frame)
            del self.frames[:-50]

    def listen(self, handle: AudioBridgeHandle) -> None:
        """Listen to the handle's next call (the figures add up over calls)."""
        handle.record_to(self.counter, kinds=("audio",))

    @property
    def count(self) -> int:
        return self.counter.frames("audio")

    def tone(self, frequency: float) -> float:
        """The share of the last second's energy at ``frequency`` (0-1)."""
        if not self.frames:
            return 0.0
        return tone_strength(mono_samples(self.frames), self.frames[0].sample_rate, frequency)

    async def wait_frames(self, count: int, *, timeout: float = 10.0) -> None:
        """Wait until ``count`` more frames than now were heard."""
        await self.counter.wait_frames("audio", self.count + count, timeout=timeout)

    async def wait_hearing(
        self, frequency: float, *, heard: bool = True, timeout: float = 10.0
    ) -> None:
        """Wait until ``frequency`` is (or is no longer) in the last second heard."""

        def check() -> bool:
            level = self.tone(frequency)
            return level > HEARD if heard else len(self.frames) >= 25 and level < SILENT

        try:
            await poll_until(check, timeout=timeout)
        except TimeoutError:
            raise AssertionError(
                f"{frequency} Hz {'not heard' if heard else 'still heard'}: "
                f"level {self.tone(frequency):.3f} after {self.count} frames"
            ) from None


@pytest.fixture
def ears() -> Callable[[], Ear]:
    """Makes ears (each stops listening when its handle's call ends)."""
    return Ear


async def participant(
    factory: HandleFactory,
    ear: Ear,
    room: int | str,
    *,
    frequency: float | None,
    display: str,
    **options: object,
) -> AudioBridgeHandle:
    """Join ``room`` sending a tone (silence when ``frequency`` is None), listening with ``ear``."""
    handle = await factory(AudioBridgeHandle)
    amplitude = 0.3 if frequency is not None else 0.0
    handle.add_track(ToneAudioTrack(frequency=frequency or 440.0, amplitude=amplitude))
    ear.listen(handle)
    await handle.join(room, display=display, **options)  # type: ignore[arg-type]
    await handle.wait_connected(timeout=10)
    return handle
