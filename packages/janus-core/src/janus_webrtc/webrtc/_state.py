"""State of a WebRTC handle's call: what it reports, what it waits for, its statistics."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import PeerConnectionError, StateError
from ..messages import MediaState, SlowLink, WebRTCUp
from ..webrtc_events import ConnectionStateChanged, WebRTCStats
from . import _stats
from ._base import WebRTCBase

if TYPE_CHECKING:
    from aiortc import RTCConfiguration, RTCPeerConnection

__all__ = ["StateMixin"]


class StateMixin(WebRTCBase):
    """Configuration, connection state, waiting for media and statistics of the call."""

    @property
    def rtc_configuration(self) -> RTCConfiguration | None:
        """The configuration of the next peer connection, as given.

        ``None`` is aiortc's default, which uses Google's public STUN server. Either way the
        peer connection uses ``RTCBundlePolicy.MAX_BUNDLE`` (Janus bundles every m-line) unless
        the configuration asks for ``MAX_COMPAT``, or a data channel is created before any
        local track (aiortc's max-bundle cannot connect that one).
        """
        return self._rtc_configuration

    def configure_rtc(self, configuration: RTCConfiguration | None) -> None:
        """Set the ``RTCConfiguration`` (ICE servers) of this handle's peer connections.

        Takes effect for the next peer connection; call it before the first negotiation.

        Args:
            configuration: The configuration; ``RTCConfiguration(iceServers=[])`` gathers host
                candidates only. ``None`` is aiortc's default (a public STUN server).

        Raises:
            StateError: A peer connection already exists.
        """
        if self._pc is not None:
            raise StateError(
                f"cannot configure RTC: handle {self.id} already has a peer connection "
                "(hang up first)"
            )
        self._rtc_configuration = configuration

    @property
    def peer_connection(self) -> RTCPeerConnection | None:
        """The current aiortc peer connection, if any (for what this class does not expose)."""
        return self._pc

    @property
    def ice_state(self) -> str:
        """The ICE connection state (``"new"`` when there is no peer connection)."""
        pc = self._pc
        return "new" if pc is None else str(pc.iceConnectionState)

    @property
    def connection_state(self) -> str:
        """The peer connection state (``"new"`` when there is no peer connection)."""
        pc = self._pc
        return "new" if pc is None else str(pc.connectionState)

    @property
    def dtls_state(self) -> str:
        """The DTLS state of the (bundled) transport.

        ``new``, ``connecting``, ``connected``, ``closed`` or ``failed``; ``"new"`` when there
        is no peer connection.
        """
        pc = self._pc
        if pc is None:
            return "new"
        for transceiver in pc.getTransceivers():
            return str(transceiver.receiver.transport.state)
        sctp = pc.sctp
        return "new" if sctp is None else str(sctp.transport.state)

    @property
    def signaling_state(self) -> str:
        """The signaling state (``"stable"`` when there is no peer connection)."""
        pc = self._pc
        return "stable" if pc is None else str(pc.signalingState)

    @property
    def webrtc_up(self) -> bool:
        """Whether Janus said ``webrtcup`` for the current peer connection."""
        return self._call.webrtc_up and not self._call.janus_hung_up

    @property
    def slow_links(self) -> int:
        """How many ``slowlink`` events Janus sent for this handle."""
        return self._slowlinks

    @property
    def last_slow_link(self) -> SlowLink | None:
        """The last ``slowlink`` event, if any."""
        return self._last_slowlink

    @property
    def remote_candidates(self) -> tuple[str, ...]:
        """Janus's ICE candidates for the current peer connection (from SDP and trickle)."""
        return tuple(self._call.remote_candidates)

    @property
    def remote_candidate_addresses(self) -> frozenset[str]:
        """The addresses of :attr:`remote_candidates`."""
        return self._call.remote_addresses

    def media_receiving(self, kind: str | None = None, mid: str | None = None) -> bool | None:
        """Whether Janus reported receiving media (of ``kind`` and/or ``mid``).

        Returns:
            True if any matching stream is being received, False if all matching streams were
            reported stopped, None if Janus reported nothing yet.
        """
        return self._call.receiving(kind, mid)

    async def wait_media(
        self,
        kind: str | None = None,
        *,
        mid: str | None = None,
        receiving: bool = True,
        timeout: float | None = None,
    ) -> None:
        """Wait until Janus reports receiving (or not receiving) a medium.

        Args:
            kind: ``"audio"`` or ``"video"`` (any when None).
            mid: A media id (any when None).
            receiving: The state to wait for.
            timeout: Seconds (default: the connection's timeout).

        Raises:
            JanusTimeoutError: Not in that state in time.
        """
        waiter = self.wait_for(
            MediaState,
            predicate=lambda e: (
                kind in (None, e.kind) and mid in (None, e.mid) and e.receiving is receiving
            ),
            timeout=timeout,
        )
        if self.media_receiving(kind, mid) is receiving:
            waiter.cancel()
            return
        await waiter

    async def wait_connected(self, *, timeout: float | None = None) -> None:
        """Wait until the local peer connection is connected (ICE and DTLS done).

        Raises:
            StateError: There is no peer connection.
            PeerConnectionError: It failed or closed instead.
            JanusTimeoutError: Not connected in time.
        """
        waiter = self.wait_for(
            ConnectionStateChanged,
            predicate=lambda e: e.state in ("connected", "failed", "closed"),
            timeout=timeout,
        )
        state = self.connection_state if self._pc is not None else None
        if state is None:
            waiter.cancel()
            raise StateError(f"cannot wait for a connection: handle {self.id} has no media")
        if state != "connected":
            state = (await waiter).state
        else:
            waiter.cancel()
        if state != "connected":
            raise PeerConnectionError(f"the peer connection of handle {self.id} is {state}")

    async def wait_webrtc_up(self, *, timeout: float | None = None) -> None:
        """Wait until Janus reports ``webrtcup`` for the current peer connection.

        Raises:
            JanusTimeoutError: Not in time.
        """
        waiter = self.wait_for(WebRTCUp, timeout=timeout)
        if self.webrtc_up:
            waiter.cancel()
            return
        await waiter

    async def stats(self) -> WebRTCStats:
        """Take a snapshot of RTP/RTCP statistics of the current peer connection.

        Raises:
            StateError: There is no peer connection.
        """
        pc = self._pc
        if pc is None:
            raise StateError(f"cannot read statistics: handle {self.id} has no media")
        return await _stats.collect(
            pc, ice_state=self.ice_state, connection_state=self.connection_state
        )
