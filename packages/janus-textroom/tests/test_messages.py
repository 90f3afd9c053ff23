"""Parsing of the plugin's data channel messages, and the package's public names (no server)."""

from __future__ import annotations

import datetime
import types

import pytest

import janus_textroom
from janus_textroom import (
    Announcement,
    ChatMessage,
    NoSuchRoomError,
    Participant,
    ParticipantJoined,
    ParticipantKicked,
    ParticipantLeft,
    RoomDestroyed,
    RoomInfo,
    TextRoomError,
    TextRoomUnauthorizedError,
    UnknownTextRoomEvent,
    errors,
)
from janus_textroom.errors import InvalidRequestError, textroom_error
from janus_textroom.messages import parse_event, parse_participants, parse_rooms
from janus_webrtc import PluginError, ProtocolError


def test_all_lists_exactly_the_public_names() -> None:
    public = {name for name in vars(janus_textroom) if not name.startswith("_")} - {"annotations"}
    modules = {n for n in public if isinstance(getattr(janus_textroom, n), types.ModuleType)}
    assert modules <= {"errors", "handle", "messages", "plugin"}
    assert set(janus_textroom.__all__) == (public - modules) | {"__version__"}
    assert len(janus_textroom.__all__) == len(set(janus_textroom.__all__))


def test_public_message() -> None:
    event = parse_event(
        {
            "textroom": "message",
            "room": 5,
            "from": "alice",
            "date": "2026-11-30T01:02:03+0000",
            "text": "hi",
        }
    )
    assert event == ChatMessage(5, "alice", "hi", "2026-11-30T01:02:03+0000", False, None)
    assert isinstance(event, ChatMessage)
    assert event.timestamp == datetime.datetime(2026, 11, 30, 1, 2, 3, tzinfo=datetime.UTC)
    assert "hi" in repr(event)


def test_whisper_and_history_display() -> None:
    event = parse_event(
        {
            "textroom": "message",
            "room": "r",
            "from": "a",
            "text": "x",
            "whisper": True,
            "display": "A",
        }
    )
    assert isinstance(event, ChatMessage)
    assert event.whisper and event.display == "A" and event.room == "r"
    assert event.timestamp is None


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (
            {"textroom": "join", "room": 1, "username": "u", "display": "U"},
            ParticipantJoined(1, "u", "U"),
        ),
        ({"textroom": "join", "room": 1, "username": "u"}, ParticipantJoined(1, "u", None)),
        ({"textroom": "leave", "room": 1, "username": "u"}, ParticipantLeft(1, "u")),
        ({"textroom": "kicked", "room": 1, "username": "u"}, ParticipantKicked(1, "u")),
        ({"textroom": "destroyed", "room": 1}, RoomDestroyed(1)),
        (
            {"textroom": "announcement", "room": 1, "text": "t", "date": "d"},
            Announcement(1, "t", "d"),
        ),
        (
            {"textroom": "future", "room": 2, "x": 1},
            UnknownTextRoomEvent("future", {"textroom": "future", "room": 2, "x": 1}, 2),
        ),
    ],
)
def test_events(data: dict[str, object], expected: object) -> None:
    assert parse_event(data) == expected


@pytest.mark.parametrize(
    "data",
    [
        {"textroom": "message", "room": 1, "text": "no sender"},
        {"textroom": "join", "room": 1},
        {"textroom": "leave", "username": "no room"},
        {"textroom": "kicked", "room": True, "username": "u"},
    ],
)
def test_malformed_events_raise_protocol_error(data: dict[str, object]) -> None:
    with pytest.raises(ProtocolError):
        parse_event(data)


def test_lists() -> None:
    assert parse_participants([{"username": "a"}, {"username": "b", "display": "B"}]) == (
        Participant("a"),
        Participant("b", "B"),
    )
    assert parse_rooms(
        [{"room": 1, "description": "d", "pin_required": True, "num_participants": 2, "history": 3}]
    ) == (RoomInfo(1, "d", True, 2, 3),)
    with pytest.raises(ProtocolError):
        parse_participants({"username": "a"})
    with pytest.raises(ProtocolError):
        parse_rooms([1])


def test_errors_by_code() -> None:
    error = TextRoomError(417, "No such room (1)")
    assert type(error) is NoSuchRoomError
    assert isinstance(error, TextRoomError) and isinstance(error, PluginError)
    assert error.error_code == 417 and error.plugin == "janus.plugin.textroom"
    assert type(TextRoomError(419, "x")) is TextRoomUnauthorizedError
    assert type(TextRoomError(415, "x")) is InvalidRequestError
    assert type(TextRoomError(498, "x")) is TextRoomError
    assert type(TextRoomError(None, "x")) is TextRoomError
    codes = {getattr(errors, name) for name in errors.__all__ if name.startswith("ERROR_")}
    assert set(TextRoomError.declared_codes()) == codes


def test_textroom_error_is_a_deprecated_alias() -> None:
    with pytest.warns(DeprecationWarning, match="TextRoomError"):
        error = textroom_error(417, "No such room (1)")
    assert type(error) is NoSuchRoomError
