"""Connections: one transport to Janus, its pending requests and its sessions."""

from __future__ import annotations

import asyncio
import enum
import logging
import math
from collections.abc import Awaitable, Callable, Coroutine, Generator, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from . import protocol
from .errors import (
    ConnectError,
    JanusError,
    JanusTimeoutError,
    StateError,
    TransportClosedError,
)
from .messages import ServerInfo
from .plugins import PluginRegistry, default_registry
from .session import Session, _data_id
from .transports import Transport, transport_for_url

if TYPE_CHECKING:
    from aiortc import RTCConfiguration

__all__ = ["Connection", "ConnectionState", "connect"]

T = TypeVar("T")

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())


_CLOSE_CONCURRENCY = 16
"""Sessions destroyed at once when a connection closes."""


class ConnectionState(enum.Enum):
    """Where a connection is in its life."""

    NEW = "new"
    OPEN = "open"
    RECONNECTING = "reconnecting"
    CLOSED = "closed"


class _Pending:
    """A request waiting for its reply (and, for plugin messages, past the ``ack``)."""

    __slots__ = ("deadline", "future", "kind", "limit", "wait_event")

    def __init__(
        self,
        future: asyncio.Future[dict[str, Any]],
        kind: str,
        wait_event: bool,
        deadline: float,
        limit: float,
    ) -> None:
        self.future = future
        self.kind = kind
        self.wait_event = wait_event
        self.deadline = deadline
        self.limit = limit

    def expire(self) -> None:
        if not self.future.done():
            self.future.set_exception(
                JanusTimeoutError(f"no reply to {self.kind!r} within {self.limit} s")
            )


