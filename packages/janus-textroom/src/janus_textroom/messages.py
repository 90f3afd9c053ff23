"""Typed events and results of the TextRoom plugin.

Every class here is a frozen dataclass and a :class:`janus_webrtc.Event`. Events that Janus
sends on the data channel are subclasses of :class:`TextRoomEvent` and carry the ``room`` they
belong to:

========================  ===================================================================
Janus sends               Event
========================  ===================================================================
``join``                  :class:`ParticipantJoined` (also for this handle's own join)
``leave``                 :class:`ParticipantLeft` (also for this handle's own leave)
``message``               :class:`ChatMessage` (``whisper=True`` for ``to``/``tos`` messages)
``announcement``          :class:`Announcement`
``kicked``                :class:`ParticipantKicked` (also to the participant kicked)
``destroyed``             :class:`RoomDestroyed`
anything else             :class:`UnknownTextRoomEvent`
========================  ===================================================================

Janus tells nobody when a room is edited; :class:`RoomEdited` is published on the handle that
made the edit (it is also what :meth:`~janus_textroom.TextRoomHandle.edit_room` returns).

The other classes are results of requests. The ``parse_*`` functions turn the plugin's JSON
into these objects; they never await and are tested without an event loop.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from janus_webrtc import Event, ProtocolError
from janus_webrtc.plugin_kit import id_or_none, require, str_or_none

__all__ = [
    "AllowedTokens",
    "Announcement",
    "ChatMessage",
    "Joined",
    "MessageSent",
    "Participant",
    "ParticipantJoined",
    "ParticipantKicked",
    "ParticipantLeft",
    "RoomCreated",
    "RoomDestroyed",
    "RoomEdited",
    "RoomId",
    "RoomInfo",
    "TextRoomEvent",
    "UnknownTextRoomEvent",
    "parse_event",
]

RoomId = int | str
"""A room id: a positive integer, or a string when Janus runs with ``string_ids = true``."""

_DATE_FORMAT = "%Y-%m-%dT%H:%M:%S%z"


def _parse_date(date: str) -> datetime.datetime | None:
    try:
        return datetime.datetime.strptime(date, _DATE_FORMAT)
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class Participant:
    """A participant of a room.

    Attributes:
        username: The unique username in the room.
        display: The display name, if the participant gave one.
    """

    username: str
    display: str | None = None


@dataclass(frozen=True, slots=True)
class RoomInfo:
    """A room as listed by :meth:`~janus_textroom.TextRoomHandle.list_rooms`.

    Attributes:
        room: The room id.
        description: The room's description.
        pin_required: Whether joining needs a pin.
        num_participants: How many participants are in it now.
        history: How many messages it keeps for late joiners (0: none).
    """

    room: RoomId
    description: str
    pin_required: bool
    num_participants: int
    history: int = 0


# -- events --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TextRoomEvent(Event):
    """Base of the TextRoom plugin's events (``isinstance`` filters them all)."""


@dataclass(frozen=True, slots=True)
class ParticipantJoined(TextRoomEvent):
    """A participant joined a room (this handle's own join included).

    Attributes:
        room: The room.
        username: The participant's username.
        display: The participant's display name, if any.
    """

    room: RoomId
    username: str
    display: str | None = None


@dataclass(frozen=True, slots=True)
class ParticipantLeft(TextRoomEvent):
    """A participant left a room (this handle's own leave included).

    Attributes:
        room: The room.
        username: The participant's username.
    """

    room: RoomId
    username: str


@dataclass(frozen=True, slots=True)
class ParticipantKicked(TextRoomEvent):
    """A participant was kicked out of a room (sent to everyone there, the kicked one too).

    Attributes:
        room: The room.
        username: The username of the participant kicked.
    """

    room: RoomId
    username: str


@dataclass(frozen=True, slots=True)
class ChatMessage(TextRoomEvent):
    """A message in a room: public, or a whisper to some participants only.

    Public messages reach every participant, the sender included. Messages replayed from the
    room's history to a late joiner arrive the same way, before the join completes (see
    :attr:`Joined.history`).

    Attributes:
        room: The room.
        sender: The username of the sender (Janus's ``from``).
        text: The text (any string: plain text, JSON, ...).
        date: When Janus relayed it, as Janus wrote it (``2026-11-30T01:02:03+0000``).
        whisper: True for a private message (sent with ``to`` or ``tos``).
        display: The sender's display name; Janus adds it only to history replays.
    """

    room: RoomId
    sender: str
    text: str
    date: str = ""
    whisper: bool = False
    display: str | None = None

    @property
    def timestamp(self) -> datetime.datetime | None:
        """:attr:`date` as an aware ``datetime`` (second precision), or None if unreadable."""
        return _parse_date(self.date)


@dataclass(frozen=True, slots=True)
class Announcement(TextRoomEvent):
    """An announcement: a message from the room itself (sent with the room's secret).

    Attributes:
        room: The room.
        text: The text.
        date: When Janus relayed it, as Janus wrote it.
    """

    room: RoomId
    text: str
    date: str = ""

    @property
    def timestamp(self) -> datetime.datetime | None:
        """:attr:`date` as an aware ``datetime`` (second precision), or None if unreadable."""
        return _parse_date(self.date)


@dataclass(frozen=True, slots=True)
class RoomDestroyed(TextRoomEvent):
    """A room was destroyed; its participants are out of it.

    Sent by Janus to every participant; also the result of
    :meth:`~janus_textroom.TextRoomHandle.destroy_room`.

    Attributes:
        room: The room.
        permanent: For the result: whether it was removed from the configuration file too
            (None in the event sent to participants).
    """

    room: RoomId
    permanent: bool | None = None


