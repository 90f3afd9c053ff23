"""Tests of the private Janus launcher, the ICE helpers and the pytest fixtures.

These tests run a real Janus. While the package is not installed, run them as::

    cd packages/janus-core
    PYTHONPATH=src python -m pytest tests/test_testing_server.py \
        -p janus_webrtc.testing.plugin -o asyncio_mode=auto
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import aiohttp
import pytest
import websockets
from websockets.typing import Subprotocol

import janus_webrtc.testing.plugin as plugin_module
import janus_webrtc.testing.server as server_module
from janus_webrtc.testing import (
    JanusEndpoints,
    JanusServer,
    JanusStartError,
    ensure_ice_address,
    restrict_aioice_to,
)
from janus_webrtc.testing.ice import DEFAULT_ICE_ADDRESS
from janus_webrtc.testing.plugin import endpoints_from_env
from janus_webrtc.testing.server import find_janus_binary

_NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))
_LOOPBACK_NET = ipaddress.ip_network("127.0.0.0/8")


def _get(url: str) -> dict[str, Any]:
    with _NO_PROXY.open(url, timeout=35) as response:
        message: dict[str, Any] = json.loads(response.read())
    return message


def _post(url: str, body: dict[str, Any]) -> dict[str, Any]:
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
    )
    with _NO_PROXY.open(request, timeout=10) as response:
        message: dict[str, Any] = json.loads(response.read())
    return message


def _listening_sockets() -> list[tuple[str, int, int]]:
    """(local address, port, pid) of every listening TCP/UDP socket, from ``ss``."""
    output = subprocess.run(
        ["ss", "-H", "-lntup"], capture_output=True, text=True, check=True
    ).stdout
    sockets = []
    for line in output.splitlines():
        fields = line.split()
        address, _, port = fields[4].rpartition(":")
        for pid in re.findall(r"pid=(\d+)", line):
            sockets.append((address.strip("[]"), int(port), int(pid)))
    return sockets


def _janus_socket_addresses(endpoints: JanusEndpoints) -> list[str]:
    """Local addresses of the sockets of the Janus serving ``endpoints``.

    Empty when ``ss`` is missing or the process is not visible here.
    """
    if shutil.which("ss") is None:
        return []
    sockets = _listening_sockets()
    ws_port = _port(endpoints.ws_url)
    pids = {pid for _, port, pid in sockets if port == ws_port}
    return [address for address, _, pid in sockets if pid in pids]


def _port(url: str) -> int:
    match = re.match(r"^\w+://[^/]+:(\d+)", url)
    assert match is not None, url
    return int(match.group(1))


@pytest.fixture
def janus_binary() -> str:
    """Path of the local Janus binary; skips the test if there is none."""
    binary = find_janus_binary()
    if binary is None:
        pytest.skip("no local Janus binary")
    return binary


@pytest.fixture
def private_server(janus_binary: str) -> Iterator[JanusServer]:
    """A second, small private server owned by one test."""
    with JanusServer(binary=janus_binary, plugins=("echotest",)) as server:
        yield server


# -- the session server ------------------------------------------------------


@pytest.mark.janus
def test_info_lists_plugins_and_transports(janus_server: JanusEndpoints) -> None:
    info = _get(f"{janus_server.http_url}/info")

    assert info["janus"] == "server_info"
    for plugin in ("echotest", "videoroom", "textroom", "videocall"):
        assert f"janus.plugin.{plugin}" in info["plugins"]
    assert "janus.transport.http" in info["transports"]
    assert "janus.transport.websockets" in info["transports"]


@pytest.mark.janus
def test_admin_api_needs_the_admin_secret(janus_server: JanusEndpoints) -> None:
    if not janus_server.admin_http_url:
        pytest.skip("no admin HTTP URL for this server")
    request = {"janus": "list_sessions", "transaction": "x"}

    accepted = _post(
        janus_server.admin_http_url, {**request, "admin_secret": janus_server.admin_secret}
    )
    rejected = _post(janus_server.admin_http_url, {**request, "admin_secret": "wrong"})

    assert accepted["janus"] == "success"
    assert isinstance(accepted["sessions"], list)
    assert rejected["janus"] == "error"
    assert rejected["error"]["code"] == 403


@pytest.mark.janus
def test_janus_listens_on_loopback_only(janus_server: JanusEndpoints) -> None:
    if shutil.which("ss") is None:
        pytest.skip("`ss` is not installed")

    addresses = _janus_socket_addresses(janus_server)

    if not addresses:
        pytest.skip("the Janus process is not visible here (external server?)")
    assert len(addresses) >= 4
    for address in addresses:
        assert ipaddress.ip_address(address) in _LOOPBACK_NET, address


@pytest.mark.janus
async def test_janus_url_answers(
    janus_url: str, janus_transport: str, request: pytest.FixtureRequest
) -> None:
    assert request.node.name.endswith(f"[{janus_transport}]")
    if janus_transport == "ws":
        assert janus_url.startswith("ws://")
        protocol = Subprotocol("janus-protocol")
        async with websockets.connect(janus_url, subprotocols=[protocol]) as ws:
            await ws.send(json.dumps({"janus": "info", "transaction": "t"}))
            reply = json.loads(await asyncio.wait_for(ws.recv(), 5))
    elif janus_transport == "unix":
        assert janus_url.startswith("unix:///")
        path = unquote(urlsplit(janus_url).path)
        with socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET) as sock:
            sock.settimeout(5)
            sock.connect(path)
            sock.send(json.dumps({"janus": "info", "transaction": "t"}).encode())
            reply = json.loads(sock.recv(65536))
    else:
        assert janus_url.startswith("http://")
        async with (
            aiohttp.ClientSession() as client,
            client.get(f"{janus_url}/info") as response,
        ):
            assert response.status == 200
            reply = json.loads(await response.read())

    assert reply["janus"] == "server_info"


def test_janus_url_runs_ws_then_http_then_unix(request: pytest.FixtureRequest) -> None:
    ids = [
        item.callspec.id
        for item in request.session.items
        if isinstance(item, pytest.Function) and item.originalname == "test_janus_url_answers"
    ]
    if not ids:
        pytest.skip("test_janus_url_answers is not collected in this run")

    assert ids == ["ws", "http", "unix"]


@pytest.mark.janus
def test_ice_address_fixture_matches_endpoints(
    janus_server: JanusEndpoints, janus_ice_address: str | None
) -> None:
    assert janus_ice_address == janus_server.ice_address


# -- private servers -----------------------------------------------------------


@pytest.mark.janus
def test_stop_is_idempotent_and_ends_the_process(private_server: JanusServer) -> None:
    pid = private_server.pid
    workdir = private_server.workdir
    running_before = private_server.running
    assert pid is not None
    assert running_before
    assert private_server.log_path.is_file()
    assert (private_server.config_dir / "janus.jcfg").is_file()

    private_server.stop()
    private_server.stop()

    assert not private_server.running
    assert private_server.pid is None
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
    assert not workdir.exists()
    with pytest.raises(RuntimeError):
        _ = private_server.endpoints


@pytest.mark.janus
@pytest.mark.usefixtures("janus_binary")
def test_a_quiet_server_starts_too() -> None:
    # below log level 4 Janus does not log that its listeners started
    with JanusServer(plugins=("echotest",), debug_level=2) as server:
        reply = _post(server.endpoints.http_url, {"janus": "create", "transaction": "q"})
    assert reply["janus"] == "success"


@pytest.mark.janus
@pytest.mark.usefixtures("janus_binary")
def test_api_secret_is_required() -> None:
    with JanusServer(plugins=("echotest",), api_secret="s3cret") as server:
        url = server.endpoints.http_url

        without = _post(url, {"janus": "create", "transaction": "a"})
        wrong = _post(url, {"janus": "create", "transaction": "b", "apisecret": "x"})
        with_secret = _post(url, {"janus": "create", "transaction": "c", "apisecret": "s3cret"})

    assert without["janus"] == "error"
    assert without["error"]["code"] == 403
    assert wrong["error"]["code"] == 403
    assert with_secret["janus"] == "success"
    assert isinstance(with_secret["data"]["id"], int)


@pytest.mark.janus
@pytest.mark.usefixtures("janus_binary")
def test_secrets_stay_out_of_repr(tmp_path: Path) -> None:
    with JanusServer(plugins=("echotest",), api_secret="s3cret-api", workdir=tmp_path) as server:
        endpoints = server.endpoints
        texts = [repr(endpoints), str(endpoints), repr(server)]

    assert endpoints.api_secret == "s3cret-api"
    assert endpoints.recordings_dir == tmp_path / "recordings"
    for text in texts:
        assert endpoints.admin_secret not in text
        assert "s3cret-api" not in text
    assert tmp_path.exists(), "a workdir given by the caller is kept"


@pytest.mark.janus
@pytest.mark.usefixtures("janus_binary")
def test_lost_port_race_is_retried(monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        busy_port = busy.getsockname()[1]
        picked: list[list[int]] = []
        real_pick = server_module._free_tcp_ports

        def pick_busy_first(count: int) -> list[int]:
            ports = real_pick(count)
            if not picked:
                ports[2] = busy_port  # the WebSocket port
            picked.append(ports)
            return ports

        monkeypatch.setattr(server_module, "_free_tcp_ports", pick_busy_first)
        with JanusServer(plugins=("echotest",)) as server:
            ws_port = _port(server.endpoints.ws_url)

    # the busy set, then free ones (one more set for each pfunix start-up race, see server.py)
    assert len(picked) >= 2 and picked[0][2] == busy_port
    assert ws_port != busy_port


def test_missing_binary_raises_a_clear_error() -> None:
    with pytest.raises(JanusStartError, match="not found") as error:
        JanusServer(binary="/nonexistent/janus").start()

    assert "/nonexistent/janus" in str(error.value)
    assert "apt-get install janus" in str(error.value)


def test_janus_binary_env_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JANUS_BINARY", "/nonexistent/janus-from-env")

    with pytest.raises(JanusStartError, match="janus-from-env"):
        JanusServer().start()


@pytest.mark.janus
@pytest.mark.usefixtures("janus_binary")
def test_a_dying_process_raises_with_its_exit_code() -> None:
    false = shutil.which("false")
    if false is None:
        pytest.skip("no `false` command")
    server = JanusServer(binary=false, plugins=("echotest",))

    with pytest.raises(JanusStartError, match="exited with code 1"):
        server.start()
    assert not server.running


def test_endpoints_url_picks_the_transport() -> None:
    endpoints = JanusEndpoints(
        ws_url="ws://127.0.0.1:1",
        http_url="http://127.0.0.1:2/janus",
        admin_ws_url="ws://127.0.0.1:3",
        admin_http_url="http://127.0.0.1:4/admin",
        admin_secret="admin-s3cret",
        ice_address=None,
        recordings_dir=None,
    )

    assert endpoints.url("ws") == "ws://127.0.0.1:1"
    assert endpoints.url("http") == "http://127.0.0.1:2/janus"
    with pytest.raises(ValueError, match="unknown transport"):
        endpoints.url("mqtt")
    assert "admin-s3cret" not in repr(endpoints)


# -- ICE ---------------------------------------------------------------------------


def _needs_root_and_ip() -> None:
    if os.geteuid() != 0:
        pytest.skip("needs root")
    if shutil.which("ip") is None:
        pytest.skip("the `ip` command is missing")


def test_ensure_ice_address_sets_up_janus0() -> None:
    _needs_root_and_ip()

    first = ensure_ice_address()
    second = ensure_ice_address()

    assert first == second == "127.0.0.2"
    output = subprocess.run(
        ["ip", "-j", "addr", "show", "dev", "janus0"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    (link,) = json.loads(output)
    assert "LOOPBACK" not in link["flags"]
    assert "UP" in link["flags"]
    assert any(info.get("local") == "127.0.0.2" for info in link["addr_info"])


def test_ensure_ice_address_from_several_processes_at_once() -> None:
    # `./scripts/test` runs test sessions side by side, and each sets up the ICE address at its
    # start: creating the interface must not fail for the process that loses the race
    _needs_root_and_ip()
    # Not 127.0.0.2xx: Janus matches ice_enforce_list by prefix, so the Janus of a test
    # session running beside this one (enforcing 127.0.0.2) would offer that address too
    interface, address = "janus-race", "127.0.0.99"
    assert not address.startswith(DEFAULT_ICE_ADDRESS)
    subprocess.run(["ip", "link", "del", interface], capture_output=True, check=False)
    try:
        for _ in range(5):
            subprocess.run(["ip", "link", "del", interface], capture_output=True, check=False)
            # every racer starts Python first, then calls at the same moment
            script = (
                "import sys, time; from janus_webrtc.testing import ensure_ice_address; "
                f"time.sleep(max(0, {time.time() + 2.0} - time.time())); "
                f"sys.exit(ensure_ice_address({address!r}, interface={interface!r}) != {address!r})"
            )
            racers = [subprocess.Popen([sys.executable, "-c", script]) for _ in range(6)]
            assert [racer.wait() for racer in racers] == [0] * 6
    finally:
        subprocess.run(["ip", "link", "del", interface], capture_output=True, check=False)


@pytest.mark.parametrize("address", ["127.0.0.1", "10.0.0.1", "::1", "not-an-ip"])
def test_ensure_ice_address_rejects_other_addresses(address: str) -> None:
    with pytest.raises(ValueError, match=r"127\.0\.0\.0/8"):
        ensure_ice_address(address)


@pytest.mark.media
async def test_restrict_aioice_to_one_address() -> None:
    import aioice
    import aioice.ice

    original = aioice.ice.get_host_addresses

    with restrict_aioice_to("127.0.0.2"):
        assert aioice.ice.get_host_addresses(use_ipv4=True, use_ipv6=True) == ["127.0.0.2"]
        assert aioice.ice.get_host_addresses(use_ipv4=False, use_ipv6=True) == []
        connection = aioice.Connection(ice_controlling=True, stun_server=None)
        try:
            await connection.gather_candidates()
            hosts = {candidate.host for candidate in connection.local_candidates}
        finally:
            await connection.close()

    assert hosts == {"127.0.0.2"}
    assert aioice.ice.get_host_addresses is original


async def _janus_answer_to_aiortc_offer(
    endpoints: JanusEndpoints, ice_address: str
) -> tuple[str, str, list[str]]:
    """Run an EchoTest over raw HTTP with aiortc.

    Returns:
        Janus's answer SDP, aiortc's final ICE state, and the local addresses
        of Janus's sockets (per ``ss``) while the PeerConnection was up.
    """
    from aiortc import RTCConfiguration, RTCPeerConnection, RTCSessionDescription

    async with aiohttp.ClientSession() as client:

        async def post(path: str, body: dict[str, Any]) -> dict[str, Any]:
            async with client.post(endpoints.http_url + path, json=body) as response:
                reply: dict[str, Any] = json.loads(await response.read())
            assert reply["janus"] in ("success", "ack"), reply
            return reply

        session = (await post("", {"janus": "create", "transaction": "c"}))["data"]["id"]
        handle = (
            await post(
                f"/{session}",
                {"janus": "attach", "plugin": "janus.plugin.echotest", "transaction": "a"},
            )
        )["data"]["id"]
        pc = RTCPeerConnection(RTCConfiguration(iceServers=[]))
        try:
            with restrict_aioice_to(ice_address):
                pc.addTransceiver("audio", direction="recvonly")
                await pc.setLocalDescription(await pc.createOffer())
            offer = pc.localDescription
            await post(
                f"/{session}/{handle}",
                {
                    "janus": "message",
                    "transaction": "m",
                    "body": {"audio": True},
                    "jsep": {"type": offer.type, "sdp": offer.sdp},
                },
            )
            jsep = None
            while jsep is None:
                async with client.get(
                    f"{endpoints.http_url}/{session}", params={"maxev": "1"}
                ) as response:
                    event = json.loads(await response.read())
                jsep = event.get("jsep") if event.get("transaction") == "m" else None
            await pc.setRemoteDescription(RTCSessionDescription(jsep["sdp"], jsep["type"]))
            for _ in range(100):
                if pc.iceConnectionState in ("completed", "failed"):
                    break
                await asyncio.sleep(0.05)
            state = pc.iceConnectionState
            addresses = _janus_socket_addresses(endpoints)
        finally:
            await pc.close()
            await post(f"/{session}", {"janus": "destroy", "transaction": "d"})
    return jsep["sdp"], state, addresses


@pytest.mark.janus
@pytest.mark.media
async def test_janus_offers_ice_candidates_on_the_ice_address_only(
    janus_server: JanusEndpoints, janus_ice_address: str | None
) -> None:
    if janus_ice_address is None or not janus_server.http_url:
        pytest.skip("no ICE address for this server (not root?)")

    sdp, state, addresses = await _janus_answer_to_aiortc_offer(janus_server, janus_ice_address)

    candidates = [line.split()[4] for line in sdp.splitlines() if line.startswith("a=candidate:")]
    assert candidates
    assert set(candidates) == {janus_ice_address}
    assert state == "completed"
    for address in addresses:
        assert ipaddress.ip_address(address) in _LOOPBACK_NET, address


def test_ensure_ice_address_needs_root(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    if shutil.which("ip") is None:
        pytest.skip("the `ip` command is missing")
    monkeypatch.setattr(os, "geteuid", lambda: 1000)

    assert ensure_ice_address("127.0.0.203", interface="janus-test") is None
    assert "needs root" in caplog.text


def test_ensure_ice_address_needs_the_ip_command(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)

    assert ensure_ice_address() is None
    assert "`ip` command is missing" in caplog.text


# -- plugin helpers ------------------------------------------------------------


def test_endpoints_from_env() -> None:
    environ = {
        "JANUS_WEBRTC_TEST_WS_URL": "ws://127.0.0.1:8188",
        "JANUS_WEBRTC_TEST_HTTP_URL": "http://127.0.0.1:8088/janus",
        "JANUS_WEBRTC_TEST_ADMIN_SECRET": "janusoverlord",
    }

    endpoints = endpoints_from_env(environ)

    assert endpoints is not None
    assert endpoints.url("ws") == "ws://127.0.0.1:8188"
    assert endpoints.url("http") == "http://127.0.0.1:8088/janus"
    assert endpoints.admin_ws_url == ""
    assert endpoints.admin_http_url == ""
    assert endpoints.admin_secret == "janusoverlord"
    assert endpoints.ice_address is None
    assert endpoints_from_env({}) is None


@pytest.mark.parametrize(("ci", "outcome"), [("true", "fail"), ("", "skip")])
def test_missing_janus_fails_on_ci_and_skips_elsewhere(
    monkeypatch: pytest.MonkeyPatch, ci: str, outcome: str
) -> None:
    monkeypatch.setenv("CI", ci)
    expected = pytest.fail.Exception if outcome == "fail" else pytest.skip.Exception

    with pytest.raises(expected, match="apt-get install janus"):
        plugin_module._no_janus(f"no Janus: {server_module.INSTALL_HINT}")
