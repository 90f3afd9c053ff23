"""Profile the per-request path of janus-webrtc beside the raw clients of bench_core.py.

Run it from the repository root (after ``nox -s bench`` built its virtualenv)::

    .nox/bench/bin/python bench/profile_core.py
    .nox/bench/bin/python bench/profile_core.py --work concurrent --transports ws --top 25

For each piece of work (``sequential`` requests, ``concurrent`` requests with 100 in flight,
session ``cycles``, ``sessions`` set up 100 at once) and transport, it runs the library and
the raw client under :mod:`cProfile` against one private Janus, and prints the client's CPU
time per operation and where it goes: by layer (janus_webrtc, aiohttp, websockets, asyncio,
json, the rest) and, with ``--top``, the functions with the most own time. The profiler slows
everything down by the same factor for both clients, so compare the two, not the absolutes.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import pstats
import sys
import time
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

import bench_core as bench
from measure import run_concurrent, run_sequential

from janus_webrtc.testing import JanusServer

WORK = ("sequential", "concurrent", "cycles", "sessions")
COUNTS = {"sequential": 2000, "concurrent": 5000, "cycles": 300, "sessions": 1000}
LAYERS = (
    ("janus_webrtc", ("janus_webrtc",)),
    ("bench (raw client)", ("bench_core.py",)),
    ("bench loop", ("measure.py",)),
    ("aiohttp", ("aiohttp", "yarl", "multidict", "aiohappyeyeballs", "aiosignal")),
    ("websockets", ("websockets",)),
    ("json", ("json",)),
    ("asyncio", ("asyncio", "selectors", "{method 'poll'", "contextvars")),
    ("socket I/O", ("_socket.socket", "'send'", "'recv'", "'connect'")),
)


def layer_of(filename: str, name: str) -> str:
    where = f"{filename} {name}"
    for layer, marks in LAYERS:
        if any(mark in where for mark in marks):
            return layer
    return "other"


async def sessions_work(kind: bench.Kind, transport: bench.Transport, url: str, count: int) -> None:
    """Set up ``count`` sessions with one handle each, 100 at once, then destroy them."""
    await bench.run_parallel_setup(kind, transport, url, count, bench.IN_FLIGHT, {})


async def profile_one(
    work: str, kind: bench.Kind, transport: bench.Transport, url: str, count: int
) -> tuple[float, pstats.Stats]:
    """Run one piece of work under cProfile; return CPU seconds and the stats."""
    profiler = cProfile.Profile()
    if work == "sessions":
        cpu0 = time.process_time()
        profiler.enable()
        await sessions_work(kind, transport, url, count)
        profiler.disable()
        return time.process_time() - cpu0, pstats.Stats(profiler)
    target = await bench.open_target(kind, transport, url)
    try:
        step: Callable[[], Awaitable[Any]] = target.cycle if work == "cycles" else target.op
        await run_sequential(step, 50)  # warm
        cpu0 = time.process_time()
        profiler.enable()
        if work == "concurrent":
            await run_concurrent(step, count, bench.IN_FLIGHT)
        else:
            await run_sequential(step, count)
        profiler.disable()
        return time.process_time() - cpu0, pstats.Stats(profiler)
    finally:
        await target.close()


def by_layer(stats: pstats.Stats) -> dict[str, float]:
    totals: dict[str, float] = {}
    for (filename, _, name), row in stats.stats.items():  # type: ignore[attr-defined]
        own = row[2]
        layer = layer_of(filename, name)
        totals[layer] = totals.get(layer, 0.0) + own
    return totals


def top_functions(stats: pstats.Stats, count: int) -> list[tuple[float, int, str]]:
    rows = []
    for (filename, line, name), row in stats.stats.items():  # type: ignore[attr-defined]
        short = "/".join(Path(filename).parts[-2:]) if filename != "~" else ""
        rows.append((row[2], row[1], f"{short}:{line}({name})"))
    return sorted(rows, reverse=True)[:count]


async def main_async(args: argparse.Namespace, urls: dict[bench.Transport, str]) -> None:
    layers = [layer for layer, _ in LAYERS] + ["other"]
    for work in args.work.split(","):
        for transport in args.transports.split(","):
            t: bench.Transport = "ws" if transport == "ws" else "http"
            count = max(10, COUNTS[work] // args.scale)
            results = {}
            for kind in ("raw", "lib"):
                results[kind] = await profile_one(work, kind, t, urls[t], count)
            unit = "session" if work == "sessions" else ("cycle" if work == "cycles" else "req")
            print(f"\n== {work} over {t}: {count} x, CPU us per {unit} (under cProfile)")
            print(f"{'layer':<20} {'raw':>8} {'lib':>8}")
            shares = {kind: by_layer(stats) for kind, (_, stats) in results.items()}
            for layer in layers:
                raw = shares["raw"].get(layer, 0.0) / count * 1e6
                lib = shares["lib"].get(layer, 0.0) / count * 1e6
                if raw or lib:
                    print(f"{layer:<20} {raw:>8.0f} {lib:>8.0f}")
            raw_cpu, lib_cpu = (results[k][0] / count * 1e6 for k in ("raw", "lib"))
            print(f"{'total CPU':<20} {raw_cpu:>8.0f} {lib_cpu:>8.0f}  ({lib_cpu / raw_cpu:.2f}x)")
            if args.top:
                for kind in ("raw", "lib"):
                    print(f"-- {kind}: functions with the most own time (us per {unit}, calls)")
                    for own, calls, where in top_functions(results[kind][1], args.top):
                        print(f"  {own / count * 1e6:7.1f} {calls:>8}  {where}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--work", default=",".join(WORK), help="comma-separated: " + ",".join(WORK))
    parser.add_argument("--transports", default="ws,http")
    parser.add_argument("--top", type=int, default=0, help="also list the N busiest functions")
    parser.add_argument("--scale", type=int, default=1, help="divide every count by this")
    args = parser.parse_args(argv)
    with JanusServer(plugins=(bench.PLUGIN,), session_timeout=300) as server:
        urls: dict[bench.Transport, str] = {
            "ws": server.endpoints.ws_url,
            "http": server.endpoints.http_url,
        }
        asyncio.run(main_async(args, urls))
    return 0


if __name__ == "__main__":
    sys.exit(main())
