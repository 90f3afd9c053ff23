"""Unix-socket transport (``unix://`` and ``unix+dgram://``), for Janus's ``pfunix`` transport.

Janus's ``janus.transport.pfunix`` listens on a socket file of the host, ``SOCK_SEQPACKET``
by default (one connection per client, each message one record) or ``SOCK_DGRAM`` (no
connection: the client binds a socket file of its own, which Janus answers to). Either way a
message is one JSON object, as over WebSocket; requests carry ``session_id`` and
``handle_id`` in their body.

Facts of Janus 1.1.2 (``src/transports/janus_pfunix.c``) that shape this module:

- Janus reads a request into an 8192-byte buffer: a longer request is dropped without an
  answer (SEQPACKET) or cut short (DGRAM). :meth:`UnixSocketTransport.send` refuses one
  with :class:`~janus_webrtc.RequestTooLargeError` instead of letting it time out.
- Janus closes a SEQPACKET client's socket when one of its sessions times out.
- Over DGRAM nothing tells either side that the other went away: a send to a Janus that
  stopped fails (and reports the transport lost); a client that left is only forgotten with
  its sessions' timeout.
"""

from __future__ import annotations

import asyncio
import errno
import logging
import os
import select
import shutil
import socket
import tempfile
from typing import Any
from urllib.parse import unquote, urlsplit

from ..errors import (
    ConnectError,
    MessageTooLargeError,
    RequestTooLargeError,
    StateError,
    TransportClosedError,
    TransportLostError,
)
from .base import MessageSink, Transport
from .websocket import DEFAULT_MAX_MESSAGE_SIZE, _deliver, _encode

__all__ = ["JANUS_MAX_REQUEST_SIZE", "SCHEMES", "UnixSocketTransport", "unix_socket_address"]

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())

SCHEMES: dict[str, socket.SocketKind] = {
    "unix": socket.SOCK_SEQPACKET,
    "unix+dgram": socket.SOCK_DGRAM,
}
"""URL schemes of this transport and the socket type of each (Janus's ``type`` setting)."""

JANUS_MAX_REQUEST_SIZE = 8191
"""Longest request Janus's pfunix transport reads, in bytes (its buffer, less the NUL)."""

_PEEK = socket.MSG_PEEK | socket.MSG_TRUNC
"""recv flags that tell the length of the next message without taking it (Linux)."""

_READS_PER_WAKE = 64
"""Messages read at most each time the socket is readable, so that others get the loop."""


def unix_socket_address(url: str) -> tuple[str, socket.SocketKind]:
    """Read a ``unix://`` URL: the socket file's path and the socket type.

    ``unix:///run/janus/api.sock`` is SOCK_SEQPACKET (Janus's default), and
    ``unix+dgram:///run/janus/api.sock`` SOCK_DGRAM.

    Args:
        url: The URL: scheme, empty host (or ``localhost``), absolute path.

    Returns:
        The path and the socket type.

    Raises:
        ValueError: Not such a URL.
    """
    parts = urlsplit(url)
    kind = SCHEMES.get(parts.scheme.lower())
    if kind is None:
        raise ValueError(f"not a Unix-socket URL: {url!r} (use unix:// or unix+dgram://)")
    if parts.netloc not in ("", "localhost") or parts.query or parts.fragment:
        raise ValueError(
            f"a Unix-socket URL is unix:///absolute/path, with no host or query: {url!r}"
        )
    path = unquote(parts.path)
    if not path.startswith("/"):
        raise ValueError(f"a Unix-socket URL needs an absolute path: {url!r}")
    return path, kind


