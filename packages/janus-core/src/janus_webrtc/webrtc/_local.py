"""Local tracks of a WebRTC handle, and what a peer connection sends for them (private)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from aiortc import MediaStreamTrack, RTCPeerConnection, RTCRtpTransceiver
from aiortc.mediastreams import MediaStreamError


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


@dataclass(eq=False, slots=True)
class LocalTrack:
    """A track the user added: kept across calls until removed or the handle closes."""

    track: MediaStreamTrack
    direction: str


@dataclass(eq=False, slots=True)
class Sender:
    """How one call sends a local track: its transceiver and the stand-in track."""

    transceiver: RTCRtpTransceiver
    track: SenderTrack

    @classmethod
    def new(cls, pc: RTCPeerConnection, local: LocalTrack) -> Sender:
        """Send on a new transceiver (for an offer)."""
        track = SenderTrack(local.track)
        return cls(pc.addTransceiver(track, direction=local.direction), track)

    @classmethod
    def on(cls, transceiver: RTCRtpTransceiver, local: LocalTrack) -> Sender:
        """Send on a transceiver that an offer from Janus created (for an answer)."""
        track = SenderTrack(local.track)
        transceiver.sender.replaceTrack(track)
        transceiver.direction = local.direction
        return cls(transceiver, track)


def sends(transceiver: RTCRtpTransceiver) -> bool:
    """Whether a transceiver's sender has a track (aiortc types it as never ``None``)."""
    track: MediaStreamTrack | None = transceiver.sender.track
    return track is not None
