"""The library's own CPU per request, with no server and no socket: janus-webrtc beside raw.

Run it from the repository root (after ``nox -s bench`` built its virtualenv)::

    .nox/bench/bin/python bench/overhead_core.py
    .nox/bench/bin/python bench/overhead_core.py --requests 100000 --rounds 5

Both clients make the same synchronous plugin request (videoroom ``exists``) over an
in-memory exchange that encodes each request to JSON, decodes it, and hands back the encoded
answer on the next loop turn, as a socket's reader would. The library runs its whole path
(``Handle.send``: the pending-request table, the deadline sweeper, routing by transaction,
the typed ``PluginResponse``); the raw client keeps a dict of transaction -> future and
returns the plugin's dict. What is left between the two is the library's own cost per
request, without the network, Janus or the transport library, whose time varies from run to
run far more than this does (see docs/benchmarks.md, "Where the time goes").
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import janus_webrtc
from janus_webrtc.transports.base import MessageSink, Transport

BODY = {"request": "exists", "room": 1234}
SESSION_ID = 11
HANDLE_ID = 22
WARM_UP = 2000


def _answer(request: dict[str, Any]) -> dict[str, Any]:
    """What Janus answers, for the three requests the benchmark makes."""
    reply: dict[str, Any] = {"janus": "success", "transaction": request["transaction"]}
    kind = request["janus"]
    if kind == "create":
        reply["data"] = {"id": SESSION_ID}
    elif kind == "attach":
        reply.update(session_id=SESSION_ID, data={"id": HANDLE_ID})
    else:
        reply.update(
            session_id=SESSION_ID,
            sender=HANDLE_ID,
            plugindata={
                "plugin": "janus.plugin.videoroom",
                "data": {"videoroom": "success", "room": 1234, "exists": True},
            },
        )
    return reply


def _exchange(request: dict[str, Any], deliver: Callable[[str], None]) -> None:
    """Encode and decode the request, and deliver the encoded answer on the next loop turn."""
    decoded = json.loads(json.dumps(request))
    asyncio.get_running_loop().call_soon(deliver, json.dumps(_answer(decoded)))


class InMemoryTransport(Transport):
    """A transport whose far end answers at once, in this process."""

    keepalive_required = False

    def __init__(self) -> None:
        self._sink: MessageSink | None = None

    async def open(self, sink: MessageSink) -> None:
        self._sink = sink

    async def send(self, message: dict[str, Any]) -> None:
        _exchange(message, self._deliver)

    def _deliver(self, text: str) -> None:
        if self._sink is not None:
            self._sink.message_received(json.loads(text))

    async def close(self) -> None:
        self._sink = None


async def library_requests(count: int) -> float:
    """Seconds for ``count`` sequential requests through ``Handle.send``."""
    conn = janus_webrtc.Connection(InMemoryTransport())
    await conn.open()
    try:
        session = await conn.create_session()
        handle = await session.attach("janus.plugin.videoroom")
        for _ in range(WARM_UP):
            await handle.send(BODY)
        started = time.perf_counter()
        for _ in range(count):
            await handle.send(BODY)
        return time.perf_counter() - started
    finally:
        await conn.close()


async def raw_requests(count: int) -> float:
    """Seconds for ``count`` sequential requests of a raw client: transaction -> future."""
    loop = asyncio.get_running_loop()
    pending: dict[str, asyncio.Future[dict[str, Any]]] = {}
    counter = 0

    def deliver(text: str) -> None:
        message = json.loads(text)
        future = pending.pop(message.get("transaction"), None)
        if future is not None and not future.done():
            future.set_result(message)

    async def request() -> Any:
        nonlocal counter
        counter += 1
        transaction = str(counter)
        message = {
            "janus": "message",
            "transaction": transaction,
            "session_id": SESSION_ID,
            "handle_id": HANDLE_ID,
            "body": BODY,
        }
        future = loop.create_future()
        pending[transaction] = future
        _exchange(message, deliver)
        reply = await future
        if reply.get("janus") == "error":
            raise RuntimeError(reply["error"])
        data = reply["plugindata"]["data"]
        if "error" in data:
            raise RuntimeError(data["error"])
        return data

    for _ in range(WARM_UP):
        await request()
    started = time.perf_counter()
    for _ in range(count):
        await request()
    return time.perf_counter() - started


async def measure(count: int, rounds: int) -> dict[str, float]:
    """Best seconds per request of each client, the two alternating ``rounds`` times."""
    runs: dict[str, Callable[[int], Awaitable[float]]] = {
        "raw": raw_requests,
        "janus_webrtc": library_requests,
    }
    best = {name: float("inf") for name in runs}
    for round_number in range(rounds):
        order = list(runs) if round_number % 2 == 0 else list(runs)[::-1]
        for name in order:
            best[name] = min(best[name], await runs[name](count) / count)
    return best


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--requests", type=int, default=50_000, help="requests per run")
    parser.add_argument("--rounds", type=int, default=3, help="runs per client; best kept")
    args = parser.parse_args(argv)
    best = asyncio.run(measure(args.requests, args.rounds))
    raw, library = best["raw"] * 1e6, best["janus_webrtc"] * 1e6
    print(f"{args.requests} sequential requests in memory, best of {args.rounds} runs each")
    print(f"raw           {raw:6.2f} us per request")
    print(f"janus_webrtc  {library:6.2f} us per request ({library / raw:.2f}x)")
    print(f"the library's own cost: {library - raw:.2f} us per request")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
