"""What ``WebRTCHandle.record_to`` feeds remote tracks to: the :class:`MediaSink` protocol."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from aiortc import MediaStreamTrack

__all__ = ["MediaSink", "SinkT"]


class MediaSink(Protocol):
    """What :meth:`WebRTCHandle.record_to <janus_webrtc.WebRTCHandle.record_to>` accepts.

    aiortc's ``MediaRecorder`` and ``MediaBlackhole``, :class:`~janus_webrtc.media.FrameCounter`,
    or any object with the same three methods.
    """

    def addTrack(self, track: MediaStreamTrack) -> None:
        """Add a remote track to consume."""

    async def start(self) -> None:
        """Start consuming the tracks added (may be called again for tracks added later)."""

    async def stop(self) -> None:
        """Stop consuming and release files."""


SinkT = TypeVar("SinkT", bound=MediaSink)
"""A sink's own type: ``record_to(FrameCounter())`` gives a ``FrameCounter``."""

_S = TypeVar("_S", bound=MediaSink)


@dataclass(eq=False, slots=True)
class _SinkEntry(Generic[_S]):
    """A sink given to ``record_to``, with the kinds it takes and whether it was started."""

    sink: _S
    kinds: tuple[str, ...]
    started: bool = False

    async def start(self) -> None:
        """Start the sink (again: it takes the tracks added since)."""
        self.started = True
        await self.sink.start()
