"""The WebRTC handle: a Janus handle that owns one aiortc ``RTCPeerConnection`` at a time.

See :mod:`janus_webrtc.webrtc` for the life cycle and the ICE configuration default.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from .. import protocol
from ..errors import (
    MediaRejectedError,
    PeerConnectionError,
    ProtocolError,
    StateError,
)
from ..messages import (
    Jsep,
    PluginResponse,
    SlowLink,
)
from ..webrtc_events import ConnectionStateChanged, IceStateChanged
from ..webrtc_sdp import sdp_candidates
from . import _ice, _rtp
from ._channels import DataChannelsMixin
from ._close import CloseMixin
from ._events import JanusEventsMixin
from ._local import Sender
from ._media_in import RemoteMediaMixin
from ._media_out import LocalMediaMixin
from ._offers import attach_to_offer, check_answerable, rejected_media
from ._peer import is_rtc_configuration, open_peer_connection
from ._restart import IceRestartMixin
from ._state import StateMixin

if TYPE_CHECKING:
    from aiortc import MediaStreamTrack, RTCConfiguration, RTCPeerConnection

    from ..session import Session

__all__ = ["WebRTCHandle"]

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())


class _HideSdpSecrets(logging.Filter):
    """On aiortc's peer connection logger: hide the ICE passwords of the SDPs it logs.

    aiortc logs every local and remote description in full at DEBUG, ``a=ice-pwd`` lines
    included. This filter only rewrites those records (their level, handlers and format
    stay the application's), as :func:`janus_webrtc.protocol.redact_text` does for ours.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(
                protocol.redact_text(arg) if isinstance(arg, str) else arg for arg in record.args
            )
        if isinstance(record.msg, str):
            record.msg = protocol.redact_text(record.msg)
        return True


_SDP_FILTER = _HideSdpSecrets()
logging.getLogger("aiortc.rtcpeerconnection").addFilter(_SDP_FILTER)


