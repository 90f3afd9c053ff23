"""Server lists: ``connect([url1, url2, ...])`` against several real, private Janus servers.

A stopped server is skipped at connect; when the server in use is killed, the connection
moves to the next one that answers, the sessions it cannot give back are reported lost
(:class:`SessionLost`, naming the server reached) and new sessions work there.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from typing import cast

import pytest

import janus_webrtc
from janus_webrtc import (
    ConnectError,
    ConnectionState,
    ConnectionStatusChanged,
    SessionLost,
    SessionLostError,
    TransportClosedError,
    admin,
)
from janus_webrtc.servers import ServerList
from janus_webrtc.testing import JanusEndpoints, JanusServer
from janus_webrtc.testing.fake import FakeTransport
from janus_webrtc.transports.base import MessageSink

pytestmark = pytest.mark.janus


@pytest.fixture
def servers() -> Iterator[list[JanusServer]]:
    """Three private servers, not started yet; each one still running is stopped after."""
    made = [JanusServer() for _ in range(3)]
    yield made
    for server in made:
        server.stop()


def stopped_url(server: JanusServer, transport: str) -> str:
    """Start ``server`` and stop it: the URL of a server that is not there."""
    url = server.start().url(transport)
    server.stop()
    return url


async def sessions_on(endpoints: JanusEndpoints, transport: str) -> list[int]:
    async with admin.connect(
        endpoints.admin_url(transport), admin_secret=endpoints.admin_secret
    ) as api:
        return await api.list_sessions()


async def test_connect_skips_a_stopped_server(
    servers: list[JanusServer], janus_transport: str
) -> None:
    dead = stopped_url(servers[0], janus_transport)
    live = servers[1].start()
    async with janus_webrtc.connect([dead, live.url(janus_transport)], timeout=5) as conn:
        assert conn.url == live.url(janus_transport)
        assert conn.servers == (dead, live.url(janus_transport))
        session = await conn.create_session()
        reply = await (await session.attach("echotest")).send({"audio": True})
        assert reply.data["result"] == "ok"
        assert await sessions_on(live, janus_transport) == [session.id]


async def test_connect_to_a_list_of_stopped_servers_names_each_failure(
    servers: list[JanusServer], janus_transport: str
) -> None:
    dead = [stopped_url(server, janus_transport) for server in servers[:2]]
    with pytest.raises(ConnectError, match="any of 2 servers") as info:
        await janus_webrtc.connect(dead, timeout=5)
    assert all(url in str(info.value) for url in dead)


async def test_a_killed_server_moves_the_connection_to_the_next_one_that_answers(
    servers: list[JanusServer], janus_transport: str
) -> None:
    first = servers[0].start()
    dead = stopped_url(servers[1], janus_transport)
    last = servers[2].start()
    urls = [first.url(janus_transport), dead, last.url(janus_transport)]
    async with janus_webrtc.connect(urls, timeout=5, reconnect_timeout=20) as conn:
        assert conn.url == urls[0]
        session = await conn.create_session()
        handle = await session.attach("echotest")
        session_lost = session.wait_for(SessionLost, timeout=20)
        handle_lost = handle.wait_for(SessionLost, timeout=20)
        reopened = conn.wait_for(
            ConnectionStatusChanged,
            predicate=lambda e: e.state is ConnectionState.OPEN,
            timeout=20,
        )
        pid = servers[0].pid
        assert pid is not None
        os.kill(pid, signal.SIGKILL)
        lost = await session_lost
        assert f"Janus at {urls[2]} could not give the session back" in lost.reason
        assert await handle_lost == lost
        assert (await reopened).reason == f"reconnected to {urls[2]}"
        # Over a Unix socket the killed server's socket file may still take one connection
        # while the process dies: that transport drops during its claim, and the next one
        # is opened (so more than one reconnection is counted).
        assert conn.url == urls[2] and conn.reconnections >= 1
        with pytest.raises(SessionLostError):
            await handle.send({"audio": True})
        fresh = await conn.create_session()
        reply = await (await fresh.attach("echotest")).send({"audio": True})
        assert reply.data["result"] == "ok"
        assert await sessions_on(last, janus_transport) == [fresh.id]


def test_a_server_list_is_checked_at_once() -> None:
    with pytest.raises(ValueError, match="at least one"):
        janus_webrtc.connect([])
    with pytest.raises(ValueError, match="twice"):
        janus_webrtc.connect(["ws://127.0.0.1:1", "ws://127.0.0.1:1"])
    with pytest.raises(ValueError, match="scheme 'ftp'"):
        janus_webrtc.connect(["ws://127.0.0.1:1", "ftp://127.0.0.1:2"])
    with pytest.raises(ValueError, match="no host"):
        janus_webrtc.connect(["unix://relative/janus.sock"])


async def test_each_round_of_reconnecting_starts_at_the_server_in_use() -> None:
    """The order of tries, with fakes: which server refuses is the test's choice."""
    tried: list[str] = []
    refusing = {"b"}

    class Server(FakeTransport):
        def __init__(self, url: str) -> None:
            super().__init__(lambda request: {"janus": "success", "data": {"id": 5}})
            self.url = url

        async def open(self, sink: MessageSink) -> None:
            tried.append(self.url)
            if self.url in refusing:
                raise ConnectError(f"{self.url} refused")
            await super().open(sink)

    servers = ServerList(["a", "b", "c"], Server)
    transport = servers.next_transport()
    conn = janus_webrtc.Connection(
        transport, reconnect=servers.next_transport, servers=servers, keepalive_interval=None
    )
    await conn.open()
    assert conn.url == "a" and tried == ["a"]
    refusing.add("a")
    reopened = conn.wait_for(
        ConnectionStatusChanged, predicate=lambda e: e.state is ConnectionState.OPEN, timeout=5
    )
    cast(Server, conn.transport).drop(TransportClosedError("dropped"))
    await reopened
    assert conn.url == "c" and tried == ["a", "a", "b", "c"]
    refusing.discard("a")
    reopened = conn.wait_for(
        ConnectionStatusChanged, predicate=lambda e: e.state is ConnectionState.OPEN, timeout=5
    )
    cast(Server, conn.transport).drop(TransportClosedError("dropped"))
    await reopened
    assert conn.url == "c" and tried == ["a", "a", "b", "c", "c"]
    await conn.close()
