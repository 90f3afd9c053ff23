"""Settings alone load no media: aiortc, aioice and PyAV wait for the first negotiation.

Each case runs in a fresh interpreter (this one has loaded them long ago), which prints the
media modules loaded at each step as JSON.
"""

from __future__ import annotations

import pytest

from janus_webrtc.testing import MEDIA_MODULES, json_printed_by, media_loaded_by_importing

MEDIA = list(MEDIA_MODULES)

CONFIGURE_THEN_START = """
import asyncio, json, sys
import janus_webrtc

async def main(url, ice):
    steps = {}
    async with janus_webrtc.connect(url) as connection:
        async with await connection.create_session() as session:
            handle = await session.attach("echotest")  # through the entry point
            await handle.configure(audio=True, video=False, bitrate=64000)
            steps["configured"] = loaded_media()

            from aiortc import RTCConfiguration
            from janus_webrtc.media import ToneAudioTrack
            from janus_webrtc.testing import restrict_aioice_to

            with restrict_aioice_to(ice):
                handle.configure_rtc(RTCConfiguration(iceServers=[]))
                handle.add_track(ToneAudioTrack())
                await handle.start(audio=True)
                await handle.wait_webrtc_up(timeout=10)
                steps["started"] = loaded_media()
                await handle.close()
    print(json.dumps(steps))

asyncio.run(main(sys.argv[1], sys.argv[2]))
"""


def test_importing_the_package_loads_no_media() -> None:
    assert media_loaded_by_importing("janus_echotest", "janus_echotest.plugin") == []


@pytest.mark.janus
def test_settings_load_no_media_until_the_echo_starts(janus_url: str, janus_media_ice: str) -> None:
    steps = json_printed_by(CONFIGURE_THEN_START, janus_url, janus_media_ice)
    assert steps == {"configured": [], "started": MEDIA}
