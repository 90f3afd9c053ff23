"""Unit tests of the sans-I/O protocol layer: no server, no event loop."""

from __future__ import annotations

import pytest

from janus_webrtc import protocol
from janus_webrtc.errors import (
    HandleNotFoundError,
    PluginNotFoundError,
    ProtocolError,
    ServerError,
    SessionNotFoundError,
    UnauthorizedError,
)
from janus_webrtc.messages import (
    Candidate,
    Detached,
    HangUp,
    Jsep,
    MediaState,
    PluginEvent,
    SessionTimeout,
    SlowLink,
    Trickle,
    UnknownEvent,
    WebRTCUp,
)


def test_transaction_ids_are_unique_and_short() -> None:
    ids = protocol.TransactionIds()
    seen = {ids.next() for _ in range(10_000)}
    assert len(seen) == 10_000
    assert all(len(t) < 16 for t in seen)
    assert protocol.TransactionIds().next() not in seen


def test_build_request_leaves_out_none_fields() -> None:
    message = protocol.build_request(
        "attach", "t1", 5, None, {"plugin": "janus.plugin.echotest", "opaque_id": None}
    )
    assert message == {
        "janus": "attach",
        "transaction": "t1",
        "session_id": 5,
        "plugin": "janus.plugin.echotest",
    }


@pytest.mark.parametrize(
    ("message", "path"),
    [
        ({"janus": "create"}, ""),
        ({"janus": "attach", "session_id": 7}, "/7"),
        ({"janus": "message", "session_id": 7, "handle_id": 9}, "/7/9"),
    ],
)
def test_http_path(message: dict[str, object], path: str) -> None:
    assert protocol.http_path(message) == path


def test_jsep_round_trip() -> None:
    jsep = Jsep(type="offer", sdp="v=0\r\n", trickle=False)
    assert protocol.parse_jsep(protocol.jsep_to_wire(jsep)) == jsep
    assert protocol.jsep_to_wire(Jsep(type="answer", sdp="x")) == {"type": "answer", "sdp": "x"}


@pytest.mark.parametrize(
    "value", [None, "offer", {"type": "pranswer", "sdp": "x"}, {"type": "offer"}]
)
def test_parse_jsep_rejects_garbage(value: object) -> None:
    assert protocol.parse_jsep(value) is None


def test_jsep_repr_hides_the_sdp() -> None:
    assert "v=0" not in repr(Jsep(type="offer", sdp="v=0 secret-ish"))


def test_candidates_to_wire() -> None:
    candidate = Candidate("candidate:1 1 udp 1 127.0.0.2 5000 typ host", "0", 0)
    assert protocol.candidate_to_wire(candidate) == {
        "candidate": candidate.candidate,
        "sdpMid": "0",
        "sdpMLineIndex": 0,
    }
    assert protocol.candidate_to_wire(None) == {"completed": True}
    assert protocol.candidates_to_wire([candidate, None])[1] == {"completed": True}


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        (403, UnauthorizedError),
        (405, UnauthorizedError),
        (458, SessionNotFoundError),
        (459, HandleNotFoundError),
        (460, PluginNotFoundError),
        (456, ServerError),
    ],
)
def test_error_of_maps_codes_to_types(code: int, kind: type[ServerError]) -> None:
    error = protocol.error_of(
        {"janus": "error", "error": {"code": code, "reason": "nope"}}, request="attach"
    )
    assert type(error) is kind
    assert error.code == code
    assert error.reason == "nope"
    assert "attach" in str(error) and str(code) in str(error)


def test_error_of_ignores_success_and_survives_garbage() -> None:
    assert protocol.error_of({"janus": "success"}) is None
    error = protocol.error_of({"janus": "error", "error": "bad"})
    assert error is not None and error.code == 490
    error = protocol.error_of({"janus": "error", "error": {"code": "x"}})
    assert error is not None and error.code == 490 and error.reason == "no reason given"


def test_plugin_error_of() -> None:
    assert protocol.plugin_error_of(
        {"videoroom": "event", "error_code": 426, "error": "No such room"}
    ) == (
        426,
        "No such room",
    )
    assert protocol.plugin_error_of({"textroom": "error", "error": "bad"}) == (None, "bad")
    assert protocol.plugin_error_of({"echotest": "event", "result": "ok"}) is None


