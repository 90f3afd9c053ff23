"""Sessions: a client's presence on the Janus server, owning handles."""

from __future__ import annotations

import enum
import logging
from collections.abc import AsyncIterator, Callable
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar, overload

from . import protocol
from .errors import ProtocolError, SessionLostError, SessionNotFoundError, StateError
from .events import EventCallback, EventStream, EventWaiter
from .handle import Handle
from .messages import Event, EventsLost, SessionLost, SessionTimeout

if TYPE_CHECKING:
    from .connection import Connection

__all__ = ["Session", "SessionState"]

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())

H = TypeVar("H", bound=Handle)
E = TypeVar("E", bound=Event)

_FEW_HANDLES = 8
"""Up to this many handles a session keeps them in a tuple (48 bytes for one, where a dict
takes 224: most sessions have one or two); beyond it, in a dict by id."""


class SessionState(enum.Enum):
    """Where a session is in its life."""

    OPEN = "open"
    CLOSED = "closed"


class Session:
    """A Janus session. Create it with :meth:`Connection.create_session`.

    Use it as an async context manager to destroy it on exit::

        async with await conn.create_session() as session:
            handle = await session.attach("echotest")
    """

    __slots__ = (
        "__weakref__",
        "_connection",
        "_destroying",
        "_gone_handles",
        "_handles",
        "_id",
        "_lost_reason",
        "_state",
        "_stream",
    )

    def __init__(self, connection: Connection, session_id: int) -> None:
        self._connection = connection
        self._id = session_id
        self._state = SessionState.OPEN
        self._handles: tuple[Handle, ...] | dict[int, Handle] = ()
        """The attached handles: a tuple while few, then a dict by id (see _FEW_HANDLES)."""
        self._gone_handles: protocol.RecentIds | None = None
        """Handles detached lately: a late event for one is expected, not hostile (made at
        the first detach)."""
        self._stream: EventStream | None = None
        self._destroying = False
        self._lost_reason: str | None = None

    @property
    def _events(self) -> EventStream:
        """The session's event stream, made at first use: most sessions never see an event."""
        stream = self._stream
        if stream is None:
            stream = self._stream = EventStream(
                self._connection.event_queue_size, "session", self._id
            )
            if self._state is SessionState.CLOSED:
                stream.close()
        return stream

    def __repr__(self) -> str:
        return f"<Session id={self._id} {self._state.value} handles={len(self._handles)}>"

    @property
    def id(self) -> int:
        """The session id Janus assigned."""
        return self._id

    @property
    def connection(self) -> Connection:
        """The connection this session lives on."""
        return self._connection

    @property
    def state(self) -> SessionState:
        """Whether the session is open or closed."""
        return self._state

    @property
    def closed(self) -> bool:
        """True once destroyed, timed out, or its connection closed."""
        return self._state is SessionState.CLOSED

    @property
    def lost_reason(self) -> str | None:
        """Why the session was lost (see :class:`SessionLost`), or ``None`` if it was not."""
        return self._lost_reason

    @property
    def handles(self) -> tuple[Handle, ...]:
        """The handles attached through this session and not detached."""
        handles = self._handles
        return tuple(handles.values()) if isinstance(handles, dict) else handles

    def _check_open(self, action: str) -> None:
        if self._state is not SessionState.OPEN:
            if self._lost_reason is not None:
                raise SessionLostError(
                    f"cannot {action}: session {self._id} was lost: {self._lost_reason}",
                    reason=self._lost_reason,
                )
            raise StateError(f"cannot {action}: session {self._id} is {self._state.value}")

    @overload
    async def attach(
        self, plugin: type[H], *, opaque_id: str | None = ..., timeout: float | None = ...
    ) -> H: ...

    @overload
    async def attach(
        self, plugin: str, *, opaque_id: str | None = ..., timeout: float | None = ...
    ) -> Handle: ...

    async def attach(
        self,
        plugin: str | type[Handle],
        *,
        opaque_id: str | None = None,
        timeout: float | None = None,
    ) -> Handle:
        """Attach to a plugin and return a handle for it.

        Args:
            plugin: A short name (``"echotest"``), a plugin id (``"janus.plugin.echotest"``),
                or a handle class. Names resolve through installed plugin packages; an id
                that no package provides gets a generic handle.
            opaque_id: An id of your choice, shown by Janus in the Admin API and events.
            timeout: Seconds to wait (default: the connection's ``timeout``).

        Returns:
            An instance of the handle class registered for the plugin.

        Raises:
            PluginNotFoundError: Janus has no such plugin.
            PluginLoadError: The installed plugin package for it failed to load (the message
                names the package and the cause).
            StateError: The session is closed.
        """
        self._check_open("attach")
        registry = self._connection.plugins
        if isinstance(plugin, str):
            plugin_id = registry.plugin_id(plugin)
            handle_class = registry.handle_class(plugin_id)
        else:
            handle_class = plugin
            plugin_id = plugin.plugin_id
            if not plugin_id:
                raise ValueError(
                    f"{plugin.__name__} has no plugin_id: pass the plugin's name instead"
                )
        reply = await self._connection._request(
            "attach", session_id=self._id, timeout=timeout, plugin=plugin_id, opaque_id=opaque_id
        )
        handle_id = _data_id(reply, "attach")
        if self._state is not SessionState.OPEN:
            raise StateError(f"cannot attach: session {self._id} closed while attaching")
        handle = handle_class(self, handle_id, plugin_id, opaque_id=opaque_id)
        self._add_handle(handle)
        return handle

    def _add_handle(self, handle: Handle) -> None:
        handles = self._handles
        if isinstance(handles, dict):
            handles[handle._id] = handle
        elif len(handles) < _FEW_HANDLES:
            self._handles = (*handles, handle)
        else:
            self._handles = {h._id: h for h in (*handles, handle)}

    def _handle(self, handle_id: int) -> Handle | None:
        handles = self._handles
        if isinstance(handles, dict):
            return handles.get(handle_id)
        for handle in handles:
            if handle._id == handle_id:
                return handle
        return None

    async def keepalive(self, *, timeout: float | None = None) -> None:
        """Tell Janus the session is alive (the connection does it by itself over WebSocket)."""
        self._check_open("send keepalive")
        await self._connection._request("keepalive", session_id=self._id, timeout=timeout)

    async def destroy(self, *, timeout: float | None = None) -> None:
        """Destroy the session and detach its handles. Idempotent.

        The session is closed locally even if Janus cannot be told; the error is raised after.
        A session the server no longer knows (timed out, destroyed elsewhere) is no error.
        """
        if self._state is SessionState.CLOSED:
            return
        self._destroying = True
        try:
            if not self._connection.closed:
                await self._connection._request("destroy", session_id=self._id, timeout=timeout)
        except SessionNotFoundError:
            logger.debug("session %d was already gone from the server", self._id)
        finally:
            await self._close("destroyed")

    async def _lose(self, reason: str) -> None:
        """The session is gone without being destroyed: tell everyone why, then close."""
        if self._state is SessionState.CLOSED:
            return
        logger.warning("session %d lost: %s", self._id, reason)
        self._lost_reason = reason
        event = SessionLost(reason)
        handles = self.handles
        for handle in handles:
            handle._session_lost(event)
        self._events.publish(event)
        await self._close(f"lost: {reason}", handles)

    async def _timed_out(self, reason: str) -> None:
        """Janus destroyed the session for lack of keepalives: report it, then lose it."""
        if self._state is SessionState.CLOSED:
            return
        self._events.publish(SessionTimeout())
        await self._lose(reason)

    def _events_lost(self, count: int) -> None:
        """Events of this session were lost on the way: tell the session's and handles' users."""
        event = EventsLost(count)
        for handle in self.handles:
            handle._publish(event)
        self._events.publish(event)

    async def _close(self, reason: str, handles: tuple[Handle, ...] | None = None) -> None:
        """Close locally: detach every handle, end the event stream, forget the session."""
        if self._state is SessionState.CLOSED:
            return
        self._state = SessionState.CLOSED
        self._connection._forget_session(self._id)
        for handle in handles if handles is not None else self.handles:
            await handle._mark_detached(f"detached ({reason} session)")
        self._handles = ()
        if self._stream is not None:
            await self._stream.aclose()

    def _forget_handle(self, handle_id: int) -> None:
        handles = self._handles
        if isinstance(handles, dict):
            known = handles.pop(handle_id, None) is not None
        else:
            kept = tuple(handle for handle in handles if handle._id != handle_id)
            known = len(kept) < len(handles)
            self._handles = kept
        if known:
            if self._gone_handles is None:
                self._gone_handles = protocol.RecentIds()
            self._gone_handles.add(handle_id)

    def _message_received(self, message: dict[str, Any]) -> None:
        """Route a message Janus addressed to this session (or one of its handles)."""
        sender = message.get("sender")
        if sender is not None:
            handle = self._handle(sender)
            if handle is None:
                if self._gone_handles is not None and sender in self._gone_handles:
                    logger.debug(
                        "session %d: event for detached handle %d dropped", self._id, sender
                    )
                else:
                    logger.warning(
                        "session %d: dropped an event for an unknown handle (%s)", self._id, sender
                    )
                return
            handle._message_received(message)
            return
        event = protocol.parse_event(message)
        if isinstance(event, SessionTimeout):
            if not self._destroying:
                self._connection._spawn(self._timed_out("Janus timed the session out"))
            return
        self._events.publish(event)

    def events(self) -> AsyncIterator[Event]:
        """Iterate session-level events until it closes.

        A session that ends without :meth:`destroy` (Janus timed it out, restarted, or stayed
        unreachable) delivers :class:`SessionLost` last, after :class:`SessionTimeout` when
        Janus timed it out.
        """
        return self._events.backlog

    def on(self, callback: EventCallback, *types: type[Event]) -> Callable[[], None]:
        """Call ``callback(event)`` for each later session event (of ``types``, if given)."""
        return self._events.on(callback, *types)

    def wait_for(
        self,
        *types: type[E],
        predicate: Callable[[E], bool] | None = None,
        timeout: float | None = None,
    ) -> EventWaiter[E]:
        """Wait for the first later session event of ``types`` (and matching ``predicate``).

        It listens from the moment it is called, so create it before what causes the event.

        Raises:
            JanusTimeoutError: (when awaited) no such event in time.
            StateError: (when awaited) the session closed first.
        """
        limit = self._connection.timeout if timeout is None else timeout
        return self._events.wait_for(types or (Event,), predicate, limit)  # type: ignore[arg-type]

    async def __aenter__(self) -> Session:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.destroy()


def _data_id(reply: dict[str, Any], request: str) -> int:
    """Read ``data.id`` from a ``success`` reply to create, attach or claim."""
    data = reply.get("data")
    value = data.get("id") if isinstance(data, dict) else None
    if not isinstance(value, int):
        raise ProtocolError(f"the reply to {request!r} carries no id")
    return value
