"""The track a peer connection sends for a local track (private; imports aiortc).

Imported on first use only (by :class:`._local.Sender`, once a peer connection exists), so
that defining :class:`~janus_webrtc.webrtc.WebRTCHandle` imports no aiortc.
"""

from __future__ import annotations

from typing import Any

from aiortc import MediaStreamTrack
from aiortc.mediastreams import MediaStreamError

__all__ = ["SenderTrack"]


class SenderTrack(MediaStreamTrack):
    """What a peer connection sends: forwards the frames of a local track.

    aiortc stops the track of a sender when its peer connection closes; this stand-in takes
    that stop, so the user's track lives on for the next call.
    """

    def __init__(self, source: MediaStreamTrack) -> None:
        super().__init__()
        self.kind = source.kind
        self.source = source

    async def recv(self) -> Any:
        """The next frame of the local track (``MediaStreamError`` once stopped)."""
        if self.readyState != "live":
            raise MediaStreamError
        return await self.source.recv()
