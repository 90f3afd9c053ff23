"""Benchmark janus-webrtc's core against raw clients and peer clients: WebSocket, HTTP, Unix socket.

Run it from the repository root::

    python bench/bench_core.py           # full run, a few minutes
    python bench/bench_core.py --quick   # counts divided by 10 (CI smoke run)

It starts a private Janus with ``JanusServer`` and, in the same run, does the same work with
the library and with a raw client written here (a ``websockets`` client with a dict of
transaction -> future and one reader task; an ``aiohttp`` client that POSTs and keeps one
long-poll GET per session; an asyncio client of Janus's pfunix socket, SOCK_SEQPACKET, one JSON
message per record). Scenarios, each over every transport (``--transports``; by default ws,
http and unix, the last where the server has a Unix socket):

1. sequential sync plugin requests on one handle (videoroom ``exists``);
2. the same requests with 100 in flight;
3. cycles of create session, attach, detach, destroy;
4. many sessions with one handle each on one connection, set up 100 at once: set-up time,
   measured in a fresh subprocess per run;
5. memory per session (WebSocket only): the client's RSS growth with thousands of sessions,
   in a fresh subprocess per run.

Library and raw runs are interleaved (each run in blocks alternating with the other kind's),
three times each (``--rounds``), and each kind's best run is kept. Beside rates and latencies
the table shows this process's CPU time per operation: the client's own cost, which other
processes on a busy machine disturb less than wall-clock figures.

Peer clients do the same work where they are installed (``peers/``; ``nox -s bench --
--peers`` installs them): janus-client 0.9.0 (PyPI) and janode 1.8.0 (npm, Node), each in a
process of its own, right after the library and raw runs of the same scenario, best of
``--rounds`` runs. A peer that is not installed gets a "not installed" row, a transport it
lacks an "n/a" row with the reason; ``--no-peers`` leaves them out.

The script is a benchmark, not a test: it exits 0 even when a target is missed (it prints
``MISSED`` beside it), and whatever a peer does.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import json
import os
import platform
import socket
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from importlib.metadata import version
from typing import Any, Literal, Protocol

import aiohttp
import peers
from measure import Run, open_sockets, rss_kb, run_concurrent, run_pool, run_sequential
from websockets.asyncio.client import ClientConnection
from websockets.asyncio.client import connect as ws_connect
from websockets.typing import Subprotocol

import janus_webrtc
from janus_webrtc.testing import JanusServer
from janus_webrtc.transports.unix import unix_socket_address

Transport = Literal["ws", "http", "unix"]
Kind = Literal["lib", "raw"]
Client = Literal["raw", "lib", "lib-generic", "janus-client", "janode"]
Work = Literal["sequential", "concurrent", "cycles"]

TRANSPORTS: tuple[Transport, ...] = ("ws", "http", "unix")
KINDS: tuple[Kind, ...] = ("lib", "raw")
ROW_ORDER: tuple[Kind, ...] = ("raw", "lib")
KIND_NAMES: dict[Kind, str] = {"lib": "janus_webrtc", "raw": "raw"}

PLUGIN = "videoroom"
PLUGIN_ID = "janus.plugin.videoroom"
BODY: dict[str, Any] = {"request": "exists", "room": 1234}

SEQUENTIAL_OPS = 2000
CONCURRENT_OPS = 5000
IN_FLIGHT = 100
CYCLES = 300
SETUP_COUNTS = (500, 1000)
MEMORY_COUNTS = (3000, 10000)
AT_ONCE = 100
SETUP_CLIENTS: tuple[Client, ...] = ("raw", "lib")
MEMORY_CLIENTS: tuple[Client, ...] = ("raw", "lib-generic", "lib")
PEER_CLIENTS: tuple[Client, ...] = ("janus-client", "janode")
"""Peer clients (``peers/``), measured where installed, after the library's and raw rows."""
PEER_WARMUP_OPS = 200
PEER_WARMUP_CYCLES = 20
"""A peer's process warms up as the parent does in :func:`warm_up` before its measured runs."""

RATIO_TARGET = 0.95
"""Scenarios 1-3: the library's rate at least this share of the raw client's."""
SETUP_RATIO_TARGET = 1.5
"""Scenario 4: the library's setup time at most this many times the raw client's."""
KB_RATIO_TARGET = 2.0
"""Scenario 5: the library's memory per session at most this many times the raw client's."""
RSS_TARGET_MB = 100.0
"""Scenario 5: the whole process with the most sessions and plugin handles, under this."""
DEFAULT_ROUNDS = 3
BLOCKS = 5
"""Each run of scenarios 1-3 is cut into up to this many blocks, alternating with the other
kind's blocks (fewer when blocks would be too small, as with ``--quick``)."""
RUN_TIMEOUT = 300.0
"""Seconds allowed for one measured run before the benchmark gives up on it."""
CHILD_TIMEOUT = 300.0
"""Seconds allowed for one subprocess of scenario 4 or 5."""
POLL_SETTLE = 1.0
"""Seconds given to the HTTP long-polls of new sessions to reach Janus before RSS is read."""


# -- raw clients ----------------------------------------------------------------------------


class RawError(Exception):
    """Janus answered a raw client's request with an error."""


class RawClient(Protocol):
    """What both raw clients offer: the same work as the library, with nothing extra."""

    async def open(self, url: str) -> None: ...

    async def create_session(self) -> int: ...

    async def attach(self, session_id: int, plugin: str) -> int: ...

    async def message(self, session_id: int, handle_id: int, body: dict[str, Any]) -> Any: ...

    async def detach(self, session_id: int, handle_id: int) -> None: ...

    async def destroy(self, session_id: int) -> None: ...

    async def close(self) -> None: ...


