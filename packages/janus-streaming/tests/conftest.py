"""Shared fixtures and helpers of the janus-streaming tests (Janus fixtures: janus_webrtc)."""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field

import av
import pytest
from aiortc.mediastreams import MediaStreamTrack

import janus_webrtc
from janus_streaming import MountpointCreated, RtpMedia, StreamingHandle
from janus_webrtc import WebRTCHandle
from janus_webrtc.media import (
    FrameCounter,
    TestPatternVideoTrack,
    ToneAudioTrack,
    read_frame_number,
)
from janus_webrtc.testing import HandleFactory, poll_until
from janus_webrtc.testing.rtp import RtpSource, mono_samples, tone_strength

LOOPBACK = "127.0.0.1"
OPUS_PT = 111
VP8_PT = 100


@pytest.fixture
async def admin(janus_handle_factory: HandleFactory) -> StreamingHandle:
    """A Streaming handle used to manage mountpoints."""
    return await janus_handle_factory(StreamingHandle)


@pytest.fixture
def secret() -> str:
    """A fresh mountpoint secret."""
    return secrets.token_hex(8)


def audio(mid: str = "a") -> RtpMedia:
    return RtpMedia(type="audio", mid=mid, pt=OPUS_PT, codec="opus", iface=LOOPBACK)


def video(mid: str = "v") -> RtpMedia:
    return RtpMedia(type="video", mid=mid, pt=VP8_PT, codec="vp8", iface=LOOPBACK)


class Mountpoints:
    """Creates RTP mountpoints on loopback, feeds them, and destroys them all after the test."""

    def __init__(self, admin: StreamingHandle, secret: str) -> None:
        self.admin = admin
        self.secret = secret
        self.created: list[MountpointCreated] = []
        self.sources: list[RtpSource] = []
        self.tracks: list[MediaStreamTrack] = []

    async def create(self, media: Sequence[RtpMedia], **options: object) -> MountpointCreated:
        created = await self.admin.create_rtp_mountpoint(
            media,
            secret=self.secret,
            **options,  # type: ignore[arg-type]
        )
        self.created.append(created)
        return created

    async def feed(
        self, created: MountpointCreated, mid: str, track: MediaStreamTrack
    ) -> RtpSource:
        """Send ``track`` to the mountpoint's port of ``mid`` (Opus or VP8, by its kind)."""
        pt = OPUS_PT if track.kind == "audio" else VP8_PT
        source = RtpSource(track, host=LOOPBACK, port=created.port(mid), payload_type=pt)
        await source.start()
        self.sources.append(source)
        self.tracks.append(track)
        return source

    async def fed(
        self, *, sizes: Sequence[tuple[int, int]] = ((160, 120),), tone: float | None = 880.0
    ) -> MountpointCreated:
        """A mountpoint with an audio stream ``a`` (if ``tone``) and videos ``v1``, ``v2``..."""
        media = [audio()] if tone is not None else []
        media += [video(f"v{i + 1}") for i in range(len(sizes))]
        created = await self.create(media)
        if tone is not None:
            await self.feed(created, "a", ToneAudioTrack(frequency=tone))
        for i, (width, height) in enumerate(sizes):
            await self.feed(created, f"v{i + 1}", TestPatternVideoTrack(width=width, height=height))
        return created

    async def close(self) -> None:
        for source in self.sources:
            await source.stop()
        for track in self.tracks:
            track.stop()
        for created in self.created:
            with contextlib.suppress(janus_webrtc.JanusError):
                await self.admin.destroy_mountpoint(created.id, secret=self.secret)


@pytest.fixture
async def mountpoints(admin: StreamingHandle, secret: str) -> AsyncIterator[Mountpoints]:
    """Makes mountpoints (secret ``secret``) and their RTP sources; all gone after the test."""
    made = Mountpoints(admin, secret)
    yield made
    await made.close()


@dataclass
class MidFrames:
    """What one viewer decodes: FrameCounter's per-mid figures, plus the last second of audio
    and the last frame number drawn by the test pattern (for the tests that look at content)."""

    counter: FrameCounter = field(init=False)
    last_number: int | None = None
    audio: list[av.AudioFrame] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.counter = FrameCounter(on_frame=self._frame)

    def watch(self, handle: WebRTCHandle) -> None:
        """Read the remote tracks of the handle's next call (the figures add up over calls)."""
        handle.record_to(self.counter)

    def _frame(self, kind: str, frame: av.AudioFrame | av.VideoFrame) -> None:
        if isinstance(frame, av.VideoFrame):
            number = read_frame_number(frame)
            if number is not None:
                self.last_number = number
        else:
            self.audio.append(frame)
            del self.audio[:-50]

    @property
    def frames(self) -> dict[str, int]:
        """Frames decoded so far, per mid."""
        return {mid: self.counter.frames(mid=mid) for mid in self.counter.mids}

    @property
    def sizes(self) -> dict[str, tuple[int | None, int | None]]:
        """The size of the last video frame, per mid."""
        figures = {mid: self.counter.count(mid=mid) for mid in self.counter.mids}
        return {mid: (f.width, f.height) for mid, f in figures.items() if f.width is not None}

    def count(self, mid: str) -> int:
        return self.counter.frames(mid=mid)

    def snapshot(self) -> dict[str, int]:
        return self.frames

    def since(self, before: dict[str, int], mid: str) -> int:
        return self.count(mid) - before.get(mid, 0)

    async def wait(self, mid: str, count: int, *, timeout: float = 10.0) -> None:
        """Wait until ``mid`` has ``count`` more frames than now."""
        await self.counter.wait_frames(None, self.count(mid) + count, mid=mid, timeout=timeout)

    async def wait_size(self, mid: str, size: tuple[int, int], *, timeout: float = 10.0) -> None:
        await poll_until(lambda: self.sizes.get(mid) == size, timeout=timeout)

    def tone(self, frequency: float) -> float:
        """How much of the last second of audio is at ``frequency`` (0-1)."""
        if not self.audio:
            return 0.0
        return tone_strength(mono_samples(self.audio), self.audio[0].sample_rate, frequency)


@pytest.fixture
def frames() -> MidFrames:
    """What one viewer decodes (its FrameCounter stops with the viewer's call)."""
    return MidFrames()


@pytest.fixture
def frames2() -> MidFrames:
    """What a second viewer decodes."""
    return MidFrames()
