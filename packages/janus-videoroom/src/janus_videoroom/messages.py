"""Typed results and events of the VideoRoom plugin.

Events are frozen dataclasses deriving from :class:`VideoRoomEvent` (a
:class:`janus_webrtc.PluginEvent`), so they keep the plugin's raw ``data`` and any ``jsep``
beside their typed fields. :func:`parse_event` turns the plugin's data into them; the handles
call it for every event (their ``parse_plugin_event``). Results of synchronous requests
(``list``, ``listparticipants``, ``rtp_forward``...) are plain frozen dataclasses.

Janus sends some messages in two forms: about *another* participant (``"leaving": 1234``) and
as the confirmation of this handle's own request (``"leaving": "ok"``). The typed events keep
that apart: ``id`` is the other participant's id, or ``None`` for this handle itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from janus_webrtc import PluginEvent, PluginResponse, ProtocolError
from janus_webrtc.plugin_kit import (
    bool_or_none,
    float_or_none,
    id_or_none,
    int_or_none,
    mappings,
    str_or_none,
)

from .streams import ParticipantId, RoomId

__all__ = [
    "Attached",
    "Attendee",
    "Configured",
    "DisplayChanged",
    "Forwarder",
    "Joined",
    "Joining",
    "Kicked",
    "KickedOut",
    "Leaving",
    "Left",
    "Moderation",
    "Participant",
    "Paused",
    "Publisher",
    "PublisherForwarders",
    "PublisherStream",
    "Publishers",
    "RemotePublisherAdded",
    "RemoteRecipient",
    "RoomCreated",
    "RoomDestroyed",
    "RoomInfo",
    "RtpForwarded",
    "SimulcastChanged",
    "SlowLinkReport",
    "Started",
    "StoppedTalking",
    "SubscriptionStream",
    "Switched",
    "Talking",
    "TalkingEvent",
    "Unpublished",
    "Updated",
    "Updating",
    "VideoRoomErrorEvent",
    "VideoRoomEvent",
    "parse_event",
    "parse_publishers",
    "parse_response",
    "parse_room",
    "parse_subscription_streams",
]


# -- records ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PublisherStream:
    """One stream of a publisher, as announced to the room.

    Attributes:
        type: ``"audio"``, ``"video"`` or ``"data"``.
        mindex: Its m-line index at the publisher.
        mid: Its mid at the publisher (what ``SubscribeStream.mid`` refers to).
        disabled: Whether it is currently disabled (then codec and description are absent).
        codec: Its codec (``"opus"``, ``"vp8"``...).
        description: The publisher's description of it.
        moderated: Whether a moderator muted it.
        simulcast: Whether it is simulcast.
        svc: Whether it is VP9-SVC.
        talking: Whether there is voice activity (rooms with audio levels only).
        stereo: Whether it is stereo Opus.
        fec: Whether it is Opus with in-band FEC.
        dtx: Whether it is Opus with DTX.
    """

    type: str
    mindex: int | None = None
    mid: str | None = None
    disabled: bool = False
    codec: str | None = None
    description: str | None = None
    moderated: bool = False
    simulcast: bool = False
    svc: bool = False
    talking: bool | None = None
    stereo: bool = False
    fec: bool = False
    dtx: bool = False

    @classmethod
    def from_wire(cls, data: Mapping[str, Any]) -> PublisherStream:
        """Read one entry of a ``streams`` list of a publisher."""
        return cls(
            type=str_or_none(data.get("type")) or "",
            mindex=int_or_none(data.get("mindex")),
            mid=str_or_none(data.get("mid")),
            disabled=bool(data.get("disabled")),
            codec=str_or_none(data.get("codec")),
            description=str_or_none(data.get("description")),
            moderated=bool(data.get("moderated")),
            simulcast=bool(data.get("simulcast")),
            svc=bool(data.get("svc")),
            talking=bool_or_none(data.get("talking")),
            stereo=bool(data.get("stereo")),
            fec=bool(data.get("fec")),
            dtx=bool(data.get("dtx")),
        )


@dataclass(frozen=True, slots=True)
class Publisher:
    """An active publisher of a room (a feed others can subscribe to).

    Attributes:
        id: Its participant id.
        display: Its display name, if any.
        dummy: Whether it is the room's placeholder publisher.
        streams: Its streams.
        talking: Whether it is talking (rooms with audio levels only; deprecated by Janus).
    """

    id: ParticipantId
    display: str | None = None
    dummy: bool = False
    streams: tuple[PublisherStream, ...] = ()
    talking: bool | None = None

    def stream(self, kind: str) -> PublisherStream | None:
        """Return its first enabled stream of a kind (``"audio"``/``"video"``), if any."""
        return next((s for s in self.streams if s.type == kind and not s.disabled), None)


def parse_publishers(value: Any) -> tuple[Publisher, ...]:
    """Read a ``publishers`` list (of ``joined`` or of a ``publishers`` event)."""
    result = []
    for item in mappings(value):
        ident = id_or_none(item.get("id"))
        if ident is None:
            continue
        result.append(
            Publisher(
                id=ident,
                display=str_or_none(item.get("display")),
                dummy=bool(item.get("dummy")),
                streams=tuple(PublisherStream.from_wire(s) for s in mappings(item.get("streams"))),
                talking=bool_or_none(item.get("talking")),
            )
        )
    return tuple(result)


@dataclass(frozen=True, slots=True)
class Attendee:
    """A participant that joined without publishing (rooms with ``notify_joining``).

    Attributes:
        id: Its participant id.
        display: Its display name, if any.
    """

    id: ParticipantId
    display: str | None = None


@dataclass(frozen=True, slots=True)
class Participant:
    """One participant of a room (``listparticipants``).

    Attributes:
        id: Its participant id.
        display: Its display name, if any.
        publisher: Whether it is actively publishing.
        talking: Whether it is talking (rooms with audio levels only).
        remote: Whether it is a remote publisher (``add_remote_publisher``), fed by another
            Janus.
    """

    id: ParticipantId
    display: str | None = None
    publisher: bool = False
    talking: bool | None = None
    remote: bool = False


@dataclass(frozen=True, slots=True)
class SubscriptionStream:
    """One m-line of a subscription (``attached``, ``updated``, ``switched``).

    Attributes:
        mindex: Its m-line index in the subscription.
        mid: Its mid in the subscription (what ``sub_mid`` refers to).
        type: ``"audio"``, ``"video"`` or ``"data"``.
        active: Whether a source feeds it (False after its publisher went away).
        feed_id: The publisher feeding it.
        feed_mid: The publisher's mid of the stream feeding it.
        feed_display: The publisher's display name.
        feed_description: The publisher's description of the stream.
        codec: The codec.
        send: Whether Janus relays it (see subscriber ``configure``).
        ready: Whether it is ready to send media.
        crossrefid: The ``crossrefid`` given when subscribing.
    """

    mindex: int | None
    mid: str | None
    type: str
    active: bool = True
    feed_id: ParticipantId | None = None
    feed_mid: str | None = None
    feed_display: str | None = None
    feed_description: str | None = None
    codec: str | None = None
    send: bool | None = None
    ready: bool | None = None
    crossrefid: str | None = None


def parse_subscription_streams(value: Any) -> tuple[SubscriptionStream, ...]:
    """Read the ``streams`` list of a subscription."""
    return tuple(
        SubscriptionStream(
            mindex=int_or_none(item.get("mindex")),
            mid=str_or_none(item.get("mid")),
            type=str_or_none(item.get("type")) or "",
            active=item.get("active") is not False,
            feed_id=id_or_none(item.get("feed_id")),
            feed_mid=str_or_none(item.get("feed_mid")),
            feed_display=str_or_none(item.get("feed_display")),
            feed_description=str_or_none(item.get("feed_description")),
            codec=str_or_none(item.get("codec")),
            send=bool_or_none(item.get("send")),
            ready=bool_or_none(item.get("ready")),
            crossrefid=str_or_none(item.get("crossrefid")),
        )
        for item in mappings(value)
    )


@dataclass(frozen=True, slots=True)
class RoomInfo:
    """A room, as ``list`` describes it.

    Attributes:
        room: Its id.
        description: Its description.
        pin_required: Whether joining needs a pin.
        is_private: Whether it is hidden from ``list`` (shown only with the admin key).
        max_publishers: How many may publish at once.
        bitrate: The default bitrate cap of publishers (bits/s, 0: none).
        bitrate_cap: Whether publishers cannot exceed it.
        fir_freq: Seconds between regular keyframe requests (0: never).
        require_pvtid: Whether subscriptions must give a ``private_id``.
        require_e2ee: Whether end-to-end encryption is required.
        dummy_publisher: Whether it has a placeholder publisher.
        notify_joining: Whether joins of non-publishers are announced.
        audiocodec: Allowed audio codecs, comma separated.
        videocodec: Allowed video codecs, comma separated.
        record: Whether the room is being recorded.
        rec_dir: Where its recordings go.
        lock_record: Whether changing the recording state needs the secret.
        num_participants: Participants (publishers, active or not).
        audiolevel_ext: Whether the audio-level extension is negotiated.
        audiolevel_event: Whether talking events are sent.
        data: Everything Janus said about the room (more flags), as sent.
    """

    room: RoomId
    description: str | None = None
    pin_required: bool = False
    is_private: bool = False
    max_publishers: int | None = None
    bitrate: int | None = None
    bitrate_cap: bool = False
    fir_freq: int | None = None
    require_pvtid: bool = False
    require_e2ee: bool = False
    dummy_publisher: bool = False
    notify_joining: bool = False
    audiocodec: str | None = None
    videocodec: str | None = None
    record: bool = False
    rec_dir: str | None = None
    lock_record: bool = False
    num_participants: int | None = None
    audiolevel_ext: bool | None = None
    audiolevel_event: bool | None = None
    data: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)


def parse_room(data: Mapping[str, Any]) -> RoomInfo:
    """Read one room of a ``list`` answer.

    Raises:
        ProtocolError: It has no room id.
    """
    room = id_or_none(data.get("room"))
    if room is None:
        raise ProtocolError("a VideoRoom list entry has no room id")
    return RoomInfo(
        room=room,
        description=str_or_none(data.get("description")),
        pin_required=bool(data.get("pin_required")),
        is_private=bool(data.get("is_private")),
        max_publishers=int_or_none(data.get("max_publishers")),
        bitrate=int_or_none(data.get("bitrate")),
        bitrate_cap=bool(data.get("bitrate_cap")),
        fir_freq=int_or_none(data.get("fir_freq")),
        require_pvtid=bool(data.get("require_pvtid")),
        require_e2ee=bool(data.get("require_e2ee")),
        dummy_publisher=bool(data.get("dummy_publisher")),
        notify_joining=bool(data.get("notify_joining")),
        audiocodec=str_or_none(data.get("audiocodec")),
        videocodec=str_or_none(data.get("videocodec")),
        record=bool(data.get("record")),
        rec_dir=str_or_none(data.get("rec_dir")),
        lock_record=bool(data.get("lock_record")),
        num_participants=int_or_none(data.get("num_participants")),
        audiolevel_ext=bool_or_none(data.get("audiolevel_ext")),
        audiolevel_event=bool_or_none(data.get("audiolevel_event")),
        data=data,
    )


@dataclass(frozen=True, slots=True)
class RoomCreated:
    """The answer to ``create``.

    Attributes:
        room: The new room's id (chosen by Janus if not given).
        permanent: Whether it was saved to the plugin's configuration file.
    """

    room: RoomId
    permanent: bool = False


@dataclass(frozen=True, slots=True)
class Forwarder:
    """One RTP forwarder of a published stream.

    Attributes:
        stream_id: The forwarder's id (what ``stop_rtp_forward`` takes).
        type: ``"audio"``, ``"video"`` or ``"data"``.
        host: Where it sends.
        port: The port it sends to.
        local_rtcp_port: The local port receiving RTCP feedback, if any.
        remote_rtcp_port: The recipient's RTCP port, if any.
        ssrc: The SSRC it sends with, if set.
        pt: The payload type it sends with, if set.
        substream: The simulcast substream it forwards, if any.
        srtp: Whether it encrypts with SRTP.
    """

    stream_id: int
    type: str
    host: str | None = None
    port: int | None = None
    local_rtcp_port: int | None = None
    remote_rtcp_port: int | None = None
    ssrc: int | None = None
    pt: int | None = None
    substream: int | None = None
    srtp: bool = False

    @classmethod
    def from_wire(cls, data: Mapping[str, Any]) -> Forwarder:
        """Read one forwarder description."""
        return cls(
            stream_id=int_or_none(data.get("stream_id")) or 0,
            type=str_or_none(data.get("type")) or "",
            host=str_or_none(data.get("host")),
            port=int_or_none(data.get("port")),
            local_rtcp_port=int_or_none(data.get("local_rtcp_port")),
            remote_rtcp_port=int_or_none(data.get("remote_rtcp_port")),
            ssrc=int_or_none(data.get("ssrc")),
            pt=int_or_none(data.get("pt")),
            substream=int_or_none(data.get("substream")),
            srtp=bool(data.get("srtp")),
        )


@dataclass(frozen=True, slots=True)
class PublisherForwarders:
    """The RTP forwarders of one publisher (``listforwarders``).

    Attributes:
        publisher_id: The publisher.
        display: Its display name, if any.
        forwarders: Its forwarders.
    """

    publisher_id: ParticipantId
    display: str | None = None
    forwarders: tuple[Forwarder, ...] = ()


@dataclass(frozen=True, slots=True)
class RtpForwarded:
    """The answer to ``rtp_forward``.

    Attributes:
        room: The room.
        publisher_id: The publisher forwarded.
        forwarders: The forwarders created, one per stream (and simulcast layer).
    """

    room: RoomId
    publisher_id: ParticipantId
    forwarders: tuple[Forwarder, ...] = ()


@dataclass(frozen=True, slots=True)
class RemotePublisherAdded:
    """The answer to ``add_remote_publisher``: where Janus listens for its RTP.

    Attributes:
        room: The room.
        id: The remote publisher's participant id.
        ip: The address Janus listens on, when bound to one.
        port: The UDP port receiving RTP (give it to ``publish_remotely`` on the source).
        rtcp_port: The UDP port receiving RTCP.
    """

    room: RoomId
    id: ParticipantId
    ip: str | None
    port: int
    rtcp_port: int | None = None


@dataclass(frozen=True, slots=True)
class RemoteRecipient:
    """Where a local publisher is restreamed (``listremotes``).

    Attributes:
        remote_id: The remotization's id.
        host: The remote Janus's address.
        port: Its RTP port.
        rtcp_port: Its RTCP port, if any.
    """

    remote_id: str
    host: str | None
    port: int | None
    rtcp_port: int | None = None


# -- events -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class VideoRoomEvent(PluginEvent):
    """Base of the VideoRoom plugin's typed events; unknown events come as this class.

    Attributes:
        room: The room the event is about, when Janus says.
    """

    room: RoomId | None = None


@dataclass(frozen=True, slots=True)
class Joined(VideoRoomEvent):
    """This handle joined a room as a participant (``joined``): the answer to ``join``.

    Attributes:
        id: This participant's id.
        private_id: This participant's private id (for ``SubscribeStream``'s ``private_id``).
        description: The room's description.
        publishers: The room's active publishers.
        attendees: Non-publishing participants (rooms with ``notify_joining``).
    """

    id: ParticipantId | None = None
    private_id: int | None = None
    description: str | None = None
    publishers: tuple[Publisher, ...] = ()
    attendees: tuple[Attendee, ...] = ()


@dataclass(frozen=True, slots=True)
class Publishers(VideoRoomEvent):
    """Publishers started publishing, or changed their streams (``publishers``).

    Attributes:
        publishers: The new or changed publishers.
    """

    publishers: tuple[Publisher, ...] = ()


@dataclass(frozen=True, slots=True)
class Unpublished(VideoRoomEvent):
    """A publisher stopped publishing (``unpublished``).

    Attributes:
        id: The publisher, or ``None`` when confirming this handle's own ``unpublish``.
    """

    id: ParticipantId | None = None


@dataclass(frozen=True, slots=True)
class Leaving(VideoRoomEvent):
    """A participant left the room (``leaving``).

    Attributes:
        id: The participant, or ``None`` when confirming this handle's own ``leave``.
        reason: Why, when Janus says.
    """

    id: ParticipantId | None = None
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class Kicked(VideoRoomEvent):
    """Another participant was kicked out of the room (``kicked``).

    Attributes:
        id: The participant kicked.
    """

    id: ParticipantId | None = None


@dataclass(frozen=True, slots=True)
class KickedOut(VideoRoomEvent):
    """This participant was kicked out of the room (``leaving`` with reason ``kicked``)."""


@dataclass(frozen=True, slots=True)
class Joining(VideoRoomEvent):
    """A participant joined without publishing yet (rooms with ``notify_joining``).

    Attributes:
        id: The participant.
        display: Its display name, if any.
    """

    id: ParticipantId | None = None
    display: str | None = None


@dataclass(frozen=True, slots=True)
class DisplayChanged(VideoRoomEvent):
    """A participant changed its display name.

    Attributes:
        id: The participant.
        display: The new display name.
    """

    id: ParticipantId | None = None
    display: str | None = None


@dataclass(frozen=True, slots=True)
class TalkingEvent(VideoRoomEvent):
    """Base of :class:`Talking` and :class:`StoppedTalking` (rooms with ``audiolevel_event``).

    Attributes:
        id: The participant.
        mid: Its audio stream.
        mindex: Its audio stream's m-line index.
        audio_level: The average audio level in dBov (127: muted, 0: loudest).
    """

    id: ParticipantId | None = None
    mid: str | None = None
    mindex: int | None = None
    audio_level: float | None = None

    @property
    def talking(self) -> bool:
        """Whether the participant is talking now."""
        return isinstance(self, Talking)


@dataclass(frozen=True, slots=True)
class Talking(TalkingEvent):
    """A participant started talking (``talking``)."""


@dataclass(frozen=True, slots=True)
class StoppedTalking(TalkingEvent):
    """A participant stopped talking (``stopped-talking``)."""


@dataclass(frozen=True, slots=True)
class Moderation(VideoRoomEvent):
    """A moderator muted or unmuted a participant's stream (``moderation``).

    Attributes:
        id: The participant.
        mid: The stream.
        muted: Whether it is muted now.
    """

    id: ParticipantId | None = None
    mid: str | None = None
    muted: bool = False


@dataclass(frozen=True, slots=True)
class Configured(VideoRoomEvent):
    """A ``publish``/``configure`` was applied (``configured``); ``jsep`` holds any SDP.

    Attributes:
        streams: This publisher's own streams as Janus now has them, with their mids (what
            ``configure(streams=...)``, ``moderate`` and ``ForwardStream`` take); empty when
            Janus sent none (a subscriber's ``configure``).
    """

    streams: tuple[PublisherStream, ...] = ()


@dataclass(frozen=True, slots=True)
class RoomDestroyed(VideoRoomEvent):
    """The room was destroyed (``destroyed``); also the answer to ``destroy``.

    Attributes:
        permanent: Whether it was removed from the configuration file (answer only).
    """

    permanent: bool | None = None


@dataclass(frozen=True, slots=True)
class Attached(VideoRoomEvent):
    """A subscription was created (``attached``); ``jsep`` is Janus's offer.

    Attributes:
        streams: The subscription's m-lines.
    """

    streams: tuple[SubscriptionStream, ...] = ()


@dataclass(frozen=True, slots=True)
class Updated(VideoRoomEvent):
    """A subscription changed (``updated``); with ``jsep``, Janus offers a renegotiation.

    Janus also sends it on its own when a subscribed publisher goes away.

    Attributes:
        streams: The subscription's m-lines after the change (empty if nothing changed in
            the SDP).
    """

    streams: tuple[SubscriptionStream, ...] = ()


@dataclass(frozen=True, slots=True)
class Updating(VideoRoomEvent):
    """A subscription change was queued behind a renegotiation in progress (``updating``)."""


@dataclass(frozen=True, slots=True)
class Started(VideoRoomEvent):
    """A subscription started or resumed (``started``)."""


@dataclass(frozen=True, slots=True)
class Paused(VideoRoomEvent):
    """A subscription was paused (``paused``)."""


@dataclass(frozen=True, slots=True)
class Switched(VideoRoomEvent):
    """A ``switch`` was applied (``switched``).

    Attributes:
        changes: How many m-lines changed source.
        streams: The subscription's m-lines after the switch.
    """

    changes: int = 0
    streams: tuple[SubscriptionStream, ...] = ()


@dataclass(frozen=True, slots=True)
class Left(VideoRoomEvent):
    """A subscription was closed (``left``)."""


@dataclass(frozen=True, slots=True)
class SimulcastChanged(VideoRoomEvent):
    """The layer relayed on a subscription m-line changed (simulcast or VP9-SVC).

    Attributes:
        mid: The subscription m-line.
        substream: The simulcast substream now relayed, if that changed.
        temporal: The simulcast temporal layer now relayed, if that changed.
        spatial_layer: The SVC spatial layer now relayed, if that changed.
        temporal_layer: The SVC temporal layer now relayed, if that changed.
    """

    mid: str | None = None
    substream: int | None = None
    temporal: int | None = None
    spatial_layer: int | None = None
    temporal_layer: int | None = None


@dataclass(frozen=True, slots=True)
class SlowLinkReport(VideoRoomEvent):
    """Janus saw many NACKs on this handle's media (``slow_link``).

    Attributes:
        current_bitrate: The bitrate cap in force (publishers only).
    """

    current_bitrate: int | None = None


@dataclass(frozen=True, slots=True)
class VideoRoomErrorEvent(VideoRoomEvent):
    """An error the plugin reported outside the answer to a request.

    Attributes:
        error_code: The plugin's error code (see :mod:`janus_videoroom.errors`).
        error: The plugin's text.
    """

    error_code: int | None = None
    error: str = ""


def _ok_or_id(value: Any) -> tuple[bool, ParticipantId | None]:
    """``"ok"`` means this handle itself; an id means another participant."""
    if value == "ok":
        return True, None
    return False, id_or_none(value)


def parse_event(event: PluginEvent) -> PluginEvent:
    """Turn a generic VideoRoom plugin event into a typed one.

    Args:
        event: The event with the plugin's data as sent.

    Returns:
        The typed event; a plain :class:`VideoRoomEvent` for kinds this version does not know.
    """
    data = event.data
    common: dict[str, Any] = {
        "plugin": event.plugin,
        "data": data,
        "jsep": event.jsep,
        "room": id_or_none(data.get("room")),
    }
    kind = data.get("videoroom")
    if kind == "joined":
        return Joined(
            **common,
            id=id_or_none(data.get("id")),
            private_id=int_or_none(data.get("private_id")),
            description=str_or_none(data.get("description")),
            publishers=parse_publishers(data.get("publishers")),
            attendees=tuple(
                Attendee(id=ident, display=str_or_none(a.get("display")))
                for a in mappings(data.get("attendees"))
                if (ident := id_or_none(a.get("id"))) is not None
            ),
        )
    if kind == "attached":
        return Attached(**common, streams=parse_subscription_streams(data.get("streams")))
    if kind == "updated":
        return Updated(**common, streams=parse_subscription_streams(data.get("streams")))
    if kind == "updating":
        return Updating(**common)
    if kind == "destroyed":
        return RoomDestroyed(**common, permanent=bool_or_none(data.get("permanent")))
    if kind in ("talking", "stopped-talking"):
        talk_class = Talking if kind == "talking" else StoppedTalking
        return talk_class(
            **common,
            id=id_or_none(data.get("id")),
            mid=str_or_none(data.get("mid")),
            mindex=int_or_none(data.get("mindex")),
            audio_level=float_or_none(data.get("audio-level-dBov-avg")),
        )
    if kind == "slow_link":
        return SlowLinkReport(**common, current_bitrate=int_or_none(data.get("current-bitrate")))
    if kind != "event":
        return VideoRoomEvent(**common)
    return _parse_plain_event(data, common)


def _parse_plain_event(data: Mapping[str, Any], common: dict[str, Any]) -> VideoRoomEvent:
    """The many events Janus sends as ``"videoroom": "event"``, told apart by their keys."""
    if "error_code" in data or "error" in data:
        return VideoRoomErrorEvent(
            **common,
            error_code=int_or_none(data.get("error_code")),
            error=str(data.get("error", "")),
        )
    if "publishers" in data:
        return Publishers(**common, publishers=parse_publishers(data.get("publishers")))
    if "leaving" in data:
        own, ident = _ok_or_id(data["leaving"])
        reason = str_or_none(data.get("reason"))
        if own and reason == "kicked":
            return KickedOut(**common)
        return Leaving(**common, id=ident, reason=reason)
    if "unpublished" in data:
        return Unpublished(**common, id=_ok_or_id(data["unpublished"])[1])
    if "kicked" in data:
        return Kicked(**common, id=id_or_none(data["kicked"]))
    if "joining" in data:
        joining = data["joining"] if isinstance(data["joining"], Mapping) else {}
        return Joining(
            **common, id=id_or_none(joining.get("id")), display=str_or_none(joining.get("display"))
        )
    if "moderation" in data:
        return Moderation(
            **common,
            id=id_or_none(data.get("id")),
            mid=str_or_none(data.get("mid")),
            muted=data["moderation"] == "muted",
        )
    if "configured" in data:
        return Configured(
            **common,
            streams=tuple(PublisherStream.from_wire(s) for s in mappings(data.get("streams"))),
        )
    if "started" in data:
        return Started(**common)
    if "paused" in data:
        return Paused(**common)
    if "switched" in data:
        return Switched(
            **common,
            changes=int_or_none(data.get("changes")) or 0,
            streams=parse_subscription_streams(data.get("streams")),
        )
    if "left" in data:
        return Left(**common)
    layers = ("substream", "temporal", "spatial_layer", "temporal_layer")
    if any(name in data for name in layers):
        return SimulcastChanged(
            **common,
            mid=str_or_none(data.get("mid")),
            substream=int_or_none(data.get("substream")),
            temporal=int_or_none(data.get("temporal")),
            spatial_layer=int_or_none(data.get("spatial_layer")),
            temporal_layer=int_or_none(data.get("temporal_layer")),
        )
    if "display" in data and "id" in data:
        return DisplayChanged(
            **common, id=id_or_none(data.get("id")), display=str_or_none(data.get("display"))
        )
    return VideoRoomEvent(**common)


def parse_response(response: PluginResponse) -> PluginEvent:
    """Turn a plugin answer (to an asynchronous request) into a typed event."""
    return parse_event(PluginEvent(plugin=response.plugin, data=response.data, jsep=response.jsep))
