"""Fixtures of the janus-videocall tests (the Janus fixtures come from janus_webrtc)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest

import janus_webrtc
from janus_videocall import VideoCallHandle
from janus_webrtc.testing import restrict_aioice_to
from support import Party, PartyFactory, attach, unique


@pytest.fixture
def ice_address(janus_ice_address: str | None) -> Iterator[str]:
    """The one address both Janus and aiortc gather on (aioice restricted for the test)."""
    if janus_ice_address is None:
        pytest.skip("media tests need the private ICE address (run as root)")
    with restrict_aioice_to(janus_ice_address):
        yield janus_ice_address


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
