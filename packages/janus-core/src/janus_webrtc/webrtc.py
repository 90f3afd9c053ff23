"""WebRTC handles: a Janus handle that owns one aiortc ``RTCPeerConnection``.

:class:`WebRTCHandle` is the base of every plugin package's handle. It keeps all the media
work (negotiation in both directions, Janus's trickled candidates, local and remote tracks,
data channels, state, statistics and the release of every resource) so that a plugin method
is a thin mapping: build the request body, call :meth:`WebRTCHandle.negotiate_offer`,
:meth:`WebRTCHandle.accept_offer` or :meth:`~janus_webrtc.handle.Handle.send`, and return a
typed result.

Negotiation::

    handle.add_track(ToneAudioTrack())          # local media, kept across calls
    handle.add_track(TestPatternVideoTrack())
    response = await handle.negotiate_offer({"audio": True, "video": True})
    await handle.wait_connected()

ICE configuration: each handle uses :attr:`WebRTCHandle.rtc_configuration`, which defaults to
the connection's ``rtc_configuration`` attribute if it has one, else ``None``. ``None`` means
aiortc's default, which **contacts Google's public STUN server** (``stun.l.google.com``) while
gathering. On a LAN or on one machine, and in every test, pass
``RTCConfiguration(iceServers=[])`` through :meth:`WebRTCHandle.configure_rtc`.

Life cycle: the peer connection is created by the first negotiation (or the first data
channel), and closed by :meth:`WebRTCHandle.hangup` or a ``hangup`` from Janus; local tracks
added with :meth:`WebRTCHandle.add_track` survive a hangup, ready for the next call.
:meth:`~janus_webrtc.handle.Handle.detach` and :meth:`WebRTCHandle.close` (idempotent) release
everything: peer connection, local tracks and players, sinks, data channels and tasks.

ICE restart: aiortc 1.16 has no API for it; :meth:`WebRTCHandle.restart_ice` and the handling
of Janus-initiated restarts work on aioice's connection (see :mod:`janus_webrtc.webrtc_ice`),
keeping the pair in use. :meth:`WebRTCHandle.restart_media` replaces the whole peer connection.

Not supported (aiortc 1.16 limits): sending trickled candidates (a complete SDP is sent
instead), simulcast sending.
"""

from __future__ import annotations

try:  # the ``media`` extra: say which one to install instead of a bare ModuleNotFoundError
    import aiortc as _aiortc  # noqa: F401
    import av as _av  # noqa: F401
except ModuleNotFoundError as _exc:
    from ._extras import media_missing as _media_missing

    raise (_media_missing(_exc, "janus_webrtc.webrtc") or _exc) from _exc

import asyncio
import dataclasses
import datetime
import logging
import time
from collections.abc import AsyncIterator, Coroutine, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, Self

from aiortc import (
    MediaStreamTrack,
    RTCBundlePolicy,
    RTCConfiguration,
    RTCPeerConnection,
    RTCRtpTransceiver,
    RTCSessionDescription,
)
from aiortc.exceptions import OperationError
from aiortc.mediastreams import MediaStreamError
from aiortc.sdp import candidate_from_sdp

from . import webrtc_ice, webrtc_rtp
from .errors import JanusError, JanusTimeoutError, PluginError, ProtocolError, StateError
from .handle import Handle
from .messages import (
    Candidate,
    Event,
    HangUp,
    Jsep,
    MediaState,
    PluginResponse,
    SlowLink,
    Trickle,
    WebRTCUp,
)
from .webrtc_channels import DataChannel
from .webrtc_events import (
    ConnectionStateChanged,
    IceStateChanged,
    RemoteTrack,
    RemoteTrackEnded,
    RtpStreamStats,
    TransportStats,
    WebRTCStats,
)
from .webrtc_sdp import MediaSection, candidate_address, media_sections, sdp_candidates

if TYPE_CHECKING:
    from .session import Session

__all__ = [
    "MediaRejectedError",
    "MediaSink",
    "PeerConnectionError",
    "UnanswerableOfferError",
    "WebRTCHandle",
]

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())

_DIRECTIONS = ("sendrecv", "sendonly", "recvonly", "inactive")


class MediaRejectedError(PluginError):
    """The plugin answered, but rejected media this client offered (``m=`` port 0).

    Janus does this instead of answering with an error, for example when asked for a codec
    the offer does not contain (EchoTest ``videocodec``). The negotiation is undone: the local
    peer connection is closed and Janus is told to hang up.

    Attributes:
        rejected: The rejected media sections of Janus's answer.
    """

    def __init__(self, error: str, *, plugin: str = "", rejected: tuple[MediaSection, ...] = ()):
        super().__init__(None, error, plugin=plugin)
        self.rejected = rejected


class PeerConnectionError(JanusError):
    """The local peer connection failed (ICE or DTLS), or closed while being waited for."""


