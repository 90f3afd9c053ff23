"""A fake transport: scripted replies, for tests of what a real server cannot do.

Use it to inject faults (garbage input, lost connections, silence) into a real
:class:`~janus_webrtc.Connection`::

    transport = FakeTransport()
    transport.reply_with(lambda request: {"janus": "success", "data": {"id": 1}})
    async with janus_webrtc.connect(transport=transport) as conn:
        session = await conn.create_session()
        transport.push({"janus": "timeout", "session_id": 1})
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from ..errors import StateError, TransportClosedError
from ..transports.base import MessageSink, Transport

__all__ = ["FakeTransport", "Responder"]

Responder = Callable[[dict[str, Any]], "dict[str, Any] | list[dict[str, Any]] | None"]
"""Given a request, return the message(s) Janus would send back, or ``None`` for silence."""


class FakeTransport(Transport):
    """An in-memory transport that records requests and answers them with a responder.

    Args:
        responder: Answers each request; the default answers nothing (requests time out).
        keepalive_required: Whether the connection should send keepalives over it.

    Attributes:
        sent: Every request sent, in order (with secrets, as a real transport would see them).
        opened_sessions: Session ids reported through ``session_opened``.
        closed_sessions: Session ids reported through ``session_closed``.
    """

    def __init__(
        self, responder: Responder | None = None, *, keepalive_required: bool = False
    ) -> None:
        self._responder = responder
        self.keepalive_required = keepalive_required
        self.sent: list[dict[str, Any]] = []
        self.opened_sessions: list[int] = []
        self.closed_sessions: list[int] = []
        self._sink: MessageSink | None = None
        self._closed = False
        self.fail_sends: Exception | None = None
        """When set, :meth:`send` raises it (after recording the request)."""

    def reply_with(self, responder: Responder | None) -> None:
        """Replace the responder."""
        self._responder = responder

    async def open(self, sink: MessageSink) -> None:
        """Start delivering to ``sink``."""
        if self._sink is not None or self._closed:
            raise StateError("cannot open: the fake transport was already opened")
        self._sink = sink

    async def send(self, message: dict[str, Any]) -> None:
        """Record the request and deliver the responder's answer on the next loop turn."""
        if self._closed or self._sink is None:
            raise TransportClosedError("cannot send: the fake transport is closed")
        self.sent.append(message)
        if self.fail_sends is not None:
            raise self.fail_sends
        if self._responder is None:
            return
        answer = self._responder(message)
        if answer is None:
            return
        for item in answer if isinstance(answer, list) else [answer]:
            reply = dict(item)
            reply.setdefault("transaction", message.get("transaction"))
            asyncio.get_running_loop().call_soon(self.push, reply)

    def push(self, message: Any) -> None:
        """Deliver a message (anything, even garbage) as if Janus had sent it."""
        if self._sink is not None and not self._closed:
            self._sink.message_received(message)

    def drop(self, exc: Exception | None = None) -> None:
        """Simulate the transport being lost."""
        sink, self._sink = self._sink, None
        self._closed = True
        if sink is not None:
            sink.connection_lost(exc)

    def session_opened(self, session_id: int, *, claimed: bool = False) -> None:
        """Record the session id."""
        self.opened_sessions.append(session_id)

    def session_closed(self, session_id: int) -> None:
        """Record the session id."""
        self.closed_sessions.append(session_id)

    async def close(self) -> None:
        """Stop delivering; idempotent."""
        self._closed = True
        self._sink = None

    def requests(self, kind: str) -> list[dict[str, Any]]:
        """Return the recorded requests of one kind (``"keepalive"``, ``"message"``, ...)."""
        return [message for message in self.sent if message.get("janus") == kind]
