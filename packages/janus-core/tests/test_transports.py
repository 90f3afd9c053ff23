"""The transports against tiny misbehaving servers on loopback (garbage a real Janus never sends),
and against the real Janus behind a fault proxy."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from aiohttp import web
from websockets.asyncio.server import ServerConnection, serve

import janus_webrtc
from janus_webrtc import ConnectError, TransportError, TransportLostError
from janus_webrtc.testing import fault_proxy_for, json_printed_by, poll_until
from janus_webrtc.transports import HttpTransport, WebSocketTransport, transport_for_url

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
"""An aiohttp request handler."""


async def garbage_then_janus(ws: ServerConnection) -> None:
    """Answer ``create`` after sending frames that are not Janus messages."""
    async for raw in ws:
        request = json.loads(raw)
        for junk in ("not json {", "[1, 2, 3]", '"a string"', "null", b"\x00\x01binary"):
            await ws.send(junk)
        await ws.send(
            json.dumps(
                {"janus": "success", "transaction": request["transaction"], "data": {"id": 42}}
            )
        )


@contextlib.asynccontextmanager
async def serving(app: web.Application) -> AsyncIterator[str]:
    """Serve ``app`` on 127.0.0.1 while in the block; yield its Janus base URL."""
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        yield f"http://127.0.0.1:{port}/janus"
    finally:
        await runner.cleanup()


@pytest.fixture
async def ws_server() -> AsyncIterator[str]:
    async with serve(garbage_then_janus, "127.0.0.1", 0, subprotocols=["janus-protocol"]) as server:
        port = next(iter(server.sockets)).getsockname()[1]
        yield f"ws://127.0.0.1:{port}"


async def test_websocket_reader_drops_garbage_and_goes_on(
    ws_server: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="janus_webrtc"):
        async with janus_webrtc.connect(ws_server, reconnect=False) as conn:
            first = await conn.create_session()
            second = await conn.create_session()
    assert first.id == second.id == 42
    assert "not JSON" in caplog.text and "not an object" in caplog.text


async def test_a_websocket_server_that_hangs_up_fails_requests_fast() -> None:
    async def reject(ws: ServerConnection) -> None:
        await ws.close()

    # the handshake succeeds, then the server closes: requests fail instead of waiting
    async with serve(reject, "127.0.0.1", 0) as server:
        port = next(iter(server.sockets)).getsockname()[1]
        conn = await janus_webrtc.connect(f"ws://127.0.0.1:{port}", reconnect=False, timeout=2)
        with pytest.raises((TransportError, janus_webrtc.StateError)):
            await conn.create_session()
        await conn.close()


@pytest.fixture
async def http_server() -> AsyncIterator[str]:
    async def info(request: web.Request) -> web.Response:
        return web.json_response({"janus": "server_info"})

    async def janus(request: web.Request) -> web.Response:
        body = await request.json()
        if body.get("garbage"):
            return web.Response(text="<html>proxy error</html>", status=502)
        return web.json_response(
            {"janus": "success", "transaction": body["transaction"], "data": {"id": 7}}
        )

    async def poll(request: web.Request) -> web.Response:
        await asyncio.sleep(0.05)
        return web.Response(
            text='[{"janus": "keepalive"}, 5, "x", {"janus": "webrtcup", "session_id": 7, "sender": 1}]'
        )

    app = web.Application()
    app.router.add_get("/janus/info", info)
    app.router.add_post("/janus", janus)
    app.router.add_get("/janus/{session}", poll)
    async with serving(app) as url:
        yield url


async def test_http_drops_garbage_replies_and_polls(
    http_server: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="janus_webrtc"):
        async with janus_webrtc.connect(http_server, reconnect=False, timeout=1) as conn:
            session = await conn.create_session()
            assert session.id == 7
            await asyncio.sleep(0.2)  # a few polls of garbage arrays
            # a reply that is not JSON fails the request at once, with a typed error
            with pytest.raises(janus_webrtc.ProtocolError, match=r"HTTP \d+\) is not JSON"):
                await conn._request("message", session_id=7, garbage=True, timeout=5)
            assert conn.pending_requests == 0
            assert not conn.closed
    assert "dropped 2 item(s) of a long-poll of session 7 that are not JSON objects" in caplog.text


async def test_http_connect_error_names_the_url() -> None:
    transport = HttpTransport("http://127.0.0.1:9/janus", open_timeout=2)
    with pytest.raises(ConnectError, match=r"127\.0\.0\.1:9"):
        await janus_webrtc.connect(transport=transport)


def test_url_schemes_pick_the_transport() -> None:
    assert isinstance(transport_for_url("ws://h:1"), WebSocketTransport)
    assert isinstance(transport_for_url("WSS://h:1"), WebSocketTransport)
    assert isinstance(transport_for_url("http://h:1/janus"), HttpTransport)
    assert isinstance(transport_for_url("https://h/janus"), HttpTransport)
    with pytest.raises(ValueError, match="scheme"):
        transport_for_url("tcp://h:1")


async def test_http_stops_polling_a_session_the_server_no_longer_knows() -> None:
    polls = 0

    async def info(request: web.Request) -> web.Response:
        return web.json_response({"janus": "server_info"})

    async def create(request: web.Request) -> web.Response:
        body = await request.json()
        return web.json_response(
            {"janus": "success", "transaction": body["transaction"], "data": {"id": 9}}
        )

    async def gone(request: web.Request) -> web.Response:
        nonlocal polls
        polls += 1
        return web.Response(status=404)  # what Janus answers once a session has timed out

    app = web.Application()
    app.router.add_get("/janus/info", info)
    app.router.add_post("/janus", create)
    app.router.add_get("/janus/{session}", gone)
    async with serving(app) as url:
        transport = HttpTransport(url)
        async with janus_webrtc.connect(transport=transport, keepalive_interval=None) as conn:
            session = await conn.create_session()
            await asyncio.sleep(0.3)
            assert polls == 1, "a 404 long-poll must end polling, not repeat at once"
            assert transport._pollers == {}
            # the session is gone from the server: it closes as timed out, nothing waits forever
            assert session.closed
            assert [e async for e in session.events()] == [
                janus_webrtc.SessionTimeout(),
                janus_webrtc.SessionLost("Janus no longer knows the session (timed out)"),
            ]


def test_aiohttp_is_imported_by_the_first_http_transport_only() -> None:
    code = """
