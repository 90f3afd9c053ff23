"""Fixtures of the janus-echotest tests (the Janus fixtures come from janus_webrtc)."""

from __future__ import annotations

import pytest

from janus_echotest import EchoTestHandle
from janus_webrtc.testing import HandleFactory


@pytest.fixture
async def echo(janus_handle_factory: HandleFactory, janus_media_ice: str) -> EchoTestHandle:
    """An EchoTest handle with host-only ICE on the media address, closed after the test."""
    return await janus_handle_factory(EchoTestHandle)
