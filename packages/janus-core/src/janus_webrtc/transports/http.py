"""HTTP transport (``http://`` and ``https://``): POST requests and one long-poll per session."""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
import ssl as _ssl
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import aiohttp

from .. import protocol
from ..errors import (
    CertificateError,
    ConnectError,
    MessageTooLargeError,
    OutcomeUnknownError,
    ProtocolError,
    StateError,
    TransportClosedError,
    TransportError,
)
from ._aiohttp_compat import disable_request_retry
from ._longpoll import PollOutcome, SessionPoller
from ._reuse import ReuseAwareConnector, start_request, went_out_reused
from .base import CloseOnce, MessageSink, Transport
from .websocket import DEFAULT_MAX_MESSAGE_SIZE

_encode = json.JSONEncoder(separators=(",", ":")).encode
"""One compact encoder, made once (``json.dumps`` with options builds one per call)."""

__all__ = ["DEFAULT_MAX_CONNECTIONS", "HttpTransport"]

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())

DEFAULT_MAX_CONNECTIONS = 100
"""Connections kept for requests by default; long-polls have their own, one per session."""

POLL_READ_TIMEOUT = 45.0
"""Seconds without a byte after which a long-poll counts as failed (Janus answers in 30)."""

_PROBE_OPAQUE_ID = "janus-webrtc long-poll probe"


def _request_sent(
    session: aiohttp.ClientSession,
    context: SimpleNamespace,
    params: aiohttp.TraceRequestHeadersSentParams,
) -> Any:
    """Aiohttp trace hook: the long-poll's request is on the wire."""
    sent = getattr(context.trace_request_ctx, "sent", None)
    if isinstance(sent, asyncio.Event):
        sent.set()
    return _done()


class _DeadKeptAlive(Exception):
    """A kept-alive connection failed before any answer: the request can go again."""


async def _done() -> None:
    return None


