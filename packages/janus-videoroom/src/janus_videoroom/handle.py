"""VideoRoom handles: publishers, subscribers, and room administration on both.

Every request of the VideoRoom plugin of Janus 1.1.2 (``src/plugins/janus_videoroom.c``,
multistream API) is one method with keyword-only, typed arguments and a typed result:

- room administration (:class:`~janus_videoroom.admin.VideoRoomAdmin`, inherited by both
  handles, in :mod:`janus_videoroom.admin`): ``create``,
  ``edit``, ``destroy``, ``exists``, ``list``, ``allowed``, ``kick``, ``moderate``,
  ``enable_recording``, ``listparticipants``, ``listforwarders``, ``rtp_forward``,
  ``stop_rtp_forward``, and remote publishers: ``add_remote_publisher``,
  ``update_remote_publisher``, ``remove_remote_publisher``, ``publish_remotely``,
  ``unpublish_remotely``, ``listremotes``;
- :class:`VideoRoomPublisher`: ``join``, ``joinandconfigure``, ``publish``, ``configure``,
  ``unpublish``, ``leave``;
- :class:`VideoRoomSubscriber`: ``join`` (with ``streams``), ``start``, ``pause``,
  ``configure``, ``switch``, ``subscribe``, ``unsubscribe``, ``update``, ``leave``.

Plugin errors raise the :class:`~janus_videoroom.errors.VideoRoomError` subclass of their
code. Room secrets, pins and tokens are sent as given and never logged.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from janus_webrtc import (
    ConnectionStateChanged,
    Event,
    JanusError,
    JanusTimeoutError,
    Jsep,
    MediaRejectedError,
    PluginEvent,
    RecordingHandle,
    RecordingRefusedError,
    WebRTCHandle,
)
from janus_webrtc.plugin_kit import expect, request_body
from janus_webrtc.recordings import Recordings

from ._wire import _descriptions, _wire
from .admin import VideoRoomAdmin
from .errors import (
    NotPublishedError,
    VideoRoomMediaRejectedError,
    VideoRoomRecordingRefusedError,
)
from .messages import (
    Attached,
    Configured,
    Joined,
    Kicked,
    KickedOut,
    Leaving,
    Paused,
    Publisher,
    Publishers,
    PublisherStream,
    RoomDestroyed,
    Started,
    SubscriptionStream,
    Switched,
    Unpublished,
    Updated,
    Updating,
    parse_response,
)
from .streams import (
    ParticipantId,
    PublisherStreamConfig,
    RoomId,
    StreamDescription,
    SubscriberStreamConfig,
    SubscribeStream,
    SwitchStream,
    UnsubscribeStream,
)

if TYPE_CHECKING:
    from janus_webrtc import PluginResponse

__all__ = ["VideoRoomPublisher", "VideoRoomSubscriber"]

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())


class _VideoRoomMedia(VideoRoomAdmin, WebRTCHandle):
    """What both media handles share: typed errors and a clean end of the media path."""

    media_rejected_error: ClassVar[type[MediaRejectedError]] = VideoRoomMediaRejectedError

    async def _send_closing_media(
        self, body: Mapping[str, Any], timeout: float | None
    ) -> PluginResponse:
        """Send a request after which Janus closes the PeerConnection; wait for it locally.

        Janus answers, then hangs up; the local peer connection is closed when its ``hangup``
        arrives. Waiting for that here means a new negotiation right after never races it.
        """
        if self.peer_connection is None:
            return await self.send(body, timeout=timeout)
        # aiortc may report "closed" (Janus's DTLS alert) before Janus's hangup reaches the
        # handle: wait until the handle itself has dropped the peer connection.
        closed = self.wait_for(
            ConnectionStateChanged,
            predicate=lambda e: e.state == "closed" and self.peer_connection is None,
            timeout=self.hangup_timeout,
        )
        try:
            response = await self.send(body, timeout=timeout)
        except BaseException:
            closed.cancel()
            raise
        try:
            await closed
        except JanusTimeoutError:
            logger.debug("handle %d: Janus did not hang up in time; hanging up", self.id)
            with contextlib.suppress(JanusTimeoutError):
                await self.hangup(timeout=timeout)
        return response


class VideoRoomPublisher(_VideoRoomMedia, RecordingHandle):
    """A VideoRoom participant: joins a room, publishes media, gets the room's events.

    The default class of ``session.attach("videoroom")``. Add local media, then join and
    publish::

        pub = await session.attach("videoroom")
        pub.configure_rtc(RTCConfiguration(iceServers=[]))
        pub.add_track(ToneAudioTrack())
        pub.add_track(TestPatternVideoTrack())
        joined = await pub.join(room, display="alice")
        await pub.publish()

    :attr:`publishers` follows the room's active publishers from the events it receives.

    Recordings: Janus answers ``record=True`` as if it recorded even when it cannot open the
    files (it only logs). Give the publisher a
    :attr:`~janus_webrtc.RecordingHandle.recording_check` (``RecordingCheck(admin=api)``: the
    VideoRoom puts the room's ``rec_dir`` in front of the path, so only the Admin API can
    tell) and :meth:`publish`, :meth:`join_and_configure` and :meth:`configure` check that
    each of its streams is recorded once this handle asked for it, raising
    :class:`~janus_videoroom.errors.VideoRoomRecordingRefusedError` if not. Recording the
    whole room (``record``/``rec_dir`` of ``create_room``, ``enable_recording``) is not
    checked: it concerns other handles.
    """

    recording_refused_error: ClassVar[type[RecordingRefusedError]] = VideoRoomRecordingRefusedError

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._recording_asked = False
        self._room: RoomId | None = None
        self._participant_id: ParticipantId | None = None
        self._private_id: int | None = None
        self._publishers: dict[ParticipantId, Publisher] = {}
        self._streams: tuple[PublisherStream, ...] = ()

    @property
    def room(self) -> RoomId | None:
        """The room joined, or None."""
        return self._room

    @property
    def participant_id(self) -> ParticipantId | None:
        """This participant's id in the room, or None before joining."""
        return self._participant_id

    @property
    def private_id(self) -> int | None:
        """This participant's private id (for subscriptions in ``require_pvtid`` rooms)."""
        return self._private_id

    @property
    def publishers(self) -> tuple[Publisher, ...]:
        """The room's other active publishers, as last announced."""
        return tuple(self._publishers.values())

    @property
    def streams(self) -> tuple[PublisherStream, ...]:
        """This publisher's own streams, with their mids, as Janus last configured them.

        Filled by :meth:`publish` and :meth:`configure` (and their ``configured`` events);
        empty before publishing and after :meth:`unpublish` or :meth:`leave`.
        """
        return self._streams

    def mids(self, kind: str | None = None) -> tuple[str, ...]:
        """The mids of this publisher's own streams (of one kind, ``"audio"``/``"video"``)."""
        return tuple(s.mid for s in self._streams if s.mid is not None and kind in (None, s.type))

    def _joined(self, joined: Joined, room: RoomId) -> None:
        self._room = joined.room if joined.room is not None else room
        self._participant_id = joined.id
        self._private_id = joined.private_id
        self._publishers = {p.id: p for p in joined.publishers}

    def _own_streams(self, configured: Configured) -> None:
        if configured.streams:
            self._streams = configured.streams

    def _event_received(self, event: Event) -> None:
        super()._event_received(event)
        if isinstance(event, Configured):
            self._own_streams(event)
        elif isinstance(event, Unpublished) and event.id in (None, self._participant_id):
            self._streams = ()
        if isinstance(event, Publishers):
            for publisher in event.publishers:
                self._publishers[publisher.id] = publisher
        elif isinstance(event, Unpublished | Leaving | Kicked) and event.id is not None:
            self._publishers.pop(event.id, None)
        elif isinstance(event, RoomDestroyed | KickedOut):
            self._publishers.clear()
            self._streams = ()
            self._room = None

    async def join(
        self,
        room: RoomId,
        *,
        id: ParticipantId | None = None,
        display: str | None = None,
        pin: str | None = None,
        token: str | None = None,
        timeout: float | None = None,
    ) -> Joined:
        """Join a room as a participant, without publishing yet (``join``, ptype publisher).

        Args:
            room: The room.
            id: The participant id to use; Janus picks one when None.
            display: A display name.
            pin: The room's pin, if it has one.
            token: An allowed token, if the room checks them.
            timeout: Seconds to wait for Janus.

        Returns:
            This participant's ids and the room's active publishers.

        Raises:
            NoSuchRoomError: No such room.
            VideoRoomUnauthorizedError: Wrong pin or token.
            IdExistsError: The id is taken.
            AlreadyJoinedError: This handle joined already.
        """
        body = request_body(
            "join", ptype="publisher", room=room, id=id, display=display, pin=pin, token=token
        )
        joined: Joined = expect(
            parse_response(await self.send(body, timeout=timeout)), Joined, "join"
        )
        self._joined(joined, room)
        return joined

    async def join_and_configure(
        self,
        room: RoomId,
        *,
        id: ParticipantId | None = None,
        display: str | None = None,
        pin: str | None = None,
        token: str | None = None,
        audiocodec: str | None = None,
        videocodec: str | None = None,
        bitrate: int | None = None,
        record: bool | None = None,
        filename: str | None = None,
        descriptions: Mapping[str, str] | Sequence[StreamDescription] | None = None,
        audio_level_average: int | None = None,
        audio_active_packets: int | None = None,
        timeout: float | None = None,
    ) -> Joined:
        """Join a room and publish the local media at once (``joinandconfigure``).

        Args: as for :meth:`join` and :meth:`publish`.

        Returns:
            The ``joined`` answer; its ``jsep`` is Janus's (applied) answer.

        Raises:
            VideoRoomRecordingRefusedError: As for :meth:`publish`.
        """
        body = request_body(
            "joinandconfigure",
            ptype="publisher",
            room=room,
            id=id,
            display=display,
            pin=pin,
            token=token,
            audiocodec=audiocodec,
            videocodec=videocodec,
            bitrate=bitrate,
            record=record,
            filename=filename,
            descriptions=_descriptions(descriptions),
            audio_level_average=audio_level_average,
            audio_active_packets=audio_active_packets,
        )
        response = await self.negotiate_offer(body, timeout=timeout)
        joined: Joined = expect(parse_response(response), Joined, "joinandconfigure")
        self._joined(joined, room)
        await self._check_recording(record, filename, negotiated=True, timeout=timeout)
        return joined

    async def publish(
        self,
        *,
        audiocodec: str | None = None,
        videocodec: str | None = None,
        bitrate: int | None = None,
        record: bool | None = None,
        filename: str | None = None,
        display: str | None = None,
        descriptions: Mapping[str, str] | Sequence[StreamDescription] | None = None,
        audio_level_average: int | None = None,
        audio_active_packets: int | None = None,
        timeout: float | None = None,
    ) -> Configured:
        """Offer the local media and become an active publisher (``publish``).

        Args:
            audiocodec: Audio codec to prefer among those negotiated.
            videocodec: Video codec to prefer among those negotiated.
            bitrate: Bitrate cap (bits/s), overriding the room's.
            record: Record this publisher (``.mjr`` files on the Janus host, one per stream:
                ``<filename>-audio-0.mjr``, ``-video-1.mjr``...), checked with the handle's
                ``recording_check`` if it has one.
            filename: Base path of the recordings (under the room's ``rec_dir`` if it has
                one; else relative to Janus's working folder).
            display: A new display name.
            descriptions: Text descriptions of streams, by mid.
            audio_level_average: Override the room's talk-detection average.
            audio_active_packets: Override the room's talk-detection packet count.
            timeout: Seconds to wait for Janus.

        Returns:
            The ``configured`` answer; its ``jsep`` is Janus's (applied) answer.

        Raises:
            AlreadyPublishedError: Already publishing.
            JoinFirstError: Not joined.
            VideoRoomMediaRejectedError: Janus's answer rejected offered media (``m=`` port 0).
            VideoRoomRecordingRefusedError: With a ``recording_check``, and recording asked for
                (now or earlier on this handle): Janus opened no recording of some stream
                (``refused``); recording was stopped again, the publisher goes on.

        The feed is announced to the room (and can be subscribed to) once the PeerConnection
        is up: ``await publisher.wait_webrtc_up()``.
        """
        body = request_body(
            "publish",
            audiocodec=audiocodec,
            videocodec=videocodec,
            bitrate=bitrate,
            record=record,
            filename=filename,
            display=display,
            descriptions=_descriptions(descriptions),
            audio_level_average=audio_level_average,
            audio_active_packets=audio_active_packets,
        )
        pc = self.peer_connection
        if pc is not None and pc.remoteDescription is not None:
            # A negotiated PeerConnection: Janus refuses (already published) before looking at
            # any offer, so send none and leave the current call untouched.
            response = await self.send(body, timeout=timeout)
        else:
            response = await self.negotiate_offer(body, timeout=timeout)
        configured: Configured = expect(parse_response(response), Configured, "publish")
        self._own_streams(configured)
        await self._check_recording(record, filename, negotiated=True, timeout=timeout)
        return configured

    async def configure(
        self,
        *,
        bitrate: int | None = None,
        keyframe: bool | None = None,
        record: bool | None = None,
        filename: str | None = None,
        display: str | None = None,
        streams: Sequence[PublisherStreamConfig] | None = None,
        descriptions: Mapping[str, str] | Sequence[StreamDescription] | None = None,
        audio_level_average: int | None = None,
        audio_active_packets: int | None = None,
        update: bool = False,
        restart: bool | None = None,
        timeout: float | None = None,
    ) -> Configured:
        """Change publishing settings, optionally renegotiating (``configure``).

        Args:
            bitrate: A new bitrate cap (bits/s).
            keyframe: Ask this publisher for a keyframe.
            record: Start or stop recording (as for :meth:`publish`; checked the same way).
            filename: Base path of the recordings.
            display: A new display name (announced to the room).
            streams: Per-stream changes (``send``, ``keyframe``, playout delay).
            descriptions: New text descriptions of streams, by mid.
            audio_level_average: Override the room's talk-detection average.
            audio_active_packets: Override the room's talk-detection packet count.
            update: Renegotiate: offer the current local media (after adding or removing
                tracks) with this request.
            restart: Ask for an ICE restart with the renegotiation (aiortc 1.16 cannot
                restart ICE: see ``WebRTCHandle.restart_media``).
            timeout: Seconds to wait for Janus.

        Returns:
            The ``configured`` answer (with Janus's SDP answer when renegotiating).

        Raises:
            VideoRoomRecordingRefusedError: As for :meth:`publish`. Janus opens the files of a
                publisher whose media is not up yet once it is: the check then waits for
                ``webrtcup`` (within ``timeout``).
        """
        body = request_body(
            "configure",
            bitrate=bitrate,
            keyframe=keyframe,
            record=record,
            filename=filename,
            display=display,
            streams=_wire(streams),
            descriptions=_descriptions(descriptions),
            audio_level_average=audio_level_average,
            audio_active_packets=audio_active_packets,
            update=True if update else None,
            restart=restart,
        )
        if update:
            response = await self.negotiate_offer(body, timeout=timeout)
        else:
            response = await self.send(body, timeout=timeout)
        configured: Configured = expect(parse_response(response), Configured, "configure")
        self._own_streams(configured)
        await self._check_recording(record, filename, negotiated=update, timeout=timeout)
        return configured

    def parse_recordings(self, plugin_specific: Mapping[str, Any]) -> Recordings:
        """Read a publisher's ``handle_info``: each stream (``"audio-0"``...) and its file."""
        files: dict[str, str] = {}
        media: list[str] = []
        streams = plugin_specific.get("streams")
        for stream in streams if isinstance(streams, list) else ():
            if not isinstance(stream, Mapping) or stream.get("disabled") is True:
                continue
            name = f"{stream.get('type')}-{stream.get('mindex')}"
            media.append(name)
            if isinstance(stream.get("recording"), str):
                files[name] = stream["recording"]
        return Recordings(files=files, media=tuple(media))

    async def _check_recording(
        self,
        record: bool | None,
        filename: str | None,
        *,
        negotiated: bool,
        timeout: float | None,
    ) -> None:
        """Raise if this publisher asked to be recorded and a stream has no recording.

        Janus 1.1.2 (janus_videoroom.c) opens a publisher's files before it answers an offer
        (publish, configure with an update) and a ``configure`` with ``record`` once its media
        is up; before that, when the media comes up (before ``webrtcup``). It keeps
        "recording" on after it failed to open them, and then ignores the next ``record``:
        hence the ``record: false`` before raising.
        """
        if record is not None:
            self._recording_asked = record
        if not self._recording_asked or self.recording_check is None:
            return
        if record is None and not negotiated:
            return  # nothing new to record: checked when it was asked for
        if self.peer_connection is None or not (negotiated or self._streams):
            return  # not publishing: Janus opens the files when this publishes
        if not negotiated and not self.webrtc_up:
            await self.wait_webrtc_up(timeout=self._limit(timeout))
        try:
            await self._verify_recording(
                None,
                filename=filename,
                undo={"request": "configure", "record": False},
                timeout=timeout,
            )
        except RecordingRefusedError:
            self._recording_asked = False  # stopped again
            raise

    async def unpublish(self, *, timeout: float | None = None) -> None:
        """Stop publishing; the participant stays in the room (``unpublish``).

        Janus closes the PeerConnection; local tracks stay, ready for :meth:`publish`.

        Raises:
            NotPublishedError: Not publishing.
        """
        await self._send_closing_media(request_body("unpublish"), timeout)
        self._streams = ()

    async def leave(self, *, timeout: float | None = None) -> None:
        """Leave the room (``leave``), unpublishing first when publishing.

        Janus keeps a leaving publisher's PeerConnection until a hangup, and once the
        participant has left it no longer updates subscriptions to its feed; unpublishing
        first lets subscribers drop its streams (``updated``) and the others hear both
        ``unpublished`` and ``leaving``.
        """
        if self.peer_connection is not None:
            try:
                await self.unpublish(timeout=timeout)
            except NotPublishedError:
                await self.hangup(timeout=timeout)
        await self.send(request_body("leave"), timeout=timeout)
        self._room = None
        self._publishers.clear()
        self._streams = ()


