"""VideoRoom handles: publishers, subscribers, and room administration on both.

Every request of the VideoRoom plugin of Janus 1.1.2 (``src/plugins/janus_videoroom.c``,
multistream API) is one method with keyword-only, typed arguments and a typed result:

- room administration (:class:`VideoRoomAdmin`, inherited by both handles): ``create``,
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
import dataclasses
import logging
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from aiortc import RTCBundlePolicy, RTCConfiguration
from aiortc import sdp as aiortc_sdp
from aiortc.jitterbuffer import JitterBuffer

from janus_webrtc import (
    ConnectionStateChanged,
    Event,
    JanusError,
    JanusTimeoutError,
    Jsep,
    MediaRejectedError,
    PluginError,
    PluginEvent,
    ProtocolError,
    WebRTCHandle,
)
from janus_webrtc.handle import Handle

from .errors import NotPublishedError, VideoRoomError, VideoRoomMediaRejectedError
from .messages import (
    Attached,
    Configured,
    Forwarder,
    Joined,
    Kicked,
    KickedOut,
    Leaving,
    Participant,
    Paused,
    Publisher,
    PublisherForwarders,
    Publishers,
    RemotePublisherAdded,
    RemoteRecipient,
    RoomCreated,
    RoomDestroyed,
    RoomInfo,
    RtpForwarded,
    Started,
    SubscriptionStream,
    Switched,
    Unpublished,
    Updated,
    Updating,
    _bool,
    _id,
    _int,
    _maps,
    _str,
    parse_event,
    parse_response,
    parse_room,
)
from .streams import (
    ForwardStream,
    ParticipantId,
    PublisherStreamConfig,
    RemoteStream,
    RoomId,
    StreamDescription,
    SubscriberStreamConfig,
    SubscribeStream,
    SwitchStream,
    UnsubscribeStream,
)

if TYPE_CHECKING:
    from janus_webrtc import PluginResponse

__all__ = ["VideoRoomAdmin", "VideoRoomPublisher", "VideoRoomSubscriber"]

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())

PLUGIN_ID = "janus.plugin.videoroom"

AllowedAction = Literal["enable", "disable", "add", "remove"]


def _body(request: str, **options: Any) -> dict[str, Any]:
    """Build a request: the options given (``None`` means "not given", so not sent)."""
    body: dict[str, Any] = {"request": request}
    body.update((name, value) for name, value in options.items() if value is not None)
    return body


def _wire(items: Sequence[Any] | None) -> list[dict[str, Any]] | None:
    """Turn a sequence of stream descriptions into JSON (None stays None)."""
    return None if items is None else [item.to_wire() for item in items]


def _descriptions(
    descriptions: Mapping[str, str] | Sequence[StreamDescription] | None,
) -> list[dict[str, Any]] | None:
    if descriptions is None:
        return None
    if isinstance(descriptions, Mapping):
        return [{"mid": mid, "description": text} for mid, text in descriptions.items()]
    return [d.to_wire() for d in descriptions]


def _expect(event: PluginEvent, kind: type[Any], request: str) -> Any:
    if not isinstance(event, kind):
        raise ProtocolError(f"unexpected VideoRoom answer to {request!r}: {dict(event.data)!r}")
    return event


def _reset_jitter_buffer(receiver: Any) -> None:
    """Give an aiortc receiver an empty jitter buffer of the same shape (see its caller)."""
    name = "_RTCRtpReceiver__jitter_buffer"
    old = getattr(receiver, name, None)
    if not isinstance(old, JitterBuffer):
        logger.warning("cannot reset the jitter buffer of a receiver with this aiortc")
        return
    setattr(
        receiver,
        name,
        JitterBuffer(
            capacity=old.capacity,
            prefetch=getattr(old, "_prefetch", 0),
            is_video=bool(getattr(old, "_is_video", False)),
        ),
    )


class VideoRoomAdmin(Handle):
    """Room administration requests, available on every VideoRoom handle.

    A mixin: :class:`VideoRoomPublisher` and :class:`VideoRoomSubscriber` inherit it, so any
    handle attached to the plugin can manage rooms. These requests are synchronous in Janus:
    the answer comes at once.
    """

    plugin_id: ClassVar[str] = PLUGIN_ID
    error_class: ClassVar[type[PluginError]] = VideoRoomError

    async def _ask(self, body: Mapping[str, Any], timeout: float | None) -> Mapping[str, Any]:
        response = await self.send(body, timeout=timeout)
        return response.data

    # -- rooms ----------------------------------------------------------------------------

    async def create_room(
        self,
        *,
        room: RoomId | None = None,
        permanent: bool | None = None,
        description: str | None = None,
        secret: str | None = None,
        pin: str | None = None,
        is_private: bool | None = None,
        allowed: Sequence[str] | None = None,
        require_pvtid: bool | None = None,
        signed_tokens: bool | None = None,
        publishers: int | None = None,
        bitrate: int | None = None,
        bitrate_cap: bool | None = None,
        fir_freq: int | None = None,
        audiocodec: str | None = None,
        videocodec: str | None = None,
        vp9_profile: str | None = None,
        h264_profile: str | None = None,
        opus_fec: bool | None = None,
        opus_dtx: bool | None = None,
        video_svc: bool | None = None,
        audiolevel_ext: bool | None = None,
        audiolevel_event: bool | None = None,
        audio_active_packets: int | None = None,
        audio_level_average: int | None = None,
        videoorient_ext: bool | None = None,
        playoutdelay_ext: bool | None = None,
        transport_wide_cc_ext: bool | None = None,
        record: bool | None = None,
        rec_dir: str | None = None,
        lock_record: bool | None = None,
        notify_joining: bool | None = None,
        require_e2ee: bool | None = None,
        dummy_publisher: bool | None = None,
        dummy_streams: Sequence[str | Mapping[str, Any]] | None = None,
        admin_key: str | None = None,
        timeout: float | None = None,
    ) -> RoomCreated:
        """Create a room (``create``).

        Args:
            room: Its id; Janus picks one when None.
            permanent: Also save it in the plugin's configuration file.
            description: A pretty name.
            secret: The secret needed to edit or destroy it (and for other admin requests).
            pin: The pin needed to join it.
            is_private: Hide it from ``list``.
            allowed: Tokens allowed to join (enables the check, see :meth:`allowed`).
            require_pvtid: Subscriptions must give the ``private_id`` of a participant.
            signed_tokens: Joining needs a signed token (with signed tokens in the core).
            publishers: Maximum concurrent publishers (default 3).
            bitrate: Bitrate cap of publishers, bits/s.
            bitrate_cap: Whether publishers cannot raise their cap above ``bitrate``.
            fir_freq: Seconds between keyframe requests to publishers (0: never).
            audiocodec: Allowed audio codecs, comma separated by preference (``"opus"``).
            videocodec: Allowed video codecs, comma separated by preference (``"vp8"``).
            vp9_profile: VP9 profile to prefer.
            h264_profile: H.264 profile to prefer.
            opus_fec: Negotiate Opus in-band FEC (default True).
            opus_dtx: Negotiate Opus DTX.
            video_svc: Enable VP9-SVC.
            audiolevel_ext: Negotiate the audio-level RTP extension (default True).
            audiolevel_event: Send talking events.
            audio_active_packets: Packets with audio level per talk check (default 100).
            audio_level_average: Average level that counts as talking (default 25).
            videoorient_ext: Negotiate the video-orientation extension (default True).
            playoutdelay_ext: Negotiate the playout-delay extension (default True).
            transport_wide_cc_ext: Negotiate transport-wide congestion control (default True).
            record: Record every publisher.
            rec_dir: Folder of the recordings (on the Janus host).
            lock_record: Changing the recording state needs the secret.
            notify_joining: Announce participants that join without publishing.
            require_e2ee: Require end-to-end encrypted media.
            dummy_publisher: Add a placeholder publisher (for placeholder subscriptions).
            dummy_streams: The codecs of the placeholder publisher.
            admin_key: The plugin's admin key, when it is configured with one.
            timeout: Seconds to wait for Janus.

        Returns:
            The room id and whether it was saved.

        Raises:
            RoomExistsError: A room with that id exists.
            VideoRoomUnauthorizedError: Wrong ``admin_key``.
        """
        body = _body(
            "create",
            room=room,
            permanent=permanent,
            description=description,
            secret=secret,
            pin=pin,
            is_private=is_private,
            allowed=list(allowed) if allowed is not None else None,
            require_pvtid=require_pvtid,
            signed_tokens=signed_tokens,
            publishers=publishers,
            bitrate=bitrate,
            bitrate_cap=bitrate_cap,
            fir_freq=fir_freq,
            audiocodec=audiocodec,
            videocodec=videocodec,
            vp9_profile=vp9_profile,
            h264_profile=h264_profile,
            opus_fec=opus_fec,
            opus_dtx=opus_dtx,
            video_svc=video_svc,
            audiolevel_ext=audiolevel_ext,
            audiolevel_event=audiolevel_event,
            audio_active_packets=audio_active_packets,
            audio_level_average=audio_level_average,
            videoorient_ext=videoorient_ext,
            playoutdelay_ext=playoutdelay_ext,
            transport_wide_cc_ext=transport_wide_cc_ext,
            record=record,
            rec_dir=rec_dir,
            lock_record=lock_record,
            notify_joining=notify_joining,
            require_e2ee=require_e2ee,
            dummy_publisher=dummy_publisher,
            dummy_streams=list(dummy_streams) if dummy_streams is not None else None,
            admin_key=admin_key,
        )
        data = await self._ask(body, timeout)
        created = _id(data.get("room"))
        if created is None:
            raise ProtocolError("the VideoRoom answer to 'create' carries no room id")
        return RoomCreated(room=created, permanent=bool(data.get("permanent")))

    async def edit_room(
        self,
        room: RoomId,
        *,
        secret: str | None = None,
        new_description: str | None = None,
        new_secret: str | None = None,
        new_pin: str | None = None,
        new_is_private: bool | None = None,
        new_require_pvtid: bool | None = None,
        new_bitrate: int | None = None,
        new_fir_freq: int | None = None,
        new_publishers: int | None = None,
        new_lock_record: bool | None = None,
        new_rec_dir: str | None = None,
        permanent: bool | None = None,
        timeout: float | None = None,
    ) -> None:
        """Change a room's editable properties (``edit``).

        Args:
            room: The room.
            secret: The room's secret, if it has one.
            new_description: A new pretty name.
            new_secret: A new secret.
            new_pin: A new pin.
            new_is_private: Hide it from ``list``, or show it.
            new_require_pvtid: Whether subscriptions need a ``private_id``.
            new_bitrate: A new bitrate cap for publishers.
            new_fir_freq: A new keyframe request period.
            new_publishers: A new maximum of concurrent publishers.
            new_lock_record: Whether changing the recording state needs the secret.
            new_rec_dir: A new recordings folder.
            permanent: Also change the configuration file.
            timeout: Seconds to wait for Janus.

        Raises:
            NoSuchRoomError: No such room.
            VideoRoomUnauthorizedError: Wrong secret.
        """
        await self._ask(
            _body(
                "edit",
                room=room,
                secret=secret,
                new_description=new_description,
                new_secret=new_secret,
                new_pin=new_pin,
                new_is_private=new_is_private,
                new_require_pvtid=new_require_pvtid,
                new_bitrate=new_bitrate,
                new_fir_freq=new_fir_freq,
                new_publishers=new_publishers,
                new_lock_record=new_lock_record,
                new_rec_dir=new_rec_dir,
                permanent=permanent,
            ),
            timeout,
        )

    async def destroy_room(
        self,
        room: RoomId,
        *,
        secret: str | None = None,
        permanent: bool | None = None,
        timeout: float | None = None,
    ) -> None:
        """Destroy a room, kicking everyone out (``destroy``).

        Participants receive a :class:`~janus_videoroom.messages.RoomDestroyed` event.

        Raises:
            NoSuchRoomError: No such room.
            VideoRoomUnauthorizedError: Wrong secret.
        """
        await self._ask(_body("destroy", room=room, secret=secret, permanent=permanent), timeout)

    async def room_exists(self, room: RoomId, *, timeout: float | None = None) -> bool:
        """Return whether a room exists (``exists``)."""
        data = await self._ask(_body("exists", room=room), timeout)
        return bool(data.get("exists"))

    async def list_rooms(
        self, *, admin_key: str | None = None, timeout: float | None = None
    ) -> list[RoomInfo]:
        """List the rooms (``list``); private ones too when given the plugin's admin key."""
        data = await self._ask(_body("list", admin_key=admin_key), timeout)
        return [parse_room(item) for item in _maps(data.get("list"))]

    async def allowed(
        self,
        room: RoomId,
        action: AllowedAction,
        *,
        tokens: Sequence[str] | None = None,
        secret: str | None = None,
        timeout: float | None = None,
    ) -> tuple[str, ...]:
        """Manage the tokens allowed to join a room (``allowed``).

        Args:
            room: The room.
            action: ``"enable"`` or ``"disable"`` the token check, or ``"add"``/``"remove"``
                ``tokens``.
            tokens: The tokens to add or remove.
            secret: The room's secret, if it has one.
            timeout: Seconds to wait for Janus.

        Returns:
            The complete list of allowed tokens after the change (empty after ``disable``).
        """
        data = await self._ask(
            _body(
                "allowed",
                room=room,
                action=action,
                allowed=list(tokens) if tokens is not None else None,
                secret=secret,
            ),
            timeout,
        )
        allowed = data.get("allowed")
        return tuple(t for t in allowed if isinstance(t, str)) if isinstance(allowed, list) else ()

    async def kick(
        self,
        room: RoomId,
        participant_id: ParticipantId,
        *,
        secret: str | None = None,
        timeout: float | None = None,
    ) -> None:
        """Kick a participant out of a room (``kick``).

        The participant receives :class:`~janus_videoroom.messages.KickedOut`, the others
        :class:`~janus_videoroom.messages.Kicked`. It may join again unless removed from the
        allowed tokens first.

        Raises:
            NoSuchFeedError: No such participant.
        """
        await self._ask(_body("kick", room=room, id=participant_id, secret=secret), timeout)

    async def moderate(
        self,
        room: RoomId,
        participant_id: ParticipantId,
        mid: str,
        *,
        mute: bool,
        secret: str | None = None,
        timeout: float | None = None,
    ) -> None:
        """Mute (or unmute) one stream of a participant for everyone (``moderate``).

        Args:
            room: The room.
            participant_id: The participant.
            mid: The participant's stream.
            mute: Mute (True) or lift the moderator's mute (False).
            secret: The room's secret, if it has one.
            timeout: Seconds to wait for Janus.
        """
        await self._ask(
            _body("moderate", room=room, id=participant_id, mid=mid, mute=mute, secret=secret),
            timeout,
        )

    async def enable_recording(
        self,
        room: RoomId,
        *,
        record: bool,
        secret: str | None = None,
        timeout: float | None = None,
    ) -> bool:
        """Start or stop recording every publisher of a room (``enable_recording``).

        Returns:
            Whether the room records now.
        """
        data = await self._ask(
            _body("enable_recording", room=room, record=record, secret=secret), timeout
        )
        return bool(data.get("record", record))

    async def list_participants(
        self, room: RoomId, *, timeout: float | None = None
    ) -> list[Participant]:
        """List a room's participants (``listparticipants``)."""
        data = await self._ask(_body("listparticipants", room=room), timeout)
        return [
            Participant(
                id=ident,
                display=_str(item.get("display")),
                publisher=bool(item.get("publisher")),
                talking=_bool(item.get("talking")),
            )
            for item in _maps(data.get("participants"))
            if (ident := _id(item.get("id"))) is not None
        ]

    # -- RTP forwarders -------------------------------------------------------------------

    async def list_forwarders(
        self, room: RoomId, *, secret: str | None = None, timeout: float | None = None
    ) -> list[PublisherForwarders]:
        """List the RTP forwarders of a room's publishers (``listforwarders``)."""
        data = await self._ask(_body("listforwarders", room=room, secret=secret), timeout)
        return [
            PublisherForwarders(
                publisher_id=ident,
                display=_str(item.get("display")),
                forwarders=tuple(Forwarder.from_wire(f) for f in _maps(item.get("forwarders"))),
            )
            for item in _maps(data.get("publishers"))
            if (ident := _id(item.get("publisher_id"))) is not None
        ]

    async def rtp_forward(
        self,
        room: RoomId,
        publisher_id: ParticipantId,
        *,
        host: str,
        streams: Sequence[ForwardStream],
        host_family: Literal["ipv4", "ipv6"] | None = None,
        srtp_suite: int | None = None,
        srtp_crypto: str | None = None,
        secret: str | None = None,
        admin_key: str | None = None,
        timeout: float | None = None,
    ) -> RtpForwarded:
        """Forward a publisher's streams over plain (or SRTP) RTP (``rtp_forward``).

        Args:
            room: The room.
            publisher_id: The publisher.
            host: Where to send (each stream may override it).
            streams: The streams to forward and their ports.
            host_family: ``"ipv4"`` or ``"ipv6"``, to resolve ``host``.
            srtp_suite: SRTP authentication tag length (32 or 80) for every stream.
            srtp_crypto: SRTP key (base64) for every stream.
            secret: The room's secret, if it has one.
            admin_key: The plugin's admin key, if it locks forwarding.
            timeout: Seconds to wait for Janus.

        Returns:
            The forwarders created (their ``stream_id`` stops them).

        Raises:
            NoSuchFeedError: No such publisher.
        """
        data = await self._ask(
            _body(
                "rtp_forward",
                room=room,
                publisher_id=publisher_id,
                host=host,
                host_family=host_family,
                streams=_wire(streams),
                srtp_suite=srtp_suite,
                srtp_crypto=srtp_crypto,
                secret=secret,
                admin_key=admin_key,
            ),
            timeout,
        )
        return RtpForwarded(
            room=_id(data.get("room")) or room,
            publisher_id=_id(data.get("publisher_id")) or publisher_id,
            forwarders=tuple(Forwarder.from_wire(f) for f in _maps(data.get("forwarders"))),
        )

    async def stop_rtp_forward(
        self,
        room: RoomId,
        publisher_id: ParticipantId,
        stream_id: int,
        *,
        secret: str | None = None,
        admin_key: str | None = None,
        timeout: float | None = None,
    ) -> None:
        """Stop one RTP forwarder (``stop_rtp_forward``).

        Raises:
            NoSuchFeedError: No such publisher or forwarder.
        """
        await self._ask(
            _body(
                "stop_rtp_forward",
                room=room,
                publisher_id=publisher_id,
                stream_id=stream_id,
                secret=secret,
                admin_key=admin_key,
            ),
            timeout,
        )

    # -- remote publishers ------------------------------------------------------------------

    async def add_remote_publisher(
        self,
        room: RoomId,
        *,
        streams: Sequence[RemoteStream],
        id: ParticipantId | None = None,
        display: str | None = None,
        iface: str | None = None,
        mcast: str | None = None,
        port: int | None = None,
        rtcp_port: int | None = None,
        secret: str | None = None,
        timeout: float | None = None,
    ) -> RemotePublisherAdded:
        """Add a publisher whose media another Janus sends (``add_remote_publisher``).

        Janus opens a UDP port for its RTP; give it to ``publish_remotely`` on the Janus
        (and room) where the real publisher is.

        Args:
            room: The room.
            streams: The remote publisher's streams (as announced to subscribers).
            id: Its participant id; Janus picks one when None.
            display: Its display name.
            iface: The interface or address to listen on (default: all).
            mcast: A multicast group to listen on.
            port: The RTP port (default: one of the plugin's range).
            rtcp_port: The RTCP port (default: one of the plugin's range).
            secret: The room's secret, if it has one.
            timeout: Seconds to wait for Janus.

        Returns:
            Its id and where Janus listens.

        Raises:
            IdExistsError: The id is taken.
        """
        data = await self._ask(
            _body(
                "add_remote_publisher",
                room=room,
                id=id,
                display=display,
                iface=iface,
                mcast=mcast,
                port=port,
                rtcp_port=rtcp_port,
                streams=_wire(streams),
                secret=secret,
            ),
            timeout,
        )
        ident, listen_port = _id(data.get("id")), _int(data.get("port"))
        if ident is None or listen_port is None:
            raise ProtocolError("the answer to 'add_remote_publisher' has no id or port")
        return RemotePublisherAdded(
            room=_id(data.get("room")) or room,
            id=ident,
            ip=_str(data.get("ip")),
            port=listen_port,
            rtcp_port=_int(data.get("rtcp_port")),
        )

    async def update_remote_publisher(
        self,
        room: RoomId,
        id: ParticipantId,
        *,
        streams: Sequence[RemoteStream],
        display: str | None = None,
        secret: str | None = None,
        timeout: float | None = None,
    ) -> None:
        """Change a remote publisher's streams or display name (``update_remote_publisher``).

        Streams with a known mid are updated (``disabled``, ``description``...), new ones
        added; subscribers receive a :class:`~janus_videoroom.messages.Publishers` event.
        """
        await self._ask(
            _body(
                "update_remote_publisher",
                room=room,
                id=id,
                streams=_wire(streams),
                display=display,
                secret=secret,
            ),
            timeout,
        )

    async def remove_remote_publisher(
        self,
        room: RoomId,
        id: ParticipantId,
        *,
        secret: str | None = None,
        timeout: float | None = None,
    ) -> None:
        """Remove a remote publisher (``remove_remote_publisher``).

        Raises:
            NoSuchFeedError: No such remote publisher.
        """
        await self._ask(_body("remove_remote_publisher", room=room, id=id, secret=secret), timeout)

    async def publish_remotely(
        self,
        room: RoomId,
        publisher_id: ParticipantId,
        *,
        remote_id: str,
        host: str,
        port: int,
        host_family: Literal["ipv4", "ipv6"] | None = None,
        rtcp_port: int | None = None,
        secret: str | None = None,
        admin_key: str | None = None,
        timeout: float | None = None,
    ) -> str:
        """Restream a local publisher to a remote publisher elsewhere (``publish_remotely``).

        Args:
            room: The publisher's room.
            publisher_id: The (local) publisher.
            remote_id: An id of your choice for this restream.
            host: The address of the Janus holding the remote publisher.
            port: Its RTP port (from :meth:`add_remote_publisher`).
            host_family: ``"ipv4"`` or ``"ipv6"``, to resolve ``host``.
            rtcp_port: Its RTCP port, to get feedback (keyframe requests).
            secret: The room's secret, if it has one.
            admin_key: The plugin's admin key, if it locks forwarding.
            timeout: Seconds to wait for Janus.

        Returns:
            The ``remote_id``.

        Raises:
            IdExistsError: That ``remote_id`` exists for this publisher.
            NoSuchFeedError: No such publisher.
        """
        data = await self._ask(
            _body(
                "publish_remotely",
                room=room,
                publisher_id=publisher_id,
                remote_id=remote_id,
                host=host,
                host_family=host_family,
                port=port,
                rtcp_port=rtcp_port,
                secret=secret,
                admin_key=admin_key,
            ),
            timeout,
        )
        return _str(data.get("remote_id")) or remote_id

    async def unpublish_remotely(
        self,
        room: RoomId,
        publisher_id: ParticipantId,
        *,
        remote_id: str,
        secret: str | None = None,
        timeout: float | None = None,
    ) -> None:
        """Stop a restream made by :meth:`publish_remotely` (``unpublish_remotely``).

        Raises:
            NoSuchFeedError: No such publisher or restream.
        """
        await self._ask(
            _body(
                "unpublish_remotely",
                room=room,
                publisher_id=publisher_id,
                remote_id=remote_id,
                secret=secret,
            ),
            timeout,
        )

    async def list_remotes(
        self,
        room: RoomId,
        publisher_id: ParticipantId,
        *,
        secret: str | None = None,
        timeout: float | None = None,
    ) -> list[RemoteRecipient]:
        """List where a local publisher is restreamed (``listremotes``)."""
        data = await self._ask(
            _body("listremotes", room=room, publisher_id=publisher_id, secret=secret), timeout
        )
        return [
            RemoteRecipient(
                remote_id=_str(item.get("remote_id")) or "",
                host=_str(item.get("host")),
                port=_int(item.get("port")),
                rtcp_port=_int(item.get("rtcp_port")),
            )
            for item in _maps(data.get("list"))
        ]

    # -- events ---------------------------------------------------------------------------

    def parse_plugin_event(self, event: PluginEvent) -> Event:
        """Turn the plugin's events into typed ones (see :mod:`janus_videoroom.messages`)."""
        return parse_event(event)


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


