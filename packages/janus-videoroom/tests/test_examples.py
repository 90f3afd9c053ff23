"""The examples run against the test server: one publishes, the other records every feed."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from janus_videoroom import VideoRoomPublisher
from janus_webrtc.testing import run_python_script

pytestmark = [pytest.mark.janus, pytest.mark.usefixtures("janus_media_ice")]

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def file_sizes(folder: Path, pattern: str) -> list[int]:
    return [path.stat().st_size for path in folder.glob(pattern)]


async def run_example(name: str, *args: str, timeout: float = 60) -> str:
    """Run ``examples/NAME`` with ``args``; return its output (it must succeed)."""
    return await run_python_script(EXAMPLES / name, *args, timeout=timeout)


async def test_publish_and_record_all(
    janus_url: str, janus_media_ice: str, admin: VideoRoomPublisher, room: int, tmp_path: Path
) -> None:
    common = (janus_url, "--room", str(room), "--ice-address", janus_media_ice)
    publishing = asyncio.ensure_future(
        run_example("publish.py", *common, "--display", "example", "--seconds", "7")
    )
    # Start recording once the feed is up, so that it is found at join or announced after.
    for _ in range(100):
        if [p for p in await admin.list_participants(room) if p.publisher]:
            break
        await asyncio.sleep(0.1)
    recorded = await run_example("record_all.py", *common, "--out", str(tmp_path), "--seconds", "3")
    published = await publishing
    assert "publishing" in published and "left" in published
    assert "sent video:" in published
    assert "recording feed" in recorded
    (size,) = file_sizes(tmp_path, "feed-*.mp4")
    assert size > 2000  # a few seconds of 160x120 video and audio
