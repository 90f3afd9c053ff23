"""Parsing, errors and exports of janus-audiobridge, without a server."""

from __future__ import annotations

import ast
from pathlib import Path

import janus_audiobridge
from janus_audiobridge import (
    AnnouncementStarted,
    AnnouncementStopped,
    AudioBridgeError,
    AudioBridgeErrorEvent,
    AudioBridgeEvent,
    AudioBridgeMediaRejectedError,
    Configured,
    HangingUp,
    Joined,
    Kicked,
    KickedAll,
    Leaving,
    Left,
    ParticipantsJoined,
    ParticipantsUpdated,
    RoomChanged,
    RoomDestroyed,
    RoomMuted,
    StoppedTalking,
    Talking,
    errors,
    parse_event,
    parse_forwarders,
    parse_participants,
    parse_rooms,
)
from janus_webrtc import MediaRejectedError, PluginError, PluginEvent

PLUGIN = "janus.plugin.audiobridge"


def event(data: dict[str, object]) -> object:
    return parse_event(PluginEvent(plugin=PLUGIN, data=data))


def test_joined_to_self_and_to_the_others() -> None:
    own = event(
        {
            "audiobridge": "joined",
            "room": 1,
            "id": 9,
            "display": "me",
            "participants": [{"id": 2, "display": "b", "muted": False, "setup": True}],
            "rtp": {"ip": "127.0.0.1", "port": 4000, "payload_type": 111},
        }
    )
    assert isinstance(own, Joined) and (own.room, own.id, own.display) == (1, 9, "me")
    assert own.participants[0].setup is True and own.rtp is not None and own.rtp.port == 4000
    other = event({"audiobridge": "joined", "room": 1, "participants": [{"id": 3}]})
    assert isinstance(other, ParticipantsJoined) and other.participants[0].id == 3
    bad_rtp = event({"audiobridge": "joined", "id": 1, "rtp": {"ip": "x"}})
    assert isinstance(bad_rtp, Joined) and bad_rtp.rtp is None


def test_every_event_kind() -> None:
    cases: list[tuple[dict[str, object], type]] = [
        ({"audiobridge": "roomchanged", "room": 2, "id": 9}, RoomChanged),
        ({"audiobridge": "left", "room": 2, "id": 9}, Left),
        ({"audiobridge": "destroyed", "room": 2}, RoomDestroyed),
        ({"audiobridge": "talking", "room": 2, "id": 9}, Talking),
        ({"audiobridge": "stopped-talking", "room": 2, "id": 9}, StoppedTalking),
        ({"audiobridge": "announcement-started", "file_id": "f"}, AnnouncementStarted),
        ({"audiobridge": "announcement-stopped", "file_id": "f"}, AnnouncementStopped),
        ({"audiobridge": "hangingup"}, HangingUp),
        ({"audiobridge": "event", "participants": [{"id": 1, "muted": True}]}, ParticipantsUpdated),
        ({"audiobridge": "event", "leaving": 4}, Leaving),
        ({"audiobridge": "event", "kicked": 4}, Kicked),
        ({"audiobridge": "event", "kicked_all": 4}, KickedAll),
        ({"audiobridge": "event", "muted": True}, RoomMuted),
        ({"audiobridge": "event", "result": "ok"}, Configured),
        ({"audiobridge": "event", "error_code": 485, "error": "x"}, AudioBridgeErrorEvent),
        ({"audiobridge": "event"}, AudioBridgeEvent),
        ({"audiobridge": "new-in-1.4"}, AudioBridgeEvent),
    ]
    for data, kind in cases:
        assert type(event(data)) is kind, data
    talking = event({"audiobridge": "talking", "id": 1})
    assert isinstance(talking, Talking) and talking.talking
    muted = event({"audiobridge": "event", "muted": True})
    assert isinstance(muted, RoomMuted) and muted.muted


def test_lists_are_read_leniently() -> None:
    assert parse_participants([{"id": 1}, {"display": "no id"}, "junk"])[0].id == 1
    assert len(parse_participants("not a list")) == 0
    (room,) = parse_rooms([{"room": "r", "num_participants": 2}, {"description": "no id"}])
    assert room.room == "r" and room.num_participants == 2
    (forwarder,) = parse_forwarders([{"stream_id": 7, "port": 5000}, {"port": 1}])
    assert forwarder.stream_id == 7 and forwarder.port == 5000


def test_each_error_code_builds_its_class() -> None:
    codes = [getattr(errors, name) for name in errors.__all__ if name.startswith("ERROR_")]
    assert sorted(codes) == [*range(480, 495), 499]
    declared = AudioBridgeError.declared_codes()
    assert sorted(declared) == sorted(codes)
    for code in codes:
        error = AudioBridgeError(code, "x")
        assert type(error) is declared[code] and isinstance(error, PluginError)
        assert error.plugin == PLUGIN
    assert type(AudioBridgeError(999, "unknown")) is AudioBridgeError
    assert issubclass(AudioBridgeMediaRejectedError, MediaRejectedError)


def test_all_lists_exactly_the_public_names() -> None:
    source = Path(janus_audiobridge.__file__).read_text(encoding="utf-8")
    imported = {
        alias.asname or alias.name
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 1
        for alias in node.names
    }
    assert set(janus_audiobridge.__all__) == imported | {"__version__"}
    assert len(janus_audiobridge.__all__) == len(set(janus_audiobridge.__all__))
    for name in janus_audiobridge.__all__:
        assert hasattr(janus_audiobridge, name)


def test_entry_point_registers_the_handle() -> None:
    from janus_webrtc import plugins

    (info,) = [i for i in plugins.available() if i.plugin_id == PLUGIN]
    assert info.handle_class is janus_audiobridge.AudioBridgeHandle
    assert info.distribution == "janus-audiobridge"
