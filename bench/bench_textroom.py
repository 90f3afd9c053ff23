"""Benchmark janus-textroom's data channel chat against a minimal raw websockets + aiortc client.

Run it from the repository root::

    python bench/bench_textroom.py           # full run, under a minute
    python bench/bench_textroom.py --quick   # counts divided by 10 (CI smoke run)

It starts a private Janus with ``JanusServer`` (ICE on the private loopback-range address of
``ensure_ice_address()``, aioice restricted to it, no STUN) and, in the same run, makes two
participants chat in one TextRoom room, once with the library (``TextRoomHandle``) and once
with a raw client written here (one WebSocket with a dict of transaction -> future, one aiortc
``RTCPeerConnection`` per participant, JSON by hand on the data channel). Scenarios:

1. burst: the sender sends N public messages with ``ack: false`` back to back; throughput is
   N divided by the time from the first send to the last arrival at the receiver;
2. paced: messages at a steady rate, to see the latency of a quiet room;
3. acked: messages one at a time, each waiting for the plugin's acknowledgement (a round
   trip on the data channel, through each client's transaction table).

Latency is from just before the sender hands a message to its client to when the receiver's
client delivers it (one process, one clock). Each scenario runs ``ROUNDS`` times per client,
interleaved, and the best run is kept. The script exits 0: it measures, it does not judge.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from aiortc import RTCConfiguration, RTCPeerConnection, RTCSessionDescription
from websockets.asyncio.client import ClientConnection
from websockets.asyncio.client import connect as ws_connect
from websockets.typing import Subprotocol

import janus_webrtc
from janus_textroom import ChatMessage, TextRoomHandle
from janus_webrtc.testing import JanusServer, ensure_ice_address, restrict_aioice_to

Kind = Literal["lib", "raw"]
KIND_NAMES: dict[Kind, str] = {"lib": "janus_textroom", "raw": "raw ws+aiortc"}

BURST = 5000
PACED = 1000
PACED_RATE = 200.0
ACKED = 2000
ROUNDS = 2
SETTLE = 0.3
"""Seconds of quiet between runs."""
RUN_TIMEOUT = 120.0


class Participant(Protocol):
    """What one chat participant offers the scenarios, whichever client is behind it."""

    async def send(self, text: str) -> None:
        """Send a public message without ack."""

    async def send_acked(self, text: str) -> None:
        """Send a public message and wait for the plugin's acknowledgement."""

    def on_message(self, callback: Callable[[str, str], None]) -> None:
        """Call ``callback(sender, text)`` for every message delivered."""


# -- the library ------------------------------------------------------------------------------


class LibParticipant:
    """A participant through janus_textroom."""

    def __init__(self, chat: TextRoomHandle, room: int) -> None:
        self.chat = chat
        self.room = room

    async def send(self, text: str) -> None:
        await self.chat.message(self.room, text, ack=False)

    async def send_acked(self, text: str) -> None:
        await self.chat.message(self.room, text)

    def on_message(self, callback: Callable[[str, str], None]) -> None:
        def deliver(event: ChatMessage) -> None:
            callback(event.sender, event.text)

        self.chat.on(deliver, ChatMessage, room=self.room)


async def lib_pair(
    url: str, room: int
) -> tuple[LibParticipant, LibParticipant, Callable[[], Awaitable[None]]]:
    connection = await janus_webrtc.connect(url)
    session = await connection.create_session()
    chats = []
    for name in ("sender", "receiver"):
        chat = await session.attach(TextRoomHandle)
        chat.configure_rtc(RTCConfiguration(iceServers=[]))
        await chat.setup()
        if name == "sender":
            await chat.create_room(room)
        await chat.join(room, name)
        chats.append(LibParticipant(chat, room))

    async def close() -> None:
        await session.destroy()
        await connection.close()

    return chats[0], chats[1], close


# -- the raw client ---------------------------------------------------------------------------


class RawJanus:
    """A minimal Janus API client over one WebSocket."""

    def __init__(self) -> None:
        self.ws: ClientConnection | None = None
        self.pending: dict[str, asyncio.Future[dict[str, Any]]] = {}
        self.counter = 0
        self.tasks: list[asyncio.Task[None]] = []

    async def open(self, url: str) -> None:
        self.ws = await ws_connect(url, subprotocols=[Subprotocol("janus-protocol")])
        self.tasks.append(asyncio.create_task(self.read(self.ws)))

    async def read(self, ws: ClientConnection) -> None:
        async for raw in ws:
            message = json.loads(raw)
            transaction = str(message.get("transaction"))
            if message.get("janus") == "ack" and not transaction.startswith("keepalive-"):
                continue  # a plugin request: its answer is the event that follows
            future = self.pending.pop(message.get("transaction"), None)
            if future is not None and not future.done():
                future.set_result(message)

    async def request(self, message: dict[str, Any], prefix: str = "") -> dict[str, Any]:
        assert self.ws is not None
        self.counter += 1
        transaction = f"{prefix}{self.counter}"
        message["transaction"] = transaction
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self.pending[transaction] = future
        await self.ws.send(json.dumps(message))
        reply = await future
        if reply.get("janus") == "error":
            raise RuntimeError(str(reply.get("error")))
        return reply

    async def keepalive(self, session_id: int) -> None:
        while True:
            await asyncio.sleep(20)
            await self.request({"janus": "keepalive", "session_id": session_id}, "keepalive-")

    async def close(self) -> None:
        for task in self.tasks:
            task.cancel()
        if self.ws is not None:
            await self.ws.close()


