"""Shared fixtures of the janus-echotest tests (the Janus fixtures come from janus_webrtc)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
from aiortc import RTCConfiguration

import janus_webrtc
from janus_echotest import EchoTestHandle
from janus_webrtc.testing import restrict_aioice_to


@pytest.fixture
def ice_address(janus_ice_address: str | None) -> Iterator[str]:
    """The one address both Janus and aiortc gather on (aioice restricted for the test)."""
    if janus_ice_address is None:
        pytest.skip("media tests need the private ICE address (run as root)")
    with restrict_aioice_to(janus_ice_address):
        yield janus_ice_address


@pytest.fixture
async def session(janus_url: str) -> AsyncIterator[janus_webrtc.Session]:
    """A session on the test server, over the transport under test."""
    async with (
        janus_webrtc.connect(janus_url) as connection,
        await connection.create_session() as created,
    ):
        yield created


@pytest.fixture
async def echo(session: janus_webrtc.Session, ice_address: str) -> AsyncIterator[EchoTestHandle]:
    """An EchoTest handle with host-only ICE (no STUN), closed after the test."""
    handle = await session.attach("echotest")
    assert isinstance(handle, EchoTestHandle)
    handle.configure_rtc(RTCConfiguration(iceServers=[]))
    async with handle:
        yield handle
