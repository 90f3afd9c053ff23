"""Room administration: the requests about rooms, forwarders and remote publishers.

:class:`VideoRoomAdmin` is a mixin of both media handles
(:class:`~janus_videoroom.VideoRoomPublisher` and
:class:`~janus_videoroom.VideoRoomSubscriber`): any handle attached to the plugin can manage
rooms. Janus answers these requests at once (they are synchronous in the plugin).
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, Literal

from janus_webrtc import Event, PluginError, PluginEvent, ProtocolError
from janus_webrtc.handle import Handle
from janus_webrtc.plugin_kit import (
    bool_or_none,
    expect,
    id_or_none,
    int_or_none,
    mappings,
    request_body,
    str_or_none,
)

from ._wire import PLUGIN_ID, _wire
from .errors import VideoRoomError
from .messages import (
    Forwarder,
    Participant,
    PublisherForwarders,
    RemotePublisherAdded,
    RemoteRecipient,
    RoomCreated,
    RoomDestroyed,
    RoomInfo,
    RtpForwarded,
    parse_event,
    parse_response,
    parse_room,
)
from .streams import ForwardStream, ParticipantId, RemoteStream, RoomId

__all__ = ["AllowedAction", "VideoRoomAdmin"]

AllowedAction = Literal["enable", "disable", "add", "remove"]
"""What ``allowed`` does: enable or disable the token check, add or remove tokens."""


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
        room: RoomId | None = None,
        *,
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
            rec_dir: Folder of the recordings (on the Janus host). Janus does not check it
                here; a publisher with a ``recording_check`` asking to be recorded does.
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
        body = request_body(
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
        created = id_or_none(data.get("room"))
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
            request_body(
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
    ) -> RoomDestroyed:
        """Destroy a room, kicking everyone out (``destroy``).

        Participants receive a :class:`~janus_videoroom.messages.RoomDestroyed` event.

        Returns:
            The plugin's answer: the room, and whether it left the configuration file.

        Raises:
            NoSuchRoomError: No such room.
            VideoRoomUnauthorizedError: Wrong secret.
        """
        body = request_body("destroy", room=room, secret=secret, permanent=permanent)
        response = await self.send(body, timeout=timeout)
        return expect(parse_response(response), RoomDestroyed, "destroy")

    async def exists(self, room: RoomId, *, timeout: float | None = None) -> bool:
        """Return whether a room exists (``exists``)."""
        data = await self._ask(request_body("exists", room=room), timeout)
        return bool_or_none(data.get("exists")) is True

    async def room_exists(self, room: RoomId, *, timeout: float | None = None) -> bool:
        """Deprecated name of :meth:`exists` (the name every plugin package uses)."""
        warnings.warn(
            "VideoRoomAdmin.room_exists() is deprecated: use exists()",
            DeprecationWarning,
            stacklevel=2,
        )
        return await self.exists(room, timeout=timeout)

    async def list_rooms(
        self, *, admin_key: str | None = None, timeout: float | None = None
    ) -> tuple[RoomInfo, ...]:
        """List the rooms (``list``); private ones too when given the plugin's admin key."""
        data = await self._ask(request_body("list", admin_key=admin_key), timeout)
        return tuple(parse_room(item) for item in mappings(data.get("list")))

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
            request_body(
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
        await self._ask(request_body("kick", room=room, id=participant_id, secret=secret), timeout)

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
            request_body(
                "moderate", room=room, id=participant_id, mid=mid, mute=mute, secret=secret
            ),
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

        Janus 1.1.2 answers success even for publishers whose files it could not open (it
        only logs); that is not checked here, it concerns other handles: each publisher can
        look at its own with ``recordings(api)``.

        Returns:
            Whether the room records now (the request, not the files).
        """
        data = await self._ask(
            request_body("enable_recording", room=room, record=record, secret=secret), timeout
        )
        return bool(data.get("record", record))

    async def list_participants(
        self, room: RoomId, *, timeout: float | None = None
    ) -> tuple[Participant, ...]:
        """List a room's participants (``listparticipants``)."""
        data = await self._ask(request_body("listparticipants", room=room), timeout)
        return tuple(
            Participant(
                id=ident,
                display=str_or_none(item.get("display")),
                publisher=bool(item.get("publisher")),
                talking=bool_or_none(item.get("talking")),
                remote=bool(item.get("remote")),
            )
            for item in mappings(data.get("participants"))
            if (ident := id_or_none(item.get("id"))) is not None
        )

    # -- RTP forwarders -------------------------------------------------------------------

    async def list_forwarders(
        self, room: RoomId, *, secret: str | None = None, timeout: float | None = None
    ) -> tuple[PublisherForwarders, ...]:
        """List the RTP forwarders of a room's publishers (``listforwarders``)."""
        data = await self._ask(request_body("listforwarders", room=room, secret=secret), timeout)
        return tuple(
            PublisherForwarders(
                publisher_id=ident,
                display=str_or_none(item.get("display")),
                forwarders=tuple(Forwarder.from_wire(f) for f in mappings(item.get("forwarders"))),
            )
            for item in mappings(data.get("publishers"))
            if (ident := id_or_none(item.get("publisher_id"))) is not None
        )

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
            request_body(
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
            room=id_or_none(data.get("room")) or room,
            publisher_id=id_or_none(data.get("publisher_id")) or publisher_id,
            forwarders=tuple(Forwarder.from_wire(f) for f in mappings(data.get("forwarders"))),
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
            request_body(
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

        Janus 1.1.2 adds the publisher to the room a moment after this answer (from a thread
        of its own): a subscriber joining it at once can get ``NoSuchFeedError``. Wait for the
        :class:`~janus_videoroom.Publishers` event the room's participants receive for it.

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
            request_body(
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
        ident, listen_port = id_or_none(data.get("id")), int_or_none(data.get("port"))
        if ident is None or listen_port is None:
            raise ProtocolError("the answer to 'add_remote_publisher' has no id or port")
        return RemotePublisherAdded(
            room=id_or_none(data.get("room")) or room,
            id=ident,
            ip=str_or_none(data.get("ip")),
            port=listen_port,
            rtcp_port=int_or_none(data.get("rtcp_port")),
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
            request_body(
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
        await self._ask(
            request_body("remove_remote_publisher", room=room, id=id, secret=secret), timeout
        )

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
            request_body(
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
        return str_or_none(data.get("remote_id")) or remote_id

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
            request_body(
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
    ) -> tuple[RemoteRecipient, ...]:
        """List where a local publisher is restreamed (``listremotes``)."""
        data = await self._ask(
            request_body("listremotes", room=room, publisher_id=publisher_id, secret=secret),
            timeout,
        )
        return tuple(
            RemoteRecipient(
                remote_id=str_or_none(item.get("remote_id")) or "",
                host=str_or_none(item.get("host")),
                port=int_or_none(item.get("port")),
                rtcp_port=int_or_none(item.get("rtcp_port")),
            )
            for item in mappings(data.get("list"))
        )

    # -- events ---------------------------------------------------------------------------

    def parse_plugin_event(self, event: PluginEvent) -> Event:
        """Turn the plugin's events into typed ones (see :mod:`janus_videoroom.messages`)."""
        return parse_event(event)