class HttpTransport(Transport):
    """Talks to Janus's REST interface: pooled POSTs, and one long-poll per session.

    Requests are POSTed to ``<base>``, ``<base>/<session>`` or ``<base>/<session>/<handle>``;
    the POST's body is the reply. Each open session has one long-poll GET that fetches up to
    ``max_events`` events at a time, on a client of its own so that polls never starve
    requests. Janus counts the start of each long-poll as activity, but a poll lasts up to
    30 s, so with a ``session_timeout`` below that a session would time out mid-poll:
    keepalives are sent over HTTP too.

    Connection budget: up to ``max_connections`` for requests plus one per open session for
    its long-poll (see docs/transports.md).

    Args:
        url: The base URL, such as ``http://127.0.0.1:8088/janus``.
        api_secret: Sent with each long-poll (requests get it from the connection).
        token: Sent with each long-poll (requests get it from the connection).
        max_events: Events fetched per long-poll (``maxev``).
        open_timeout: Seconds allowed for the initial ``GET <base>/info``.
        request_timeout: Seconds allowed for one POST at the HTTP level.
        max_connections: Connections for requests (default
            :data:`DEFAULT_MAX_CONNECTIONS`); more requests wait for a free one.
        ssl: The TLS context for ``https://`` (``None``: the system's CAs, verified).
        max_message_size: Largest reply or poll body accepted, in bytes (default 16 MiB).
    """

    keepalive_required = True
    send_waits_for_reply = True

    def __init__(
        self,
        url: str,
        *,
        api_secret: str | None = None,
        token: str | None = None,
        max_events: int = 10,
        open_timeout: float = 10.0,
        request_timeout: float = 60.0,
        max_connections: int | None = None,
        ssl: _ssl.SSLContext | None = None,
        max_message_size: int | None = None,
    ) -> None:
        if max_connections is not None and max_connections < 1:
            raise ValueError("max_connections must be at least 1")
        self.url = url.rstrip("/")
        self._api_secret = api_secret
        self._token = token
        self._max_events = max_events
        self._open_timeout = open_timeout
        self._request_timeout = aiohttp.ClientTimeout(total=request_timeout)
        self._poll_timeout = aiohttp.ClientTimeout(total=None, sock_read=POLL_READ_TIMEOUT)
        self._max_connections = max_connections or DEFAULT_MAX_CONNECTIONS
        self._ssl: _ssl.SSLContext | bool = ssl if ssl is not None else True
        self._max_size = max_message_size or DEFAULT_MAX_MESSAGE_SIZE
        self._client: aiohttp.ClientSession | None = None
        self._poll_client: aiohttp.ClientSession | None = None
        self._sink: MessageSink | None = None
        self._pollers: dict[int, tuple[SessionPoller, asyncio.Task[None]]] = {}
        self._probe_plugin: str | None = None
        self._in_flight: dict[aiohttp.ClientSession, int] = {}
        self._retired: set[aiohttp.ClientSession] = set()
        self._closers: set[asyncio.Task[None]] = set()
        self._pool_born = 0.0
        self._closing = False
        self._close_once = CloseOnce()

    def __repr__(self) -> str:
        return f"HttpTransport({self.url!r})"

    @property
    def max_connections(self) -> int:
        """Connections kept for requests (long-polls have one each besides)."""
        return self._max_connections

    async def open(self, sink: MessageSink) -> None:
        """Create the HTTP clients and check the server answers ``GET <base>/info``.

        Raises:
            CertificateError: The server's TLS certificate was refused.
            ConnectError: The server cannot be reached or answered with an HTTP error.
        """
        if self._client is not None or self._closing:
            raise StateError("cannot open: the HTTP transport was already opened")
        client = self._new_request_client()
        try:
            async with client.get(
                f"{self.url}/info", timeout=aiohttp.ClientTimeout(total=self._open_timeout)
            ) as response:
                body = await _read_body(response, self._max_size)
                if response.status >= 400:
                    raise ConnectError(f"cannot connect to {self.url}: HTTP {response.status}")
        except aiohttp.ClientConnectorCertificateError as exc:
            await client.close()
            raise CertificateError(
                f"cannot connect to {self.url}: TLS certificate refused: "
                f"{_verify_message(exc.certificate_error)}"
            ) from exc
        except (aiohttp.ClientError, TimeoutError, MessageTooLargeError) as exc:
            await client.close()
            raise ConnectError(
                f"cannot connect to {self.url}: {type(exc).__name__}: {exc}"
            ) from exc
        except BaseException:
            await client.close()
            raise
        self._probe_plugin = _probe_plugin(body)
        tracing = aiohttp.TraceConfig()
        tracing.on_request_headers_sent.append(_request_sent)
        self._poll_client = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=0, ssl=self._ssl), trace_configs=[tracing]
        )
        if not disable_request_retry(self._poll_client):
            logger.debug("this aiohttp cannot turn off its retry of reset long-polls")
        self._client = client
        self._sink = sink

    def _new_request_client(self) -> aiohttp.ClientSession:
        return aiohttp.ClientSession(
            connector=ReuseAwareConnector(limit=self._max_connections, ssl=self._ssl)
        )

    def _refresh_requests(self, failed_since: float) -> None:
        """Take a new request pool: after a reset, its idle connections may all be dead.

        Args:
            failed_since: When the request or poll that failed started: a pool made after
                that is fresh already. The old pool is closed once its requests have ended.
        """
        old = self._client
        if old is None or self._closing or self._pool_born > failed_since:
            return
        self._pool_born = asyncio.get_running_loop().time()
        logger.debug("a connection to %s was reset: requests take a fresh pool", self.url)
        self._client = self._new_request_client()
        self._retired.add(old)
        if not self._in_flight.get(old):
            self._close_retired(old)

    def _close_retired(self, client: aiohttp.ClientSession) -> None:
        self._retired.discard(client)
        self._in_flight.pop(client, None)
        task = asyncio.get_running_loop().create_task(client.close())
        self._closers.add(task)
        task.add_done_callback(self._closers.discard)

    async def send(self, message: dict[str, Any]) -> None:
        """POST one request; its reply (the response body) goes to the sink.

        Raises:
            TransportError: The request could not be sent (it was not carried out).
            OutcomeUnknownError: The connection failed after the request was sent.
            ProtocolError: The reply is not readable JSON, or too large.
        """
        client, sink = self._client, self._sink
        if client is None or sink is None or self._closing:
            raise TransportClosedError(f"cannot send: the HTTP transport to {self.url} is closed")
        kind = str(message.get("janus"))
        url = self.url + protocol.http_path(message)
        status, body = await self._post(url, _encode(message), kind)
        what = f"the reply to {kind!r} (HTTP {status})"
        for reply in _decode(body, what, strict=True):
            try:
                sink.message_received(reply)
            except Exception:
                logger.exception("failed to handle the reply to %r", kind)

    async def wait_ready(self, session_id: int | None, timeout: float) -> None:
        """Hold a request of a session whose reset long-poll may still be parked on Janus.

        An event answering the request would be written into the dead poll and lost; this
        waits until it is gone, for at most the request's timeout.
        """
        entry = self._pollers.get(session_id) if session_id is not None else None
        if entry is not None and entry[0].recovering:
            async with asyncio.timeout(timeout):
                await entry[0].wait_recovered()

    async def _post(self, url: str, data: str, kind: str) -> tuple[int, bytes]:
        """POST once; again once on a fresh connection if a kept-alive one was found dead.

        A request is repeated only when it went out on a connection kept alive from before
        and that connection failed before any byte of an answer came (the server or a
        middlebox had dropped it: the request never reached Janus), as browsers do.
        """
        for attempt in (1, 2):
            client = self._client
            if client is None:
                raise TransportClosedError(
                    f"cannot send: the HTTP transport to {self.url} is closed"
                )
            self._in_flight[client] = self._in_flight.get(client, 0) + 1
            try:
                return await self._post_on(client, url, data, kind, retry=attempt == 1)
            except _DeadKeptAlive:
                logger.debug("%r went out on a dead kept-alive connection: sent again", kind)
            finally:
                self._request_ended(client)
        raise AssertionError("unreachable")  # pragma: no cover

    async def _post_on(
        self, client: aiohttp.ClientSession, url: str, data: str, kind: str, *, retry: bool
    ) -> tuple[int, bytes]:
        started = asyncio.get_running_loop().time()
        start_request()
        try:
            response = await client.post(url, data=data, timeout=self._request_timeout)
        except aiohttp.ClientConnectorError as exc:
            raise TransportError(
                f"HTTP request {kind!r} could not reach {url} (not sent): {type(exc).__name__}"
            ) from exc
        except (aiohttp.ServerDisconnectedError, aiohttp.ClientOSError) as exc:
            self._refresh_requests(started)
            if retry and went_out_reused():
                raise _DeadKeptAlive from exc
            raise self._outcome_unknown(kind, url, exc) from exc
        except (aiohttp.ClientError, TimeoutError) as exc:
            self._refresh_requests(started)
            raise self._outcome_unknown(kind, url, exc) from exc
        try:
            return response.status, await _read_body(response, self._max_size)
        except (aiohttp.ClientError, TimeoutError) as exc:
            self._refresh_requests(started)
            raise self._outcome_unknown(kind, url, exc) from exc
        finally:
            response.release()

    @staticmethod
    def _outcome_unknown(kind: str, url: str, exc: BaseException) -> OutcomeUnknownError:
        return OutcomeUnknownError(
            f"HTTP request {kind!r} to {url} failed after it was sent "
            f"({type(exc).__name__}): Janus may or may not have carried it out"
        )

    def _request_ended(self, client: aiohttp.ClientSession) -> None:
        left = self._in_flight.get(client, 1) - 1
        self._in_flight[client] = left
        if not left and client in self._retired:
            self._close_retired(client)

    def session_opened(self, session_id: int, *, claimed: bool = False) -> None:
        """Start long-polling the session's events."""
        if self._client is None or self._closing or session_id in self._pollers:
            return
        loop = asyncio.get_running_loop()
        poller = SessionPoller(
            session_id,
            poll=lambda sent: self._poll_once(session_id, sent),
            probe=lambda attached: self._probe(session_id, attached),
            deliver=self._deliver_event,
            events_lost=lambda count: self._events_lost(session_id, count),
            gone=lambda: self._session_gone(session_id),
            unreachable=self._unreachable,
            clock=loop.time,
            dead_poll=claimed,
        )
        task = loop.create_task(poller.run(), name=f"janus-http-poll {session_id}")
        self._pollers[session_id] = (poller, task)

    def session_closed(self, session_id: int) -> None:
        """Stop long-polling the session's events."""
        entry = self._pollers.pop(session_id, None)
        if entry is not None:
            entry[0].stop()
            entry[1].cancel()

    def _poll_params(self) -> dict[str, str]:
        params = {"maxev": str(self._max_events)}
        if self._api_secret is not None:
            params["apisecret"] = self._api_secret
        if self._token is not None:
            params["token"] = self._token
        return params

    async def _poll_once(self, session_id: int, sent: asyncio.Event) -> PollOutcome:
        client = self._poll_client
        if client is None:
            return PollOutcome(None, error="the transport is closed", sent=False)
        started = asyncio.get_running_loop().time()
        try:
            async with client.get(
                f"{self.url}/{session_id}",
                params=self._poll_params(),
                timeout=self._poll_timeout,
                trace_request_ctx=SimpleNamespace(sent=sent),
            ) as response:
                body = await _read_body(response, self._max_size)
                status = response.status
        except aiohttp.ClientConnectorError as exc:
            return PollOutcome(None, unreachable=True, error=type(exc).__name__, sent=False)
        except MessageTooLargeError as exc:
            return PollOutcome(None, error=str(exc), sent=False, dropped=True)
        except (aiohttp.ClientError, TimeoutError) as exc:
            if sent.is_set():
                self._refresh_requests(started)
            # Never the URL: its query holds the api secret and token.
            return PollOutcome(None, error=type(exc).__name__, sent=sent.is_set())
        if status == 404 or (status < 400 and _is_session_gone(body)):
            return PollOutcome(404)
        if status >= 400:
            return PollOutcome(status)
        try:
            return PollOutcome(status, _decode(body, f"a long-poll of session {session_id}"))
        except ProtocolError as exc:
            logger.warning("dropped a long-poll answer: %s", exc)
            return PollOutcome(status, dropped=True)

    async def _probe(self, session_id: int, attached: Callable[[int], None]) -> bool:
        """Attach and detach a throwaway handle: Janus then emits one ``detached`` event."""
        client = self._client
        if client is None or self._probe_plugin is None:
            return False
        url = f"{self.url}/{session_id}"
        request = self._credentials(
            {"janus": "attach", "plugin": self._probe_plugin, "opaque_id": _PROBE_OPAQUE_ID}
        )
        _, body = await self._post(url, _encode(request), "attach")
        replies = _decode(body, "the reply to a probe")
        data = replies[0].get("data") if replies else None
        handle_id = data.get("id") if isinstance(data, dict) else None
        if type(handle_id) is not int:
            return False
        attached(handle_id)
        detach = self._credentials({"janus": "detach"})
        await self._post(f"{url}/{handle_id}", _encode(detach), "detach")
        return True

    def _credentials(self, request: dict[str, Any]) -> dict[str, Any]:
        request["transaction"] = secrets.token_hex(6)
        if self._api_secret is not None:
            request["apisecret"] = self._api_secret
        if self._token is not None:
            request["token"] = self._token
        return request

    def _deliver_event(self, message: dict[str, Any]) -> None:
        sink = self._sink
        if sink is None:
            return
        try:
            sink.message_received(message)
        except Exception:
            logger.exception("failed to handle an event from %s", self.url)

    def _events_lost(self, session_id: int, count: int) -> None:
        if self._sink is not None and not self._closing:
            self._sink.events_lost(session_id, count)

    def _session_gone(self, session_id: int) -> None:
        logger.debug("session %d is gone from %s: polling stops", session_id, self.url)
        self._pollers.pop(session_id, None)
        if self._sink is not None and not self._closing:
            self._sink.session_gone(session_id)

    def _unreachable(self, why: str) -> None:
        if self._sink is not None and not self._closing:
            logger.warning("Janus at %s is unreachable: %s", self.url, why)
            self._sink.connection_lost(
                TransportClosedError(f"Janus at {self.url} cannot be reached: {why}")
            )

    async def close(self) -> None:
        """Stop every long-poll and close the HTTP clients; idempotent.

        Every call returns once all is closed, even if the call that began it was cancelled.
        """
        self._closing = True
        await self._close_once.run(self._close)

    async def _close(self) -> None:
        entries = list(self._pollers.values())
        self._pollers.clear()
        for poller, task in entries:
            poller.stop()
            task.cancel()
        if entries:
            await asyncio.gather(*(task for _, task in entries), return_exceptions=True)
        for client in (self._client, self._poll_client, *self._retired):
            if client is not None:
                await client.close()
        self._retired.clear()
        if self._closers:
            await asyncio.gather(*self._closers, return_exceptions=True)
        self._sink = None


