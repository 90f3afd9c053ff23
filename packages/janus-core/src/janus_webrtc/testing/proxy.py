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
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import socket
import struct
from types import TracebackType
from urllib.parse import urlsplit, urlunsplit

__all__ = ["FaultProxy"]

_CHUNK = 65536


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


class FaultProxy:
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
        self.target_host = _loopback(target_host)
        self.target_port = target_port
        self._listen_host = _loopback(listen_host)
        self.port = 0
        self.accepted = 0
        self.delay = 0.0
        self._links: set[_Link] = set()
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._flowing = asyncio.Event()
        self._flowing.set()
        self._refusing = False

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

    async def start(self) -> None:
        """Start listening."""
        self._server = await asyncio.start_server(self._serve, self._listen_host, 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.accepted += 1
        if self._refusing:
            _Link(writer, writer).close(reset=True)
            return
        try:
            up_reader, up_writer = await asyncio.open_connection(self.target_host, self.target_port)
        except OSError:
            _Link(writer, writer).close(reset=True)
            return
        link = _Link(writer, up_writer)
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
        links, self._links = self._links, set()
        for link in links:
            link.close(reset=reset)

    def stall(self) -> None:
        """Stop forwarding bytes; connections stay open (a frozen network)."""
        self._flowing.clear()

    def resume(self) -> None:
        """Forward again after :meth:`stall` (held bytes go through in order)."""
        self._flowing.set()

    def refuse(self) -> None:
        """Reset every new connection at once, and the live ones (the server is down)."""
        self._refusing = True
        self.reset()

    def allow(self) -> None:
        """Accept new connections again after :meth:`refuse`."""
        self._refusing = False

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
