"""Recordings Janus cannot open are reported (issue 12), against the real Janus.

Janus 1.1.2's EchoTest answers ``record`` with ``ok`` whatever happens to the files; with a
``recording_check`` the handle finds out, by the Admin API or by looking for the files.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from janus_echotest import EchoTestError, EchoTestHandle, EchoTestRecordingRefusedError
from janus_webrtc import RecordingCheck, RecordingRefusedError
from janus_webrtc.admin import AdminClient
from janus_webrtc.media import FrameCounter, TestPatternVideoTrack, ToneAudioTrack
from janus_webrtc.testing import poll_until, read_mjr, recorded_frames

pytestmark = pytest.mark.janus


@pytest.fixture
def folder(janus_recordings_folder: Path) -> Path:
    """A fresh folder in the server's recordings folder (Janus runs on this host)."""
    return janus_recordings_folder


@pytest.fixture
def unwritable(folder: Path) -> Path:
    """A base path Janus cannot create files under, root or not: its folder is a regular file."""
    blocker = folder / "a-file"
    blocker.write_text("not a folder")
    return blocker / "rec" / "echo"


@pytest.fixture(params=["admin", "local_files"])
def check(request: pytest.FixtureRequest, janus_admin: AdminClient) -> RecordingCheck:
    """Each way to check: the Admin API (over WebSocket), and the files on this host."""
    if request.param == "local_files":
        return RecordingCheck(local_files=True)
    return RecordingCheck(admin=janus_admin)


def entries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


async def start_media(echo: EchoTestHandle) -> FrameCounter:
    echo.add_track(ToneAudioTrack())
    echo.add_track(TestPatternVideoTrack(width=160, height=120))
    counter = echo.record_to(FrameCounter())
    assert isinstance(counter, FrameCounter)
    await echo.start(audio=True, video=True)
    await counter.wait_frames("video", 5, timeout=10)
    return counter


async def test_a_path_janus_cannot_write_is_reported_and_a_good_one_records(
    echo: EchoTestHandle, check: RecordingCheck, unwritable: Path, folder: Path
) -> None:
    counter = await start_media(echo)
    echo.recording_check = check
    with pytest.raises(EchoTestRecordingRefusedError) as caught:
        await echo.record(filename=str(unwritable))
    error = caught.value
    assert isinstance(error, EchoTestError)
    assert isinstance(error, RecordingRefusedError)
    assert error.refused == ("audio", "video")
    assert error.filename == str(unwritable)
    assert error.plugin == "janus.plugin.echotest"
    assert not unwritable.parent.exists()

    # The call goes on, and a writable path records media into both files.
    seen = counter.frames("video")
    await counter.wait_frames("video", seen + 10, timeout=10)
    base = folder / "echo"
    assert (await echo.record(filename=str(base))).ok
    # Janus writes video from the key frame it asks for on, through a write buffer: wait
    # until the files hold frames (Janus says nothing), not for frames seen on this side.
    await poll_until(
        lambda: (
            recorded_frames(f"{base}-video.mjr") >= 5 and recorded_frames(f"{base}-audio.mjr") >= 20
        ),
        timeout=20,
    )
    assert (await echo.record(False)).ok
    audio = read_mjr(f"{base}-audio.mjr")
    video = read_mjr(f"{base}-video.mjr")
    assert (audio.kind, audio.codec, video.kind, video.codec) == ("audio", "opus", "video", "vp8")
    assert audio.frames >= 20
    assert video.frames >= 5  # from the key frame Janus asks for on


async def test_recording_from_the_start_to_a_bad_path_is_reported(
    echo: EchoTestHandle, check: RecordingCheck, unwritable: Path
) -> None:
    echo.recording_check = check
    echo.add_track(ToneAudioTrack())
    counter = echo.record_to(FrameCounter())
    assert isinstance(counter, FrameCounter)
    with pytest.raises(EchoTestRecordingRefusedError) as caught:
        await echo.start(audio=True, record=True, filename=str(unwritable))
    assert caught.value.refused == ("audio",)
    await counter.wait_frames("audio", 25, timeout=10)  # the echo test itself runs


async def test_the_local_files_check_needs_the_whole_path(
    echo: EchoTestHandle, folder: Path
) -> None:
    await start_media(echo)
    echo.recording_check = RecordingCheck(local_files=True)
    for name in (None, "relative/echo"):
        with pytest.raises(ValueError, match="absolute filename"):
            await echo.record(filename=name)
    assert entries(folder) == []  # nothing was asked of Janus


async def test_without_a_check_janus_answers_ok_and_records_nothing(
    echo: EchoTestHandle, unwritable: Path
) -> None:
    """What Janus 1.1.2 does by itself: the reason a check exists."""
    await start_media(echo)
    assert echo.recording_check is None
    assert (await echo.record(filename=str(unwritable))).ok
    assert not unwritable.parent.exists()
