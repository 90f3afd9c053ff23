"""Fifty connection resets at random moments lose nothing: sessions, requests, media or chat.

The client talks to the real Janus through a :class:`~janus_webrtc.testing.FaultProxy` that
resets every live TCP connection on command, over both transports, while twenty sessions
send requests without pause, an EchoTest call carries audio, and a TextRoom chat runs on its
data channel. Media and chat go straight to Janus over UDP (ICE), so they must go on, on the
same peer connections, while signalling is reset under them.
"""

from __future__ import annotations

import asyncio
import collections
import json
import random
import secrets
from collections.abc import AsyncIterator
from typing import ClassVar

import pytest
from aiortc import RTCConfiguration

import janus_webrtc
from janus_webrtc import (
    ConnectionState,
    ConnectionStatusChanged,
    DataChannel,
    DataChannelMessage,
    JanusTimeoutError,
    NotSentError,
    OutcomeUnknownError,
    SessionLost,
    TransportError,
    WebRTCHandle,
)
from janus_webrtc.media import FrameCounter, ToneAudioTrack
from janus_webrtc.testing import FaultProxy, JanusEndpoints, UnixFaultProxy, fault_proxy_for

pytestmark = pytest.mark.janus

RESETS = 50
SESSIONS = 20
REQUEST_TIMEOUT = 20.0
"""Longer than the 50 resets take (about 7 s, one every 0.02-0.25 s) and the recovery after."""
NO_STUN = RTCConfiguration(iceServers=[])


class _Echo(WebRTCHandle):
    plugin_id: ClassVar[str] = "janus.plugin.echotest"


class _TextRoom(WebRTCHandle):
    plugin_id: ClassVar[str] = "janus.plugin.textroom"


class _Outcomes:
    """What the requests made during the resets came to.

    A timeout of a request that went out is a failure: it was caught by a reset and should
    have ended at once. A request that never went out (:class:`NotSentError`: over HTTP, held
    back for its whole timeout while the session's long-poll recovered, which a busy machine
    under a reset every 0.14 s can make last) is a typed, safe outcome and only counted.
    """

    def __init__(self) -> None:
        self.counts: collections.Counter[str] = collections.Counter()
        self.timeouts: list[str] = []

    def record(self, exc: BaseException | None) -> None:
        if exc is None:
            self.counts["answered"] += 1
        elif isinstance(exc, JanusTimeoutError) and not isinstance(exc, NotSentError):
            self.timeouts.append(str(exc))
        else:
            self.counts[type(exc).__name__] += 1


async def _keep_asking(
    handle: janus_webrtc.Handle, outcomes: _Outcomes, stop: asyncio.Event
) -> None:
    """Send EchoTest requests back to back (each answered by an event after an ack).

    Over HTTP a request may be held back until the session's reset long-poll has recovered,
    which can take as long as the resets go on: the timeout is longer than the whole series,
    so that only a request whose answer was lost unnoticed can reach it.
    """
    while not stop.is_set():
        try:
            reply = await handle.send({"audio": True}, timeout=REQUEST_TIMEOUT)
        except (OutcomeUnknownError, TransportError, JanusTimeoutError) as exc:
            outcomes.record(exc)
        else:
            assert reply.data.get("result") == "ok"
            outcomes.record(None)


async def _chat_room(handle: _TextRoom) -> tuple[DataChannel, int]:
    room = random.randrange(10**6, 10**9)
    created = await handle.send({"request": "create", "room": room, "is_private": True})
    assert created.data.get("textroom") == "created"
    setup = await handle.send({"request": "setup"})
    assert setup.jsep is not None
    await handle.accept_offer(setup.jsep, {"request": "ack"})
    channel = handle.create_data_channel("JanusDataChannel")
    await channel.wait_open(timeout=10)
    return channel, room


async def _chat(channel: DataChannel, room: int, texts: list[str]) -> list[str]:
    """Send ``texts`` to the room and return the texts of the broadcasts that come back."""
    inbox = channel.messages()
    for text in texts:
        channel.send(
            json.dumps(
                {
                    "textroom": "message",
                    "room": room,
                    "text": text,
                    "transaction": secrets.token_hex(4),
                }
            )
        )
    heard: list[str] = []
    async with asyncio.timeout(15):
        async for message in inbox:
            assert isinstance(message, DataChannelMessage)
            payload = json.loads(str(message.data))
            if payload.get("textroom") == "message" and payload.get("text") in texts:
                heard.append(payload["text"])
                if len(heard) == len(texts):
                    break
    return heard


