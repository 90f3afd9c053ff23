"""Unit tests without a server: parsing of events, errors, request building, public names."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest

import janus_videoroom
from janus_videoroom import (
    Attached,
    Configured,
    DisplayChanged,
    ForwardStream,
    Joined,
    Joining,
    Kicked,
    KickedOut,
    Leaving,
    Left,
    Moderation,
    NoSuchRoomError,
    Paused,
    Publishers,
    RoomDestroyed,
    SimulcastChanged,
    SlowLinkReport,
    Started,
    StoppedTalking,
    SubscribeStream,
    Switched,
    Talking,
    Unpublished,
    UnsubscribeStream,
    Updated,
    Updating,
    VideoRoomError,
    VideoRoomErrorEvent,
    VideoRoomEvent,
    VideoRoomMediaRejectedError,
    VideoRoomUnauthorizedError,
    errors,
)
from janus_videoroom.messages import parse_event, parse_room
from janus_webrtc import Jsep, MediaRejectedError, PluginError, PluginEvent

PLUGIN = "janus.plugin.videoroom"


def event(data: dict[str, Any], jsep: Jsep | None = None) -> PluginEvent:
    return parse_event(PluginEvent(plugin=PLUGIN, data=data, jsep=jsep))


PUBLISHER = {
    "id": 7,
    "display": "alice",
    "streams": [
        {"type": "audio", "mindex": 0, "mid": "0", "codec": "opus", "talking": False},
        {"type": "video", "mindex": 1, "mid": "1", "codec": "vp8", "moderated": True},
    ],
}
STREAM = {
    "mindex": 0,
    "mid": "0",
    "type": "video",
    "active": True,
    "feed_id": 7,
    "feed_mid": "1",
    "feed_display": "alice",
    "send": True,
    "ready": False,
}


def test_joined() -> None:
    parsed = event(
        {
            "videoroom": "joined",
            "room": 1234,
            "description": "demo",
            "id": 9,
            "private_id": 55,
            "publishers": [PUBLISHER, {"display": "no id: skipped"}],
            "attendees": [{"id": 3, "display": "lurker"}],
        }
    )
    assert isinstance(parsed, Joined)
    assert (parsed.room, parsed.id, parsed.private_id, parsed.description) == (1234, 9, 55, "demo")
    (publisher,) = parsed.publishers
    assert publisher.id == 7 and publisher.display == "alice"
    video = publisher.stream("video")
    assert video is not None and video.moderated and video.codec == "vp8"
    assert publisher.stream("data") is None
    assert [(a.id, a.display) for a in parsed.attendees] == [(3, "lurker")]


@pytest.mark.parametrize(
    ("data", "kind", "fields"),
    [
        ({"videoroom": "event", "publishers": [PUBLISHER]}, Publishers, {}),
        ({"videoroom": "event", "unpublished": 7}, Unpublished, {"id": 7}),
        ({"videoroom": "event", "unpublished": "ok"}, Unpublished, {"id": None}),
        ({"videoroom": "event", "leaving": 7}, Leaving, {"id": 7}),
        ({"videoroom": "event", "leaving": "ok"}, Leaving, {"id": None}),
        ({"videoroom": "event", "leaving": "ok", "reason": "kicked"}, KickedOut, {}),
        ({"videoroom": "event", "kicked": 7}, Kicked, {"id": 7}),
        ({"videoroom": "event", "joining": {"id": 3, "display": "x"}}, Joining, {"id": 3}),
        ({"videoroom": "event", "id": 7, "display": "bob"}, DisplayChanged, {"display": "bob"}),
        (
            {"videoroom": "event", "id": 7, "mid": "1", "moderation": "muted"},
            Moderation,
            {"muted": True, "mid": "1"},
        ),
        (
            {"videoroom": "event", "id": 7, "mid": "1", "moderation": "unmuted"},
            Moderation,
            {"muted": False},
        ),
        ({"videoroom": "event", "configured": "ok"}, Configured, {}),
        ({"videoroom": "event", "started": "ok"}, Started, {}),
        ({"videoroom": "event", "paused": "ok"}, Paused, {}),
        ({"videoroom": "event", "left": "ok"}, Left, {}),
        (
            {"videoroom": "event", "switched": "ok", "changes": 1, "streams": [STREAM]},
            Switched,
            {"changes": 1},
        ),
        (
            {"videoroom": "event", "mid": "1", "substream": 2},
            SimulcastChanged,
            {"substream": 2, "temporal": None},
        ),
        (
            {"videoroom": "event", "mid": "1", "temporal_layer": 1},
            SimulcastChanged,
            {"temporal_layer": 1},
        ),
        (
            {"videoroom": "event", "error_code": 426, "error": "No such room"},
            VideoRoomErrorEvent,
            {"error_code": 426},
        ),
        ({"videoroom": "destroyed", "room": 5}, RoomDestroyed, {"room": 5}),
        ({"videoroom": "updating"}, Updating, {}),
        ({"videoroom": "slow_link", "current-bitrate": 64000}, SlowLinkReport, {}),
        (
            {"videoroom": "talking", "id": 7, "mid": "0", "audio-level-dBov-avg": 12.5},
            Talking,
            {"audio_level": 12.5, "talking": True},
        ),
        ({"videoroom": "stopped-talking", "id": 7}, StoppedTalking, {"talking": False}),
        ({"videoroom": "event", "something": "new"}, VideoRoomEvent, {}),
        ({"videoroom": "future-kind"}, VideoRoomEvent, {}),
    ],
)
def test_events(data: dict[str, Any], kind: type[PluginEvent], fields: dict[str, Any]) -> None:
    parsed = event({"room": 1, **data})
    assert type(parsed) is kind
    assert parsed.data["videoroom"] == data["videoroom"]
    for name, value in fields.items():
        assert getattr(parsed, name) == value


def test_subscription_events_carry_streams_and_offer() -> None:
    offer = Jsep(type="offer", sdp="v=0\r\n")
    attached = event({"videoroom": "attached", "room": 1, "streams": [STREAM]}, offer)
    assert isinstance(attached, Attached) and attached.jsep is offer
    (stream,) = attached.streams
    assert (stream.mid, stream.feed_id, stream.feed_mid, stream.ready) == ("0", 7, "1", False)
    updated = event({"videoroom": "updated", "room": 1})
    assert isinstance(updated, Updated) and updated.streams == ()
    gone = event({"videoroom": "updated", "streams": [{**STREAM, "active": False}]})
    assert isinstance(gone, Updated) and gone.streams[0].active is False


def test_string_ids() -> None:
    parsed = event({"videoroom": "event", "room": "lobby", "leaving": "user-1"})
    assert isinstance(parsed, Leaving) and (parsed.room, parsed.id) == ("lobby", "user-1")


def test_room_info() -> None:
    info = parse_room({"room": 3, "description": "d", "pin_required": True, "max_publishers": 6})
    assert (info.room, info.pin_required, info.max_publishers, info.record) == (3, True, 6, False)


def test_errors_get_the_class_of_their_code() -> None:
    error = VideoRoomError(426, "No such room (5)", plugin=PLUGIN)
    assert type(error) is NoSuchRoomError
    assert isinstance(error, PluginError)
    assert (error.error_code, error.error, error.plugin) == (426, "No such room (5)", PLUGIN)
    assert type(VideoRoomError(433, "Unauthorized")) is VideoRoomUnauthorizedError
    assert type(VideoRoomError(999, "new")) is VideoRoomError
    assert type(VideoRoomError(None, "no code")) is VideoRoomError
    rejected = VideoRoomMediaRejectedError("rejected", plugin=PLUGIN)
    assert isinstance(rejected, VideoRoomError) and isinstance(rejected, MediaRejectedError)
    codes = [getattr(errors, name) for name in errors.__all__ if name.isupper()]
    assert sorted(codes) == [*range(421, 438), 499]
    for code in codes:
        assert VideoRoomError(code, "x").code == code


def test_stream_descriptions_to_wire() -> None:
    assert SubscribeStream(feed=7).to_wire() == {"feed": 7}
    assert SubscribeStream(feed=7, mid="1", send=False, substream=0).to_wire() == {
        "feed": 7,
        "mid": "1",
        "send": False,
        "substream": 0,
    }
    assert UnsubscribeStream(sub_mid="3").to_wire() == {"sub_mid": "3"}
    with pytest.raises(ValueError, match="feed or a sub_mid"):
        UnsubscribeStream(mid="1")
    forward = ForwardStream(mid="0", port=5000, srtp_suite=80, srtp_crypto="c2VjcmV0")
    assert forward.to_wire()["srtp_crypto"] == "c2VjcmV0"
    assert "c2VjcmV0" not in repr(forward)


def test_all_lists_exactly_the_public_names() -> None:
    init = Path(janus_videoroom.__file__)
    tree = ast.parse(init.read_text(encoding="utf-8"))
    imported = {
        alias.asname or alias.name
        for node in tree.body
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 1
        for alias in node.names
    }
    assert set(janus_videoroom.__all__) == imported | {"__version__"}
    assert len(janus_videoroom.__all__) == len(set(janus_videoroom.__all__))
    for name in janus_videoroom.__all__:
        assert hasattr(janus_videoroom, name)


def test_entry_point_registers_publisher_first() -> None:
    from janus_webrtc import plugins

    infos = [i for i in plugins.available() if i.plugin_id == PLUGIN]
    assert [(i.handle_class.__name__, i.default) for i in infos] == [
        ("VideoRoomPublisher", True),
        ("VideoRoomSubscriber", False),
    ]
    assert infos[0].distribution == "janus-videoroom"


def test_constants_without_the_error_prefix_are_deprecated() -> None:
    with pytest.warns(DeprecationWarning, match="use ERROR_NO_SUCH_ROOM"):
        assert errors.NO_SUCH_ROOM == errors.ERROR_NO_SUCH_ROOM == 426
    with pytest.warns(DeprecationWarning, match="use ERROR_UNAUTHORIZED"):
        assert janus_videoroom.UNAUTHORIZED == 433
    with pytest.raises(AttributeError):
        _ = errors.NOT_A_CONSTANT


def test_every_error_code_has_its_class() -> None:
    codes = {getattr(errors, name) for name in errors.__all__ if name.startswith("ERROR_")}
    assert set(VideoRoomError.declared_codes()) == codes
