"""The plugin kit: request bodies, lenient readers, declared plugin error codes."""

from __future__ import annotations

from typing import Any, ClassVar

import pytest

import janus_webrtc
from janus_webrtc import Handle, PluginError, PluginEvent, PluginResponse, ProtocolError
from janus_webrtc.plugin_kit import (
    bool_or_none,
    expect,
    float_or_none,
    id_or_none,
    int_or_none,
    mappings,
    plugin_error,
    request_body,
    require,
    str_or_none,
)
from janus_webrtc.testing import HandleFactory, HandleMaker


class KitError(PluginError):
    """Base error of a made-up plugin."""

    plugin_id = "janus.plugin.kit"


class NoSuchThingError(KitError, code=401):
    """A declared code."""


class NotAllowedError(KitError, code=402):
    """Another declared code."""


class NotAllowedHereError(NotAllowedError):
    """A refinement without a code of its own."""


class OtherError(PluginError):
    """Another plugin's base: its codes are its own."""


class OtherNoSuchThingError(OtherError, code=401):
    """The same number, another plugin."""


def test_request_body_drops_unset_options() -> None:
    body = request_body("create", room=1, secret=None, permanent=False, **{"new-pin": "x"})
    assert body == {"request": "create", "room": 1, "permanent": False, "new-pin": "x"}
    assert request_body(audio=True, bitrate=None) == {"audio": True}


@pytest.mark.parametrize(
    ("reader", "good", "bad"),
    [
        (int_or_none, [0, 7, -3], [True, 1.5, "1", None]),
        (float_or_none, [0, 7, 1.5], [False, "1.5", None]),
        (str_or_none, ["", "x"], [1, None, b"x"]),
        (bool_or_none, [True, False], [0, 1, "true", None]),
        (id_or_none, [5, "room-a"], [True, 1.5, None, [1]]),
    ],
)
def test_readers_are_lenient(reader: Any, good: list[Any], bad: list[Any]) -> None:
    for value in good:
        assert reader(value) == value
    for value in bad:
        assert reader(value) is None


def test_float_reader_gives_floats() -> None:
    assert type(float_or_none(3)) is float


def test_mappings_skips_what_is_not_an_object() -> None:
    assert mappings([{"a": 1}, 2, "x", {"b": 2}]) == ({"a": 1}, {"b": 2})
    assert mappings({"a": 1}) == ()
    assert mappings(None) == ()


def test_expect_types_or_raises() -> None:
    event = PluginEvent(plugin="janus.plugin.kit", data={})
    assert expect(event, PluginEvent, "list") is event
    with pytest.raises(ProtocolError, match="expected PluginResponse in answer to 'list'"):
        expect(event, PluginResponse, "list")


def test_a_declared_code_builds_its_class() -> None:
    error = KitError(401, "no such thing")
    assert type(error) is NoSuchThingError
    assert (error.error_code, error.error, error.plugin) == (
        401,
        "no such thing",
        "janus.plugin.kit",
    )
    assert NoSuchThingError.code == 401
    assert str(error) == "janus.plugin.kit error 401: no such thing"


def test_an_unknown_code_builds_the_plugin_base() -> None:
    assert type(KitError(499, "?")) is KitError
    assert type(KitError(None, "?")) is KitError
    assert type(PluginError(401, "?")) is PluginError  # the core never guesses a plugin


def test_codes_belong_to_their_plugin() -> None:
    assert type(OtherError(401, "x")) is OtherNoSuchThingError
    assert KitError.declared_codes() == {
        401: NoSuchThingError,
        402: NotAllowedError,
        413: EchoTestInvalidElementError,
    }
    assert NotAllowedHereError.code == 402
    assert PluginError.declared_codes() == {}


def test_a_code_is_declared_once() -> None:
    with pytest.raises(TypeError, match="error code 401 of KitError is declared already"):

        class Again(KitError, code=401):
            pass


