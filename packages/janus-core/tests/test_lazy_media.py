"""aiortc, aioice and PyAV are imported by a WebRTC handle's first peer connection.

Importing the WebRTC side (so any plugin package) and using a WebRTC handle for signalling
only leave them unloaded; the first peer connection imports them, and says which extra to
install if that fails. Each case runs in a fresh interpreter (this one has loaded them long
ago), which prints the media modules loaded at each step as JSON.
"""

from __future__ import annotations

import pytest

from janus_webrtc._extras import MEDIA_INSTALL
from janus_webrtc.testing import MEDIA_MODULES, json_printed_by, run_in_fresh_python

pytestmark = pytest.mark.media

MEDIA = list(MEDIA_MODULES)

PRELUDE = """
import asyncio, json, sys
from typing import ClassVar

import janus_webrtc
from janus_webrtc import WebRTCHandle

class EchoHandle(WebRTCHandle):
    plugin_id: ClassVar[str] = "janus.plugin.echotest"
"""

IMPORT = (
    PRELUDE
    + """
from janus_webrtc import DataChannel, MediaSink, RemoteTrack, webrtc

print(json.dumps({"imported": loaded_media()}))
"""
)

FAKE_JANUS = (
    PRELUDE
    + """
from janus_webrtc.testing.fake import FakeTransport

def janus(request):
    kind = request["janus"]
    if kind == "create":
        return {"janus": "success", "data": {"id": 1}}
    if kind == "attach":
        return {"janus": "success", "session_id": 1, "data": {"id": 2}}
    if kind == "message":
        data = {"echotest": "event", "result": "ok"}
        plugindata = {"plugin": "janus.plugin.echotest", "data": data}
        return {"janus": "success", "session_id": 1, "sender": 2, "plugindata": plugindata}
    return {"janus": "success", "session_id": 1}

async def main(hide):
    steps = {}
    async with janus_webrtc.connect(transport=FakeTransport(janus)) as connection:
        async with await connection.create_session() as session:
            handle = await session.attach(EchoHandle)
            await handle.send({"audio": True})
            assert handle.ice_state == "new" and handle.peer_connection is None
            steps["signalling"] = loaded_media()
            if hide:
                sys.modules[hide] = None  # as if it could not be imported
            handle.create_data_channel("first")  # the first peer connection: no Janus needed
            steps["peer connection"] = loaded_media()
            await handle.close()
    print(json.dumps(steps))

asyncio.run(main(sys.argv[1] if len(sys.argv) > 1 else None))
"""
)

JANUS = (
    PRELUDE
    + """
async def main(url, ice):
    steps = {}
    async with janus_webrtc.connect(url) as connection:
        async with await connection.create_session() as session:
            echo = await session.attach(EchoHandle)
            await echo.send({"audio": True, "video": False})
            steps["signalling"] = loaded_media()

            from aiortc import RTCConfiguration
            from janus_webrtc.media import ToneAudioTrack
            from janus_webrtc.testing import restrict_aioice_to

            with restrict_aioice_to(ice):
                echo.configure_rtc(RTCConfiguration(iceServers=[]))
                echo.add_track(ToneAudioTrack())
                await echo.negotiate_offer({"audio": True})
                await echo.wait_webrtc_up(timeout=10)
                steps["negotiated"] = loaded_media()
                await echo.close()
    print(json.dumps(steps))

asyncio.run(main(sys.argv[1], sys.argv[2]))
"""
)


def test_importing_the_webrtc_side_and_subclassing_it_loads_no_media() -> None:
    assert json_printed_by(IMPORT) == {"imported": []}


def test_the_first_peer_connection_imports_media_not_signalling() -> None:
    assert json_printed_by(FAKE_JANUS) == {"signalling": [], "peer connection": MEDIA}


@pytest.mark.parametrize("module", ["aiortc", "av"])
def test_the_first_peer_connection_names_the_extra_when_media_cannot_be_imported(
    module: str,
) -> None:
    done = run_in_fresh_python(FAKE_JANUS, module)
    assert done.returncode == 1
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("ModuleNotFoundError: EchoHandle needs WebRTC media support")
    assert f"(no module named {module!r})" in last and MEDIA_INSTALL in last


@pytest.mark.janus
def test_signalling_over_janus_loads_no_media_until_a_negotiation(
    janus_url: str, janus_media_ice: str
) -> None:
    steps = json_printed_by(JANUS, janus_url, janus_media_ice)
    assert steps == {"signalling": [], "negotiated": MEDIA}
