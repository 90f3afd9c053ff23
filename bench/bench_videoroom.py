"""Benchmark janus-videoroom: time to first frame, and how many feeds one process can take.

Run it from the repository root::

    python bench/bench_videoroom.py           # full run, about two minutes
    python bench/bench_videoroom.py --quick   # fewer rounds and steps (CI smoke run)
    python bench/bench_videoroom.py --quick --scenarios 3   # the cascade scenario only

It starts a private Janus with ``JanusServer`` (ICE on the private address of
``ensure_ice_address``, aioice restricted to it, no STUN server) and measures, over WebSocket:

1. Join to first frame: with 1, 3 and 6 publishers of 160x120 VP8 video (30 fps) in a room,
   the time from a subscriber's ``join`` (session and handle already there) until the first
   decoded frame, and until a first frame from every publisher. The library's
   ``VideoRoomSubscriber`` is compared with a minimal raw client written here (a
   ``websockets`` connection with a dict of transaction -> future, and a bare aiortc
   ``RTCPeerConnection``). Runs are interleaved and the median is kept.
2. Feeds at full frame rate: N publishers of 160x120 video at 30 fps run in a separate
   process; one subscription in this process receives all N on one PeerConnection. N grows
   until a feed drops below 90 % of 30 fps. The publishers' own achieved rate is printed too:
   when it drops first, the limit found is theirs (a lower bound for the subscriber).
3. Subscribers served by one server, then by a cascade of three (``janus_videoroom.Cascade``:
   the room of the first server made visible on two more private servers). One publisher of
   160x120 VP8 video at 30 fps on the first server; N subscribers (one PeerConnection each)
   in three viewer processes, one per server in the cascade and all three on the one server,
   so that the client side is the same in both rows. N grows until a subscriber drops below
   90 % of 30 fps; the CPU of each Janus and of the viewer processes is printed for each step.
   On a machine with few cores the viewers' decoding takes most of it: the limit found is then
   the machine's, for both rows.

The script is a benchmark, not a test: it always exits 0.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import os
import platform
import statistics
import sys
import time
from collections import Counter
from typing import Any

import websockets
from aiortc import (
    MediaStreamTrack,
    RTCBundlePolicy,
    RTCConfiguration,
    RTCPeerConnection,
    RTCSessionDescription,
)
from aiortc.mediastreams import MediaStreamError
from websockets.typing import Subprotocol

import janus_webrtc
from janus_videoroom import Cascade, VideoRoomPublisher, VideoRoomSubscriber
from janus_webrtc import RemoteTrack
from janus_webrtc.media import TestPatternVideoTrack
from janus_webrtc.testing import JanusServer, ensure_ice_address, restrict_aioice_to

FPS = 30.0
WIDTH, HEIGHT = 160, 120
FULL_RATE = 0.9 * FPS


# -- publishers -------------------------------------------------------------------------------


async def start_publishers(
    session: janus_webrtc.Session, room: int, count: int
) -> tuple[list[int], list[TestPatternVideoTrack]]:
    """Start ``count`` video-only publishers; return their ids and tracks once all are up."""
    ids: list[int] = []
    tracks: list[TestPatternVideoTrack] = []
    handles = []
    for index in range(count):
        publisher = await session.attach(VideoRoomPublisher)
        publisher.configure_rtc(RTCConfiguration(iceServers=[]))
        track = TestPatternVideoTrack(width=WIDTH, height=HEIGHT, fps=FPS)
        publisher.add_track(track, direction="sendonly")
        joined = await publisher.join(room, display=f"pub{index}")
        await publisher.publish()
        assert isinstance(joined.id, int)
        ids.append(joined.id)
        tracks.append(track)
        handles.append(publisher)
    await asyncio.gather(*(h.wait_webrtc_up(timeout=20) for h in handles))
    return ids, tracks


async def farm(url: str, room: int, count: int) -> None:
    """Publisher process: start publishers, print their ids, publish until stdin closes."""
    async with (
        janus_webrtc.connect(url) as connection,
        await connection.create_session() as session,
    ):
        ids, tracks = await start_publishers(session, room, count)
        started = time.monotonic()
        first = sum(t.frames_sent for t in tracks)
        print(json.dumps({"feeds": ids}), flush=True)
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, sys.stdin.read)
        elapsed = time.monotonic() - started
        sent = sum(t.frames_sent for t in tracks) - first
        print(json.dumps({"fps": sent / count / elapsed}), flush=True)


# -- first frame: library ---------------------------------------------------------------------


class FirstFrames:
    """Reads one frame of each remote track, noting when it came."""

    def __init__(self, expected: int) -> None:
        self.started = time.perf_counter()
        self.expected = expected
        self.times: list[float] = []
        self.done = asyncio.Event()
        self.tasks: set[asyncio.Task[None]] = set()

    def track(self, track: MediaStreamTrack) -> None:
        self.tasks.add(asyncio.ensure_future(self._first(track)))

    async def _first(self, track: MediaStreamTrack) -> None:
        with contextlib.suppress(MediaStreamError):
            await track.recv()
            self.times.append(time.perf_counter() - self.started)
            if len(self.times) >= self.expected:
                self.done.set()
            while True:  # keep draining so that nothing piles up
                await track.recv()

    async def result(self, timeout: float = 20.0) -> tuple[float, float]:
        await asyncio.wait_for(self.done.wait(), timeout)
        return min(self.times), max(self.times)

    async def close(self) -> None:
        for task in self.tasks:
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)


async def library_first_frame(url: str, room: int, feeds: list[int]) -> tuple[float, float]:
    async with (
        janus_webrtc.connect(url) as connection,
        await connection.create_session() as session,
    ):
        subscriber = await session.attach(VideoRoomSubscriber)
        subscriber.configure_rtc(RTCConfiguration(iceServers=[]))
        frames = FirstFrames(len(feeds))
        subscriber.on(lambda event: frames.track(event.track), RemoteTrack)
        frames.started = time.perf_counter()
        await subscriber.join(room, streams=feeds)
        try:
            return await frames.result()
        finally:
            await frames.close()
            await subscriber.detach()


# -- first frame: minimal raw client ----------------------------------------------------------


class RawJanus:
    """The least a client needs: send JSON with a transaction, match the answers."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.pending: dict[str, asyncio.Future[dict[str, Any]]] = {}
        self.ids = itertools.count()
        self.reader = asyncio.ensure_future(self._read())

    async def _read(self) -> None:
        async for raw in self.ws:
            message = json.loads(raw)
            if message.get("janus") == "ack":
                continue
            future = self.pending.pop(message.get("transaction", ""), None)
            if future is not None and not future.done():
                future.set_result(message)

    async def request(self, message: dict[str, Any]) -> dict[str, Any]:
        transaction = f"t{next(self.ids)}"
        future = asyncio.get_running_loop().create_future()
        self.pending[transaction] = future
        await self.ws.send(json.dumps({**message, "transaction": transaction}))
        return await asyncio.wait_for(future, 10)

    async def close(self) -> None:
        self.reader.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self.reader


