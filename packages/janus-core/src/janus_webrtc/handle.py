"""Handles: one attachment of a session to a Janus plugin."""

from __future__ import annotations

import enum
import functools
import logging
from collections.abc import AsyncIterator, Callable, Coroutine, Iterable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar, final, overload

from . import protocol
from .errors import (
    HandleNotFoundError,
    PluginError,
    SessionLostError,
    SessionNotFoundError,
    StateError,
)
from .events import EventCallback, EventQueue, EventStream, EventWaiter
from .messages import (
    Candidate,
    Detached,
    Event,
    Jsep,
    PluginEvent,
    PluginResponse,
    SessionLost,
)
from .plugin_kit import plugin_error

if TYPE_CHECKING:
    from .session import Session

__all__ = ["Handle", "HandleState"]

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())

E = TypeVar("E", bound=Event)


class HandleState(enum.Enum):
    """Where a handle is in its life."""

    ATTACHED = "attached"
    DETACHED = "detached"


class Handle:
    """A session's attachment to one Janus plugin.

    Plugin packages subclass it (usually through ``WebRTCHandle``), set :attr:`plugin_id`, and
    add one method per plugin request. Do not construct handles directly: use
    :meth:`Session.attach`.

    Attributes:
        plugin_id: Class attribute: the Janus plugin this class talks to (empty: any).
        error_class: Class attribute: the exception raised for the plugin's errors.
    """

    plugin_id: ClassVar[str] = ""
    error_class: ClassVar[type[PluginError]] = PluginError

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """Check a plugin package's class settings when the class is defined, not at attach.

        Raises:
            TypeError: ``plugin_id`` is not a string, or ``error_class`` not a ``PluginError``
                subclass.
            ValueError: ``plugin_id`` has spaces or no dot (``"janus.plugin.echotest"``).
        """
        super().__init_subclass__(**kwargs)
        if not isinstance(cls.plugin_id, str):
            raise TypeError(f"{cls.__name__}.plugin_id must be a str, not {cls.plugin_id!r}")
        if cls.plugin_id and ("." not in cls.plugin_id or cls.plugin_id != cls.plugin_id.strip()):
            raise ValueError(
                f"{cls.__name__}.plugin_id {cls.plugin_id!r} is not a plugin id "
                "such as 'janus.plugin.echotest'"
            )
        error_class: object = cls.error_class
        if not (isinstance(error_class, type) and issubclass(error_class, PluginError)):
            raise TypeError(
                f"{cls.__name__}.error_class must be a PluginError subclass, not {error_class!r}"
            )

    def __init__(
        self, session: Session, handle_id: int, plugin: str, *, opaque_id: str | None = None
    ) -> None:
        self._session = session
        self._id = handle_id
        self._plugin = plugin
        self._opaque_id = opaque_id
        self._state = HandleState.ATTACHED

    @functools.cached_property
    def _events(self) -> EventStream:
        """The handle's event stream, made at first use (many handles never see an event)."""
        return EventStream(self._session.connection.event_queue_size, "handle", self._id)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} id={self._id} plugin={self._plugin!r} {self._state.value}>"

    # -- state ----------------------------------------------------------------------------

    @property
    def id(self) -> int:
        """The handle id Janus assigned."""
        return self._id

    @property
    def plugin(self) -> str:
        """The plugin id this handle is attached to, such as ``"janus.plugin.echotest"``."""
        return self._plugin

    @property
    def opaque_id(self) -> str | None:
        """The opaque id given at attach, if any."""
        return self._opaque_id

    @property
    def session(self) -> Session:
        """The session this handle belongs to."""
        return self._session

    @property
    def state(self) -> HandleState:
        """Whether the handle is attached or detached."""
        return self._state

    @property
    def detached(self) -> bool:
        """True once the handle was detached (by the user, Janus, or its session closing)."""
        return self._state is HandleState.DETACHED

    def _check_attached(self, action: str) -> None:
        if self._state is not HandleState.ATTACHED:
            lost = self._session.lost_reason
            if lost is not None:
                raise SessionLostError(
                    f"cannot {action}: handle {self._id} is gone with its session "
                    f"{self._session.id}, which was lost: {lost}",
                    reason=lost,
                )
            raise StateError(f"cannot {action}: handle {self._id} is {self._state.value}")

    # -- requests -------------------------------------------------------------------------

    async def send(
        self, body: Mapping[str, Any], *, jsep: Jsep | None = None, timeout: float | None = None
    ) -> PluginResponse:
        """Send a request to the plugin and return its answer.

        Synchronous plugin requests are answered at once; asynchronous ones are acknowledged by
        Janus first, and this waits past the ``ack`` for the plugin's event.

        Args:
            body: The plugin request, such as ``{"request": "list"}``.
            jsep: A session description to send with it.
            timeout: Seconds to wait (default: the connection's ``timeout``).

        Returns:
            The plugin's answer.

        Raises:
            PluginError: The plugin answered with an error: :attr:`error_class`, or the
                subclass declared for its code.
            ServerError: Janus refused the request.
            JanusTimeoutError: No answer in time.
            StateError: The handle is detached.
        """
        if self._state is not HandleState.ATTACHED:
            self._check_attached("send a message")
        session = self._session
        fields: dict[str, Any] = {"body": body if type(body) is dict else dict(body)}
        if jsep is not None:
            fields["jsep"] = protocol.jsep_to_wire(jsep)
        reply = await session._connection._request(
            "message",
            session_id=session._id,
            handle_id=self._id,
            timeout=timeout,
            wait_event=True,
            fields=fields,
        )
        response = protocol.parse_plugin_response(reply)
        failure = plugin_error(
            response.data, self.error_class, plugin=response.plugin or self._plugin
        )
        if failure is not None:
            raise failure
        return response

    def _limit(self, timeout: float | None) -> float:
        """Seconds to wait: ``timeout``, or the connection's ``timeout`` when it is None.

        For subclasses that wait themselves (for an event, a data channel answer), so that
        every wait of a plugin package defaults the same way as :meth:`send`.
        """
        return self._session.connection.timeout if timeout is None else timeout

    async def trickle(
        self,
        candidates: Candidate | Iterable[Candidate] | None = None,
        *,
        completed: bool = False,
        timeout: float | None = None,
    ) -> None:
        """Send ICE candidates to Janus: one, a batch, and/or the end of candidates.

        Args:
            candidates: One candidate or several.
            completed: Also tell Janus that gathering is complete.
            timeout: Seconds to wait for Janus's ``ack``.
        """
        self._check_attached("trickle")
        batch: list[Candidate | None]
        if candidates is None:
            batch = []
        elif isinstance(candidates, Candidate):
            batch = [candidates]
        else:
            batch = list(candidates)
        if completed:
            batch.append(None)
        if not batch:
            raise ValueError("trickle needs at least one candidate or completed=True")
        if len(batch) == 1:
            await self._request(
                "trickle", timeout=timeout, candidate=protocol.candidate_to_wire(batch[0])
            )
        else:
            await self._request(
                "trickle", timeout=timeout, candidates=protocol.candidates_to_wire(batch)
            )

    async def hangup(self, *, timeout: float | None = None) -> None:
        """Ask Janus to close this handle's PeerConnection; the handle stays attached.

        Plugin handles may override it with what hanging up means to their plugin (VideoCall
        sends its own ``hangup`` request); :meth:`janus_hangup` stays Janus's core request.
        """
        await self.janus_hangup(timeout=timeout)

    @final
    async def janus_hangup(self, *, timeout: float | None = None) -> None:
        """Send Janus's core ``hangup`` request: close this handle's PeerConnection on Janus.

        Final, so that it means the same on every handle class: the core and plugin packages
        call it where they need exactly this request, whatever :meth:`hangup` does.

        Raises:
            StateError: The handle is detached.
        """
        self._check_attached("hang up")
        await self._request("hangup", timeout=timeout)

    async def detach(self, *, timeout: float | None = None) -> None:
        """Detach from the plugin. Idempotent: detaching a detached handle does nothing.

        The local handle is marked detached even if Janus cannot be told (for example because
        the connection is gone); the error is raised after.
        """
        if self._state is HandleState.DETACHED:
            return
        try:
            if not self._session.closed:
                await self._request("detach", timeout=timeout)
        except (HandleNotFoundError, SessionNotFoundError):
            logger.debug("handle %d was already gone from the server", self._id)
        finally:
            await self._mark_detached("detached")

    async def _request(
        self, kind: str, *, timeout: float | None = None, wait_event: bool = False, **fields: Any
    ) -> dict[str, Any]:
        return await self._session.connection._request(
            kind,
            session_id=self._session.id,
            handle_id=self._id,
            timeout=timeout,
            wait_event=wait_event,
            **fields,
        )

    # -- events ---------------------------------------------------------------------------

    def events(self) -> AsyncIterator[Event]:
        """Iterate the handle's events, from attach on, until the handle is detached.

        All iterators share one backlog, so use one consumer; use :meth:`subscribe` for more.
        The backlog is bounded by the connection's ``event_queue_size``: when it is full the
        oldest event is dropped (see :mod:`janus_webrtc.events`).
        """
        return self._events.backlog

    @overload
    def subscribe(self) -> EventQueue[Event]: ...

    @overload
    def subscribe(self, type_: type[E], /, *types: type[E]) -> EventQueue[E]: ...

    def subscribe(self, *types: type[Event]) -> EventQueue[Any]:
        """Return a private queue of later events (of ``types``, if given); see :meth:`events`.

        The queue is typed by what it yields: ``subscribe(Joined)`` is an
        ``EventQueue[Joined]``; with several types, their nearest common base.
        """
        return self._events.subscribe(*types)

    def unsubscribe(self, queue: EventQueue[Any]) -> None:
        """Stop a queue made by :meth:`subscribe`."""
        self._events.unsubscribe(queue)

    def on(self, callback: EventCallback, *types: type[Event]) -> Callable[[], None]:
        """Call ``callback(event)`` for each later event (of ``types``, if given).

        The callback may be a coroutine function; it then runs as a task. Exceptions are logged.

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
        """Wait for the first later event of ``types`` (and matching ``predicate``).

        It listens from the moment it is called, so create it before sending the request that
        causes the event, and await it after.

        Raises:
            JanusTimeoutError: (when awaited) no such event in time.
            StateError: (when awaited) the handle was detached first.
        """
        return self._events.wait_for(types or (Event,), predicate, self._limit(timeout))  # type: ignore[arg-type]

    @property
    def dropped_events(self) -> int:
        """Events dropped from the backlog because nobody read them in time."""
        return self._events.backlog.dropped

    def _message_received(self, message: dict[str, Any]) -> None:
        """Turn a message Janus addressed to this handle into an event and deliver it."""
        event = protocol.parse_event(message)
        if isinstance(event, PluginEvent):
            try:
                event = self.parse_plugin_event(event)
            except Exception:
                logger.exception("%r could not parse a plugin event; delivered as is", self)
        self._event_received(event)
        if isinstance(event, Detached):
            # The state changes before anyone hears of it: a callback that sends from here
            # gets StateError, not Janus's 459.
            self._set_detached()
            self._events.publish(event)
            self._session.connection._spawn(self._mark_detached("detached by Janus"))
            return
        self._events.publish(event)

    def parse_plugin_event(self, event: PluginEvent) -> Event:
        """Turn a generic plugin event into a typed one. Plugin packages override this.

        Args:
            event: The event with the plugin's data as sent.

        Returns:
            The event to deliver (the same one by default).

        Raises:
            ProtocolError: The data cannot be read; the event is then delivered unparsed.
        """
        return event

    def _publish(self, event: Event) -> None:
        """Deliver an event of the subclass's own making to every consumer of this handle."""
        self._events.publish(event)

    def _event_received(self, event: Event) -> None:
        """Hook for subclasses: react to an event before consumers see it (sync, cheap)."""

    def _session_lost(self, event: SessionLost) -> None:
        """The session was lost: detached at once, then told why (before events end)."""
        self._set_detached()
        self._events.publish(event)

    def _set_detached(self) -> None:
        if self._state is not HandleState.DETACHED:
            self._state = HandleState.DETACHED
            self._session._forget_handle(self._id)

    def _close_events(self, reason: str) -> None:
        self._set_detached()
        self._events.close(reason)

    def _spawn(self, coroutine: Coroutine[Any, Any, Any]) -> None:
        """Run a background task for this handle: protected, for subclasses.

        No fire-and-forget: the task belongs to the connection, which cancels it when it
        closes, and a failure is logged. ``WebRTCHandle`` keeps its tasks itself and also
        cancels them when the handle is detached.

        Args:
            coroutine: What to run (for example, answering an offer Janus sent unasked).
        """
        self._session.connection._spawn(coroutine)

    async def _mark_detached(self, reason: str) -> None:
        """Mark detached locally and release resources. Subclasses extend it (idempotent)."""
        self._close_events(reason)
        await self._events.aclose()
