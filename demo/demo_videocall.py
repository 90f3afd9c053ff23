"""VideoCall demo: alice calls bob, both send a test pattern and a tone (janus-videocall).

Run by ``demo/run_demo.py``: ``run(endpoints)`` gets the private Janus it started. Alice is on
WebSocket, bob on HTTP; each counts the frames it decodes from the other.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid

from aiortc import RTCConfiguration

import janus_webrtc
from janus_videocall import VideoCallHandle
from janus_webrtc.media import FrameCounter, TestPatternVideoTrack, ToneAudioTrack
from janus_webrtc.testing import JanusEndpoints, restrict_aioice_to

CALL_SECONDS = 2.0


async def run(endpoints: JanusEndpoints) -> None:
    """Register alice and bob, call, exchange media for a moment, hang up."""
    restriction = (
        restrict_aioice_to(endpoints.ice_address)
        if endpoints.ice_address
        else contextlib.nullcontext()
    )
    tag = uuid.uuid4().hex[:6]  # usernames are global in the plugin
    with restriction:
        async with (
            janus_webrtc.connect(endpoints.ws_url) as ws,
            janus_webrtc.connect(endpoints.http_url or endpoints.ws_url) as http,
            await ws.create_session() as ws_session,
            await http.create_session() as http_session,
            await ws_session.attach(VideoCallHandle) as alice,
            await http_session.attach(VideoCallHandle) as bob,
        ):
            counters = {}
            for name, handle in (("alice", alice), ("bob", bob)):
                handle.configure_rtc(RTCConfiguration(iceServers=[]))
                await handle.register(f"{name}-{tag}")
                handle.add_track(ToneAudioTrack())
                handle.add_track(TestPatternVideoTrack(width=160, height=120))
                counters[name] = FrameCounter()
                handle.record_to(counters[name])
            print(f"  registered: {', '.join(n for n in await alice.list() if n.endswith(tag))}")

            started = time.perf_counter()
            await alice.call(f"bob-{tag}")
            incoming = await bob.wait_incoming_call(timeout=10)
            print(f"  bob: {incoming.username} is calling")
            await bob.accept()
            await alice.wait_accepted(timeout=10)
            await asyncio.gather(alice.wait_connected(timeout=10), bob.wait_connected(timeout=10))
            print(f"  call up in {time.perf_counter() - started:.3f} s (alice: ws, bob: http)")

            await asyncio.sleep(CALL_SECONDS)
            for name, other in (("alice", "bob"), ("bob", "alice")):
                counts = counters[name]
                video = counts.count("video")
                print(
                    f"  {name} decoded {counts.frames('audio')} audio and {video.frames} "
                    f"{video.width}x{video.height} video frames from {other} "
                    f"in {CALL_SECONDS:.0f} s"
                )
                if counts.frames("audio") == 0 or video.frames == 0:
                    raise AssertionError(f"{name} received no media from {other}")

            await alice.hangup(reason="demo over")
            ended = await bob.wait_hangup(timeout=10)
            print(f"  bob: call ended ({ended.reason if ended else '?'}); peer connections closed")
