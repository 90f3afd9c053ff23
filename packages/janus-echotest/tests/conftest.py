"""Shared fixtures of the janus-echotest tests (the Janus fixtures come from janus_webrtc)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiortc import RTCConfiguration

import janus_webrtc
from janus_echotest import EchoTestHandle


@pytest.fixture
def ice_address(janus_media_ice: str) -> str:
    """The one address both Janus and aiortc gather on (from janus_webrtc's pytest plugin)."""
    return janus_media_ice


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
