"""Typed events, results and errors of the VideoCall plugin, without a server."""

from __future__ import annotations

import pytest

import janus_videocall
from janus_videocall import (
    Accepted,
    CallEndedError,
    Calling,
    HungUp,
    IncomingCall,
    NoSuchUsernameError,
    Registered,
    SetResult,
    SimulcastChanged,
    UnknownVideoCallError,
    Updated,
    UsernameTakenError,
    VideoCallError,
    VideoCallMediaRejectedError,
    VideoCallSlowLink,
    errors,
    handle,
    messages,
    plugin,
)
from janus_videocall.messages import parse_event, parse_list, parse_result
from janus_webrtc import (
    Jsep,
    MediaRejectedError,
    PluginError,
    PluginEvent,
    PluginResponse,
    ProtocolError,
)

PLUGIN = "janus.plugin.videocall"


def event(result: dict[str, object], jsep: Jsep | None = None) -> PluginEvent:
    return PluginEvent(plugin=PLUGIN, data={"videocall": "event", "result": result}, jsep=jsep)


def test_every_event_of_the_plugin_is_typed() -> None:
    offer = Jsep(type="offer", sdp="v=0\r\n")
    answer = Jsep(type="answer", sdp="v=0\r\n")
    registered = parse_event(event({"event": "registered", "username": "alice"}))
    assert registered == Registered(
        plugin=PLUGIN, data=registered.data, jsep=None, username="alice"
    )
    assert isinstance(parse_event(event({"event": "calling"})), Calling)
    incoming = parse_event(event({"event": "incomingcall", "username": "bob"}, offer))
    assert isinstance(incoming, IncomingCall)
    assert incoming.username == "bob" and incoming.jsep == offer
    accepted = parse_event(event({"event": "accepted", "username": "bob"}, answer))
    assert isinstance(accepted, Accepted) and accepted.username == "bob"
    accepted_result = parse_event(event({"event": "accepted"}))
    assert isinstance(accepted_result, Accepted) and accepted_result.username is None
    update = parse_event(event({"event": "update"}, offer))
    assert isinstance(update, Updated) and update.jsep == offer
    hangup = parse_event(event({"event": "hangup", "username": "bob", "reason": "User busy"}))
    assert isinstance(hangup, HungUp)
    assert (hangup.username, hangup.reason) == ("bob", "User busy")
    assert isinstance(parse_event(event({"event": "set"})), SetResult)
    substream = parse_event(event({"event": "simulcast", "videocodec": "vp8", "substream": 1}))
    assert isinstance(substream, SimulcastChanged)
    assert (substream.videocodec, substream.substream, substream.temporal) == ("vp8", 1, None)
    temporal = parse_event(event({"event": "simulcast", "videocodec": "vp8", "temporal": 2}))
    assert isinstance(temporal, SimulcastChanged)
    assert (temporal.substream, temporal.temporal) == (None, 2)
    slow = parse_event(event({"event": "slow_link", "media": "video", "current-bitrate": 0}))
    assert isinstance(slow, VideoCallSlowLink)
    assert (slow.media, slow.current_bitrate) == ("video", 0)
    audio_slow = parse_event(event({"event": "slow_link", "media": "audio"}))
    assert isinstance(audio_slow, VideoCallSlowLink) and audio_slow.current_bitrate is None


def test_unknown_events_are_delivered_as_they_came() -> None:
    for unknown in (
        event({"event": "dance"}),
        PluginEvent(plugin=PLUGIN, data={"videocall": "event"}),
        PluginEvent(plugin=PLUGIN, data={"videocall": "event", "result": "odd"}),
    ):
        assert parse_event(unknown) is unknown


def test_results_and_lists() -> None:
    response = PluginResponse(
        plugin=PLUGIN, data={"videocall": "event", "result": {"event": "set"}}
    )
    assert isinstance(parse_result(response), SetResult)
    with pytest.raises(ProtocolError):
        parse_result(PluginResponse(plugin=PLUGIN, data={"videocall": "event"}))
    with pytest.raises(ProtocolError):
        parse_result(PluginResponse(plugin=PLUGIN, data={"result": {"event": "dance"}}))
    listed = PluginResponse(plugin=PLUGIN, data={"result": {"list": ["alice", "bob", 3]}})
    assert parse_list(listed) == ("alice", "bob")
    with pytest.raises(ProtocolError):
        parse_list(PluginResponse(plugin=PLUGIN, data={"result": {}}))


def test_events_are_frozen() -> None:
    hangup = HungUp(plugin=PLUGIN, reason="bye")
    with pytest.raises(AttributeError):
        hangup.reason = "changed"  # type: ignore[misc]


def test_error_codes_build_their_subclass() -> None:
    taken = VideoCallError(476, "Username 'x' already taken", plugin=PLUGIN)
    assert type(taken) is UsernameTakenError
    assert (taken.error_code, taken.error, taken.plugin) == (
        476,
        "Username 'x' already taken",
        PLUGIN,
    )
    assert str(taken) == "janus.plugin.videocall error 476: Username 'x' already taken"
    assert type(VideoCallError(478, "x")) is NoSuchUsernameError
    assert type(VideoCallError(499, "x")) is UnknownVideoCallError
    assert type(VideoCallError(498, "x")) is VideoCallError
    assert type(VideoCallError(None, "x")) is VideoCallError
    codes = {getattr(errors, name) for name in errors.__all__ if name.startswith("ERROR_")}
    assert set(VideoCallError.declared_codes()) == codes
    for code, cls in VideoCallError.declared_codes().items():
        assert type(VideoCallError(code, "x")) is cls
        assert issubclass(cls, PluginError)
    ended = CallEndedError("User busy", username="bob", plugin=PLUGIN)
    assert (ended.error_code, ended.reason, ended.username) == (None, "User busy", "bob")
    rejected = VideoCallMediaRejectedError("rejected video", plugin=PLUGIN)
    assert isinstance(rejected, MediaRejectedError) and isinstance(rejected, VideoCallError)
    assert rejected.error_code is None and rejected.rejected == ()


def test_error_constants_match_the_plugin() -> None:
    codes = {name: getattr(errors, name) for name in errors.__all__ if name.startswith("ERROR_")}
    assert len(codes) == 15
    assert len(set(codes.values())) == 15
    assert codes["ERROR_UNKNOWN_ERROR"] == 499
    assert sorted(v for v in codes.values() if v != 499) == list(range(470, 484))


def test_all_lists_exactly_the_public_names() -> None:
    expected = {
        *errors.__all__,
        *handle.__all__,
        *(name for name in messages.__all__ if not name.startswith("parse_")),
        "__version__",
    }
    assert set(janus_videocall.__all__) == expected
    assert len(janus_videocall.__all__) == len(expected)
    for name in janus_videocall.__all__:
        assert hasattr(janus_videocall, name)
    for module in (errors, handle, messages, plugin):
        for name in module.__all__:
            assert hasattr(module, name)


def test_the_package_is_discovered() -> None:
    import janus_webrtc

    infos = {info.name: info for info in janus_webrtc.plugins.available()}
    assert infos["videocall"].handle_class is janus_videocall.VideoCallHandle
    assert infos["videocall"].plugin_id == PLUGIN
    assert infos["videocall"].distribution == "janus-videocall"
    assert not [f for f in janus_webrtc.plugins.failures() if "videocall" in str(f.entry_point)]
