"""The plugin registry, with in-process registrations (entry points: test_third_party_plugin)."""

from __future__ import annotations

import types
from importlib.metadata import EntryPoint

import pytest

import janus_webrtc
from janus_webrtc import Handle
from janus_webrtc.plugins import PluginRegistry, hookimpl, short_name


class PublisherHandle(Handle):
    plugin_id = "janus.plugin.example"


class SubscriberHandle(Handle):
    plugin_id = "janus.plugin.example"


class NoIdHandle(Handle):
    pass


def make_plugin(*classes: type[Handle]) -> types.SimpleNamespace:
    @hookimpl
    def janus_webrtc_handle_classes() -> list[type[Handle]]:
        return list(classes)

    return types.SimpleNamespace(janus_webrtc_handle_classes=janus_webrtc_handle_classes)


def test_first_class_per_plugin_id_is_the_default() -> None:
    registry = PluginRegistry(group=None)
    registry.register(make_plugin(PublisherHandle, SubscriberHandle, NoIdHandle), name="example")
    infos = registry.available()
    assert [(i.name, i.handle_class, i.default) for i in infos] == [
        ("example", PublisherHandle, True),
        ("example", SubscriberHandle, False),
    ]
    assert registry.plugin_id("example") == "janus.plugin.example"
    assert registry.handle_class("janus.plugin.example") is PublisherHandle


def test_unknown_names_map_to_janus_ids_and_the_generic_handle() -> None:
    registry = PluginRegistry(group=None)
    assert registry.plugin_id("streaming") == "janus.plugin.streaming"
    assert registry.plugin_id("acme.plugin.custom") == "acme.plugin.custom"
    assert registry.handle_class("janus.plugin.streaming") is Handle
    assert short_name("janus.plugin.videoroom") == "videoroom"
    assert short_name("acme.plugin.custom") == "acme.plugin.custom"


def test_a_plugin_whose_hook_raises_is_reported_and_skipped(
    caplog: pytest.LogCaptureFixture,
) -> None:
    @hookimpl
    def janus_webrtc_handle_classes() -> list[type[Handle]]:
        raise RuntimeError("cannot list")

    registry = PluginRegistry(group=None)
    registry.register(
        types.SimpleNamespace(janus_webrtc_handle_classes=janus_webrtc_handle_classes), name="bad"
    )
    registry.register(make_plugin(PublisherHandle), name="good")
    assert [i.handle_class for i in registry.available()] == [PublisherHandle]
    assert [(f.entry_point, f.error) for f in registry.failures()] == [
        ("bad", "RuntimeError: cannot list")
    ]
    assert "'bad'" in caplog.text


def test_entry_points_are_not_loaded_at_import() -> None:
    registry = janus_webrtc.plugins.PluginRegistry()
    assert registry._loaded is False
    registry.available()
    assert registry._loaded is True


def test_module_level_helpers_use_the_default_registry() -> None:
    assert janus_webrtc.plugins.available() == janus_webrtc.plugins.default_registry().available()
    assert isinstance(janus_webrtc.plugins.failures(), list)


@pytest.mark.media
def test_public_names_are_exactly_all() -> None:
    # every exported name exists (the WebRTC ones are imported on first access)
    assert all(hasattr(janus_webrtc, name) for name in janus_webrtc.__all__)
    public = {name for name in vars(janus_webrtc) if not name.startswith("_")} - {"annotations"}
    modules = {name for name in public if isinstance(getattr(janus_webrtc, name), types.ModuleType)}
    exported = set(janus_webrtc.__all__) - {"__version__"}
    # every public object is exported (submodules may be, or not)
    assert exported - modules == public - modules


def test_importing_the_core_does_not_import_aiortc() -> None:
    import subprocess
    import sys

    code = "import sys, janus_webrtc, janus_webrtc.testing.plugin; print('aiortc' in sys.modules)"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "False"


def broken_registry() -> PluginRegistry:
    """A registry whose entry point ``broken`` fails to import, as a package missing aiortc."""
    registry = PluginRegistry(group=None)
    registry._load_entry_point(
        EntryPoint(
            name="broken", value="janus_no_such_module_anywhere.plugin", group="janus_webrtc"
        )
    )
    return registry


def test_a_plugin_that_failed_to_load_is_named_when_attached() -> None:
    registry = broken_registry()
    (failure,) = registry.failures()
    assert failure.entry_point == "broken"
    assert isinstance(failure.exception, ModuleNotFoundError)
    with pytest.raises(janus_webrtc.PluginLoadError) as caught:
        registry.handle_class("janus.plugin.broken")
    error = caught.value
    assert (error.plugin_id, error.entry_point) == ("janus.plugin.broken", "broken")
    assert "ModuleNotFoundError" in error.reason and "janus_no_such_module_anywhere" in str(error)
    assert error.__cause__ is failure.exception
    # Other plugins are not affected.
    assert registry.handle_class("janus.plugin.echotest") is Handle


@pytest.mark.janus
async def test_attach_raises_for_a_plugin_that_failed_to_load(janus_url: str) -> None:
    async with (
        janus_webrtc.connect(janus_url, plugins=broken_registry()) as connection,
        await connection.create_session() as session,
    ):
        with pytest.raises(
            janus_webrtc.PluginLoadError, match=r"cannot attach to janus\.plugin\.broken"
        ):
            await session.attach("broken")
        echo = await session.attach("echotest")  # the generic handle still works
        assert type(echo) is Handle
