"""Streaming demo: an RTP mountpoint fed on loopback, watched by two viewers (janus-streaming).

Run by ``demo/run_demo.py``: ``run(endpoints)`` gets the private Janus it started.
"""

from __future__ import annotations

import asyncio
import contextlib
import time

from aiortc import RTCConfiguration

import janus_webrtc
from janus_streaming import RtpMedia, StreamingHandle
from janus_webrtc.media import FrameCounter, TestPatternVideoTrack, ToneAudioTrack
from janus_webrtc.testing import JanusEndpoints, restrict_aioice_to
from janus_webrtc.testing.rtp import RtpSource

SECONDS = 2.0


async def run(endpoints: JanusEndpoints) -> None:
    """Create a mountpoint (Opus + VP8), feed it, watch it twice, count frames, destroy it."""
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
            viewers = [await session.attach(StreamingHandle) for _ in range(2)]
            for viewer in viewers:
                viewer.configure_rtc(RTCConfiguration(iceServers=[]))
            admin = viewers[0]
            created = await admin.create_rtp_mountpoint(
                [
                    RtpMedia(type="audio", mid="a", pt=111, codec="opus", iface="127.0.0.1"),
                    # bufferkf: Janus keeps the last keyframe and sends it to each new viewer.
                    RtpMedia(
                        type="video", mid="v", pt=100, codec="vp8", iface="127.0.0.1", bufferkf=True
                    ),
                ],
                description="demo",
            )
            print(f"  mountpoint {created.id} on ports {[p.port for p in created.ports]}")
            tracks = (ToneAudioTrack(), TestPatternVideoTrack(width=160, height=120))
            sources = [
                RtpSource(tracks[0], port=created.port("a"), payload_type=111),
                RtpSource(tracks[1], port=created.port("v"), payload_type=100),
            ]
            for source in sources:
                await source.start()
            try:
                counters = []
                for index, viewer in enumerate(viewers):
                    counter = FrameCounter()
                    viewer.record_to(counter)
                    counters.append(counter)
                    started = time.perf_counter()
                    await viewer.watch(created.id)
                    await counter.wait_frames("video", 1, timeout=10)
                    print(
                        f"  viewer {index + 1}: watch to first video frame in "
                        f"{time.perf_counter() - started:.3f} s"
                    )
                await asyncio.sleep(SECONDS)
                for index, counter in enumerate(counters):
                    print(f"  viewer {index + 1}: {counter}")
                info = await admin.mountpoint_info(created.id)
                print(f"  mountpoint streams: {[(s.mid, s.codec) for s in info.media]}")
                for viewer in viewers:
                    await viewer.stop()
            finally:
                for source in sources:
                    await source.stop()
                for track in tracks:
                    track.stop()
                await admin.destroy_mountpoint(created.id)
            if any(c.frames("video") == 0 or c.frames("audio") == 0 for c in counters):
                raise AssertionError("a viewer got no audio or no video")
