"""Hostile input through the whole inbound path of every transport (issue 9).

A fake Janus, a WebSocket server (websockets), an HTTP server (aiohttp.web) on 127.0.0.1 or a
Unix-socket server (SOCK_SEQPACKET and SOCK_DGRAM, in a temporary folder),
answers ``create``/``attach``/``message``/``claim`` like Janus and sends what hypothesis makes:
malformed, deeply nested, truncated and non-object JSON, routing ids of the wrong type,
unknown kinds, replies to no request, events for unknown sessions and handles. Each frame is
followed by a marker event; once the marker reaches the handle, the frame was handled. Then a
well-formed request must be answered on the same, still open, connection.

Over WebSocket every frame is one WebSocket message, over a Unix socket one record or
datagram; over HTTP each is the body of one long-poll answer. A real Janus cannot send any of this, hence the fakes.
"""

from __future__ import annotations

import asyncio
import gc
import json
import logging
import os
import socket
import tempfile
import tracemalloc
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
from aiohttp import web
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from websockets.asyncio.server import ServerConnection, serve

import janus_webrtc
from janus_webrtc import (
    ConnectionState,
    MessageTooLargeError,
    PluginEvent,
    ProtocolError,
    RequestTooLargeError,
)
from janus_webrtc.testing.fake import FakeTransport

SESSION_ID = 7001
HANDLE_ID = 8002
PLUGIN = "janus.plugin.fake"
EVENT_QUEUE_SIZE = 16
"""Small queues, so that the events of unknown kinds fill them early and memory is flat."""
MAX_MESSAGE_SIZE = 512 * 1024
"""Above the deeply nested frames (300 kB), below :data:`OVERSIZED`."""

