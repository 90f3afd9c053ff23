"""Typed request parts, results and events of the AudioBridge plugin.

Results of the synchronous requests (``list``, ``listparticipants``, ``rtp_forward``...) are
plain frozen dataclasses. Events derive from :class:`AudioBridgeEvent` (a
:class:`janus_webrtc.PluginEvent`), so they keep the plugin's raw ``data`` and any ``jsep``;
:func:`parse_event` makes them and the handle calls it for every event.

Janus sends ``joined`` in two forms: to the participant who joined (with its ``id``:
:class:`Joined`) and to the others (only ``participants``: :class:`ParticipantsJoined`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from janus_webrtc import PluginEvent, PluginResponse
from janus_webrtc.plugin_kit import (
    bool_or_none,
    id_or_none,
    int_or_none,
    mappings,
    str_or_none,
)

__all__ = [
    "AnnouncementStarted",
    "AnnouncementStopped",
    "AudioBridgeErrorEvent",
    "AudioBridgeEvent",
    "Configured",
    "Forwarder",
    "HangingUp",
    "Joined",
    "Kicked",
    "KickedAll",
    "Leaving",
    "Left",
    "Participant",
    "ParticipantId",
    "ParticipantsJoined",
    "ParticipantsUpdated",
    "RoomChanged",
    "RoomCreated",
    "RoomDestroyed",
    "RoomId",
    "RoomInfo",
    "RoomMuted",
    "RtpEndpoint",
    "RtpForwarded",
    "RtpParticipant",
    "StoppedTalking",
    "Talking",
    "TalkingEvent",
    "parse_event",
    "parse_forwarders",
    "parse_participants",
    "parse_response",
    "parse_rooms",
]

RoomId = int | str
"""A room id: an int, or a str when the plugin is configured with ``string_ids``."""

ParticipantId = int | str
"""A participant id: an int, or a str with ``string_ids``."""


# -- request parts ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RtpParticipant:
    """Where a plain-RTP participant wants the mix sent (the ``rtp`` object of ``join``).

    Attributes:
        ip: The address Janus sends the room's mix to.
        port: The port Janus sends it to.
        payload_type: The RTP payload type (Opus; G.711 types are fixed).
        audiolevel_ext: The id of the audio-level RTP extension, if the sender adds it.
        fec: Use Opus in-band FEC.
    """

    ip: str
    port: int
    payload_type: int | None = None
    audiolevel_ext: int | None = None
    fec: bool | None = None

    def to_wire(self) -> dict[str, Any]:
        """The JSON object Janus reads (unset attributes left out)."""
        fields = {name: getattr(self, name) for name in self.__slots__}
        return {name: value for name, value in fields.items() if value is not None}


# -- results ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RtpEndpoint:
    """Where Janus expects a plain-RTP participant's audio (the ``rtp`` of ``joined``).

    Attributes:
        ip: The address to send RTP to.
        port: The port to send RTP to.
        payload_type: The payload type to use, if Janus says.
    """

    ip: str
    port: int
    payload_type: int | None = None


@dataclass(frozen=True, slots=True)
class Participant:
    """A participant of a room (from ``listparticipants`` or an event).

    Attributes:
        id: Its id.
        display: Its display name, if any.
        setup: Whether its media is set up (a PeerConnection, or plain RTP).
        muted: Whether it is muted.
        talking: Whether it is talking (rooms with audio levels only).
        spatial_position: Its panning, 0 (left) to 100 (right), in spatial-audio rooms.
    """

    id: ParticipantId
    display: str | None = None
    setup: bool | None = None
    muted: bool | None = None
    talking: bool | None = None
    spatial_position: int | None = None


def parse_participants(value: Any) -> tuple[Participant, ...]:
    """Read a ``participants`` list (entries without an id are skipped)."""
    return tuple(
        Participant(
            id=ident,
            display=str_or_none(item.get("display")),
            setup=bool_or_none(item.get("setup")),
            muted=bool_or_none(item.get("muted")),
            talking=bool_or_none(item.get("talking")),
            spatial_position=int_or_none(item.get("spatial_position")),
        )
        for item in mappings(value)
        if (ident := id_or_none(item.get("id"))) is not None
    )


@dataclass(frozen=True, slots=True)
class RoomCreated:
    """The answer to ``create``.

    Attributes:
        room: The new room's id.
        permanent: Whether it was saved to the configuration file.
    """

    room: RoomId
    permanent: bool = False


@dataclass(frozen=True, slots=True)
class RoomInfo:
    """A room, as ``list`` describes it.

    Attributes:
        room: Its id.
        description: Its description.
        pin_required: Whether joining needs a pin.
        sampling_rate: The mixer's sampling rate.
        spatial_audio: Whether the mix is stereo with spatial positions.
        record: Whether the mix is being recorded.
        muted: Whether the whole room is muted.
        num_participants: How many participants are in it.
    """

    room: RoomId
    description: str | None = None
    pin_required: bool | None = None
    sampling_rate: int | None = None
    spatial_audio: bool | None = None
    record: bool | None = None
    muted: bool | None = None
    num_participants: int | None = None


def parse_rooms(value: Any) -> tuple[RoomInfo, ...]:
    """Read the list of a ``list`` answer."""
    return tuple(
        RoomInfo(
            room=ident,
            description=str_or_none(item.get("description")),
            pin_required=bool_or_none(item.get("pin_required")),
            sampling_rate=int_or_none(item.get("sampling_rate")),
            spatial_audio=bool_or_none(item.get("spatial_audio")),
            record=bool_or_none(item.get("record")),
            muted=bool_or_none(item.get("muted")),
            num_participants=int_or_none(item.get("num_participants")),
        )
        for item in mappings(value)
        if (ident := id_or_none(item.get("room"))) is not None
    )


@dataclass(frozen=True, slots=True)
class RtpForwarded:
    """The answer to ``rtp_forward``.

    Attributes:
        room: The room.
        stream_id: The new forwarder's id (for ``stop_rtp_forward``).
        host: Where it sends the mix.
        port: The port it sends to.
        group: The group it forwards, if any.
    """

    room: RoomId
    stream_id: int
    host: str | None = None
    port: int | None = None
    group: str | None = None


@dataclass(frozen=True, slots=True)
class Forwarder:
    """An RTP forwarder of a room (from ``listforwarders``).

    Attributes:
        stream_id: Its id.
        ip: Where it sends the mix.
        port: The port it sends to.
        ssrc: Its SSRC.
        codec: Its codec (``"opus"``, ``"pcma"``, ``"pcmu"``).
        ptype: Its payload type.
        group: The group it forwards, if any.
        srtp: Whether it encrypts (SRTP).
        always_on: Whether it sends silence while the room is empty.
    """

    stream_id: int
    ip: str | None = None
    port: int | None = None
    ssrc: int | None = None
    codec: str | None = None
    ptype: int | None = None
    group: str | None = None
    srtp: bool | None = None
    always_on: bool | None = None


def parse_forwarders(value: Any) -> tuple[Forwarder, ...]:
    """Read the ``rtp_forwarders`` list of a ``forwarders`` answer."""
    return tuple(
        Forwarder(
            stream_id=ident,
            ip=str_or_none(item.get("ip")),
            port=int_or_none(item.get("port")),
            ssrc=int_or_none(item.get("ssrc")),
            codec=str_or_none(item.get("codec")),
            ptype=int_or_none(item.get("ptype")),
            group=str_or_none(item.get("group")),
            srtp=bool_or_none(item.get("srtp")),
            always_on=bool_or_none(item.get("always_on")),
        )
        for item in mappings(value)
        if (ident := int_or_none(item.get("stream_id"))) is not None
    )


# -- events -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AudioBridgeEvent(PluginEvent):
    """An event of the AudioBridge plugin (the base class; also used for unknown kinds).

    Attributes:
        room: The room it is about, when Janus says.
    """

    room: RoomId | None = None


@dataclass(frozen=True, slots=True)
class Joined(AudioBridgeEvent):
    """This handle joined a room (``joined`` with an ``id``); ``jsep`` may hold Janus's answer.

    Attributes:
        id: This participant's id.
        display: Its display name.
        participants: The others already in the room.
        rtp: Where to send audio, for a plain-RTP participant.
    """

    id: ParticipantId | None = None
    display: str | None = None
    participants: tuple[Participant, ...] = ()
    rtp: RtpEndpoint | None = None


@dataclass(frozen=True, slots=True)
class RoomChanged(AudioBridgeEvent):
    """This handle moved to another room (``roomchanged``).

    Attributes:
        id: This participant's id in the new room.
        display: Its display name.
        participants: The others in the new room.
    """

    id: ParticipantId | None = None
    display: str | None = None
    participants: tuple[Participant, ...] = ()


@dataclass(frozen=True, slots=True)
class ParticipantsJoined(AudioBridgeEvent):
    """Others joined the room (``joined`` without an ``id``).

    Attributes:
        participants: Who joined.
    """

    participants: tuple[Participant, ...] = ()


@dataclass(frozen=True, slots=True)
class ParticipantsUpdated(AudioBridgeEvent):
    """Participants changed: set up their media, muted, renamed... (``event`` + list).

    Attributes:
        participants: The participants concerned, as they are now.
    """

    participants: tuple[Participant, ...] = ()


@dataclass(frozen=True, slots=True)
class Configured(AudioBridgeEvent):
    """A ``join``'s media setup or a ``configure`` was applied (``result: ok``).

    ``jsep`` holds Janus's answer when the request carried an offer.
    """


@dataclass(frozen=True, slots=True)
class Leaving(AudioBridgeEvent):
    """A participant left the room (``leaving``).

    Attributes:
        id: Who left.
    """

    id: ParticipantId | None = None


@dataclass(frozen=True, slots=True)
class Left(AudioBridgeEvent):
    """This handle left the room (``left``).

    Attributes:
        id: Its id in the room it left.
    """

    id: ParticipantId | None = None


@dataclass(frozen=True, slots=True)
class Kicked(AudioBridgeEvent):
    """A participant was kicked (``kicked``); to the kicked one itself too.

    Attributes:
        id: Who was kicked.
    """

    id: ParticipantId | None = None


@dataclass(frozen=True, slots=True)
class KickedAll(AudioBridgeEvent):
    """Everybody was kicked out of the room (``kicked_all``), sent to each participant.

    Attributes:
        id: The participant this copy was sent to.
    """

    id: ParticipantId | None = None


@dataclass(frozen=True, slots=True)
class RoomMuted(AudioBridgeEvent):
    """The whole room was muted or unmuted (``mute_room``/``unmute_room``).

    Attributes:
        muted: Whether it is muted now.
    """

    muted: bool = False


@dataclass(frozen=True, slots=True)
class RoomDestroyed(AudioBridgeEvent):
    """The room was destroyed (``destroyed``); also the answer to ``destroy``.

    Attributes:
        permanent: Whether it was removed from the configuration file (answer only).
    """

    permanent: bool | None = None


@dataclass(frozen=True, slots=True)
class TalkingEvent(AudioBridgeEvent):
    """A participant started or stopped talking (rooms with ``audiolevel_event``).

    Attributes:
        id: The participant.
    """

    id: ParticipantId | None = None

    @property
    def talking(self) -> bool:
        """Whether the participant talks now."""
        return isinstance(self, Talking)


@dataclass(frozen=True, slots=True)
class Talking(TalkingEvent):
    """A participant started talking (``talking``)."""


@dataclass(frozen=True, slots=True)
class StoppedTalking(TalkingEvent):
    """A participant stopped talking (``stopped-talking``)."""


@dataclass(frozen=True, slots=True)
class AnnouncementStarted(AudioBridgeEvent):
    """A file started playing in the room (``announcement-started``).

    Attributes:
        file_id: The playback's id.
    """

    file_id: str | None = None


@dataclass(frozen=True, slots=True)
class AnnouncementStopped(AudioBridgeEvent):
    """A file stopped playing: it ended or ``stop_file`` stopped it.

    Attributes:
        file_id: The playback's id.
    """

    file_id: str | None = None


@dataclass(frozen=True, slots=True)
class HangingUp(AudioBridgeEvent):
    """The plugin closes this handle's PeerConnection (answer to its ``hangup``)."""


