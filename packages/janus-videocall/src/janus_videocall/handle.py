"""The VideoCall handle: Janus's VideoCall plugin API with aiortc media.

One method per request of the plugin (Janus 1.1.2, ``src/plugins/janus_videocall.c``):
:meth:`~VideoCallHandle.list`, :meth:`~VideoCallHandle.register`,
:meth:`~VideoCallHandle.call`, :meth:`~VideoCallHandle.accept`, :meth:`~VideoCallHandle.set`
(and :meth:`~VideoCallHandle.renegotiate`, a ``set`` with a new offer) and
:meth:`~VideoCallHandle.hangup`. What arrives on its own is handled by the handle: an incoming
call's offer is kept for :meth:`~VideoCallHandle.accept`, the callee's answer is applied when
the call is accepted, and a renegotiation by the other side (``update``) is answered.

A call between two handles, on one session or on two servers' worth of clients::

    alice = await session.attach("videocall")
    bob = await other_session.attach("videocall")
    for handle in (alice, bob):
        handle.configure_rtc(RTCConfiguration(iceServers=[]))
        handle.record_to(FrameCounter())
    await alice.register("alice")
    await bob.register("bob")

    await alice.call("bob", ToneAudioTrack(), TestPatternVideoTrack())
    incoming = await bob.wait_incoming_call()           # IncomingCall(username="alice")
    await bob.accept(ToneAudioTrack(), TestPatternVideoTrack())
    await alice.wait_accepted()                         # the answer is applied
    ...
    await alice.hangup()                                # both peer connections close
    await bob.wait_hangup()
"""

from __future__ import annotations

import asyncio
import enum
import logging
from collections.abc import Coroutine, Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from janus_webrtc import (
    ConnectionStateChanged,
    Event,
    HangUp,
    JanusError,
    JanusTimeoutError,
    Jsep,
    MediaRejectedError,
    PluginError,
    PluginEvent,
    PluginResponse,
    RecordingHandle,
    RecordingRefusedError,
    StateError,
    WebRTCHandle,
)
from janus_webrtc.plugin_kit import expect, request_body
from janus_webrtc.recordings import Recordings, negotiated_media

from .errors import (
    CallEndedError,
    VideoCallError,
    VideoCallMediaRejectedError,
    VideoCallRecordingRefusedError,
)
from .messages import (
    Accepted,
    Calling,
    HungUp,
    IncomingCall,
    Registered,
    SetResult,
    Updated,
    parse_event,
    parse_list,
    parse_result,
)

if TYPE_CHECKING:
    from aiortc import MediaStreamTrack

    from janus_webrtc import Session

__all__ = ["CallState", "VideoCallHandle"]

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())


MEDIA_HANGUP_REASON = "Remote WebRTC hangup"
"""The reason the plugin gives when a call ends because a peer connection went away."""


class CallState(enum.Enum):
    """Where a :class:`VideoCallHandle` is in a call."""

    IDLE = "idle"
    """No call: ready to call or to be called."""
    CALLING = "calling"
    """This handle called; the callee has not accepted yet."""
    RINGING = "ringing"
    """Someone calls this handle; :meth:`VideoCallHandle.accept` or ``hangup`` it."""
    IN_CALL = "in_call"
    """The call is accepted and the answer applied."""