async def _read_body(response: aiohttp.ClientResponse, limit: int) -> bytes:
    """Read a response body of at most ``limit`` bytes."""
    length = response.content_length
    if length is not None and length <= limit:
        return await response.read()
    if length is not None:
        response.release()
        raise MessageTooLargeError(
            f"Janus sent {length} bytes, more than max_message_size ({limit} bytes)"
        )
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.content.iter_chunked(65536):
        size += len(chunk)
        if size > limit:
            raise MessageTooLargeError(
                f"Janus sent more than max_message_size ({limit} bytes) in one answer"
            )
        chunks.append(chunk)
    return b"".join(chunks)


def _decode(body: bytes, what: str, *, strict: bool = False) -> list[dict[str, Any]]:
    """Decode a JSON object or array of objects; drop (or, ``strict``, refuse) the rest.

    Raises:
        ProtocolError: The body is not readable JSON (too deep, truncated, ...), or with
            ``strict`` not a JSON object.
    """
    try:
        decoded = json.loads(body)
    except (ValueError, RecursionError) as exc:
        raise ProtocolError(
            f"{what} is not JSON ({len(body)} bytes, {type(exc).__name__})"
        ) from None
    items = decoded if isinstance(decoded, list) else [decoded]
    messages = [item for item in items if type(item) is dict]
    if len(messages) != len(items):
        if strict:
            raise ProtocolError(f"{what} is not a JSON object")
        dropped = len(items) - len(messages)
        logger.warning("dropped %d item(s) of %s that are not JSON objects", dropped, what)
    return messages


def _probe_plugin(info_body: bytes) -> str | None:
    """Pick the plugin that long-poll probes attach to, from the ``info`` answer."""
    try:
        info = json.loads(info_body)
    except (ValueError, RecursionError):
        return None
    plugins = info.get("plugins") if isinstance(info, dict) else None
    if not isinstance(plugins, dict) or not plugins:
        return None
    names = [name for name in plugins if isinstance(name, str)]
    if "janus.plugin.echotest" in names:
        return "janus.plugin.echotest"
    return min(names) if names else None


def _verify_message(error: BaseException) -> str:
    message = getattr(error, "verify_message", None)
    return str(message) if message else str(error)


def _is_session_gone(body: bytes) -> bool:
    if b'"error"' not in body:
        return False
    try:
        message = json.loads(body)
    except (ValueError, RecursionError):
        return False
    error = protocol.error_of(message) if isinstance(message, dict) else None
    return error is not None and error.code == 458