HYPOTHESIS = settings(
    max_examples=200,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# -- the fake Janus ----------------------------------------------------------------------------


def answer(request: dict[str, Any]) -> dict[str, Any]:
    """Janus's reply to one request, as the fake servers give it."""
    kind = request.get("janus")
    reply: dict[str, Any] = {"transaction": request.get("transaction")}
    if kind == "create":
        return {**reply, "janus": "success", "data": {"id": SESSION_ID}}
    if kind == "attach":
        return {**reply, "janus": "success", "session_id": SESSION_ID, "data": {"id": HANDLE_ID}}
    if kind == "message":
        body = request.get("body") or {}
        data: dict[str, Any] = {"echo": body.get("n")}
        if body.get("request") == "big":
            data["padding"] = "x" * int(body["size"])
        return {
            **reply,
            "janus": "success",
            "session_id": SESSION_ID,
            "sender": HANDLE_ID,
            "plugindata": {"plugin": PLUGIN, "data": data},
        }
    if kind == "keepalive":
        return {**reply, "janus": "ack", "session_id": SESSION_ID}
    return {**reply, "janus": "success", "session_id": SESSION_ID}


REPLAY = "<the last reply again>"
"""A frame the fake servers replace with the reply they sent last: a late duplicate."""


def marker(number: int) -> str:
    """An event for the handle that tells the test that every frame before it was handled."""
    return json.dumps(
        {
            "janus": "event",
            "session_id": SESSION_ID,
            "sender": HANDLE_ID,
            "plugindata": {"plugin": PLUGIN, "data": {"marker": number}},
        }
    )


class FakeWebSocketJanus:
    """A WebSocket Janus on 127.0.0.1 that also sends whatever the test pushes."""

    def __init__(self) -> None:
        self.frames = FRAMES
        self.peers: list[ServerConnection] = []
        self.connections = 0
        self.last_reply = "{}"
        self.close_codes: list[int | None] = []

    async def handler(self, ws: ServerConnection) -> None:
        self.connections += 1
        self.peers.append(ws)
        try:
            async for raw in ws:
                self.last_reply = json.dumps(answer(json.loads(raw)))
                await ws.send(self.last_reply)
        except Exception:  # the client went away, or closed with 1009
            pass
        finally:
            self.peers.remove(ws)
            self.close_codes.append(ws.close_code)

    async def push(self, frame: str) -> None:
        await self.peers[-1].send(self.last_reply if frame == REPLAY else frame)

    @asynccontextmanager
    async def running(self) -> AsyncIterator[str]:
        async with serve(self.handler, "127.0.0.1", 0, subprotocols=["janus-protocol"]) as server:  # type: ignore[list-item]
            port = next(iter(server.sockets)).getsockname()[1]
            yield f"ws://127.0.0.1:{port}"


class FakeHttpJanus:
    """An HTTP Janus on 127.0.0.1 whose long-polls answer with whatever the test pushes."""

    def __init__(self) -> None:
        self.frames = HTTP_FRAMES
        self.bodies: asyncio.Queue[str] = asyncio.Queue()
        self.last_reply = "{}"

    async def info(self, request: web.Request) -> web.Response:
        return web.json_response({"janus": "server_info", "name": "fake", "plugins": {}})

    async def post(self, request: web.Request) -> web.Response:
        self.last_reply = json.dumps(answer(await request.json()))
        return web.Response(text=self.last_reply, content_type="application/json")

    async def poll(self, request: web.Request) -> web.Response:
        try:
            body = await asyncio.wait_for(self.bodies.get(), 5)
        except TimeoutError:
            body = json.dumps({"janus": "keepalive"})
        return web.Response(text=body, content_type="application/json")

    async def push(self, frame: str) -> None:
        await self.bodies.put(self.last_reply if frame == REPLAY else frame)

    @asynccontextmanager
    async def running(self) -> AsyncIterator[str]:
        app = web.Application()
        app.router.add_get("/janus/info", self.info)
        app.router.add_post("/janus", self.post)
        app.router.add_post("/janus/{session}", self.post)
        app.router.add_post("/janus/{session}/{handle}", self.post)
        app.router.add_get("/janus/{session}", self.poll)
        runner = web.AppRunner(app, handle_signals=False, shutdown_timeout=0.1)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = runner.addresses[0][1]
        try:
            yield f"http://127.0.0.1:{port}/janus"
        finally:
            await runner.cleanup()


class FakeUnixJanus:
    """A pfunix Janus on a socket file (SEQPACKET or DGRAM) that also sends what is pushed."""

    def __init__(self, *, datagram: bool = False) -> None:
        self.frames = FRAMES
        self.datagram = datagram
        self.peers: list[socket.socket] = []
        self.connections = 0
        self.last_reply = "{}"
        self.client: str | None = None
        """DGRAM: the path the client sends from."""
        self._listener: socket.socket | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    def _open_listener(self, path: str) -> socket.socket:
        sock = socket.socket(
            socket.AF_UNIX, socket.SOCK_DGRAM if self.datagram else socket.SOCK_SEQPACKET
        )
        # Room for the deeply nested frames (300 kB) in one message.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 1 << 20)
        sock.setblocking(False)
        sock.bind(path)
        if not self.datagram:
            sock.listen()
        return sock

    async def _serve_seqpacket(self, listener: socket.socket) -> None:
        loop = asyncio.get_running_loop()
        while True:
            peer, _ = await loop.sock_accept(listener)
            peer.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 1 << 20)
            self.connections += 1
            self.peers.append(peer)
            self._tasks.add(loop.create_task(self._answer(peer)))

    async def _answer(self, peer: socket.socket) -> None:
        loop = asyncio.get_running_loop()
        try:
            while raw := await loop.sock_recv(peer, 65536):
                self.last_reply = json.dumps(answer(json.loads(raw)))
                await loop.sock_sendall(peer, self.last_reply.encode())
        except OSError:
            pass
        finally:
            self.peers.remove(peer)
            peer.close()

    async def _serve_dgram(self, listener: socket.socket) -> None:
        loop = asyncio.get_running_loop()
        while True:
            raw, self.client = await loop.sock_recvfrom(listener, 65536)
            self.last_reply = json.dumps(answer(json.loads(raw)))
            await loop.sock_sendto(listener, self.last_reply.encode(), self.client)

    async def push(self, frame: str) -> None:
        data = (self.last_reply if frame == REPLAY else frame).encode()
        loop = asyncio.get_running_loop()
        if self.datagram:
            assert self._listener is not None and self.client is not None
            await loop.sock_sendto(self._listener, data, self.client)
        else:
            await loop.sock_sendall(self.peers[-1], data)

    def hang_up(self) -> None:
        """Close the server's end of every SEQPACKET connection."""
        for peer in self.peers:
            peer.shutdown(socket.SHUT_RDWR)

    @asynccontextmanager
    async def running(self) -> AsyncIterator[str]:
        folder = tempfile.mkdtemp(prefix="fake-janus-")
        path = os.path.join(folder, "janus.sock")
        self._listener = self._open_listener(path)
        serve_ = self._serve_dgram if self.datagram else self._serve_seqpacket
        server = asyncio.get_running_loop().create_task(serve_(self._listener))
        try:
            yield f"{'unix+dgram' if self.datagram else 'unix'}://{path}"
        finally:
            for task in (server, *self._tasks):
                task.cancel()
            await asyncio.gather(server, *self._tasks, return_exceptions=True)
            for peer in list(self.peers):
                peer.close()
            self._listener.close()
            os.unlink(path)
            os.rmdir(folder)


