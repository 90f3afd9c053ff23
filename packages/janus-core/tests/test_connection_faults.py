"""Connections, sessions and handles under faults a real server cannot produce on demand.

These use :class:`janus_webrtc.testing.fake.FakeTransport`; the same behaviour against a real
Janus is covered in ``test_real_server.py``.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest

import janus_webrtc
from janus_webrtc import (
    Detached,
    HangUp,
    JanusTimeoutError,
    OutcomeUnknownError,
    PluginError,
    SessionLost,
    SessionLostError,
    SessionTimeout,
    StateError,
    TransportClosedError,
    TransportError,
)
from janus_webrtc.testing import poll_until
from janus_webrtc.testing.fake import FakeTransport

SESSION_ID = 1001
HANDLE_ID = 2002


def janus(request: dict[str, Any]) -> dict[str, Any] | list[dict[str, Any]] | None:
    """A tiny scripted Janus: enough for create/attach/message/keepalive/detach/destroy."""
    kind = request["janus"]
    if kind == "create":
        return {"janus": "success", "data": {"id": SESSION_ID}}
    if kind == "attach":
        return {"janus": "success", "session_id": SESSION_ID, "data": {"id": HANDLE_ID}}
    if kind in ("keepalive", "trickle"):
        return {"janus": "ack", "session_id": SESSION_ID}
    if kind in ("detach", "destroy", "hangup"):
        return {"janus": "success", "session_id": SESSION_ID}
    if kind == "message":
        body = request["body"]
        plugindata = {"plugin": "janus.plugin.test", "data": {"echo": body}}
        if body.get("fail"):
            plugindata["data"] = {"test": "event", "error_code": 499, "error": "asked to fail"}
        event = {
            "janus": "event",
            "session_id": SESSION_ID,
            "sender": HANDLE_ID,
            "plugindata": plugindata,
        }
        if body.get("async"):
            return [{"janus": "ack", "session_id": SESSION_ID}, event]
        if body.get("silent"):
            return {"janus": "ack", "session_id": SESSION_ID}
        return {
            "janus": "success",
            "session_id": SESSION_ID,
            "sender": HANDLE_ID,
            "plugindata": plugindata,
        }
    return {"janus": "error", "error": {"code": 453, "reason": f"unknown request {kind}"}}


async def open_handle(
    transport: FakeTransport, **options: Any
) -> tuple[janus_webrtc.Connection, janus_webrtc.Handle]:
    conn = await janus_webrtc.connect(transport=transport, **options)
    session = await conn.create_session()
    handle = await session.attach("janus.plugin.test")
    return conn, handle


async def test_send_waits_past_the_ack_for_the_event() -> None:
    transport = FakeTransport(janus)
    conn, handle = await open_handle(transport)
    reply = await handle.send({"async": True, "n": 1})
    assert reply.data == {"echo": {"async": True, "n": 1}}
    assert conn.pending_requests == 0
    await conn.close()


async def test_a_request_without_answer_times_out_and_is_forgotten() -> None:
    transport = FakeTransport(janus)
    conn, handle = await open_handle(transport, timeout=5)
    with pytest.raises(JanusTimeoutError, match="'message'") as info:
        await handle.send({"silent": True}, timeout=0.05)
    assert isinstance(info.value, TimeoutError)
    assert conn.pending_requests == 0
    # the late event is delivered as an ordinary event, not lost and not crashing anything
    transport.push(
        {
            "janus": "event",
            "session_id": SESSION_ID,
            "sender": HANDLE_ID,
            "transaction": transport.sent[-1]["transaction"],
            "plugindata": {"plugin": "janus.plugin.test", "data": {"late": True}},
        }
    )
    event = await asyncio.wait_for(anext(aiter(handle.events())), 1)
    assert isinstance(event, janus_webrtc.PluginEvent) and event.data == {"late": True}
    await conn.close()


class HoldingTransport(FakeTransport):
    """Answers like the fake, over a transport that holds requests back until told (as HTTP
    does while a reset long-poll may still swallow answers)."""

    send_waits_for_reply = True

    def __init__(self) -> None:
        super().__init__(janus)
        self.ready = asyncio.Event()
        self.ready.set()

    async def wait_ready(self, session_id: int | None, timeout: float) -> None:
        async with asyncio.timeout(timeout):
            await self.ready.wait()


async def test_a_held_request_goes_out_once_ready_within_its_own_timeout() -> None:
    transport = HoldingTransport()
    conn, handle = await open_handle(transport)
    transport.ready.clear()
    sending = asyncio.create_task(handle.send({"n": 1}, timeout=5))
    await asyncio.sleep(0.05)
    assert not sending.done() and transport.sent[-1]["janus"] == "attach"  # not out yet
    transport.ready.set()
    assert (await sending).data == {"echo": {"n": 1}}
    await conn.close()


async def test_a_request_held_past_its_timeout_says_why() -> None:
    transport = HoldingTransport()
    conn, handle = await open_handle(transport)
    transport.ready.clear()
    with pytest.raises(janus_webrtc.NotSentError, match=r"not sent.*held back") as info:
        await handle.send({"n": 1}, timeout=0.1)
    assert isinstance(info.value, JanusTimeoutError) and isinstance(info.value, TimeoutError)
    assert transport.sent[-1]["janus"] == "attach"  # it never went out
    assert conn.pending_requests == 0
    await conn.close()


async def test_create_that_never_answers_cannot_hang() -> None:
    transport = FakeTransport(None)
    conn = await janus_webrtc.connect(transport=transport, timeout=0.05)
    with pytest.raises(JanusTimeoutError, match="'create'"):
        await conn.create_session()
    assert conn.pending_requests == 0
    await conn.close()


async def test_plugin_error_is_typed_with_code_and_text() -> None:
    conn, handle = await open_handle(FakeTransport(janus))
    with pytest.raises(PluginError) as info:
        await handle.send({"fail": True})
    assert info.value.error_code == 499
    assert info.value.error == "asked to fail"
    assert info.value.plugin == "janus.plugin.test"
    await conn.close()


async def test_garbage_from_the_server_is_dropped_and_the_reader_goes_on(
    caplog: pytest.LogCaptureFixture,
) -> None:
    transport = FakeTransport(janus)
    conn, handle = await open_handle(transport)
    for garbage in (
        "not an object",
        [1, 2],
        None,
        {},
        {"janus": "event"},
        {"janus": "event", "session_id": "x"},
        {"janus": "event", "session_id": SESSION_ID, "sender": 999},
        {"janus": "event", "session_id": SESSION_ID, "sender": HANDLE_ID, "plugindata": "x"},
        {"janus": "media", "session_id": SESSION_ID, "sender": HANDLE_ID, "receiving": "maybe"},
        {"janus": "success", "transaction": "nobody-asked"},
    ):
        transport.push(garbage)
    reply = await handle.send({"n": 2})
    assert reply.data == {"echo": {"n": 2}}
    kinds = []
    while (event := handle._events.backlog.get_nowait()) is not None:
        kinds.append(type(event).__name__)
    assert kinds == ["UnknownEvent", "MediaState"]
    await conn.close()


async def test_a_lost_transport_fails_pending_requests_and_closes_everything() -> None:
    transport = FakeTransport(janus)
    conn, handle = await open_handle(transport)
    session = handle.session
    pending = asyncio.create_task(handle.send({"silent": True}))
    events = asyncio.create_task(_collect(handle))
    await asyncio.sleep(0.01)
    transport.drop(TransportClosedError("gone"))
    with pytest.raises(OutcomeUnknownError, match="may or may not"):
        await pending
    # the loss is reported, with its reason, before the iterator ends
    assert await asyncio.wait_for(events, 1) == [
        SessionLost("the connection to Janus was lost: gone")
    ]
    await asyncio.sleep(0)
    assert conn.closed and session.closed and handle.detached
    assert session.lost_reason == "the connection to Janus was lost: gone"
    with pytest.raises(SessionLostError, match="lost: the connection to Janus was lost: gone"):
        await handle.send({})
    with pytest.raises(StateError, match="closed"):
        await conn.create_session()
    await handle.detach()  # idempotent, no error
    await session.destroy()
    await conn.close()


async def _collect(handle: janus_webrtc.Handle) -> list[janus_webrtc.Event]:
    return [event async for event in handle.events()]


async def test_a_failed_send_raises_and_leaves_nothing_pending() -> None:
    transport = FakeTransport(janus)
    conn, handle = await open_handle(transport)
    transport.fail_sends = TransportError("network down")
    with pytest.raises(TransportError, match="network down"):
        await handle.send({})
    assert conn.pending_requests == 0
    await conn.close(destroy_sessions=False)


async def test_keepalives_are_sent_for_each_session_when_the_transport_needs_them() -> None:
    transport = FakeTransport(janus, keepalive_required=True)
    conn = await janus_webrtc.connect(transport=transport, keepalive_interval=0.02)
    await conn.create_session()
    await poll_until(lambda: len(transport.requests("keepalive")) >= 2, timeout=10)
    sent = transport.requests("keepalive")
    assert all(message["session_id"] == SESSION_ID for message in sent)
    await conn.close()


async def test_no_keepalives_when_turned_off_or_not_needed() -> None:
    for transport, interval in (
        (FakeTransport(janus, keepalive_required=True), None),
        (FakeTransport(janus), 0.02),
    ):
        conn = await janus_webrtc.connect(transport=transport, keepalive_interval=interval)
        await conn.create_session()
        await asyncio.sleep(0.06)
        assert transport.requests("keepalive") == []
        await conn.close()


async def test_session_timeout_closes_the_session_and_its_handles() -> None:
    transport = FakeTransport(janus)
    conn, handle = await open_handle(transport)
    session = handle.session
    timeouts: list[janus_webrtc.Event] = []
    session.on(timeouts.append, SessionTimeout, SessionLost)
    handle_events = asyncio.create_task(_collect(handle))
    transport.push({"janus": "timeout", "session_id": SESSION_ID})
    await asyncio.sleep(0.01)
    assert timeouts == [SessionTimeout(), SessionLost("Janus timed the session out")]
    assert await asyncio.wait_for(handle_events, 1) == [SessionLost("Janus timed the session out")]
    assert session.closed and handle.detached
    assert conn.sessions == ()
    assert transport.closed_sessions == [SESSION_ID]
    with pytest.raises(SessionLostError, match=f"session {SESSION_ID} was lost: Janus timed"):
        await session.attach("janus.plugin.test")
    await conn.close()


async def test_events_are_routed_to_their_handle_with_callbacks_and_waiters() -> None:
    transport = FakeTransport(janus)
    conn, handle = await open_handle(transport)
    waiter = handle.wait_for(HangUp, timeout=1)
    called: list[janus_webrtc.Event] = []
    handle.on(called.append)
    transport.push(
        {"janus": "hangup", "session_id": SESSION_ID, "sender": HANDLE_ID, "reason": "Close PC"}
    )
    assert await waiter == HangUp("Close PC")
    transport.push({"janus": "detached", "session_id": SESSION_ID, "sender": HANDLE_ID})
    await asyncio.sleep(0.01)
    assert called == [HangUp("Close PC"), Detached()]
    assert handle.detached and handle.session.handles == ()
    assert [type(e) async for e in handle.events()] == [HangUp, Detached]
    await conn.close()


async def test_trickle_sends_one_a_batch_or_completed() -> None:
    transport = FakeTransport(janus)
    conn, handle = await open_handle(transport)
    one = janus_webrtc.Candidate("candidate:1 1 udp 1 127.0.0.2 4000 typ host", "0", 0)
    await handle.trickle(one)
    await handle.trickle([one, one], completed=True)
    await handle.trickle(completed=True)
    with pytest.raises(ValueError, match="at least one"):
        await handle.trickle([])
    sent = transport.requests("trickle")
    assert sent[0]["candidate"]["candidate"] == one.candidate
    assert len(sent[1]["candidates"]) == 3 and sent[1]["candidates"][-1] == {"completed": True}
    assert sent[2]["candidate"] == {"completed": True}
    await conn.close()


async def test_secrets_are_sent_but_never_logged_or_shown(caplog: pytest.LogCaptureFixture) -> None:
    transport = FakeTransport(janus)
    with caplog.at_level(logging.DEBUG, logger="janus_webrtc"):
        conn, handle = await open_handle(transport, api_secret="API-SECRET-1", token="TOKEN-2")
        await handle.send({"request": "create", "secret": "ROOM-SECRET-3", "pin": "PIN-4"})
        with pytest.raises(PluginError) as info:
            await handle.send({"fail": True, "secret": "ROOM-SECRET-3"})
        await conn.close()
    assert all(m["apisecret"] == "API-SECRET-1" and m["token"] == "TOKEN-2" for m in transport.sent)
    shown = caplog.text + repr(conn) + repr(handle) + repr(handle.session) + str(info.value)
    assert "-> " in caplog.text, "debug logging of requests should be on in this test"
    for secret in ("API-SECRET-1", "TOKEN-2", "ROOM-SECRET-3", "PIN-4"):
        assert secret not in shown


async def test_state_errors_say_what_and_why() -> None:
    transport = FakeTransport(janus)
    conn, handle = await open_handle(transport)
    session = handle.session
    await handle.detach()
    await handle.detach()
    with pytest.raises(StateError, match=f"cannot send a message: handle {HANDLE_ID} is detached"):
        await handle.send({})
    with pytest.raises(StateError, match="cannot hang up"):
        await handle.hangup()
    await session.destroy()
    await session.destroy()
    assert transport.requests("destroy").__len__() == 1
    with pytest.raises(StateError, match="cannot attach"):
        await session.attach("echotest")
    await conn.close()
    await conn.close()
    with pytest.raises(StateError, match="cannot open"):
        await conn.open()


async def test_importing_configures_no_logging() -> None:
    import janus_webrtc.connection as module

    root = logging.getLogger()
    assert not any(type(h).__module__.startswith("janus_webrtc") for h in root.handlers)
    assert all(
        isinstance(h, logging.NullHandler) for h in logging.getLogger(module.__name__).handlers
    )


def test_connect_checks_its_arguments() -> None:
    with pytest.raises(ValueError, match="exactly one"):
        janus_webrtc.connect()
    with pytest.raises(ValueError, match="scheme"):
        janus_webrtc.connect("ftp://127.0.0.1")
    with pytest.raises(ValueError, match="timeout"):
        janus_webrtc.connect(transport=FakeTransport(), timeout=0)


@pytest.mark.media
async def test_webrtc_handles_start_with_the_connections_rtc_configuration() -> None:
    from aiortc import RTCConfiguration

    class TestWebRTCHandle(janus_webrtc.WebRTCHandle):
        plugin_id = "janus.plugin.test"

    local_only = RTCConfiguration(iceServers=[])
    conn = await janus_webrtc.connect(transport=FakeTransport(janus), rtc_configuration=local_only)
    handle = await (await conn.create_session()).attach(TestWebRTCHandle)
    assert handle.rtc_configuration is local_only
    default = await janus_webrtc.connect(transport=FakeTransport(janus))
    assert (
        await (await default.create_session()).attach(TestWebRTCHandle)
    ).rtc_configuration is None
    await conn.close()
    await default.close()


@pytest.mark.parametrize("bad", [0, -1, float("nan"), float("inf")])
def test_a_timeout_that_is_not_a_positive_finite_number_is_refused(bad: float) -> None:
    with pytest.raises(ValueError, match="timeout must be a positive, finite number"):
        janus_webrtc.Connection(FakeTransport(janus), timeout=bad)
    conn = janus_webrtc.Connection(FakeTransport(janus), timeout=3)
    with pytest.raises(ValueError, match="timeout must be a positive, finite number"):
        conn.timeout = bad  # used to be taken, and every later request to fail oddly
    assert conn.timeout == 3


@pytest.mark.parametrize("bad", [0, -3, 2.5])
def test_an_event_queue_size_that_is_not_a_positive_integer_is_refused(bad: Any) -> None:
    with pytest.raises(ValueError, match="event_queue_size must be an integer of at least 1"):
        janus_webrtc.Connection(FakeTransport(janus), event_queue_size=bad)
    conn = janus_webrtc.Connection(FakeTransport(janus))
    with pytest.raises(ValueError, match="event_queue_size must be an integer of at least 1"):
        conn.event_queue_size = bad
    assert conn.event_queue_size == 1024


async def test_a_timeout_set_on_an_open_connection_bounds_the_next_request() -> None:
    conn = await janus_webrtc.connect(transport=FakeTransport(None))  # never answers
    conn.timeout = 0.05
    with pytest.raises(JanusTimeoutError, match=r"within 0\.05 s"):
        await conn.create_session()
    await conn.close()


@pytest.mark.parametrize("count", [1, 3, 8, 9, 20])
async def test_a_session_routes_events_to_each_of_its_handles_few_or_many(
    count: int, caplog: pytest.LogCaptureFixture
) -> None:
    """Few handles are kept in a tuple, many in a dict: both route, detach and close alike."""
    ids = iter(range(5000, 6000))

    def respond(request: dict[str, Any]) -> dict[str, Any] | list[dict[str, Any]] | None:
        if request["janus"] == "attach":
            return {"janus": "success", "session_id": SESSION_ID, "data": {"id": next(ids)}}
        return janus(request)

    transport = FakeTransport(respond)
    conn = await janus_webrtc.connect(transport=transport)
    session = await conn.create_session()
    handles = [await session.attach("janus.plugin.test") for _ in range(count)]
    assert session.handles == tuple(handles)
    hangups: dict[int, list[HangUp]] = {h.id: [] for h in handles}
    for handle in handles:
        handle.on(hangups[handle.id].append, HangUp)

    def hang_up(handle_id: int) -> None:
        transport.push(
            {"janus": "hangup", "session_id": SESSION_ID, "sender": handle_id, "reason": "x"}
        )

    for handle in handles:
        hang_up(handle.id)
    assert all(len(got) == 1 for got in hangups.values()), hangups
    # detach every other one: the rest still get their events, the detached ones none
    gone = handles[::2]
    for handle in gone:
        await handle.detach()
    kept = [h for h in handles if h not in gone]
    assert session.handles == tuple(kept)
    with caplog.at_level(logging.DEBUG, logger="janus_webrtc"):
        for handle in handles:
            hang_up(handle.id)
    assert [len(hangups[h.id]) for h in kept] == [2] * len(kept)
    assert [len(hangups[h.id]) for h in gone] == [1] * len(gone)
    assert "unknown handle" not in caplog.text  # a detached one's event is expected, not hostile
    # a handle attached after the detaches is routed too
    late = await session.attach("janus.plugin.test")
    late_hangups: list[HangUp] = []
    late.on(late_hangups.append, HangUp)
    hang_up(late.id)
    assert len(late_hangups) == 1 and session.handles == (*kept, late)
    await session.destroy()
    assert session.handles == () and all(h.detached for h in [*handles, late])
    await conn.close()
