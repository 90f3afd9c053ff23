"""TextRoom demo: two participants chat in a room over the data channel (janus-textroom).

Run by ``demo/run_demo.py``: ``run(endpoints)`` gets the private Janus it started.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import time

from aiortc import RTCConfiguration

import janus_webrtc
from janus_textroom import (
    Announcement,
    ChatMessage,
    ParticipantJoined,
    ParticipantLeft,
    TextRoomEvent,
    TextRoomHandle,
)
from janus_webrtc.testing import JanusEndpoints, restrict_aioice_to


def _line(who: str, event: TextRoomEvent) -> str | None:
    if isinstance(event, ChatMessage):
        kind = "whisper" if event.whisper else "message"
        return f"  {who} got {kind} from {event.sender}: {event.text!r}"
    if isinstance(event, Announcement):
        return f"  {who} got announcement: {event.text!r}"
    if isinstance(event, ParticipantJoined | ParticipantLeft):
        verb = "joined" if isinstance(event, ParticipantJoined) else "left"
        return f"  {who} saw {event.username} {verb}"
    return None


async def run(endpoints: JanusEndpoints) -> None:
    """Create a room, let alice and bob chat (public, whisper, announcement), clean up."""
    restriction = (
        restrict_aioice_to(endpoints.ice_address)
        if endpoints.ice_address
        else contextlib.nullcontext()
    )
    room = random.randrange(1_000_000, 2_000_000_000)
    with restriction:
        async with (
            janus_webrtc.connect(endpoints.ws_url) as connection,
            await connection.create_session() as session,
        ):
            started = time.perf_counter()
            alice = await session.attach(TextRoomHandle)
            bob = await session.attach(TextRoomHandle)
            for chat in (alice, bob):
                chat.configure_rtc(RTCConfiguration(iceServers=[]))
            await asyncio.gather(alice.setup(), bob.setup())
            print(f"  two data channels open in {time.perf_counter() - started:.3f} s")
            for name, chat in (("alice", alice), ("bob", bob)):
                chat.on(
                    lambda event, who=name: print(line) if (line := _line(who, event)) else None,
                    TextRoomEvent,
                    room=room,
                )
            await alice.create_room(room, description="demo room", secret="demo", history=10)
            await alice.join(room, "alice", display="Alice")
            await alice.message(room, "first, before bob is here")
            joined = await bob.join(room, "bob", display="Bob")
            print(f"  bob joined with {len(joined.history)} message(s) of history")
            last = bob.wait_for(ChatMessage, predicate=lambda e: e.text == "bye", timeout=5)
            t0 = time.perf_counter()
            await alice.message(room, "hello bob")
            await bob.message(room, "psst, alice", to="alice")
            await alice.announce(room, "the room closes soon", secret="demo", via="data")
            await alice.message(room, "bye")
            await last
            print(f"  four messages delivered in {time.perf_counter() - t0:.3f} s")
            await bob.leave(room)
            await alice.destroy_room(room, secret="demo")
            await asyncio.gather(alice.close(), bob.close())
