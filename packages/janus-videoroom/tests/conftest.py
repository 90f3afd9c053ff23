"""Shared fixtures and helpers of the janus-videoroom tests (Janus fixtures: janus_webrtc)."""

from __future__ import annotations

import asyncio
import contextlib
import secrets
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field

import pytest
from aiortc.mediastreams import MediaStreamError

import janus_webrtc
from janus_videoroom import Joined, VideoRoomPublisher
from janus_webrtc import RemoteTrack, WebRTCHandle
from janus_webrtc.media import TestPatternVideoTrack, ToneAudioTrack
from janus_webrtc.testing import HandleFactory


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


async def poll_until(check: Callable[[], bool], *, timeout: float) -> None:
    """Wait until ``check()`` is true, looking every 50 ms (TimeoutError after ``timeout``)."""
    async with asyncio.timeout(timeout):
        while True:
            if check():
                return
            await asyncio.sleep(0.05)


@dataclass
class MidFrames:
    """Reads every remote track of a handle and counts decoded frames per mid."""

    frames: dict[str, int] = field(default_factory=dict)
    sizes: dict[str, tuple[int, int]] = field(default_factory=dict)
    tasks: set[asyncio.Task[None]] = field(default_factory=set)

    def watch(self, handle: WebRTCHandle) -> None:
        self._spawn(self._follow(handle))

    def _spawn(self, coroutine: object) -> None:
        task = asyncio.ensure_future(coroutine)  # type: ignore[arg-type]
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def _follow(self, handle: WebRTCHandle) -> None:
        async for event in handle.remote_tracks():
            self._spawn(self._read(event))

    async def _read(self, event: RemoteTrack) -> None:
        mid = event.mid or "?"
        while True:
            try:
                frame = await event.track.recv()
            except MediaStreamError:
                return
            self.frames[mid] = self.frames.get(mid, 0) + 1
            if event.kind == "video":
                self.sizes[mid] = (frame.width, frame.height)

    def count(self, mid: str) -> int:
        return self.frames.get(mid, 0)

    def snapshot(self) -> dict[str, int]:
        return dict(self.frames)

    def since(self, before: dict[str, int], mid: str) -> int:
        return self.count(mid) - before.get(mid, 0)

    async def wait(self, mid: str, count: int, *, timeout: float = 10.0) -> None:
        """Wait until ``mid`` has ``count`` frames in all."""
        await poll_until(lambda: self.count(mid) >= count, timeout=timeout)

    async def close(self) -> None:
        for task in list(self.tasks):
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)


@pytest.fixture
async def mid_frames() -> AsyncIterator[MidFrames]:
    """A per-mid frame counter, its reader tasks cancelled after the test."""
    counter = MidFrames()
    yield counter
    await counter.close()
