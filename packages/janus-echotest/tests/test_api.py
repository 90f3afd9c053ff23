"""The package without a server: public names, registration, typed events, errors."""

from __future__ import annotations

import inspect

import pytest

import janus_echotest
import janus_webrtc
from janus_echotest import (
    EchoTestDone,
    EchoTestError,
    EchoTestHandle,
    EchoTestMediaRejectedError,
    EchoTestResult,
    EchoTestSlowLink,
    SubstreamChanged,
    TemporalLayerChanged,
    errors,
)
from janus_echotest.messages import parse_event, parse_result
from janus_webrtc import PluginEvent, PluginResponse, ProtocolError

PLUGIN = "janus.plugin.echotest"


def test_all_lists_exactly_the_public_names() -> None:
    public = {
        name
        for name, value in vars(janus_echotest).items()
        if not name.startswith("_") and not inspect.ismodule(value)
    } - {"annotations", "PackageNotFoundError", "version"}
    assert set(janus_echotest.__all__) == public | {"__version__"}


def test_registered_through_the_entry_point() -> None:
    infos = [i for i in janus_webrtc.plugins.available() if i.plugin_id == PLUGIN]
    assert [i.handle_class for i in infos] == [EchoTestHandle]
    assert infos[0].name == "echotest"
    assert infos[0].distribution == "janus-echotest"
    assert janus_webrtc.plugins.failures() == []


def test_handle_class_attributes() -> None:
    assert issubclass(EchoTestHandle, janus_webrtc.WebRTCHandle)
    assert EchoTestHandle.plugin_id == PLUGIN
    assert EchoTestHandle.error_class is EchoTestError
    assert issubclass(EchoTestMediaRejectedError, EchoTestError)
    assert issubclass(EchoTestMediaRejectedError, janus_webrtc.MediaRejectedError)
    assert issubclass(EchoTestError, janus_webrtc.PluginError)


def test_every_error_code_has_its_class() -> None:
    codes = {getattr(errors, name) for name in errors.__all__ if name.startswith("ERROR_")}
    assert set(EchoTestError.declared_codes()) == codes
    for code, cls in EchoTestError.declared_codes().items():
        built = EchoTestError(code, "x")
        assert type(built) is cls and built.plugin == "janus.plugin.echotest"
    assert type(EchoTestError(499, "x")) is EchoTestError


def test_every_option_of_the_plugin_is_an_argument_of_start() -> None:
    options = {
        "audio",
        "video",
        "audiocodec",
        "videocodec",
        "videoprofile",
        "opusred",
        "bitrate",
        "record",
        "filename",
        "substream",
        "temporal",
        "fallback",
        "min_delay",
        "max_delay",
    }
    start = set(inspect.signature(EchoTestHandle.start).parameters) - {"self", "timeout"}
    assert start == options
    configure = set(inspect.signature(EchoTestHandle.configure).parameters)
    assert configure - {"self", "timeout"} == options - {
        "audiocodec",
        "videocodec",
        "videoprofile",
        "opusred",
    }


def event(data: dict[str, object]) -> PluginEvent:
    return PluginEvent(plugin=PLUGIN, data={"echotest": "event", **data})


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (
            {"result": "done"},
            EchoTestDone(plugin=PLUGIN, data={"echotest": "event", "result": "done"}),
        ),
        (
            {"event": "slow_link", "media": "video", "current-bitrate": 128000},
            EchoTestSlowLink,
        ),
        ({"videocodec": "vp8", "substream": 1}, SubstreamChanged),
        ({"videocodec": "vp8", "temporal": 2}, TemporalLayerChanged),
    ],
)
def test_plugin_events_become_typed(data: dict[str, object], expected: object) -> None:
    parsed = parse_event(event(data))
    if isinstance(expected, type):
        assert type(parsed) is expected
    else:
        assert parsed == expected
    if isinstance(parsed, EchoTestSlowLink):
        assert (parsed.media, parsed.current_bitrate) == ("video", 128000)
    if isinstance(parsed, SubstreamChanged):
        assert (parsed.videocodec, parsed.substream) == ("vp8", 1)
    if isinstance(parsed, TemporalLayerChanged):
        assert parsed.temporal == 2


def test_unknown_events_stay_generic() -> None:
    generic = event({"something": "new"})
    assert parse_event(generic) is generic


def test_results() -> None:
    result = parse_result(PluginResponse(plugin=PLUGIN, data={"echotest": "event", "result": "ok"}))
    assert result == EchoTestResult(result="ok", data={"echotest": "event", "result": "ok"})
    assert result.ok
    with pytest.raises(ProtocolError):
        parse_result(PluginResponse(plugin=PLUGIN, data={"echotest": "event"}))
