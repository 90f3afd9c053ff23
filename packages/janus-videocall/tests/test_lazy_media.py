"""Registering and listing load no media: aiortc, aioice and PyAV wait for the first call.

Each case runs in a fresh interpreter (this one has loaded them long ago), which prints the
media modules loaded at each step as JSON.
"""

from __future__ import annotations

import pytest

from janus_webrtc.testing import MEDIA_MODULES, json_printed_by, media_loaded_by_importing

MEDIA = list(MEDIA_MODULES)

REGISTER_THEN_CALL = """
import asyncio, json, secrets, sys
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
            steps["registered"] = loaded_media()

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
                steps["in a call"] = loaded_media()
                await caller.hangup()
                await caller.close()
                await callee.close()
    print(json.dumps(steps))

asyncio.run(main(sys.argv[1], sys.argv[2]))
"""


def test_importing_the_package_loads_no_media() -> None:
    assert media_loaded_by_importing("janus_videocall", "janus_videocall.plugin") == []


@pytest.mark.janus
def test_registering_loads_no_media_until_a_call(janus_url: str, janus_media_ice: str) -> None:
    steps = json_printed_by(REGISTER_THEN_CALL, janus_url, janus_media_ice)
    assert steps == {"registered": [], "in a call": MEDIA}
