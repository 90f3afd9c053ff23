"""Media sinks that read remote tracks: frame counting for tests, demos and benchmarks."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from aiortc.mediastreams import MediaStreamError, MediaStreamTrack
from av import AudioFrame, VideoFrame

from .generators import TestPatternVideoTrack, read_frame_number

__all__ = ["EchoLatencyProbe", "FrameCounter", "KindCount"]

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())

FrameCallback = Callable[[str, "AudioFrame | VideoFrame"], None]
"""Called with ``(kind, frame)`` for every frame a :class:`FrameCounter` reads."""


@dataclass(slots=True)
class KindCount:
    """What a :class:`FrameCounter` saw of one kind of media.

    Attributes:
        frames: Decoded frames read.
        samples: Audio samples read (audio only).
        width: Width of the last video frame.
        height: Height of the last video frame.
        first_at: ``time.monotonic()`` of the first frame, or None.
        last_at: ``time.monotonic()`` of the last frame, or None.
    """

    frames: int = 0
    samples: int = 0
    width: int | None = None
    height: int | None = None
    first_at: float | None = None
    last_at: float | None = None


class FrameCounter:
    """A media sink that reads remote tracks and counts their decoded frames.

    It has the interface of aiortc's ``MediaBlackhole`` (``addTrack``, ``start``, ``stop``),
    so ``handle.record_to(counter)`` feeds it every remote track, including tracks added after
    it started; ``record_to`` also starts it (and stops it when the call ends). Used on its
    own, ``await counter.start()`` before frames are read.

    Frames are counted per kind and, for tracks given with their mid (``record_to`` does), per
    mid too: on a multistream subscription, ``counter.frames("video", mid="3")`` counts one
    feed's video.

    Args:
        on_frame: Called with ``(kind, frame)`` for each frame (keep it cheap).
    """

    def __init__(self, *, on_frame: FrameCallback | None = None) -> None:
        self._on_frame = on_frame
        self._tracks: dict[MediaStreamTrack, asyncio.Task[None] | None] = {}
        self._mids: dict[MediaStreamTrack, str] = {}
        self._counts: dict[str, KindCount] = {}
        self._by_mid: dict[str, KindCount] = {}
        self._changed: asyncio.Event | None = None
        self._started = False

    def __repr__(self) -> str:
        counts = ", ".join(f"{k}={c.frames}" for k, c in sorted(self._counts.items()))
        return f"<FrameCounter {counts or 'no frames'}>"

    def count(self, kind: str | None = None, *, mid: str | None = None) -> KindCount:
        """Return the figures of one kind, or of the track of one mid; zero if none seen.

        Args:
            kind: ``"audio"`` or ``"video"``: every track of that kind.
            mid: Only the track of this mid (``kind`` may then be left out).

        Raises:
            ValueError: Neither ``kind`` nor ``mid`` given.
        """
        if mid is not None:
            return self._by_mid.setdefault(mid, KindCount())
        if kind is None:
            raise ValueError("count() needs a kind or a mid")
        return self._counts.setdefault(kind, KindCount())

    def frames(self, kind: str | None = None, *, mid: str | None = None) -> int:
        """Return how many frames of ``kind`` (or of the track of ``mid``) were read."""
        return self.count(kind, mid=mid).frames

    @property
    def mids(self) -> tuple[str, ...]:
        """The mids of the tracks read, in the order they came."""
        return tuple(dict.fromkeys(self._mids.values()))

    def reset(self) -> None:
        """Forget the figures (tracks keep being read)."""
        self._counts.clear()
        self._by_mid.clear()

    def addTrack(self, track: MediaStreamTrack) -> None:
        """Add a track to read; it is read at once if the counter is started."""
        if track in self._tracks:
            return
        self._tracks[track] = None
        if self._started:
            self._start_track(track)

    def add_remote_track(self, track: MediaStreamTrack, mid: str | None) -> None:
        """Add a track with the mid of its m-line, so that it is counted per mid too."""
        if mid is not None:
            self._mids[track] = mid
        self.addTrack(track)

    async def start(self) -> None:
        """Start reading every track added."""
        self._started = True
        for track, task in list(self._tracks.items()):
            if task is None:
                self._start_track(track)

    async def stop(self) -> None:
        """Stop reading; idempotent. Figures stay readable."""
        self._started = False
        tasks = [task for task in self._tracks.values() if task is not None]
        self._tracks.clear()
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)

    async def wait_frames(
        self, kind: str | None, count: int, *, mid: str | None = None, timeout: float = 10.0
    ) -> KindCount:
        """Wait until at least ``count`` frames of ``kind`` (of ``mid``, if given) were read.

        Raises:
            TimeoutError: Not enough frames within ``timeout`` seconds.
        """
        async with asyncio.timeout(timeout):
            while self.frames(kind, mid=mid) < count:
                if self._changed is None:
                    self._changed = asyncio.Event()
                await self._changed.wait()
                self._changed.clear()
        return self.count(kind, mid=mid)

    def _start_track(self, track: MediaStreamTrack) -> None:
        self._tracks[track] = asyncio.get_running_loop().create_task(
            self._read(track), name=f"janus-webrtc-frame-counter-{track.kind}"
        )

    async def _read(self, track: MediaStreamTrack) -> None:
        kind = track.kind
        while True:
            try:
                frame = await track.recv()
            except MediaStreamError:
                return
            now = time.monotonic()
            mid = self._mids.get(track)
            for figures in (
                self.count(kind),
                *(() if mid is None else (self.count(kind, mid=mid),)),
            ):
                figures.frames += 1
                if figures.first_at is None:
                    figures.first_at = now
                figures.last_at = now
                if isinstance(frame, VideoFrame):
                    figures.width = frame.width
                    figures.height = frame.height
                elif isinstance(frame, AudioFrame):
                    figures.samples += frame.samples
            if self._on_frame is not None and isinstance(frame, AudioFrame | VideoFrame):
                try:
                    self._on_frame(kind, frame)
                except Exception:
                    logger.exception("on_frame callback of %r failed", self)
            if self._changed is not None:
                self._changed.set()


class EchoLatencyProbe:
    """Measures the true round trip of echoed video frames of a :class:`TestPatternVideoTrack`.

    Give it as ``on_frame`` to a :class:`FrameCounter` that reads the echoed video: for each
    frame whose drawn number is readable, it records how long ago the pattern produced that
    frame (encoding, network both ways, Janus, jitter buffer and decoding included).

    Args:
        pattern: The local pattern track whose echo is read.
        keep: How many latest measurements to keep.
    """

    def __init__(self, pattern: TestPatternVideoTrack, *, keep: int = 1000) -> None:
        self._pattern = pattern
        self._keep = keep
        self.latencies: list[float] = []
        """Measured round trips in seconds, oldest first."""

    def __call__(self, kind: str, frame: AudioFrame | VideoFrame) -> None:
        """Record the latency of one echoed frame (ignored unless it is a pattern frame)."""
        if not isinstance(frame, VideoFrame):
            return
        number = read_frame_number(frame)
        sent = self._pattern.sent_at(number) if number is not None else None
        if sent is None:
            return
        self.latencies.append(time.monotonic() - sent)
        if len(self.latencies) > self._keep:
            del self.latencies[: len(self.latencies) - self._keep]

    @property
    def last(self) -> float | None:
        """The latest round trip in seconds, or None."""
        return self.latencies[-1] if self.latencies else None

    def median(self) -> float | None:
        """The median round trip in seconds, or None."""
        if not self.latencies:
            return None
        ordered = sorted(self.latencies)
        return ordered[len(ordered) // 2]