class UnanswerableOfferError(JanusError, ValueError):
    """An offer from Janus has no m-line for a local track this handle would send.

    Raised by :meth:`WebRTCHandle.answer` before anything is applied (the offer can still be
    answered once the track is removed). Also a ``ValueError``: the tracks do not fit the offer.

    Attributes:
        kinds: The kinds (``"audio"``, ``"video"``) the offer has too few m-lines for.
    """

    def __init__(self, message: str, *, kinds: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.kinds = kinds


class MediaSink(Protocol):
    """What :meth:`WebRTCHandle.record_to` accepts.

    aiortc's ``MediaRecorder`` and ``MediaBlackhole``, :class:`~janus_webrtc.media.FrameCounter`,
    or any object with the same three methods.
    """

    def addTrack(self, track: MediaStreamTrack) -> None:
        """Add a remote track to consume."""

    async def start(self) -> None:
        """Start consuming the tracks added (may be called again for tracks added later)."""

    async def stop(self) -> None:
        """Stop consuming and release files."""


class _SenderTrack(MediaStreamTrack):
    """What a peer connection sends: forwards the frames of a local track.

    aiortc stops the track of a sender when its peer connection closes; this stand-in takes
    that stop, so the user's track lives on for the next call.
    """

    def __init__(self, source: MediaStreamTrack) -> None:
        super().__init__()
        self.kind = source.kind
        self.source = source

    async def recv(self) -> Any:
        if self.readyState != "live":
            raise MediaStreamError
        return await self.source.recv()


def _for_janus(
    configuration: RTCConfiguration | None, *, max_bundle: bool = True
) -> RTCConfiguration | None:
    """The configuration a peer connection with Janus gets: max-bundle unless told otherwise.

    Janus bundles every m-line on one transport. With aiortc's default ``balanced`` policy, an
    answer with two m-lines of one kind leaves the second on a transport that is then
    discarded, and it never gets media. ``balanced`` (aiortc's default, so also the policy of
    a configuration that names none) becomes ``max-bundle``; ``max-compat`` is kept.

    ``max_bundle=False`` keeps the configuration as given: for a peer connection whose first
    object is a data channel. aiortc's max-bundle would bundle the transceivers added later
    on the data channel's transport while their m-lines come first in the offer, and it then
    ignores the candidates Janus trickles for the first m-line (the call never connects).
    """
    if not max_bundle:
        return configuration
    if configuration is None:
        return RTCConfiguration(bundlePolicy=RTCBundlePolicy.MAX_BUNDLE)
    if configuration.bundlePolicy is RTCBundlePolicy.BALANCED:
        return dataclasses.replace(configuration, bundlePolicy=RTCBundlePolicy.MAX_BUNDLE)
    return configuration


_closing: set[asyncio.Task[None]] = set()


async def _close_shielded(pc: RTCPeerConnection) -> None:
    """Close a peer connection; a cancellation of the caller does not interrupt the close.

    aiortc's ``close()`` stops transceivers, DTLS and ICE one after the other: cut in the
    middle (a detach cancelling a close Janus's hangup started), it leaves tasks that fail
    later ("Task exception was never retrieved ... InvalidStateError"). The close runs as a
    task of its own, kept (so it is not collected) until done; its own failure is logged.
    """
    task = asyncio.get_running_loop().create_task(pc.close())
    _closing.add(task)
    task.add_done_callback(_closed)
    await asyncio.shield(task)


def _closed(task: asyncio.Task[None]) -> None:
    _closing.discard(task)
    if not task.cancelled() and task.exception() is not None:
        logger.warning("closing a peer connection failed", exc_info=task.exception())


def _sends(transceiver: RTCRtpTransceiver) -> bool:
    """Whether a transceiver's sender has a track (aiortc types it as never ``None``)."""
    track: MediaStreamTrack | None = transceiver.sender.track
    return track is not None


@dataclass(slots=True)
class _LocalTrack:
    track: MediaStreamTrack
    direction: str
    transceiver: RTCRtpTransceiver | None = None
    sender_track: _SenderTrack | None = None

    def attach(self, pc: RTCPeerConnection) -> None:
        """Send on a new transceiver (for an offer)."""
        self.sender_track = _SenderTrack(self.track)
        self.transceiver = pc.addTransceiver(self.sender_track, direction=self.direction)

    def attach_to(self, transceiver: RTCRtpTransceiver) -> None:
        """Send on a transceiver that an offer from Janus created (for an answer)."""
        self.sender_track = _SenderTrack(self.track)
        transceiver.sender.replaceTrack(self.sender_track)
        transceiver.direction = self.direction
        self.transceiver = transceiver

    def detach(self) -> None:
        if self.sender_track is not None:
            self.sender_track.stop()
        self.sender_track = None
        self.transceiver = None


@dataclass(slots=True)
class _Sink:
    sink: MediaSink
    kinds: tuple[str, ...]
    started: bool = False


class WebRTCHandle(Handle):
    """A handle with one aiortc ``RTCPeerConnection``: the base of plugin packages' handles.

    Created by :meth:`Session.attach` like any handle. See the module documentation for the
    life cycle and the ICE configuration default.

    Attributes:
        hangup_timeout: Class attribute: seconds :meth:`hangup` waits for Janus to confirm.
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

    def __init__(
        self, session: Session, handle_id: int, plugin: str, *, opaque_id: str | None = None
    ) -> None:
        super().__init__(session, handle_id, plugin, opaque_id=opaque_id)
        configured = getattr(session.connection, "rtc_configuration", None)
        self._rtc_configuration: RTCConfiguration | None = (
            configured if isinstance(configured, RTCConfiguration) else None
        )
        self._pc: RTCPeerConnection | None = None
        self._local: list[_LocalTrack] = []
        self._players: list[Any] = []
        self._sinks: list[_Sink] = []
        self._channels: dict[str, DataChannel] = {}
        self._all_channels: list[DataChannel] = []
        self._channel_waiters: dict[str, list[asyncio.Future[DataChannel]]] = {}
        self._remote: dict[MediaStreamTrack, RemoteTrack] = {}
        self._tasks: set[asyncio.Task[Any]] = set()
        self._pending_candidates: list[Candidate | None] = []
        self._remote_candidates: list[str] = []
        self._remote_description_set = False
        self._negotiation_lock = asyncio.Lock()
        self._close_lock = asyncio.Lock()
        self._release_lock = asyncio.Lock()
        self._webrtc_up = False
        self._media: dict[tuple[str, str | None], bool] = {}
        self._last_slowlink: SlowLink | None = None
        self._slowlinks = 0
        self._hangups_expected = 0
        self._janus_hung_up_at: float | None = None
        self._released = False

    # -- configuration and state ------------------------------------------------------------

    @property
    def rtc_configuration(self) -> RTCConfiguration | None:
        """The configuration of the next peer connection, as given.

        ``None`` is aiortc's default, which uses Google's public STUN server. Either way the
        peer connection uses ``RTCBundlePolicy.MAX_BUNDLE`` (Janus bundles every m-line) unless
        the configuration asks for ``MAX_COMPAT``, or a data channel is created before any
        local track (aiortc's max-bundle cannot connect that one; see ``_for_janus``).
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
        return "new" if self._pc is None else str(self._pc.iceConnectionState)

    @property
    def connection_state(self) -> str:
        """The peer connection state (``"new"`` when there is no peer connection)."""
        return "new" if self._pc is None else str(self._pc.connectionState)

    @property
    def dtls_state(self) -> str:
        """The DTLS state of the (bundled) transport.

        ``new``, ``connecting``, ``connected``, ``closed`` or ``failed``; ``"new"`` when there
        is no peer connection.
        """
        if self._pc is None:
            return "new"
        for transceiver in self._pc.getTransceivers():
            return str(transceiver.receiver.transport.state)
        sctp = self._pc.sctp
        return "new" if sctp is None else str(sctp.transport.state)

    @property
    def signaling_state(self) -> str:
        """The signaling state (``"stable"`` when there is no peer connection)."""
        return "stable" if self._pc is None else str(self._pc.signalingState)

    @property
    def webrtc_up(self) -> bool:
        """Whether Janus said ``webrtcup`` for the current peer connection."""
        return self._webrtc_up

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
        return tuple(self._remote_candidates)

    @property
    def remote_candidate_addresses(self) -> frozenset[str]:
        """The addresses of :attr:`remote_candidates`."""
        addresses = (candidate_address(c) for c in self._remote_candidates)
        return frozenset(a for a in addresses if a is not None)

    def media_receiving(self, kind: str | None = None, mid: str | None = None) -> bool | None:
        """Whether Janus reported receiving media (of ``kind`` and/or ``mid``).

        Returns:
            True if any matching stream is being received, False if all matching streams were
            reported stopped, None if Janus reported nothing yet.
        """
        states = [
            receiving
            for (k, m), receiving in self._media.items()
            if kind in (None, k) and mid in (None, m)
        ]
        return any(states) if states else None

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
        if self._webrtc_up:
            waiter.cancel()
            return
        await waiter

    # -- local media --------------------------------------------------------------------------

    def add_track(self, track: MediaStreamTrack, *, direction: str = "sendrecv") -> None:
        """Add a local track to send (audio or video), kept until removed or the handle closes.

        The track goes out from the next negotiation on (renegotiate if a call is up): on a new
        m-line of the next offer, or on an m-line of its kind in Janus's next offer. It is
        stopped when the handle is detached or closed.

        Args:
            track: Any aiortc ``MediaStreamTrack`` (a ``MediaPlayer``'s track, a generator...).
            direction: ``"sendrecv"`` (also receive the echo/peer's media) or ``"sendonly"``.

        Raises:
            ValueError: Unknown kind or direction, or the track was added already.
            StateError: The handle is detached.
        """
        self._check_attached("add a track")
        if track.kind not in ("audio", "video"):
            raise ValueError(f"cannot add a track of kind {track.kind!r}")
        if direction not in ("sendrecv", "sendonly"):
            raise ValueError("direction must be 'sendrecv' or 'sendonly' for a local track")
        if any(local.track is track for local in self._local):
            raise ValueError("this track was added already")
        self._local.append(_LocalTrack(track, direction))

    def add_player(self, player: Any, *, direction: str = "sendrecv") -> None:
        """Add the audio and video tracks of an aiortc ``MediaPlayer`` (file, device, URL).

        The player is stopped when the handle is detached or closed.
        """
        for track in (player.audio, player.video):
            if track is not None:
                self.add_track(track, direction=direction)
        self._players.append(player)

    def add_receiver(self, kind: str, *, direction: str = "recvonly") -> None:
        """Ask to receive a medium without sending one (adds a ``recvonly`` transceiver).

        Raises:
            StateError: The handle is detached.
        """
        self._check_attached("add a receiver")
        if kind not in ("audio", "video") or direction not in ("recvonly", "inactive"):
            raise ValueError("kind must be audio/video and direction recvonly/inactive")
        self._ensure_pc().addTransceiver(kind, direction=direction)

    @property
    def local_tracks(self) -> tuple[MediaStreamTrack, ...]:
        """The local tracks added and not removed."""
        return tuple(local.track for local in self._local)

    def replace_track(self, old: MediaStreamTrack, new: MediaStreamTrack | None) -> None:
        """Send ``new`` instead of ``old`` at once, without renegotiation.

        The old track is stopped. ``new=None`` sends nothing on that m-line (it stays
        negotiated; use :meth:`remove_track` and renegotiate to drop it).

        Raises:
            ValueError: ``old`` was not added, or ``new`` is of another kind.
        """
        local = self._find_local(old)
        if new is not None and new.kind != old.kind:
            raise ValueError(f"cannot replace a {old.kind} track with a {new.kind} track")
        if new is None:
            if local.transceiver is not None:
                local.transceiver.sender.replaceTrack(None)
            local.detach()
            self._local.remove(local)
        else:
            local.track = new
            if local.sender_track is not None:
                local.sender_track.source = new
        old.stop()

    def remove_track(self, track: MediaStreamTrack) -> None:
        """Stop sending a local track; renegotiate to tell Janus.

        The m-line stays (receive-only if it was ``sendrecv``, else inactive); the track is
        stopped.

        Raises:
            ValueError: The track was not added.
        """
        local = self._find_local(track)
        self._local.remove(local)
        transceiver = local.transceiver
        if transceiver is not None:
            transceiver.sender.replaceTrack(None)
            transceiver.direction = (
                "recvonly" if transceiver.direction == "sendrecv" else "inactive"
            )
        local.detach()
        track.stop()

    def set_direction(self, kind_or_mid: str, direction: str) -> None:
        """Change the direction of the m-lines of a kind (or one mid); renegotiate after.

        Raises:
            ValueError: Unknown direction, or no such m-line.
        """
        if direction not in _DIRECTIONS:
            raise ValueError(f"unknown direction {direction!r}")
        matched = [
            t
            for t in (self._pc.getTransceivers() if self._pc is not None else [])
            if kind_or_mid in (t.kind, t.mid) and not t.stopped
        ]
        if not matched:
            raise ValueError(f"no m-line of kind or mid {kind_or_mid!r}")
        for transceiver in matched:
            transceiver.direction = direction

    def _find_local(self, track: MediaStreamTrack) -> _LocalTrack:
        for local in self._local:
            if local.track is track:
                return local
        raise ValueError("this track was not added to the handle")

    # -- remote media ---------------------------------------------------------------------

    @property
    def remote_tracks_now(self) -> tuple[RemoteTrack, ...]:
        """The remote tracks of the current peer connection."""
        return tuple(self._remote.values())

    async def remote_tracks(self) -> AsyncIterator[RemoteTrack]:
        """Iterate remote tracks: those present, then each new one, until the handle detaches.

        Each is also published as a :class:`~janus_webrtc.webrtc_events.RemoteTrack` event.
        """
        queue = self.subscribe(RemoteTrack)
        try:
            seen: set[int] = set()
            for event in list(self._remote.values()):
                seen.add(id(event))
                yield event
            async for item in queue:
                if isinstance(item, RemoteTrack) and id(item) not in seen:
                    yield item
        finally:
            self.unsubscribe(queue)

    def record_to(
        self, sink: MediaSink | str | Path, *, kinds: tuple[str, ...] = ("audio", "video")
    ) -> MediaSink:
        """Feed remote tracks (present and future) of ``kinds`` to a sink.

        Args:
            sink: aiortc's ``MediaRecorder`` or ``MediaBlackhole``, a
                :class:`~janus_webrtc.media.FrameCounter`, or a file path (a ``MediaRecorder``
                is made for it; the format follows the extension).
            kinds: Which media to feed it.

        Returns:
            The sink. It is started once negotiation delivers tracks, and stopped at hangup
            or close (a ``MediaRecorder`` then closes its file).
        """
        self._check_attached("record")
        if isinstance(sink, str | Path):
            from aiortc.contrib.media import MediaRecorder

            sink = MediaRecorder(str(sink))
        entry = _Sink(sink, kinds)
        self._sinks.append(entry)
        for event in self._remote.values():
            if event.kind in kinds:
                sink.addTrack(event.track)
        if self._remote:
            self._spawn(self._start_sink(entry))
        return sink

    def blackhole(self) -> MediaSink:
        """Read and discard every remote track (so undelivered frames never pile up)."""
        from aiortc.contrib.media import MediaBlackhole

        return self.record_to(MediaBlackhole())

    async def stop_recording(self, sink: MediaSink) -> None:
        """Stop a sink given to :meth:`record_to` and forget it."""
        for entry in list(self._sinks):
            if entry.sink is sink:
                self._sinks.remove(entry)
                await sink.stop()

    async def _start_sink(self, entry: _Sink) -> None:
        entry.started = True
        await entry.sink.start()

    # -- data channels --------------------------------------------------------------------

    def create_data_channel(
        self,
        label: str,
        *,
        ordered: bool = True,
        max_retransmits: int | None = None,
        max_packet_life_time: int | None = None,
        protocol: str = "",
    ) -> DataChannel:
        """Open a labelled data channel (creating the peer connection if needed).

        Created before the first offer, it is negotiated with it; created later, renegotiate
        if the SDP had no data channel yet. Messages sent before it opens are queued.

        Raises:
            ValueError: A channel with that label exists.
            StateError: The handle is detached.
        """
        self._check_attached("create a data channel")
        if label in self._channels:
            raise ValueError(f"a data channel labelled {label!r} exists already")
        rtc = self._ensure_pc(for_data_channel=True).createDataChannel(
            label,
            ordered=ordered,
            maxRetransmits=max_retransmits,
            maxPacketLifeTime=max_packet_life_time,
            protocol=protocol,
        )
        return self._add_channel(rtc)

    async def data_channel(self, label: str, *, timeout: float | None = None) -> DataChannel:
        """Return the data channel with this label, waiting for Janus to open it if needed.

        Raises:
            JanusTimeoutError: No such channel in time.
            StateError: The handle is detached, or hung up while waiting.
        """
        self._check_attached("wait for a data channel")
        existing = self._channels.get(label)
        if existing is not None:
            return existing
        limit = self.session.connection.timeout if timeout is None else timeout
        future: asyncio.Future[DataChannel] = asyncio.get_running_loop().create_future()
        self._channel_waiters.setdefault(label, []).append(future)
        try:
            async with asyncio.timeout(limit):
                return await future
        except TimeoutError:
            raise JanusTimeoutError(f"no data channel {label!r} within {limit} s") from None
        finally:
            waiters = self._channel_waiters.get(label)
            if waiters is not None and future in waiters:
                waiters.remove(future)

    @property
    def data_channels(self) -> Mapping[str, DataChannel]:
        """The data channels of the current peer connection, by label."""
        return dict(self._channels)

    def _add_channel(self, rtc: Any) -> DataChannel:
        channel = DataChannel(rtc, self._events.publish)
        self._all_channels.append(channel)
        # The first channel of a label keeps it (Janus may open one of the same label too).
        self._channels.setdefault(channel.label, channel)
        for future in self._channel_waiters.pop(channel.label, []):
            if not future.done():
                future.set_result(channel)
        return channel

    # -- negotiation ----------------------------------------------------------------------

    def _ensure_pc(
        self, *, for_answer: bool = False, for_data_channel: bool = False
    ) -> RTCPeerConnection:
        if self._pc is not None:
            return self._pc
        self._check_attached("create a peer connection")
        max_bundle = for_answer or not for_data_channel or bool(self._local)
        pc = RTCPeerConnection(_for_janus(self._rtc_configuration, max_bundle=max_bundle))
        self._pc = pc
        self._remote_description_set = False
        self._webrtc_up = False
        self._media.clear()
        if not for_answer:
            # Transceivers first: with max-bundle, aiortc bundles on the transport of what
            # was created first, and ignores candidates trickled for the m-lines bundled on
            # it; Janus trickles for the first m-line, which is a transceiver's.
            for local in self._local:
                local.attach(pc)

        def on_ice() -> None:
            if self._pc is pc:
                self._events.publish(IceStateChanged(str(pc.iceConnectionState)))

        def on_state() -> None:
            if self._pc is pc:
                self._events.publish(ConnectionStateChanged(str(pc.connectionState)))

        pc.on("iceconnectionstatechange", on_ice)
        pc.on("connectionstatechange", on_state)
        pc.on("track", lambda track: self._on_track(pc, track))
        pc.on("datachannel", lambda rtc: self._add_channel(rtc) if self._pc is pc else None)
        return pc

    def _on_track(self, pc: RTCPeerConnection, track: MediaStreamTrack) -> None:
        if self._pc is not pc:
            return
        mid = next((t.mid for t in pc.getTransceivers() if t.receiver.track is track), None)
        event = RemoteTrack(kind=track.kind, mid=mid, track=track)
        self._remote[track] = event

        def ended() -> None:
            if self._remote.pop(track, None) is not None:
                self._events.publish(RemoteTrackEnded(track.kind, mid))

        track.on("ended", ended)
        for entry in self._sinks:
            if track.kind in entry.kinds:
                entry.sink.addTrack(track)
        self._events.publish(event)

    async def _create_offer(self) -> Jsep:
        pc = self._ensure_pc()
        for local in self._local:
            if local.transceiver is None:
                local.attach(pc)
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
        rejected = tuple(
            section
            for section in media_sections(answer.sdp)
            if section.rejected and section.kind in ("audio", "video")
        )
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
        self._attach_to_offer(pc)
        await pc.setLocalDescription(await pc.createAnswer())
        await self._start_sinks()
        return Jsep(type="answer", sdp=pc.localDescription.sdp, trickle=False)

    def _check_answerable(self, offer: Jsep, extra: tuple[MediaStreamTrack, ...] = ()) -> None:
        """Raise if ``offer`` lacks an m-line for a local track not sent yet (or ``extra``).

        Protected: plugin handles may call it to check tracks before adding them.

        Raises:
            UnanswerableOfferError: The offer has too few m-lines of a kind.
        """
        pending = [local.track.kind for local in self._local if local.transceiver is None]
        pending.extend(track.kind for track in extra)
        if not pending:
            return
        pc = self._pc
        used = {
            local.transceiver.mid
            for local in self._local
            if local.transceiver is not None and local.transceiver.mid is not None
        }
        if pc is not None:
            used.update(t.mid for t in pc.getTransceivers() if t.stopped and t.mid is not None)
        free = [s.kind for s in media_sections(offer.sdp) if not s.rejected and s.mid not in used]
        short = tuple(
            sorted(kind for kind in set(pending) if pending.count(kind) > free.count(kind))
        )
        if short:
            raise UnanswerableOfferError(
                f"cannot answer the offer of {self.plugin}: it offers no {' or '.join(short)} "
                f"m-line free for the local {' and '.join(short)} track(s) of handle {self.id} "
                "(remove_track the tracks it cannot carry)",
                kinds=short,
            )

    def _attach_to_offer(self, pc: RTCPeerConnection) -> None:
        """Put local tracks not sent yet on free m-lines of their kind from Janus's offer."""
        taken = {id(local.transceiver) for local in self._local if local.transceiver is not None}
        for local in self._local:
            if local.transceiver is not None:
                continue
            for transceiver in pc.getTransceivers():
                if (
                    transceiver.kind == local.track.kind
                    and transceiver.mid is not None
                    and not transceiver.stopped
                    and not _sends(transceiver)
                    and id(transceiver) not in taken
                ):
                    local.attach_to(transceiver)
                    taken.add(id(transceiver))
                    break

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
            first = self._pc is None or self._pc.remoteDescription is None
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
        """Replace the media path: hang up, then negotiate a new peer connection.

        The way to recover from a failed connection, where an ICE restart cannot help (same
        local tracks; data channels must be created again). The hangup is Janus's core
        ``hangup`` request, not a subclass's :meth:`hangup` (which may mean more to its
        plugin, such as ending a VideoCall call).
        """
        await WebRTCHandle._hangup_media(self, "media restart", timeout=timeout)
        return await self.negotiate_offer(body, timeout=timeout)

    async def restart_ice(
        self, body: Mapping[str, Any], *, timeout: float | None = None
    ) -> PluginResponse:
        """Restart ICE from this side: offer new ICE credentials with ``body``.

        The peer connection, DTLS and media stay; Janus restarts its ICE agent. aiortc has no
        API for this: :mod:`janus_webrtc.webrtc_ice` does it on aioice's connection (the
        pair in use is kept and nominated again). Restarts Janus initiates (a new offer with
        new credentials, applied with :meth:`answer`) are followed automatically.

        Args:
            body: The plugin request carrying the offer (such as ``{"audio": True}``).
            timeout: Seconds to wait for the plugin's answer.

        Returns:
            The plugin's response.

        Raises:
            StateError: No call is up.
            PeerConnectionError: The restart failed (the pair could not be nominated again).
        """
        self._check_attached("restart ICE")
        async with self._negotiation_lock:
            pc = self._pc
            if pc is None or pc.remoteDescription is None:
                raise StateError(f"cannot restart ICE: handle {self.id} has no call up")
            try:
                webrtc_ice.new_local_credentials(pc)
            except RuntimeError as exc:
                raise PeerConnectionError(f"cannot restart ICE: {exc}") from exc
            offer = await self._create_offer()
            response = await self.send(body, jsep=offer, timeout=timeout)
            if response.jsep is None:
                raise ProtocolError(f"{self.plugin} answered the ICE restart without a JSEP")
            await self.apply_answer(response.jsep)
            try:
                async with asyncio.timeout(self.session.connection.timeout):
                    await webrtc_ice.renominate(pc)
            except Exception as exc:
                reason = "no answer to the check" if isinstance(exc, TimeoutError) else exc
                raise PeerConnectionError(
                    f"ICE restart of handle {self.id} failed: {reason}"
                ) from exc
            return response

    async def _after_hangup_grace(self) -> None:
        """Before a new peer connection, let Janus finish closing the last one."""
        if self._pc is not None or self._janus_hung_up_at is None:
            return
        delay = self._janus_hung_up_at + self.new_call_grace - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)

    async def _set_remote(self, pc: RTCPeerConnection, jsep: Jsep) -> None:
        for candidate in sdp_candidates(jsep.sdp):
            if candidate not in self._remote_candidates:
                self._remote_candidates.append(candidate)
        renegotiation = pc.remoteDescription is not None
        restarted = renegotiation and webrtc_ice.update_remote_credentials(pc, jsep.sdp)
        try:
            await pc.setRemoteDescription(RTCSessionDescription(sdp=jsep.sdp, type=jsep.type))
        except OperationError as exc:
            # aiortc finds nothing it can use in an m-line, such as the inactive m-line
            # without codecs Janus answers for a codec a VideoRoom room does not allow.
            if jsep.type == "answer":
                unusable = tuple(
                    s
                    for s in media_sections(jsep.sdp)
                    if s.kind in ("audio", "video") and (s.rejected or not s.codecs)
                )
                raise self.media_rejected_error(
                    f"{self.plugin} rejected offered media: its answer cannot be applied ({exc})",
                    plugin=self.plugin,
                    rejected=unusable,
                ) from exc
            raise PeerConnectionError(f"cannot apply Janus's offer: {exc}") from exc
        except (ValueError, RuntimeError) as exc:  # aiortc's errors on a bad description
            raise ProtocolError(f"cannot apply Janus's {jsep.type}: {exc}") from exc
        if restarted:
            logger.debug("handle %d: Janus restarted ICE; new credentials applied", self.id)
        if renegotiation and webrtc_rtp.route_new_ssrcs(pc):
            # An m-line Janus reused got a new SSRC that aiortc would not route.
            logger.debug("handle %d: new SSRCs of reused m-lines routed", self.id)
        self._remote_description_set = True
        pending, self._pending_candidates = self._pending_candidates, []
        for pending_candidate in pending:
            await self._add_candidate(pc, pending_candidate)
        if jsep.type == "answer":
            await self._start_sinks()

    async def _start_sinks(self) -> None:
        for entry in self._sinks:
            await self._start_sink(entry)

    async def _add_candidate(self, pc: RTCPeerConnection, candidate: Candidate | None) -> None:
        if pc is not self._pc:
            return
        if candidate is None:
            await pc.addIceCandidate(None)
            return
        try:
            rtc = candidate_from_sdp(candidate.candidate.removeprefix("candidate:"))
        except (AssertionError, ValueError, IndexError):
            logger.warning("handle %d: unreadable candidate from Janus ignored", self.id)
            return
        rtc.sdpMid = candidate.sdp_mid
        rtc.sdpMLineIndex = candidate.sdp_mline_index
        if rtc.sdpMid is None and rtc.sdpMLineIndex is None:
            rtc.sdpMLineIndex = 0
        await pc.addIceCandidate(rtc)

    # -- Janus events ---------------------------------------------------------------------

    def _event_received(self, event: Event) -> None:
        if isinstance(event, Trickle):
            self._on_trickle(event)
        elif isinstance(event, WebRTCUp):
            self._webrtc_up = True
        elif isinstance(event, MediaState):
            self._media[(event.kind, event.mid)] = event.receiving
        elif isinstance(event, SlowLink):
            self._slowlinks += 1
            self._last_slowlink = event
        elif isinstance(event, HangUp):
            self._janus_hung_up_at = time.monotonic()
            self._webrtc_up = False
            self._media.clear()
            if self._hangups_expected > 0:
                self._hangups_expected -= 1
            elif self._pc is not None:
                self._spawn(self._close_pc(f"Janus hung up ({event.reason})", only=self._pc))

    def _on_trickle(self, event: Trickle) -> None:
        candidate = event.candidate
        if candidate is not None and candidate.candidate not in self._remote_candidates:
            self._remote_candidates.append(candidate.candidate)
        pc = self._pc
        if pc is not None and self._remote_description_set:
            self._spawn(self._add_candidate(pc, candidate))
        else:
            # Kept until the remote description is set (the peer connection may not even
            # exist yet when Janus offers and trickles at once).
            self._pending_candidates.append(candidate)

    # -- ending ---------------------------------------------------------------------------

    async def hangup(self, *, timeout: float | None = None) -> None:
        """Ask Janus to close the PeerConnection, and close the local one.

        Local tracks stay, ready for the next negotiation; remote tracks, sinks and data
        channels of this call end. Waits (at most :attr:`hangup_timeout` s) for Janus's
        ``hangup`` event, so a new negotiation right after does not race with it.
        """
        await WebRTCHandle._hangup_media(self, "hung up", timeout=timeout)

    async def _hangup_media(self, reason: str, *, timeout: float | None) -> None:
        """Janus's core ``hangup`` (waiting for its event), then close the local side."""
        self._check_attached("hang up")
        janus_has_pc = self._pc is not None and self._pc.localDescription is not None
        try:
            await self._hangup_janus(expect_event=janus_has_pc, timeout=timeout)
        finally:
            await self._close_pc(reason)

    async def _hangup_janus(self, *, expect_event: bool, timeout: float | None) -> None:
        """Send ``hangup``; if Janus has a PeerConnection, wait for its ``hangup`` event.

        The event is then consumed here, not taken for Janus hanging up a later call.
        """
        self._janus_hung_up_at = time.monotonic()
        if not expect_event:
            await Handle.hangup(self, timeout=timeout)
            return
        waiter = self.wait_for(HangUp, timeout=self.hangup_timeout)
        self._hangups_expected += 1
        try:
            await Handle.hangup(self, timeout=timeout)
            await waiter
        except BaseException:
            waiter.cancel()
            # No hangup event (Janus had none to close, or it was lost): stop expecting one.
            self._hangups_expected = max(0, self._hangups_expected - 1)
            raise

    async def close(self) -> None:
        """Detach from the plugin and release everything; idempotent (same as ``detach``)."""
        await self.detach()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def _undo_call(self, *, tell_janus: bool = True) -> None:
        """Undo a failed first negotiation: close the local side, ask Janus to hang up."""
        await self._close_pc("negotiation failed")
        if tell_janus and not self.detached and not self.session.closed:
            try:
                await self._hangup_janus(
                    expect_event=True, timeout=min(self.session.connection.timeout, 2.0)
                )
            except JanusError as exc:
                logger.debug("handle %d: hangup after failed negotiation: %s", self.id, exc)

    async def _close_pc(self, reason: str, *, only: RTCPeerConnection | None = None) -> None:
        """Close the peer connection and everything tied to it; idempotent.

        Closes run one at a time: a second caller (Janus's ``hangup`` arriving during a local
        hangup or detach) waits for the first to finish. With ``only``, do nothing unless that
        peer connection is still the current one.
        """
        async with self._close_lock:
            if only is not None and self._pc is not only:
                return
            pc, self._pc = self._pc, None
            self._remote_description_set = False
            self._pending_candidates = []
            self._remote_candidates = []
            self._webrtc_up = False
            for local in self._local:
                local.detach()
            channels, self._all_channels = self._all_channels, []
            self._channels = {}
            sinks, self._sinks = self._sinks, []
            remote, self._remote = list(self._remote.items()), {}
            try:
                for entry in sinks:
                    try:
                        await entry.sink.stop()
                    except Exception:
                        logger.exception("handle %d: stopping a media sink failed", self.id)
                if pc is not None:
                    logger.debug("handle %d: closing the peer connection (%s)", self.id, reason)
                    await _close_shielded(pc)
            finally:
                # Even if interrupted: nothing of this call may stay usable.
                for track, event in remote:
                    track.stop()
                    self._events.publish(RemoteTrackEnded(event.kind, event.mid))
                for channel in channels:
                    channel._release()
                if pc is not None:
                    self._events.publish(ConnectionStateChanged("closed"))

    async def _mark_detached(self, reason: str) -> None:
        # Janus's "detached" event and the reply to our own detach can both get here: the
        # second caller waits until the first has released everything.
        async with self._release_lock:
            if not self._released:
                await self._release_all(reason)
                self._released = True
        await super()._mark_detached(reason)

    async def _release_all(self, reason: str) -> None:
        """Release the peer connection, local media, waiters and tasks (once, at detach)."""
        await self._close_pc(reason)
        for local in self._local:
            local.track.stop()
        self._local.clear()
        self._players.clear()
        for futures in self._channel_waiters.values():
            for future in futures:
                if not future.done():
                    future.set_exception(
                        StateError(f"cannot wait for a data channel: handle {self.id} {reason}")
                    )
        self._channel_waiters.clear()
        tasks = [t for t in self._tasks if t is not asyncio.current_task()]
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)

    def _spawn(self, coroutine: Coroutine[Any, Any, Any]) -> None:
        """Run a background task for this handle: protected, for subclasses.

        The task is kept by the handle and cancelled (and awaited) when the handle is
        detached or closed; a failure is logged. Plugin handles use it for work started by
        an event, such as the VideoRoom subscriber answering an offer Janus sent unasked.

        Args:
            coroutine: What to run.
        """
        task = asyncio.get_running_loop().create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._task_done)

    def _task_done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            logger.error("background task of %r failed", self, exc_info=task.exception())

    # -- statistics -----------------------------------------------------------------------

    async def stats(self) -> WebRTCStats:
        """Take a snapshot of RTP/RTCP statistics of the current peer connection.

        Raises:
            StateError: There is no peer connection.
        """
        pc = self._pc
        if pc is None:
            raise StateError(f"cannot read statistics: handle {self.id} has no media")
        streams: list[RtpStreamStats] = []
        transport: TransportStats | None = None
        timestamp = None
        for transceiver in pc.getTransceivers():
            sender_report = await transceiver.sender.getStats()
            receiver_report = await transceiver.receiver.getStats()
            kind, mid = transceiver.kind, transceiver.mid
            by_type: dict[str, list[Any]] = {}
            for item in [*sender_report.values(), *receiver_report.values()]:
                by_type.setdefault(item.type, []).append(item)
                timestamp = item.timestamp
            remote_in = {s.ssrc: s for s in by_type.get("remote-inbound-rtp", [])}
            remote_out = {s.ssrc: s for s in by_type.get("remote-outbound-rtp", [])}
            for out in by_type.get("outbound-rtp", []):
                if out.packetsSent == 0 and transceiver.currentDirection in ("recvonly", None):
                    continue
                report = remote_in.get(out.ssrc)
                streams.append(
                    RtpStreamStats(
                        kind=kind,
                        mid=mid,
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
            for inbound in by_type.get("inbound-rtp", []):
                sent = remote_out.get(inbound.ssrc)
                streams.append(
                    RtpStreamStats(
                        kind=kind,
                        mid=mid,
                        direction="inbound",
                        ssrc=inbound.ssrc,
                        packets=inbound.packetsReceived,
                        bytes=sent.bytesSent if sent else None,
                        packets_lost=inbound.packetsLost,
                        jitter=inbound.jitter,
                    )
                )
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
            ice_state=self.ice_state,
            connection_state=self.connection_state,
        )