async def raw_first_frame(url: str, room: int, feeds: list[int]) -> tuple[float, float]:
    async with websockets.connect(url, subprotocols=[Subprotocol("janus-protocol")]) as ws:
        janus = RawJanus(ws)
        session = (await janus.request({"janus": "create"}))["data"]["id"]
        handle = (
            await janus.request(
                {"janus": "attach", "session_id": session, "plugin": "janus.plugin.videoroom"}
            )
        )["data"]["id"]
        # Max-bundle: with aiortc's default policy a second video m-line gets no media.
        pc = RTCPeerConnection(
            RTCConfiguration(iceServers=[], bundlePolicy=RTCBundlePolicy.MAX_BUNDLE)
        )
        frames = FirstFrames(len(feeds))
        pc.on("track", frames.track)
        address = {"janus": "message", "session_id": session, "handle_id": handle}
        frames.started = time.perf_counter()
        try:
            body = {
                "request": "join",
                "ptype": "subscriber",
                "room": room,
                "streams": [{"feed": f} for f in feeds],
            }
            attached = await janus.request({**address, "body": body})
            offer = attached["jsep"]
            await pc.setRemoteDescription(RTCSessionDescription(offer["sdp"], offer["type"]))
            await pc.setLocalDescription(await pc.createAnswer())
            answer = {"type": "answer", "sdp": pc.localDescription.sdp}
            await janus.request({**address, "body": {"request": "start"}, "jsep": answer})
            return await frames.result()
        finally:
            await frames.close()
            await pc.close()
            await janus.request({"janus": "destroy", "session_id": session})
            await janus.close()