FakeJanus = FakeWebSocketJanus | FakeHttpJanus | FakeUnixJanus


# -- what hypothesis sends ---------------------------------------------------------------------


@dataclass(frozen=True)
class Frame:
    """One frame of garbage, and whether the library must drop it (with a warning)."""

    text: str
    dropped: bool


WRONG_TYPES = st.one_of(
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    st.booleans(),
    st.floats(allow_nan=False),
    st.text(max_size=8),
)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=8,
)
KINDS = st.sampled_from(["event", "success", "ack", "error", "webrtcup", "detached", "hangup"])
UNKNOWN_ID = st.integers(min_value=1, max_value=2**53).filter(
    lambda i: i not in (SESSION_ID, HANDLE_ID)
)


def _not_json(text: str) -> bool:
    try:
        json.loads(text)
    except (ValueError, RecursionError):
        return True
    return False


@st.composite
def wrong_routing(draw: st.DrawFn) -> Frame:
    """A Janus message whose transaction, session_id or sender has the wrong type."""
    message: dict[str, Any] = {"janus": draw(KINDS), "session_id": SESSION_ID, "sender": HANDLE_ID}
    key = draw(st.sampled_from(["transaction", "session_id", "sender"]))
    value = draw(WRONG_TYPES)
    if key == "transaction" and isinstance(value, str):
        value = [value]  # a string is the right type for a transaction
    message[key] = value
    return Frame(json.dumps(message), dropped=True)


@st.composite
def truncated(draw: st.DrawFn) -> Frame:
    """A well-formed event cut short."""
    text = marker(draw(st.integers()))
    return Frame(text[: draw(st.integers(min_value=0, max_value=len(text) - 1))], dropped=True)


@st.composite
def unknown_addressee(draw: st.DrawFn) -> Frame:
    """An event for a session or handle nobody has, or a reply to no request."""
    unknown = draw(UNKNOWN_ID)
    choice = draw(st.sampled_from(["session", "handle", "reply", "no session"]))
    message: dict[str, Any] = {"janus": "event", "session_id": SESSION_ID, "sender": HANDLE_ID}
    if choice == "session":
        message["session_id"] = unknown
    elif choice == "handle":
        message["sender"] = unknown
    elif choice == "reply":
        message = {"janus": draw(KINDS), "transaction": draw(st.text(max_size=12))}
    else:
        del message["session_id"], message["sender"]
    return Frame(json.dumps(message), dropped=True)


@st.composite
def unknown_kind(draw: st.DrawFn) -> Frame:
    """A message of a kind this library does not know, for the handle or the session: kept."""
    kind = draw(
        st.text(max_size=10).filter(lambda k: k not in ("keepalive", "detached", "timeout"))
    )
    message: dict[str, Any] = {"janus": kind, "session_id": SESSION_ID}
    if draw(st.booleans()):
        message["sender"] = HANDLE_ID
    message.update(
        draw(st.dictionaries(st.sampled_from(["plugindata", "jsep", "data"]), JSON_VALUES))
    )
    return Frame(json.dumps(message), dropped=False)