class RawParticipant:
    """A participant with a hand-made data channel protocol."""

    def __init__(self, janus: RawJanus, session_id: int) -> None:
        self.janus = janus
        self.session_id = session_id
        self.pc = RTCPeerConnection(RTCConfiguration(iceServers=[]))
        self.channel: Any = None
        self.pending: dict[str, asyncio.Future[dict[str, Any]]] = {}
        self.counter = 0
        self.room = 0
        self.callback: Callable[[str, str], None] | None = None

    async def setup(self) -> None:
        reply = await self.janus.request(
            {"janus": "attach", "session_id": self.session_id, "plugin": "janus.plugin.textroom"}
        )
        handle_id = reply["data"]["id"]
        base = {"janus": "message", "session_id": self.session_id, "handle_id": handle_id}
        event = await self.janus.request({**base, "body": {"request": "setup"}})
        offer = event["jsep"]
        self.channel = self.pc.createDataChannel("JanusDataChannel")
        opened = asyncio.get_running_loop().create_future()
        self.channel.on("open", lambda: opened.done() or opened.set_result(None))
        self.channel.on("message", self.received)
        await self.pc.setRemoteDescription(RTCSessionDescription(offer["sdp"], offer["type"]))
        await self.pc.setLocalDescription(await self.pc.createAnswer())
        answer = {"type": "answer", "sdp": self.pc.localDescription.sdp}
        await self.janus.request({**base, "body": {"request": "ack"}, "jsep": answer})
        await asyncio.wait_for(opened, 10)

    def received(self, data: str) -> None:
        message = json.loads(data)
        transaction = message.get("transaction")
        if transaction is not None:
            future = self.pending.pop(transaction, None)
            if future is not None and not future.done():
                future.set_result(message)
        elif message.get("textroom") == "message" and self.callback is not None:
            self.callback(message["from"], message["text"])

    def post(self, body: dict[str, Any]) -> str:
        self.counter += 1
        body["transaction"] = transaction = str(self.counter)
        self.channel.send(json.dumps(body))
        return transaction

    async def call(self, body: dict[str, Any]) -> dict[str, Any]:
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self.pending[self.post(body)] = future
        reply = await future
        if reply.get("textroom") == "error":
            raise RuntimeError(str(reply.get("error")))
        return reply

    async def send(self, text: str) -> None:
        self.post({"textroom": "message", "room": self.room, "text": text, "ack": False})

    async def send_acked(self, text: str) -> None:
        await self.call({"textroom": "message", "room": self.room, "text": text})

    def on_message(self, callback: Callable[[str, str], None]) -> None:
        self.callback = callback


async def raw_pair(
    url: str, room: int
) -> tuple[RawParticipant, RawParticipant, Callable[[], Awaitable[None]]]:
    janus = RawJanus()
    await janus.open(url)
    reply = await janus.request({"janus": "create"})
    session_id = reply["data"]["id"]
    janus.tasks.append(asyncio.create_task(janus.keepalive(session_id)))
    pair = []
    for name in ("sender", "receiver"):
        participant = RawParticipant(janus, session_id)
        await participant.setup()
        participant.room = room
        if name == "sender":
            await participant.call({"textroom": "create", "room": room})
        await participant.call({"textroom": "join", "room": room, "username": name})
        pair.append(participant)

    async def close() -> None:
        for participant in pair:
            await participant.pc.close()
        await janus.request({"janus": "destroy", "session_id": session_id})
        await janus.close()

    return pair[0], pair[1], close


# -- scenarios --------------------------------------------------------------------------------


@dataclass
class Result:
    """One run of one scenario with one client."""

    messages: int
    seconds: float
    latencies: list[float]

    @property
    def rate(self) -> float:
        return self.messages / self.seconds if self.seconds > 0 else float("nan")

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        if not ordered:
            return float("nan")
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000


class Receipts:
    """Arrival times at the receiver, by message number, for one run."""

    def __init__(self, tag: str, count: int) -> None:
        self.tag = tag
        self.count = count
        self.sent: list[float] = [0.0] * count
        self.arrived: dict[int, float] = {}
        self.done = asyncio.get_running_loop().create_future()

    def received(self, sender: str, text: str) -> None:
        tag, _, number = text.partition(":")
        if tag != self.tag:
            return
        self.arrived[int(number)] = time.perf_counter()
        if len(self.arrived) == self.count and not self.done.done():
            self.done.set_result(None)

    def result(self) -> Result:
        if len(self.arrived) != self.count:
            raise RuntimeError(f"{self.count - len(self.arrived)} messages lost")
        latencies = [self.arrived[n] - self.sent[n] for n in range(self.count)]
        return Result(self.count, max(self.arrived.values()) - self.sent[0], latencies)


