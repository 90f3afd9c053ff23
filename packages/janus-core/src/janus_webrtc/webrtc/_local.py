"""Local tracks of a WebRTC handle, and what a peer connection sends for them (private).

aiortc is imported for type checking only: :class:`Sender` imports the stand-in track (an
aiortc subclass, in :mod:`._sender_track`) once a peer connection exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from aiortc import MediaStreamTrack, RTCPeerConnection, RTCRtpTransceiver

    from ._sender_track import SenderTrack


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
        from ._sender_track import SenderTrack

        track = SenderTrack(local.track)
        return cls(pc.addTransceiver(track, direction=local.direction), track)

    @classmethod
    def on(cls, transceiver: RTCRtpTransceiver, local: LocalTrack) -> Sender:
        """Send on a transceiver that an offer from Janus created (for an answer)."""
        from ._sender_track import SenderTrack

        track = SenderTrack(local.track)
        transceiver.sender.replaceTrack(track)
        transceiver.direction = local.direction
        return cls(transceiver, track)


def sends(transceiver: RTCRtpTransceiver) -> bool:
    """Whether a transceiver's sender has a track (aiortc types it as never ``None``)."""
    track: MediaStreamTrack | None = transceiver.sender.track
    return track is not None