FRAMES = st.one_of(
    st.text(max_size=40).filter(_not_json).map(lambda t: Frame(t, dropped=True)),
    st.sampled_from(["[" * 100_000 + "]" * 100_000, '{"a":' * 50_000 + "1" + "}" * 50_000]).map(
        lambda t: Frame(t, dropped=True)
    ),
    # Not an object (over HTTP an empty array is a long-poll answer with no event: fine).
    JSON_VALUES.filter(lambda v: not isinstance(v, dict) and v != []).map(
        lambda v: Frame(json.dumps(v), dropped=True)
    ),
    truncated(),
    wrong_routing(),
    unknown_addressee(),
    unknown_kind(),
    # Out of order: a reply again, after its request has ended (expected: dropped quietly).
    st.just(Frame(REPLAY, dropped=False)),
)
OVERSIZED = Frame(json.dumps({"janus": "event", "padding": "x" * 600_000}), dropped=True)
"""Past the connection's ``max_message_size``: over HTTP a long-poll answer that is dropped
(over WebSocket it closes the socket: see the max_message_size tests below)."""
HTTP_FRAMES = st.one_of(FRAMES, st.just(OVERSIZED))


# -- the checks --------------------------------------------------------------------------------


class Warnings(logging.Handler):
    """Counts the library's warnings (keeping only the last few, so memory stays flat)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0
        self.last: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1
        self.last = [*self.last[-4:], record.getMessage()[:200]]


@contextmanager
def library_warnings() -> Iterator[Warnings]:
    """Count the library's warnings, and keep them from pytest's capture, which holds every
    record (and so the messages and errors in its arguments): memory is measured here."""
    handler = Warnings()
    library = logging.getLogger("janus_webrtc")
    library.addHandler(handler)
    library.propagate = False
    try:
        yield handler
    finally:
        library.propagate = True
        library.removeHandler(handler)


class Run:
    """One fake server and one connection, through which every example goes."""

    def __init__(self, server: FakeJanus, url: str) -> None:
        self.server = server
        self.url = url
        self.markers = 0
        self.conn: janus_webrtc.Connection
        self.handle: janus_webrtc.Handle

    async def open(self) -> None:
        self.conn = await janus_webrtc.connect(
            self.url,
            event_queue_size=EVENT_QUEUE_SIZE,
            keepalive_interval=None,
            timeout=5,
            max_message_size=MAX_MESSAGE_SIZE,
        )
        session = await self.conn.create_session()
        self.handle = await session.attach(PLUGIN)

    async def send_through(self, frames: list[Frame], warnings: Warnings) -> None:
        """Push each frame then a marker; check each was handled, and dropped ones logged."""
        for frame in frames:
            self.markers += 1
            number = self.markers
            arrived = self.handle.wait_for(
                PluginEvent, predicate=lambda e, n=number: e.data.get("marker") == n, timeout=5
            )
            before = warnings.count
            await self.server.push(frame.text)
            await self.server.push(marker(number))
            await arrived
            if frame.dropped:
                assert warnings.count > before, f"dropped without a warning: {frame.text[:200]!r}"
        self.check_alive()
        reply = await self.handle.send({"request": "echo", "n": self.markers})
        assert reply.data == {"echo": self.markers}
        assert self.conn.pending_requests == 0

    def check_alive(self) -> None:
        assert self.conn.state is ConnectionState.OPEN
        transport: Any = self.conn.transport
        if self.url.startswith("unix"):  # the reader is the loop's callback on the socket
            assert transport._sock is not None, "the Unix-socket reader stopped"
            return
        tasks = (
            [transport._reader]
            if self.url.startswith("ws")
            else [t for _, t in transport._pollers.values()]
        )
        assert tasks and not any(task.done() for task in tasks), "a reader or poller died"


async def hostile_input(server: FakeJanus) -> None:
    """Send hypothesis's frames through one connection, then replay them to watch memory."""
    loop = asyncio.get_running_loop()
    async with server.running() as url:
        run = Run(server, url)
        await run.open()
        sent: list[list[Frame]] = []
        with library_warnings() as warnings:

            @HYPOTHESIS
            @given(st.lists(server.frames, min_size=1, max_size=4))
            def example(frames: list[Frame]) -> None:
                if len(sent) < 60:
                    sent.append(frames)
                # hypothesis runs in a thread; the example runs on the test's loop.
                future = asyncio.run_coroutine_threadsafe(run.send_through(frames, warnings), loop)
                future.result(timeout=60)

            await asyncio.to_thread(example)
            # Memory: once everything has been seen once, replaying it must not grow it.
            for frames in sent:
                await run.send_through(frames, warnings)
            gc.collect()
            tracemalloc.start()
            try:
                baseline = tracemalloc.get_traced_memory()[0]
                for _ in range(2):
                    for frames in sent:
                        await run.send_through(frames, warnings)
                gc.collect()
                grown = tracemalloc.get_traced_memory()[0] - baseline
            finally:
                tracemalloc.stop()
            assert grown < 64 * 1024, f"memory grew by {grown} bytes over two replays"
        run.check_alive()
        await run.conn.close()
        assert run.conn.pending_requests == 0