def _checked(reply: dict[str, Any]) -> dict[str, Any]:
    if reply.get("janus") == "error":
        raise RawError(str(reply.get("error")))
    return reply


def _plugin_data(reply: dict[str, Any]) -> Any:
    """Return a plugin's answer, raising on a plugin error (as the library does)."""
    data = reply["plugindata"]["data"]
    if "error" in data:
        raise RawError(str(data["error"]))
    return data


class RawWsClient:
    """A minimal Janus client over one WebSocket: transaction -> future, one reader task."""

    def __init__(self) -> None:
        self._ws: ClientConnection | None = None
        self._reader: asyncio.Task[None] | None = None
        self._pending: dict[str, asyncio.Future[dict[str, Any]]] = {}
        self._counter = 0

    async def open(self, url: str) -> None:
        self._ws = await ws_connect(
            url, subprotocols=[Subprotocol("janus-protocol")], compression=None
        )
        self._reader = asyncio.create_task(self._read(self._ws))

    async def _read(self, ws: ClientConnection) -> None:
        pending = self._pending
        async for raw in ws:
            message = json.loads(raw)
            if message.get("janus") == "ack":
                continue
            future = pending.pop(message.get("transaction"), None)
            if future is not None and not future.done():
                future.set_result(message)

    async def _request(self, message: dict[str, Any]) -> dict[str, Any]:
        assert self._ws is not None
        self._counter += 1
        transaction = str(self._counter)
        message["transaction"] = transaction
        future = asyncio.get_running_loop().create_future()
        self._pending[transaction] = future
        await self._ws.send(json.dumps(message))
        return _checked(await future)

    async def create_session(self) -> int:
        reply = await self._request({"janus": "create"})
        return int(reply["data"]["id"])

    async def attach(self, session_id: int, plugin: str) -> int:
        reply = await self._request({"janus": "attach", "session_id": session_id, "plugin": plugin})
        return int(reply["data"]["id"])

    async def message(self, session_id: int, handle_id: int, body: dict[str, Any]) -> Any:
        reply = await self._request(
            {"janus": "message", "session_id": session_id, "handle_id": handle_id, "body": body}
        )
        return _plugin_data(reply)

    async def detach(self, session_id: int, handle_id: int) -> None:
        await self._request({"janus": "detach", "session_id": session_id, "handle_id": handle_id})

    async def destroy(self, session_id: int) -> None:
        await self._request({"janus": "destroy", "session_id": session_id})

    async def close(self) -> None:
        if self._ws is not None:
            await self._ws.close()
        if self._reader is not None:
            await asyncio.gather(self._reader, return_exceptions=True)


class RawHttpClient:
    """A minimal Janus client over HTTP: POST per request, one long-poll GET per session.

    Long-polls have a connection pool of their own. (On one shared pool, each connection a
    request frees is taken by a new session's poll, so nearly every request opens a new
    connection, and with many sessions set up at once Janus's listen backlog overflows: some
    connects then wait for SYN retransmits, 15 s and more.)
    """

    def __init__(self) -> None:
        self._http: aiohttp.ClientSession | None = None
        self._poll_http: aiohttp.ClientSession | None = None
        self._url = ""
        self._polls: dict[int, asyncio.Task[None]] = {}
        self._counter = 0

    async def open(self, url: str) -> None:
        self._url = url
        self._http = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0))
        self._poll_http = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0))

    async def _post(self, path: str, message: dict[str, Any]) -> dict[str, Any]:
        assert self._http is not None
        self._counter += 1
        message["transaction"] = str(self._counter)
        async with self._http.post(self._url + path, data=json.dumps(message)) as response:
            body = await response.read()
        reply: dict[str, Any] = json.loads(body)
        return _checked(reply)

    async def _poll(self, session_id: int) -> None:
        assert self._poll_http is not None
        url = f"{self._url}/{session_id}"
        while True:
            async with self._poll_http.get(url, params={"maxev": "10"}) as response:
                body = await response.read()
            events = json.loads(body)
            if isinstance(events, dict) and events.get("janus") == "error":
                return  # the session is gone

    async def create_session(self) -> int:
        reply = await self._post("", {"janus": "create"})
        session_id = int(reply["data"]["id"])
        self._polls[session_id] = asyncio.create_task(self._poll(session_id))
        return session_id

    async def attach(self, session_id: int, plugin: str) -> int:
        reply = await self._post(f"/{session_id}", {"janus": "attach", "plugin": plugin})
        return int(reply["data"]["id"])

    async def message(self, session_id: int, handle_id: int, body: dict[str, Any]) -> Any:
        reply = await self._post(f"/{session_id}/{handle_id}", {"janus": "message", "body": body})
        return _plugin_data(reply)

    async def detach(self, session_id: int, handle_id: int) -> None:
        await self._post(f"/{session_id}/{handle_id}", {"janus": "detach"})

    async def destroy(self, session_id: int) -> None:
        try:
            await self._post(f"/{session_id}", {"janus": "destroy"})
        finally:
            task = self._polls.pop(session_id, None)
            if task is not None:
                task.cancel()

    async def close(self) -> None:
        polls = list(self._polls.values())
        self._polls.clear()
        for task in polls:
            task.cancel()
        await asyncio.gather(*polls, return_exceptions=True)
        for http in (self._http, self._poll_http):
            if http is not None:
                await http.close()