import json, sys
import janus_webrtc
from janus_webrtc.transports import transport_for_url

steps = {"imported": "aiohttp" in sys.modules}
transport_for_url("ws://127.0.0.1:1")
transport_for_url("unix:///tmp/janus.sock")
steps["ws and unix"] = "aiohttp" in sys.modules
transport_for_url("http://127.0.0.1:1/janus")
steps["http"] = "aiohttp" in sys.modules
from janus_webrtc.transports import HttpTransport
steps["name"] = HttpTransport.__name__
print(json.dumps(steps))
"""
    steps = json_printed_by(code)
    assert steps == {"imported": False, "ws and unix": False, "http": True, "name": "HttpTransport"}


@pytest.mark.parametrize("bad", [0, -1])
def test_an_http_pool_of_no_connection_is_refused_at_once(bad: int) -> None:
    with pytest.raises(ValueError, match="max_connections must be at least 1"):
        HttpTransport("http://127.0.0.1:1/janus", max_connections=bad)
    assert HttpTransport("http://127.0.0.1:1/janus", max_connections=3).max_connections == 3


class KeptAliveDropper:
    """An HTTP Janus on 127.0.0.1 that closes connections instead of answering POSTs.

    ``drop`` is ``"reused"`` (drop a POST that comes on a connection kept alive from an earlier
    request, as a server does that closed it idle just as the request came) or ``"all"``.
    ``posts`` lists ``(connection number, request)`` of every POST received.
    """

    def __init__(self, drop: str, *, close_after_info: bool = False) -> None:
        self.drop = drop
        self.close_after_info = close_after_info
        self.posts: list[tuple[int, dict[str, object]]] = []
        self._connections = 0

    async def serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._connections += 1
        number, served = self._connections, 0
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode().split("\r\n")
                length = next(
                    (
                        int(line.split(":")[1])
                        for line in lines
                        if line.lower().startswith("content-length:")
                    ),
                    0,
                )
                body = await reader.readexactly(length)
                transaction = None
                if lines[0].startswith("POST"):
                    request = json.loads(body)
                    self.posts.append((number, request))
                    if self.drop == "all" or served:
                        return  # closed without a byte of an answer
                    transaction = request["transaction"]
                answer = json.dumps(
                    {"janus": "server_info", "transaction": transaction, "server-name": "dropper"}
                )
                close = lines[0].startswith("GET") and self.close_after_info
                writer.write(
                    f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                    f"Content-Length: {len(answer)}\r\n"
                    f"Connection: {'close' if close else 'keep-alive'}\r\n\r\n{answer}".encode()
                )
                await writer.drain()
                served += 1
                if close:
                    return
        except (asyncio.IncompleteReadError, ConnectionError):
            return
        finally:
            writer.close()


@pytest.fixture
async def dropper_url() -> AsyncIterator[tuple[KeptAliveDropper, str]]:
    dropper = KeptAliveDropper("reused")
    server = await asyncio.start_server(dropper.serve, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    async with server:
        yield dropper, f"http://127.0.0.1:{port}/janus"


async def test_a_post_lost_on_a_kept_alive_connection_goes_again_once_on_a_new_one(
    dropper_url: tuple[KeptAliveDropper, str],
) -> None:
    dropper, url = dropper_url
    async with janus_webrtc.connect(url, reconnect=False, timeout=5) as conn:
        # the pool keeps the connection of the opening GET /info alive: the POST goes on it,
        # the server closes it unanswered, the request goes again on a new connection
        assert (await conn.info()).server_name == "dropper"
    assert [number for number, _ in dropper.posts] == [1, 2]
    assert dropper.posts[0][1] == dropper.posts[1][1], "the same request, sent again"


async def test_a_post_lost_on_a_new_connection_is_not_sent_again_and_says_so(
    dropper_url: tuple[KeptAliveDropper, str],
) -> None:
    dropper, url = dropper_url
    dropper.drop = "all"
    dropper.close_after_info = True  # so that the POST needs a new connection
    async with janus_webrtc.connect(url, reconnect=False, timeout=5) as conn:
        with pytest.raises(janus_webrtc.OutcomeUnknownError, match="may or may not"):
            await conn.info()
    assert [number for number, _ in dropper.posts] == [2], "never sent twice: Janus may have it"


class _Sink:
    """A MessageSink that keeps what it gets."""

    def __init__(self) -> None:
        self.messages: list[dict[str, object]] = []
        self.lost: list[Exception | None] = []

    def message_received(self, message: dict[str, object]) -> None:
        self.messages.append(message)

    def connection_lost(self, exc: Exception | None) -> None:
        self.lost.append(exc)

    def session_gone(self, session_id: int) -> None:
        pass

    def events_lost(self, session_id: int, count: int) -> None:
        pass


@contextlib.asynccontextmanager
async def parking_janus(
    add_routes: Callable[[web.Application, Handler], None],
) -> AsyncIterator[str]:
    """Serve an HTTP Janus that answers ``info``, with ``add_routes(app, park)`` for the rest.

    ``park`` is a handler that answers only when the server stops (an empty event list).
    """
    done = asyncio.Event()

    async def info(request: web.Request) -> web.Response:
        return web.json_response({"janus": "server_info"})

    async def park(request: web.Request) -> web.Response:
        await done.wait()
        return web.json_response([])

    app = web.Application()
    app.router.add_get("/janus/info", info)
    add_routes(app, park)
    async with serving(app) as url:
        yield url
        done.set()


@pytest.fixture
async def silent_http_janus() -> AsyncIterator[str]:
    """An HTTP Janus that answers ``info`` and parks every long-poll."""
    async with parking_janus(lambda app, park: app.router.add_get("/janus/{session}", park)) as url:
        yield url


async def test_a_cancelled_http_close_is_finished_and_a_second_close_waits_for_it(
    silent_http_janus: str,
) -> None:
    # Found as an unclosed aiohttp session: a reconnection giving up began closing, then
    # Connection.close() closed too (returning at once) and cancelled the reconnection.
    transport = HttpTransport(silent_http_janus)
    await transport.open(_Sink())
    transport.session_opened(1)  # a long-poll, parked on the server
    await asyncio.sleep(0.05)
    first = asyncio.create_task(transport.close())
    await asyncio.sleep(0)  # the first close is under way, waiting for the poll to end
    first.cancel()
    await transport.close()
    assert transport._client is not None and transport._client.closed
    assert transport._poll_client is not None and transport._poll_client.closed
    with pytest.raises(asyncio.CancelledError):
        await first


async def test_a_cancelled_websocket_close_is_finished_and_a_second_close_waits_for_it(
    ws_server: str,
) -> None:
    transport = WebSocketTransport(ws_server)
    await transport.open(_Sink())
    first = asyncio.create_task(transport.close())
    await asyncio.sleep(0)  # the first close is under way, in the closing handshake
    first.cancel()
    await transport.close()
    assert transport._reader is not None and transport._reader.done()
    with pytest.raises(asyncio.CancelledError):
        await first


@pytest.mark.janus
async def test_a_transport_whose_socket_saw_a_reset_says_nothing_was_sent(janus_url: str) -> None:
    """Sent after the socket saw a reset, a request fails as not sent, not as maybe sent."""
    async with fault_proxy_for(janus_url) as proxy:
        transport = transport_for_url(proxy.url_for(janus_url))
        sink = _Sink()
        await transport.open(sink)
        try:
            await transport.send({"janus": "info", "transaction": "before"})
            await poll_until(lambda: _answered(sink, "before"), timeout=5)
            proxy.reset()
            if isinstance(transport, HttpTransport):
                # no standing connection: the next request opens a new one and is answered
                await transport.send({"janus": "info", "transaction": "after"})
                assert _answered(sink, "after") and not sink.lost
                return
            await poll_until(lambda: sink.lost, timeout=5)
            with pytest.raises(TransportLostError):  # TransportClosedError, maybe sent, before
                await transport.send({"janus": "info", "transaction": "after"})
            assert not _answered(sink, "after")
        finally:
            await transport.close()


def _answered(sink: _Sink, transaction: str) -> bool:
    return any(m.get("transaction") == transaction for m in sink.messages)


@pytest.fixture
async def http_janus_that_never_answers_messages() -> AsyncIterator[str]:
    """An HTTP Janus that creates, attaches and answers keepalives, but parks every message."""

    async def session_request(request: web.Request) -> web.Response:
        body = await request.json()
        reply = {"janus": "success", "transaction": body["transaction"]}
        if body["janus"] == "create":
            reply["data"] = {"id": 7}
        elif body["janus"] == "attach":
            reply.update(session_id=7, data={"id": 8})
        elif body["janus"] == "keepalive":
            reply = {"janus": "ack", "session_id": 7, "transaction": body["transaction"]}
        return web.json_response(reply)

    def routes(app: web.Application, park: Handler) -> None:
        app.router.add_post("/janus", session_request)
        app.router.add_post("/janus/7", session_request)
        app.router.add_post("/janus/7/8", park)
        app.router.add_get("/janus/7", park)

    async with parking_janus(routes) as url:
        yield url


async def test_an_http_post_left_unanswered_ends_at_the_requests_timeout(
    http_janus_that_never_answers_messages: str,
) -> None:
    async with janus_webrtc.connect(http_janus_that_never_answers_messages, timeout=5) as conn:
        session = await conn.create_session()
        handle = await session.attach("janus.plugin.echotest")
        loop = asyncio.get_running_loop()
        started = loop.time()
        with pytest.raises(janus_webrtc.JanusTimeoutError, match=r"within 0\.3 s") as caught:
            await handle.send({"audio": True}, timeout=0.3)
        assert not isinstance(caught.value, janus_webrtc.NotSentError)  # it went out
        assert loop.time() - started < 3  # at its own timeout, not the HTTP one (60 s)
        task = asyncio.current_task()
        assert task is not None and task.cancelling() == 0  # the timeout left no cancel behind
        assert conn.pending_requests == 0
        await session.keepalive(timeout=2)  # the connection goes on


async def test_an_http_post_cancelled_by_its_caller_is_cancelled_not_timed_out(
    http_janus_that_never_answers_messages: str,
) -> None:
    async with janus_webrtc.connect(http_janus_that_never_answers_messages, timeout=5) as conn:
        session = await conn.create_session()
        handle = await session.attach("janus.plugin.echotest")
        sending = asyncio.create_task(handle.send({"audio": True}, timeout=0.5))
        await poll_until(lambda: conn.pending_requests == 1, timeout=2)
        sending.cancel()
        with pytest.raises(asyncio.CancelledError):
            await sending
        assert conn.pending_requests == 0
        await session.keepalive(timeout=2)
