"""10,000 requests in flight at once are all answered, over both transports.

Over HTTP the request pool is bounded (100 connections by default), so the requests queue
for a connection instead of opening 10,000 at once, which Janus cannot accept.
"""

from __future__ import annotations

import asyncio

import pytest

import janus_webrtc
from janus_webrtc.transports import HttpTransport

pytestmark = pytest.mark.janus

IN_FLIGHT = 10_000


async def test_ten_thousand_requests_in_flight_are_all_answered(janus_url: str) -> None:
    async with janus_webrtc.connect(janus_url, timeout=120) as conn:
        if isinstance(conn.transport, HttpTransport):
            assert conn.transport.max_connections == 100
        session = await conn.create_session()
        handle = await session.attach("videoroom")
        replies = await asyncio.gather(
            *(handle.send({"request": "exists", "room": n}) for n in range(IN_FLIGHT)),
            return_exceptions=True,
        )
        failures = [r for r in replies if isinstance(r, BaseException)]
        assert failures == []
        assert all(r.data["exists"] is False for r in replies)  # type: ignore[union-attr]
        assert conn.pending_requests == 0
