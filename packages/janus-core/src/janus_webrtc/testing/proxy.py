"""A TCP proxy for fault injection: cut, reset, stall or delay a client's connections on command.

Put it between a client and a real Janus to make the network fail on purpose::

    async with FaultProxy(janus_port) as proxy:
        async with janus_webrtc.connect(proxy.url_for(janus_url)) as conn:
            ...
            proxy.reset()       # every live connection gets a TCP RST
            proxy.stall()       # bytes stop flowing (connections stay open) ...
            proxy.resume()      # ... until resumed
            proxy.delay = 0.2   # every chunk forwarded 0.2 s late
            proxy.refuse()      # new connections are reset at once (the server is "down")

It listens and connects on loopback addresses only (127.0.0.0/8).
:class:`UnixFaultProxy` does the same for Janus's Unix sockets (SOCK_SEQPACKET, one record
at a time), and :func:`fault_proxy_for` picks the one a URL needs.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import os
import shutil
import socket
import struct
import tempfile
from collections.abc import Coroutine
from types import TracebackType
from typing import Any, Self
from urllib.parse import quote, unquote, urlsplit, urlunsplit

__all__ = ["FaultProxy", "UnixFaultProxy", "fault_proxy_for"]

_CHUNK = 65536
_RECORD = 1 << 20
"""Largest SEQPACKET record forwarded (Janus's are bounded by its socket buffer)."""


def _loopback(host: str) -> str:
    if not ipaddress.ip_address(host).is_loopback:
        raise ValueError(f"{host} is not a loopback address: the proxy stays on 127.0.0.0/8")
    return host


class _Link:
    """One proxied connection: the client's side and the server's side."""

    __slots__ = ("client", "server")

    def __init__(self, client: asyncio.StreamWriter, server: asyncio.StreamWriter) -> None:
        self.client = client
        self.server = server

    def close(self, *, reset: bool) -> None:
        for writer in (self.client, self.server):
            if reset:
                sock = writer.get_extra_info("socket")
                if sock is not None:
                    # linger on, timeout 0: close() sends RST instead of FIN
                    with contextlib.suppress(OSError):
                        sock.setsockopt(
                            socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
                        )
                writer.transport.abort()
            else:
                writer.close()


class _FaultControls:
    """The faults both proxies inject on command: stall, resume, refuse, allow."""

    def __init__(self) -> None:
        self._flowing = asyncio.Event()
        self._flowing.set()
        self._refusing = False
        self._drops = 0
        """Times the live connections were dropped: a connection accepted before a drop but
        still connecting to the server when it came is dropped too, once connected."""

    def reset(self) -> None:
        """Drop every live connection (each proxy says how)."""
        raise NotImplementedError

    def stall(self) -> None:
        """Stop forwarding; connections stay open (a frozen network or server)."""
        self._flowing.clear()

    def resume(self) -> None:
        """Forward again after :meth:`stall` (what was held goes through in order)."""
        self._flowing.set()

    def refuse(self) -> None:
        """Drop every new connection at once, and the live ones (the server is down)."""
        self._refusing = True
        self.reset()

    def allow(self) -> None:
        """Accept new connections again after :meth:`refuse`."""
        self._refusing = False


class FaultProxy(_FaultControls):
    """Forwards TCP connections from a local port to a target, and breaks them on command.

    Args:
        target_port: The port to forward to (Janus's WebSocket or HTTP port).
        target_host: The host to forward to (a loopback address).
        listen_host: The address to listen on (a loopback address); the port is free.

    Attributes:
        accepted: Connections accepted so far.
        delay: Seconds by which every forwarded chunk is held back (0: none).
    """

    def __init__(
        self, target_port: int, *, target_host: str = "127.0.0.1", listen_host: str = "127.0.0.1"
    ) -> None:
        super().__init__()
        self.target_host = _loopback(target_host)
        self.target_port = target_port
        self._listen_host = _loopback(listen_host)
        self.port = 0
        self.accepted = 0
        self.delay = 0.0
        self._links: set[_Link] = set()
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    def __repr__(self) -> str:
        return (
            f"<FaultProxy 127.0.0.1:{self.port} -> {self.target_host}:{self.target_port}"
            f" live={len(self._links)}>"
        )

    @property
    def live(self) -> int:
        """Connections open through the proxy now."""
        return len(self._links)

    def url_for(self, url: str) -> str:
        """The same URL, through the proxy (its host and port replaced)."""
        parts = urlsplit(url)
        return urlunsplit(parts._replace(netloc=f"{self._listen_host}:{self.port}"))

    def retarget(self, url: str) -> None:
        """Forward new connections to the server at ``url`` (its port) instead."""
        port = urlsplit(url).port
        if port is None:
            raise ValueError(f"no port in {url!r}")
        self.target_port = port

    async def start(self) -> None:
        """Start listening."""
        self._server = await asyncio.start_server(self._serve, self._listen_host, 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.accepted += 1
        if self._refusing:
            _Link(writer, writer).close(reset=True)
            return
        drops = self._drops
        try:
            up_reader, up_writer = await asyncio.open_connection(self.target_host, self.target_port)
        except OSError:
            _Link(writer, writer).close(reset=True)
            return
        link = _Link(writer, up_writer)
        if self._drops != drops:  # it was live when the connections were dropped
            link.close(reset=True)
            return
        self._links.add(link)
        pipes = [
            asyncio.create_task(self._pipe(reader, up_writer)),
            asyncio.create_task(self._pipe(up_reader, writer)),
        ]
        self._tasks.update(pipes)
        try:
            await asyncio.wait(pipes, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in pipes:
                task.cancel()
                self._tasks.discard(task)
            if link in self._links:
                self._links.discard(link)
                link.close(reset=False)

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(OSError, asyncio.CancelledError):
            while data := await reader.read(_CHUNK):
                await self._flowing.wait()
                if self.delay:
                    await asyncio.sleep(self.delay)  # the injected fault itself
                writer.write(data)
                await writer.drain()

    def cut(self) -> None:
        """Close every live connection with a FIN, as a server shutting down would."""
        self._drop_all(reset=False)

    def reset(self) -> None:
        """Reset every live connection (TCP RST both ways), as a crashed middlebox would."""
        self._drop_all(reset=True)

    def _drop_all(self, *, reset: bool) -> None:
        self._drops += 1
        links, self._links = self._links, set()
        for link in links:
            link.close(reset=reset)

    async def close(self) -> None:
        """Stop listening and drop every connection."""
        self.resume()
        self.reset()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    async def __aenter__(self) -> FaultProxy:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()


class UnixFaultProxy(_FaultControls):
    """Forwards Unix SEQPACKET connections to Janus's socket, and breaks them on command.

    The same faults as :class:`FaultProxy`, one record (one Janus message) at a time; its
    socket file is in a private temporary folder. A Unix socket has no reset: :meth:`reset`
    and :meth:`cut` both close the connections.

    Args:
        target_path: The socket file to forward to (Janus's pfunix ``path``).

    Attributes:
        accepted: Connections accepted so far.
        delay: Seconds by which every forwarded record is held back (0: none).
    """

    def __init__(self, target_path: str) -> None:
        super().__init__()
        self.target_path = target_path
        self.path = ""
        self.accepted = 0
        self.delay = 0.0
        self._folder: str | None = None
        self._listener: socket.socket | None = None
        self._accepting: asyncio.Task[None] | None = None
        self._links: set[tuple[socket.socket, socket.socket]] = set()
        self._tasks: set[asyncio.Task[None]] = set()

    def __repr__(self) -> str:
        return f"<UnixFaultProxy {self.path} -> {self.target_path} live={len(self._links)}>"

    @property
    def live(self) -> int:
        """Connections open through the proxy now."""
        return len(self._links)

    def url_for(self, url: str) -> str:
        """The same URL (scheme kept), through the proxy's socket file."""
        return f"{urlsplit(url).scheme}://{quote(self.path)}"

    def retarget(self, url: str) -> None:
        """Forward new connections to the server at ``url`` (its socket file) instead."""
        self.target_path = unquote(urlsplit(url).path)

    async def start(self) -> None:
        """Start listening."""
        self._folder = tempfile.mkdtemp(prefix="janus-proxy-")
        self.path = os.path.join(self._folder, "proxy.sock")
        self._listen()

    def _listen(self) -> None:
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        listener.setblocking(False)
        listener.bind(self.path)
        listener.listen()
        self._listener = listener
        self._accepting = self._spawn(self._accept(listener))

    def _stop_listening(self) -> None:
        if self._accepting is not None:
            self._accepting.cancel()
            self._accepting = None
        if self._listener is not None:
            self._listener.close()
            self._listener = None
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.path)

    def _spawn(self, coroutine: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
        task = asyncio.get_running_loop().create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def _accept(self, listener: socket.socket) -> None:
        loop = asyncio.get_running_loop()
        while True:
            client, _ = await loop.sock_accept(listener)
            self.accepted += 1
            self._spawn(self._serve(client))

    async def _serve(self, client: socket.socket) -> None:
        client.setblocking(False)
        upstream = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        upstream.setblocking(False)
        try:  # both sockets are closed however this ends, cancelled by close() included
            if not self._refusing:
                await self._forward(client, upstream)
        finally:
            client.close()
            upstream.close()

    async def _forward(self, client: socket.socket, upstream: socket.socket) -> None:
        drops = self._drops
        try:
            await asyncio.get_running_loop().sock_connect(upstream, self.target_path)
        except OSError:
            return
        if self._drops != drops:  # it was live when the connections were dropped
            return
        link = (client, upstream)
        self._links.add(link)
        pipes = [
            self._spawn(self._pipe(client, upstream)),
            self._spawn(self._pipe(upstream, client)),
        ]
        try:
            await asyncio.wait(pipes, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in pipes:
                task.cancel()
            await asyncio.gather(*pipes, return_exceptions=True)
            self._close(link)

    async def _pipe(self, source: socket.socket, sink: socket.socket) -> None:
        loop = asyncio.get_running_loop()
        with contextlib.suppress(OSError, asyncio.CancelledError):
            while record := await loop.sock_recv(source, _RECORD):
                await self._flowing.wait()
                if self.delay:
                    await asyncio.sleep(self.delay)  # the injected fault itself
                await loop.sock_sendall(sink, record)

    def _close(self, link: tuple[socket.socket, socket.socket]) -> None:
        """Shut both ends down: each side reads its end; :meth:`_serve` closes the sockets."""
        self._links.discard(link)
        for sock in link:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def cut(self) -> None:
        """Close every live connection, as a server shutting down would."""
        self._drops += 1
        for link in list(self._links):
            self._close(link)

    reset = cut

    def refuse(self) -> None:
        """Remove the socket file, so that connecting fails, and close the live connections.

        A Unix socket that listens takes every connection into its backlog: only its absence
        makes a connect fail, as with a Janus that is down.
        """
        super().refuse()
        if self._listener is not None:
            self._stop_listening()

    def allow(self) -> None:
        """Listen on the socket file again after :meth:`refuse`."""
        super().allow()
        if self._listener is None and self._folder is not None:
            self._listen()

    async def close(self) -> None:
        """Stop listening, drop every connection and remove the socket file."""
        self.resume()
        self.cut()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._stop_listening()
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = None

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()


def fault_proxy_for(url: str) -> FaultProxy | UnixFaultProxy:
    """The fault proxy for a Janus URL: TCP for ws/http, Unix for ``unix://`` (SEQPACKET).

    Raises:
        ValueError: A ``unix+dgram://`` URL (no connections to break), or no port.
    """
    parts = urlsplit(url)
    if parts.scheme == "unix":
        return UnixFaultProxy(unquote(parts.path))
    if parts.scheme.startswith("unix"):
        raise ValueError(f"no fault proxy for {url!r}: SOCK_DGRAM has no connections")
    if parts.port is None:
        raise ValueError(f"no port in {url!r}")
    return FaultProxy(parts.port)
