"""WebSocket transport (``ws://`` and ``wss://``), on the ``websockets`` library."""

from __future__ import annotations

import asyncio
import json
import logging
import ssl as _ssl
from typing import Any

from websockets.asyncio.client import ClientConnection
from websockets.asyncio.client import connect as ws_connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidURI
from websockets.frames import CloseCode, Frame
from websockets.protocol import State
from websockets.typing import Subprotocol

from .. import protocol
from ..errors import (
    CertificateError,
    ConnectError,
    MessageTooLargeError,
    StateError,
    TransportClosedError,
    TransportLostError,
)
from .base import CloseOnce, MessageSink, Transport

_encode = json.JSONEncoder(separators=(",", ":")).encode
"""One compact encoder, made once (``json.dumps`` with options builds one per call)."""

__all__ = ["DEFAULT_MAX_MESSAGE_SIZE", "WebSocketTransport"]

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())

DEFAULT_MAX_MESSAGE_SIZE = 16 * 2**20
"""Largest message accepted from Janus by default, in bytes (16 MiB)."""


class _RedactingLogger(logging.LoggerAdapter):  # type: ignore[type-arg]
    """What websockets logs through: its frame log, with every secret hidden.

    websockets logs each frame at DEBUG (``> TEXT '{"janus": ...}'``), requests with their
    ``apisecret`` and ``token`` included, and cuts long frames short wherever they fall, even
    inside a secret. This adapter logs a frame's kind and size only (the connection's own
    DEBUG lines show each message, redacted) and hides secrets in every other argument.
    """

    def log(self, level: int, msg: object, *args: object, **kwargs: Any) -> None:
        if self.isEnabledFor(level):
            safe = tuple(_safe_argument(arg) for arg in args)
            self.logger.log(level, protocol.redact_text(str(msg)), *safe, **kwargs)


def _safe_argument(arg: object) -> object:
    if isinstance(arg, Frame):
        more = "" if arg.fin else ", continued"
        return f"{arg.opcode.name} [{len(arg.data)} bytes{more}]"
    if isinstance(arg, int | float):
        return arg
    return protocol.redact_text(str(arg))


_FRAME_LOGGER = _RedactingLogger(logging.getLogger(f"{__name__}.frames"), {})
"""websockets' own log lines, as ``janus_webrtc.transports.websocket.frames``."""


