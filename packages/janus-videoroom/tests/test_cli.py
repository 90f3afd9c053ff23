"""``janusctl videoroom record`` and ``publish``: the installed console script, real Janus.

A publisher made with the API is recorded by ``record``; the file written is then published
by ``publish`` and seen in the room.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from conftest import start_publisher
from janus_videoroom import VideoRoomPublisher
from janus_webrtc.testing import HandleFactory, run_janusctl

pytestmark = pytest.mark.janus


async def test_record_a_publisher_then_publish_the_file(
    janus_handle_factory: HandleFactory,
    admin: VideoRoomPublisher,
    room: int,
    janus_url: str,
    janus_media_ice: str,
    tmp_path: Path,
) -> None:
    publisher, joined = await start_publisher(janus_handle_factory, room, display="api")
    common = ("--url", janus_url, "--ice-address", janus_media_ice)
    status, out, err = await run_janusctl(
        "videoroom", "record", str(room), "--out", str(tmp_path), "--seconds", "3", "--json",
        *common,
    )  # fmt: skip
    assert status == 0, err
    (row,) = json.loads(out)
    assert row["feed"] == joined.id and row["bytes"] > 2000
    assert Path(row["file"]) == tmp_path / f"feed-{joined.id}.mp4"
    assert f"* recording feed {joined.id} (2 tracks)" in err
    assert "   1 s  1 feeds" in err
    await publisher.leave()

    publishing = asyncio.ensure_future(
        run_janusctl(
            "videoroom",
            "publish",
            row["file"],
            "--room",
            str(room),
            "--display",
            "replay",
            "--json",
            *common,
        )
    )
    seen = False
    async with asyncio.timeout(30):
        while not seen and not publishing.done():
            participants = await admin.list_participants(room)
            seen = any(p.display == "replay" and p.publisher for p in participants)
            await asyncio.sleep(0.1)
    status, out, err = await publishing
    assert status == 0, err
    assert seen, "the published file never showed in the room"
    result = json.loads(out)
    assert result["room"] == room and result["file"] == row["file"]
    assert result["packets_sent"]["video"] > 0 and result["packets_sent"]["audio"] > 0
    assert f"* publishing {row['file']} in room {room}" in err
    assert "   1 s  sent " in err


async def test_record_with_no_publisher_says_so(
    room: int, janus_url: str, janus_media_ice: str, tmp_path: Path
) -> None:
    status, out, err = await run_janusctl(
        "videoroom", "record", str(room), "--out", str(tmp_path), "--seconds", "1",
        "--url", janus_url, "--ice-address", janus_media_ice,
    )  # fmt: skip
    assert (status, out) == (0, "no publisher: nothing recorded\n"), err


async def test_errors_are_one_line(janus_url: str, tmp_path: Path) -> None:
    status, out, err = await run_janusctl(
        "videoroom", "publish", str(tmp_path / "missing.mp4"), "--room", "1", "--url", janus_url
    )
    assert (status, out) == (2, "")
    assert len(err.splitlines()) == 1 and "cannot open" in err, err
    status, out, err = await run_janusctl(
        "videoroom", "record", "424242", "--out", str(tmp_path), "--url", janus_url
    )
    assert (status, out) == (1, "")
    assert len(err.splitlines()) == 1 and "janusctl videoroom record: NoSuchRoomError" in err, err
    blocked = tmp_path / "file"
    blocked.write_text("")
    status, out, err = await run_janusctl(
        "videoroom", "record", "1", "--out", str(blocked / "sub"), "--url", janus_url
    )
    assert status == 2 and "--out" in err and len(err.splitlines()) == 1, err
