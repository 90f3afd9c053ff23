"""What ``WebRTCHandle.record_to`` feeds remote tracks to: the :class:`MediaSink` protocol."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, Protocol, TypeVar

if TYPE_CHECKING:
    from aiortc import MediaStreamTrack

    from ..webrtc_events import RemoteTrack

__all__ = ["MediaSink", "MidAwareSink", "SinkT"]


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


class MidAwareSink(MediaSink, Protocol):
    """A sink that also wants the mid of each track (:class:`~janus_webrtc.media.FrameCounter`).

    ``record_to`` calls :meth:`add_remote_track` instead of ``addTrack`` on such a sink.
    """

    def add_remote_track(self, track: MediaStreamTrack, mid: str | None) -> None:
        """Add a remote track with the mid of its m-line (None if aiortc did not say)."""


SinkT = TypeVar("SinkT", bound=MediaSink)
"""A sink's own type: ``record_to(FrameCounter())`` gives a ``FrameCounter``."""

_S = TypeVar("_S", bound=MediaSink)


@dataclass(eq=False, slots=True)
class _SinkEntry(Generic[_S]):
    """A sink given to ``record_to``, with the kinds it takes and whether it was started."""

    sink: _S
    kinds: tuple[str, ...]
    started: bool = False

    def add(self, remote: RemoteTrack) -> None:
        """Give the sink a remote track (with its mid, if the sink wants it)."""
        add_with_mid = getattr(self.sink, "add_remote_track", None)
        if callable(add_with_mid):
            add_with_mid(remote.track, remote.mid)
        else:
            self.sink.addTrack(remote.track)

    async def start(self) -> None:
        """Start the sink (again: it takes the tracks added since)."""
        self.started = True
        await self.sink.start()