@dataclass(frozen=True, slots=True)
class RoomEdited(TextRoomEvent):
    """A room's properties were changed by this handle.

    Janus does not notify participants of an edit, so this event is published only on the
    handle whose :meth:`~janus_textroom.TextRoomHandle.edit_room` succeeded (it is also that
    method's result).

    Attributes:
        room: The room.
        permanent: Whether the change was saved to the configuration file.
    """

    room: RoomId
    permanent: bool = False


@dataclass(frozen=True, slots=True)
class UnknownTextRoomEvent(TextRoomEvent):
    """A data channel message of a kind this version does not know.

    Attributes:
        kind: The value of its ``textroom`` attribute.
        data: The message as sent.
        room: Its ``room``, if it has one.
    """

    kind: str
    data: Mapping[str, Any] = field(default_factory=dict)
    room: RoomId | None = None


# -- results ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Joined(Event):
    """The result of :meth:`~janus_textroom.TextRoomHandle.join`.

    Attributes:
        room: The room joined.
        username: The username used.
        participants: The other participants already in the room.
        history: The messages and announcements of the room received while joining: Janus
            replays the room's history (``history`` of ``create``) before confirming a join.
    """

    room: RoomId
    username: str
    participants: tuple[Participant, ...] = ()
    history: tuple[ChatMessage | Announcement, ...] = ()


@dataclass(frozen=True, slots=True)
class MessageSent(Event):
    """The plugin's acknowledgement of a message sent with ``ack=True``.

    Attributes:
        room: The room.
        sent: For whispers: each recipient's username and whether it was in the room (and so
            got the message). Empty for public messages.
    """

    room: RoomId
    sent: Mapping[str, bool] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class RoomCreated(Event):
    """The result of :meth:`~janus_textroom.TextRoomHandle.create_room`.

    Attributes:
        room: The room id (chosen by Janus if none was asked for).
        permanent: Whether it was saved to the configuration file.
    """

    room: RoomId
    permanent: bool = False


@dataclass(frozen=True, slots=True)
class AllowedTokens(Event):
    """The result of :meth:`~janus_textroom.TextRoomHandle.allowed`.

    Attributes:
        room: The room.
        allowed: The complete list of allowed tokens after the change (None for ``disable``,
            which Janus answers without a list).
    """

    room: RoomId
    allowed: tuple[str, ...] | None = field(default=None, repr=False)


# -- parsing ---------------------------------------------------------------------------------


def room_of(data: Mapping[str, Any], default: RoomId | None = None) -> RoomId:
    """Return the ``room`` of plugin data (``default`` when absent).

    Raises:
        ProtocolError: No usable room id.
    """
    room = data.get("room", default)
    if isinstance(room, bool) or not isinstance(room, int | str):
        raise ProtocolError(f"textroom data without a valid room: {room!r}")
    return room


def parse_participants(items: Any) -> tuple[Participant, ...]:
    """Read a ``participants`` list.

    Raises:
        ProtocolError: It is not a list of objects with a ``username``.
    """
    if not isinstance(items, Sequence) or isinstance(items, str):
        raise ProtocolError("textroom participants is not a list")
    result = []
    for item in items:
        if not isinstance(item, Mapping):
            raise ProtocolError("textroom participant is not an object")
        result.append(
            Participant(
                require(str_or_none(item.get("username")), "textroom 'username' string"),
                str_or_none(item.get("display")),
            )
        )
    return tuple(result)


def parse_rooms(items: Any) -> tuple[RoomInfo, ...]:
    """Read the ``list`` of a ``list`` answer.

    Raises:
        ProtocolError: It is not a list of room objects.
    """
    if not isinstance(items, Sequence) or isinstance(items, str):
        raise ProtocolError("textroom room list is not a list")
    rooms = []
    for item in items:
        if not isinstance(item, Mapping):
            raise ProtocolError("textroom room entry is not an object")
        rooms.append(
            RoomInfo(
                room=room_of(item),
                description=str(item.get("description", "")),
                pin_required=bool(item.get("pin_required", False)),
                num_participants=int(item.get("num_participants", 0)),
                history=int(item.get("history", 0)),
            )
        )
    return tuple(rooms)


def parse_event(data: Mapping[str, Any]) -> TextRoomEvent:
    """Turn an unsolicited data channel message of the plugin into a typed event.

    Args:
        data: The decoded JSON object (one without a ``transaction``).

    Returns:
        The event; :class:`UnknownTextRoomEvent` for kinds this version does not know.

    Raises:
        ProtocolError: A known kind lacks a mandatory attribute.
    """
    kind = data.get("textroom")
    if kind == "message":
        return ChatMessage(
            room=room_of(data),
            sender=require(str_or_none(data.get("from")), "textroom 'from' string"),
            text=require(str_or_none(data.get("text")), "textroom 'text' string"),
            date=str_or_none(data.get("date")) or "",
            whisper=data.get("whisper") is True,
            display=str_or_none(data.get("display")),
        )
    if kind == "announcement":
        return Announcement(
            room=room_of(data),
            text=require(str_or_none(data.get("text")), "textroom 'text' string"),
            date=str_or_none(data.get("date")) or "",
        )
    if kind == "join":
        return ParticipantJoined(
            room_of(data),
            require(str_or_none(data.get("username")), "textroom 'username' string"),
            str_or_none(data.get("display")),
        )
    if kind == "leave":
        return ParticipantLeft(
            room_of(data), require(str_or_none(data.get("username")), "textroom 'username' string")
        )
    if kind == "kicked":
        return ParticipantKicked(
            room_of(data), require(str_or_none(data.get("username")), "textroom 'username' string")
        )
    if kind == "destroyed":
        return RoomDestroyed(room_of(data))
    return UnknownTextRoomEvent(kind=str(kind), data=dict(data), room=id_or_none(data.get("room")))