async def _join(channel: DataChannel, room: int) -> None:
    transaction = secrets.token_hex(4)
    inbox = channel.messages()
    channel.send(
        json.dumps(
            {"textroom": "join", "room": room, "username": "bot", "transaction": transaction}
        )
    )
    async with asyncio.timeout(10):
        async for message in inbox:
            payload = json.loads(str(message.data))
            if payload.get("transaction") == transaction:
                assert payload.get("textroom") == "success", payload
                return


@pytest.fixture
async def proxied(
    janus_server: JanusEndpoints, janus_transport: str
) -> AsyncIterator[tuple[FaultProxy | UnixFaultProxy, str]]:
    url = janus_server.url(janus_transport)
    async with fault_proxy_for(url) as proxy:
        yield proxy, proxy.url_for(url)


async def test_fifty_resets_lose_no_session_request_media_or_chat(
    proxied: tuple[FaultProxy | UnixFaultProxy, str], janus_transport: str, janus_media_ice: str
) -> None:
    proxy, url = proxied
    rng = random.Random(9)
    async with janus_webrtc.connect(url, timeout=5, rtc_configuration=NO_STUN) as conn:
        lost: list[SessionLost] = []
        states: list[ConnectionStatusChanged] = []
        conn.on(states.append, ConnectionStatusChanged)
        sessions = [await conn.create_session() for _ in range(SESSIONS)]
        handles = [await s.attach("echotest") for s in sessions]
        for session in sessions:
            session.on(lost.append, SessionLost)

        media_session = await conn.create_session()
        media_session.on(lost.append, SessionLost)
        echo = await media_session.attach(_Echo)
        echo.add_track(ToneAudioTrack())
        counter = echo.record_to(FrameCounter())
        await echo.negotiate_offer({"audio": True})
        await counter.wait_frames("audio", 10, timeout=10)
        echo_pc = echo.peer_connection

        chat = await media_session.attach(_TextRoom)
        channel, room = await _chat_room(chat)
        await _join(channel, room)
        chat_pc = chat.peer_connection

        outcomes = _Outcomes()
        stop = asyncio.Event()
        askers = [asyncio.create_task(_keep_asking(h, outcomes, stop)) for h in handles]
        try:
            for _ in range(RESETS):
                await asyncio.sleep(rng.uniform(0.02, 0.25))  # the moment of the next fault
                proxy.reset()
        finally:
            stop.set()
            await asyncio.gather(*askers)

        if conn.state is not ConnectionState.OPEN:
            await conn.wait_for(
                ConnectionStatusChanged,
                predicate=lambda e: e.state is ConnectionState.OPEN,
                timeout=15,
            )
        # every request caught by a reset ended at once with a typed error, none by its timeout
        assert outcomes.timeouts == [], outcomes.timeouts
        assert outcomes.counts["answered"] > 0
        # no session was lost, and every request made now (after reconnecting) is answered
        assert lost == []
        assert all(not s.closed for s in [*sessions, media_session])
        replies = await asyncio.gather(*(h.send({"audio": True}, timeout=5) for h in handles))
        assert all(r.data.get("result") == "ok" for r in replies)
        if janus_transport in ("ws", "unix"):
            assert conn.reconnections >= 1
            assert ConnectionState.RECONNECTING in {e.state for e in states}
        # media and chat went on, on the same peer connections
        assert echo.peer_connection is echo_pc and chat.peer_connection is chat_pc
        before = counter.frames("audio")
        await counter.wait_frames("audio", before + 25, timeout=10)
        texts = [f"after reset {n}" for n in range(10)]
        assert sorted(await _chat(channel, room, texts)) == sorted(texts)
        print(  # the figures of the run, shown with -s
            f"\n{janus_transport}: {RESETS} resets, {proxy.accepted} connections, "
            f"{conn.reconnections} reconnections, outcomes {dict(outcomes.counts)}"
        )
        await chat.send({"request": "destroy", "room": room})
