"""WebSocket transport (``ws://`` and ``wss://``), on the ``websockets`` library."""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

from websockets.asyncio.client import ClientConnection
from websockets.asyncio.client import connect as ws_connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidURI
from websockets.typing import Subprotocol

from ..errors import ConnectError, StateError, TransportClosedError
from .base import MessageSink, Transport

_encode = json.JSONEncoder(separators=(",", ":")).encode
"""One compact encoder, made once (``json.dumps`` with options builds one per call)."""

__all__ = ["WebSocketTransport"]

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())


class WebSocketTransport(Transport):
    """Talks to Janus over one WebSocket (subprotocol ``janus-protocol``).

    Args:
        url: ``ws://host:port`` or ``wss://host:port``.
        subprotocol: ``janus-protocol`` for the Janus API, ``janus-admin-protocol`` for Admin.
        open_timeout: Seconds allowed for the TCP and WebSocket handshakes.
        max_message_size: Largest message accepted from Janus, in bytes.
        ping_interval: Seconds between WebSocket pings that detect a dead peer (``None``: off).
    """

    keepalive_required = True

    def __init__(
        self,
        url: str,
        *,
        subprotocol: str = "janus-protocol",
        open_timeout: float = 10.0,
        max_message_size: int = 16 * 2**20,
        ping_interval: float | None = 20.0,
    ) -> None:
        self.url = url
        self._subprotocol = subprotocol
        self._open_timeout = open_timeout
        self._max_size = max_message_size
        self._ping_interval = ping_interval
        self._ws: ClientConnection | None = None
        self._reader: asyncio.Task[None] | None = None
        self._closing = False

    def __repr__(self) -> str:
        return f"WebSocketTransport({self.url!r})"

    async def open(self, sink: MessageSink) -> None:
        """Open the WebSocket and start the reader task."""
        if self._ws is not None or self._closing:
            raise StateError("cannot open: the WebSocket transport was already opened")
        try:
            self._ws = await ws_connect(
                self.url,
                subprotocols=[Subprotocol(self._subprotocol)],
                open_timeout=self._open_timeout,
                max_size=self._max_size,
                compression=None,
                ping_interval=self._ping_interval,
            )
        except (OSError, InvalidHandshake, InvalidURI, TimeoutError) as exc:
            raise ConnectError(f"cannot connect to {self.url}: {exc}") from exc
        self._reader = asyncio.create_task(
            self._read(self._ws, sink), name=f"janus-ws-reader {self.url}"
        )

    async def _read(self, ws: ClientConnection, sink: MessageSink) -> None:
        error: ConnectionClosed | None = None
        try:
            async for raw in ws:
                try:
                    message = json.loads(raw)
                except ValueError:
                    logger.warning(
                        "dropped a message from %s that is not JSON (%d chars)", self.url, len(raw)
                    )
                    continue
                if not isinstance(message, dict):
                    logger.warning("dropped a JSON message from %s that is not an object", self.url)
                    continue
                try:
                    sink.message_received(message)
                except Exception:
                    logger.exception("failed to handle a message from %s", self.url)
        except ConnectionClosed as exc:
            error = exc
        if not self._closing:
            reason = f"WebSocket to {self.url} closed"
            if error is not None and error.rcvd is not None:
                reason += f" (code {error.rcvd.code})"
            sink.connection_lost(TransportClosedError(reason))

    async def send(self, message: dict[str, Any]) -> None:
        """Send one JSON object as a text frame."""
        ws = self._ws
        if ws is None or self._closing:
            raise TransportClosedError(f"cannot send: the WebSocket to {self.url} is not open")
        try:
            await ws.send(_encode(message))
        except ConnectionClosed as exc:
            raise TransportClosedError(f"cannot send: the WebSocket to {self.url} closed") from exc

    async def close(self) -> None:
        """Close the WebSocket and wait for the reader to end; idempotent."""
        if self._closing:
            return
        self._closing = True
        if self._ws is not None:
            await self._ws.close()
        if self._reader is not None:
            await asyncio.gather(self._reader, return_exceptions=True)
