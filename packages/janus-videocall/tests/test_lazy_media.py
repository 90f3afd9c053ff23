"""Registering and listing load no media: aiortc, aioice and PyAV wait for the first call.

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
import janus_videocall, janus_videocall.plugin
import janus_webrtc.plugins

janus_webrtc.plugins.available()  # loads every plugin package's entry point
print(json.dumps({"imported": loaded()}))
"""
)

REGISTER_THEN_CALL = (
    LOADED
    + """
import asyncio, json, secrets
import janus_webrtc
from janus_videocall import VideoCallHandle

async def main(url, ice):
    steps = {}
    alice, bob = f"alice-{secrets.token_hex(4)}", f"bob-{secrets.token_hex(4)}"
    async with janus_webrtc.connect(url) as connection:
        async with await connection.create_session() as session:
            caller = await session.attach("videocall")  # through the entry point
            callee = await session.attach(VideoCallHandle)
            await caller.register(alice)
            await callee.register(bob)
            assert {alice, bob} <= set(await caller.list())
            steps["registered"] = loaded()

            from aiortc import RTCConfiguration
            from janus_webrtc.media import ToneAudioTrack
            from janus_webrtc.testing import restrict_aioice_to

            with restrict_aioice_to(ice):
                for handle in (caller, callee):
                    handle.configure_rtc(RTCConfiguration(iceServers=[]))
                await caller.call(bob, ToneAudioTrack())
                await callee.wait_incoming_call(timeout=10)
                await callee.accept(ToneAudioTrack())
                await caller.wait_accepted(timeout=10)
                steps["in a call"] = loaded()
                await caller.hangup()
                await caller.close()
                await callee.close()
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
def test_registering_loads_no_media_until_a_call(
    janus_server: JanusEndpoints, janus_media_ice: str
) -> None:
    steps = run(REGISTER_THEN_CALL, janus_server.url("ws"), janus_media_ice)
    assert steps == {"registered": [], "in a call": MEDIA}
