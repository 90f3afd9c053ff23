"""The transport interface: how a connection exchanges JSON messages with Janus.

A transport moves whole JSON objects; it knows nothing of transactions or sessions beyond
what its wire needs (the HTTP transport polls each session's events). Incoming messages are
handed to a :class:`MessageSink` synchronously, in the order they arrive.
"""

from __future__ import annotations

import asyncio
from abc import ABC, abstractmethod
from collections.abc import Callable, Coroutine
from typing import Any, Protocol

__all__ = ["CloseOnce", "MessageSink", "Transport"]


class MessageSink(Protocol):
    """What a transport delivers to: in practice the :class:`~janus_webrtc.Connection`."""

    def message_received(self, message: dict[str, Any]) -> None:
        """Handle one JSON object received from Janus. Must not raise."""

    def connection_lost(self, exc: Exception | None) -> None:
        """The transport closed without being asked to; ``exc`` says why, if known."""

    def session_gone(self, session_id: int) -> None:
        """The transport learned that Janus no longer knows a session (HTTP's 404)."""

    def events_lost(self, session_id: int, count: int) -> None:
        """Events Janus sent for a session were lost on the way (HTTP long-poll resets)."""


class Transport(ABC):
    """A way to talk to Janus: WebSocket, HTTP long-poll, or a fake one in tests.

    Subclasses implement :meth:`open`, :meth:`send` and :meth:`close`; the session hooks are
    optional. A transport is opened once; reopening a closed one raises.
    """

    keepalive_required: bool = True
    """Whether sessions need ``keepalive`` requests to stay alive over this transport."""

    send_waits_for_reply: bool = False
    """Whether :meth:`send` lasts until the reply has been delivered (HTTP's POST does)."""

    @abstractmethod
    async def open(self, sink: MessageSink) -> None:
        """Open the transport and start delivering incoming messages to ``sink``.

        Raises:
            ConnectError: The server could not be reached.
            StateError: The transport was already opened.
        """

    @abstractmethod
    async def send(self, message: dict[str, Any]) -> None:
        """Send one JSON object. Replies arrive through the sink, not as a return value.

        Raises:
            TransportError: The message could not be sent.
        """

    async def wait_ready(  # noqa: B027 - optional hook
        self, session_id: int | None, timeout: float
    ) -> None:
        """Wait until a request for this session can go out without losing its answer.

        Called before a request is registered, when :attr:`send_waits_for_reply` is set (HTTP
        holds requests while a reset long-poll may still swallow events). Default: at once.

        Args:
            session_id: The session the request is for, if any.
            timeout: Seconds to wait at most (the request's own timeout).

        Raises:
            TimeoutError: The transport was not ready within ``timeout``.
        """

    def session_opened(self, session_id: int, *, claimed: bool = False) -> None:  # noqa: B027
        """Called when a session was created (or, ``claimed``, taken over) on this transport."""

    def session_closed(self, session_id: int) -> None:  # noqa: B027 - optional hook
        """Called when a session was destroyed or is no longer used."""

    @abstractmethod
    async def close(self) -> None:
        """Close the transport; idempotent. No sink call follows it."""


class CloseOnce:
    """Runs a transport's closing once, to the end, however many callers ask for it.

    Every caller of :meth:`run` waits until the closing has finished, and a caller that is
    cancelled meanwhile does not cut it short: otherwise a close started by one task (a
    reconnection giving up) and cancelled by another (``Connection.close()``, whose own call
    returned at once since a close had begun) would leave clients and sockets open.
    """

    __slots__ = ("_task",)

    def __init__(self) -> None:
        self._task: asyncio.Future[None] | None = None

    @property
    def started(self) -> bool:
        """Whether the closing has begun."""
        return self._task is not None

    async def run(self, close: Callable[[], Coroutine[Any, Any, None]]) -> None:
        """Start ``close()`` unless it was started already, and wait until it has ended."""
        if self._task is None:
            self._task = asyncio.ensure_future(close())
        await asyncio.shield(self._task)
