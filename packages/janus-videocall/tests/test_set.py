"""The ``set`` request mid-call: muting, bitrate cap, simulcast options and recording."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

import pytest

from janus_videocall import InvalidElementError, SetResult
from janus_webrtc.testing import JanusEndpoints
from support import PartyFactory, connect_call, media_flows

pytestmark = pytest.mark.janus


async def test_video_off_stops_video_at_the_other_side(party: PartyFactory) -> None:
    alice = await party("alice")
    bob = await party("bob")
    await connect_call(alice, bob)
    await media_flows(alice, bob)

    result = await alice.handle.set(video=False)
    assert isinstance(result, SetResult)
    # Windows counted in Alice's audio frames at Bob (50 a second), not in seconds: on a
    # busy machine everything slows down alike. First let what was in flight arrive.
    await bob.counter.wait_frames("audio", bob.counter.frames("audio") + 15)
    video_at = bob.counter.frames("video")
    audio_at = bob.counter.frames("audio")
    alice_video_at = alice.counter.frames("video")
    await bob.counter.wait_frames("audio", audio_at + 50)  # her audio is still relayed
    await alice.counter.wait_frames("video", alice_video_at + 10)  # Bob's video still flows
    assert bob.counter.frames("video") - video_at <= 2  # Alice's video no longer relayed
    # Not checked: video resuming after set(video=True). Janus resumes with a gap in sequence
    # numbers, and aiortc 1.16's video jitter buffer waits for 512 packets before skipping it.


async def test_audio_off_and_on_again(party: PartyFactory) -> None:
    alice = await party("alice")
    bob = await party("bob")
    await connect_call(alice, bob, video=False)
    await media_flows(alice, bob, video=0)
    await bob.handle.set(audio=False)
    await asyncio.sleep(0.3)
    stopped_at = alice.counter.frames("audio")
    await asyncio.sleep(0.6)
    assert alice.counter.frames("audio") - stopped_at <= 2
    await bob.handle.set(audio=True)
    await alice.counter.wait_frames("audio", stopped_at + 20, timeout=10)


async def test_bitrate_cap_and_simulcast_options_are_accepted(party: PartyFactory) -> None:
    alice = await party("alice")
    bob = await party("bob")
    await connect_call(alice, bob)
    for options in (
        {"bitrate": 128000},
        {"bitrate": 0},
        {"substream": 0},
        {"temporal": 1},
        {"fallback": 250000},
        {"audio": True, "video": True, "bitrate": 256000},
    ):
        assert isinstance(await alice.handle.set(**options), SetResult), options
    with pytest.raises(InvalidElementError) as caught:
        await alice.handle.set(substream=3)
    assert caught.value.error_code == 474
    with pytest.raises(ValueError, match="at least one option"):
        await alice.handle.set()
    await media_flows(alice, bob)  # the call goes on


async def test_record_writes_mjr_files(party: PartyFactory, janus_server: JanusEndpoints) -> None:
    if janus_server.recordings_dir is None:
        pytest.skip("the server's recordings folder is unknown")
    alice = await party("alice")
    bob = await party("bob")
    await connect_call(alice, bob)
    await media_flows(alice, bob, audio=5, video=5)
    base = janus_server.recordings_dir / f"call-{uuid.uuid4().hex[:8]}"
    assert isinstance(await alice.handle.set(record=True, filename=str(base)), SetResult)
    paths = [Path(f"{base}{suffix}") for suffix in ("-audio.mjr", "-video.mjr")]
    # Janus writes video from the next key frame on (it asks aiortc for one).
    for _ in range(100):  # at most 10 s
        if all(p.is_file() and p.stat().st_size > 1000 for p in paths):
            break
        await asyncio.sleep(0.1)
    else:
        pytest.fail(f"no recording with media in {paths}")
    assert isinstance(await alice.handle.set(record=False), SetResult)
    for path in paths:
        assert path.read_bytes()[:8] == b"MJR00002"
