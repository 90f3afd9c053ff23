"""Races of issue 9, each with a test that failed before its fix.

- Over HTTP, destroying a session was sometimes reported as a server-side timeout (the
  session's long-poll was answered 404 after the ``destroy``).
- ``Detached`` reached callbacks and ``wait_for()`` one loop turn before ``handle.state``
  changed, so a ``send()`` from the callback went to Janus and got 459, not ``StateError``.
- A send failing while the connection was being lost failed the same future twice:
  asyncio logged "Future exception was never retrieved".
- Admin ``handle_info`` read no DTLS state: Janus 1.1.2 writes ``dtls-state``.
"""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import AsyncIterator, Callable
from typing import Any, ClassVar

import pytest
from aiortc import RTCConfiguration

import janus_webrtc
from janus_webrtc import (
    Detached,
    Event,
    HandleState,
    SessionLost,
    SessionTimeout,
    StateError,
    TransportClosedError,
    WebRTCHandle,
    admin,
)
from janus_webrtc.media import ToneAudioTrack
from janus_webrtc.testing import JanusEndpoints
from janus_webrtc.testing.fake import FakeTransport

SESSION_ID = 4001
HANDLE_ID = 5002


def fake_janus(request: dict[str, Any]) -> dict[str, Any] | None:
    """Just enough of Janus for create, attach and destroy; plugin messages go unanswered."""
    kind = request["janus"]
    if kind == "create":
        return {"janus": "success", "data": {"id": SESSION_ID}}
    if kind == "attach":
        return {"janus": "success", "session_id": SESSION_ID, "data": {"id": HANDLE_ID}}
    if kind in ("destroy", "detach"):
        return {"janus": "success", "session_id": SESSION_ID}
    return None


class EchoHandle(WebRTCHandle):
    """The generic WebRTC handle on Janus's EchoTest plugin."""

    plugin_id: ClassVar[str] = "janus.plugin.echotest"


@pytest.fixture
def admin_url(janus_server: JanusEndpoints, janus_transport: str) -> str:
    return janus_server.admin_url(janus_transport)


# -- (a) an HTTP destroy is not a timeout -----------------------------------------------------


@pytest.mark.janus
async def test_http_sessions_destroyed_one_by_one_are_never_reported_timed_out_or_lost(
    janus_server: JanusEndpoints, caplog: pytest.LogCaptureFixture
) -> None:
    seen: list[Event] = []
    caplog.set_level(logging.INFO, logger="janus_webrtc")
    async with janus_webrtc.connect(janus_server.http_url) as conn:
        for _ in range(100):
            session = await conn.create_session()
            session.on(seen.append)
            # Janus answers the destroy, then ends the session's parked long-poll: the poll
            # comes back 404 (or "no such session") right after the reply.
            await session.destroy()
            seen.extend([event async for event in session.events()])
            assert session.lost_reason is None
        assert conn.sessions == ()
        assert conn.pending_requests == 0
    assert [e for e in seen if isinstance(e, SessionTimeout | SessionLost)] == []
    bad = [
        r.getMessage()
        for r in caplog.records
        if r.levelno >= logging.WARNING
        and ("timed out" in r.getMessage() or "lost" in r.getMessage())
    ]
    assert bad == []


# -- (b) the handle is detached before anyone hears of Detached -------------------------------


def detached_then_send(
    handle: janus_webrtc.Handle, done: asyncio.Future[Exception]
) -> Callable[[], None]:
    """A Detached callback that sends: what it gets is the outcome to check."""

    async def callback(event: Detached) -> None:
        try:
            await handle.send({"request": "after detached"}, timeout=3)
        except Exception as exc:  # the test inspects whatever came
            done.set_result(exc)
        else:
            done.set_exception(AssertionError("send() after Detached was answered"))

    return handle.on(callback, Detached)


async def test_a_detached_callback_that_sends_gets_state_error_fake() -> None:
    transport = FakeTransport(fake_janus)
    async with janus_webrtc.connect(transport=transport) as conn:
        session = await conn.create_session()
        handle = await session.attach("janus.plugin.test")
        outcome: asyncio.Future[Exception] = asyncio.get_running_loop().create_future()
        detached_then_send(handle, outcome)
        transport.push({"janus": "detached", "session_id": SESSION_ID, "sender": HANDLE_ID})
        error = await asyncio.wait_for(outcome, 5)
        assert isinstance(error, StateError), repr(error)
        assert "detached" in str(error)
        assert transport.requests("message") == []  # nothing went out to Janus