_receipts: dict[int, Receipts] = {}


def listen(receiver: Participant) -> None:
    receiver.on_message(lambda sender, text: [r.received(sender, text) for r in _receipts.values()])


async def run_burst(sender: Participant, count: int, tag: str) -> Result:
    receipts = _receipts[id(sender)] = Receipts(tag, count)
    for number in range(count):
        receipts.sent[number] = time.perf_counter()
        await sender.send(f"{tag}:{number}")
        if number % 100 == 99:
            await asyncio.sleep(0)  # as an application sending in a loop would, now and then
    await asyncio.wait_for(receipts.done, RUN_TIMEOUT)
    return receipts.result()


async def run_paced(sender: Participant, count: int, tag: str) -> Result:
    receipts = _receipts[id(sender)] = Receipts(tag, count)
    start = time.perf_counter()
    for number in range(count):
        delay = start + number / PACED_RATE - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        receipts.sent[number] = time.perf_counter()
        await sender.send(f"{tag}:{number}")
    await asyncio.wait_for(receipts.done, RUN_TIMEOUT)
    return receipts.result()


async def run_acked(sender: Participant, count: int, tag: str) -> Result:
    receipts = _receipts[id(sender)] = Receipts(tag, count)
    for number in range(count):
        receipts.sent[number] = time.perf_counter()
        await sender.send_acked(f"{tag}:{number}")
    await asyncio.wait_for(receipts.done, RUN_TIMEOUT)
    return receipts.result()


SCENARIOS: dict[str, Callable[[Participant, int, str], Awaitable[Result]]] = {
    "burst, ack off": run_burst,
    f"paced {PACED_RATE:.0f}/s": run_paced,
    "one at a time, acked": run_acked,
}


async def bench(url: str, scale: int) -> dict[str, dict[Kind, Result]]:
    counts = {
        "burst, ack off": BURST // scale,
        f"paced {PACED_RATE:.0f}/s": PACED // scale,
        "one at a time, acked": ACKED // scale,
    }
    pairs: dict[Kind, tuple[Participant, Participant, Callable[[], Awaitable[None]]]] = {}
    t0 = time.perf_counter()
    pairs["lib"] = await lib_pair(url, random.randrange(10**6, 2 * 10**9))
    t1 = time.perf_counter()
    pairs["raw"] = await raw_pair(url, random.randrange(10**6, 2 * 10**9))
    t2 = time.perf_counter()
    print(
        f"set-up of two participants (setup, ack, data channel open, join): "
        f"janus_textroom {t1 - t0:.3f} s, raw {t2 - t1:.3f} s"
    )
    for _, receiver, _ in pairs.values():
        listen(receiver)
    best: dict[str, dict[Kind, Result]] = {}
    try:
        for name, scenario in SCENARIOS.items():
            for round_number in range(ROUNDS):
                for kind in ("lib", "raw") if round_number % 2 == 0 else ("raw", "lib"):
                    sender = pairs[kind][0]
                    await asyncio.sleep(SETTLE)
                    result = await scenario(sender, counts[name], f"{name}{round_number}{kind}")
                    _receipts.clear()
                    kept = best.setdefault(name, {}).get(kind)
                    if kept is None or result.rate > kept.rate:
                        best[name][kind] = result
    finally:
        for _, _, close in pairs.values():
            await close()
    return best


def report(best: dict[str, dict[Kind, Result]]) -> None:
    print()
    print(
        f"{'scenario':<22} {'client':<15} {'messages':>8} {'msgs/s':>9} {'p50 ms':>8} {'p99 ms':>8}"
    )
    for name, results in best.items():
        for kind in ("lib", "raw"):
            r = results[kind]
            print(
                f"{name:<22} {KIND_NAMES[kind]:<15} {r.messages:>8} {r.rate:>9.0f} "
                f"{r.percentile(50):>8.2f} {r.percentile(99):>8.2f}"
            )
        lib, raw = results["lib"], results["raw"]
        print(
            f"{'':<22} {'lib/raw':<15} {'':>8} {lib.rate / raw.rate:>9.2f} "
            f"{lib.percentile(50) / raw.percentile(50):>8.2f} "
            f"{lib.percentile(99) / raw.percentile(99):>8.2f}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="divide every count by 10")
    args = parser.parse_args(argv)
    print(
        f"bench_textroom: Python {platform.python_version()}, {os.cpu_count()} CPUs"
        f"{', --quick (counts / 10)' if args.quick else ''}"
    )
    ice_address = ensure_ice_address()
    if ice_address is None:
        print("no private ICE address (needs root): the data channel cannot connect; skipped")
        return 0
    with restrict_aioice_to(ice_address), JanusServer(ice_address=ice_address) as server:
        best = asyncio.run(bench(server.endpoints.ws_url, 10 if args.quick else 1))
    report(best)
    return 0


if __name__ == "__main__":
    sys.exit(main())
