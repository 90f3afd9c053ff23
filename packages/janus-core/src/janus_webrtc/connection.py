"""Connections: one transport to Janus, its pending requests and its sessions."""

from __future__ import annotations

import asyncio
import functools
import logging
import math
import ssl as _ssl
from collections.abc import (
    AsyncIterator,
    Awaitable,
    Callable,
    Coroutine,
    Generator,
    Mapping,
    Sequence,
)
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from . import protocol
from .errors import (
    ConnectError,
    JanusError,
    JanusTimeoutError,
    NotSentError,
    OutcomeUnknownError,
    ProtocolError,
    SessionNotFoundError,
    StateError,
    TransportClosedError,
    TransportError,
    TransportLostError,
)
from .events import EventCallback, EventStream, EventWaiter
from .messages import ConnectionState, ConnectionStatusChanged, Event, ServerInfo
from .plugins import PluginRegistry, default_registry
from .reconnect import ReconnectPolicy
from .servers import ServerList
from .session import Session, _data_id
from .transports import Transport, check_url, transport_for_url

if TYPE_CHECKING:
    from aiortc import RTCConfiguration

__all__ = ["Connection", "ConnectionState", "ReconnectPolicy", "connect"]

T = TypeVar("T")
E = TypeVar("E", bound=Event)

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())


_CLOSE_CONCURRENCY = 16
"""Sessions destroyed at once when a connection closes."""

_LATE_REPLY_WINDOW = 120.0
"""Seconds a ``create``/``attach`` that timed out is watched for its late reply."""

_CLEANUP_KINDS = frozenset({"create", "attach"})
"""Requests whose late success leaves something on the server to clean up."""

_REPLY_KINDS = frozenset({"ack", "success", "error", "server_info"})
"""What Janus answers requests with (every other kind is an event)."""


class _Pending:
    """A request waiting for its reply (and, for plugin messages, past the ``ack``)."""

    __slots__ = (
        "acked",
        "deadline",
        "expired",
        "future",
        "kind",
        "limit",
        "poster",
        "session_id",
        "wait_event",
    )

    def __init__(
        self,
        future: asyncio.Future[dict[str, Any]],
        kind: str,
        wait_event: bool,
        deadline: float,
        limit: float,
        session_id: int | None,
    ) -> None:
        self.future = future
        self.kind = kind
        self.wait_event = wait_event
        self.deadline = deadline
        self.limit = limit
        self.session_id = session_id
        self.acked = False
        self.expired = False
        self.poster: asyncio.Task[Any] | None = None
        """The task whose HTTP POST carries the request, cancelled if the deadline passes."""

    def expire(self) -> None:
        if not self.future.done():
            self.expired = True
            self.future.set_exception(
                JanusTimeoutError(f"no reply to {self.kind!r} within {self.limit:g} s")
            )
            if self.poster is not None:
                self.poster.cancel()

    def fail(self, exc: Exception) -> None:
        if not self.future.done():
            self.future.set_exception(exc)


class _LateReply:
    """A ``create`` or ``attach`` given up on: if Janus still answers, undo what it made."""

    __slots__ = ("deadline", "kind", "session_id")

    def __init__(self, kind: str, session_id: int | None, deadline: float) -> None:
        self.kind = kind
        self.session_id = session_id
        self.deadline = deadline