class UnixSocketTransport(Transport):
    """Talks to Janus over a Unix socket of its ``pfunix`` transport (Janus or Admin API).

    Args:
        url: ``unix:///path/to/janus.sock`` (SOCK_SEQPACKET) or ``unix+dgram:///path``
            (SOCK_DGRAM); the Admin API has a socket of its own (``admin_path``).
        open_timeout: Seconds allowed to connect.
        max_message_size: Largest message accepted from Janus, in bytes; a larger one
            closes the socket and pending requests fail with
            :class:`~janus_webrtc.MessageTooLargeError`.

    Raises:
        ValueError: ``url`` is not a Unix-socket URL.
    """

    keepalive_required = True

    def __init__(
        self, url: str, *, open_timeout: float = 10.0, max_message_size: int | None = None
    ) -> None:
        self.url = url
        self.path, self._kind = unix_socket_address(url)
        self._open_timeout = open_timeout
        self._max_size = max_message_size or DEFAULT_MAX_MESSAGE_SIZE
        self._sock: socket.socket | None = None
        self._sink: MessageSink | None = None
        self._own_dir: str | None = None
        """DGRAM: the private folder of the client's own socket file."""
        self._send_lock = asyncio.Lock()
        self._writable: asyncio.Future[None] | None = None
        self._peek = bytearray(1)
        self._opened = False
        self._closing = False
        self._lost_reason: Exception | None = None

    def __repr__(self) -> str:
        return f"UnixSocketTransport({self.url!r})"

    @property
    def datagram(self) -> bool:
        """Whether the socket is SOCK_DGRAM (else SOCK_SEQPACKET)."""
        return self._kind == socket.SOCK_DGRAM

    async def open(self, sink: MessageSink) -> None:
        """Connect to Janus's socket and start reading from it.

        Raises:
            ConnectError: No Janus listens on that path, or with another socket type.
            StateError: The transport was already opened.
        """
        if self._opened or self._closing:
            raise StateError("cannot open: the Unix-socket transport was already opened")
        self._opened = True
        loop = asyncio.get_running_loop()
        sock = socket.socket(socket.AF_UNIX, self._kind)
        sock.setblocking(False)
        try:
            if self.datagram:
                # Janus answers a datagram client at the path it sent from: bind one.
                self._own_dir = tempfile.mkdtemp(prefix="janus-webrtc-")
                sock.bind(os.path.join(self._own_dir, "client.sock"))
            async with asyncio.timeout(self._open_timeout):
                await loop.sock_connect(sock, self.path)
        except (OSError, TimeoutError) as exc:
            sock.close()
            self._remove_own_dir()
            raise ConnectError(f"cannot connect to {self.url}: {self._why(exc)}") from exc
        self._sock = sock
        self._sink = sink
        loop.add_reader(sock.fileno(), self._readable)

    def _why(self, exc: BaseException) -> str:
        if isinstance(exc, TimeoutError):
            return f"no answer within {self._open_timeout} s"
        if isinstance(exc, OSError) and exc.errno == errno.EPROTOTYPE:
            other = "unix+dgram://" if not self.datagram else "unix://"
            return (
                f"{exc.strerror}: the server's socket is of another type (try {other}, "
                "as set by 'type' in janus.transport.pfunix.jcfg)"
            )
        return str(exc)

    def _readable(self) -> None:
        """Read the messages waiting on the socket; the reader never dies silently."""
        try:
            for _ in range(_READS_PER_WAKE):
                if not self._read_one():
                    return
        except Exception as exc:
            logger.exception("the Unix-socket reader for %s failed", self.url)
            self._lost(
                TransportClosedError(f"the Unix-socket reader for {self.url} failed: {exc!r}")
            )

    def _read_one(self) -> bool:
        """Read one message and deliver it; False when none waits or the socket ended."""
        sock, sink = self._sock, self._sink
        if sock is None or sink is None:
            return False
        try:
            size = sock.recv_into(self._peek, 1, _PEEK)
        except (BlockingIOError, InterruptedError):
            return False
        except OSError as exc:
            self._lost(TransportClosedError(f"the Unix socket to {self.url} failed: {exc}"))
            return False
        if size == 0 and not self.datagram and _hung_up(sock):
            # (an empty record reads the same as the end: the peer's hang-up tells them apart)
            self._lost(TransportClosedError(f"Janus closed the Unix socket {self.url}"))
            return False
        if size > self._max_size:
            sock.recv(1)  # take it off the socket: it is not read
            self._lost(
                MessageTooLargeError(
                    f"Janus sent a message of {size} bytes, larger than max_message_size "
                    f"({self._max_size} bytes), over {self.url}; the socket was closed"
                )
            )
            return False
        raw = sock.recv(max(size, 1))
        _deliver(raw, sink, self.url)
        return True

    def _lost(self, reason: Exception) -> None:
        """The socket is unusable: close it and tell the sink, once."""
        if self._closing:
            return
        self._closing = True
        self._lost_reason = reason
        sink = self._sink
        self._teardown()
        if sink is not None:
            sink.connection_lost(reason)

    async def send(self, message: dict[str, Any]) -> None:
        """Send one JSON object as one message.

        Raises:
            RequestTooLargeError: The request is longer than Janus reads.
            TransportClosedError: The transport was closed.
            TransportLostError: The socket failed, or Janus is gone: nothing was sent.
        """
        data = _encode(message).encode()
        if len(data) > JANUS_MAX_REQUEST_SIZE:
            raise RequestTooLargeError(
                f"a {message.get('janus')!r} request of {len(data)} bytes is longer than "
                f"Janus's Unix-socket transport reads ({JANUS_MAX_REQUEST_SIZE} bytes); "
                "use WebSocket or HTTP for it"
            )
        async with self._send_lock:
            await self._send(data)

    async def _send(self, data: bytes) -> None:
        loop = asyncio.get_running_loop()
        while True:
            sock = self._sock
            if self._lost_reason is not None:
                raise TransportLostError(f"cannot send: {self._lost_reason}")
            if sock is None or self._closing:
                raise TransportClosedError(f"cannot send: the Unix socket {self.url} is not open")
            try:
                sock.send(data)
                return
            except (BlockingIOError, InterruptedError):
                pass
            except OSError as exc:
                # Over DGRAM this is how a stopped Janus shows (ECONNREFUSED): report it.
                loop.call_soon(
                    self._lost, TransportClosedError(f"the Unix socket {self.url} failed: {exc}")
                )
                # A datagram or SEQPACKET message goes out whole or not at all: not at all.
                raise TransportLostError(f"cannot send over {self.url}: {exc}") from exc
            writable = self._writable = loop.create_future()
            fd = sock.fileno()
            loop.add_writer(fd, _wake, writable)
            try:
                await writable
            finally:
                self._writable = None
                if self._sock is sock:
                    loop.remove_writer(fd)

    async def close(self) -> None:
        """Close the socket; idempotent. No sink call follows it."""
        self._closing = True
        self._teardown()

    def _teardown(self) -> None:
        sock, self._sock = self._sock, None
        self._sink = None
        if sock is not None:
            loop = asyncio.get_running_loop()
            loop.remove_reader(sock.fileno())
            loop.remove_writer(sock.fileno())
            sock.close()
        if self._writable is not None and not self._writable.done():
            # The message waiting for room was not sent: lost, or closed by the user.
            error = TransportLostError if self._lost_reason is not None else TransportClosedError
            self._writable.set_exception(
                error(f"the Unix socket {self.url} closed before a message could be sent")
            )
        self._remove_own_dir()

    def _remove_own_dir(self) -> None:
        if self._own_dir is not None:
            shutil.rmtree(self._own_dir, ignore_errors=True)
            self._own_dir = None


def _hung_up(sock: socket.socket) -> bool:
    """Whether the peer of a SEQPACKET socket closed its end."""
    poller = select.poll()
    poller.register(sock.fileno(), select.POLLRDHUP | select.POLLHUP)
    return bool(poller.poll(0))


def _wake(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)