async def test_hostile_frames_over_websocket() -> None:
    await hostile_input(FakeWebSocketJanus())


async def test_hostile_long_poll_answers_over_http() -> None:
    await hostile_input(FakeHttpJanus())


@pytest.mark.parametrize("datagram", [False, True], ids=["seqpacket", "dgram"])
async def test_hostile_messages_over_a_unix_socket(datagram: bool) -> None:
    await hostile_input(FakeUnixJanus(datagram=datagram))


# -- max_message_size --------------------------------------------------------------------------

LIMIT = 64 * 1024


async def test_a_message_too_large_over_websocket_fails_the_request_and_reconnects() -> None:
    server = FakeWebSocketJanus()
    async with server.running() as url:
        conn = await janus_webrtc.connect(
            url, max_message_size=LIMIT, keepalive_interval=None, timeout=5
        )
        async with conn:
            session = await conn.create_session()
            handle = await session.attach(PLUGIN)
            reconnected = conn.wait_for(
                janus_webrtc.ConnectionStatusChanged,
                predicate=lambda e: e.state is ConnectionState.OPEN,
                timeout=10,
            )
            with pytest.raises(MessageTooLargeError, match="max_message_size"):
                await handle.send({"request": "big", "size": 2 * LIMIT})
            await reconnected
            assert server.close_codes == [1009]  # the client closed: "message too big"
            assert server.connections == 2
            assert conn.reconnections == 1
            reply = await handle.send({"request": "echo", "n": 1})  # claimed: the handle lives
            assert reply.data == {"echo": 1}
            assert conn.pending_requests == 0


async def test_a_message_too_large_over_a_unix_socket_fails_the_request_and_reconnects() -> None:
    server = FakeUnixJanus()
    async with server.running() as url:
        conn = await janus_webrtc.connect(
            url, max_message_size=LIMIT, keepalive_interval=None, timeout=5
        )
        async with conn:
            session = await conn.create_session()
            handle = await session.attach(PLUGIN)
            reconnected = conn.wait_for(
                janus_webrtc.ConnectionStatusChanged,
                predicate=lambda e: e.state is ConnectionState.OPEN,
                timeout=10,
            )
            with pytest.raises(MessageTooLargeError, match="max_message_size"):
                await handle.send({"request": "big", "size": 2 * LIMIT})
            await reconnected
            assert server.connections == 2
            assert conn.reconnections == 1
            reply = await handle.send({"request": "echo", "n": 1})  # claimed: the handle lives
            assert reply.data == {"echo": 1}
            assert conn.pending_requests == 0


