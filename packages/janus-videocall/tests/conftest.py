"""Fixtures of the janus-videocall tests (the Janus fixtures come from janus_webrtc)."""

from __future__ import annotations

import pytest

import janus_webrtc
from janus_videocall import VideoCallHandle
from janus_webrtc.testing import HandleFactory
from support import Party, PartyFactory, unique


@pytest.fixture
def party(janus_handle_factory: HandleFactory, janus_media_ice: str) -> PartyFactory:
    """Make registered parties on ``janus_session`` (or another session); closed after."""

    async def make(prefix: str, session: janus_webrtc.Session | None = None) -> Party:
        handle = await janus_handle_factory(VideoCallHandle, session=session)
        name = unique(prefix)
        await handle.register(name)
        made = Party(handle, name)
        made.listen()
        return made

    return make
