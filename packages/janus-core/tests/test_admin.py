"""The Admin API against a real Janus, over the admin WebSocket and admin HTTP."""

from __future__ import annotations

import logging

import pytest

import janus_webrtc
from janus_webrtc import UnauthorizedError, admin
from janus_webrtc.testing import JanusEndpoints

pytestmark = pytest.mark.janus


@pytest.fixture
def admin_url(janus_server: JanusEndpoints, janus_transport: str) -> str:
    return janus_server.admin_url(janus_transport)


async def test_status_settings_and_plugin_messages(
    admin_url: str, janus_server: JanusEndpoints
) -> None:
    async with admin.connect(admin_url, admin_secret=janus_server.admin_secret) as api:
        await api.ping()
        assert (await api.info()).version_string == "1.1.2"
        status = await api.get_status()
        assert status.session_timeout == 60 and status.log_level == 4
        await api.set_no_media_timer(3)
        assert (await api.get_status()).no_media_timer == 3
        await api.set_no_media_timer(status.no_media_timer)
        await api.set_log_level(status.log_level)
        answer = await api.message_plugin("janus.plugin.videoroom", {"request": "list"})
        assert answer["videoroom"] == "success"
        connections = await api.query_transport("janus.transport.http", {"request": "connections"})
        assert "connections" in connections
        assert await api.resolve_address("localhost") in ("127.0.0.1", "::1")
        assert await api.loops_info() == []
        await api.custom_logline("janus-webrtc admin test")


async def test_sessions_and_handles_are_listed_inspected_and_removed(
    admin_url: str, janus_server: JanusEndpoints, janus_url: str
) -> None:
    async with (
        admin.connect(admin_url, admin_secret=janus_server.admin_secret) as api,
        janus_webrtc.connect(janus_url) as conn,
    ):
        session = await conn.create_session()
        handle = await session.attach("echotest", opaque_id="admin-test")
        assert session.id in await api.list_sessions()
        assert await api.list_handles(session.id) == [handle.id]
        info = await api.handle_info(session.id, handle.id)
        assert info.plugin == "janus.plugin.echotest"
        assert info.opaque_id == "admin-test"
        assert info.handle_id == handle.id and info.session_id == session.id
        assert info.flags["negotiated"] is False
        assert "plugin_specific" in info.details
        await api.hangup_webrtc(session.id, handle.id)
        await api.detach_handle(session.id, handle.id)
        assert await api.list_handles(session.id) == []
        await api.destroy_session(session.id)
        assert session.id not in await api.list_sessions()


async def test_a_wrong_admin_secret_is_refused_and_never_shown(
    admin_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG, logger="janus_webrtc"):
        async with admin.connect(admin_url, admin_secret="NOT-THE-ADMIN-SECRET-5") as api:
            with pytest.raises(UnauthorizedError) as info:
                await api.list_sessions()
    assert info.value.code == 403
    assert "NOT-THE-ADMIN-SECRET-5" not in caplog.text + str(info.value) + repr(api)
    assert "<redacted>" in caplog.text


async def test_tokens_need_token_auth(janus_server_factory, janus_transport: str) -> None:  # type: ignore[no-untyped-def]
    server: JanusEndpoints = janus_server_factory(token_auth=True)
    url = server.admin_url(janus_transport)
    async with admin.connect(url, admin_secret=server.admin_secret) as api:
        assert (await api.get_status()).token_auth
        plugins = await api.add_token("TOKEN-FOR-TEST-8", plugins=["janus.plugin.echotest"])
        assert plugins == ("janus.plugin.echotest",)
        assert await api.allow_token("TOKEN-FOR-TEST-8", ["janus.plugin.videoroom"]) == (
            "janus.plugin.echotest",
            "janus.plugin.videoroom",
        )
        (token,) = await api.list_tokens()
        assert token.token == "TOKEN-FOR-TEST-8" and "TOKEN-FOR-TEST-8" not in repr(token)
        async with (
            janus_webrtc.connect(server.url(janus_transport), token="TOKEN-FOR-TEST-8") as conn,
            await conn.create_session() as session,
        ):
            await session.attach("echotest")
            await api.disallow_token("TOKEN-FOR-TEST-8", ["janus.plugin.videoroom"])
            with pytest.raises(UnauthorizedError):
                await session.attach("videoroom")
        await api.remove_token("TOKEN-FOR-TEST-8")
        assert await api.list_tokens() == []
        async with janus_webrtc.connect(
            server.url(janus_transport), token="TOKEN-FOR-TEST-8"
        ) as conn:
            with pytest.raises(UnauthorizedError):
                await conn.create_session()


def test_admin_connect_checks_the_scheme() -> None:
    with pytest.raises(ValueError, match="scheme"):
        admin.connect("ftp://127.0.0.1/admin")
