"""Room management loads no media: aiortc, aioice and PyAV wait for the first WebRTC join.

Each case runs in a fresh interpreter (this one has loaded them long ago), which prints the
media modules loaded at each step as JSON.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from janus_webrtc.testing import JanusEndpoints

MEDIA = ["aioice", "aiortc", "av"]

LOADED = """
import sys

def loaded():
    return sorted(m for m in ("aiortc", "aioice", "av") if m in sys.modules)
"""

IMPORT = (
    LOADED
    + """
import json
import janus_audiobridge, janus_audiobridge.plugin
import janus_webrtc.plugins

janus_webrtc.plugins.available()  # loads every plugin package's entry point
print(json.dumps({"imported": loaded()}))
"""
)

ROOMS_THEN_JOIN = (
    LOADED
    + """
import asyncio, json
import janus_webrtc

async def main(url, ice):
    steps = {}
    async with janus_webrtc.connect(url) as connection:
        async with await connection.create_session() as session:
            handle = await session.attach("audiobridge")  # through the entry point
            created = await handle.create_room(description="signalling only")
            assert await handle.exists(created.room)
            assert created.room in [info.room for info in await handle.list_rooms()]
            assert await handle.list_participants(created.room) == ()
            await handle.destroy_room(created.room)
            assert not await handle.exists(created.room)
            steps["rooms"] = loaded()

            from aiortc import RTCConfiguration
            from janus_webrtc.media import ToneAudioTrack
            from janus_webrtc.testing import restrict_aioice_to

            room = (await handle.create_room()).room
            with restrict_aioice_to(ice):
                handle.configure_rtc(RTCConfiguration(iceServers=[]))
                handle.add_track(ToneAudioTrack())
                await handle.join(room, display="lazy")
                await handle.wait_webrtc_up(timeout=10)
                steps["joined"] = loaded()
                await handle.close()
            async with await connection.create_session() as other:
                await (await other.attach("audiobridge")).destroy_room(room)
    print(json.dumps(steps))

asyncio.run(main(sys.argv[1], sys.argv[2]))
"""
)


def run(code: str, *args: str) -> dict[str, list[str]]:
    """Run ``code`` in a fresh interpreter; return the JSON it prints last."""
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    steps: dict[str, list[str]] = json.loads(done.stdout.splitlines()[-1])
    return steps


def test_importing_the_package_loads_no_media() -> None:
    assert run(IMPORT) == {"imported": []}


@pytest.mark.janus
def test_room_management_loads_no_media_until_joining(
    janus_server: JanusEndpoints, janus_media_ice: str
) -> None:
    steps = run(ROOMS_THEN_JOIN, janus_server.url("ws"), janus_media_ice)
    assert steps == {"rooms": [], "joined": MEDIA}
