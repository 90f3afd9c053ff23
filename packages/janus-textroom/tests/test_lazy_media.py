"""Room management loads no media: aiortc, aioice and PyAV wait for the data channel.

Each case runs in a fresh interpreter (this one has loaded them long ago), which prints the
media modules loaded at each step as JSON.
"""

from __future__ import annotations

import pytest

from janus_webrtc.testing import MEDIA_MODULES, json_printed_by, media_loaded_by_importing

MEDIA = list(MEDIA_MODULES)

ROOMS_THEN_SETUP = """
import asyncio, json, sys
import janus_webrtc

async def main(url, ice):
    steps = {}
    async with janus_webrtc.connect(url) as connection:
        async with await connection.create_session() as session:
            handle = await session.attach("textroom")  # through the entry point
            created = await handle.create_room(description="signalling only")
            assert await handle.exists(created.room)
            assert created.room in [info.room for info in await handle.list_rooms()]
            assert await handle.list_participants(created.room) == ()
            await handle.destroy_room(created.room)
            assert not await handle.exists(created.room)
            steps["rooms"] = loaded_media()

            from aiortc import RTCConfiguration
            from janus_webrtc.testing import restrict_aioice_to

            with restrict_aioice_to(ice):
                handle.configure_rtc(RTCConfiguration(iceServers=[]))
                await handle.setup(timeout=10)
                assert handle.ready
                steps["set up"] = loaded_media()
                await handle.close()
    print(json.dumps(steps))

asyncio.run(main(sys.argv[1], sys.argv[2]))
"""


def test_importing_the_package_loads_no_media() -> None:
    assert media_loaded_by_importing("janus_textroom", "janus_textroom.plugin") == []


@pytest.mark.janus
def test_room_management_loads_no_media_until_the_data_channel(
    janus_url: str, janus_media_ice: str
) -> None:
    steps = json_printed_by(ROOMS_THEN_SETUP, janus_url, janus_media_ice)
    assert steps == {"rooms": [], "set up": MEDIA}