class WebRTCHandle(
    StateMixin,
    LocalMediaMixin,
    RemoteMediaMixin,
    DataChannelsMixin,
    IceRestartMixin,
    JanusEventsMixin,
    CloseMixin,
):
    """A handle with one aiortc ``RTCPeerConnection``: the base of plugin packages' handles.

    Created by :meth:`Session.attach` like any handle. See :mod:`janus_webrtc.webrtc` for the
    life cycle and the ICE configuration default.

    For subclasses: :meth:`hangup` may be overridden (a plugin's own ``hangup`` request, as in
    VideoCall); :meth:`~janus_webrtc.Handle.janus_hangup` (Janus's core ``hangup``) and
    :meth:`hangup_media` (that, and closing the local peer connection) are final and are what
    the base class itself uses. Everything of one peer connection lives in one private object
    made per call and dropped whole when the call ends.

    Attributes:
        hangup_timeout: Class attribute: seconds :meth:`hangup_media` waits for Janus to
            confirm.
        new_call_grace: Class attribute: seconds between Janus's hangup and the next offer on
            the same handle. Janus 1.1.2 closes the old ICE agent asynchronously and its
            callback releases whichever agent the handle has by then (``src/ice.c``,
            ``janus_ice_cb_agent_closed``): an offer sent right after a hangup can lose its
            new agent and never connect. Waiting this long avoids it.
        media_rejected_error: Class attribute: the exception raised when Janus's answer rejects
            offered media (plugin packages set a subclass of their own error class too).
    """

    hangup_timeout: ClassVar[float] = 2.0
    new_call_grace: ClassVar[float] = 0.2
    media_rejected_error: ClassVar[type[MediaRejectedError]] = MediaRejectedError

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """Check the class settings of a subclass (see ``Handle.__init_subclass__`` too).

        Raises:
            TypeError: ``media_rejected_error`` is not a ``MediaRejectedError`` subclass.
            ValueError: ``hangup_timeout`` or ``new_call_grace`` is not a number of seconds
                (``hangup_timeout`` above 0, ``new_call_grace`` 0 or more).
        """
        super().__init_subclass__(**kwargs)
        rejected: object = cls.media_rejected_error
        if not (isinstance(rejected, type) and issubclass(rejected, MediaRejectedError)):
            raise TypeError(
                f"{cls.__name__}.media_rejected_error must be a MediaRejectedError subclass, "
                f"not {rejected!r}"
            )
        for name, zero_allowed in (("hangup_timeout", False), ("new_call_grace", True)):
            value: object = getattr(cls, name)
            number = isinstance(value, int | float) and not isinstance(value, bool)
            if not number or value < 0 or (value == 0 and not zero_allowed):  # type: ignore[operator]
                raise ValueError(
                    f"{cls.__name__}.{name} must be a number of seconds "
                    f"({'0 or more' if zero_allowed else 'above 0'}), not {value!r}"
                )

    def __init__(
        self, session: Session, handle_id: int, plugin: str, *, opaque_id: str | None = None
    ) -> None:
        super().__init__(session, handle_id, plugin, opaque_id=opaque_id)
        configured = getattr(session.connection, "rtc_configuration", None)
        self._rtc_configuration: RTCConfiguration | None = (
            configured if is_rtc_configuration(configured) else None
        )
        self._last_slowlink: SlowLink | None = None
        self._slowlinks = 0
        self._hangups_expected = 0
        self._janus_hung_up_at: float | None = None
        self._released = False

    # -- negotiation ----------------------------------------------------------------------

    def _ensure_pc(
        self, *, for_answer: bool = False, for_data_channel: bool = False
    ) -> RTCPeerConnection:
        call = self._call
        if call.pc is not None:
            return call.pc
        self._check_attached("create a peer connection")
        max_bundle = for_answer or not for_data_channel or bool(self._local)
        pc = open_peer_connection(
            self._rtc_configuration, max_bundle=max_bundle, what=type(self).__name__
        )
        call.pc = pc
        if not for_answer:
            # Transceivers first: with max-bundle, aiortc bundles on the transport of what
            # was created first, and ignores candidates trickled for the m-lines bundled on
            # it; Janus trickles for the first m-line, which is a transceiver's.
            for local in self._local:
                call.senders[local] = Sender.new(pc, local)

        def on_ice() -> None:
            if self._call is call:
                self._events.publish(IceStateChanged(str(pc.iceConnectionState)))

        def on_state() -> None:
            if self._call is call:
                self._events.publish(ConnectionStateChanged(str(pc.connectionState)))

        def on_track(track: MediaStreamTrack) -> None:
            if self._call is call:
                call.add_remote_track(track, self._events.publish)

        def on_channel(rtc: Any) -> None:
            if self._call is call:
                self._add_channel(call, rtc)

        pc.on("iceconnectionstatechange", on_ice)
        pc.on("connectionstatechange", on_state)
        pc.on("track", on_track)
        pc.on("datachannel", on_channel)
        return pc

    async def _create_offer(self) -> Jsep:
        pc = self._ensure_pc()
        call = self._call
        for local in self._local:
            if local not in call.senders:
                call.senders[local] = Sender.new(pc, local)
        await pc.setLocalDescription(await pc.createOffer())
        return Jsep(type="offer", sdp=pc.localDescription.sdp, trickle=False)

    async def create_offer(self) -> Jsep:
        """Create an offer from the current tracks and channels, gathered (a complete SDP).

        For plugins whose offer travels in a request of their own shape; apply Janus's answer
        with :meth:`apply_answer`. Prefer :meth:`negotiate_offer`.
        """
        self._check_attached("create an offer")
        return await self._create_offer()

    async def apply_answer(self, answer: Jsep) -> None:
        """Apply Janus's answer to the offer made by :meth:`create_offer`.

        Raises:
            MediaRejectedError: Janus rejected offered media (the call is undone).
            ProtocolError: The JSEP is not an answer or cannot be applied.
        """
        if answer.type != "answer":
            raise ProtocolError(f"expected an answer from Janus, got an {answer.type!r}")
        pc = self._pc
        if pc is None or pc.signalingState != "have-local-offer":
            raise StateError(f"cannot apply an answer: handle {self.id} made no offer")
        rejected = rejected_media(answer.sdp)
        if rejected:
            await self._undo_call()
            kinds = ", ".join(f"{s.kind} (mid {s.mid})" for s in rejected)
            raise self.media_rejected_error(
                f"{self.plugin} rejected offered media: {kinds}",
                plugin=self.plugin,
                rejected=rejected,
            )
        try:
            await self._set_remote(pc, answer)
        except MediaRejectedError:
            await self._undo_call()
            raise

    async def answer(self, offer: Jsep) -> Jsep:
        """Apply an offer from Janus and return the answer to send back (complete SDP).

        For plugins where Janus offers (VideoRoom subscriber, TextRoom, VideoCall callee) or
        renegotiates (VideoCall update); send the result with the plugin's request, or use
        :meth:`accept_offer` to do both.

        Local tracks not sent yet go on m-lines of their kind that the offer creates (aiortc
        cannot answer with a transceiver of its own).

        Raises:
            ProtocolError: The JSEP is not an offer or cannot be applied.
            UnanswerableOfferError: The offer has no free m-line for a local track not sent
                yet (checked before anything is applied).
        """
        self._check_attached("answer an offer")
        if offer.type != "offer":
            raise ProtocolError(f"expected an offer from Janus, got an {offer.type!r}")
        self._check_answerable(offer)
        await self._after_hangup_grace()
        pc = self._ensure_pc(for_answer=True)
        await self._set_remote(pc, offer)
        attach_to_offer(self._call, self._local)
        await pc.setLocalDescription(await pc.createAnswer())
        await self._start_sinks()
        return Jsep(type="answer", sdp=pc.localDescription.sdp, trickle=False)

    def _check_answerable(self, offer: Jsep, extra: tuple[MediaStreamTrack, ...] = ()) -> None:
        """Raise if ``offer`` lacks an m-line for a local track not sent yet (or ``extra``).

        Protected: plugin handles may call it to check tracks before adding them.

        Raises:
            UnanswerableOfferError: The offer has too few m-lines of a kind.
        """
        check_answerable(
            self._call, self._local, offer.sdp, plugin=self.plugin, handle_id=self.id, extra=extra
        )

    async def negotiate_offer(
        self, body: Mapping[str, Any], *, timeout: float | None = None
    ) -> PluginResponse:
        """Offer the current media to the plugin with ``body`` and apply its answer.

        Creates the peer connection on first use, gathers (aiortc sends a complete SDP),
        sends ``body`` with the offer, waits for the plugin's answer and applies it. Used for
        the first negotiation and for renegotiations alike.

        Args:
            body: The plugin request carrying the offer.
            timeout: Seconds to wait for the plugin's answer.

        Returns:
            The plugin's response (its ``jsep`` is the applied answer).

        Raises:
            PluginError: The plugin refused (as the handle's ``error_class``); a first
                negotiation is undone.
            MediaRejectedError: The plugin rejected offered media.
            ProtocolError: The plugin answered without a JSEP answer.
        """
        self._check_attached("negotiate")
        pc = self._pc
        if not self._local and (pc is None or (not pc.getTransceivers() and pc.sctp is None)):
            raise StateError(
                f"cannot negotiate: handle {self.id} has no track, receiver or data channel "
                "to offer (add_track, add_receiver or create_data_channel first)"
            )
        async with self._negotiation_lock:
            current = self._pc
            first = current is None or current.remoteDescription is None
            await self._after_hangup_grace()
            offer = await self._create_offer()
            try:
                response = await self.send(body, jsep=offer, timeout=timeout)
            except BaseException:
                if first:
                    await self._undo_call(tell_janus=False)
                raise
            if response.jsep is None:
                if first:
                    await self._undo_call()
                raise ProtocolError(f"{self.plugin} answered the offer without a JSEP")
            await self.apply_answer(response.jsep)
            return response

    async def accept_offer(
        self, offer: Jsep, body: Mapping[str, Any], *, timeout: float | None = None
    ) -> PluginResponse:
        """Answer an offer from Janus and send the answer with ``body``.

        Args:
            offer: Janus's offer (from a plugin event or response).
            body: The plugin request that carries the answer (such as ``{"request": "start"}``).
            timeout: Seconds to wait for the plugin's response.

        Returns:
            The plugin's response.
        """
        async with self._negotiation_lock:
            answer = await self.answer(offer)
            return await self.send(body, jsep=answer, timeout=timeout)

    async def restart_media(
        self, body: Mapping[str, Any], *, timeout: float | None = None
    ) -> PluginResponse:
        """Replace the media path: hang up the media, then negotiate a new peer connection.

        The way to recover from a failed connection, where an ICE restart cannot help (same
        local tracks; data channels must be created again). It uses :meth:`hangup_media`
        (Janus's core ``hangup``), never a subclass's :meth:`hangup`, which may mean more to
        its plugin. Plugins where hanging up ends more than the media (VideoCall) override
        this.
        """
        await self.hangup_media(reason="media restart", timeout=timeout)
        return await self.negotiate_offer(body, timeout=timeout)

    async def _after_hangup_grace(self) -> None:
        """Before a new peer connection, let Janus finish closing the last one."""
        if self._pc is not None or self._janus_hung_up_at is None:
            return
        delay = self._janus_hung_up_at + self.new_call_grace - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)

    async def _set_remote(self, pc: RTCPeerConnection, jsep: Jsep) -> None:
        from aiortc import RTCSessionDescription
        from aiortc.exceptions import OperationError

        call = self._call
        for candidate in sdp_candidates(jsep.sdp):
            call.note_candidate(candidate)
        renegotiation = pc.remoteDescription is not None
        restarted = renegotiation and _ice.update_remote_credentials(pc, jsep.sdp)
        try:
            await pc.setRemoteDescription(RTCSessionDescription(sdp=jsep.sdp, type=jsep.type))
        except OperationError as exc:
            # aiortc finds nothing it can use in an m-line, such as the inactive m-line
            # without codecs Janus answers for a codec a VideoRoom room does not allow.
            if jsep.type == "answer":
                raise self.media_rejected_error(
                    f"{self.plugin} rejected offered media: its answer cannot be applied ({exc})",
                    plugin=self.plugin,
                    rejected=rejected_media(jsep.sdp, unusable=True),
                ) from exc
            raise PeerConnectionError(f"cannot apply Janus's offer: {exc}") from exc
        except (ValueError, RuntimeError) as exc:  # aiortc's errors on a bad description
            raise ProtocolError(f"cannot apply Janus's {jsep.type}: {exc}") from exc
        if restarted:
            logger.debug("handle %d: Janus restarted ICE; new credentials applied", self.id)
        if renegotiation and _rtp.route_new_ssrcs(pc):
            # An m-line Janus reused got a new SSRC that aiortc would not route.
            logger.debug("handle %d: new SSRCs of reused m-lines routed", self.id)
        call.remote_description_set = True
        pending, call.pending_candidates = call.pending_candidates, []
        for pending_candidate in pending:
            await self._add_candidate(pc, pending_candidate)
        if jsep.type == "answer":
            await self._start_sinks()

    async def _start_sinks(self) -> None:
        for entry in self._call.sinks:
            await entry.start()