class RawUnixClient(RawWsClient):
    """A minimal Janus client over Janus's Unix socket (pfunix, SOCK_SEQPACKET): one JSON
    message per record each way, transaction -> future, one reader task.

    The requests and replies are those of :class:`RawWsClient`; only the socket differs.
    """

    RECV_SIZE = 65536
    """Largest reply read in one record (the benchmark's replies are a few hundred bytes)."""

    def __init__(self) -> None:
        super().__init__()
        self._sock: socket.socket | None = None
        self._send_lock = asyncio.Lock()

    async def open(self, url: str) -> None:
        path, kind = unix_socket_address(url)
        sock = socket.socket(socket.AF_UNIX, kind)
        sock.setblocking(False)
        try:
            await asyncio.get_running_loop().sock_connect(sock, path)
        except BaseException:
            sock.close()
            raise
        self._sock = sock
        self._reader = asyncio.create_task(self._read_socket(sock))

    async def _read_socket(self, sock: socket.socket) -> None:
        loop = asyncio.get_running_loop()
        pending = self._pending
        try:
            while True:
                record = await loop.sock_recv(sock, self.RECV_SIZE)
                if not record:
                    break  # Janus closed the socket
                message = json.loads(record)
                if message.get("janus") == "ack":
                    continue
                future = pending.pop(message.get("transaction"), None)
                if future is not None and not future.done():
                    future.set_result(message)
        finally:
            for future in pending.values():
                if not future.done():
                    future.set_exception(RawError("the Unix socket closed"))
            pending.clear()

    async def _request(self, message: dict[str, Any]) -> dict[str, Any]:
        sock = self._sock
        assert sock is not None
        self._counter += 1
        transaction = str(self._counter)
        message["transaction"] = transaction
        future = asyncio.get_running_loop().create_future()
        self._pending[transaction] = future
        data = json.dumps(message).encode()
        try:
            sock.send(data)  # a SEQPACKET record goes whole or not at all
        except BlockingIOError:
            async with self._send_lock:  # one sock_sendall at a time waits for the socket
                await asyncio.get_running_loop().sock_sendall(sock, data)
        return _checked(await future)

    async def close(self) -> None:
        if self._sock is not None:
            with contextlib.suppress(OSError):  # OSError: Janus closed it first
                self._sock.shutdown(socket.SHUT_RDWR)  # ends the reader's sock_recv with b""
        if self._reader is not None:
            await asyncio.gather(self._reader, return_exceptions=True)
        if self._sock is not None:
            self._sock.close()


def raw_client(transport: Transport) -> RawClient:
    if transport == "ws":
        return RawWsClient()
    if transport == "unix":
        return RawUnixClient()
    return RawHttpClient()


# -- what each client kind does ---------------------------------------------------------------


class Target(Protocol):
    """One client kind, connected, with a session and a handle ready for requests."""

    kind: Kind

    def op(self) -> Awaitable[Any]:
        """One sync plugin request on the shared handle."""

    async def cycle(self) -> None:
        """Create a session, attach, detach, destroy."""

    async def close(self) -> None: ...


class LibTarget:
    kind: Kind = "lib"

    def __init__(self) -> None:
        self._conn: janus_webrtc.Connection | None = None
        self._session: janus_webrtc.Session | None = None
        self._handle: janus_webrtc.Handle | None = None

    async def open(self, url: str) -> LibTarget:
        self._conn = await janus_webrtc.connect(url)
        self._session = await self._conn.create_session()
        self._handle = await self._session.attach(PLUGIN)
        return self

    def op(self) -> Awaitable[Any]:
        assert self._handle is not None
        return self._handle.send(BODY)

    async def cycle(self) -> None:
        assert self._conn is not None
        session = await self._conn.create_session()
        handle = await session.attach(PLUGIN)
        await handle.detach()
        await session.destroy()

    async def close(self) -> None:
        if self._conn is not None:
            await self._conn.close()


class RawTarget:
    kind: Kind = "raw"

    def __init__(self, transport: Transport) -> None:
        self._client = raw_client(transport)
        self._session_id = 0
        self._handle_id = 0

    async def open(self, url: str) -> RawTarget:
        await self._client.open(url)
        self._session_id = await self._client.create_session()
        self._handle_id = await self._client.attach(self._session_id, PLUGIN_ID)
        return self

    def op(self) -> Awaitable[Any]:
        return self._client.message(self._session_id, self._handle_id, BODY)

    async def cycle(self) -> None:
        client = self._client
        session_id = await client.create_session()
        handle_id = await client.attach(session_id, PLUGIN_ID)
        await client.detach(session_id, handle_id)
        await client.destroy(session_id)

    async def close(self) -> None:
        if self._session_id:
            await self._client.destroy(self._session_id)
        await self._client.close()


async def open_target(kind: Kind, transport: Transport, url: str) -> Target:
    if kind == "lib":
        return await LibTarget().open(url)
    return await RawTarget(transport).open(url)


# -- measurement ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Scenario:
    number: int
    title: str
    unit: str
    work: Work
    """What a peer's process is asked to do (see ``peers/__init__.py``)."""
    count: int
    run: Callable[[Target, int], Awaitable[Run]]
    min_block: int
    """Smallest block worth timing on its own (see :func:`compare`)."""


