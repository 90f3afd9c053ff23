"""The example of the README: a callee and a caller, run as two commands, record each other."""

from __future__ import annotations

import asyncio
import fractions
import sys
from pathlib import Path

import av
import pytest

from janus_webrtc.media import ToneAudioTrack
from janus_webrtc.testing import JanusEndpoints
from support import unique

pytestmark = pytest.mark.janus

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "call.py"


def write_clip(path: Path, seconds: float = 1.0) -> None:
    """A small 160x120 video file with changing grey levels and a tone, for ``--play``."""
    with av.open(str(path), mode="w") as container:
        video = container.add_stream("libx264", rate=30)
        video.width, video.height, video.pix_fmt = 160, 120, "yuv420p"
        audio = container.add_stream("aac", rate=48000)
        audio.layout = "mono"
        tone = ToneAudioTrack()
        for index in range(int(seconds * 50)):
            samples = tone._buffer[index * 1920 : (index + 1) * 1920]
            chunk = av.AudioFrame(format="s16", layout="mono", samples=960)
            chunk.planes[0].update(samples)
            chunk.sample_rate = 48000
            chunk.pts = index * 960
            chunk.time_base = fractions.Fraction(1, 48000)
            for packet in audio.encode(chunk):
                container.mux(packet)
        for packet in audio.encode(None):
            container.mux(packet)
        frames = int(seconds * 30)
        for index in range(frames):
            frame = av.VideoFrame(width=160, height=120, format="yuv420p")
            frame.planes[0].update(bytes([(index * 8) % 256]) * (160 * 120))
            frame.planes[1].update(bytes([128]) * (80 * 60))
            frame.planes[2].update(bytes([128]) * (80 * 60))
            frame.pts = index
            frame.time_base = fractions.Fraction(1, 30)
            for packet in video.encode(frame):
                container.mux(packet)
        for packet in video.encode(None):
            container.mux(packet)


def decoded_frames(path: Path) -> dict[str, int]:
    """How many frames of each kind a recording holds."""
    counts = {"audio": 0, "video": 0}
    with av.open(str(path)) as container:
        for frame in container.decode(*container.streams):
            counts["audio" if isinstance(frame, av.AudioFrame) else "video"] += 1
    return counts


async def run_example(*args: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        str(EXAMPLE),
        *args,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )


async def test_caller_and_callee_commands_record_each_other(
    janus_server: JanusEndpoints, janus_media_ice: str, tmp_path: Path
) -> None:
    clip = tmp_path / "clip.mp4"
    write_clip(clip)
    callee_file = tmp_path / "callee-received.mp4"
    caller_file = tmp_path / "caller-received.mkv"
    callee_name, caller_name = unique("callee"), unique("caller")
    common = ("--ice-address", janus_media_ice, "--wait", "20")
    # The callee over HTTP, the caller over WebSocket; the caller plays the clip.
    callee = await run_example(
        "callee", "--url", janus_server.http_url, "--name", callee_name,
        "--record", str(callee_file), "--seconds", "30", *common,
    )  # fmt: skip
    caller = await run_example(
        "caller", "--url", janus_server.ws_url, "--name", caller_name, "--peer", callee_name,
        "--play", str(clip), "--record", str(caller_file), "--seconds", "2.5", *common,
    )  # fmt: skip
    async with asyncio.timeout(60):
        caller_out, _ = await caller.communicate()
        callee_out, _ = await callee.communicate()
    caller_text, callee_text = caller_out.decode(), callee_out.decode()
    assert caller.returncode == 0, f"caller:\n{caller_text}\ncallee:\n{callee_text}"
    assert callee.returncode == 0, f"callee:\n{callee_text}"
    assert f"in a call with {callee_name}" in caller_text
    assert f"{caller_name} is calling" in callee_text
    assert "hung up" in caller_text
    assert f"the call ended: {caller_name} is done" in callee_text
    assert "received video" in caller_text and "received audio" in caller_text
    # Each side recorded what the other sent: the callee the clip, the caller the callee's
    # pattern and tone.
    outputs = f"caller:\n{caller_text}\ncallee:\n{callee_text}"
    callee_frames = decoded_frames(callee_file)
    assert callee_frames["video"] >= 20, (callee_frames, outputs)
    assert callee_frames["audio"] >= 20, (callee_frames, outputs)
    caller_frames = decoded_frames(caller_file)
    assert caller_frames["video"] >= 20, (caller_frames, outputs)
    assert caller_frames["audio"] >= 20, (caller_frames, outputs)
