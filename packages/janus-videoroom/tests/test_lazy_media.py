"""Room management loads no media: aiortc, aioice and PyAV wait for the first negotiation.

Each case runs in a fresh interpreter (this one has loaded them long ago), which prints the
media modules loaded at each step as JSON.
"""

from __future__ import annotations

import pytest

from janus_webrtc.testing import MEDIA_MODULES, json_printed_by, media_loaded_by_importing

MEDIA = list(MEDIA_MODULES)

ROOMS_THEN_PUBLISH = """
import asyncio, json, sys
import janus_webrtc

async def main(url, ice):
    steps = {}
    async with janus_webrtc.connect(url) as connection:
        async with await connection.create_session() as session:
            handle = await session.attach("videoroom")  # through the entry point
            created = await handle.create_room(description="signalling only", publishers=2)
            assert await handle.exists(created.room)
            assert created.room in [info.room for info in await handle.list_rooms()]
            assert await handle.list_participants(created.room) == ()
            await handle.destroy_room(created.room)
            assert not await handle.exists(created.room)
            steps["rooms"] = loaded_media()

            from aiortc import RTCConfiguration
            from janus_webrtc.media import ToneAudioTrack
            from janus_webrtc.testing import restrict_aioice_to

            room = (await handle.create_room(publishers=2)).room
            with restrict_aioice_to(ice):
                handle.configure_rtc(RTCConfiguration(iceServers=[]))
                handle.add_track(ToneAudioTrack())
                await handle.join(room, display="lazy")
                await handle.publish()
                await handle.wait_webrtc_up(timeout=10)
                steps["published"] = loaded_media()
                await handle.close()
            async with await connection.create_session() as other:
                await (await other.attach("videoroom")).destroy_room(room)
    print(json.dumps(steps))

asyncio.run(main(sys.argv[1], sys.argv[2]))
"""


def test_importing_the_package_loads_no_media() -> None:
    assert media_loaded_by_importing("janus_videoroom", "janus_videoroom.plugin") == []


@pytest.mark.janus
def test_room_management_loads_no_media_until_publishing(
    janus_url: str, janus_media_ice: str
) -> None:
    steps = json_printed_by(ROOMS_THEN_PUBLISH, janus_url, janus_media_ice)
    assert steps == {"rooms": [], "published": MEDIA}
