"""Janus's events on a WebRTC handle: trickled candidates, state, slow links, hangups."""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING

from ..messages import Candidate, Event, HangUp, MediaState, SlowLink, Trickle, WebRTCUp
from ._base import WebRTCBase
from ._offers import to_rtc_candidate

if TYPE_CHECKING:
    from aiortc import RTCPeerConnection

__all__ = ["JanusEventsMixin"]

# The name it had before the split into mixins, so log filters keep working.
logger = logging.getLogger("janus_webrtc.webrtc.handle")


class JanusEventsMixin(WebRTCBase):
    """What Janus's events change in the call, and Janus's trickled candidates."""

    def _event_received(self, event: Event) -> None:
        call = self._call
        if isinstance(event, Trickle):
            self._on_trickle(event)
        elif isinstance(event, WebRTCUp):
            call.webrtc_up = True
        elif isinstance(event, MediaState):
            call.media[(event.kind, event.mid)] = event.receiving
        elif isinstance(event, SlowLink):
            self._slowlinks += 1
            self._last_slowlink = event
        elif isinstance(event, HangUp):
            self._janus_hung_up_at = time.monotonic()
            if call.pc is not None:
                call.janus_hung_up = True
            if self._hangups_expected > 0:
                self._hangups_expected -= 1
            elif call.pc is not None:
                self._spawn(self._close_pc(f"Janus hung up ({event.reason})", only=call.pc))

    def _on_trickle(self, event: Trickle) -> None:
        call = self._call
        candidate = event.candidate
        if candidate is not None:
            call.note_candidate(candidate.candidate)
        pc = call.pc
        if pc is not None and call.remote_description_set:
            self._spawn(self._add_candidate(pc, candidate))
        else:
            # Kept until the remote description is set (the peer connection may not even
            # exist yet when Janus offers and trickles at once).
            call.pending_candidates.append(candidate)

    async def _add_candidate(self, pc: RTCPeerConnection, candidate: Candidate | None) -> None:
        if pc is not self._pc:
            return
        if candidate is None:
            await pc.addIceCandidate(None)
            return
        try:
            rtc = to_rtc_candidate(candidate)
        except ValueError:
            logger.warning("handle %d: unreadable candidate from Janus ignored", self.id)
            return
        await pc.addIceCandidate(rtc)
