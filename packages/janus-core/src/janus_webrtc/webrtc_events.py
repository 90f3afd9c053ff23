"""Typed events and statistics of :class:`~janus_webrtc.webrtc.WebRTCHandle`.

The handle publishes these events on its event stream, beside Janus's own events
(:class:`~janus_webrtc.messages.WebRTCUp`, :class:`~janus_webrtc.messages.MediaState`, ...),
so one ``async for event in handle.events()`` sees everything in order.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .messages import Event

if TYPE_CHECKING:
    from aiortc import MediaStreamTrack

__all__ = [
    "ConnectionStateChanged",
    "DataChannelClosed",
    "DataChannelMessage",
    "DataChannelOpened",
    "IceStateChanged",
    "RemoteTrack",
    "RemoteTrackEnded",
    "RtpStreamStats",
    "TransportStats",
    "WebRTCStats",
]


@dataclass(frozen=True, slots=True)
class RemoteTrack(Event):
    """Janus started sending a medium: a remote track to read, record or discard.

    Read frames with ``await event.track.recv()``, or hand the track to a sink
    (``handle.record_to(...)``). Frames of a track nobody reads pile up in aiortc's queue,
    so read, record or discard every remote track.

    Attributes:
        kind: ``"audio"`` or ``"video"``.
        mid: The media id of its m-line, when known.
        track: The aiortc track (already decoded frames: ``av.AudioFrame``/``av.VideoFrame``).
    """

    kind: str
    mid: str | None
    track: MediaStreamTrack = field(repr=False, compare=False)


@dataclass(frozen=True, slots=True)
class RemoteTrackEnded(Event):
    """A remote track ended (hangup, renegotiation away, or the handle was closed).

    Attributes:
        kind: ``"audio"`` or ``"video"``.
        mid: The media id of its m-line, when known.
    """

    kind: str
    mid: str | None


@dataclass(frozen=True, slots=True)
class IceStateChanged(Event):
    """The ICE connection state of the local peer connection changed.

    Attributes:
        state: aiortc's ``iceConnectionState``: ``new``, ``checking``, ``completed``,
            ``failed`` or ``closed``.
    """

    state: str


@dataclass(frozen=True, slots=True)
class ConnectionStateChanged(Event):
    """The overall state of the local peer connection (ICE and DTLS) changed.

    Attributes:
        state: aiortc's ``connectionState``: ``new``, ``connecting``, ``connected``,
            ``failed`` or ``closed``.
    """

    state: str


@dataclass(frozen=True, slots=True)
class DataChannelOpened(Event):
    """A data channel opened (created locally or by Janus).

    Attributes:
        label: The channel's label, such as ``"JanusDataChannel"``.
    """

    label: str


@dataclass(frozen=True, slots=True)
class DataChannelMessage(Event):
    """A message arrived on a data channel.

    Attributes:
        label: The channel's label.
        data: The message: ``str`` for text, ``bytes`` for binary.
    """

    label: str
    data: str | bytes


@dataclass(frozen=True, slots=True)
class DataChannelClosed(Event):
    """A data channel closed.

    Attributes:
        label: The channel's label.
    """

    label: str


@dataclass(frozen=True, slots=True)
class RtpStreamStats:
    """RTP and RTCP figures of one direction of one m-line.

    Attributes:
        kind: ``"audio"`` or ``"video"``.
        mid: The media id of the m-line.
        direction: ``"outbound"`` (what this client sends) or ``"inbound"`` (what it receives).
        ssrc: The SSRC of the stream.
        packets: RTP packets sent (outbound) or received (inbound), counted locally.
        bytes: RTP payload bytes sent (outbound); for inbound, bytes the sender reported in
            its last RTCP sender report (``None`` before one arrived).
        packets_lost: Outbound: lost packets Janus reported in its last RTCP receiver report;
            inbound: packets this client found missing.
        jitter: Interarrival jitter in RTP timestamp units (Janus's report for outbound).
        round_trip_time: Seconds, computed from Janus's RTCP receiver reports (outbound only;
            ``None`` until one arrived).
        fraction_lost: Fraction lost in Janus's last receiver report (outbound only).
    """

    kind: str
    mid: str | None
    direction: str
    ssrc: int
    packets: int
    bytes: int | None
    packets_lost: int | None = None
    jitter: float | None = None
    round_trip_time: float | None = None
    fraction_lost: float | None = None


@dataclass(frozen=True, slots=True)
class TransportStats:
    """Figures of the (bundled) transport carrying every m-line.

    Attributes:
        packets_sent: Packets sent over it.
        packets_received: Packets received over it.
        bytes_sent: Bytes sent over it.
        bytes_received: Bytes received over it.
        ice_role: ``"controlling"`` or ``"controlled"``.
        dtls_state: The DTLS transport state.
    """

    packets_sent: int
    packets_received: int
    bytes_sent: int
    bytes_received: int
    ice_role: str
    dtls_state: str


@dataclass(frozen=True, slots=True)
class WebRTCStats:
    """A snapshot of statistics of a handle's peer connection.

    Attributes:
        timestamp: When it was taken.
        streams: One entry per direction of each active m-line.
        transport: The transport figures, if a transport exists.
        ice_state: The ICE connection state at that time.
        connection_state: The connection state at that time.
    """

    timestamp: datetime.datetime
    streams: tuple[RtpStreamStats, ...]
    transport: TransportStats | None
    ice_state: str
    connection_state: str

    def outbound(self, kind: str | None = None) -> list[RtpStreamStats]:
        """Return the outbound streams (of one kind, if given)."""
        return [s for s in self.streams if s.direction == "outbound" and kind in (None, s.kind)]

    def inbound(self, kind: str | None = None) -> list[RtpStreamStats]:
        """Return the inbound streams (of one kind, if given)."""
        return [s for s in self.streams if s.direction == "inbound" and kind in (None, s.kind)]

    @property
    def round_trip_time(self) -> float | None:
        """The largest round-trip time of any outbound stream, or None if none is known."""
        times = [s.round_trip_time for s in self.streams if s.round_trip_time is not None]
        return max(times) if times else None

    def as_dict(self) -> dict[str, Any]:
        """Return the snapshot as plain data (for logging or JSON)."""
        return {
            "timestamp": self.timestamp.isoformat(),
            "ice_state": self.ice_state,
            "connection_state": self.connection_state,
            "streams": [
                {name: getattr(s, name) for name in RtpStreamStats.__dataclass_fields__}
                for s in self.streams
            ],
            "transport": (
                None
                if self.transport is None
                else {
                    name: getattr(self.transport, name)
                    for name in TransportStats.__dataclass_fields__
                }
            ),
        }
