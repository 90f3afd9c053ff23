"""A session that cannot be kept is reported lost, with its reason, never silently dropped.

Against real Janus servers: one killed with SIGKILL (gone for good), and one replaced by a
fresh Janus behind the same address (restarted: it knows none of the old sessions). Then the
reconnect policy and connection events on their own.
"""

from __future__ import annotations

import asyncio
import os
import signal
from collections.abc import Callable

import pytest

import janus_webrtc
from janus_webrtc import (
    ConnectionState,
    ConnectionStatusChanged,
    ReconnectPolicy,
    SessionLost,
    SessionLostError,
    TransportClosedError,
)
from janus_webrtc.testing import JanusEndpoints, JanusServer, fault_proxy_for
from janus_webrtc.testing.fake import FakeTransport
from janus_webrtc.transports.base import MessageSink


@pytest.mark.janus
async def test_a_killed_janus_loses_the_sessions_within_the_policy(janus_transport: str) -> None:
    server = JanusServer()
    endpoints = server.start()
    try:
        policy = ReconnectPolicy(give_up_after=2.0)
        conn = await janus_webrtc.connect(
            endpoints.url(janus_transport), timeout=3, reconnect=policy
        )
        states: list[ConnectionStatusChanged] = []
        conn.on(states.append, ConnectionStatusChanged)
        session = await conn.create_session()
        handle = await session.attach("echotest")
        session_lost = session.wait_for(SessionLost, timeout=15)
        handle_lost = handle.wait_for(SessionLost, timeout=15)
        assert server.pid is not None
        os.kill(server.pid, signal.SIGKILL)
        lost = await session_lost
        assert "unreachable" in lost.reason and "gave up" in lost.reason
        assert await handle_lost == lost
        assert session.closed and handle.detached
        assert session.lost_reason == lost.reason
        with pytest.raises(SessionLostError, match="unreachable") as info:
            await handle.send({"audio": True})
        assert info.value.reason == lost.reason
        assert conn.closed
        assert [e.state for e in states][-2:] == [
            ConnectionState.RECONNECTING,
            ConnectionState.CLOSED,
        ]
        await conn.close()
    finally:
        server.stop()


@pytest.mark.janus
async def test_a_restarted_janus_does_not_know_the_sessions_they_are_reported_lost(
    janus_server_factory: Callable[..., JanusEndpoints], janus_transport: str
) -> None:
    first = janus_server_factory()
    async with (
        fault_proxy_for(first.url(janus_transport)) as proxy,
        janus_webrtc.connect(proxy.url_for(first.url(janus_transport)), timeout=5) as conn,
    ):
        session = await conn.create_session()
        handle = await session.attach("echotest")
        lost = handle.wait_for(SessionLost, timeout=20)
        # "restart": the same address now leads to a fresh Janus
        second = janus_server_factory()
        proxy.retarget(second.url(janus_transport))
        proxy.reset()
        event = await lost
        assert "Janus" in event.reason
        assert session.closed and handle.detached
        with pytest.raises(SessionLostError):
            await session.attach("echotest")
        # the connection itself carries on, on the new server
        fresh = await conn.create_session()
        reply = await (await fresh.attach("echotest")).send({"audio": True})
        assert reply.data["result"] == "ok"


def test_reconnect_policies_are_checked() -> None:
    with pytest.raises(ValueError, match="must end"):
        ReconnectPolicy(give_up_after=None, max_attempts=None)
    with pytest.raises(ValueError, match="give_up_after"):
        ReconnectPolicy(give_up_after=0)
    with pytest.raises(ValueError, match="max_attempts"):
        ReconnectPolicy(max_attempts=0)
    with pytest.raises(ValueError, match="initial_delay"):
        ReconnectPolicy(initial_delay=3, max_delay=2)
    with pytest.raises(ValueError, match="jitter"):
        ReconnectPolicy(jitter=2)


def test_reconnect_delays_grow_to_the_limit() -> None:
    delays = ReconnectPolicy(initial_delay=0.1, max_delay=0.8, factor=2, jitter=0).delays()
    assert [next(delays) for _ in range(6)] == [0.1, 0.2, 0.4, 0.8, 0.8, 0.8]
    spread = ReconnectPolicy(initial_delay=1.0, max_delay=1.0, jitter=0.5).delays()
    assert all(0.5 <= next(spread) <= 1.5 for _ in range(50))


async def test_giving_up_after_max_attempts_reports_the_sessions_lost() -> None:
    attempts = 0

    class Refusing(FakeTransport):
        async def open(self, sink: MessageSink) -> None:
            nonlocal attempts
            attempts += 1
            raise janus_webrtc.ConnectError("refused")

    first = FakeTransport(lambda request: {"janus": "success", "data": {"id": 5}})
    conn = janus_webrtc.Connection(
        first,
        reconnect=Refusing,
        reconnect_policy=ReconnectPolicy(give_up_after=None, max_attempts=3, initial_delay=0),
    )
    await conn.open()
    session = await conn.create_session()
    lost = session.wait_for(SessionLost, timeout=5)
    first.drop(TransportClosedError("cut"))
    event = await lost
    assert attempts == 3 and "3 tries" in event.reason
    assert conn.state is ConnectionState.CLOSED


async def test_keepalive_interval_can_be_changed_or_turned_off_while_open() -> None:
    transport = FakeTransport(
        lambda request: (
            {"janus": "success", "data": {"id": 5}}
            if request["janus"] == "create"
            else {"janus": "ack"}
        ),
        keepalive_required=True,
    )
    conn = await janus_webrtc.connect(transport=transport, keepalive_interval=0.05)
    await conn.create_session()
    async with asyncio.timeout(5):
        while not transport.requests("keepalive"):  # noqa: ASYNC110 - a plain list
            await asyncio.sleep(0.01)
    conn.keepalive_interval = None  # was: TypeError in the keepalive task
    sent = len(transport.requests("keepalive"))
    await asyncio.sleep(0.2)  # long enough for several keepalives, had they still run
    assert len(transport.requests("keepalive")) == sent
    assert conn._keepalive_task is None
    conn.keepalive_interval = 0.05
    async with asyncio.timeout(5):
        while len(transport.requests("keepalive")) == sent:  # noqa: ASYNC110
            await asyncio.sleep(0.01)
    with pytest.raises(ValueError, match="positive"):
        conn.keepalive_interval = 0
    await conn.close()