def scenarios(scale: int) -> list[Scenario]:
    sequential = SEQUENTIAL_OPS // scale
    concurrent = CONCURRENT_OPS // scale
    cycles = CYCLES // scale
    return [
        Scenario(
            1,
            f"{sequential} sequential requests",
            "ops/s",
            "sequential",
            sequential,
            lambda target, n: run_sequential(target.op, n),
            100,
        ),
        Scenario(
            2,
            f"{concurrent} requests, {IN_FLIGHT} in flight",
            "ops/s",
            "concurrent",
            concurrent,
            lambda target, n: run_concurrent(target.op, n, IN_FLIGHT),
            10 * IN_FLIGHT,
        ),
        Scenario(
            3,
            f"{cycles} create/attach/detach/destroy",
            "cycles/s",
            "cycles",
            cycles,
            lambda target, n: run_sequential(target.cycle, n),
            30,
        ),
    ]


@dataclass
class Comparison:
    scenario: Scenario
    transport: Transport
    best: dict[Kind, Run]
    peers: dict[Client, Run | str] = field(default_factory=dict)
    """Each peer's best run, or why it has none ("not installed", "n/a: ...", "failed: ...")."""

    @property
    def ratio(self) -> float:
        """Library rate / raw rate (1.0: as fast; below: slower)."""
        return self.ratio_of(self.best["lib"])

    def ratio_of(self, run: Run) -> float:
        """A client's rate / the raw client's rate."""
        return run.rate / self.best["raw"].rate


