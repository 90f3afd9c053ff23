"""The core against a real Janus, over both transports (``janus_url`` is parametrized)."""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Callable

import pytest

import janus_webrtc
from janus_webrtc import (
    ConnectError,
    Connection,
    Detached,
    Handle,
    PluginError,
    PluginEvent,
    PluginNotFoundError,
    Session,
    SessionLost,
    SessionLostError,
    SessionTimeout,
    StateError,
    TransportError,
    UnauthorizedError,
)
from janus_webrtc.testing import JanusEndpoints

pytestmark = pytest.mark.janus


async def test_info_describes_the_server(janus_connection: Connection) -> None:
    info = await janus_connection.info()
    assert info.version_string == "1.1.2"
    assert info.version == 1102
    assert info.session_timeout == 60
    for plugin in ("echotest", "videoroom", "textroom", "videocall"):
        assert info.plugins[f"janus.plugin.{plugin}"].version > 0
    assert {"janus.transport.http", "janus.transport.websockets"} <= set(info.transports)
    assert not info.api_secret_required


async def test_sync_and_async_plugin_requests(janus_session: Session) -> None:
    videoroom = await janus_session.attach("videoroom")
    reply = await videoroom.send({"request": "exists", "room": 4242})
    assert reply.plugin == "janus.plugin.videoroom"
    assert reply.data["exists"] is False
    echotest = await janus_session.attach("janus.plugin.echotest")
    reply = await echotest.send({"audio": True})  # async: ack first, then the event
    assert reply.data["result"] == "ok"
    assert janus_session.connection.pending_requests == 0


async def test_attach_by_class_and_generic_handle_for_unknown_packages(
    janus_session: Session,
) -> None:
    class VideoRoomProbe(Handle):
        plugin_id = "janus.plugin.videoroom"

    probe = await janus_session.attach(VideoRoomProbe)
    assert type(probe) is VideoRoomProbe and probe.plugin == "janus.plugin.videoroom"
    generic = await janus_session.attach("janus.plugin.recordplay")
    assert type(generic) is Handle
    assert set(janus_session.handles) == {probe, generic}


async def test_attaching_a_missing_plugin_is_a_typed_server_error(janus_session: Session) -> None:
    with pytest.raises(PluginNotFoundError) as info:
        await janus_session.attach("janus.plugin.nosuchthing")
    assert info.value.code == 460
    assert "nosuchthing" in info.value.reason
    assert janus_session.handles == ()


async def test_plugin_errors_carry_the_plugin_code(janus_session: Session) -> None:
    videoroom = await janus_session.attach("videoroom")
    with pytest.raises(PluginError) as info:
        await videoroom.send({"request": "join", "room": 987654, "ptype": "publisher"})
    assert info.value.error_code == 426  # JANUS_VIDEOROOM_ERROR_NO_SUCH_ROOM
    assert info.value.plugin == "janus.plugin.videoroom"
    assert "987654" in info.value.error
    # the handle still works after an error
    assert (await videoroom.send({"request": "list"})).data["videoroom"] == "success"


async def test_plugin_events_reach_the_right_handle_by_iterator_callback_and_waiter(
    janus_session: Session,
) -> None:
    room = secrets.randbelow(10**9) + 10**6
    first = await janus_session.attach("videoroom")
    await first.send({"request": "create", "room": room, "notify_joining": True})
    await first.send({"request": "join", "room": room, "ptype": "publisher", "display": "first"})
    called: list[janus_webrtc.Event] = []
    first.on(called.append, PluginEvent)
    joining = first.wait_for(PluginEvent, predicate=lambda e: "joining" in e.data, timeout=5)
    second = await janus_session.attach("videoroom")
    await second.send({"request": "join", "room": room, "ptype": "publisher", "display": "second"})
    event = await joining
    assert event.data["joining"]["display"] == "second"
    assert called and called[-1] == event
    seen = [e async for e in _drain(first)]
    assert event in seen
    assert not any("joining" in getattr(e, "data", {}) for e in [x async for x in _drain(second)])
    await first.send({"request": "destroy", "room": room})


async def _drain(handle: Handle):  # type: ignore[no-untyped-def]
    while (event := handle._events.backlog.get_nowait()) is not None:
        yield event


async def test_many_sessions_share_one_connection(janus_connection: Connection) -> None:
    sessions = await asyncio.gather(*(janus_connection.create_session() for _ in range(25)))
    assert len({s.id for s in sessions}) == 25
    handles = await asyncio.gather(*(s.attach("videoroom") for s in sessions))
    replies = await asyncio.gather(*(h.send({"request": "exists", "room": 1}) for h in handles))
    assert all(r.data["exists"] is False for r in replies)
    await asyncio.gather(*(s.destroy() for s in sessions))
    assert janus_connection.sessions == ()


async def test_detach_destroy_and_state_errors(janus_connection: Connection) -> None:
    session = await janus_connection.create_session()
    handle = await session.attach("echotest")
    await handle.trickle(completed=True)
    await handle.hangup()  # no PeerConnection yet: Janus accepts it
    await handle.detach()
    await handle.detach()
    assert handle.detached
    with pytest.raises(StateError, match="detached"):
        await handle.send({"audio": True})
    other = await session.attach("echotest")
    await session.destroy()
    await session.destroy()
    assert other.detached
    with pytest.raises(StateError, match="closed"):
        await session.attach("echotest")