def test_parse_plugin_response() -> None:
    response = protocol.parse_plugin_response(
        {
            "janus": "event",
            "plugindata": {"plugin": "janus.plugin.echotest", "data": {"result": "ok"}},
            "jsep": {"type": "answer", "sdp": "v=0"},
        }
    )
    assert response.plugin == "janus.plugin.echotest"
    assert response.data == {"result": "ok"}
    assert response.jsep == Jsep(type="answer", sdp="v=0")


def test_parse_plugin_response_without_plugindata_is_a_protocol_error() -> None:
    with pytest.raises(ProtocolError, match="plugindata"):
        protocol.parse_plugin_response({"janus": "success"})


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ({"janus": "webrtcup", "sender": 1}, WebRTCUp()),
        (
            {"janus": "media", "type": "video", "mid": "1", "receiving": False, "seconds": 2},
            MediaState(kind="video", mid="1", receiving=False, seconds=2),
        ),
        (
            {"janus": "media", "type": "audio", "mid": "0", "receiving": True, "substream": 1},
            MediaState(kind="audio", mid="0", receiving=True, substream=1),
        ),
        (
            {"janus": "slowlink", "media": "video", "mid": "1", "uplink": True, "lost": 12},
            SlowLink(kind="video", mid="1", uplink=True, lost=12),
        ),
        ({"janus": "hangup", "reason": "DTLS alert"}, HangUp(reason="DTLS alert")),
        ({"janus": "detached"}, Detached()),
        ({"janus": "timeout", "session_id": 3}, SessionTimeout()),
        (
            {"janus": "trickle", "candidate": {"completed": True}},
            Trickle(candidate=None, completed=True),
        ),
        (
            {
                "janus": "trickle",
                "candidate": {"candidate": "candidate:x", "sdpMid": "0", "sdpMLineIndex": 0},
            },
            Trickle(candidate=Candidate("candidate:x", "0", 0)),
        ),
        (
            {"janus": "event", "plugindata": {"plugin": "p", "data": {"a": 1}}},
            PluginEvent(plugin="p", data={"a": 1}),
        ),
    ],
)
def test_parse_event(message: dict[str, object], expected: object) -> None:
    assert protocol.parse_event(message) == expected


@pytest.mark.parametrize(
    "message",
    [
        {"janus": "brand-new-event", "sender": 1, "x": 1},
        {"janus": "trickle", "candidate": 5},
        {"janus": "event"},
        {"nothing": True},
    ],
)
def test_parse_event_turns_the_unknown_into_unknown_event(message: dict[str, object]) -> None:
    event = protocol.parse_event(message)
    assert isinstance(event, UnknownEvent)
    assert "sender" not in event.payload


def test_parse_server_info() -> None:
    info = protocol.parse_server_info(
        {
            "janus": "server_info",
            "name": "Janus WebRTC Server",
            "version": 1102,
            "version_string": "1.1.2",
            "session-timeout": 60,
            "api_secret": True,
            "plugins": {"janus.plugin.echotest": {"name": "EchoTest", "version": 7}},
            "transports": {"janus.transport.http": {"name": "HTTP"}},
        }
    )
    assert info.version == 1102 and info.version_string == "1.1.2"
    assert info.session_timeout == 60 and info.api_secret_required
    assert info.plugins["janus.plugin.echotest"].name == "EchoTest"
    assert info.plugins["janus.plugin.echotest"].version == 7
    assert "janus.transport.http" in info.transports
    with pytest.raises(ProtocolError):
        protocol.parse_server_info({"janus": "success"})


def test_redact_hides_every_secret_at_any_depth() -> None:
    message = {
        "janus": "message",
        "apisecret": "s1",
        "token": "s2",
        "admin_secret": "s3",
        "body": {
            "request": "create",
            "secret": "s4",
            "pin": "s5",
            "rooms": [{"pin": "s6"}],
            "srtp_crypto": "s7",
        },
    }
    text = repr(protocol.redact(message))
    for secret in ("s1", "s2", "s3", "s4", "s5", "s6", "s7"):
        assert f"'{secret}'" not in text
    assert message["apisecret"] == "s1", "redact must not change the original"
    assert protocol.redact(message)["body"]["request"] == "create"