class Connection:
    """A connection to one Janus server, shared by any number of sessions.

    Create it with :func:`connect`. Every request has a timeout; a request that times out or
    fails is forgotten, so nothing waits forever and nothing leaks. A ``create`` or
    ``attach`` whose answer comes after its caller gave up is undone on the server.

    The connection's own events (:class:`ConnectionStatusChanged`) are delivered by
    :meth:`events`, :meth:`on` and :meth:`wait_for`, like a session's.

    Args:
        transport: The transport to use (see :func:`connect` to pick one from a URL).
        api_secret: Janus's ``api_secret``, added to every request.
        token: A Janus auth token, added to every request.
        timeout: Default seconds to wait for any reply.
        keepalive_interval: Seconds between keepalives of each session when the transport
            needs them; ``None`` turns keepalives off. May be changed on an open connection.
        event_queue_size: Capacity of each handle's and session's event queues.
        plugins: The plugin registry (default: the process-wide one).
        reconnect: Make a new transport with this factory when the transport is lost, and
            ``claim`` every open session on it, so sessions and handles survive a drop
            (``None``: a lost transport closes the connection).
        reconnect_policy: How often and for how long to try (default
            :class:`ReconnectPolicy()`: 30 s).
        servers: The servers ``transport`` and ``reconnect`` reach, tried in turn at
            :meth:`open` and after a drop (see :func:`connect`): ``transport`` is then
            ``servers.next_transport()`` and ``reconnect`` ``servers.next_transport``.
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
        reconnect_policy: ReconnectPolicy | None = None,
        servers: ServerList | None = None,
        rtc_configuration: RTCConfiguration | None = None,
        api_secret: str | None = None,
        token: str | None = None,
        timeout: float = 10.0,
        keepalive_interval: float | None = 25.0,
        event_queue_size: int = 1024,
        plugins: PluginRegistry | None = None,
    ) -> None:
        _check_timeout(timeout)
        _check_keepalive_interval(keepalive_interval)
        _check_event_queue_size(event_queue_size)
        self._transport = transport
        self._credentials: dict[str, str] = {}
        """Secrets added to every request at the last moment (never logged)."""
        if api_secret is not None:
            self._credentials["apisecret"] = api_secret
        if token is not None:
            self._credentials["token"] = token
        self._timeout = timeout
        self._keepalive_interval = keepalive_interval
        self._event_queue_size = event_queue_size
        self.plugins = plugins if plugins is not None else default_registry()
        self._ids = protocol.TransactionIds()
        self._pending: dict[str, _Pending] = {}
        self._late: dict[str, _LateReply] = {}
        self._sessions: dict[int, Session] = {}
        self._gone_sessions = protocol.RecentIds()
        """Sessions forgotten lately: a late event for one is expected, not hostile."""
        self._tasks: set[asyncio.Task[Any]] = set()
        self._keepalive_task: asyncio.Task[None] | None = None
        self._sweeper: asyncio.TimerHandle | None = None
        self._sweep_at = math.inf
        self._state = ConnectionState.NEW
        self._events = EventStream(event_queue_size, owner="connection")
        self._last_contact = 0.0
        self.rtc_configuration = rtc_configuration
        self._transport_factory = reconnect
        self._servers = servers
        self.reconnect_policy = reconnect_policy or ReconnectPolicy()
        self._reconnected = asyncio.Event()
        self.reconnections = 0
        """How many times the transport was replaced after a drop."""
        self._claiming = False
        self._claim_dropped: Exception | None = None
        """Why the transport failed while the sessions were being claimed on it."""

    def __repr__(self) -> str:
        return (
            f"<Connection {self._transport!r} {self._state.value} sessions={len(self._sessions)}>"
        )

    # -- life cycle -----------------------------------------------------------------------

    @property
    def state(self) -> ConnectionState:
        """Whether the connection is new, open, reconnecting or closed."""
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
    def url(self) -> str | None:
        """The URL of the server in use: with a server list, the one reached last.

        ``None`` for a connection made from a ``transport`` with no URL.
        """
        return self._servers.current if self._servers is not None else None

    @property
    def servers(self) -> tuple[str, ...]:
        """The URLs of the servers this connection may use, in the order they are tried."""
        return self._servers.urls if self._servers is not None else ()

    @property
    def sessions(self) -> tuple[Session, ...]:
        """The open sessions on this connection."""
        return tuple(self._sessions.values())

    @property
    def pending_requests(self) -> int:
        """How many requests are waiting for a reply."""
        return len(self._pending)

    @property
    def timeout(self) -> float:
        """Seconds a request waits for its answer when it names no ``timeout`` of its own."""
        return self._timeout

    @timeout.setter
    def timeout(self, value: float) -> None:
        _check_timeout(value)
        self._timeout = value

    @property
    def event_queue_size(self) -> int:
        """Capacity of each event queue of the sessions and handles made from now on."""
        return self._event_queue_size

    @event_queue_size.setter
    def event_queue_size(self, value: int) -> None:
        _check_event_queue_size(value)
        self._event_queue_size = value

    @property
    def keepalive_interval(self) -> float | None:
        """Seconds between keepalives (``None``: off); setting it restarts the keepalives."""
        return self._keepalive_interval

    @keepalive_interval.setter
    def keepalive_interval(self, value: float | None) -> None:
        _check_keepalive_interval(value)
        self._keepalive_interval = value
        if self._state in (ConnectionState.OPEN, ConnectionState.RECONNECTING):
            self._restart_keepalives()

    def _set_state(self, state: ConnectionState, reason: str | None = None) -> None:
        previous, self._state = self._state, state
        if previous is not state:
            self._events.publish(ConnectionStatusChanged(state, previous, reason))

    async def open(self) -> None:
        """Open the transport. :func:`connect` does this for you.

        Raises:
            ConnectError: The server cannot be reached.
            StateError: The connection was opened before.
        """
        if self._state is not ConnectionState.NEW:
            raise StateError(f"cannot open: connection is {self._state.value}")
        if self._servers is None:
            await self._transport.open(self)
        else:
            await self._open_a_server(self._servers)
        self._last_contact = asyncio.get_running_loop().time()
        self._set_state(ConnectionState.OPEN)
        self._restart_keepalives()

    async def _open_a_server(self, servers: ServerList) -> None:
        """Open the transport to the first server of the list that answers.

        Raises:
            ConnectError: None of them answered (the message lists each one's failure).
        """
        failures: list[str] = []
        while True:  # the transport given is the first of the round (servers.next_transport)
            try:
                await self._transport.open(self)
            except ConnectError as exc:
                await self._transport.close()
                failures.append(str(exc))
                if servers.round_over:
                    if len(failures) == 1:
                        raise
                    raise ConnectError(
                        f"cannot connect to any of {len(failures)} servers: " + "; ".join(failures)
                    ) from exc
                self._transport = servers.next_transport()
                continue
            url = servers.chosen()
            if failures:
                logger.warning("connected to %s; before it: %s", url, "; ".join(failures))
            return

    def _restart_keepalives(self) -> None:
        if self._keepalive_task is not None:
            self._keepalive_task.cancel()
            self._keepalive_task = None
        if self._transport.keepalive_required and self._keepalive_interval is not None:
            self._keepalive_task = asyncio.get_running_loop().create_task(
                self._keepalive_loop(self._keepalive_interval), name="janus-keepalive"
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

    async def _shutdown(self, reason: Exception | None, *, lost: str | None = None) -> None:
        """Close everything; with ``lost``, report the open sessions lost for that reason."""
        if self._state is ConnectionState.CLOSED:
            return
        self._set_state(ConnectionState.CLOSED, str(reason) if reason is not None else None)
        self._reconnected.set()
        if self._keepalive_task is not None:
            self._keepalive_task.cancel()
        if self._sweeper is not None:
            self._sweeper.cancel()
            self._sweeper = None
        self._fail_pending(reason or TransportClosedError("the connection was closed"))
        self._late.clear()
        for session in list(self._sessions.values()):
            if lost is not None:
                await session._lose(lost)
            else:
                await session._close("connection closed")
        await self._transport.close()
        self._events.close("connection closed")
        tasks = [
            t
            for t in (self._keepalive_task, *self._tasks)
            if t is not None and t is not asyncio.current_task()
        ]
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)

    def _fail_pending(self, exc: Exception, *, session_id: int | None = None) -> None:
        """Fail pending requests: all of them, or those of one session waiting for events."""
        if session_id is None:
            pending, self._pending = self._pending, {}
            for item in pending.values():
                item.fail(exc)
            return
        for item in list(self._pending.values()):
            if item.session_id == session_id and item.wait_event:
                item.fail(exc)

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

    # -- the connection's own events ------------------------------------------------------

    def events(self) -> AsyncIterator[Event]:
        """Iterate the connection's events (:class:`ConnectionStatusChanged`) until it closes."""
        return self._events.backlog

    def on(self, callback: EventCallback, *types: type[Event]) -> Callable[[], None]:
        """Call ``callback(event)`` for each later connection event (of ``types``, if given).

        Returns:
            A function that removes the callback.
        """
        return self._events.on(callback, *types)

    def wait_for(
        self,
        *types: type[E],
        predicate: Callable[[E], bool] | None = None,
        timeout: float | None = None,
    ) -> EventWaiter[E]:
        """Wait for the first later connection event of ``types`` (matching ``predicate``).

        Raises:
            JanusTimeoutError: (when awaited) no such event in time.
            StateError: (when awaited) the connection closed first.
        """
        limit = self.timeout if timeout is None else timeout
        return self._events.wait_for(types or (Event,), predicate, limit)  # type: ignore[arg-type]

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
        _reconnecting: bool = False,
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
            _reconnecting: Sent by the reconnection itself (``claim``), before it is open.
            **more_fields: Further top-level fields.
        """
        limit = self.timeout if timeout is None else timeout
        loop = asyncio.get_running_loop()
        deadline = loop.time() + limit  # waiting to send counts too
        if self._state is not ConnectionState.OPEN and not _reconnecting:
            await self._wait_open(kind, limit)
        transport = self._transport
        if transport.send_waits_for_reply:
            await self._hold_until_ready(transport, kind, session_id, limit, deadline, loop)
        transaction = self._ids.next()
        if more_fields:
            fields = {**fields, **more_fields} if fields else more_fields
        message = protocol.build_request(kind, transaction, session_id, handle_id, fields)
        if self._credentials:
            message.update(self._credentials)
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug("-> %s", protocol.redact(message))
        future: asyncio.Future[dict[str, Any]] = loop.create_future()
        pending = self._pending[transaction] = _Pending(
            future, kind, wait_event, deadline, limit, session_id
        )
        # One timer per connection expires overdue requests (see _sweep): much cheaper
        # than a timer or a timeout scope per request.
        if deadline < self._sweep_at:
            self._schedule_sweep(loop, deadline)
        lost: TransportLostError | None = None
        try:
            if not transport.send_waits_for_reply:
                await transport.send(message)
            elif kind in _CLEANUP_KINDS:
                # HTTP: the POST lasts until the reply. This one runs on its own, so that a
                # reply coming after the caller gave up still arrives (and is undone, see
                # _late); a failed POST fails the future.
                sending = loop.create_task(transport.send(message))
                sending.add_done_callback(functools.partial(_sent, future))
            else:
                # HTTP, nothing to undo if the caller gives up: the POST runs in the caller
                # (no task, no extra loop turns), within the request's deadline.
                await self._post_in_caller(transport, message, pending)
            reply = await future
        except TimeoutError:
            self._watch_late_reply(transaction, kind, session_id, loop)
            raise JanusTimeoutError(f"no reply to {kind!r} within {limit:g} s") from None
        except asyncio.CancelledError:
            self._given_up(transaction, kind, session_id, future, loop)
            raise
        except TransportLostError as exc:
            if _reconnecting:
                raise
            lost = exc
        finally:
            self._pending.pop(transaction, None)
            if future.done() and not future.cancelled():
                future.exception()  # a failure raised from send() instead: mark it seen
        if lost is not None:
            return await self._resend(
                lost,
                transport,
                kind,
                deadline - loop.time(),
                session_id,
                handle_id,
                wait_event,
                fields,
            )
        if reply.get("janus") == "error":
            error = protocol.error_of(reply, request=kind)
            assert error is not None
            if isinstance(error, SessionNotFoundError) and kind not in ("destroy", "claim"):
                session = self._sessions.get(session_id) if session_id is not None else None
                if session is not None and not session._destroying:
                    await session._lose(f"Janus no longer knows the session ({error.reason})")
            raise error
        return reply

    async def _resend(
        self,
        lost: TransportLostError,
        transport: Transport,
        kind: str,
        time_left: float,
        session_id: int | None,
        handle_id: int | None,
        wait_event: bool,
        fields: Mapping[str, Any] | None,
    ) -> dict[str, Any]:
        """Send again, after reconnecting, a request that found its transport lost.

        The socket saw the loss before the connection did (its reader had not run yet):
        the connection learns of it here, reconnects, and the request, which never went out,
        goes out on the new transport within the time it has left.

        Raises:
            TransportLostError: The connection does not reconnect.
            NotSentError: Still reconnecting when the request's time ran out.
            StateError: The connection closed meanwhile.
        """
        if transport is self._transport and self._state is ConnectionState.OPEN:
            self.connection_lost(lost)
            if self._transport_factory is None:
                raise lost  # no reconnection: the connection closes
        logger.info("%r found the transport lost before it went out: sending it again", kind)
        return await self._request(
            kind,
            session_id=session_id,
            handle_id=handle_id,
            timeout=max(time_left, 0.0),
            wait_event=wait_event,
            fields=fields,
        )

    @staticmethod
    async def _post_in_caller(
        transport: Transport, message: dict[str, Any], pending: _Pending
    ) -> None:
        """Send an HTTP request in the calling task; its reply reaches ``pending.future``.

        The POST is bounded by the request's deadline without a timer of its own: the
        connection's sweep (see :meth:`_sweep`) cancels the task when the deadline passes,
        which this turns into a ``TimeoutError``, as ``asyncio.timeout`` would (a timer and
        a timeout scope per request cost about 3 us).

        Raises:
            TimeoutError: The deadline passed first (the POST is cancelled).
            TransportError: The POST failed, unless the connection already failed the
                request with its own reason (closed, lost), which the future then holds.
        """
        task = asyncio.current_task()
        assert task is not None
        cancelling = task.cancelling()
        pending.poster = task
        try:
            await transport.send(message)
        except asyncio.CancelledError:
            # Cancelled by the sweep, and by nobody else: a timeout.
            if pending.expired and task.uncancel() <= cancelling:
                raise TimeoutError from None
            raise
        except TransportError:
            if not pending.future.done():
                raise
        finally:
            pending.poster = None

    @staticmethod
    async def _hold_until_ready(
        transport: Transport,
        kind: str,
        session_id: int | None,
        limit: float,
        deadline: float,
        loop: asyncio.AbstractEventLoop,
    ) -> None:
        """Wait until the transport can take a request of the session, until ``deadline``.

        Raises:
            NotSentError: The transport was not ready within the request's timeout.
        """
        try:
            await transport.wait_ready(session_id, max(deadline - loop.time(), 0.0))
        except TimeoutError:
            raise NotSentError(
                f"{kind!r} not sent within its {limit:g} s: held back all that time, because "
                "the session's reset HTTP long-poll could still have swallowed its answer"
            ) from None

    def _watch_late_reply(
        self, transaction: str, kind: str, session_id: int | None, loop: asyncio.AbstractEventLoop
    ) -> None:
        if kind in _CLEANUP_KINDS and self._state is not ConnectionState.CLOSED:
            deadline = loop.time() + _LATE_REPLY_WINDOW
            self._late[transaction] = _LateReply(kind, session_id, deadline)
            if deadline < self._sweep_at:
                self._schedule_sweep(loop, deadline)

    def _given_up(
        self,
        transaction: str,
        kind: str,
        session_id: int | None,
        future: asyncio.Future[dict[str, Any]],
        loop: asyncio.AbstractEventLoop,
    ) -> None:
        """The caller was cancelled: undo what the request made, now or when it answers."""
        if kind not in _CLEANUP_KINDS:
            return
        if future.done() and not future.cancelled() and future.exception() is None:
            self._undo(kind, session_id, future.result())
        else:
            self._watch_late_reply(transaction, kind, session_id, loop)

    def _undo(self, kind: str, session_id: int | None, reply: Mapping[str, Any]) -> None:
        """Destroy a session, or detach a handle, that Janus made for a caller who left."""
        if reply.get("janus") != "success" or self._state is ConnectionState.CLOSED:
            return
        data = reply.get("data")
        made = data.get("id") if isinstance(data, Mapping) else None
        if type(made) is not int:
            return
        if kind == "create":
            logger.info("destroying session %d: its creator gave up waiting", made)
            self._spawn(self._undo_request("destroy", made, None))
        elif session_id is not None:
            logger.info("detaching handle %d: its creator gave up waiting", made)
            self._spawn(self._undo_request("detach", session_id, made))

    async def _undo_request(self, kind: str, session_id: int, handle_id: int | None) -> None:
        try:
            await self._request(kind, session_id=session_id, handle_id=handle_id)
        except JanusError as exc:
            logger.warning("could not %s an abandoned %s: %s", kind, session_id, exc)

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
        if self._late:
            for transaction, late in list(self._late.items()):
                if late.deadline <= now:
                    del self._late[transaction]
                elif late.deadline < next_at:
                    next_at = late.deadline
        if next_at < math.inf and self._state is not ConnectionState.CLOSED:
            self._schedule_sweep(loop, next_at)

    async def _wait_open(self, kind: str, limit: float) -> None:
        """Wait (within ``limit``) for a reconnection in progress; raise if not open."""
        if self._state is ConnectionState.RECONNECTING:
            try:
                async with asyncio.timeout(limit):
                    # Woken by a reconnection, the connection may have dropped again before
                    # this task ran: then it waits for the next one.
                    while self._state is ConnectionState.RECONNECTING:
                        await self._reconnected.wait()
            except TimeoutError:
                raise NotSentError(
                    f"{kind!r} not sent within its {limit:g} s: still reconnecting"
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
        if self._sessions.pop(session_id, None) is not None:
            self._gone_sessions.add(session_id)
            if self._state is ConnectionState.OPEN:
                self._transport.session_closed(session_id)

    async def _keepalive_loop(self, interval: float) -> None:
        loop = asyncio.get_running_loop()
        while True:
            await asyncio.sleep(interval)
            sessions = [s for s in self._sessions.values() if not s.closed]
            if not sessions or self._state is not ConnectionState.OPEN:
                continue
            started = loop.time()
            results = await asyncio.gather(
                *(s.keepalive() for s in sessions), return_exceptions=True
            )
            silent = False
            for session, result in zip(sessions, results, strict=True):
                if isinstance(result, SessionNotFoundError):
                    self._spawn(session._lose("Janus no longer knows the session (timed out)"))
                elif isinstance(result, JanusTimeoutError):
                    silent = True
                elif isinstance(result, Exception):
                    logger.warning("keepalive of session %d failed: %s", session.id, result)
            if silent and self._last_contact < started and self._state is ConnectionState.OPEN:
                # Not a word from Janus while the keepalives waited: the transport is dead
                # even if no error said so (a stalled network, a frozen server).
                self.connection_lost(
                    TransportClosedError(f"Janus did not answer keepalives for {self.timeout} s")
                )

    # -- MessageSink ----------------------------------------------------------------------

    def message_received(self, message: dict[str, Any]) -> None:
        """Handle one message from the transport: a reply, or an event to route.

        Never raises: a message that cannot be read or routed is logged and dropped.
        """
        try:
            self._route(message)
        except ProtocolError as exc:
            logger.warning("dropped a message from Janus: %s", exc)
        except Exception:
            logger.exception("dropped a message from Janus that could not be handled")

    def _route(self, message: dict[str, Any]) -> None:
        if type(message) is not dict:
            raise ProtocolError(f"a message is a {type(message).__name__}, not a JSON object")
        self._last_contact = asyncio.get_running_loop().time()
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug("<- %s", protocol.redact(message))
        transaction, session_id, _ = protocol.routing_of(message)
        if transaction is not None:
            pending = self._pending.get(transaction)
            if pending is not None:
                if message.get("janus") == "ack" and pending.wait_event:
                    pending.acked = True
                    return
                if not pending.future.done():
                    pending.future.set_result(message)
                return
            late = self._late.pop(transaction, None) if self._late else None
            if late is not None:
                self._undo(late.kind, late.session_id, message)
                return
        kind = message.get("janus")
        if kind in _REPLY_KINDS:  # a reply no request waits for: never an event
            if transaction is not None and self._ids.issued(transaction):
                logger.debug("dropped a %r reply that came after its request ended", kind)
            else:
                logger.warning("dropped a %r reply to no request of this connection", kind)
            return
        session = self._sessions.get(session_id) if session_id is not None else None
        if session is not None:
            session._message_received(message)
        elif session_id in self._gone_sessions:
            logger.debug("dropped a %r message for session %d, which is gone", kind, session_id)
        else:
            logger.warning("dropped a %r message for an unknown session (%s)", kind, session_id)

    def session_gone(self, session_id: int) -> None:
        """The transport learned that Janus no longer knows a session (HTTP 404)."""
        session = self._sessions.get(session_id)
        if session is not None and not session._destroying:
            self._spawn(session._timed_out("Janus no longer knows the session (timed out)"))

    def events_lost(self, session_id: int, count: int) -> None:
        """The transport knows events of a session were lost: fail its waiting requests."""
        session = self._sessions.get(session_id)
        if session is None:
            return
        logger.warning(
            "session %d: %d event(s) from Janus were lost with a reset long-poll",
            session_id,
            count,
        )
        self._fail_pending(
            OutcomeUnknownError(
                f"an event of session {session_id} was lost with a reset HTTP long-poll: "
                "the request may or may not have been carried out"
            ),
            session_id=session_id,
        )
        session._events_lost(count)

    def connection_lost(self, exc: Exception | None) -> None:
        """The transport went away: fail pending requests, then reconnect or close."""
        if self._state is ConnectionState.RECONNECTING and self._claiming:
            # The new transport dropped while the sessions were being claimed on it: the
            # reconnection opens another one (see _reconnect), the sessions are not lost.
            self._claim_dropped = exc or TransportClosedError("the transport closed")
            self._fail_pending(TransportClosedError(f"dropped while claiming: {exc}"))
            return
        if self._state is not ConnectionState.OPEN:
            return
        reason = exc if exc is not None else TransportClosedError("the transport closed")
        self._fail_pending(
            reason
            if isinstance(reason, ProtocolError)
            else OutcomeUnknownError(
                f"the transport dropped before the answer came ({reason}): "
                "the request may or may not have been carried out"
            )
        )
        if self._transport_factory is None:
            logger.warning("connection to Janus lost: %s", reason)
            self._spawn(self._shutdown(reason, lost=f"the connection to Janus was lost: {reason}"))
            return
        logger.warning("connection to Janus lost (%s): reconnecting", reason)
        self._reconnected.clear()
        self._set_state(ConnectionState.RECONNECTING, str(reason))
        self._spawn(self._reconnect(reason))

    async def _reconnect(self, reason: Exception) -> None:
        """Open a new transport and claim every open session on it, or give up and close.

        When the new transport drops too before every session is claimed, another one is
        opened and the sessions are claimed on that one: a drop never costs a session
        Janus still has.
        """
        await self._transport.close()
        while self._state is ConnectionState.RECONNECTING:
            transport = await self._open_replacement(reason)
            if transport is None:  # gave up, or closed by the user meanwhile
                return
            self._transport = transport
            self._last_contact = asyncio.get_running_loop().time()
            self.reconnections += 1
            if await self._claim_all():
                break
            logger.warning(
                "the connection to Janus dropped again while claiming (%s): reconnecting",
                self._claim_dropped,
            )
            await transport.close()
        if self._state is ConnectionState.RECONNECTING:
            self._set_state(
                ConnectionState.OPEN, f"reconnected to {self.url}" if self.url else None
            )
            self._reconnected.set()
            self._restart_keepalives()
            logger.info("reconnected to Janus; %d session(s) claimed", len(self._sessions))

    async def _open_replacement(self, reason: Exception) -> Transport | None:
        """Open a new transport, retrying by the policy; ``None`` when it gave up or closed."""
        assert self._transport_factory is not None
        policy = self.reconnect_policy
        loop = asyncio.get_running_loop()
        started = loop.time()
        deadline = math.inf if policy.give_up_after is None else started + policy.give_up_after
        delays = policy.delays()
        attempts = 0
        servers = self._servers
        if servers is not None:
            servers.start_round()
        while self._state is ConnectionState.RECONNECTING:
            attempts += 1
            transport = self._transport_factory()
            try:
                async with asyncio.timeout(max(deadline - loop.time(), 0.01)):
                    await transport.open(self)
            except asyncio.CancelledError:
                await transport.close()
                raise
            except (ConnectError, TimeoutError) as exc:
                await transport.close()
                # With a server list the next server is tried at once; a wait after each round.
                delay = next(delays) if servers is None or servers.round_over else 0.0
                if servers is not None and servers.round_over:
                    servers.start_round()
                out_of_tries = policy.max_attempts is not None and attempts >= policy.max_attempts
                if out_of_tries or loop.time() + delay >= deadline:
                    waited = loop.time() - started
                    logger.error(
                        "could not reconnect to Janus in %.1f s (%d tries): %s",
                        waited,
                        attempts,
                        exc,
                    )
                    await self._shutdown(
                        reason,
                        lost=f"Janus stayed unreachable for {waited:.1f} s after the "
                        f"connection dropped ({reason}); gave up after {attempts} tries",
                    )
                    return None
                logger.info("reconnect failed (%s); next try in %.2f s", exc, delay)
                await asyncio.sleep(delay)
                continue
            if servers is not None:
                servers.chosen()
            return transport
        return None

    async def _claim_all(self) -> bool:
        """Claim every open session on the new transport; ``False`` if it dropped meanwhile."""
        self._claiming, self._claim_dropped = True, None
        try:
            await asyncio.gather(*(self._claim(s) for s in list(self._sessions.values())))
        finally:
            self._claiming = False
        return self._claim_dropped is None

    async def _claim(self, session: Session) -> None:
        try:
            await self._request("claim", session_id=session.id, _reconnecting=True)
        except TransportError as exc:
            # Not the session's fault: the new transport went too; claimed on the next one.
            self._claim_dropped = self._claim_dropped or exc
            return
        except JanusError as exc:
            logger.warning(
                "session %d could not be claimed after reconnecting: %s", session.id, exc
            )
            where = f" at {self.url}" if self.url is not None else ""
            await session._lose(
                f"Janus{where} could not give the session back after a drop ({exc})"
            )
            return
        self._transport.session_opened(session.id, claimed=True)


def _check_timeout(value: float) -> None:
    if not (value > 0 and math.isfinite(value)):
        raise ValueError(f"timeout must be a positive, finite number of seconds, not {value!r}")


def _check_event_queue_size(value: int) -> None:
    if not (isinstance(value, int) and value >= 1):
        raise ValueError(f"event_queue_size must be an integer of at least 1, not {value!r}")


def _check_keepalive_interval(value: float | None) -> None:
    if value is not None and not value > 0:
        raise ValueError("keepalive_interval must be positive or None")


def _sent(future: asyncio.Future[dict[str, Any]], task: asyncio.Task[None]) -> None:
    """A background send (HTTP) ended: pass its failure, if any, to the request's future."""
    if task.cancelled():
        if not future.done():
            future.set_exception(TransportClosedError("the HTTP request was cancelled"))
        return
    exc = task.exception()
    if exc is not None and not future.done():
        future.set_exception(exc)


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
    url: str | Sequence[str] | None = None,
    *,
    transport: Transport | None = None,
    api_secret: str | None = None,
    token: str | None = None,
    timeout: float = 10.0,
    keepalive_interval: float | None = 25.0,
    event_queue_size: int = 1024,
    plugins: PluginRegistry | None = None,
    reconnect: bool | ReconnectPolicy = True,
    reconnect_timeout: float | None = None,
    rtc_configuration: RTCConfiguration | None = None,
    ssl: _ssl.SSLContext | None = None,
    max_message_size: int | None = None,
    max_connections: int | None = None,
) -> _Opener[Connection]:
    """Open a connection to Janus; use it with ``async with`` or ``await`` it.

    Args:
        url: ``ws://``/``wss://`` for WebSocket, ``http://``/``https://`` (the ``/janus`` base
            path) for HTTP long-poll, ``unix:///path`` (``unix+dgram:///path`` for
            SOCK_DGRAM) for Janus's Unix sockets; or a list of such URLs, servers tried in
            turn at connect and after a drop (:attr:`Connection.url` says which one is in
            use; sessions the server reached cannot give back are reported lost).
        transport: A ready transport instead of ``url`` (for custom or fake transports).
        api_secret: Janus's ``api_secret``, if the server requires one.
        token: An auth token, if the server requires one.
        timeout: Default seconds to wait for any reply, and to connect.
        keepalive_interval: Seconds between keepalives (``None``: off). Keep it below the
            server's ``session_timeout``.
        event_queue_size: Capacity of each event queue (oldest dropped when full).
        plugins: The plugin registry (default: the process-wide one).
        reconnect: With ``url``: when the transport drops, open a new one and ``claim`` the
            open sessions, so sessions and handles survive (``False``: close instead). A
            :class:`ReconnectPolicy` sets attempts, backoff and when to give up.
        reconnect_timeout: Shorthand for ``ReconnectPolicy(give_up_after=...)``.
        rtc_configuration: The aiortc ``RTCConfiguration`` WebRTC handles start with
            (``None``: aiortc's default, which asks a public STUN server).
        ssl: The TLS context for ``wss://`` and ``https://`` (a private CA, a client
            certificate). ``None``: the system's trusted CAs, certificates verified.
        max_message_size: Largest message accepted from Janus, in bytes (default 16 MiB);
            a larger one raises :class:`MessageTooLargeError`.
        max_connections: HTTP only: connections for requests (default 100); each session's
            long-poll holds one more (see docs/transports.md).

    Raises:
        ConnectError: (when awaited) the server cannot be reached.
        ValueError: Neither or both of ``url`` and ``transport``, an unknown scheme, an empty
            list or a server listed twice.
    """
    if (url is None) == (transport is None):
        raise ValueError("give exactly one of url and transport")
    policy = reconnect if isinstance(reconnect, ReconnectPolicy) else ReconnectPolicy()
    if reconnect_timeout is not None:
        policy = ReconnectPolicy(
            give_up_after=reconnect_timeout,
            max_attempts=policy.max_attempts,
            initial_delay=policy.initial_delay,
            max_delay=policy.max_delay,
            factor=policy.factor,
            jitter=policy.jitter,
        )
    servers: ServerList | None = None
    if transport is None:
        assert url is not None

        def make(address: str) -> Transport:
            return transport_for_url(
                address,
                api_secret=api_secret,
                token=token,
                open_timeout=timeout,
                ssl=ssl,
                max_message_size=max_message_size,
                max_connections=max_connections,
            )

        urls = [url] if isinstance(url, str) else list(url)
        servers = ServerList(urls, make)
        for address in urls:
            check_url(address)  # a bad URL anywhere in the list: ValueError now
        transport = servers.next_transport()
    connection = Connection(
        transport,
        reconnect=servers.next_transport
        if servers is not None and reconnect is not False
        else None,
        servers=servers,
        reconnect_policy=policy,
        rtc_configuration=rtc_configuration,
        api_secret=api_secret,
        token=token,
        timeout=timeout,
        keepalive_interval=keepalive_interval,
        event_queue_size=event_queue_size,
        plugins=plugins,
    )
    return _Opener(connection, connection.open, connection.close)
