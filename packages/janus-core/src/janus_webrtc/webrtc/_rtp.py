"""RTP routing repairs for aiortc 1.16 (private: aiortc internals; no I/O).

Janus reuses an m-line after a renegotiation (a VideoRoom ``unsubscribe`` then
``subscribe``, for example) with a new SSRC and sequence numbers that jump ahead. aiortc
registers a receiver's SSRC only the first time the receiver starts, so the new stream's
packets would be dropped (or routed to another receiver sharing its payload type); and the
receiver's jitter buffer would wait for the missing sequence numbers (512 packets for
video). :func:`route_new_ssrcs` adds the new SSRCs to the transport's routing table and gives
those receivers an empty jitter buffer. It relies on aiortc internals: on an aiortc version
outside :data:`._versions.TESTED`, or without those internals, it does nothing and logs why.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from ._versions import untested

if TYPE_CHECKING:
    from aiortc import RTCPeerConnection, RTCSessionDescription

__all__ = ["route_new_ssrcs"]

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())

_JITTER_BUFFER = "_RTCRtpReceiver__jitter_buffer"


def route_new_ssrcs(pc: RTCPeerConnection) -> int:
    """Route the SSRCs of the remote description that aiortc does not route yet.

    Call it after applying a new remote description to a peer connection that had one.

    Args:
        pc: The peer connection.

    Returns:
        How many receivers got a new SSRC.
    """
    remote: RTCSessionDescription | None = pc.remoteDescription
    if remote is None:
        return 0
    why = untested("aiortc")
    if why is not None:
        logger.warning("renegotiated SSRCs are not routed: %s", why)
        return 0
    from aiortc import sdp as aiortc_sdp

    media_by_mid = {m.rtp.muxId: m for m in aiortc_sdp.SessionDescription.parse(remote.sdp).media}
    routed = 0
    for transceiver in pc.getTransceivers():
        media = media_by_mid.get(transceiver.mid) if transceiver.mid is not None else None
        if media is None or not media.ssrc or transceiver.kind not in ("audio", "video"):
            continue
        receiver = transceiver.receiver
        table = getattr(getattr(receiver.transport, "_rtp_router", None), "ssrc_table", None)
        if not isinstance(table, dict):
            logger.warning("cannot route renegotiated SSRCs with this aiortc")
            return routed
        ssrc = media.ssrc[0].ssrc
        if table.get(ssrc) is not receiver:
            table[ssrc] = receiver
            _reset_jitter_buffer(receiver)
            routed += 1
    return routed


def _reset_jitter_buffer(receiver: Any) -> None:
    """Give an aiortc receiver an empty jitter buffer of the same shape."""
    from aiortc.jitterbuffer import JitterBuffer

    old = getattr(receiver, _JITTER_BUFFER, None)
    if not isinstance(old, JitterBuffer):
        logger.warning("cannot reset the jitter buffer of a receiver with this aiortc")
        return
    setattr(
        receiver,
        _JITTER_BUFFER,
        JitterBuffer(
            capacity=old.capacity,
            prefetch=getattr(old, "_prefetch", 0),
            is_video=bool(getattr(old, "_is_video", False)),
        ),
    )
