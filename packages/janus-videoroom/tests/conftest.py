"""Shared fixtures and helpers of the janus-videoroom tests (Janus fixtures: janus_webrtc)."""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import pytest

import janus_webrtc
from janus_videoroom import Joined, VideoRoomPublisher
from janus_webrtc import WebRTCHandle
from janus_webrtc.media import FrameCounter, KindCount, TestPatternVideoTrack, ToneAudioTrack
from janus_webrtc.testing import HandleFactory, poll_until


@pytest.fixture
async def admin(janus_handle_factory: HandleFactory) -> VideoRoomPublisher:
    """A VideoRoom handle used for room administration only."""
    return await janus_handle_factory(VideoRoomPublisher)


@pytest.fixture
def secret() -> str:
    """A fresh room secret."""
    return secrets.token_hex(8)


@pytest.fixture
async def room(admin: VideoRoomPublisher, secret: str) -> AsyncIterator[int]:
    """A fresh room (6 publishers, secret ``secret``), destroyed after the test."""
    created = await admin.create_room(
        description="janus-videoroom test", secret=secret, publishers=6
    )
    assert isinstance(created.room, int)
    yield created.room
    with contextlib.suppress(janus_webrtc.JanusError):
        await admin.destroy_room(created.room, secret=secret)


async def start_publisher(
    attach: HandleFactory,
    room: int,
    *,
    display: str,
    width: int = 160,
    height: int = 120,
    audio: bool = True,
) -> tuple[VideoRoomPublisher, Joined]:
    """Join ``room`` and publish a tone and a small test pattern; wait until it is up."""
    publisher = await attach(VideoRoomPublisher)
    if audio:
        publisher.add_track(ToneAudioTrack())
    publisher.add_track(TestPatternVideoTrack(width=width, height=height))
    joined = await publisher.join(room, display=display)
    await publisher.publish()
    await publisher.wait_webrtc_up(timeout=10)
    return publisher, joined


@dataclass
class MidFrames:
    """Frames per subscription mid of the handles watched: FrameCounter's per-mid figures."""

    counters: list[FrameCounter] = field(default_factory=list)

    def watch(self, handle: WebRTCHandle) -> None:
        self.counters.append(handle.record_to(FrameCounter()))

    def figures(self, mid: str) -> KindCount:
        for counter in self.counters:
            if mid in counter.mids:
                return counter.count(mid=mid)
        return KindCount()

    def count(self, mid: str) -> int:
        return self.figures(mid).frames

    @property
    def sizes(self) -> dict[str, tuple[int | None, int | None]]:
        return {
            mid: (c.count(mid=mid).width, c.count(mid=mid).height)
            for c in self.counters
            for mid in c.mids
        }

    def snapshot(self) -> dict[str, int]:
        return {mid: c.frames(mid=mid) for c in self.counters for mid in c.mids}

    def since(self, before: dict[str, int], mid: str) -> int:
        return self.count(mid) - before.get(mid, 0)

    async def wait(self, mid: str, count: int, *, timeout: float = 10.0) -> None:
        """Wait until ``mid`` has ``count`` frames in all."""
        await poll_until(lambda: self.count(mid) >= count, timeout=timeout)


@pytest.fixture
def mid_frames() -> MidFrames:
    """Per-mid frame counts of the handles a test watches (their counters end with the call)."""
    return MidFrames()
