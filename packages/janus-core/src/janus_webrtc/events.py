"""Event delivery: a bounded backlog, subscriptions, callbacks and one-shot waiters.

Sessions and handles each own one :class:`EventStream`. Delivery is synchronous and cheap: the
message reader never blocks on a slow consumer.

Overflow policy: every queue (the backlog read by ``events()`` and each subscription) holds at
most ``maxsize`` events. When a new event arrives at a full queue, the *oldest* event is dropped
and ``dropped`` is incremented. Memory therefore stays bounded however slowly a consumer reads,
and the newest state is never lost. A queue that somebody reads logs one warning per overflow
burst (the consumer is too slow); the backlog of a handle whose events nobody iterates (a user
of callbacks or subscriptions only) just keeps the latest events, without a warning.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Generator
from typing import Any, Generic, TypeVar

from .errors import JanusTimeoutError, StateError
from .messages import Event

__all__ = ["EventCallback", "EventQueue", "EventStream", "EventWaiter"]

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())

E = TypeVar("E", bound=Event)

EventCallback = Callable[[Any], Awaitable[None] | None]
"""A callback for events: a plain function or a coroutine function taking the event."""


class EventQueue(Generic[E]):
    """A bounded queue of events, read with ``async for`` or :meth:`get`; drops the oldest.

    ``EventQueue[Joined]``, as made by ``handle.subscribe(Joined)``, yields ``Joined`` events.

    Args:
        maxsize: The most events held at once.
        types: Deliver only instances of these types (all events when empty).
        owner: A description of the owner, for log messages.
    """

    __slots__ = (
        "_closed",
        "_items",
        "_maxsize",
        "_overflowing",
        "_owner",
        "_read",
        "_types",
        "_waiter",
        "dropped",
    )

    def __init__(self, maxsize: int, types: tuple[type[E], ...] = (), owner: str = "") -> None:
        self._items: deque[E] = deque()
        self._maxsize = maxsize
        self._types = types
        self._owner = owner
        self._waiter: asyncio.Future[None] | None = None
        self._closed = False
        self._overflowing = False
        self._read = False
        self.dropped = 0
        """Events dropped because the queue was full."""

    def __len__(self) -> int:
        return len(self._items)

    def put(self, event: Event) -> None:
        """Add an event (dropping the oldest if full); ignored after close or if filtered."""
        if self._closed or (self._types and not isinstance(event, self._types)):
            return
        items: deque[Any] = self._items
        if len(items) >= self._maxsize:
            items.popleft()
            self.dropped += 1
            if not self._overflowing and self._read:
                self._overflowing = True
                logger.warning(
                    "event queue of %s is full (%d): dropping the oldest events",
                    self._owner or "a consumer",
                    self._maxsize,
                )
        elif self._overflowing and len(items) < self._maxsize // 2:
            self._overflowing = False
        items.append(event)
        self._wake()

    def close(self) -> None:
        """End iteration once the queued events are read."""
        self._closed = True
        self._wake()

    def _wake(self) -> None:
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    @property
    def closed(self) -> bool:
        """Whether the queue was closed (queued events can still be read)."""
        return self._closed

    def __aiter__(self) -> EventQueue[E]:
        return self

    async def __anext__(self) -> E:
        self._read = True
        while not self._items:
            if self._closed:
                raise StopAsyncIteration
            self._waiter = asyncio.get_running_loop().create_future()
            try:
                await self._waiter
            finally:
                self._waiter = None
        return self._items.popleft()

    async def get(self, *, timeout: float | None = None) -> E:
        """Return the oldest queued event, waiting at most ``timeout`` seconds for one.

        Args:
            timeout: Seconds to wait (None: as long as it takes).

        Raises:
            JanusTimeoutError: No event within ``timeout``.
            StateError: The queue is closed and empty (its owner closed, or unsubscribed).
        """
        try:
            async with asyncio.timeout(timeout):
                return await anext(self)
        except StopAsyncIteration:
            raise StateError(f"cannot get an event: the queue of {self._owner} is closed") from None
        except TimeoutError:
            raise JanusTimeoutError(f"no event from {self._owner} within {timeout} s") from None

    def get_nowait(self) -> E | None:
        """Return the oldest queued event, or ``None`` when empty."""
        self._read = True
        return self._items.popleft() if self._items else None


class EventWaiter(Generic[E]):
    """Waits for the first event of a type; it starts listening when created.

    Create it *before* triggering what causes the event, then await it::

        up = handle.wait_for(WebRTCUp, timeout=10)
        await handle.send(...)
        await up
    """

    __slots__ = ("_future", "_predicate", "_stream", "_timeout", "_types")

    def __init__(
        self,
        stream: EventStream,
        types: tuple[type[E], ...],
        predicate: Callable[[E], bool] | None,
        timeout: float | None,
    ) -> None:
        self._stream = stream
        self._types = types
        self._predicate = predicate
        self._timeout = timeout
        self._future: asyncio.Future[E] = asyncio.get_running_loop().create_future()

    def _offer(self, event: Event) -> bool:
        if self._future.done():
            return True
        if isinstance(event, self._types) and (self._predicate is None or self._predicate(event)):
            self._future.set_result(event)
            return True
        return False

    def _fail(self, exc: Exception) -> None:
        if not self._future.done():
            self._future.set_exception(exc)

    def cancel(self) -> None:
        """Stop waiting."""
        self._stream._forget_waiter(self)
        self._future.cancel()

    async def _wait(self) -> E:
        names = "/".join(t.__name__ for t in self._types)
        try:
            async with asyncio.timeout(self._timeout):
                return await self._future
        except TimeoutError:
            raise JanusTimeoutError(
                f"no {names} event from {self._stream.owner} within {self._timeout} s"
            ) from None
        finally:
            self._stream._forget_waiter(self)

    def __await__(self) -> Generator[Any, None, E]:
        return self._wait().__await__()


class EventStream:
    """Fans events out to a backlog, subscriptions, callbacks and waiters.

    A session or handle has one each, and most never see an event beyond a few: the backlog
    and the collections of consumers are made when first needed (a few hundred bytes each).

    Args:
        maxsize: Capacity of the backlog and of each subscription.
        owner: What the owner is (``"session"``), for log and error messages.
        owner_id: The owner's id, if it has one (``"session 123"``; the text is made only
            when a message needs it).
    """

    __slots__ = (
        "_backlog",
        "_callbacks",
        "_closed",
        "_maxsize",
        "_owner",
        "_owner_id",
        "_subscriptions",
        "_tasks",
        "_waiters",
    )

    def __init__(self, maxsize: int, owner: str, owner_id: int | None = None) -> None:
        self._owner = owner
        self._owner_id = owner_id
        self._maxsize = maxsize
        self._backlog: EventQueue[Event] | None = None
        self._subscriptions: set[EventQueue[Any]] | None = None
        self._callbacks: list[tuple[tuple[type[Event], ...], EventCallback]] | None = None
        self._waiters: set[EventWaiter[Any]] | None = None
        self._tasks: set[asyncio.Task[None]] | None = None
        self._closed = False

    @property
    def owner(self) -> str:
        """A description of the owner: ``"session 123"``."""
        if self._owner_id is None:
            return self._owner
        return f"{self._owner} {self._owner_id}"

    @property
    def backlog(self) -> EventQueue[Event]:
        """The queue of every event, read by ``events()`` (made on first use)."""
        backlog = self._backlog
        if backlog is None:
            backlog = self._backlog = EventQueue(self._maxsize, owner=self.owner)
            if self._closed:
                backlog.close()
        return backlog

    def _forget_waiter(self, waiter: EventWaiter[Any]) -> None:
        if self._waiters is not None:
            self._waiters.discard(waiter)

    @property
    def closed(self) -> bool:
        """Whether the stream has ended."""
        return self._closed

    def publish(self, event: Event) -> None:
        """Deliver one event to every consumer."""
        if self._closed:
            return
        self.backlog.put(event)
        if self._subscriptions:
            for queue in self._subscriptions:
                queue.put(event)
        waiters = self._waiters
        if waiters:
            for waiter in [w for w in waiters if w._offer(event)]:
                waiters.discard(waiter)
        if self._callbacks:
            for types, callback in self._callbacks:
                if not types or isinstance(event, types):
                    self._call(callback, event)

    def _call(self, callback: EventCallback, event: Event) -> None:
        try:
            result = callback(event)
        except Exception:
            logger.exception("event callback %r of %s failed", callback, self.owner)
            return
        if inspect.isawaitable(result):
            task = asyncio.ensure_future(result)
            if self._tasks is None:
                self._tasks = set()
            self._tasks.add(task)
            task.add_done_callback(self._callback_done)

    def _callback_done(self, task: asyncio.Task[None]) -> None:
        if self._tasks is not None:
            self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            logger.error("event callback of %s failed", self.owner, exc_info=task.exception())

    def subscribe(self, *types: type[E]) -> EventQueue[E]:
        """Return a new queue that receives every later event (of ``types``, if given).

        Call :meth:`unsubscribe` (or let the stream close) when done.
        """
        queue: EventQueue[E] = EventQueue(self._maxsize, types, owner=self.owner)
        if self._closed:
            queue.close()
        else:
            if self._subscriptions is None:
                self._subscriptions = set()
            self._subscriptions.add(queue)
        return queue

    def unsubscribe(self, queue: EventQueue[Any]) -> None:
        """Stop delivering to a queue made by :meth:`subscribe` and end its iteration."""
        if self._subscriptions is not None:
            self._subscriptions.discard(queue)
        queue.close()

    def on(self, callback: EventCallback, *types: type[Event]) -> Callable[[], None]:
        """Call ``callback(event)`` for every later event (of ``types``, if given).

        Returns:
            A function that removes the callback.
        """
        entry = (types, callback)
        if self._callbacks is None:
            self._callbacks = []
        callbacks = self._callbacks
        callbacks.append(entry)

        def remove() -> None:
            if entry in callbacks:
                callbacks.remove(entry)

        return remove

    def wait_for(
        self,
        types: tuple[type[E], ...],
        predicate: Callable[[E], bool] | None,
        timeout: float | None,
    ) -> EventWaiter[E]:
        """Return a waiter for the first later event of ``types`` matching ``predicate``."""
        waiter: EventWaiter[E] = EventWaiter(self, types, predicate, timeout)
        if self._closed:
            waiter._fail(StateError(f"cannot wait for events: {self.owner} is closed"))
        else:
            if self._waiters is None:
                self._waiters = set()
            self._waiters.add(waiter)
        return waiter

    def close(self, reason: str = "closed") -> None:
        """End the stream: iterators finish after draining, waiters fail."""
        if self._closed:
            return
        self._closed = True
        if self._backlog is not None:
            self._backlog.close()
        if self._subscriptions:
            for queue in self._subscriptions:
                queue.close()
            self._subscriptions.clear()
        if self._waiters:
            for waiter in self._waiters:
                waiter._fail(StateError(f"cannot wait for events: {self.owner} is {reason}"))
            self._waiters.clear()
        if self._callbacks:
            self._callbacks.clear()

    async def aclose(self) -> None:
        """Close and wait for running async callbacks to finish."""
        self.close()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)

    def __aiter__(self) -> AsyncIterator[Event]:
        return self.backlog