async def test_the_server_forgets_destroyed_sessions(janus_connection: Connection) -> None:
    session = await janus_connection.create_session()
    await janus_connection._request("destroy", session_id=session.id)
    # Janus answers 458, or (over HTTP, whose long-poll learns it first) the session is
    # already reported lost; either way the session ends up lost, with the reason
    with pytest.raises((janus_webrtc.SessionNotFoundError, janus_webrtc.SessionLostError)):
        await session.attach("echotest")
    assert session.closed and session.lost_reason is not None
    assert "no longer knows" in session.lost_reason
    await session.destroy()  # idempotent once closed
    with pytest.raises(janus_webrtc.SessionLostError):
        await session.attach("echotest")


async def test_connect_to_nothing_is_a_connect_error(janus_transport: str) -> None:
    url = "ws://127.0.0.1:9" if janus_transport == "ws" else "http://127.0.0.1:9/janus"
    with pytest.raises(ConnectError, match=r"127\.0\.0\.1:9"):
        await janus_webrtc.connect(url, timeout=2)


@pytest.fixture
def secret_server(janus_server_factory: Callable[..., JanusEndpoints]) -> JanusEndpoints:
    return janus_server_factory(api_secret="SERVER-API-SECRET-93")


async def test_api_secret_is_required_and_never_logged(
    secret_server: JanusEndpoints, janus_transport: str, caplog: pytest.LogCaptureFixture
) -> None:
    url = secret_server.url(janus_transport)
    async with janus_webrtc.connect(url) as bare:
        with pytest.raises(UnauthorizedError) as info:
            await bare.create_session()
        assert info.value.code == 403
    with caplog.at_level(logging.DEBUG, logger="janus_webrtc"):
        async with janus_webrtc.connect(url, api_secret="SERVER-API-SECRET-93") as conn:
            assert (await conn.info()).api_secret_required
            async with await conn.create_session() as session:
                handle = await session.attach("echotest")
                assert (await handle.send({"audio": True})).data["result"] == "ok"
                shown = repr(conn) + repr(session) + repr(handle) + repr(conn.transport)
        async with janus_webrtc.connect(url, api_secret="WRONG-SECRET-71") as wrong:
            with pytest.raises(UnauthorizedError) as info:
                await wrong.create_session()
    assert "<- " in caplog.text
    for secret in ("SERVER-API-SECRET-93", "WRONG-SECRET-71"):
        assert secret not in caplog.text + shown + str(info.value)
    assert "SERVER-API-SECRET-93" not in repr(secret_server)


@pytest.fixture
def short_timeout_server(janus_server_factory: Callable[..., JanusEndpoints]) -> JanusEndpoints:
    return janus_server_factory(session_timeout=2)


async def test_keepalives_keep_sessions_alive(
    short_timeout_server: JanusEndpoints, janus_transport: str
) -> None:
    # the connection sends keepalives over both transports: over HTTP a long-poll counts as
    # activity only when it starts, and lasts up to 30 s, longer than this server's timeout
    url = short_timeout_server.url(janus_transport)
    async with janus_webrtc.connect(url, keepalive_interval=0.5) as conn:
        session = await conn.create_session()
        handle = await session.attach("echotest")
        await asyncio.sleep(4.5)
        assert not session.closed
        assert (await handle.send({"audio": True})).data["result"] == "ok"


async def test_a_session_without_keepalive_times_out(
    short_timeout_server: JanusEndpoints, janus_transport: str
) -> None:
    url = short_timeout_server.url(janus_transport)
    async with janus_webrtc.connect(url, keepalive_interval=None) as conn:
        session = await conn.create_session()
        handle = await session.attach("echotest")
        handle_events = asyncio.ensure_future(_all_events(handle))
        timed_out = [event async for event in session.events()]
        # Janus's own event first, then the loss with its reason, also on the handle
        assert [type(event) for event in timed_out] == [SessionTimeout, SessionLost]
        assert "timed" in timed_out[1].reason  # type: ignore[attr-defined]
        # Janus tears the handle down as it times the session out, and its "detached" may come
        # before or after the "timeout": the handle ends with whichever comes first
        # (echotest says "done" before either)
        assert (await asyncio.wait_for(handle_events, 5))[-1] in (Detached(), timed_out[1])
        assert session.closed and handle.detached
        with pytest.raises(SessionLostError, match=r"was lost: Janus .*timed"):
            await session.attach("echotest")


async def _all_events(handle: janus_webrtc.Handle) -> list[janus_webrtc.Event]:
    return [event async for event in handle.events()]


async def test_a_request_to_a_server_that_is_gone_ends_typed_within_its_timeout(
    janus_server_factory: Callable[..., JanusEndpoints], janus_transport: str
) -> None:
    """Failed at once (maybe sent), or held for the reconnection and then not sent: typed."""
    from janus_webrtc.testing import JanusServer

    server = JanusServer()
    endpoints = server.start()
    try:
        conn = await janus_webrtc.connect(endpoints.url(janus_transport), timeout=5)
        session = await conn.create_session()
        handle = await session.attach("echotest")
    finally:
        server.stop()
    with pytest.raises((TransportError, StateError, janus_webrtc.NotSentError)):
        await handle.send({"audio": True}, timeout=1)
    assert conn.pending_requests == 0
    await conn.close()
    assert conn.closed