# -- scenario 1 -------------------------------------------------------------------------------


async def first_frame_table(url: str, rounds: int) -> list[tuple[int, dict[str, list[float]]]]:
    results = []
    async with (
        janus_webrtc.connect(url) as connection,
        await connection.create_session() as session,
    ):
        admin = await session.attach(VideoRoomPublisher)
        for count in (1, 3, 6):
            room = (await admin.create_room(publishers=count)).room
            ids, _ = await start_publishers(session, room, count)
            await asyncio.sleep(1.0)  # let the encoders settle
            timings: dict[str, list[float]] = {"lib": [], "lib_all": [], "raw": [], "raw_all": []}
            for _ in range(rounds):
                for kind, measure in (("lib", library_first_frame), ("raw", raw_first_frame)):
                    first, last = await measure(url, room, ids)
                    timings[kind].append(first)
                    timings[f"{kind}_all"].append(last)
            results.append((count, timings))
            await admin.destroy_room(room)
            for handle in session.handles:
                if handle is not admin:
                    await handle.detach()
    return results


# -- scenario 2 -------------------------------------------------------------------------------


async def receive_rates(
    url: str, room: int, feeds: list[int], seconds: float
) -> tuple[list[float], float]:
    """Subscribe to every feed on one PeerConnection; return per-feed fps and process CPU %."""
    frames: Counter[str] = Counter()
    readers: set[asyncio.Task[None]] = set()

    async def count(event: RemoteTrack) -> None:
        with contextlib.suppress(MediaStreamError):
            while True:
                await event.track.recv()
                frames[event.mid or "?"] += 1

    async with (
        janus_webrtc.connect(url) as connection,
        await connection.create_session() as session,
    ):
        subscriber = await session.attach(VideoRoomSubscriber)
        subscriber.configure_rtc(RTCConfiguration(iceServers=[]))
        subscriber.on(lambda e: readers.add(asyncio.ensure_future(count(e))), RemoteTrack)
        await subscriber.join(room, streams=feeds)
        await subscriber.wait_connected(timeout=20)
        await asyncio.sleep(2.0)  # warm-up: keyframes, jitter buffers
        before, cpu, wall = Counter(frames), time.process_time(), time.perf_counter()
        await asyncio.sleep(seconds)
        elapsed = time.perf_counter() - wall
        mids = [s.mid for s in subscriber.streams if s.mid is not None and s.active]
        cpu_share = (time.process_time() - cpu) / elapsed * 100
        rates = [(frames[mid] - before[mid]) / elapsed for mid in mids]
        for reader in readers:
            reader.cancel()
        await asyncio.gather(*readers, return_exceptions=True)
        await subscriber.detach()
    return rates, cpu_share


