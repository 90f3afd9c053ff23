"""Mountpoint management loads no media: aiortc, aioice and PyAV wait for the first watch.

Each case runs in a fresh interpreter (this one has loaded them long ago), which prints the
media modules loaded at each step as JSON.
"""

from __future__ import annotations

import pytest

from janus_webrtc.testing import MEDIA_MODULES, json_printed_by, media_loaded_by_importing

MEDIA = list(MEDIA_MODULES)

MOUNTPOINTS_THEN_WATCH = """
import asyncio, json, sys
import janus_webrtc
from janus_streaming import RtpMedia

async def main(url, ice):
    steps = {}
    async with janus_webrtc.connect(url) as connection:
        async with await connection.create_session() as session:
            admin = await session.attach("streaming")  # through the entry point
            opus = RtpMedia(type="audio", mid="a", pt=111, codec="opus", iface="127.0.0.1")
            created = await admin.create_rtp_mountpoint([opus], description="signalling only")
            assert created.id in [mountpoint.id for mountpoint in await admin.list_mountpoints()]
            await admin.mountpoint_info(created.id)
            steps["mountpoints"] = loaded_media()

            from aiortc import RTCConfiguration
            from janus_webrtc.testing import restrict_aioice_to

            viewer = await session.attach("streaming")
            with restrict_aioice_to(ice):
                viewer.configure_rtc(RTCConfiguration(iceServers=[]))
                await viewer.watch(created.id)
                steps["watching"] = loaded_media()
                await viewer.close()
            await admin.destroy_mountpoint(created.id)
    print(json.dumps(steps))

asyncio.run(main(sys.argv[1], sys.argv[2]))
"""


def test_importing_the_package_loads_no_media() -> None:
    assert media_loaded_by_importing("janus_streaming", "janus_streaming.plugin") == []


@pytest.mark.janus
def test_mountpoint_management_loads_no_media_until_watching(
    janus_url: str, janus_media_ice: str
) -> None:
    steps = json_printed_by(MOUNTPOINTS_THEN_WATCH, janus_url, janus_media_ice)
    assert steps == {"mountpoints": [], "watching": MEDIA}