async def test_wait_for_detached_sees_the_handle_detached_fake() -> None:
    transport = FakeTransport(fake_janus)
    async with janus_webrtc.connect(transport=transport) as conn:
        session = await conn.create_session()
        handle = await session.attach("janus.plugin.test")
        waiter = handle.wait_for(Detached, timeout=5)
        transport.push({"janus": "detached", "session_id": SESSION_ID, "sender": HANDLE_ID})
        await waiter
        assert handle.state is HandleState.DETACHED
        assert handle.detached


@pytest.fixture
async def admin_and_handle(
    janus_url: str, admin_url: str, janus_server: JanusEndpoints
) -> AsyncIterator[tuple[admin.AdminClient, janus_webrtc.Session, janus_webrtc.Handle]]:
    async with (
        admin.connect(admin_url, admin_secret=janus_server.admin_secret) as api,
        janus_webrtc.connect(janus_url) as conn,
        await conn.create_session() as session,
    ):
        yield api, session, await session.attach("echotest")


@pytest.mark.janus
async def test_a_detached_callback_that_sends_gets_state_error_real(
    admin_and_handle: tuple[admin.AdminClient, janus_webrtc.Session, janus_webrtc.Handle],
) -> None:
    api, session, handle = admin_and_handle
    outcome: asyncio.Future[Exception] = asyncio.get_running_loop().create_future()
    detached_then_send(handle, outcome)
    # The Admin API detaches the handle behind the client's back: Janus sends "detached".
    await api.detach_handle(session.id, handle.id)
    error = await asyncio.wait_for(outcome, 10)
    assert type(error) is StateError, repr(error)  # not HandleNotFoundError (Janus's 459)
    assert f"handle {handle.id} is detached" in str(error)


@pytest.mark.janus
async def test_wait_for_detached_sees_the_handle_detached_real(
    admin_and_handle: tuple[admin.AdminClient, janus_webrtc.Session, janus_webrtc.Handle],
) -> None:
    api, session, handle = admin_and_handle
    waiter = handle.wait_for(Detached, timeout=10)
    await api.detach_handle(session.id, handle.id)
    await waiter
    assert handle.state is HandleState.DETACHED
    assert handle not in session.handles


# -- (c) a send failing while the connection is lost fails its future once -------------------


class DroppingTransport(FakeTransport):
    """Answers create and attach; a plugin message drops the transport, then raises."""

    async def send(self, message: dict[str, Any]) -> None:
        if message.get("janus") == "message":
            self.drop(TransportClosedError("cut while sending"))
            raise TransportClosedError("cannot send: the fake transport dropped")
        await super().send(message)


async def test_a_send_failing_while_the_connection_is_lost_leaves_no_unretrieved_future() -> None:
    loop = asyncio.get_running_loop()
    reported: list[dict[str, Any]] = []
    previous = loop.get_exception_handler()
    loop.set_exception_handler(lambda _loop, context: reported.append(context))
    try:
        transport = DroppingTransport(fake_janus)
        conn = await janus_webrtc.connect(transport=transport)
        session = await conn.create_session()
        handle = await session.attach("janus.plugin.test")
        with pytest.raises(janus_webrtc.TransportError):
            await handle.send({"request": "anything"}, timeout=3)
        # The drop closes the connection in the background: the session's events end then.
        async for _ in session.events():
            pass
        await conn.close()
        assert conn.closed
        assert conn.pending_requests == 0
        del handle, session, conn, transport
        for _ in range(3):
            gc.collect()
            await asyncio.sleep(0)  # let finalizers' call_soon reports run
    finally:
        loop.set_exception_handler(previous)
    assert reported == [], [c.get("message") for c in reported]


# -- (d) Admin handle_info reports the DTLS state ----------------------------------------------


@pytest.mark.janus
async def test_handle_info_reports_the_dtls_state_of_a_media_call(
    janus_url: str, admin_url: str, janus_server: JanusEndpoints, janus_media_ice: str
) -> None:
    async with (
        admin.connect(admin_url, admin_secret=janus_server.admin_secret) as api,
        janus_webrtc.connect(janus_url, rtc_configuration=RTCConfiguration(iceServers=[])) as conn,
        await conn.create_session() as session,
        await session.attach(EchoHandle) as echo,
    ):
        before = await api.handle_info(session.id, echo.id)
        assert before.dtls_state is None  # no PeerConnection yet
        echo.add_track(ToneAudioTrack())
        await echo.negotiate_offer({"audio": True, "video": False})
        await echo.wait_webrtc_up(timeout=10)  # Janus sends webrtcup once DTLS is up
        info = await api.handle_info(session.id, echo.id)
        assert info.dtls_state == "connected"
        assert info.ice_state in ("connected", "ready")
