"""HTTP transport (``http://`` and ``https://``): POST requests and one long-poll per session."""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

import aiohttp

from .. import protocol
from ..errors import ConnectError, StateError, TransportClosedError, TransportError
from .base import MessageSink, Transport

_encode = json.JSONEncoder(separators=(",", ":")).encode
"""One compact encoder, made once (``json.dumps`` with options builds one per call)."""

__all__ = ["HttpTransport"]

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())

_RETRY_DELAYS = (0.1, 0.5, 1.0, 2.0, 5.0)
_POST_ATTEMPTS = 3


class HttpTransport(Transport):
    """Talks to Janus's REST interface with one pooled aiohttp client.

    Requests are POSTed to ``<base>``, ``<base>/<session>`` or ``<base>/<session>/<handle>``; the
    POST's body is the reply. Each open session has one long-poll GET that fetches up to
    ``max_events`` events at a time. Janus counts the start of each long-poll as activity, but
    a poll lasts up to 30 s, so with a ``session_timeout`` below that a session would time out
    mid-poll: keepalives are sent over HTTP too.

    Args:
        url: The base URL, such as ``http://127.0.0.1:8088/janus``.
        api_secret: Sent with each long-poll (requests get it from the connection).
        token: Sent with each long-poll (requests get it from the connection).
        max_events: Events fetched per long-poll (``maxev``).
        open_timeout: Seconds allowed for the initial ``GET <base>/info``.
        request_timeout: Seconds allowed for one POST at the HTTP level.
        max_connections: Connections kept to the server (0: no limit; each session's poll
            holds one).
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
        max_connections: int = 0,
    ) -> None:
        self.url = url.rstrip("/")
        self._api_secret = api_secret
        self._token = token
        self._max_events = max_events
        self._open_timeout = open_timeout
        self._request_timeout = aiohttp.ClientTimeout(total=request_timeout)
        self._poll_timeout = aiohttp.ClientTimeout(total=None, sock_read=75.0)
        self._max_connections = max_connections
        self._client: aiohttp.ClientSession | None = None
        self._sink: MessageSink | None = None
        self._polls: dict[int, asyncio.Task[None]] = {}
        self._closing = False

    def __repr__(self) -> str:
        return f"HttpTransport({self.url!r})"

    async def open(self, sink: MessageSink) -> None:
        """Create the HTTP client and check the server answers ``GET <base>/info``."""
        if self._client is not None or self._closing:
            raise StateError("cannot open: the HTTP transport was already opened")
        client = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=self._max_connections),
            json_serialize=json.dumps,
        )
        try:
            async with client.get(
                f"{self.url}/info", timeout=aiohttp.ClientTimeout(total=self._open_timeout)
            ) as response:
                await response.read()
                if response.status >= 400:
                    raise ConnectError(f"cannot connect to {self.url}: HTTP {response.status}")
        except (aiohttp.ClientError, TimeoutError) as exc:
            await client.close()
            raise ConnectError(
                f"cannot connect to {self.url}: {type(exc).__name__}: {exc}"
            ) from exc
        except BaseException:
            await client.close()
            raise
        self._client = client
        self._sink = sink

    async def send(self, message: dict[str, Any]) -> None:
        """POST one request; its reply (the response body) goes to the sink."""
        client, sink = self._client, self._sink
        if client is None or sink is None or self._closing:
            raise TransportClosedError(f"cannot send: the HTTP transport to {self.url} is closed")
        url = self.url + protocol.http_path(message)
        data = _encode(message)
        for attempt in range(1, _POST_ATTEMPTS + 1):
            try:
                async with client.post(url, data=data, timeout=self._request_timeout) as response:
                    body = await response.read()
                break
            except aiohttp.ServerDisconnectedError as exc:
                # A pooled keep-alive connection the peer had already dropped (a restarted
                # proxy, an idle timeout): the pool may hold several, so retry a few times.
                if attempt < _POST_ATTEMPTS:
                    logger.debug("POST to %s hit a dropped connection; retrying", url)
                    continue
                raise self._post_failed(message, url, exc) from exc
            except (aiohttp.ClientError, TimeoutError) as exc:
                raise self._post_failed(message, url, exc) from exc
        self._deliver(body, url)

    @staticmethod
    def _post_failed(message: dict[str, Any], url: str, exc: BaseException) -> TransportError:
        kind = message.get("janus")
        return TransportError(f"HTTP request {kind!r} to {url} failed: {type(exc).__name__}: {exc}")

    def _deliver(self, body: bytes, url: str) -> None:
        sink = self._sink
        if sink is None:
            return
        try:
            decoded = json.loads(body)
        except ValueError:
            logger.warning("dropped a reply from %s that is not JSON (%d bytes)", url, len(body))
            return
        messages = decoded if isinstance(decoded, list) else [decoded]
        for message in messages:
            if not isinstance(message, dict):
                logger.warning("dropped a JSON message from %s that is not an object", url)
                continue
            if message.get("janus") == "keepalive":
                continue
            try:
                sink.message_received(message)
            except Exception:
                logger.exception("failed to handle a message from %s", url)

    def session_opened(self, session_id: int) -> None:
        """Start long-polling the session's events."""
        if self._client is None or self._closing or session_id in self._polls:
            return
        self._polls[session_id] = asyncio.create_task(
            self._poll(session_id), name=f"janus-http-poll {session_id}"
        )

    def session_closed(self, session_id: int) -> None:
        """Stop long-polling the session's events."""
        task = self._polls.pop(session_id, None)
        if task is not None:
            task.cancel()

    def _poll_params(self) -> dict[str, str]:
        params = {"maxev": str(self._max_events)}
        if self._api_secret is not None:
            params["apisecret"] = self._api_secret
        if self._token is not None:
            params["token"] = self._token
        return params

    async def _poll(self, session_id: int) -> None:
        """Long-poll one session's events until it closes; retries on network errors."""
        assert self._client is not None
        url = f"{self.url}/{session_id}"
        params = self._poll_params()
        failures = 0
        while not self._closing:
            try:
                async with self._client.get(
                    url, params=params, timeout=self._poll_timeout
                ) as response:
                    body = await response.read()
                    status = response.status
            except (aiohttp.ClientError, TimeoutError) as exc:
                if failures >= len(_RETRY_DELAYS):
                    logger.error(
                        "giving up polling session %d at %s: %s",
                        session_id,
                        self.url,
                        type(exc).__name__,
                    )
                    self._polls.pop(session_id, None)
                    if self._sink is not None:
                        self._sink.connection_lost(
                            TransportClosedError(
                                f"long-poll of session {session_id} at {self.url} failed"
                            )
                        )
                    return
                logger.warning(
                    "long-poll of session %d failed (%s), retrying", session_id, type(exc).__name__
                )
                await asyncio.sleep(_RETRY_DELAYS[failures])
                failures += 1
                continue
            if status == 404 or _is_session_gone(body):
                # Janus answers 404 (empty body) once a session is gone. If it timed out while
                # no poll was pending, its timeout event is lost: report the session as timed
                # out so that it closes, instead of polling again at once, forever.
                logger.debug("session %d is gone from %s: polling stops", session_id, self.url)
                self._polls.pop(session_id, None)
                if self._sink is not None:
                    self._sink.message_received({"janus": "timeout", "session_id": session_id})
                return
            if status >= 400:
                logger.warning("long-poll of session %d answered HTTP %d", session_id, status)
                await asyncio.sleep(_RETRY_DELAYS[min(failures, len(_RETRY_DELAYS) - 1)])
                failures += 1
                continue
            failures = 0
            self._deliver(body, url)

    async def close(self) -> None:
        """Stop every long-poll and close the HTTP client; idempotent."""
        if self._closing:
            return
        self._closing = True
        polls = list(self._polls.values())
        self._polls.clear()
        for task in polls:
            task.cancel()
        if polls:
            await asyncio.gather(*polls, return_exceptions=True)
        if self._client is not None:
            await self._client.close()
        self._sink = None


def _is_session_gone(body: bytes) -> bool:
    if b'"error"' not in body:
        return False
    try:
        message = json.loads(body)
    except ValueError:
        return False
    error = protocol.error_of(message) if isinstance(message, dict) else None
    return error is not None and error.code == 458
