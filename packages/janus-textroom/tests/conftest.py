"""Shared fixtures of the janus-textroom tests (the Janus fixtures come from janus_webrtc)."""

from __future__ import annotations

import asyncio
import itertools
import random
from collections.abc import Awaitable, Callable

import pytest

import janus_webrtc
from janus_textroom import TextRoomHandle
from janus_webrtc import EventQueue
from janus_webrtc.testing import HandleFactory

ChatFactory = Callable[[], Awaitable[TextRoomHandle]]

_rooms = itertools.count(random.randrange(1_000_000, 2_000_000_000, 1000))


@pytest.fixture
def room_id() -> int:
    """A room id no other test uses (the server lives for the whole test session)."""
    return next(_rooms)


@pytest.fixture
def new_room_id() -> Callable[[], int]:
    """Make more unused room ids."""
    return lambda: next(_rooms)


@pytest.fixture
async def handle(janus_handle_factory: HandleFactory) -> TextRoomHandle:
    """A TextRoom handle without a PeerConnection (Janus API requests only)."""
    return await janus_handle_factory(TextRoomHandle)


@pytest.fixture
def make_chat(janus_handle_factory: HandleFactory, janus_media_ice: str) -> ChatFactory:
    """Make TextRoom handles whose data channel is open (host-only ICE, no STUN)."""

    async def make() -> TextRoomHandle:
        chat = await janus_handle_factory(TextRoomHandle)
        await chat.setup(timeout=10)
        # Trap 2 of ICE on one machine: Janus must offer the private address only.
        assert chat.remote_candidate_addresses == {janus_media_ice}
        return chat

    return make


async def take(queue: EventQueue, count: int, *, timeout: float = 5.0) -> list[janus_webrtc.Event]:
    """Read ``count`` events from a queue, failing after ``timeout`` seconds."""
    events: list[janus_webrtc.Event] = []
    async with asyncio.timeout(timeout):
        async for event in queue:
            events.append(event)
            if len(events) == count:
                break
    return events
