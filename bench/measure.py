"""Timing and memory helpers shared by bench_core.py and the Python peer scripts in peers/.

Nothing here imports a Janus client, so that a peer's process holds only the peer: its RSS and
CPU figures are its own.
"""

from __future__ import annotations

import asyncio
import gc
import os
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Run:
    """One measured run: ``count`` operations (requests or cycles)."""

    count: int
    elapsed: float
    cpu: float
    latencies: list[float] = field(repr=False)

    @property
    def rate(self) -> float:
        return self.count / self.elapsed

    def percentile(self, fraction: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]

    @property
    def cpu_per_op_us(self) -> float:
        return self.cpu / self.count * 1e6

    @classmethod
    def combine(cls, parts: Sequence[Run]) -> Run:
        """One run made of blocks: counts, times and latencies added up."""
        latencies = [latency for part in parts for latency in part.latencies]
        return cls(
            sum(part.count for part in parts),
            sum(part.elapsed for part in parts),
            sum(part.cpu for part in parts),
            latencies,
        )

    def to_json(self) -> dict[str, Any]:
        """The run as a peer script prints it (latencies in seconds)."""
        return {
            "count": self.count,
            "elapsed": self.elapsed,
            "cpu": self.cpu,
            "latencies": [round(latency, 7) for latency in self.latencies],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Run:
        """Read a run printed by a peer script (Python or Node)."""
        return cls(
            int(data["count"]),
            float(data["elapsed"]),
            float(data["cpu"]),
            [float(latency) for latency in data["latencies"]],
        )


async def run_sequential(step: Callable[[], Awaitable[Any]], count: int) -> Run:
    latencies: list[float] = []
    append = latencies.append
    clock = time.perf_counter
    gc.collect()
    cpu0, start = time.process_time(), clock()
    for _ in range(count):
        began = clock()
        await step()
        append(clock() - began)
    elapsed, cpu = clock() - start, time.process_time() - cpu0
    return Run(count, elapsed, cpu, latencies)


async def run_concurrent(step: Callable[[], Awaitable[Any]], count: int, in_flight: int) -> Run:
    latencies: list[float] = []
    append = latencies.append
    clock = time.perf_counter
    remaining = count

    async def worker() -> None:
        nonlocal remaining
        while remaining > 0:
            remaining -= 1
            began = clock()
            await step()
            append(clock() - began)

    gc.collect()
    cpu0, start = time.process_time(), clock()
    async with asyncio.TaskGroup() as group:
        for _ in range(min(in_flight, count)):
            group.create_task(worker())
    elapsed, cpu = clock() - start, time.process_time() - cpu0
    return Run(count, elapsed, cpu, latencies)


async def run_pool(count: int, at_once: int, one: Callable[[], Awaitable[None]]) -> list[str]:
    """Run ``one`` ``count`` times, ``at_once`` at a time; return the errors."""
    errors: list[str] = []
    remaining = count

    async def worker() -> None:
        nonlocal remaining
        while remaining > 0:
            remaining -= 1
            try:
                await one()
            except Exception as exc:
                errors.append(f"{type(exc).__name__}: {exc}")

    async with asyncio.TaskGroup() as group:
        for _ in range(min(at_once, count)):
            group.create_task(worker())
    return errors


def rss_kb() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS in /proc/self/status")


def open_sockets() -> int:
    count = 0
    for name in os.listdir("/proc/self/fd"):
        try:
            if os.readlink(f"/proc/self/fd/{name}").startswith("socket:"):
                count += 1
        except OSError:
            continue
    return count
