"""Reading RTP/RTCP statistics of a peer connection into typed records (private)."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from ..webrtc_events import RtpStreamStats, TransportStats, WebRTCStats

if TYPE_CHECKING:
    from aiortc import RTCPeerConnection, RTCRtpTransceiver


async def collect(pc: RTCPeerConnection, *, ice_state: str, connection_state: str) -> WebRTCStats:
    """Take a snapshot of the statistics of every transceiver of ``pc``."""
    streams: list[RtpStreamStats] = []
    transport: TransportStats | None = None
    timestamp = None
    for transceiver in pc.getTransceivers():
        by_type: dict[str, list[Any]] = {}
        reports = (await transceiver.sender.getStats(), await transceiver.receiver.getStats())
        for item in [*reports[0].values(), *reports[1].values()]:
            by_type.setdefault(item.type, []).append(item)
            timestamp = item.timestamp
        streams.extend(_outbound(transceiver, by_type))
        streams.extend(_inbound(transceiver, by_type))
        for item in by_type.get("transport", []):
            transport = TransportStats(
                packets_sent=item.packetsSent,
                packets_received=item.packetsReceived,
                bytes_sent=item.bytesSent,
                bytes_received=item.bytesReceived,
                ice_role=item.iceRole,
                dtls_state=item.dtlsState,
            )
    return WebRTCStats(
        timestamp=timestamp or datetime.datetime.now(datetime.UTC),
        streams=tuple(streams),
        transport=transport,
        ice_state=ice_state,
        connection_state=connection_state,
    )


def _outbound(
    transceiver: RTCRtpTransceiver, by_type: dict[str, list[Any]]
) -> list[RtpStreamStats]:
    remote_in = {s.ssrc: s for s in by_type.get("remote-inbound-rtp", [])}
    streams = []
    for out in by_type.get("outbound-rtp", []):
        if out.packetsSent == 0 and transceiver.currentDirection in ("recvonly", None):
            continue
        report = remote_in.get(out.ssrc)
        streams.append(
            RtpStreamStats(
                kind=transceiver.kind,
                mid=transceiver.mid,
                direction="outbound",
                ssrc=out.ssrc,
                packets=out.packetsSent,
                bytes=out.bytesSent,
                packets_lost=report.packetsLost if report else None,
                jitter=report.jitter if report else None,
                round_trip_time=report.roundTripTime if report else None,
                fraction_lost=report.fractionLost if report else None,
            )
        )
    return streams


def _inbound(transceiver: RTCRtpTransceiver, by_type: dict[str, list[Any]]) -> list[RtpStreamStats]:
    remote_out = {s.ssrc: s for s in by_type.get("remote-outbound-rtp", [])}
    streams = []
    for inbound in by_type.get("inbound-rtp", []):
        sent = remote_out.get(inbound.ssrc)
        streams.append(
            RtpStreamStats(
                kind=transceiver.kind,
                mid=transceiver.mid,
                direction="inbound",
                ssrc=inbound.ssrc,
                packets=inbound.packetsReceived,
                bytes=sent.bytesSent if sent else None,
                packets_lost=inbound.packetsLost,
                jitter=inbound.jitter,
            )
        )
    return streams