class VideoCallHandle(WebRTCHandle, RecordingHandle):
    """A handle on Janus's VideoCall plugin: one-to-one calls relayed by Janus.

    Get one with ``await session.attach("videocall")``. Register a name, then either
    :meth:`call` someone or wait for a call (:meth:`wait_incoming_call`) and :meth:`accept`
    it. Media is that of :class:`~janus_webrtc.WebRTCHandle`: add local tracks (to
    :meth:`call`/:meth:`accept`, or with ``add_track``), and read remote ones with
    ``record_to``, ``remote_tracks`` or ``blackhole``. Local tracks survive a hangup, ready
    for the next call on the same handle.

    Usernames are global in the plugin and reserved until the handle detaches; there is no
    way to unregister.

    Plugin errors raise :class:`~janus_videocall.errors.VideoCallError` (a subclass per
    error code); a call that ends before it is up raises
    :class:`~janus_videocall.errors.CallEndedError`.

    Recordings: Janus answers ``set`` with ``record`` even when it cannot open the files (it
    only logs). With a :attr:`~janus_webrtc.RecordingHandle.recording_check`, :meth:`set` and
    :meth:`renegotiate` with ``record=True`` check that Janus opened a file for each medium of
    the call, raising :class:`~janus_videocall.errors.VideoCallRecordingRefusedError` if not.
    """

    plugin_id: ClassVar[str] = "janus.plugin.videocall"
    error_class: ClassVar[type[PluginError]] = VideoCallError
    media_rejected_error: ClassVar[type[MediaRejectedError]] = VideoCallMediaRejectedError
    recording_refused_error: ClassVar[type[RecordingRefusedError]] = VideoCallRecordingRefusedError
    local_recording_files: ClassVar[bool] = True
    hangup_reason_grace: ClassVar[float] = 0.2
    """Seconds a ``"Remote WebRTC hangup"`` waits for the hangup that says why.

    When one side hangs up, Janus sends the other side the reason given *and* a
    ``"Remote WebRTC hangup"``, in either order; the call ends with the first, unless it is
    the latter, which waits this long for the former.
    """

    def __init__(
        self, session: Session, handle_id: int, plugin: str, *, opaque_id: str | None = None
    ) -> None:
        super().__init__(session, handle_id, plugin, opaque_id=opaque_id)
        self._username: str | None = None
        self._peer: str | None = None
        self._call_state = CallState.IDLE
        self._incoming: IncomingCall | None = None
        self._accepted: asyncio.Future[Accepted] | None = None
        self._last_hangup: HungUp | None = None
        self._call_hangup_pending = False  # the first hangup of the current call is to come
        self._call_serial = 0
        self._call_over = asyncio.Event()
        self._call_over.set()
        # Janus has a PeerConnection for this handle, whose ``hangup`` has not come yet.
        self._janus_media = False
        self._media_released = asyncio.Event()
        self._media_released.set()
        # Janus hung up and the local peer connection is closing.
        self._local_closed = asyncio.Event()
        self._local_closed.set()
        self._call_tasks: set[asyncio.Task[Any]] = set()
        self.on(self._on_connection_state, ConnectionStateChanged)

    # -- state ----------------------------------------------------------------------------

    @property
    def username(self) -> str | None:
        """The name this handle registered, if any."""
        return self._username

    @property
    def peer(self) -> str | None:
        """The other side of the current call (or of the call being made or offered)."""
        return self._peer

    @property
    def call_state(self) -> CallState:
        """Where the handle is in a call."""
        return self._call_state

    @property
    def incoming_call(self) -> IncomingCall | None:
        """The incoming call waiting for :meth:`accept` or :meth:`hangup`, if any."""
        return self._incoming

    @property
    def last_hangup(self) -> HungUp | None:
        """How the last call ended: the first ``hangup`` the plugin sent or answered for it.

        The plugin often sends a second one (``"Remote WebRTC hangup"``) when the media goes
        away; the first one says who ended the call and why. ``None`` until a call ends.
        """
        return self._last_hangup

    # -- requests -------------------------------------------------------------------------

    async def register(self, username: str, *, timeout: float | None = None) -> Registered:
        """Register a name to call and be called with (``register``).

        Args:
            username: The name; first come, first served across the whole server.
            timeout: Seconds to wait for the plugin.

        Returns:
            The plugin's confirmation.

        Raises:
            UsernameTakenError: Another handle registered that name.
            AlreadyRegisteredError: This handle registered a name already.
        """
        response = await self.send(request_body("register", username=username), timeout=timeout)
        result = expect(parse_result(response), Registered, "register")
        self._username = result.username or username
        return result

    async def call(
        self, username: str, *tracks: MediaStreamTrack, timeout: float | None = None
    ) -> Calling:
        """Call a registered name (``call`` with an offer of the local media).

        Returns once the plugin relayed the offer; :meth:`wait_accepted` waits for the callee
        to accept. The callee's answer is applied by the handle when it comes.

        Args:
            username: Whom to call.
            *tracks: Local tracks to add first (audio and/or video), as ``add_track`` would;
                tracks added before are sent too.
            timeout: Seconds to wait for the plugin.

        Returns:
            The plugin's confirmation that the callee's phone rings.

        Raises:
            CallEndedError: The callee is in another call (reason ``"User busy"``).
            NoSuchUsernameError: Nobody registered that name.
            RegisterFirstError: This handle registered no name.
            CallYourselfError: ``username`` is this handle's own name.
            StateError: This handle is in a call, or detached.
        """
        self._check_attached("call")
        if self._call_state is not CallState.IDLE:
            raise StateError(
                f"cannot call {username!r}: handle {self.id} is {self._call_state.value}"
                + (f" with {self._peer!r}" if self._peer else "")
            )
        await self._release_media()
        for track in tracks:
            self.add_track(track)
        self._begin_call(CallState.CALLING, username)
        try:
            offer = await self.create_offer()
            self._expect_media()
            response = await self.send(
                request_body("call", username=username), jsep=offer, timeout=timeout
            )
            result = parse_result(response)
            if isinstance(result, HungUp):  # the plugin answers "busy" with a hangup
                self._record_hangup(result)
                raise CallEndedError(result.reason, username=result.username, plugin=self.plugin)
            calling = expect(result, Calling, "call")
        except BaseException as exc:
            self._end_call(exc if isinstance(exc, Exception) else None)
            await asyncio.shield(self._release_media())
            raise
        return calling

    async def wait_accepted(self, *, timeout: float | None = None) -> Accepted:
        """Wait until the callee accepts the call made with :meth:`call`.

        Returns once the callee's answer is applied (media then starts to flow; use
        ``wait_connected`` to wait for the peer connection).

        Args:
            timeout: Seconds to wait (default: the connection's ``timeout``).

        Returns:
            The ``accepted`` event, with the callee's name and answer.

        Raises:
            CallEndedError: The call ended first (declined, busy, hung up); ``reason`` says why.
            VideoCallMediaRejectedError: The answer rejected the offered media.
            JanusTimeoutError: Not accepted in time (the call is still ringing).
            StateError: This handle made no call.
        """
        future = self._accepted
        if future is None:
            raise StateError(f"cannot wait for an answer: handle {self.id} made no call")
        limit = self._limit(timeout)
        try:
            async with asyncio.timeout(limit):
                return await asyncio.shield(future)
        except TimeoutError:
            raise JanusTimeoutError(
                f"{self._peer!r} did not accept the call of handle {self.id} within {limit} s"
            ) from None

    async def wait_incoming_call(self, *, timeout: float | None = None) -> IncomingCall:
        """Return the incoming call waiting to be accepted, or wait for the next one.

        Args:
            timeout: Seconds to wait (default: the connection's ``timeout``).

        Raises:
            JanusTimeoutError: Nobody called in time.
        """
        waiter = self.wait_for(IncomingCall, timeout=timeout)
        if self._incoming is not None:
            waiter.cancel()
            return self._incoming
        return await waiter

    async def accept(self, *tracks: MediaStreamTrack, timeout: float | None = None) -> Accepted:
        """Accept the incoming call (``accept`` with the answer to the caller's offer).

        Args:
            *tracks: Local tracks to add first and send back, as ``add_track`` would.
            timeout: Seconds to wait for the plugin.

        Returns:
            The plugin's confirmation. The caller gets an ``accepted`` event.

        Raises:
            NoCallError: There is no call to accept (nobody called, or the caller hung up).
                Without a kept offer the request is sent as is, so the plugin says so.
            UnanswerableOfferError: A local track (added before or given here) is of a kind
                the caller did not offer (such as audio for a video-only call); also a
                ``ValueError``. Nothing was added; the call still rings.
        """
        self._check_attached("accept a call")
        incoming = self._incoming
        if incoming is None or incoming.jsep is None:
            for track in tracks:
                self.add_track(track)
            response = await self.send(request_body("accept"), timeout=timeout)
            return expect(parse_result(response), Accepted, "accept")
        self._check_answerable(incoming.jsep, tracks)  # before adding: the call still rings
        for track in tracks:
            self.add_track(track)
        await self._wait_local_closed()
        self._incoming = None
        try:
            response = await self.accept_offer(
                incoming.jsep, request_body("accept"), timeout=timeout
            )
        except BaseException:
            if self._call_state is CallState.RINGING:
                self._end_call(None)
            await asyncio.shield(self._release_media())
            raise
        if self._call_state is CallState.RINGING:
            self._call_state = CallState.IN_CALL
        return expect(parse_result(response), Accepted, "accept")

    async def set(
        self,
        *,
        audio: bool | None = None,
        video: bool | None = None,
        bitrate: int | None = None,
        record: bool | None = None,
        filename: str | None = None,
        substream: int | None = None,
        temporal: int | None = None,
        fallback: int | None = None,
        timeout: float | None = None,
    ) -> SetResult:
        """Change the settings of this side of the call (``set``), without renegotiating.

        Options left at ``None`` are not sent.

        Args:
            audio: Relay this side's audio to the other side (False mutes it there).
            video: Relay this side's video to the other side.
            bitrate: Cap the video bitrate this side is told to send (REMB, bits/s; 0: none).
            record: Record this side's media on the server (``.mjr`` files); only this side:
                record the other side from its own handle. Checked with the handle's
                ``recording_check`` if it has one (only media of a call are recorded).
            filename: Base path of the recordings on the Janus host (``-audio.mjr``,
                ``-video.mjr``, ``-data.mjr`` are added; relative: to Janus's working folder).
            substream: Simulcast substream to receive from the other side (0-2).
            temporal: Simulcast temporal layer to receive from the other side (0-2).
            fallback: Microseconds without the wanted substream before falling back.
            timeout: Seconds to wait for the plugin.

        Returns:
            The plugin's confirmation.

        Raises:
            ValueError: No option given; or ``record`` with a local files check, and no
                absolute ``filename``.
            InvalidElementError: An option is out of range (such as ``substream=3``).
            VideoCallRecordingRefusedError: ``record`` and a ``recording_check``: Janus
                opened no recording for some medium (``refused``); it was stopped again.
        """
        body = request_body(
            "set",
            audio=audio,
            video=video,
            bitrate=bitrate,
            record=record,
            filename=filename,
            substream=substream,
            temporal=temporal,
            fallback=fallback,
        )
        if len(body) == 1:
            raise ValueError("set() needs at least one option (renegotiate() sends an offer)")
        if record:
            self._local_recording_path(filename)
        result = expect(parse_result(await self.send(body, timeout=timeout)), SetResult, "set")
        if record:
            await self._check_recording(filename, timeout=timeout)
        return result

    async def renegotiate(
        self,
        *,
        audio: bool | None = None,
        video: bool | None = None,
        bitrate: int | None = None,
        record: bool | None = None,
        filename: str | None = None,
        timeout: float | None = None,
    ) -> Updated:
        """Renegotiate the call: a ``set`` with a new offer of the local media.

        Use it after ``add_track``, ``remove_track`` or ``set_direction``. The other side gets
        an ``update`` with the offer (a :class:`VideoCallHandle` answers it by itself); its
        answer comes back as an ``update`` too, and is applied before this returns.

        Args:
            audio: As for :meth:`set`, sent with the offer.
            video: As for :meth:`set`.
            bitrate: As for :meth:`set`.
            record: As for :meth:`set`.
            filename: As for :meth:`set`.
            timeout: Seconds to wait for the plugin, then for the other side's answer.

        Returns:
            The ``update`` event carrying the other side's answer.

        Raises:
            StateError: There is no call up.
            JanusTimeoutError: The other side did not answer in time.
            VideoCallRecordingRefusedError: As for :meth:`set`.
        """
        self._check_in_call("renegotiate")
        if record:
            self._local_recording_path(filename)
        body = request_body(
            "set", audio=audio, video=video, bitrate=bitrate, record=record, filename=filename
        )
        updated = await self._renegotiate(body, timeout)
        if record:
            await self._check_recording(filename, timeout=timeout)
        return updated

    def parse_recordings(self, plugin_specific: Mapping[str, Any]) -> Recordings:
        """Read the ``recording`` object of the VideoCall's ``handle_info``: file by medium."""
        recording = plugin_specific.get("recording")
        if not isinstance(recording, Mapping):
            return Recordings()
        return Recordings(
            files={medium: name for medium, name in recording.items() if isinstance(name, str)}
        )

    async def _check_recording(self, filename: str | None, *, timeout: float | None) -> None:
        """Raise if Janus opened no recording of a medium of the call (with a recording check).

        Janus 1.1.2 opens the files before it answers ``set`` (janus_videocall.c), for the
        media of this side's description; without a call it records nothing.
        """
        if self.recording_check is None:
            return
        pc = self.peer_connection
        local = pc.localDescription if pc is not None else None
        remote = pc.remoteDescription if pc is not None else None
        media = negotiated_media(
            local.sdp if local is not None else None, remote.sdp if remote is not None else None
        )
        if not media:
            return
        paths = self._local_recording_files(filename, media)
        await self._verify_recording(
            media,
            filename=filename,
            undo={"request": "set", "record": False},
            paths=paths,
            timeout=timeout,
        )

    def _check_in_call(self, action: str) -> None:
        self._check_attached(action)
        if self._call_state is not CallState.IN_CALL:
            raise StateError(
                f"cannot {action}: handle {self.id} is {self._call_state.value}, not in a call"
            )

    async def _renegotiate(self, body: Mapping[str, Any], timeout: float | None) -> Updated:
        """Send ``body`` (a ``set``) with a new offer; apply the other side's answer."""
        answered = self.wait_for(
            Updated,
            predicate=lambda e: e.jsep is not None and e.jsep.type == "answer",
            timeout=timeout,
        )
        try:
            offer = await self.create_offer()
            await self.send(body, jsep=offer, timeout=timeout)
            update = await answered
        except BaseException:
            answered.cancel()
            raise
        assert update.jsep is not None  # the predicate checked it
        await self.apply_answer(update.jsep)
        return update

    async def hangup(self, *, reason: str | None = None, timeout: float | None = None) -> None:
        """End the call, decline an incoming call, or cancel a call that rings (``hangup``).

        Both sides get a ``hangup`` event (the other side with ``reason``), and Janus closes
        both peer connections; this returns once this side's is closed. Local tracks stay,
        ready for the next call. Hanging up with no call is harmless.

        Args:
            reason: Why, for the other side (the plugin's default: ``"We did the hangup"``).
            timeout: Seconds to wait for the plugin.
        """
        self._check_attached("hang up")
        try:
            response = await self.send(request_body("hangup", reason=reason), timeout=timeout)
            result = parse_result(response)
            if isinstance(result, HungUp):
                self._record_hangup(result)
        finally:
            self._end_call(None)
            await asyncio.shield(self._release_media())

    async def wait_hangup(self, *, timeout: float | None = None) -> HungUp | None:
        """Wait until the call ends, and its media is released on this side.

        Returns at once when there is no call.

        Args:
            timeout: Seconds to wait (default: the connection's ``timeout``).

        Returns:
            How the call ended (:attr:`last_hangup`): who ended it and why; ``None`` if no call
            ever ended on this handle.

        Raises:
            JanusTimeoutError: The call is still up.
        """
        limit = self._limit(timeout)
        try:
            async with asyncio.timeout(limit):
                await self._call_over.wait()
        except TimeoutError:
            raise JanusTimeoutError(
                f"the call of handle {self.id} with {self._peer!r} did not end within {limit} s"
            ) from None
        await self._release_media()
        return self._last_hangup

    async def list(self, *, timeout: float | None = None) -> tuple[str, ...]:
        """Return the names registered in the plugin (``list``), this handle's included.

        Args:
            timeout: Seconds to wait for the plugin.
        """
        return parse_list(await self.send(request_body("list"), timeout=timeout))

    async def restart_media(
        self, body: Mapping[str, Any] | None = None, *, timeout: float | None = None
    ) -> PluginResponse:
        """Restart the call's media path without ending the call: an ICE restart over ``set``.

        Hanging up the media would end a VideoCall call (the plugin then hangs up both
        sides), so the base class's hang-up-and-offer-again cannot be used. Instead this side
        takes new ICE credentials, sends them in a ``set`` with a new offer (Janus restarts
        its ICE agent for this side), applies the answer the other side sends back (its
        handle answers by itself), and nominates the pair in use again. Local tracks, the
        other side and the call stay.

        Args:
            body: More ``set`` options sent with the offer (such as ``{"bitrate": 128000}``).
            timeout: Seconds to wait for the plugin, then for the other side's answer.

        Returns:
            The other side's answer, as the plugin relayed it (an ``update``).

        Raises:
            StateError: There is no call up.
            PeerConnectionError: The restart failed.
            JanusTimeoutError: The other side did not answer in time.
        """
        self._check_in_call("restart the media")
        async with self._negotiation_lock:
            pc = self._prepare_ice_restart()
            update = await self._renegotiate({**(body or {}), "request": "set"}, timeout)
            await self._finish_ice_restart(pc)
        return PluginResponse(plugin=update.plugin, data=update.data, jsep=update.jsep)

    # -- events ---------------------------------------------------------------------------

    def parse_plugin_event(self, event: PluginEvent) -> Event:
        """Turn the plugin's events into typed ones (see :mod:`janus_videocall.messages`)."""
        return parse_event(event)

    def _event_received(self, event: Event) -> None:
        had_pc = self.peer_connection is not None
        super()._event_received(event)
        if isinstance(event, HangUp):
            # Janus closed its PeerConnection; the base class closes the local one.
            self._janus_media = False
            self._media_released.set()
            if had_pc:
                self._local_closed.clear()
        elif isinstance(event, IncomingCall):
            self._incoming = event
            self._begin_call(CallState.RINGING, event.username or None)
            if event.jsep is not None:
                self._expect_media()
        elif isinstance(event, Accepted):
            if event.jsep is not None and event.jsep.type == "answer":
                self._spawn_call_task(self._apply_accepted(event, event.jsep))
        elif isinstance(event, Updated):
            if event.jsep is not None and event.jsep.type == "offer":
                self._spawn_call_task(self._answer_update(event.jsep))
        elif isinstance(event, HungUp):
            self._record_hangup(event)
            if self._call_state is CallState.IDLE:
                return  # the second hangup of a call that ended already
            if event.reason == MEDIA_HANGUP_REASON:
                self._spawn_call_task(self._end_call_soon(self._call_serial))
            else:
                self._end_call(None)

    def _on_connection_state(self, event: Event) -> None:
        if isinstance(event, ConnectionStateChanged) and event.state == "closed":
            self._local_closed.set()

    async def _apply_accepted(self, event: Accepted, answer: Jsep) -> None:
        future = self._accepted
        try:
            await self.apply_answer(answer)
        except Exception as exc:
            logger.warning("handle %d: cannot apply the callee's answer: %s", self.id, exc)
            if future is not None and not future.done():
                future.set_exception(exc)
            return
        if self._call_state is CallState.CALLING:
            self._call_state = CallState.IN_CALL
        if future is not None and not future.done():
            future.set_result(event)

    async def _answer_update(self, offer: Jsep) -> None:
        if self.peer_connection is None or self._call_state is not CallState.IN_CALL:
            logger.warning("handle %d: renegotiation offer outside a call ignored", self.id)
            return
        try:
            await self.accept_offer(offer, request_body("set"))
        except JanusError as exc:
            logger.warning("handle %d: cannot answer the renegotiation: %s", self.id, exc)

    # -- call bookkeeping -------------------------------------------------------------------

    def _record_hangup(self, event: HungUp) -> None:
        """Keep the first hangup of a call, or a later one that says more than the first."""
        last = self._last_hangup
        if self._call_hangup_pending or (
            last is not None
            and last.reason == MEDIA_HANGUP_REASON
            and event.reason != MEDIA_HANGUP_REASON
        ):
            self._call_hangup_pending = False
            self._last_hangup = event

    async def _end_call_soon(self, serial: int) -> None:
        await asyncio.sleep(self.hangup_reason_grace)
        if serial == self._call_serial and self._call_state is not CallState.IDLE:
            self._end_call(None)

    def _begin_call(self, state: CallState, peer: str | None) -> None:
        self._call_hangup_pending = True
        self._call_serial += 1
        self._call_over.clear()
        self._call_state = state
        self._peer = peer
        if state is CallState.CALLING:
            future: asyncio.Future[Accepted] = asyncio.get_running_loop().create_future()
            # Retrieve a failure nobody waits for, so asyncio does not log it.
            future.add_done_callback(lambda f: f.cancelled() or f.exception())
            self._accepted = future

    def _end_call(self, error: Exception | None) -> None:
        """The call is over: back to idle; a waiting :meth:`wait_accepted` fails with ``error``.

        Without ``error`` it fails with a :class:`CallEndedError` built from
        :attr:`last_hangup`.
        """
        self._call_state = CallState.IDLE
        self._incoming = None
        self._peer = None
        self._call_over.set()
        future = self._accepted
        if future is not None and not future.done():
            if error is None:
                last = self._last_hangup
                error = CallEndedError(
                    last.reason if last is not None else "hung up",
                    username=last.username if last is not None else None,
                    plugin=self.plugin,
                )
            future.set_exception(error)

    def _expect_media(self) -> None:
        """Janus has (or is about to have) a PeerConnection for this handle."""
        self._janus_media = True
        self._media_released.clear()

    async def _wait_local_closed(self) -> None:
        """Wait until a peer connection Janus hung up is closed (at most hangup_timeout)."""
        if not self._local_closed.is_set():
            try:
                async with asyncio.timeout(self.hangup_timeout):
                    await self._local_closed.wait()
            except TimeoutError:
                logger.debug("handle %d: the peer connection is slow to close", self.id)

    async def _release_media(self) -> None:
        """Wait for Janus to close its PeerConnection of the ended call, then the local one.

        Janus closes both sides' PeerConnections when a call ends and says so with a
        ``hangup``; a new call must not start before, or that ``hangup`` would end it.
        Without one in time, the media is hung up from here.
        """
        if self.detached:
            return
        if self._janus_media:
            try:
                async with asyncio.timeout(self.hangup_timeout):
                    await self._media_released.wait()
            except TimeoutError:
                logger.debug("handle %d: no hangup from Janus; hanging up the media", self.id)
                await self._drop_call_media()
        await self._wait_local_closed()
        pc = self.peer_connection
        if pc is not None and pc.localDescription is not None and not self.detached:
            # A peer connection of an ended call that Janus did not hang up.
            await self._drop_call_media()

    async def _drop_call_media(self) -> None:
        try:
            await self.hangup_media(reason="the call ended")
        except JanusError as exc:
            logger.debug("handle %d: hanging up the media: %s", self.id, exc)
        self._janus_media = False
        self._media_released.set()

    def _spawn_call_task(self, coroutine: Coroutine[Any, Any, Any]) -> None:
        task = asyncio.get_running_loop().create_task(coroutine)
        self._call_tasks.add(task)
        task.add_done_callback(self._call_task_done)

    def _call_task_done(self, task: asyncio.Task[Any]) -> None:
        self._call_tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            logger.error("call task of %r failed", self, exc_info=task.exception())

    async def _mark_detached(self, reason: str) -> None:
        self._end_call(StateError(f"cannot wait for the call: handle {self.id} {reason}"))
        tasks = [task for task in self._call_tasks if task is not asyncio.current_task()]
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)
        self._janus_media = False
        self._media_released.set()
        self._local_closed.set()
        await super()._mark_detached(reason)
