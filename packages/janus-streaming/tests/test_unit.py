"""Parsing, errors and exports of janus-streaming, without a server."""

from __future__ import annotations

import ast
from pathlib import Path

import janus_streaming
from janus_streaming import (
    Configured,
    Kicked,
    MetadataEdited,
    Pausing,
    Preparing,
    SimulcastChanged,
    Started,
    StatusEvent,
    Stopped,
    StreamingError,
    StreamingErrorEvent,
    StreamingEvent,
    StreamingMediaRejectedError,
    Switched,
    Updating,
    errors,
    parse_created,
    parse_event,
    parse_mountpoint,
)
from janus_webrtc import Jsep, MediaRejectedError, PluginError, PluginEvent

PLUGIN = "janus.plugin.streaming"


def event(data: dict[str, object], jsep: Jsep | None = None) -> object:
    return parse_event(PluginEvent(plugin=PLUGIN, data=data, jsep=jsep))


def test_statuses_become_their_classes() -> None:
    offer = Jsep(type="offer", sdp="v=0")
    preparing = event({"streaming": "event", "result": {"status": "preparing"}}, offer)
    assert isinstance(preparing, Preparing) and preparing.jsep == offer
    for status, kind in [
        ("updating", Updating),
        ("started", Started),
        ("pausing", Pausing),
        ("stopped", Stopped),
        ("kicked_all", Kicked),
    ]:
        parsed = event({"streaming": "event", "result": {"status": status}})
        assert type(parsed) is kind and parsed.status == status  # type: ignore[attr-defined]
    unknown = event({"streaming": "event", "result": {"status": "new-in-1.4"}})
    assert type(unknown) is StatusEvent and unknown.status == "new-in-1.4"


def test_other_events() -> None:
    switched = event({"streaming": "event", "result": {"switched": "ok", "id": 7}})
    assert isinstance(switched, Switched) and switched.id == 7
    assert isinstance(event({"streaming": "event", "result": {"event": "configured"}}), Configured)
    layer = event({"streaming": "event", "result": {"mid": "v", "substream": 1}})
    assert isinstance(layer, SimulcastChanged) and (layer.mid, layer.substream) == ("v", 1)
    edited = event({"event": "edited", "id": 3, "metadata": "m"})
    assert isinstance(edited, MetadataEdited) and (edited.id, edited.metadata) == (3, "m")
    failure = event({"streaming": "event", "error_code": 455, "error": "No such mountpoint"})
    assert isinstance(failure, StreamingErrorEvent) and failure.error_code == 455
    assert type(event({"streaming": "event"})) is StreamingEvent
    assert type(event({"streaming": "event", "result": {"what": 1}})) is StreamingEvent


def test_results_are_read_leniently() -> None:
    created = parse_created(
        {
            "streaming": "created",
            "created": "mp",
            "permanent": False,
            "stream": {
                "id": 5,
                "type": "live",
                "ports": [{"type": "audio", "mid": "a", "port": 5000}, {"port": "bad"}],
            },
        }
    )
    assert created is not None and created.id == 5 and created.name == "mp"
    assert created.port("a") == 5000 and len(created.ports) == 1
    assert parse_created({"streaming": "created"}) is None
    mountpoint = parse_mountpoint({"id": "s1", "media": [{"mid": "v", "age_ms": 3}, "junk"]})
    assert mountpoint is not None and mountpoint.id == "s1"  # string ids work too
    assert mountpoint.stream("v") is not None and mountpoint.stream("v").age_ms == 3  # type: ignore[union-attr]
    assert mountpoint.stream("x") is None
    assert parse_mountpoint({"description": "no id"}) is None


def test_each_error_code_builds_its_class() -> None:
    codes = [getattr(errors, name) for name in errors.__all__ if name.startswith("ERROR_")]
    assert sorted(codes) == [*range(450, 461), 470]
    declared = StreamingError.declared_codes()
    assert sorted(declared) == sorted(codes)
    for code in codes:
        error = StreamingError(code, "x")
        assert type(error) is declared[code] and error.error_code == code
        assert isinstance(error, PluginError) and error.plugin == PLUGIN
    assert type(StreamingError(999, "unknown")) is StreamingError
    assert issubclass(StreamingMediaRejectedError, MediaRejectedError)


def test_all_lists_exactly_the_public_names() -> None:
    source = Path(janus_streaming.__file__).read_text(encoding="utf-8")
    imported = {
        alias.asname or alias.name
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 1
        for alias in node.names
    }
    assert set(janus_streaming.__all__) == imported | {"__version__"}
    assert len(janus_streaming.__all__) == len(set(janus_streaming.__all__))
    for name in janus_streaming.__all__:
        assert hasattr(janus_streaming, name)


def test_entry_point_registers_the_handle() -> None:
    from janus_webrtc import plugins

    (info,) = [i for i in plugins.available() if i.plugin_id == PLUGIN]
    assert info.handle_class is janus_streaming.StreamingHandle
    assert info.distribution == "janus-streaming"