class VideoRoomPublisher(_VideoRoomMedia):
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
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._room: RoomId | None = None
        self._participant_id: ParticipantId | None = None
        self._private_id: int | None = None
        self._publishers: dict[ParticipantId, Publisher] = {}

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

    def _joined(self, joined: Joined, room: RoomId) -> None:
        self._room = joined.room if joined.room is not None else room
        self._participant_id = joined.id
        self._private_id = joined.private_id
        self._publishers = {p.id: p for p in joined.publishers}

    def _event_received(self, event: Event) -> None:
        super()._event_received(event)
        if isinstance(event, Publishers):
            for publisher in event.publishers:
                self._publishers[publisher.id] = publisher
        elif isinstance(event, Unpublished | Leaving | Kicked) and event.id is not None:
            self._publishers.pop(event.id, None)
        elif isinstance(event, RoomDestroyed | KickedOut):
            self._publishers.clear()
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
        body = _body(
            "join", ptype="publisher", room=room, id=id, display=display, pin=pin, token=token
        )
        joined: Joined = _expect(
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
        """
        body = _body(
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
        joined: Joined = _expect(parse_response(response), Joined, "joinandconfigure")
        self._joined(joined, room)
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
            record: Record this publisher (``.mjr`` files on the Janus host).
            filename: Base path of the recordings.
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
            VideoRoomMediaRejectedError: The room refused the offered media (such as a codec
                it does not allow).
        """
        body = _body(
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
        configured: Configured = _expect(parse_response(response), Configured, "publish")
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
            record: Start or stop recording.
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
        """
        body = _body(
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
        configured: Configured = _expect(parse_response(response), Configured, "configure")
        return configured

    async def unpublish(self, *, timeout: float | None = None) -> None:
        """Stop publishing; the participant stays in the room (``unpublish``).

        Janus closes the PeerConnection; local tracks stay, ready for :meth:`publish`.

        Raises:
            NotPublishedError: Not publishing.
        """
        await self._send_closing_media(_body("unpublish"), timeout)

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
        await self.send(_body("leave"), timeout=timeout)
        self._room = None
        self._publishers.clear()


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
        self.configure_rtc(self.rtc_configuration)

    def configure_rtc(self, configuration: RTCConfiguration | None) -> None:
        """Set the ``RTCConfiguration`` of the next peer connection, always with max-bundle.

        Janus bundles every m-line of a subscription on one transport. With aiortc's default
        ``balanced`` policy, an answer with two m-lines of one kind leaves the second on a
        transport that is then discarded, and it never receives media; so this handle always
        uses ``RTCBundlePolicy.MAX_BUNDLE`` (``None`` keeps aiortc's other defaults).
        """
        if configuration is None:
            configuration = RTCConfiguration(bundlePolicy=RTCBundlePolicy.MAX_BUNDLE)
        elif configuration.bundlePolicy is not RTCBundlePolicy.MAX_BUNDLE:
            configuration = dataclasses.replace(
                configuration, bundlePolicy=RTCBundlePolicy.MAX_BUNDLE
            )
        super().configure_rtc(configuration)

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

    def mids_of(self, feed: ParticipantId, kind: str | None = None) -> list[str]:
        """Return the subscription mids fed by a publisher (of one kind, if given)."""
        return [
            s.mid
            for s in self._streams
            if s.feed_id == feed and s.active and s.mid is not None and kind in (None, s.type)
        ]

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
        event = _expect(parse_response(response), kind, request)
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
        body = _body(
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
        attached: Attached = _expect(parse_response(response), Attached, "join")
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
        body = _body("start")
        if offer is not None:
            response = await self.accept_offer(offer, body, timeout=timeout)
            self._route_new_ssrcs()
        else:
            response = await self.send(body, timeout=timeout)
        started: Started = _expect(parse_response(response), Started, "start")
        return started

    def _route_new_ssrcs(self) -> None:
        """Route media of m-lines whose SSRC changed in a renegotiation (aiortc 1.16 gap).

        Janus reuses an m-line freed by ``unsubscribe`` for a later ``subscribe``, with a new
        SSRC and sequence numbers that jump ahead. aiortc registers a receiver's SSRC only the
        first time it starts, so the new stream's packets would be dropped (two receivers
        share its payload type); and its jitter buffer would wait for the missing sequence
        numbers (512 packets for video). This adds the new SSRC to the transport's routing
        table and gives the receiver an empty jitter buffer. It relies on aiortc internals;
        without them it does nothing (and logs why).
        """
        pc = self.peer_connection
        remote = pc.remoteDescription if pc is not None else None
        if pc is None or remote is None:
            return
        media_by_mid = {
            m.rtp.muxId: m for m in aiortc_sdp.SessionDescription.parse(remote.sdp).media
        }
        for transceiver in pc.getTransceivers():
            media = media_by_mid.get(transceiver.mid) if transceiver.mid is not None else None
            if media is None or not media.ssrc or transceiver.kind not in ("audio", "video"):
                continue
            receiver = transceiver.receiver
            table = getattr(getattr(receiver.transport, "_rtp_router", None), "ssrc_table", None)
            if not isinstance(table, dict):
                logger.warning(
                    "handle %d: cannot route renegotiated SSRCs with this aiortc", self.id
                )
                return
            ssrc = media.ssrc[0].ssrc
            if table.get(ssrc) is not receiver:
                table[ssrc] = receiver
                _reset_jitter_buffer(receiver)

    async def pause(self, *, timeout: float | None = None) -> Paused:
        """Stop the delivery of every stream for a while; :meth:`start` resumes (``pause``)."""
        paused: Paused = _expect(
            parse_response(await self.send(_body("pause"), timeout=timeout)), Paused, "pause"
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
        body = _body("configure", streams=_wire(streams), update=update, restart=restart)
        response = await self.send(body, timeout=timeout)
        configured: Configured = await self._negotiated(response, Configured, "configure")
        return configured

    async def switch(
        self, streams: Sequence[SwitchStream], *, timeout: float | None = None
    ) -> Switched:
        """Feed m-lines from other publishers' streams, without renegotiating (``switch``).

        The new source must use the same codec as the old one.
        """
        response = await self.send(_body("switch", streams=_wire(streams)), timeout=timeout)
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
            :attr:`auto_answer`).
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
        response = await self.send(_body(request, **fields), timeout=timeout)
        event = parse_response(response)
        if isinstance(event, Updating):
            return event
        updated: Updated = await self._negotiated(response, Updated, request)
        return updated

    @staticmethod
    def _subscribe_wire(streams: Sequence[SubscribeStream | ParticipantId]) -> list[dict[str, Any]]:
        return [s.to_wire() if isinstance(s, SubscribeStream) else {"feed": s} for s in streams]

    async def leave(self, *, timeout: float | None = None) -> None:
        """Close the subscription and its PeerConnection (``leave``)."""
        await self._send_closing_media(_body("leave"), timeout)
        self._room = None
        self._streams = ()
