"""The plugin author's kit in the pytest plugin: requires_plugin, plugin_config."""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from janus_webrtc.testing import JanusEndpoints
from janus_webrtc.testing._jcfg import render
from janus_webrtc.testing.plugin import (
    ENV_PREFIX,
    endpoints_from_env,
    endpoints_to_env,
    plugin_ids,
)
from janus_webrtc.testing.server import JanusServer, server_plugins

pytest_plugins = ["pytester"]

INNER_TESTS = """
import pytest

@pytest.mark.requires_plugin("echotest")
def test_present(janus_server):
    assert janus_server.ws_url

@pytest.mark.requires_plugin("janus.plugin.echotest", "nosip")
def test_missing(janus_server):
    raise AssertionError("must not run")
"""


def point_at(monkeypatch: pytest.MonkeyPatch, endpoints: JanusEndpoints) -> None:
    """Make an inner pytest run use the outer test server (no second Janus)."""
    for name, value in endpoints_to_env(endpoints).items():
        monkeypatch.setenv(name, value)


def test_endpoints_round_trip_through_the_environment(janus_server: JanusEndpoints) -> None:
    environ = endpoints_to_env(janus_server)
    assert all(name.startswith(ENV_PREFIX) for name in environ)
    back = endpoints_from_env(environ)
    assert back is not None
    assert (back.ws_url, back.http_url, back.admin_secret, back.ice_address) == (
        janus_server.ws_url,
        janus_server.http_url,
        janus_server.admin_secret,
        janus_server.ice_address,
    )


def test_plugin_names_become_ids() -> None:
    assert plugin_ids(("streaming", "acme.plugin.x")) == (
        "janus.plugin.streaming",
        "acme.plugin.x",
    )
    with pytest.raises(TypeError, match="requires_plugin takes plugin names"):
        plugin_ids(())
    with pytest.raises(TypeError):
        plugin_ids((3,))


@pytest.mark.janus
def test_server_plugins_lists_what_janus_loaded(janus_server: JanusEndpoints) -> None:
    plugins = server_plugins(janus_server)
    assert plugins is not None and "janus.plugin.echotest" in plugins
    assert "janus.plugin.nosip" not in plugins  # not enabled by the launcher


@pytest.mark.janus
def test_requires_plugin_skips_with_the_reason(
    pytester: pytest.Pytester, janus_server: JanusEndpoints, monkeypatch: pytest.MonkeyPatch
) -> None:
    point_at(monkeypatch, janus_server)
    monkeypatch.delenv("CI", raising=False)
    pytester.makeini("[pytest]\nasyncio_default_fixture_loop_scope = function\n")
    pytester.makepyfile(INNER_TESTS)
    result = pytester.runpytest("-rs", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, skipped=1)
    result.stdout.fnmatch_lines(["*needs the Janus plugin(s) janus.plugin.nosip, which*"])


@pytest.mark.janus
def test_requires_plugin_fails_under_ci(
    pytester: pytest.Pytester, janus_server: JanusEndpoints, monkeypatch: pytest.MonkeyPatch
) -> None:
    point_at(monkeypatch, janus_server)
    monkeypatch.setenv("CI", "true")
    pytester.makeini("[pytest]\nasyncio_default_fixture_loop_scope = function\n")
    pytester.makepyfile(INNER_TESTS)
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(["*janus.plugin.nosip*"])


