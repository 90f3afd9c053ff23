"""No secret reaches a log record, a repr or an error message (issue 9).

With the root logger at DEBUG and a handler keeping every record of every logger (this
library's, websockets', aiohttp's, asyncio's, aiortc's and aioice's), a full session runs
against a Janus that requires an API secret and tokens: tokens added through the Admin API
over both its WebSocket and its HTTP transport, a VideoRoom room with a secret and a PIN made
and joined through a generic handle (a wrong PIN and wrong secrets on the way), and an
EchoTest media call. Then every record, every repr and every error message is searched for
the API secret, both tokens, the admin secret, the room secret, the PIN and the ICE
passwords of both sides.
"""

from __future__ import annotations

import logging
import re
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ClassVar

import pytest
from aiortc import RTCConfiguration

import janus_webrtc
from janus_webrtc import PluginError, UnauthorizedError, WebRTCHandle, admin
from janus_webrtc.media import ToneAudioTrack
from janus_webrtc.testing import JanusEndpoints

pytestmark = pytest.mark.janus

_ICE_PWD = re.compile(r"^a=ice-pwd:(\S+)", re.MULTILINE)


class EchoHandle(WebRTCHandle):
    """The generic WebRTC handle on Janus's EchoTest plugin."""

    plugin_id: ClassVar[str] = "janus.plugin.echotest"


class EveryRecord(logging.Handler):
    """Keeps every record, and the text a formatter would make of its exception."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.texts: list[tuple[str, str]] = []
        self.loggers: set[str] = set()
        self._formatter = logging.Formatter()

    def emit(self, record: logging.LogRecord) -> None:
        self.loggers.add(record.name)
        parts = [str(record.msg), record.getMessage(), repr(record.args)]
        if record.exc_info:
            parts.append(self._formatter.formatException(record.exc_info))
        if record.exc_text:
            parts.append(record.exc_text)
        if record.stack_info:
            parts.append(record.stack_info)
        self.texts.append((record.name, "\n".join(parts)))


@contextmanager
def root_at_debug() -> Iterator[EveryRecord]:
    root = logging.getLogger()
    handler = EveryRecord()
    level = root.level
    root.setLevel(logging.DEBUG)
    root.addHandler(handler)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


def _secret(name: str) -> str:
    return f"{name}-{secrets.token_hex(8)}"


async def test_no_secret_in_any_log_record_repr_or_error_message(
    janus_server_factory: Callable[..., JanusEndpoints], janus_media_ice: str
) -> None:
    api_secret = _secret("API-SECRET")
    tokens = {"ws": _secret("TOKEN-WS"), "http": _secret("TOKEN-HTTP")}
    room_secret, pin = _secret("ROOM-SECRET"), _secret("PIN")
    wrong = [_secret("WRONG-ADMIN"), _secret("WRONG-API"), _secret("WRONG-PIN")]
    server = janus_server_factory(
        api_secret=api_secret, token_auth=True, ice_address=janus_media_ice
    )
    shown: list[str] = [repr(server)]
    ice_passwords: list[str] = []
    room = secrets.randbelow(2**40) + 2**41
    plugins = ["janus.plugin.echotest", "janus.plugin.videoroom"]

    with root_at_debug() as records:
        # Tokens, through the Admin API over both its transports; a wrong admin secret.
        for transport, url in (("ws", server.admin_ws_url), ("http", server.admin_http_url)):
            async with admin.connect(url, admin_secret=server.admin_secret) as api:
                await api.add_token(tokens[transport], plugins=plugins)
                listed = await api.list_tokens()
                shown += [repr(api), repr(api.connection), repr(listed)]
            async with admin.connect(url, admin_secret=wrong[0]) as api:
                with pytest.raises(UnauthorizedError) as refused:
                    await api.list_sessions()
                shown.append(str(refused.value))

        for transport in ("ws", "http"):
            url = server.url(transport)
            # A wrong API secret and no token: refused.
            async with janus_webrtc.connect(url, api_secret=wrong[1]) as conn:
                with pytest.raises(UnauthorizedError) as refused:
                    await conn.create_session()
                shown.append(str(refused.value))

            async with (
                janus_webrtc.connect(
                    url,
                    api_secret=api_secret,
                    token=tokens[transport],
                    rtc_configuration=RTCConfiguration(iceServers=[]),
                ) as conn,
                await conn.create_session() as session,
            ):
                # A VideoRoom room with a secret and a PIN, through a generic handle.
                rooms = await session.attach("janus.plugin.videoroom")
                created = await rooms.send(
                    {"request": "create", "room": room, "secret": room_secret, "pin": pin}
                )
                assert created.data.get("videoroom") == "created"
                with pytest.raises(PluginError) as bad_pin:
                    await rooms.send(
                        {"request": "join", "ptype": "publisher", "room": room, "pin": wrong[2]}
                    )
                shown.append(str(bad_pin.value))
                joined = await rooms.send(
                    {"request": "join", "ptype": "publisher", "room": room, "pin": pin}
                )
                assert joined.data.get("videoroom") == "joined"
                with pytest.raises(PluginError) as bad_secret:
                    await rooms.send({"request": "destroy", "room": room, "secret": wrong[2]})
                shown.append(str(bad_secret.value))
                await rooms.send({"request": "destroy", "room": room, "secret": room_secret})

                # A media call.
                async with await session.attach(EchoHandle) as echo:
                    echo.add_track(ToneAudioTrack())
                    answer = await echo.negotiate_offer({"audio": True, "video": False})
                    await echo.wait_connected(timeout=10)
                    pc = echo.peer_connection
                    assert pc is not None
                    local, remote = pc.localDescription.sdp, pc.remoteDescription.sdp
                    ice_passwords += _ICE_PWD.findall(local) + _ICE_PWD.findall(remote)
                    async with admin.connect(
                        server.admin_ws_url, admin_secret=server.admin_secret
                    ) as api:
                        info = await api.handle_info(session.id, echo.id)
                        shown.append(repr(info))
                    shown += [repr(answer), repr(answer.jsep), repr(echo)]
                shown += [repr(conn), repr(conn.transport), repr(session), repr(rooms)]
                shown += [repr(created), repr(joined)]

    assert len(ice_passwords) == 4, ice_passwords  # each side's, in each call
    hidden = {
        "api secret": api_secret,
        "ws token": tokens["ws"],
        "http token": tokens["http"],
        "admin secret": server.admin_secret,
        "room secret": room_secret,
        "pin": pin,
        **{f"wrong secret {i}": value for i, value in enumerate(wrong)},
        **{f"ICE password {i}": value for i, value in enumerate(ice_passwords)},
    }
    # The search covers what it should: the loggers of every library on the way spoke.
    # The search covers what it should: the loggers that see requests, frames and SDPs spoke.
    spoke = {"janus_webrtc.connection", "janus_webrtc.transports.websocket.frames"}
    spoke |= {"aiortc.rtcpeerconnection", "aioice.ice"}
    assert spoke <= records.loggers, records.loggers
    leaks: list[str] = []
    for what, value in hidden.items():
        leaks += [
            f"{what} in a {name} record: {text[:300]!r}"
            for name, text in records.texts
            if value in text
        ]
        leaks += [f"{what} in {text[:300]!r}" for text in shown if value in text]
    assert leaks == []
