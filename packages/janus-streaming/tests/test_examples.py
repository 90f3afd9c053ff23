"""The example runs against the test server: restream generated media, record what arrives."""

from __future__ import annotations

from pathlib import Path

import av
import pytest

from janus_webrtc.testing import run_python_script
from janus_webrtc.testing.rtp import mono_samples, tone_strength

pytestmark = [
    pytest.mark.janus,
    pytest.mark.requires_plugin("streaming"),
    pytest.mark.usefixtures("janus_media_ice"),
]

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


async def run_example(name: str, *args: str, timeout: float = 60) -> str:
    """Run ``examples/NAME`` with ``args``; return its output (it must succeed)."""
    return await run_python_script(EXAMPLES / name, *args, timeout=timeout)


async def test_restream_records_what_the_viewer_receives(
    janus_url: str, janus_media_ice: str, tmp_path: Path
) -> None:
    text = await run_example(
        "restream.py",
        janus_url,
        "--out",
        str(tmp_path),
        "--seconds",
        "3",
        "--ice-address",
        janus_media_ice,
    )
    assert "watching" in text and "recorded to" in text
    assert "received video:" in text and "received audio:" in text
    with av.open(str(tmp_path / "video.mp4")) as container:
        frames = list(container.decode(container.streams.video[0]))
    assert len(frames) >= 30  # about 3 s of 30 fps, minus the start
    assert (frames[-1].width, frames[-1].height) == (160, 120)
    with av.open(str(tmp_path / "audio.ogg")) as container:
        resampler = av.AudioResampler(format="s16", layout="mono", rate=48000)
        decoded = [
            out
            for frame in container.decode(container.streams.audio[0])
            for out in resampler.resample(frame)
        ]
    assert tone_strength(mono_samples(decoded[-50:]), 48000, 440) > 0.5  # the example's tone