class WebSocketTransport(Transport):
    """Talks to Janus over one WebSocket (subprotocol ``janus-protocol``).

    Args:
        url: ``ws://host:port`` or ``wss://host:port``.
        subprotocol: ``janus-protocol`` for the Janus API, ``janus-admin-protocol`` for Admin.
        open_timeout: Seconds allowed for the TCP and WebSocket handshakes.
        max_message_size: Largest message accepted from Janus, in bytes; a larger one closes
            the WebSocket (code 1009) and pending requests fail with
            :class:`~janus_webrtc.MessageTooLargeError`.
        ping_interval: Seconds between WebSocket pings that detect a dead peer (``None``: off).
        ssl: The TLS context for ``wss://`` (``None``: the system's CAs, verified).
    """

    keepalive_required = True

    def __init__(
        self,
        url: str,
        *,
        subprotocol: str = "janus-protocol",
        open_timeout: float = 10.0,
        max_message_size: int | None = None,
        ping_interval: float | None = 20.0,
        ssl: _ssl.SSLContext | None = None,
    ) -> None:
        self.url = url
        self._subprotocol = subprotocol
        self._open_timeout = open_timeout
        self._max_size = max_message_size or DEFAULT_MAX_MESSAGE_SIZE
        self._ping_interval = ping_interval
        self._ssl = ssl
        self._ws: ClientConnection | None = None
        self._reader: asyncio.Task[None] | None = None
        self._closing = False
        self._close_once = CloseOnce()

    def __repr__(self) -> str:
        return f"WebSocketTransport({self.url!r})"

    async def open(self, sink: MessageSink) -> None:
        """Open the WebSocket and start the reader task.

        Raises:
            CertificateError: The server's TLS certificate was refused.
            ConnectError: The server cannot be reached or refused the handshake.
        """
        if self._ws is not None or self._closing:
            raise StateError("cannot open: the WebSocket transport was already opened")
        options: dict[str, Any] = {}
        if self._ssl is not None:
            options["ssl"] = self._ssl
        try:
            self._ws = await ws_connect(
                self.url,
                subprotocols=[Subprotocol(self._subprotocol)],
                open_timeout=self._open_timeout,
                max_size=self._max_size,
                compression=None,
                ping_interval=self._ping_interval,
                logger=_FRAME_LOGGER,
                **options,
            )
        except _ssl.SSLCertVerificationError as exc:
            raise CertificateError(
                f"cannot connect to {self.url}: TLS certificate refused: {exc.verify_message}"
            ) from exc
        except (OSError, InvalidHandshake, InvalidURI, TimeoutError) as exc:
            raise ConnectError(f"cannot connect to {self.url}: {exc}") from exc
        self._reader = asyncio.create_task(
            self._read(self._ws, sink), name=f"janus-ws-reader {self.url}"
        )

    async def _read(self, ws: ClientConnection, sink: MessageSink) -> None:
        reason: Exception | None = None
        try:
            async for raw in ws:
                _deliver(raw, sink, self.url)
        except ConnectionClosed as exc:
            reason = self._closed_reason(exc)
        except Exception as exc:  # never die silently: a dead reader must reconnect
            logger.exception("the WebSocket reader for %s failed", self.url)
            reason = TransportClosedError(f"the WebSocket reader for {self.url} failed: {exc!r}")
            await ws.close()
        if not self._closing:
            sink.connection_lost(reason or TransportClosedError(f"WebSocket to {self.url} closed"))

    def _closed_reason(self, exc: ConnectionClosed) -> Exception:
        sent = exc.sent
        if sent is not None and sent.code == CloseCode.MESSAGE_TOO_BIG:
            return MessageTooLargeError(
                f"Janus sent a message larger than max_message_size ({self._max_size} bytes) "
                f"over {self.url}; the WebSocket was closed"
            )
        reason = f"WebSocket to {self.url} closed"
        if exc.rcvd is not None:
            reason += f" (code {exc.rcvd.code})"
        return TransportClosedError(reason)

    async def send(self, message: dict[str, Any]) -> None:
        """Send one JSON object as a text frame.

        Raises:
            TransportClosedError: The transport was closed, or the WebSocket closed while
                the frame was being written (it may or may not have gone out).
            TransportLostError: The WebSocket is already lost (its socket saw the reset, the
                reader has not reported it yet): nothing was written.
        """
        ws = self._ws
        if ws is None or self._closing:
            raise TransportClosedError(f"cannot send: the WebSocket to {self.url} is not open")
        if ws.protocol.state is not State.OPEN or ws.transport.is_closing():
            # A frame written now would be dropped unsent (asyncio discards writes to a
            # closing transport): say so, so that the connection sends it again after
            # reconnecting instead of failing it as maybe sent.
            raise TransportLostError(f"cannot send: the WebSocket to {self.url} was lost")
        try:
            await ws.send(_encode(message))
        except ConnectionClosed as exc:
            raise TransportClosedError(f"cannot send: the WebSocket to {self.url} closed") from exc

    async def close(self) -> None:
        """Close the WebSocket and wait for the reader to end; idempotent.

        Every call returns once all is closed, even if the call that began it was cancelled.
        """
        self._closing = True
        await self._close_once.run(self._close)

    async def _close(self) -> None:
        if self._ws is not None:
            await self._ws.close()
        if self._reader is not None:
            await asyncio.gather(self._reader, return_exceptions=True)


def _deliver(raw: str | bytes, sink: MessageSink, url: str) -> None:
    """Decode one frame and hand it to the sink; anything wrong is logged and dropped."""
    try:
        message = json.loads(raw)
    except (ValueError, RecursionError) as exc:
        logger.warning(
            "dropped a frame from %s that is not JSON (%d chars): %s",
            url,
            len(raw),
            type(exc).__name__,
        )
        return
    if type(message) is not dict:  # json.loads makes a dict of every JSON object
        logger.warning("dropped a JSON frame from %s that is not an object", url)
        return
    try:
        sink.message_received(message)
    except Exception:
        logger.exception("failed to handle a message from %s", url)
