"""A dropped transport recovers: a new one is opened and the sessions are claimed on it.

The drop is real: the client talks to the real Janus through a fault proxy (TCP on loopback,
or Unix SEQPACKET) that the test cuts, over every transport.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest

import janus_webrtc
from janus_webrtc import (
    ConnectionState,
    PluginEvent,
    StateError,
    TransportClosedError,
    TransportLostError,
)
from janus_webrtc.testing import FaultProxy, UnixFaultProxy, fault_proxy_for, poll_until
from janus_webrtc.testing.fake import FakeTransport


@pytest.fixture
async def proxy(janus_url: str) -> AsyncIterator[tuple[FaultProxy | UnixFaultProxy, str]]:
    async with fault_proxy_for(janus_url) as cuttable:
        yield cuttable, cuttable.url_for(janus_url)


@pytest.mark.janus
async def test_sessions_and_handles_survive_a_dropped_transport(
    proxy: tuple[FaultProxy | UnixFaultProxy, str], janus_transport: str
) -> None:
    cuttable, url = proxy
    async with janus_webrtc.connect(url, timeout=5) as conn:
        session = await conn.create_session()
        handle = await session.attach("videoroom")
        room = (await handle.send({"request": "create", "notify_joining": True})).data["room"]
        await handle.send({"request": "join", "room": room, "ptype": "publisher"})
        cuttable.reset()
        if janus_transport in ("ws", "unix"):
            # a request in flight when the WebSocket (or Unix socket) drops fails (it may or may not have reached
            # Janus, so it is not repeated); a new WebSocket is opened and the session claimed
            await poll_until(
                lambda: conn.reconnections >= 1 and conn.state is ConnectionState.OPEN, timeout=15
            )
        # over HTTP every request and long-poll is its own TCP connection: the transport
        # retries the cut long-poll by itself, with no reconnection at the connection level
        reply = await handle.send({"request": "exists", "room": room}, timeout=10)
        assert reply.data["exists"] is True
        assert conn.state is ConnectionState.OPEN
        assert cuttable.accepted >= 2
        assert not session.closed and not handle.detached
        # events still reach the claimed handle over the new transport
        joining = handle.wait_for(PluginEvent, predicate=lambda e: "joining" in e.data, timeout=5)
        other = await (await conn.create_session()).attach("videoroom")
        await other.send({"request": "join", "room": room, "ptype": "publisher", "display": "late"})
        assert (await joining).data["joining"]["display"] == "late"
        await handle.send({"request": "destroy", "room": room})


@pytest.mark.janus
async def test_without_reconnect_a_drop_closes_everything(
    proxy: tuple[FaultProxy | UnixFaultProxy, str], janus_transport: str
) -> None:
    cuttable, url = proxy
    async with janus_webrtc.connect(url, timeout=10, reconnect=False) as conn:
        session = await conn.create_session()
        handle = await session.attach("videoroom")
        cuttable.reset()
        if janus_transport == "http":
            # HTTP has no standing connection: the next request simply opens a new one
            assert (await handle.send({"request": "exists", "room": 1})).data["exists"] is False
            assert not conn.closed
        else:
            await poll_until(lambda: conn.closed, timeout=15)
            assert conn.closed and session.closed and handle.detached
            with pytest.raises(StateError):
                await handle.send({"request": "exists", "room": 1})


@pytest.mark.janus
async def test_reconnect_gives_up_when_the_server_stays_away(janus_transport: str) -> None:
    from janus_webrtc.testing import JanusServer

    with JanusServer() as server:
        conn = await janus_webrtc.connect(
            server.endpoints.url(janus_transport), timeout=2, reconnect_timeout=1.0
        )
        session = await conn.create_session()
        handle = await session.attach("echotest")
    # the server is gone for good
    with pytest.raises(
        (
            TransportClosedError,
            StateError,
            janus_webrtc.TransportError,
            janus_webrtc.JanusTimeoutError,
        )
    ):
        await handle.send({"audio": True})
    await poll_until(lambda: conn.closed, timeout=15)
    assert session.closed and handle.detached
    await conn.close()


def _fake_janus(sessions_known: set[int]) -> Any:
    def respond(request: dict[str, Any]) -> dict[str, Any]:
        kind = request["janus"]
        if kind == "create":
            sessions_known.add(77)
            return {"janus": "success", "data": {"id": 77}}
        if kind == "claim":
            if request["session_id"] in sessions_known:
                return {"janus": "success", "session_id": request["session_id"]}
            return {"janus": "error", "error": {"code": 458, "reason": "No such session"}}
        return {"janus": "ack"}

    return respond


async def _reconnecting(
    known: set[int], **options: Any
) -> tuple[janus_webrtc.Connection, list[FakeTransport]]:
    """An open connection on a fake Janus that knows ``known``, and every transport it opens."""
    transports: list[FakeTransport] = []

    def factory() -> FakeTransport:
        transports.append(FakeTransport(_fake_janus(known)))
        return transports[-1]

    conn = janus_webrtc.Connection(factory(), reconnect=factory, **options)
    await conn.open()
    return conn, transports


async def test_a_session_the_server_forgot_is_closed_after_reconnecting() -> None:
    known: set[int] = set()
    conn, transports = await _reconnecting(known)
    kept = await conn.create_session()
    transports[0].drop(TransportClosedError("cut"))
    assert conn.state is ConnectionState.RECONNECTING
    # a request made while reconnecting waits for the new transport instead of failing
    await kept.keepalive(timeout=2)
    assert conn.state is ConnectionState.OPEN and conn.reconnections == 1
    assert not kept.closed
    assert transports[1].requests("claim")[0]["session_id"] == 77
    assert transports[1].opened_sessions == [77]
    known.clear()
    transports[1].drop(TransportClosedError("cut again"))
    await poll_until(lambda: conn.reconnections == 2 and kept.closed, timeout=15)
    assert kept.closed, "a session the server no longer knows must be closed, not kept as a zombie"
    assert conn.reconnections == 2
    await conn.close()


async def test_a_drop_while_claiming_opens_another_transport_and_loses_no_session() -> None:
    """A reset can hit the new transport too, before its claims are answered (CI, 3.11)."""
    known: set[int] = set()
    transports: list[FakeTransport] = []
    answer = _fake_janus(known)

    def drop_at_the_first_claim(request: dict[str, Any]) -> dict[str, Any] | None:
        if request["janus"] == "claim":
            dropping = transports[1]
            asyncio.get_running_loop().call_soon(dropping.drop, TransportClosedError("cut again"))
            return None
        return answer(request)

    def factory() -> FakeTransport:
        responder = drop_at_the_first_claim if len(transports) == 1 else answer
        transports.append(FakeTransport(responder))
        return transports[-1]

    conn = janus_webrtc.Connection(factory(), reconnect=factory, timeout=2)
    await conn.open()
    kept = await conn.create_session()
    lost: list[janus_webrtc.SessionLost] = []
    kept.on(lost.append, janus_webrtc.SessionLost)
    transports[0].drop(TransportClosedError("cut"))
    await kept.keepalive(timeout=5)  # waits for the connection to be open again
    assert conn.state is ConnectionState.OPEN
    assert not kept.closed and not lost, "the session was dropped instead of claimed again"
    assert len(transports) == 3, "a third transport should have been opened"
    assert transports[1].requests("claim") and transports[2].requests("claim")
    assert transports[2].opened_sessions == [77]
    await conn.close()


async def test_a_request_still_waiting_for_a_reconnection_at_its_timeout_was_not_sent() -> None:
    class NeverOpens(FakeTransport):
        async def open(self, sink: Any) -> None:
            await asyncio.Event().wait()  # the new transport never opens

    first = FakeTransport(_fake_janus(set()))
    later: list[NeverOpens] = []

    def factory() -> NeverOpens:
        later.append(NeverOpens(_fake_janus(set())))
        return later[-1]

    conn = janus_webrtc.Connection(first, reconnect=factory, timeout=2)
    await conn.open()
    kept = await conn.create_session()
    first.drop(TransportClosedError("cut"))
    with pytest.raises(janus_webrtc.NotSentError, match=r"'keepalive' not sent.*reconnecting"):
        await kept.keepalive(timeout=0.2)
    # it is a timeout, and nothing of it went out on any transport
    assert issubclass(janus_webrtc.NotSentError, janus_webrtc.JanusTimeoutError)
    assert not first.requests("keepalive") and not any(t.sent for t in later)
    assert conn.pending_requests == 0
    await conn.close()


async def test_a_request_woken_by_a_reconnection_that_drops_again_waits_for_the_next() -> None:
    """The drop can come between the reconnection waking a request and the request running."""
    known: set[int] = set()
    conn, transports = await _reconnecting(known, timeout=2)
    kept = await conn.create_session()

    def drop_the_second_at_once(event: janus_webrtc.ConnectionStatusChanged) -> None:
        if event.state is ConnectionState.OPEN and len(transports) == 2:
            # scheduled before the waiting request wakes up
            asyncio.get_running_loop().call_soon(transports[1].drop, TransportClosedError("again"))

    conn.on(drop_the_second_at_once, janus_webrtc.ConnectionStatusChanged)
    transports[0].drop(TransportClosedError("cut"))
    assert conn.state is ConnectionState.RECONNECTING
    await kept.keepalive(timeout=5)  # raised StateError "connection is reconnecting" before
    assert conn.state is ConnectionState.OPEN and len(transports) == 3
    assert transports[2].requests("keepalive")
    await conn.close()


async def test_a_request_that_finds_the_transport_lost_is_sent_again_after_reconnecting() -> None:
    """The socket saw a reset before the connection did: the request never went out (CI, ws)."""
    known: set[int] = set()
    conn, transports = await _reconnecting(known, timeout=2)
    kept = await conn.create_session()
    states: list[ConnectionState] = []
    conn.on(lambda e: states.append(e.state), janus_webrtc.ConnectionStatusChanged)
    transports[0].fail_sends = TransportLostError("the socket was reset")
    assert conn.state is ConnectionState.OPEN  # the connection has not heard of it yet
    await kept.keepalive(timeout=5)  # raised TransportLostError (a TransportClosedError) before
    assert states == [ConnectionState.RECONNECTING, ConnectionState.OPEN]
    assert conn.reconnections == 1 and not kept.closed
    # tried once on the lost transport, sent once on the new one, after the claim
    assert len(transports[0].requests("keepalive")) == 1
    assert [m["janus"] for m in transports[1].sent] == ["claim", "keepalive"]
    assert conn.pending_requests == 0
    await conn.close()


async def test_a_request_that_finds_the_transport_lost_without_reconnection_fails_typed() -> None:
    transport = FakeTransport(_fake_janus(set()))
    conn = janus_webrtc.Connection(transport, timeout=2)
    await conn.open()
    session = await conn.create_session()
    transport.fail_sends = TransportLostError("the socket was reset")
    with pytest.raises(TransportLostError, match="reset"):
        await session.keepalive()
    # the connection learnt of the loss from the request: it closes, and says so
    await poll_until(lambda: conn.closed, timeout=5)
    assert session.closed
    with pytest.raises(StateError):
        await session.keepalive()
    await conn.close()


async def test_a_request_that_finds_the_transport_lost_and_no_reconnection_in_time_was_not_sent() -> (
    None
):
    class NeverOpens(FakeTransport):
        async def open(self, sink: Any) -> None:
            await asyncio.Event().wait()

    first = FakeTransport(_fake_janus(set()))
    conn = janus_webrtc.Connection(first, reconnect=lambda: NeverOpens(), timeout=2)
    await conn.open()
    kept = await conn.create_session()
    first.fail_sends = TransportLostError("the socket was reset")
    with pytest.raises(janus_webrtc.NotSentError, match="reconnecting"):
        await kept.keepalive(timeout=0.3)
    assert conn.state is ConnectionState.RECONNECTING and not kept.closed
    assert conn.pending_requests == 0
    await conn.close()