class VideoRoomSubscriber(_VideoRoomMedia):
    """A subscription: receives streams of one or more publishers on one PeerConnection.

    Attach it by class: ``await session.attach(VideoRoomSubscriber)``. Janus offers, this
    handle answers::

        sub = await session.attach(VideoRoomSubscriber)
        sub.configure_rtc(RTCConfiguration(iceServers=[]))
        counter = sub.record_to(FrameCounter())
        await sub.join(room, streams=[SubscribeStream(feed=alice), SubscribeStream(feed=bob)])

    Each remote track's ``mid`` maps to a publisher through :meth:`feed_of`.

    Attributes:
        auto_answer: Answer the offers Janus sends on its own (``updated`` after a subscribed
            publisher left, or a renegotiation it had queued). True by default; set it to
            False to answer them yourself with :meth:`start`.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._room: RoomId | None = None
        self._streams: tuple[SubscriptionStream, ...] = ()
        self.auto_answer = True

    @property
    def room(self) -> RoomId | None:
        """The room subscribed in, or None."""
        return self._room

    @property
    def streams(self) -> tuple[SubscriptionStream, ...]:
        """The subscription's m-lines, as Janus last described them."""
        return self._streams

    def feed_of(self, mid: str | None) -> ParticipantId | None:
        """Return the publisher feeding the subscription m-line ``mid``, if any."""
        for stream in self._streams:
            if stream.mid == mid and stream.active:
                return stream.feed_id
        return None

    def mids_of(self, feed: ParticipantId, kind: str | None = None) -> tuple[str, ...]:
        """Return the subscription mids fed by a publisher (of one kind, if given)."""
        return tuple(
            s.mid
            for s in self._streams
            if s.feed_id == feed and s.active and s.mid is not None and kind in (None, s.type)
        )

    def _track_streams(self, event: PluginEvent) -> None:
        if isinstance(event, Attached | Switched) or (
            isinstance(event, Updated) and (event.streams or event.jsep is not None)
        ):
            self._streams = event.streams

    def _event_received(self, event: Event) -> None:
        super()._event_received(event)
        if isinstance(event, PluginEvent):
            self._track_streams(event)
        if isinstance(event, RoomDestroyed):
            self._room = None
        jsep = event.jsep if isinstance(event, Updated) else None
        if jsep is not None and jsep.type == "offer" and self.auto_answer and not self.detached:
            self._spawn(self._answer_unsolicited(jsep))

    async def _answer_unsolicited(self, offer: Jsep) -> None:
        try:
            await self.start(offer=offer)
        except JanusError as exc:
            logger.warning("handle %d: could not answer Janus's new offer: %s", self.id, exc)

    async def _negotiated(self, response: PluginResponse, kind: type[Any], request: str) -> Any:
        """Read an answer; when it carries Janus's offer, answer it with ``start``."""
        event = expect(parse_response(response), kind, request)
        self._track_streams(event)
        if event.jsep is not None and event.jsep.type == "offer":
            await self.start(offer=event.jsep)
        return event

    async def join(
        self,
        room: RoomId,
        *,
        streams: Sequence[SubscribeStream | ParticipantId],
        private_id: int | None = None,
        use_msid: bool | None = None,
        autoupdate: bool | None = None,
        pin: str | None = None,
        token: str | None = None,
        answer: bool = True,
        timeout: float | None = None,
    ) -> Attached:
        """Subscribe to streams of one or more publishers (``join``, ptype subscriber).

        Args:
            room: The room.
            streams: What to receive: :class:`~janus_videoroom.streams.SubscribeStream`
                entries, or plain publisher ids (all their streams).
            private_id: The ``private_id`` of the participant subscribing (required in
                ``require_pvtid`` rooms).
            use_msid: Add an msid referencing the publisher to each m-line.
            autoupdate: Whether Janus renegotiates by itself when a publisher leaves
                (default True).
            pin: The room's pin, if it has one.
            token: An allowed token, if the room checks them.
            answer: Answer Janus's offer at once (``start`` with the answer). With False, call
                :meth:`start` with the returned ``jsep`` yourself.
            timeout: Seconds to wait for Janus.

        Returns:
            The ``attached`` answer: the subscription's m-lines and Janus's offer.

        Raises:
            NoSuchRoomError: No such room.
            NoSuchFeedError: A publisher does not exist or does not publish.
            VideoRoomUnauthorizedError: Wrong pin or token.
        """
        body = request_body(
            "join",
            ptype="subscriber",
            room=room,
            streams=self._subscribe_wire(streams),
            private_id=private_id,
            use_msid=use_msid,
            autoupdate=autoupdate,
            pin=pin,
            token=token,
        )
        response = await self.send(body, timeout=timeout)
        attached: Attached = expect(parse_response(response), Attached, "join")
        self._room = attached.room if attached.room is not None else room
        self._streams = attached.streams
        if answer and attached.jsep is not None:
            await self.start(offer=attached.jsep, timeout=timeout)
        return attached

    async def start(self, *, offer: Jsep | None = None, timeout: float | None = None) -> Started:
        """Complete a negotiation, or resume a paused subscription (``start``).

        Args:
            offer: Janus's offer to answer (from ``join``, an update or a configure); None
                resumes media after :meth:`pause`.
            timeout: Seconds to wait for Janus.
        """
        body = request_body("start")
        if offer is not None:
            # The core routes the new SSRC of an m-line Janus reuses after an unsubscribe.
            response = await self.accept_offer(offer, body, timeout=timeout)
        else:
            response = await self.send(body, timeout=timeout)
        started: Started = expect(parse_response(response), Started, "start")
        return started

    async def pause(self, *, timeout: float | None = None) -> Paused:
        """Stop the delivery of every stream for a while; :meth:`start` resumes (``pause``)."""
        paused: Paused = expect(
            parse_response(await self.send(request_body("pause"), timeout=timeout)), Paused, "pause"
        )
        return paused

    async def configure(
        self,
        *,
        streams: Sequence[SubscriberStreamConfig] | None = None,
        update: bool | None = None,
        restart: bool | None = None,
        timeout: float | None = None,
    ) -> Configured:
        """Change what is relayed per m-line (``configure``).

        Args:
            streams: Per m-line changes: ``send`` on/off, simulcast substream and temporal
                layer, SVC layers, playout delay.
            update: Ask Janus for a new offer (renegotiation), answered at once.
            restart: Ask for an offer with an ICE restart (aiortc 1.16 cannot restart ICE:
                prefer ``WebRTCHandle.restart_media``).
            timeout: Seconds to wait for Janus.
        """
        body = request_body("configure", streams=_wire(streams), update=update, restart=restart)
        response = await self.send(body, timeout=timeout)
        configured: Configured = await self._negotiated(response, Configured, "configure")
        return configured

    async def switch(
        self, streams: Sequence[SwitchStream], *, timeout: float | None = None
    ) -> Switched:
        """Feed m-lines from other publishers' streams, without renegotiating (``switch``).

        The new source must use the same codec as the old one.
        """
        response = await self.send(request_body("switch", streams=_wire(streams)), timeout=timeout)
        switched: Switched = await self._negotiated(response, Switched, "switch")
        return switched

    async def subscribe_streams(
        self, streams: Sequence[SubscribeStream | ParticipantId], *, timeout: float | None = None
    ) -> Updated | Updating:
        """Add streams to the subscription and renegotiate (``subscribe``).

        (Named so as not to shadow ``Handle.subscribe``, which subscribes to events.)

        Returns:
            :class:`~janus_videoroom.messages.Updated` (the offer was answered), or
            :class:`~janus_videoroom.messages.Updating` when Janus queued the change behind a
            negotiation in progress (its offer is answered when it comes, see
            :attr:`auto_answer`). The result is also published as an event on this handle,
            so ``wait_for(Updated)`` works the same whichever way Janus answered.
        """
        return await self.update(subscribe=streams, timeout=timeout)

    async def unsubscribe_streams(
        self, streams: Sequence[UnsubscribeStream], *, timeout: float | None = None
    ) -> Updated | Updating:
        """Remove streams from the subscription and renegotiate (``unsubscribe``).

        Returns:
            As for :meth:`subscribe_streams`.
        """
        return await self.update(unsubscribe=streams, timeout=timeout)

    async def update(
        self,
        *,
        subscribe: Sequence[SubscribeStream | ParticipantId] = (),
        unsubscribe: Sequence[UnsubscribeStream] = (),
        timeout: float | None = None,
    ) -> Updated | Updating:
        """Add and remove streams in one renegotiation (``update``).

        Returns:
            As for :meth:`subscribe_streams`.

        Raises:
            ValueError: Nothing to subscribe or unsubscribe.
        """
        if not subscribe and not unsubscribe:
            raise ValueError("update() needs streams to subscribe or to unsubscribe")
        fields: dict[str, Any]
        if subscribe and not unsubscribe:
            request, fields = "subscribe", {"streams": self._subscribe_wire(subscribe)}
        elif unsubscribe and not subscribe:
            request, fields = "unsubscribe", {"streams": _wire(unsubscribe)}
        else:
            request = "update"
            fields = {
                "subscribe": self._subscribe_wire(subscribe),
                "unsubscribe": _wire(unsubscribe),
            }
        response = await self.send(request_body(request, **fields), timeout=timeout)
        event = parse_response(response)
        if isinstance(event, Updating):
            self._publish(event)
            return event
        updated: Updated = await self._negotiated(response, Updated, request)
        # The same result as an event, as when Janus sends it later (after an Updating): a
        # wait_for(Updated) made before the request sees it either way.
        self._publish(updated)
        return updated

    @staticmethod
    def _subscribe_wire(streams: Sequence[SubscribeStream | ParticipantId]) -> list[dict[str, Any]]:
        return [s.to_wire() if isinstance(s, SubscribeStream) else {"feed": s} for s in streams]

    async def leave(self, *, timeout: float | None = None) -> None:
        """Close the subscription and its PeerConnection (``leave``)."""
        await self._send_closing_media(request_body("leave"), timeout)
        self._room = None
        self._streams = ()
