"""Remote media of a WebRTC handle: incoming tracks and the sinks fed with them."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import overload

from ..webrtc_events import RemoteTrack
from ._base import WebRTCBase
from .sink import MediaSink, SinkT, _SinkEntry

__all__ = ["RemoteMediaMixin"]


class RemoteMediaMixin(WebRTCBase):
    """Remote tracks of the current call, and ``record_to`` sinks."""

    @property
    def remote_tracks_now(self) -> tuple[RemoteTrack, ...]:
        """The remote tracks of the current peer connection."""
        return tuple(self._call.remote.values())

    async def remote_tracks(self) -> AsyncIterator[RemoteTrack]:
        """Iterate remote tracks: those present, then each new one, until the handle detaches.

        Each is also published as a :class:`~janus_webrtc.webrtc_events.RemoteTrack` event.
        """
        queue = self.subscribe(RemoteTrack)
        try:
            seen: set[int] = set()
            for event in list(self._call.remote.values()):
                seen.add(id(event))
                yield event
            async for item in queue:
                if isinstance(item, RemoteTrack) and id(item) not in seen:
                    yield item
        finally:
            self.unsubscribe(queue)

    @overload
    def record_to(self, sink: SinkT, *, kinds: tuple[str, ...] = ...) -> SinkT: ...

    @overload
    def record_to(self, sink: str | Path, *, kinds: tuple[str, ...] = ...) -> MediaSink: ...

    def record_to(
        self, sink: MediaSink | str | Path, *, kinds: tuple[str, ...] = ("audio", "video")
    ) -> MediaSink:
        """Feed remote tracks (present and future) of ``kinds`` to a sink, for this call.

        Args:
            sink: aiortc's ``MediaRecorder`` or ``MediaBlackhole``, a
                :class:`~janus_webrtc.media.FrameCounter`, or a file path (a ``MediaRecorder``
                is made for it; the format follows the extension).
            kinds: Which media to feed it.

        Returns:
            The sink, typed as given (``record_to(FrameCounter())`` is a ``FrameCounter``). It
            is started once negotiation delivers tracks, and stopped at hangup or close (a
            ``MediaRecorder`` then closes its file): sinks end with each call.
        """
        self._check_attached("record")
        if isinstance(sink, str | Path):
            from aiortc.contrib.media import MediaRecorder

            sink = MediaRecorder(str(sink))
        entry = _SinkEntry(sink, kinds)
        call = self._call
        call.sinks.append(entry)
        for event in call.remote.values():
            if event.kind in kinds:
                entry.add(event)
        if call.remote:
            self._spawn(entry.start())
        return sink

    def blackhole(self) -> MediaSink:
        """Read and discard every remote track (so undelivered frames never pile up)."""
        from aiortc.contrib.media import MediaBlackhole

        return self.record_to(MediaBlackhole())

    async def stop_recording(self, sink: MediaSink) -> None:
        """Stop a sink given to :meth:`record_to` and forget it."""
        for entry in list(self._call.sinks):
            if entry.sink is sink:
                self._call.sinks.remove(entry)
                await sink.stop()