async def capacity_table(
    url: str, ice: str | None, steps: list[int], seconds: float
) -> list[tuple[int, float, float, float, float]]:
    rows = []
    async with (
        janus_webrtc.connect(url) as connection,
        await connection.create_session() as session,
    ):
        admin = await session.attach(VideoRoomPublisher)
        for count in steps:
            room = (await admin.create_room(publishers=count)).room
            command = [sys.executable, __file__, "--farm", url, str(room), str(count)]
            if ice:
                command += ["--ice-address", ice]
            process = await asyncio.create_subprocess_exec(
                *command, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE
            )
            assert process.stdout is not None
            assert process.stdin is not None
            try:
                feeds = json.loads(await process.stdout.readline())["feeds"]
                rates, cpu = await receive_rates(url, room, feeds, seconds)
                process.stdin.close()
                sent = json.loads(await process.stdout.readline())["fps"]
            finally:
                if process.returncode is None:
                    with contextlib.suppress(ProcessLookupError):
                        process.stdin.close()
                    try:
                        await asyncio.wait_for(process.wait(), 20)
                    except TimeoutError:
                        process.kill()
                        await process.wait()
            await admin.destroy_room(room)
            rows.append((count, min(rates), statistics.mean(rates), sent, cpu))
            print(
                f"  {count:3d} feeds: min {min(rates):5.1f} fps, mean {statistics.mean(rates):5.1f}"
                f" fps (publishers sent {sent:5.1f} fps each), subscriber CPU {cpu:5.1f} %",
                flush=True,
            )
            if min(rates) < FULL_RATE:
                break
    return rows


# -- scenario 3 -------------------------------------------------------------------------------

CASCADE_SERVERS = 3


