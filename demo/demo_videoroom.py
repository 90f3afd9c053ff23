"""VideoRoom demo: two publishers, one subscriber receiving both (janus-videoroom).

Run by ``demo/run_demo.py``: ``run(endpoints)`` gets the private Janus it started.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import Counter

from aiortc import RTCConfiguration
from aiortc.mediastreams import MediaStreamError

import janus_webrtc
from janus_videoroom import Publishers, VideoRoomPublisher, VideoRoomSubscriber
from janus_webrtc import RemoteTrack
from janus_webrtc.media import TestPatternVideoTrack, ToneAudioTrack
from janus_webrtc.testing import JanusEndpoints, restrict_aioice_to

SECONDS = 3.0


async def _count(event: RemoteTrack, frames: Counter[str]) -> None:
    with contextlib.suppress(MediaStreamError):
        while True:
            await event.track.recv()
            frames[event.mid or "?"] += 1


async def run(endpoints: JanusEndpoints) -> None:
    """Publish a test pattern and tone twice, subscribe to both, count frames per feed."""
    restriction = (
        restrict_aioice_to(endpoints.ice_address)
        if endpoints.ice_address
        else contextlib.nullcontext()
    )
    with restriction:
        async with (
            janus_webrtc.connect(endpoints.ws_url) as connection,
            await connection.create_session() as session,
        ):
            alice = await session.attach(VideoRoomPublisher)
            bob = await session.attach(VideoRoomPublisher)
            viewer = await session.attach(VideoRoomSubscriber)
            for handle in (alice, bob, viewer):
                handle.configure_rtc(RTCConfiguration(iceServers=[]))
            room = (await alice.create_room(description="demo", publishers=4)).room
            print(f"  room {room} created")

            started = time.perf_counter()
            feeds = {}
            for publisher, name, size in ((alice, "alice", (160, 120)), (bob, "bob", (128, 96))):
                publisher.add_track(ToneAudioTrack())
                publisher.add_track(TestPatternVideoTrack(width=size[0], height=size[1]))
                announced = alice.wait_for(Publishers, timeout=10) if publisher is bob else None
                joined = await publisher.join(room, display=name)
                await publisher.publish()
                await publisher.wait_webrtc_up(timeout=10)
                if announced is not None:
                    event = await announced
                    print(f"  alice heard of {[p.display for p in event.publishers]}")
                assert joined.id is not None
                feeds[name] = joined.id
            print(f"  two publishers up in {time.perf_counter() - started:.3f} s")

            frames: Counter[str] = Counter()
            readers: set[asyncio.Task[None]] = set()
            viewer.on(lambda e: readers.add(asyncio.ensure_future(_count(e, frames))), RemoteTrack)
            started = time.perf_counter()
            attached = await viewer.join(room, streams=list(feeds.values()))
            await viewer.wait_connected(timeout=10)
            print(
                f"  one subscription, {len(attached.streams)} m-lines, connected in "
                f"{time.perf_counter() - started:.3f} s"
            )
            await asyncio.sleep(SECONDS)
            for stream in attached.streams:
                print(
                    f"  mid {stream.mid}: {stream.type} of {stream.feed_display}: "
                    f"{frames[stream.mid or '?']} frames in {SECONDS:g} s"
                )
            missing = [s.mid for s in attached.streams if frames[s.mid or "?"] == 0]
            await viewer.leave()
            for reader in readers:
                reader.cancel()
            await asyncio.gather(*readers, return_exceptions=True)
            await bob.leave()
            await alice.leave()
            await alice.destroy_room(room)
            if missing:
                raise AssertionError(f"no frames on m-lines {missing}")
