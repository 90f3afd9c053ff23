"""Fixtures of the janus-videocall tests (the Janus fixtures come from janus_webrtc)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

import janus_webrtc
from janus_videocall import VideoCallHandle
from support import Party, PartyFactory, attach, unique


@pytest.fixture
def ice_address(janus_media_ice: str) -> str:
    """The one address both Janus and aiortc gather on (from janus_webrtc's pytest plugin)."""
    return janus_media_ice


@pytest.fixture
async def party(
    janus_session: janus_webrtc.Session, ice_address: str
) -> AsyncIterator[PartyFactory]:
    """Make registered parties on ``janus_session`` (or another session); closed after."""
    handles: list[VideoCallHandle] = []

    async def make(prefix: str, session: janus_webrtc.Session | None = None) -> Party:
        handle = await attach(session or janus_session)
        handles.append(handle)
        name = unique(prefix)
        await handle.register(name)
        made = Party(handle, name)
        made.listen()
        return made

    yield make
    for handle in handles:
        await handle.close()