async def compare(
    scenario: Scenario, transport: Transport, url: str, rounds: int, count: int
) -> dict[Kind, Run]:
    """Run both kinds ``rounds`` times and keep each kind's best run.

    Within a round, each kind's run is cut into blocks that alternate with the other kind's
    (lib, raw, raw, lib, ...), so that both see the same load from other processes.
    """
    targets = {kind: await open_target(kind, transport, url) for kind in KINDS}
    blocks = max(1, min(BLOCKS, count // scenario.min_block))
    sizes = [count // blocks + (1 if i < count % blocks else 0) for i in range(blocks)]
    best: dict[Kind, Run] = {}
    try:
        for round_number in range(rounds):
            parts: dict[Kind, list[Run]] = {kind: [] for kind in KINDS}
            for block, size in enumerate(sizes):
                order = KINDS if (round_number + block) % 2 == 0 else KINDS[::-1]
                for kind in order:
                    async with asyncio.timeout(RUN_TIMEOUT):
                        parts[kind].append(await scenario.run(targets[kind], size))
            for kind in KINDS:
                run = Run.combine(parts[kind])
                if kind not in best or run.rate > best[kind].rate:
                    best[kind] = run
    finally:
        for target in targets.values():
            await target.close()
    return best


# -- peer clients (peers/), each in a process of its own ---------------------------------------


@dataclass(frozen=True)
class PeerStatus:
    """A peer client as found at start: its version, or why it cannot run."""

    client: Client
    peer: peers.Peer
    version: str | None
    reason: str

    def blocked(self, transport: Transport) -> str | None:
        """Why the peer has no figures over ``transport`` (``None``: it runs)."""
        if self.version is None:
            return self.reason
        return self.peer.unsupported(transport)


def find_peers(enabled: bool) -> list[PeerStatus]:
    """Every peer client of :data:`PEER_CLIENTS`, found or not (none with ``--no-peers``)."""
    if not enabled:
        return []
    found = []
    for client in PEER_CLIENTS:
        peer = peers.BY_NAME[client]
        peer_version, reason = peer.found()
        found.append(PeerStatus(client, peer, peer_version, reason))
    return found


def short(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def measure_peer(
    status: PeerStatus, scenario: Scenario, transport: Transport, url: str, rounds: int
) -> Run | str:
    """A peer's best of ``rounds`` runs of a scenario, or why there is none."""
    blocked = status.blocked(transport)
    if blocked is not None:
        return blocked
    spec = {
        "mode": "ops",
        "work": scenario.work,
        "url": url,
        "count": scenario.count,
        "in_flight": IN_FLIGHT,
        "rounds": rounds,
        "room": BODY["room"],
        "warmup_ops": PEER_WARMUP_OPS,
        "warmup_cycles": PEER_WARMUP_CYCLES,
        "run_timeout": RUN_TIMEOUT,
    }
    data = status.peer.run(spec, timeout=RUN_TIMEOUT * (rounds + 1))
    runs = data.get("runs")
    if data.get("error") or not runs:
        return f"failed: {short(str(data.get('error') or 'no runs'))}"
    return max((Run.from_json(run) for run in runs), key=lambda run: run.rate)


# -- scenarios 4 and 5: many sessions, in a fresh process per run ------------------------------

CLIENT_NAMES: dict[Client, str] = {
    "raw": "raw",
    "lib": "janus_webrtc",
    "lib-generic": "jw generic",
    "janus-client": "janus-client",
    "janode": "janode",
}
"""``lib`` attaches with the plugin's name (the janus-videoroom package's handle); ``lib-generic``
with a plain :class:`janus_webrtc.Handle` subclass (no plugin package involved)."""


class GenericHandle(janus_webrtc.Handle):
    """The core's handle, for the plugin the benchmark uses: no plugin package involved."""

    plugin_id = PLUGIN_ID


async def _lib_sessions(
    client: Client, url: str, count: int, at_once: int, result: dict[str, Any]
) -> None:
    janus_webrtc.plugins.available()  # load the plugin registry: part of "imports"
    plugin: str | type[janus_webrtc.Handle] = PLUGIN if client == "lib" else GenericHandle
    async with janus_webrtc.connect(url) as conn:
        gc.collect()
        result["rss_base_kb"] = rss_kb()
        handles: list[janus_webrtc.Handle] = []

        async def one() -> None:
            session = await conn.create_session()
            handles.append(await session.attach(plugin))

        start = time.perf_counter()
        errors = await run_pool(count, at_once, one)
        result["setup_s"] = time.perf_counter() - start
        result["created"] = len(handles)
        if errors:
            result["error"] = f"{len(errors)} failed, first: {errors[0]}"
        await asyncio.sleep(POLL_SETTLE)
        if handles:  # every session must still answer, and the connection be alive
            await handles[0].send(BODY)
            await handles[-1].send(BODY)
        result["alive"] = not conn.closed
        gc.collect()
        result["rss_after_kb"] = rss_kb()
        result["sockets"] = open_sockets()
        start = time.perf_counter()
        sessions = iter([handle.session for handle in handles])

        async def destroy() -> None:
            await next(sessions).destroy()

        errors = await run_pool(len(handles), at_once, destroy)
        if errors:
            result["teardown_error"] = f"{len(errors)} failed, first: {errors[0]}"
        result["teardown_s"] = time.perf_counter() - start


async def _raw_sessions(
    transport: Transport, url: str, count: int, at_once: int, result: dict[str, Any]
) -> None:
    client = raw_client(transport)
    await client.open(url)
    gc.collect()
    result["rss_base_kb"] = rss_kb()
    ids: list[tuple[int, int]] = []

    async def one() -> None:
        session_id = await client.create_session()
        ids.append((session_id, await client.attach(session_id, PLUGIN_ID)))

    start = time.perf_counter()
    errors = await run_pool(count, at_once, one)
    result["setup_s"] = time.perf_counter() - start
    result["created"] = len(ids)
    if errors:
        result["error"] = f"{len(errors)} failed, first: {errors[0]}"
    await asyncio.sleep(POLL_SETTLE)
    if ids:
        await client.message(*ids[0], BODY)
        await client.message(*ids[-1], BODY)
    result["alive"] = True
    gc.collect()
    result["rss_after_kb"] = rss_kb()
    result["sockets"] = open_sockets()
    start = time.perf_counter()
    sessions = iter(ids)

    async def destroy() -> None:
        await client.destroy(next(sessions)[0])

    errors = await run_pool(len(ids), at_once, destroy)
    if errors:
        result["teardown_error"] = f"{len(errors)} failed, first: {errors[0]}"
    result["teardown_s"] = time.perf_counter() - start
    await client.close()


async def run_parallel_setup(
    client: Client, transport: Transport, url: str, count: int, at_once: int, result: dict[str, Any]
) -> None:
    """Set up ``count`` sessions with a handle each, ``at_once`` at a time, then destroy them."""
    if client == "raw":
        await _raw_sessions(transport, url, count, at_once, result)
    else:
        await _lib_sessions(client, url, count, at_once, result)


def sessions_child(
    client: Client, transport: Transport, url: str, count: int, at_once: int
) -> None:
    """Entry point of the subprocess: print one JSON line with the figures."""
    result: dict[str, Any] = {"client": client, "transport": transport, "requested": count}
    try:
        asyncio.run(run_parallel_setup(client, transport, url, count, at_once, result))
    except Exception as exc:
        result.setdefault("error", f"{type(exc).__name__}: {exc}")
    print(json.dumps(result), flush=True)


@dataclass
class SessionsResult:
    """What one subprocess measured."""

    client: Client
    requested: int
    created: int
    setup_s: float
    teardown_s: float
    rss_base_kb: int
    rss_after_kb: int
    sockets: int
    error: str | None
    teardown_error: str | None

    @property
    def ok(self) -> bool:
        return self.error is None and self.created == self.requested

    @property
    def growth_kb(self) -> int:
        return self.rss_after_kb - self.rss_base_kb


def run_child(
    client: Client,
    transport: Transport,
    url: str,
    count: int,
    at_once: int,
    peer: peers.Peer | None = None,
) -> SessionsResult:
    """Run one client's sessions in a fresh process: this script, or ``peer``'s."""
    if peer is not None:
        spec = {
            "mode": "sessions",
            "url": url,
            "count": count,
            "at_once": at_once,
            "room": BODY["room"],
            "settle": POLL_SETTLE,
        }
        data = peer.run(spec, timeout=CHILD_TIMEOUT)
    else:
        data = _own_child(client, transport, url, count, at_once)
    return SessionsResult(
        client=client,
        requested=count,
        created=int(data.get("created", 0)),
        setup_s=float(data.get("setup_s", 0.0)),
        teardown_s=float(data.get("teardown_s", 0.0)),
        rss_base_kb=int(data.get("rss_base_kb", 0)),
        rss_after_kb=int(data.get("rss_after_kb", 0)),
        sockets=int(data.get("sockets", 0)),
        error=data.get("error") or (None if data.get("alive", False) else "connection lost"),
        teardown_error=data.get("teardown_error"),
    )


def _own_child(
    client: Client, transport: Transport, url: str, count: int, at_once: int
) -> dict[str, Any]:
    command = [sys.executable, os.path.abspath(__file__), "--sessions-child"]
    command += [client, transport, url, str(count), str(at_once)]
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=CHILD_TIMEOUT, check=False
        )
    except subprocess.TimeoutExpired:
        return {"error": f"child timed out after {CHILD_TIMEOUT:g} s"}
    lines = done.stdout.strip().splitlines()
    data: dict[str, Any] = json.loads(lines[-1]) if lines else {}
    if not data:
        data["error"] = f"child exited {done.returncode}: {done.stderr.strip()[-300:]}"
    return data


@dataclass
class SessionsRow:
    """One client's runs of one count over one transport (none, and a status, for a peer
    that cannot run)."""

    transport: Transport
    client: Client
    count: int
    runs: list[SessionsResult]
    status: str = ""

    @property
    def good(self) -> list[SessionsResult]:
        return [run for run in self.runs if run.ok] or self.runs

    @property
    def errors(self) -> int:
        return sum(1 for run in self.runs if not run.ok)

    @property
    def setup_times(self) -> list[float]:
        return sorted(run.setup_s for run in self.good)

    @property
    def setup_s(self) -> float:
        """The median setup time of the runs that worked."""
        times = self.setup_times
        return times[len(times) // 2]

    @property
    def lowest(self) -> SessionsResult:
        return min(self.good, key=lambda run: run.growth_kb)

    @property
    def kb_per_session(self) -> float:
        return self.lowest.growth_kb / self.count


def measure_sessions(
    transport: Transport,
    url: str,
    count: int,
    at_once: int,
    own_clients: Sequence[Client],
    rounds: int,
    peer_statuses: Sequence[PeerStatus] = (),
) -> tuple[list[SessionsRow], list[str]]:
    """Run every client ``rounds`` times in fresh processes, the order rotated each round.

    Peers that can run over ``transport`` join the rotation; the others get a row with the
    reason only.
    """
    notes: list[str] = []
    runners: dict[Client, peers.Peer | None] = dict.fromkeys(own_clients)
    blocked: dict[Client, str] = {}
    for status in peer_statuses:
        why = status.blocked(transport)
        if why is None:
            runners[status.client] = status.peer
        else:
            blocked[status.client] = why
    clients = list(runners)
    runs: dict[Client, list[SessionsResult]] = {client: [] for client in clients}
    for round_number in range(rounds):
        shift = round_number % len(clients)
        for client in [*clients[shift:], *clients[:shift]]:
            result = run_child(client, transport, url, count, at_once, runners[client])
            runs[client].append(result)
            if not result.ok:
                notes.append(
                    f"{transport}: {count} sessions with {CLIENT_NAMES[client]}: "
                    f"{result.created} created: {result.error}"
                )
            if result.teardown_error:
                notes.append(
                    f"{transport}: tearing down {count} sessions with "
                    f"{CLIENT_NAMES[client]} failed: {result.teardown_error}"
                )
            time.sleep(0.5)  # let Janus release the run's connections
    rows = [
        SessionsRow(transport, client, count, [], blocked[client])
        if client in blocked
        else SessionsRow(transport, client, count, runs[client])
        for client in [*own_clients, *(status.client for status in peer_statuses)]
    ]
    return rows, notes


# -- output ---------------------------------------------------------------------------------


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def print_comparisons(results: Sequence[Comparison], rounds: int) -> None:
    header = (
        f"{'scenario':<38} {'tr':<4} {'client':<12} {'rate':>14} {'p50 ms':>7} "
        f"{'p99 ms':>7} {'cpu us/op':>9} {'ratio':>6}  target"
    )
    print(header)
    print("-" * (len(header) + 16))
    for result in results:
        scenario = result.scenario
        name = f"{scenario.number}. {scenario.title}"
        for kind in ROW_ORDER:
            run = result.best[kind]
            rate = f"{run.rate:,.0f} {scenario.unit}"
            ratio = target = ""
            if kind == "lib":
                ratio = f"{result.ratio:.2f}x"
                target = f">= {RATIO_TARGET:.2f}x {verdict(result.ratio >= RATIO_TARGET)}"
            print(
                f"{name:<38} {result.transport:<4} {KIND_NAMES[kind]:<12} {rate:>14} "
                f"{run.percentile(0.50) * 1e3:>7.2f} {run.percentile(0.99) * 1e3:>7.2f} "
                f"{run.cpu_per_op_us:>9.0f} {ratio:>6}  {target}".rstrip()
            )
            name = ""
        for client, peer_run in result.peers.items():
            if isinstance(peer_run, str):
                print(f"{'':<38} {result.transport:<4} {CLIENT_NAMES[client]:<12} {peer_run}")
                continue
            rate = f"{peer_run.rate:,.0f} {scenario.unit}"
            print(
                f"{'':<38} {result.transport:<4} {CLIENT_NAMES[client]:<12} {rate:>14} "
                f"{peer_run.percentile(0.50) * 1e3:>7.2f} "
                f"{peer_run.percentile(0.99) * 1e3:>7.2f} {peer_run.cpu_per_op_us:>9.0f} "
                f"{f'{result.ratio_of(peer_run):.2f}x':>6}"
            )
    print(
        f"ratio = client rate / raw rate (<1: slower than raw); best of {rounds} runs per\n"
        f"client; janus_webrtc and raw each cut in up to {BLOCKS} blocks alternating with the\n"
        "other's; peers in a process of their own, right after; cpu = CPU time of the client's\n"
        "process per operation (the client's cost; Janus runs apart)"
    )


def print_sessions(title: str, rows: Sequence[SessionsRow], rounds: int, scenario: int) -> None:
    """Print scenario 4 (setup time against raw) or 5 (memory per session against raw)."""
    print(title)
    header = (
        f"{'tr':<4} {'client':<12} {'sessions':>8} {'setup s (min/med)':>17} {'ratio':>5} "
        f"{'RSS base MB':>11} {'RSS MB':>6} {'KB/session':>10} {'ratio':>5} {'sockets':>7} "
        f"{'errors':>6}  target"
    )
    print(header)
    print("-" * (len(header) + 24))
    raw_of = {(row.transport, row.count): row for row in rows if row.client == "raw"}
    for row in rows:
        if row.status:
            print(f"{row.transport:<4} {CLIENT_NAMES[row.client]:<12} {row.count:>8}  {row.status}")
            continue
        raw = raw_of.get((row.transport, row.count))
        lowest = row.lowest
        times = row.setup_times
        setup_ratio = kb_ratio = ""
        target = ""
        if raw is not None and row.client != "raw":
            setup = row.setup_s / raw.setup_s
            kb = row.kb_per_session / raw.kb_per_session if raw.kb_per_session > 0 else 0.0
            setup_ratio, kb_ratio = f"{setup:.2f}", f"{kb:.2f}"
            if row.client in PEER_CLIENTS:
                pass  # the targets are the library's
            elif scenario == 4:
                ok = setup <= SETUP_RATIO_TARGET and not row.errors
                target = f"setup <= {SETUP_RATIO_TARGET:g}x, no error: {verdict(ok)}"
            else:
                target = f"<= {KB_RATIO_TARGET:g}x raw: {verdict(kb <= KB_RATIO_TARGET)}"
                if row.client == "lib" and row.count >= MEMORY_COUNTS[-1]:
                    rss_mb = lowest.rss_after_kb / 1024
                    ok = rss_mb < RSS_TARGET_MB
                    target += f"; RSS < {RSS_TARGET_MB:g} MB: {verdict(ok)}"
        print(
            f"{row.transport:<4} {CLIENT_NAMES[row.client]:<12} {row.count:>8} "
            f"{f'{times[0]:.2f}/{row.setup_s:.2f}':>17} {setup_ratio:>5} "
            f"{lowest.rss_base_kb / 1024:>11.1f} {lowest.rss_after_kb / 1024:>6.1f} "
            f"{row.kb_per_session:>10.2f} {kb_ratio:>5} {lowest.sockets:>7} "
            f"{row.errors:>6}  {target}".rstrip()
        )
    print(
        f"{AT_ONCE} sessions set up at once (create + attach), each run in a fresh process; "
        f"{rounds} runs per client,\norder rotated; RSS = VmRSS (base after imports and "
        "connect); KB/session = RSS growth / sessions (lowest run);\nratio = client / raw; "
        "sockets = open sockets with all sessions up"
    )


# -- main -----------------------------------------------------------------------------------


def print_load(when: str) -> None:
    one, five, _ = os.getloadavg()
    cpus = os.cpu_count() or 1
    busy = "  (other processes are busy: expect noisy figures)" if five > 0.75 * cpus else ""
    print(f"load average {when}: {one:.2f} (1 min), {five:.2f} (5 min){busy}")


async def warm_up(url_of: dict[Transport, str], transports: Sequence[Transport]) -> None:
    for transport in transports:
        for kind in KINDS:
            target = await open_target(kind, transport, url_of[transport])
            try:
                await run_sequential(target.op, 200)
                await run_concurrent(target.op, 200, IN_FLIGHT)
                await run_sequential(target.cycle, 20)
            finally:
                await target.close()


async def run_comparisons(
    url_of: dict[Transport, str],
    transports: Sequence[Transport],
    numbers: Sequence[int],
    scale: int,
    rounds: int,
    peer_statuses: Sequence[PeerStatus],
) -> list[Comparison]:
    results: list[Comparison] = []
    for scenario in scenarios(scale):
        if scenario.number not in numbers:
            continue
        for transport in transports:
            url = url_of[transport]
            print(f"  scenario {scenario.number} over {transport} ...", flush=True)
            result = Comparison(
                scenario, transport, await compare(scenario, transport, url, rounds, scenario.count)
            )
            for status in peer_statuses:
                if status.blocked(transport) is None:
                    print(
                        f"  scenario {scenario.number} over {transport}: {status.client} ...",
                        flush=True,
                    )
                result.peers[status.client] = await asyncio.to_thread(
                    measure_peer, status, scenario, transport, url, rounds
                )
            results.append(result)
    return results


SUMMARY_CLIENTS: tuple[Client, ...] = ("raw", "lib", *PEER_CLIENTS)
SUMMARY_NAMES: dict[Client, str] = {**CLIENT_NAMES, "lib": "janus-webrtc"}


def _brief(status: str) -> str:
    """A status without its parenthesis: "not installed", "n/a: janode has no HTTP transport"."""
    return status.split(" (")[0]


def _ops_cell(run: Run | str | None, unit: str) -> str:
    if run is None:
        return "(not run)"
    if isinstance(run, str):
        return _brief(run)
    return f"{run.rate:,.0f} {unit}, {run.cpu_per_op_us:.0f} us CPU"


def _sessions_cell(row: SessionsRow | None, scenario: int) -> str:
    if row is None:
        return "(not run)"
    if row.status:
        return _brief(row.status)
    failed = f" ({row.errors} of {len(row.runs)} runs failed)" if row.errors else ""
    if scenario == 4:
        return f"{row.setup_s:.2f} s{failed}"
    return f"{row.kb_per_session:.1f} KB/session{failed}"


def print_summary(
    comparisons: Sequence[Comparison], sessions: dict[int, list[SessionsRow]], quick: bool
) -> None:
    """The table of docs/benchmarks.md, in Markdown: a row per workload and transport."""
    note = " -- smoke figures (--quick): not for publication" if quick else ""
    print(f"summary (Markdown, for docs/benchmarks.md){note}")
    header = ["#", "workload", "transport", *(SUMMARY_NAMES[c] for c in SUMMARY_CLIENTS)]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for result in comparisons:
        scenario = result.scenario
        runs: dict[Client, Run | str] = dict(result.peers)
        for kind, run in result.best.items():
            runs[kind] = run
        cells = [_ops_cell(runs.get(client), scenario.unit) for client in SUMMARY_CLIENTS]
        print(
            f"| {scenario.number} | {scenario.title} | {result.transport} | "
            + " | ".join(cells)
            + " |"
        )
    for number, rows in sessions.items():
        keys = sorted(
            {(row.transport, row.count) for row in rows},
            key=lambda k: (TRANSPORTS.index(k[0]), k[1]),
        )
        for transport, count in keys:
            by_client = {
                row.client: row for row in rows if (row.transport, row.count) == (transport, count)
            }
            title = (
                f"{count} sessions set up, {AT_ONCE} at once (median set-up time)"
                if number == 4
                else f"memory with {count} sessions (RSS growth / session)"
            )
            cells = [_sessions_cell(by_client.get(client), number) for client in SUMMARY_CLIENTS]
            print(f"| {number} | {title} | {transport} | " + " | ".join(cells) + " |")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="divide every count by 10")
    parser.add_argument(
        "--scenarios", default="1,2,3,4,5", help="comma-separated scenario numbers (default: all)"
    )
    parser.add_argument(
        "--transports",
        default="",
        help="comma-separated transports: ws, http, unix (default: all three, unix where the "
        "server has a Unix socket)",
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=DEFAULT_ROUNDS,
        help=f"runs per client kind, interleaved; the best is kept (default: {DEFAULT_ROUNDS})",
    )
    parser.add_argument(
        "--no-peers",
        action="store_true",
        help="leave out the peer clients (janus-client, janode) even where installed",
    )
    parser.add_argument("--sessions-child", nargs=5, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.sessions_child:
        client, transport, url, count, at_once = args.sessions_child
        sessions_child(client, transport, url, int(count), int(at_once))
        return 0

    scale = 10 if args.quick else 1
    numbers = [int(n) for n in args.scenarios.split(",") if n]
    asked = args.transports.split(",") if args.transports else list(TRANSPORTS)
    transports: list[Transport] = [t for t in TRANSPORTS if t in asked]
    started = time.perf_counter()
    print(
        f"janus_webrtc {janus_webrtc.__version__}, websockets {version('websockets')}, "
        f"aiohttp {version('aiohttp')}, Python {platform.python_version()}, "
        f"{os.cpu_count()} CPUs{', --quick (counts / 10)' if args.quick else ''}"
    )
    peer_statuses = find_peers(not args.no_peers)
    if peer_statuses:
        found = []
        for status in peer_statuses:
            if status.version is None:
                found.append(f"{status.client} {status.reason}")
            elif status.client == "janode":
                found.append(f"janode {status.version} (node {peers.node_version() or '?'})")
            else:
                found.append(f"{status.client} {status.version}")
        print(f"peers: {'; '.join(found)}")
    print_load("at start")
    comparisons: list[Comparison] = []
    sessions: dict[int, list[SessionsRow]] = {}
    with JanusServer(plugins=(PLUGIN,), session_timeout=300) as server:
        url_of: dict[Transport, str] = {
            "ws": server.endpoints.ws_url,
            "http": server.endpoints.http_url,
            "unix": server.endpoints.unix_url,
        }
        if "unix" in transports and not url_of["unix"]:
            print("note: this Janus has no Unix socket (no pfunix): unix is left out")
            transports.remove("unix")
        shown = " ".join(url_of[t] for t in TRANSPORTS if url_of[t])
        print(f"Janus pid {server.pid}: {shown}")
        if any(n in numbers for n in (1, 2, 3)):
            print("warm-up (not measured) ...", flush=True)
            asyncio.run(warm_up(url_of, transports))
            print("measuring scenarios 1-3 ...", flush=True)
            comparisons = asyncio.run(
                run_comparisons(url_of, transports, numbers, scale, args.rounds, peer_statuses)
            )
            print()
            print_comparisons(comparisons, args.rounds)
        for number, counts, clients, scenario_transports in (
            (4, SETUP_COUNTS, SETUP_CLIENTS, transports),
            (5, MEMORY_COUNTS, MEMORY_CLIENTS, [t for t in transports if t == "ws"]),
        ):
            if number not in numbers:
                continue
            rows: list[SessionsRow] = []
            notes: list[str] = []
            for transport in scenario_transports:
                for count in counts:
                    count //= scale
                    print(
                        f"measuring scenario {number}: {count} sessions over {transport} ...",
                        flush=True,
                    )
                    measured, failures = measure_sessions(
                        transport,
                        url_of[transport],
                        count,
                        AT_ONCE,
                        clients,
                        args.rounds,
                        peer_statuses,
                    )
                    rows += measured
                    notes += failures
            print()
            title = (
                "4. sessions with one handle each on one connection, set up 100 at once"
                if number == 4
                else "5. memory: sessions with one handle each on one WebSocket"
            )
            print_sessions(title, rows, args.rounds, number)
            for note in notes:
                print(f"note: {note}")
            sessions[number] = rows
    print()
    print_summary(comparisons, sessions, args.quick)
    print()
    print_load("at end")
    print(f"total time {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