class Connection:
    """A connection to one Janus server, shared by any number of sessions.

    Create it with :func:`connect`. Every request has a timeout; a request that times out or
    fails is forgotten, so nothing waits forever and nothing leaks.

    Args:
        transport: The transport to use (see :func:`connect` to pick one from a URL).
        api_secret: Janus's ``api_secret``, added to every request.
        token: A Janus auth token, added to every request.
        timeout: Default seconds to wait for any reply.
        keepalive_interval: Seconds between keepalives of each session when the transport
            needs them (WebSocket); ``None`` turns keepalives off.
        event_queue_size: Capacity of each handle's and session's event queues.
        plugins: The plugin registry (default: the process-wide one).
        reconnect: Make a new transport with this factory when the transport is lost, and
            ``claim`` every open session on it, so sessions and handles survive a drop
            (``None``: a lost transport closes the connection).
        reconnect_timeout: Seconds to keep trying before giving up and closing. Keep it
            below the server's ``reclaim_session_timeout``, after which claims fail.
        rtc_configuration: The aiortc ``RTCConfiguration`` (ICE servers) that WebRTC handles
            on this connection start with. ``None`` keeps aiortc's default, which asks a
            public STUN server (Google's); pass ``RTCConfiguration(iceServers=[])`` to keep
            ICE to local candidates, as the test fixtures do.
    """

    def __init__(
        self,
        transport: Transport,
        *,
        reconnect: Callable[[], Transport] | None = None,
        reconnect_timeout: float = 30.0,
        rtc_configuration: RTCConfiguration | None = None,
        api_secret: str | None = None,
        token: str | None = None,
        timeout: float = 10.0,
        keepalive_interval: float | None = 25.0,
        event_queue_size: int = 1024,
        plugins: PluginRegistry | None = None,
    ) -> None:
        if timeout <= 0:
            raise ValueError("timeout must be positive")
        if keepalive_interval is not None and keepalive_interval <= 0:
            raise ValueError("keepalive_interval must be positive or None")
        if event_queue_size < 1:
            raise ValueError("event_queue_size must be at least 1")
        self._transport = transport
        self._credentials: dict[str, str] = {}
        """Secrets added to every request at the last moment (never logged)."""
        if api_secret is not None:
            self._credentials["apisecret"] = api_secret
        if token is not None:
            self._credentials["token"] = token
        self.timeout = timeout
        self.keepalive_interval = keepalive_interval
        self.event_queue_size = event_queue_size
        self.plugins = plugins if plugins is not None else default_registry()
        self._ids = protocol.TransactionIds()
        self._pending: dict[str, _Pending] = {}
        self._sessions: dict[int, Session] = {}
        self._tasks: set[asyncio.Task[Any]] = set()
        self._keepalive_task: asyncio.Task[None] | None = None
        self._sweeper: asyncio.TimerHandle | None = None
        self._sweep_at = math.inf
        self._state = ConnectionState.NEW
        self.rtc_configuration = rtc_configuration
        self._transport_factory = reconnect
        self.reconnect_timeout = reconnect_timeout
        self._reconnected = asyncio.Event()
        self.reconnections = 0
        """How many times the transport was replaced after a drop."""

    def __repr__(self) -> str:
        return (
            f"<Connection {self._transport!r} {self._state.value} sessions={len(self._sessions)}>"
        )

    # -- life cycle -----------------------------------------------------------------------

    @property
    def state(self) -> ConnectionState:
        """Whether the connection is new, open or closed."""
        return self._state

    @property
    def closed(self) -> bool:
        """True once closed by the user or lost."""
        return self._state is ConnectionState.CLOSED

    @property
    def transport(self) -> Transport:
        """The transport in use."""
        return self._transport

    @property
    def sessions(self) -> tuple[Session, ...]:
        """The open sessions on this connection."""
        return tuple(self._sessions.values())

    @property
    def pending_requests(self) -> int:
        """How many requests are waiting for a reply."""
        return len(self._pending)

    async def open(self) -> None:
        """Open the transport. :func:`connect` does this for you.

        Raises:
            ConnectError: The server cannot be reached.
            StateError: The connection was opened before.
        """
        if self._state is not ConnectionState.NEW:
            raise StateError(f"cannot open: connection is {self._state.value}")
        await self._transport.open(self)
        self._state = ConnectionState.OPEN
        if self._transport.keepalive_required and self.keepalive_interval is not None:
            self._keepalive_task = asyncio.create_task(
                self._keepalive_loop(), name="janus-keepalive"
            )

    async def close(self, *, destroy_sessions: bool = True) -> None:
        """Close the connection; idempotent.

        Args:
            destroy_sessions: First destroy the sessions still open (best effort, with a
                short timeout), so Janus frees them at once instead of at timeout.
        """
        if self._state is ConnectionState.CLOSED:
            return
        if destroy_sessions and self._state is ConnectionState.OPEN and self._sessions:
            # A few at a time: over HTTP each destroy needs a connection of its own while
            # every session's long-poll holds one, and Janus caps its connections.
            limit = asyncio.Semaphore(_CLOSE_CONCURRENCY)

            async def destroy(session: Session) -> None:
                async with limit:
                    await session.destroy(timeout=min(self.timeout, 2.0))

            await asyncio.gather(
                *(destroy(s) for s in list(self._sessions.values())), return_exceptions=True
            )
        await self._shutdown(None)

    async def _shutdown(self, reason: Exception | None) -> None:
        if self._state is ConnectionState.CLOSED:
            return
        self._state = ConnectionState.CLOSED
        self._reconnected.set()
        if self._keepalive_task is not None:
            self._keepalive_task.cancel()
        if self._sweeper is not None:
            self._sweeper.cancel()
            self._sweeper = None
        self._fail_pending(reason or TransportClosedError("the connection was closed"))
        for session in list(self._sessions.values()):
            await session._close("connection closed")
        await self._transport.close()
        tasks = [
            t
            for t in (self._keepalive_task, *self._tasks)
            if t is not None and t is not asyncio.current_task()
        ]
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)

    def _fail_pending(self, exc: Exception) -> None:
        pending, self._pending = self._pending, {}
        for item in pending.values():
            if not item.future.done():
                item.future.set_exception(exc)

    async def __aenter__(self) -> Connection:
        if self._state is ConnectionState.NEW:
            await self.open()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    def _spawn(self, coroutine: Coroutine[Any, Any, Any]) -> None:
        """Run a coroutine as a task owned by the connection (cancelled at close)."""
        task = asyncio.get_running_loop().create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._task_done)

    def _task_done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            logger.error("background task of %r failed", self, exc_info=task.exception())

    # -- requests -------------------------------------------------------------------------

    async def _request(
        self,
        kind: str,
        *,
        session_id: int | None = None,
        handle_id: int | None = None,
        timeout: float | None = None,
        wait_event: bool = False,
        fields: Mapping[str, Any] | None = None,
        **more_fields: Any,
    ) -> dict[str, Any]:
        """Send one request and return its reply; raise on ``error`` replies.

        Args:
            kind: The request (``create``, ``attach``, ``message``, ...).
            session_id: The session it is for.
            handle_id: The handle it is for.
            timeout: Seconds to wait (default :attr:`timeout`).
            wait_event: Wait past an ``ack`` for the ``event`` with the same transaction.
            fields: Further top-level fields (for names such as ``timeout`` that clash).
            **more_fields: Further top-level fields.
        """
        limit = self.timeout if timeout is None else timeout
        if self._state is not ConnectionState.OPEN:
            await self._wait_open(kind, limit)
        transaction = self._ids.next()
        if more_fields:
            fields = {**fields, **more_fields} if fields else more_fields
        message = protocol.build_request(kind, transaction, session_id, handle_id, fields)
        if self._credentials:
            message.update(self._credentials)
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug("-> %s", protocol.redact(message))
        loop = asyncio.get_running_loop()
        future: asyncio.Future[dict[str, Any]] = loop.create_future()
        deadline = loop.time() + limit
        self._pending[transaction] = _Pending(future, kind, wait_event, deadline, limit)
        try:
            if self._transport.send_waits_for_reply:
                # HTTP: the POST itself lasts until the reply, so bound the whole exchange
                async with asyncio.timeout(limit):
                    await self._transport.send(message)
                    reply = await future
            else:
                # One timer per connection expires overdue requests (see _sweep): much
                # cheaper than a timer or a timeout scope per request.
                if deadline < self._sweep_at:
                    self._schedule_sweep(loop, deadline)
                await self._transport.send(message)
                reply = await future
        except TimeoutError:
            raise JanusTimeoutError(f"no reply to {kind!r} within {limit} s") from None
        finally:
            self._pending.pop(transaction, None)
        if reply.get("janus") == "error":
            error = protocol.error_of(reply, request=kind)
            assert error is not None
            raise error
        return reply

    def _schedule_sweep(self, loop: asyncio.AbstractEventLoop, when: float) -> None:
        if self._sweeper is not None:
            self._sweeper.cancel()
        self._sweep_at = when
        self._sweeper = loop.call_at(when, self._sweep, loop)

    def _sweep(self, loop: asyncio.AbstractEventLoop) -> None:
        """Fail the requests whose deadline has passed; wake again at the next deadline."""
        self._sweeper = None
        self._sweep_at = math.inf
        now = loop.time()
        next_at = math.inf
        for pending in self._pending.values():
            if pending.deadline <= now:
                pending.expire()
            elif pending.deadline < next_at:
                next_at = pending.deadline
        if next_at < math.inf and self._state is not ConnectionState.CLOSED:
            self._schedule_sweep(loop, next_at)

    async def _wait_open(self, kind: str, limit: float) -> None:
        """Wait (within ``limit``) for a reconnection in progress; raise if not open."""
        if self._state is ConnectionState.RECONNECTING:
            try:
                async with asyncio.timeout(limit):
                    await self._reconnected.wait()
            except TimeoutError:
                raise JanusTimeoutError(
                    f"cannot send {kind!r}: still reconnecting after {limit} s"
                ) from None
        if self._state is not ConnectionState.OPEN:
            raise StateError(f"cannot send {kind!r}: connection is {self._state.value}")

    async def info(self, *, timeout: float | None = None) -> ServerInfo:
        """Ask Janus about itself: version, settings, plugins and transports."""
        return protocol.parse_server_info(await self._request("info", timeout=timeout))

    async def create_session(self, *, timeout: float | None = None) -> Session:
        """Create a new session on the server.

        Returns:
            The session; use ``async with`` to destroy it when done.
        """
        reply = await self._request("create", timeout=timeout)
        session_id = _data_id(reply, "create")
        session = Session(self, session_id)
        self._sessions[session_id] = session
        self._transport.session_opened(session_id)
        return session

    def _forget_session(self, session_id: int) -> None:
        if self._sessions.pop(session_id, None) is not None and self._state is ConnectionState.OPEN:
            self._transport.session_closed(session_id)

    async def _keepalive_loop(self) -> None:
        assert self.keepalive_interval is not None
        while True:
            await asyncio.sleep(self.keepalive_interval)
            sessions = [s for s in self._sessions.values() if not s.closed]
            if not sessions:
                continue
            results = await asyncio.gather(
                *(s.keepalive() for s in sessions), return_exceptions=True
            )
            for session, result in zip(sessions, results, strict=True):
                if isinstance(result, Exception):
                    logger.warning("keepalive of session %d failed: %s", session.id, result)

    # -- MessageSink ----------------------------------------------------------------------

    def message_received(self, message: Any) -> None:
        """Handle one message from the transport: a reply, or an event to route."""
        if not isinstance(message, dict):
            logger.warning(
                "dropped a message that is not a JSON object: %s", type(message).__name__
            )
            return
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug("<- %s", protocol.redact(message))
        transaction = message.get("transaction")
        if transaction is not None:
            pending = self._pending.get(transaction)
            if pending is not None:
                kind = message.get("janus")
                if kind == "ack" and pending.wait_event:
                    return
                if not pending.future.done():
                    pending.future.set_result(message)
                return
        session_id = message.get("session_id")
        session = self._sessions.get(session_id) if isinstance(session_id, int) else None
        if session is not None:
            session._message_received(message)
        elif message.get("janus") not in ("ack", "success", "error"):
            logger.debug("dropped a %r message for no known session", message.get("janus"))

    def connection_lost(self, exc: Exception | None) -> None:
        """The transport went away: fail pending requests, then reconnect or close."""
        if self._state is not ConnectionState.OPEN:
            return
        reason = exc if exc is not None else TransportClosedError("the transport closed")
        self._fail_pending(reason)
        if self._transport_factory is None:
            logger.warning("connection to Janus lost: %s", reason)
            self._spawn(self._shutdown(reason))
            return
        logger.warning("connection to Janus lost (%s): reconnecting", reason)
        self._state = ConnectionState.RECONNECTING
        self._reconnected.clear()
        self._spawn(self._reconnect(reason))

    async def _reconnect(self, reason: Exception) -> None:
        """Open a new transport and claim every open session on it, or give up and close."""
        assert self._transport_factory is not None
        await self._transport.close()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.reconnect_timeout
        delay = 0.05
        while self._state is ConnectionState.RECONNECTING:
            transport = self._transport_factory()
            try:
                async with asyncio.timeout(max(deadline - loop.time(), 0.01)):
                    await transport.open(self)
            except asyncio.CancelledError:
                await transport.close()
                raise
            except (ConnectError, TimeoutError) as exc:
                await transport.close()
                if loop.time() + delay >= deadline:
                    logger.error("could not reconnect to Janus within %s s", self.reconnect_timeout)
                    await self._shutdown(reason)
                    return
                logger.info("reconnect failed (%s); next try in %.2f s", exc, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 2.0)
                continue
            self._transport = transport
            self._state = ConnectionState.OPEN
            break
        else:  # closed by the user meanwhile
            return
        self.reconnections += 1
        await asyncio.gather(*(self._claim(s) for s in list(self._sessions.values())))
        self._reconnected.set()
        logger.info("reconnected to Janus; %d session(s) claimed", len(self._sessions))

    async def _claim(self, session: Session) -> None:
        try:
            await self._request("claim", session_id=session.id)
        except JanusError as exc:
            logger.warning(
                "session %d could not be claimed after reconnecting: %s", session.id, exc
            )
            await session._close("lost")
            return
        self._transport.session_opened(session.id)