def janus_cpu_seconds(pid: int) -> float:
    """CPU seconds (user + system) a process has used, from /proc."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def viewers(url: str, room: int, feed: int, count: int, seconds: float) -> None:
    """Viewer process: ``count`` subscriptions to ``feed``; per-subscriber fps on stdout.

    Prints ``{"ready": true}`` once every subscription is up and warm, waits for a line on
    stdin, measures for ``seconds``, then prints ``{"fps": [...], "cpu": percent}``.
    """
    frames: Counter[int] = Counter()
    readers: set[asyncio.Task[None]] = set()

    async def read(index: int, track: MediaStreamTrack) -> None:
        with contextlib.suppress(MediaStreamError):
            while True:
                await track.recv()
                frames[index] += 1

    def reader(index: int) -> Any:
        return lambda event: readers.add(asyncio.ensure_future(read(index, event.track)))

    async with (
        janus_webrtc.connect(url) as connection,
        await connection.create_session() as session,
    ):
        subscribers = []
        for index in range(count):
            subscriber = await session.attach(VideoRoomSubscriber)
            subscriber.configure_rtc(RTCConfiguration(iceServers=[]))
            subscriber.on(reader(index), RemoteTrack)
            await subscriber.join(room, streams=[feed])
            subscribers.append(subscriber)
        await asyncio.gather(*(s.wait_connected(timeout=30) for s in subscribers))
        await asyncio.sleep(2.0)  # warm-up: keyframes, jitter buffers
        print(json.dumps({"ready": True}), flush=True)
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, sys.stdin.readline)
        before, cpu, wall = Counter(frames), time.process_time(), time.perf_counter()
        await asyncio.sleep(seconds)
        elapsed = time.perf_counter() - wall
        rates = [(frames[i] - before[i]) / elapsed for i in range(count)]
        share = (time.process_time() - cpu) / elapsed * 100
        print(json.dumps({"fps": rates, "cpu": share}), flush=True)
        for task in readers:
            task.cancel()
        await asyncio.gather(*readers, return_exceptions=True)


async def serve_step(
    urls: list[str],
    room: int,
    feed: int,
    count: int,
    ice: str | None,
    pids: list[int],
    seconds: float,
) -> tuple[list[float], list[float], float]:
    """``count`` subscribers over one viewer process per URL; per-subscriber fps, the CPU %
    of each Janus (``pids``) and of all viewer processes, over the same window."""
    per_process = count // len(urls)
    processes = []
    for url in urls:
        command = [
            sys.executable,
            __file__,
            "--viewers",
            url,
            str(room),
            str(feed),
            str(per_process),
            str(seconds),
        ]
        if ice:
            command += ["--ice-address", ice]
        processes.append(
            await asyncio.create_subprocess_exec(
                *command, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE
            )
        )
    try:
        for process in processes:
            assert process.stdout is not None
            json.loads(await process.stdout.readline())  # ready
        before = [janus_cpu_seconds(pid) for pid in pids]
        wall = time.perf_counter()
        for process in processes:
            assert process.stdin is not None
            process.stdin.write(b"go\n")
            await process.stdin.drain()
        results = []
        for process in processes:
            assert process.stdout is not None
            results.append(json.loads(await process.stdout.readline()))
        elapsed = time.perf_counter() - wall
        janus = [
            (janus_cpu_seconds(pid) - b) / elapsed * 100
            for pid, b in zip(pids, before, strict=True)
        ]
    finally:
        for process in processes:
            if process.stdin is not None:
                process.stdin.close()
            try:
                await asyncio.wait_for(process.wait(), 30)
            except TimeoutError:
                process.kill()
                await process.wait()
    rates = [rate for result in results for rate in result["fps"]]
    return rates, janus, sum(result["cpu"] for result in results)


async def cascade_table(
    origin: JanusServer, ice: str | None, steps: list[int], seconds: float
) -> dict[str, int]:
    """Scenario 3: the most subscribers at full rate, one server then a cascade of three."""
    best: dict[str, int] = {}
    others = [
        JanusServer(plugins=("videoroom",), ice_address=ice) for _ in range(CASCADE_SERVERS - 1)
    ]
    servers = [origin, *others]
    try:
        for server in others:
            server.start()
        urls = [server.endpoints.ws_url for server in servers]
        pids = [server.pid for server in servers if server.pid is not None]
        assert len(pids) == len(servers)
        async with contextlib.AsyncExitStack() as stack:
            connections = [
                await stack.enter_async_context(janus_webrtc.connect(url)) for url in urls
            ]
            sessions = [
                await stack.enter_async_context(await c.create_session()) for c in connections
            ]
            admins = [await s.attach(VideoRoomPublisher) for s in sessions]
            room = (await admins[0].create_room(publishers=1)).room
            assert isinstance(room, int)
            for admin in admins[1:]:
                await admin.create_room(room, publishers=1)
            publisher = await sessions[0].attach(VideoRoomPublisher)
            publisher.configure_rtc(RTCConfiguration(iceServers=[]))
            publisher.add_track(
                TestPatternVideoTrack(width=WIDTH, height=HEIGHT, fps=FPS), direction="sendonly"
            )
            feed = (await publisher.join(room, display="speaker")).id
            assert isinstance(feed, int)
            await publisher.publish()
            await publisher.wait_webrtc_up(timeout=20)
            for label, spread in (("one server", [urls[0]] * CASCADE_SERVERS), ("cascade", urls)):
                async with contextlib.AsyncExitStack() as cascading:
                    if label == "cascade":
                        cascade = await cascading.enter_async_context(
                            Cascade(room, origin=connections[0])
                        )
                        for connection in connections[1:]:
                            await cascade.add_server(connection, iface="127.0.0.1")
                    best[label] = 0
                    for count in steps:
                        rates, janus, viewer_cpu = await serve_step(
                            spread, room, feed, count, ice, pids, seconds
                        )
                        cpus = " ".join(f"{c:4.0f}" for c in janus)
                        print(
                            f"  {label:>10} {count:4d} subscribers: min {min(rates):5.1f} fps,"
                            f" mean {statistics.mean(rates):5.1f} fps; CPU % Janus [{cpus}],"
                            f" viewers {viewer_cpu:4.0f}",
                            flush=True,
                        )
                        if min(rates) < FULL_RATE:
                            break
                        best[label] = count
            await publisher.leave()
            for admin in admins:
                await admin.destroy_room(room)
    finally:
        for server in others:
            server.stop()
    return best


# -- main -------------------------------------------------------------------------------------


def ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:7.1f}"


async def bench(
    server: JanusServer,
    ice: str | None,
    quick: bool,
    steps: list[int] | None,
    scenarios: set[int],
) -> None:
    url = server.endpoints.ws_url
    print(f"janus-videoroom benchmark ({'quick' if quick else 'full'} run)")
    print(
        f"python {platform.python_version()}, {os.cpu_count()} CPUs, "
        f"{WIDTH}x{HEIGHT} VP8 at {FPS:g} fps, WebSocket, load average "
        + " ".join(f"{v:.2f}" for v in os.getloadavg())
    )
    if 1 in scenarios:
        await first_frame_scenario(url, quick)
    if 2 in scenarios:
        await capacity_scenario(url, ice, quick, steps)
    if 3 in scenarios:
        print(
            f"\n3. subscribers at full frame rate (>= {FULL_RATE:g} fps): one server, then a"
            f" cascade of {CASCADE_SERVERS} (one viewer process per server)"
        )
        counts = [3, 6] if quick else [12, 24, 36, 48, 72, 96, 144]
        best = await cascade_table(server, ice, counts, seconds=3.0 if quick else 5.0)
        print(
            f"  => one server: {best['one server']} subscribers at full rate;"
            f" cascade of {CASCADE_SERVERS}: {best['cascade']} in all"
        )


async def first_frame_scenario(url: str, quick: bool) -> None:
    print("\n1. join -> first decoded frame (median ms; 'all': first frame of every feed)")
    rows = await first_frame_table(url, rounds=2 if quick else 5)
    print(f"  {'publishers':>10} | {'library':>8} {'raw':>8} | {'lib all':>8} {'raw all':>8}")
    for count, t in rows:
        print(
            f"  {count:>10} | {ms(t['lib']):>8} {ms(t['raw']):>8} |"
            f" {ms(t['lib_all']):>8} {ms(t['raw_all']):>8}"
        )


async def capacity_scenario(
    url: str, ice: str | None, quick: bool, steps: list[int] | None
) -> None:
    print(f"\n2. feeds received at full frame rate (>= {FULL_RATE:g} fps) on one subscription")
    if steps is None:
        steps = [2, 6] if quick else [2, 4, 8, 16, 24, 32, 48, 64]
    table = await capacity_table(url, ice, steps, seconds=3.0 if quick else 5.0)
    full = [count for count, low, _, _, _ in table if low >= FULL_RATE]
    best = max(full) if full else 0
    limited = [row for row in table if row[3] < FULL_RATE]
    note = " (the publishers' process fell behind first)" if limited else ""
    print(f"  => {best} feeds at full rate in one process{note}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds and steps")
    parser.add_argument(
        "--steps", type=int, nargs="+", help="numbers of feeds to try in scenario 2"
    )
    parser.add_argument(
        "--scenarios", type=int, nargs="+", choices=(1, 2, 3), help="which scenarios to run"
    )
    parser.add_argument("--farm", nargs=3, metavar=("URL", "ROOM", "COUNT"), help=argparse.SUPPRESS)
    parser.add_argument("--viewers", nargs=5, help=argparse.SUPPRESS)
    parser.add_argument("--ice-address", help=argparse.SUPPRESS)
    args = parser.parse_args()
    restriction = (
        restrict_aioice_to(args.ice_address) if args.ice_address else contextlib.nullcontext()
    )
    if args.farm:
        url, room, count = args.farm
        with restriction:
            asyncio.run(farm(url, int(room), int(count)))
        return 0
    if args.viewers:
        url, room, feed, count, seconds = args.viewers
        with restriction:
            asyncio.run(viewers(url, int(room), int(feed), int(count), float(seconds)))
        return 0
    ice = ensure_ice_address()
    scenarios = set(args.scenarios or (1, 2, 3))
    with JanusServer(ice_address=ice) as server:
        restriction = restrict_aioice_to(ice) if ice else contextlib.nullcontext()
        with restriction:
            asyncio.run(bench(server, ice, args.quick, args.steps, scenarios))
    return 0


if __name__ == "__main__":
    sys.exit(main())
