"""bench_core.py's workloads done with janus-client 0.9.0 (PyPI), the earlier Python client.

Run by bench_core.py in a process of its own (never by hand, though it can be)::

    python bench/peers/janus_client_core.py '{"mode": "ops", "work": "sequential", ...}'

The one argument is a JSON object (see ``peers/__init__.py`` for its keys); the script prints
one JSON line with the figures, or with ``"error"``. It calls janus-client's public API only:
``JanusTransport.create_transport``, ``JanusSession(transport=...)``, ``JanusVideoRoomPlugin``
and its ``exists()``. One transport is shared by every session, as the library's one
connection is.

Importing janus-client sets the root logger to INFO with a handler on stderr (its media module
calls ``logging.basicConfig``), so every request would be written to stderr twice; the root
logger is put back to WARNING right after the import, as an application would. The messages
are still formatted (f-strings): that cost is the client's own and is measured.
"""

from __future__ import annotations

import asyncio
import gc
import json
import logging
import sys
import time
from collections.abc import Awaitable, Callable
from importlib.metadata import version
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from janus_client import (
    JanusSession,
    JanusTransport,
    JanusVideoRoomPlugin,
)
from measure import Run, open_sockets, rss_kb, run_concurrent, run_pool, run_sequential

logging.getLogger().setLevel(logging.WARNING)


class Target:
    """One transport with a session and a videoroom handle, ready for requests."""

    def __init__(self, transport: Any, room: int) -> None:
        self.transport = transport
        self.room = room
        self.session: Any = None
        self.plugin: Any = None

    @classmethod
    async def open(cls, url: str, room: int) -> Target:
        transport = JanusTransport.create_transport(base_url=url)
        await transport.connect()
        target = cls(transport, room)
        target.session, target.plugin = await target.attach()
        return target

    async def attach(self) -> tuple[Any, Any]:
        session = JanusSession(transport=self.transport)
        await session.create()
        plugin = JanusVideoRoomPlugin()
        await plugin.attach(session)
        return session, plugin

    def op(self) -> Awaitable[Any]:
        request: Awaitable[Any] = self.plugin.exists(self.room)
        return request

    async def cycle(self) -> None:
        session, plugin = await self.attach()
        await plugin.destroy()
        await session.destroy()

    async def close(self) -> None:
        if self.session is not None:
            await self.session.destroy()  # the last session's destroy closes the transport
        await self.transport.disconnect()


async def ops(spec: dict[str, Any]) -> dict[str, Any]:
    """Warm up, then ``rounds`` runs of ``count`` requests or cycles."""
    target = await Target.open(spec["url"], spec["room"])
    try:
        work = spec["work"]
        step: Callable[[], Awaitable[Any]] = target.cycle if work == "cycles" else target.op
        if work == "cycles":
            await run_sequential(step, spec["warmup_cycles"])
        else:
            await run_sequential(step, spec["warmup_ops"])
            await run_concurrent(step, spec["warmup_ops"], spec["in_flight"])
        runs: list[Run] = []
        for _ in range(spec["rounds"]):
            async with asyncio.timeout(spec["run_timeout"]):
                if work == "concurrent":
                    runs.append(await run_concurrent(step, spec["count"], spec["in_flight"]))
                else:
                    runs.append(await run_sequential(step, spec["count"]))
        return {"runs": [run.to_json() for run in runs]}
    finally:
        await target.close()


async def sessions(spec: dict[str, Any], result: dict[str, Any]) -> None:
    """Set up ``count`` sessions with a videoroom handle each, ``at_once`` at a time."""
    transport = JanusTransport.create_transport(base_url=spec["url"])
    await transport.connect()
    gc.collect()
    result["rss_base_kb"] = rss_kb()
    pairs: list[tuple[Any, Any]] = []

    async def one() -> None:
        session = JanusSession(transport=transport)
        await session.create()
        plugin = JanusVideoRoomPlugin()
        await plugin.attach(session)
        pairs.append((session, plugin))

    start = time.perf_counter()
    errors = await run_pool(spec["count"], spec["at_once"], one)
    result["setup_s"] = time.perf_counter() - start
    result["created"] = len(pairs)
    if errors:
        result["error"] = f"{len(errors)} failed, first: {errors[0]}"
    await asyncio.sleep(spec["settle"])
    if pairs:  # every session must still answer, and the transport be up
        await pairs[0][1].exists(spec["room"])
        await pairs[-1][1].exists(spec["room"])
    result["alive"] = bool(transport.connected)
    gc.collect()
    result["rss_after_kb"] = rss_kb()
    result["sockets"] = open_sockets()
    start = time.perf_counter()
    left = iter(pairs)

    async def destroy() -> None:
        await next(left)[0].destroy()

    errors = await run_pool(len(pairs), spec["at_once"], destroy)
    if errors:
        result["teardown_error"] = f"{len(errors)} failed, first: {errors[0]}"
    result["teardown_s"] = time.perf_counter() - start
    await transport.disconnect()


def main() -> int:
    spec: dict[str, Any] = json.loads(sys.argv[1])
    result: dict[str, Any] = {"client": "janus-client", "version": version("janus-client")}
    try:
        if spec["mode"] == "ops":
            result.update(asyncio.run(ops(spec)))
        else:
            asyncio.run(sessions(spec, result))
    except Exception as exc:
        result.setdefault("error", f"{type(exc).__name__}: {exc}")
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