class _Opener(Generic[T]):
    """What :func:`connect` returns: await it for the open object, or use ``async with``.

    Args:
        target: The object to open.
        opener: Opens it.
        closer: Closes it (on leaving ``async with``).
    """

    def __init__(
        self,
        target: T,
        opener: Callable[[], Awaitable[object]],
        closer: Callable[[], Awaitable[object]],
    ) -> None:
        self._target = target
        self._open_target = opener
        self._close_target = closer

    def __await__(self) -> Generator[Any, None, T]:
        return self._open().__await__()

    async def _open(self) -> T:
        await self._open_target()
        return self._target

    async def __aenter__(self) -> T:
        return await self._open()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self._close_target()


def connect(
    url: str | None = None,
    *,
    transport: Transport | None = None,
    api_secret: str | None = None,
    token: str | None = None,
    timeout: float = 10.0,
    keepalive_interval: float | None = 25.0,
    event_queue_size: int = 1024,
    plugins: PluginRegistry | None = None,
    reconnect: bool = True,
    reconnect_timeout: float = 30.0,
    rtc_configuration: RTCConfiguration | None = None,
) -> _Opener[Connection]:
    """Open a connection to Janus; use it with ``async with`` or ``await`` it.

    Args:
        url: ``ws://``/``wss://`` for WebSocket, ``http://``/``https://`` (the ``/janus`` base
            path) for HTTP long-poll.
        transport: A ready transport instead of ``url`` (for custom or fake transports).
        api_secret: Janus's ``api_secret``, if the server requires one.
        token: An auth token, if the server requires one.
        timeout: Default seconds to wait for any reply, and to connect.
        keepalive_interval: Seconds between keepalives over WebSocket (``None``: off). Keep it
            below the server's ``session_timeout``.
        event_queue_size: Capacity of each event queue (oldest dropped when full).
        plugins: The plugin registry (default: the process-wide one).
        reconnect: With ``url``: when the transport drops, open a new one and ``claim`` the
            open sessions, so sessions and handles survive (``False``: close instead).
        reconnect_timeout: Seconds to keep trying to reconnect before closing.
        rtc_configuration: The aiortc ``RTCConfiguration`` WebRTC handles start with
            (``None``: aiortc's default, which asks a public STUN server).

    Raises:
        ConnectError: (when awaited) the server cannot be reached.
        ValueError: Neither or both of ``url`` and ``transport``, or an unknown scheme.
    """
    if (url is None) == (transport is None):
        raise ValueError("give exactly one of url and transport")
    factory: Callable[[], Transport] | None = None
    if transport is None:
        assert url is not None
        address = url

        def factory() -> Transport:
            return transport_for_url(
                address, api_secret=api_secret, token=token, open_timeout=timeout
            )

        transport = factory()
    connection = Connection(
        transport,
        reconnect=factory if reconnect else None,
        reconnect_timeout=reconnect_timeout,
        rtc_configuration=rtc_configuration,
        api_secret=api_secret,
        token=token,
        timeout=timeout,
        keepalive_interval=keepalive_interval,
        event_queue_size=event_queue_size,
        plugins=plugins,
    )
    return _Opener(connection, connection.open, connection.close)
