"""Soak: many sessions kept for minutes, each asking one request a minute; nothing may be lost.

Run with ``nox -s soak`` (``-- --minutes 2`` for a short one). It starts a private Janus and
keeps 500 sessions with a VideoRoom handle over WebSocket and 200 over HTTP (keepalives and
long-polls running), each sending one ``exists`` request per minute at its own moment. Every
30 s it prints the process RSS, the number of asyncio tasks, the requests answered and the
failures; at the end it checks that no session was lost, no request failed, and RSS and task
count stayed flat (the last sample within 10 % / +5 tasks of the first one after set-up).
Exits with status 1 if not.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import resource
import sys
import time
from dataclasses import dataclass, field

from janus_webrtc import Connection, Handle, JanusError, SessionLost, connect
from janus_webrtc.testing import JanusServer


@dataclass
class Figures:
    """What the soak has seen so far."""

    answered: int = 0
    failures: list[str] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)


def rss_mb() -> float:
    """The current resident set size of this process, in MB."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def open_sessions(conn: Connection, count: int, figures: Figures) -> list[Handle]:
    """Create ``count`` sessions with one VideoRoom handle each, 50 at a time."""
    limit = asyncio.Semaphore(50)

    async def one() -> Handle:
        async with limit:
            session = await conn.create_session()
            session.on(lambda event: figures.lost.append(str(event)), SessionLost)
            return await session.attach("videoroom")

    return list(await asyncio.gather(*(one() for _ in range(count))))


async def ask_every_minute(handle: Handle, figures: Figures, stop: asyncio.Event) -> None:
    """One request a minute, starting at a random moment of the first minute."""
    delay = random.uniform(0, 60)
    while True:
        try:
            await asyncio.wait_for(stop.wait(), delay)
            return
        except TimeoutError:
            pass
        try:
            reply = await handle.send({"request": "exists", "room": 42})
            assert reply.data.get("exists") is False
            figures.answered += 1
        except JanusError as exc:
            figures.failures.append(f"{type(exc).__name__}: {exc}")
        delay = 60.0


async def soak(minutes: float, ws_sessions: int, http_sessions: int) -> int:
    """Run the soak; return the exit status."""
    figures = Figures()
    with JanusServer() as server:
        async with (
            connect(server.endpoints.url("ws"), timeout=15) as ws,
            connect(server.endpoints.url("http"), timeout=15) as http,
        ):
            started = time.monotonic()
            handles = await open_sessions(ws, ws_sessions, figures)
            handles += await open_sessions(http, http_sessions, figures)
            print(
                f"set up {ws_sessions} ws + {http_sessions} http sessions in "
                f"{time.monotonic() - started:.1f} s",
                flush=True,
            )
            stop = asyncio.Event()
            askers = [asyncio.create_task(ask_every_minute(h, figures, stop)) for h in handles]
            samples: list[tuple[float, float, int]] = []
            print(" minute   RSS MB   tasks  answered  failures  lost", flush=True)
            deadline = time.monotonic() + minutes * 60
            while time.monotonic() < deadline:
                await asyncio.sleep(min(30.0, max(deadline - time.monotonic(), 0.0)))
                sample = (rss_mb(), len(asyncio.all_tasks()))
                elapsed = (time.monotonic() - started) / 60
                samples.append((elapsed, *sample))
                print(
                    f"{elapsed:7.1f} {sample[0]:8.1f} {sample[1]:7d} {figures.answered:9d}"
                    f" {len(figures.failures):9d} {len(figures.lost):5d}",
                    flush=True,
                )
            stop.set()
            await asyncio.gather(*askers)
    ok = not figures.failures and not figures.lost
    if len(samples) >= 3:
        _, first_rss, first_tasks = samples[1]
        _, last_rss, last_tasks = samples[-1]
        flat = last_rss <= first_rss * 1.10 and last_tasks <= first_tasks + 5
        print(
            f"RSS {first_rss:.1f} -> {last_rss:.1f} MB, tasks {first_tasks} -> {last_tasks}: "
            f"{'flat' if flat else 'GROWING'}"
        )
        ok = ok and flat
    for failure in figures.failures[:10]:
        print("failure:", failure)
    for lost in figures.lost[:10]:
        print("lost:", lost)
    print("soak:", "PASSED" if ok else "FAILED")
    return 0 if ok else 1


def main() -> None:
    """Parse the options and run the soak."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--ws-sessions", type=int, default=500)
    parser.add_argument("--http-sessions", type=int, default=200)
    args = parser.parse_args()
    sys.exit(asyncio.run(soak(args.minutes, args.ws_sessions, args.http_sessions)))


if __name__ == "__main__":
    main()
