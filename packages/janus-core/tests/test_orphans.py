"""Nothing is left behind on Janus when a caller gives up on a ``create`` or an ``attach``.

The replies are held back by a delaying proxy so that the requests time out (or their caller
is cancelled) before Janus answers; the late answers are then undone. The Admin API of a
private server shows that no session and no handle is left.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import pytest

import janus_webrtc
from janus_webrtc import JanusTimeoutError, admin
from janus_webrtc.testing import JanusEndpoints, fault_proxy_for

pytestmark = pytest.mark.janus


async def _until(condition: Callable[[], Awaitable[bool]], api: admin.AdminClient) -> None:
    """Poll Janus (through ``condition``) until it holds, for at most 10 s."""
    async with asyncio.timeout(10):
        while not await condition():
            await api.ping()  # one round trip between looks


async def test_creates_and_attaches_that_timed_out_leave_nothing_on_janus(
    janus_server_factory: Callable[..., JanusEndpoints], janus_transport: str
) -> None:
    server = janus_server_factory()
    url = server.url(janus_transport)
    async with (
        admin.connect(server.admin_ws_url, admin_secret=server.admin_secret) as api,
        fault_proxy_for(url) as proxy,
        janus_webrtc.connect(proxy.url_for(url), timeout=5) as conn,
    ):
        kept = await conn.create_session()
        proxy.delay = 0.3  # every answer comes after the callers below gave up
        for _ in range(5):
            with pytest.raises(JanusTimeoutError):
                await conn.create_session(timeout=0.1)
        for _ in range(3):
            with pytest.raises(JanusTimeoutError):
                await kept.attach("echotest", timeout=0.1)
        cancelled = asyncio.create_task(conn.create_session())
        async with asyncio.timeout(5):  # the create goes out; its answer is held by the proxy
            while not conn.pending_requests:  # noqa: ASYNC110 - a plain counter
                await asyncio.sleep(0)
        cancelled.cancel()
        with pytest.raises(asyncio.CancelledError):
            await cancelled
        proxy.delay = 0.0

        async def only_the_kept_session_is_left() -> bool:
            return await api.list_sessions() == [kept.id]

        async def it_has_no_handle() -> bool:
            return await api.list_handles(kept.id) == []

        await _until(only_the_kept_session_is_left, api)
        await _until(it_has_no_handle, api)
        assert conn.sessions == (kept,)
        await kept.destroy()
        assert await api.list_sessions() == []