@dataclass(frozen=True, slots=True)
class AudioBridgeErrorEvent(AudioBridgeEvent):
    """An error the plugin reported in an event rather than in the answer to a request.

    Attributes:
        error_code: The plugin's error code (see :mod:`janus_audiobridge.errors`).
        error: The plugin's text.
    """

    error_code: int | None = None
    error: str = ""


def _rtp(value: Any) -> RtpEndpoint | None:
    if not isinstance(value, Mapping):
        return None
    ip, port = str_or_none(value.get("ip")), int_or_none(value.get("port"))
    if ip is None or port is None:
        return None
    return RtpEndpoint(ip=ip, port=port, payload_type=int_or_none(value.get("payload_type")))


def parse_event(event: PluginEvent) -> PluginEvent:
    """Turn a generic AudioBridge plugin event into a typed one.

    Args:
        event: The event with the plugin's data as sent.

    Returns:
        The typed event; a plain :class:`AudioBridgeEvent` for kinds this version does not know.
    """
    data = event.data
    common: dict[str, Any] = {
        "plugin": event.plugin,
        "data": data,
        "jsep": event.jsep,
        "room": id_or_none(data.get("room")),
    }
    kind = data.get("audiobridge")
    ident = id_or_none(data.get("id"))
    participants = parse_participants(data.get("participants"))
    if kind == "joined":
        if ident is None:
            return ParticipantsJoined(**common, participants=participants)
        return Joined(
            **common,
            id=ident,
            display=str_or_none(data.get("display")),
            participants=participants,
            rtp=_rtp(data.get("rtp")),
        )
    if kind == "roomchanged":
        return RoomChanged(
            **common, id=ident, display=str_or_none(data.get("display")), participants=participants
        )
    if kind == "left":
        return Left(**common, id=ident)
    if kind == "destroyed":
        return RoomDestroyed(**common, permanent=bool_or_none(data.get("permanent")))
    if kind in ("talking", "stopped-talking"):
        return (Talking if kind == "talking" else StoppedTalking)(**common, id=ident)
    if kind in ("announcement-started", "announcement-stopped"):
        started = kind == "announcement-started"
        announcement = AnnouncementStarted if started else AnnouncementStopped
        return announcement(**common, file_id=str_or_none(data.get("file_id")))
    if kind == "hangingup":
        return HangingUp(**common)
    if kind != "event":
        return AudioBridgeEvent(**common)
    if "error_code" in data or "error" in data:
        return AudioBridgeErrorEvent(
            **common,
            error_code=int_or_none(data.get("error_code")),
            error=str(data.get("error", "")),
        )
    if "participants" in data:
        return ParticipantsUpdated(**common, participants=participants)
    if "leaving" in data:
        return Leaving(**common, id=id_or_none(data["leaving"]))
    if "kicked" in data:
        return Kicked(**common, id=id_or_none(data["kicked"]))
    if "kicked_all" in data:
        return KickedAll(**common, id=id_or_none(data["kicked_all"]))
    if "muted" in data:
        return RoomMuted(**common, muted=data["muted"] is True)
    if data.get("result") == "ok":
        return Configured(**common)
    return AudioBridgeEvent(**common)


def parse_response(response: PluginResponse) -> PluginEvent:
    """Turn the plugin's answer to an asynchronous request into a typed event."""
    return parse_event(PluginEvent(plugin=response.plugin, data=response.data, jsep=response.jsep))