def test_plugin_error_reads_event_data() -> None:
    error = plugin_error({"error_code": 402, "error": "not allowed"}, KitError)
    assert type(error) is NotAllowedError
    assert error is not None and error.plugin == "janus.plugin.kit"
    assert plugin_error({"result": "ok"}, KitError) is None
    text_only = plugin_error({"error": "bad"}, KitError, plugin="janus.plugin.other")
    assert type(text_only) is KitError
    assert text_only is not None and (text_only.error_code, text_only.plugin) == (
        None,
        "janus.plugin.other",
    )


class KitHandle(Handle):
    """A handle whose plugin errors are KitError (on the EchoTest plugin, which errs freely)."""

    plugin_id: ClassVar[str] = "janus.plugin.echotest"
    error_class: ClassVar[type[PluginError]] = KitError


class EchoTestInvalidElementError(KitError, code=413):
    """EchoTest's JANUS_ECHOTEST_ERROR_INVALID_ELEMENT, declared for the test."""


@pytest.mark.janus
async def test_send_raises_the_declared_class(janus_session: janus_webrtc.Session) -> None:
    handle = await janus_session.attach(KitHandle)
    try:
        with pytest.raises(EchoTestInvalidElementError) as caught:
            await handle.send({"substream": 9})
        assert caught.value.error_code == 413
        assert caught.value.plugin == "janus.plugin.echotest"
        assert handle._limit(None) == janus_session.connection.timeout
        assert handle._limit(2.5) == 2.5
    finally:
        await handle.detach()


@pytest.mark.janus
@pytest.mark.media
async def test_handle_factory_gives_host_only_handles(
    janus_handle_factory: HandleFactory, janus_session: janus_webrtc.Session
) -> None:
    from janus_webrtc import WebRTCHandle

    class EchoHandle(WebRTCHandle):
        plugin_id: ClassVar[str] = "janus.plugin.echotest"

    echo = await janus_handle_factory(EchoHandle)
    assert type(echo) is EchoHandle
    configuration = echo.rtc_configuration
    assert configuration is not None and configuration.iceServers == []
    other = await janus_handle_factory("janus.plugin.echotest", session=janus_session)
    assert other.plugin == "janus.plugin.echotest" and other.session is janus_session


@pytest.mark.janus
async def test_handle_maker_closes_what_it_made(janus_session: janus_webrtc.Session) -> None:
    maker = HandleMaker(janus_session)
    first = await maker(KitHandle)
    second = await maker(KitHandle)
    await first.detach()  # one already gone: closing the rest still works
    assert maker.made == (first, second)
    await maker.aclose()
    assert first.detached and second.detached
    assert maker.made == ()


def test_require_insists_on_a_field() -> None:
    assert require(str_or_none("bob"), "username") == "bob"
    assert require(int_or_none(0), "room") == 0  # falsy values are values
    with pytest.raises(ProtocolError, match="Janus sent no usable username of a join"):
        require(str_or_none(7), "username of a join")


@pytest.mark.media
def test_handle_class_settings_are_checked_when_the_class_is_defined() -> None:
    with pytest.raises(ValueError, match="is not a plugin id"):

        class NoDot(Handle):
            plugin_id = "echotest"

    with pytest.raises(TypeError, match="error_class must be a PluginError subclass"):

        class WrongError(Handle):
            plugin_id = "janus.plugin.echotest"
            error_class = ValueError  # type: ignore[assignment]

    from janus_webrtc import WebRTCHandle

    with pytest.raises(ValueError, match="hangup_timeout must be a number of seconds"):

        class NoWait(WebRTCHandle):
            hangup_timeout = 0

    with pytest.raises(ValueError, match="new_call_grace must be a number of seconds"):

        class Negative(WebRTCHandle):
            new_call_grace = -0.5

    with pytest.raises(TypeError, match="media_rejected_error must be a MediaRejectedError"):

        class WrongMedia(WebRTCHandle):
            media_rejected_error = KitError  # type: ignore[assignment]

    class Fine(WebRTCHandle):
        plugin_id = "acme.plugin.custom"
        new_call_grace = 0

    assert Fine.new_call_grace == 0