@pytest.mark.parametrize("datagram", [False, True], ids=["seqpacket", "dgram"])
async def test_a_request_longer_than_janus_reads_over_a_unix_socket_is_refused(
    datagram: bool,
) -> None:
    server = FakeUnixJanus(datagram=datagram)
    async with (
        server.running() as url,
        janus_webrtc.connect(url, keepalive_interval=None, timeout=5) as conn,
    ):
        session = await conn.create_session()
        handle = await session.attach(PLUGIN)
        with pytest.raises(RequestTooLargeError, match="8191 bytes"):
            await handle.send({"request": "echo", "n": 1, "padding": "x" * 8192})
        assert conn.state is ConnectionState.OPEN and conn.pending_requests == 0
        reply = await handle.send({"request": "echo", "n": 2, "padding": "x" * 7900})
        assert reply.data == {"echo": 2}


async def test_a_message_too_large_over_http_fails_the_request() -> None:
    server = FakeHttpJanus()
    async with (
        server.running() as url,
        janus_webrtc.connect(
            url, max_message_size=LIMIT, keepalive_interval=None, timeout=5
        ) as conn,
    ):
        session = await conn.create_session()
        handle = await session.attach(PLUGIN)
        with pytest.raises(MessageTooLargeError, match="max_message_size"):
            await handle.send({"request": "big", "size": 2 * LIMIT})
        assert conn.state is ConnectionState.OPEN
        reply = await handle.send({"request": "big", "size": LIMIT // 2})
        assert len(reply.data["padding"]) == LIMIT // 2
        assert conn.pending_requests == 0


async def test_an_unreadable_reply_over_http_is_a_protocol_error() -> None:
    server = FakeHttpJanus()

    async def nested(request: web.Request) -> web.Response:
        return web.Response(text="[" * 100_000 + "]" * 100_000, content_type="application/json")

    server.post = nested  # type: ignore[method-assign]
    async with (
        server.running() as url,
        janus_webrtc.connect(url, keepalive_interval=None, timeout=5) as conn,
    ):
        with pytest.raises(ProtocolError, match="not JSON"):
            await conn.create_session()
        assert conn.state is ConnectionState.OPEN
        assert conn.pending_requests == 0


# -- what is expected is not a warning ---------------------------------------------------------


def quiet_janus(request: dict[str, Any]) -> dict[str, Any] | None:
    """:func:`answer`, except that a ``{"request": "silent"}`` message gets no answer."""
    body = request.get("body") or {}
    return None if body.get("request") == "silent" else answer(request)


async def test_late_messages_are_dropped_quietly_and_foreign_ones_with_a_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    transport = FakeTransport(quiet_janus)
    caplog.set_level(logging.DEBUG, logger="janus_webrtc")
    async with janus_webrtc.connect(transport=transport, timeout=5) as conn:
        session = await conn.create_session()
        handle = await session.attach(PLUGIN)
        with pytest.raises(janus_webrtc.JanusTimeoutError):
            await handle.send({"request": "silent"}, timeout=0.05)
        late = transport.requests("message")[-1]["transaction"]
        await handle.detach()
        await session.destroy()
        caplog.clear()
        # Races Janus really has: the reply after its request timed out, a detached and a
        # hangup after the detach reply, a timeout after the destroy.
        transport.push(answer({"janus": "message", "transaction": late}))
        transport.push({"janus": "detached", "session_id": SESSION_ID, "sender": HANDLE_ID})
        transport.push({"janus": "timeout", "session_id": SESSION_ID})
        assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []
        assert sum("dropped" in r.getMessage() for r in caplog.records) == 3
        # Never known: a warning each.
        other = await conn.create_session()  # the fake gives the same id again: a new session
        transport.push({"janus": "success", "transaction": "not-ours-1"})
        transport.push({"janus": "event", "session_id": SESSION_ID + 1})
        transport.push({"janus": "hangup", "session_id": SESSION_ID, "sender": HANDLE_ID + 1})
        warned = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
        assert len(warned) == 3, warned
        assert "no request" in warned[0] and "unknown session" in warned[1]
        assert "unknown handle" in warned[2]
        assert other.handles == () and conn.pending_requests == 0