def test_plugin_config_renders_into_the_plugin_file(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    with pytest.raises(ValueError, match="plugin_config for plugins that are not enabled: sip"):
        JanusServer(plugins=["echotest"], plugin_config={"sip": {}})
    text = render({"mp-1": {"type": "rtp", "id": 1, "audio": True, "audiopt": 111}})
    assert 'type = "rtp"' in text and "audio = true" in text and "audiopt = 111" in text


@pytest.mark.janus
def test_janus_server_factory_passes_plugin_config(
    janus_server_factory: Callable[..., JanusEndpoints],
) -> None:
    admin_key = "kit-admin-key"
    endpoints = janus_server_factory(
        plugins=["textroom"],
        plugin_config={
            "textroom": {
                "general": {"admin_key": admin_key},
                "room-4242": {"room": 4242, "description": "preset by the kit"},
            }
        },
    )
    assert server_plugins(endpoints) == {"janus.plugin.textroom"}
    # The preset room exists, and the admin key is required to create rooms: both come
    # from plugin_config. Checked over plain HTTP, as any client would.
    created = _janus_http(endpoints, {"request": "create", "room": 4243})
    assert created.get("error_code") == 413  # JANUS_TEXTROOM_ERROR_MISSING_ELEMENT
    assert "admin_key" in str(created.get("error"))
    created = _janus_http(endpoints, {"request": "create", "room": 4243, "admin_key": admin_key})
    assert created.get("textroom") == "created"
    listed = _janus_http(endpoints, {"request": "list", "admin_key": admin_key})
    descriptions = {room["room"]: room.get("description") for room in listed["list"]}
    assert descriptions[4242] == "preset by the kit"


def _janus_http(endpoints: JanusEndpoints, body: dict[str, object]) -> dict[str, object]:
    """Create a session and handle over HTTP and send one synchronous TextRoom request."""

    def post(url: str, message: dict[str, object]) -> dict[str, object]:
        request = urllib.request.Request(
            url, json.dumps({**message, "transaction": "t"}).encode(), method="POST"
        )
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with opener.open(request, timeout=5) as response:
            answer: dict[str, object] = json.loads(response.read())
        return answer

    session = post(endpoints.http_url, {"janus": "create"})["data"]["id"]  # type: ignore[index]
    base = f"{endpoints.http_url}/{session}"
    handle = post(base, {"janus": "attach", "plugin": "janus.plugin.textroom"})["data"]["id"]  # type: ignore[index]
    reply = post(f"{base}/{handle}", {"janus": "message", "body": body})
    data: dict[str, object] = reply["plugindata"]["data"]  # type: ignore[index]
    post(base, {"janus": "destroy"})
    return data


@pytest.mark.janus
async def test_fault_proxies_stall_resume_refuse_and_allow(
    janus_server: JanusEndpoints, janus_transport: str
) -> None:
    import janus_webrtc
    from janus_webrtc.testing import fault_proxy_for

    url = janus_server.url(janus_transport)
    async with fault_proxy_for(url) as proxy:
        through = proxy.url_for(url)
        async with janus_webrtc.connect(through, timeout=5, reconnect=False) as conn:
            await conn.info()
            proxy.stall()
            with pytest.raises(janus_webrtc.JanusTimeoutError):
                await conn.info(timeout=0.5)
            proxy.resume()
            await conn.info()
            proxy.refuse()
        with pytest.raises(janus_webrtc.ConnectError):
            await janus_webrtc.connect(through, timeout=2)
        proxy.allow()
        async with janus_webrtc.connect(through, timeout=5) as conn:
            assert (await conn.info()).name


async def _echo(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    while data := await reader.read(100):
        writer.write(data)
        await writer.drain()
    writer.close()


async def test_a_connection_still_connecting_upstream_when_reset_is_reset_too(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from janus_webrtc.testing import FaultProxy

    server = await asyncio.start_server(_echo, "127.0.0.1", 0)
    connecting, go_on = asyncio.Event(), asyncio.Event()
    real_open = asyncio.open_connection

    async def held_open(*args: Any, **kwargs: Any) -> Any:
        connecting.set()
        await go_on.wait()
        return await real_open(*args, **kwargs)

    async with server, FaultProxy(server.sockets[0].getsockname()[1]) as proxy:
        monkeypatch.setattr(asyncio, "open_connection", held_open)
        reader, writer = await real_open("127.0.0.1", proxy.port)
        await connecting.wait()  # accepted; the proxy is connecting to the server
        proxy.reset()
        go_on.set()
        writer.write(b"ping")
        with contextlib.suppress(ConnectionError):
            assert await reader.read(100) == b""  # reset, not forwarded
        writer.close()


async def test_a_unix_connection_still_connecting_upstream_when_reset_is_closed_too(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from janus_webrtc.testing import UnixFaultProxy

    loop = asyncio.get_running_loop()
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    listener.setblocking(False)
    listener.bind(str(tmp_path / "echo.sock"))
    listener.listen()

    async def echo() -> None:
        peer, _ = await loop.sock_accept(listener)
        with peer:
            while record := await loop.sock_recv(peer, 100):
                await loop.sock_sendall(peer, record)

    echoing = loop.create_task(echo())
    connecting, go_on = asyncio.Event(), asyncio.Event()
    real_connect = loop.sock_connect

    async def held_connect(sock: socket.socket, address: Any) -> None:
        connecting.set()
        await go_on.wait()
        await real_connect(sock, address)

    try:
        async with UnixFaultProxy(str(tmp_path / "echo.sock")) as proxy:
            monkeypatch.setattr(loop, "sock_connect", held_connect)
            with socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET) as client:
                client.setblocking(False)
                await real_connect(client, proxy.path)
                await connecting.wait()  # accepted; the proxy is connecting to the server
                proxy.reset()
                go_on.set()
                with contextlib.suppress(ConnectionError):
                    await loop.sock_sendall(client, b"ping")
                    assert await loop.sock_recv(client, 100) == b""  # closed, not forwarded
    finally:
        echoing.cancel()
        listener.close()
