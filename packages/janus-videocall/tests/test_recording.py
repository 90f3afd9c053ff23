"""Recordings Janus cannot open are reported (issue 12), against the real Janus.

Janus 1.1.2's VideoCall answers ``set`` with ``record`` the same whatever happens to the
files; with a ``recording_check`` the handle finds out, by the Admin API or by the files.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from janus_videocall import SetResult, VideoCallError, VideoCallRecordingRefusedError
from janus_webrtc import RecordingCheck, RecordingRefusedError
from janus_webrtc.admin import AdminClient
from janus_webrtc.testing import poll_until, read_mjr, recorded_frames
from support import PartyFactory, connect_call, media_flows

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
    return blocker / "rec" / "call"


@pytest.fixture(params=["admin", "local_files"])
def check(request: pytest.FixtureRequest, janus_admin: AdminClient) -> RecordingCheck:
    """Each way to check: the Admin API (over WebSocket), and the files on this host."""
    if request.param == "local_files":
        return RecordingCheck(local_files=True)
    return RecordingCheck(admin=janus_admin)


async def test_a_path_janus_cannot_write_is_reported_and_a_good_one_records(
    party: PartyFactory, check: RecordingCheck, unwritable: Path, folder: Path
) -> None:
    alice = await party("alice")
    bob = await party("bob")
    await connect_call(alice, bob)
    await media_flows(alice, bob, audio=5, video=5)
    alice.handle.recording_check = check

    with pytest.raises(VideoCallRecordingRefusedError) as caught:
        await alice.handle.set(record=True, filename=str(unwritable))
    error = caught.value
    assert isinstance(error, VideoCallError)
    assert isinstance(error, RecordingRefusedError)
    assert error.refused == ("audio", "video")
    assert error.filename == str(unwritable)
    assert not unwritable.parent.exists()

    # The call goes on, and a writable path records Alice's media into both files.
    await bob.counter.wait_frames("video", bob.counter.frames("video") + 10, timeout=10)
    base = folder / "alice"
    assert isinstance(await alice.handle.set(record=True, filename=str(base)), SetResult)
    # Janus writes video from the key frame it asks for on, through a write buffer: wait
    # until the files hold frames (Janus says nothing), not for frames seen on this side.
    await poll_until(
        lambda: (
            recorded_frames(f"{base}-video.mjr") >= 5 and recorded_frames(f"{base}-audio.mjr") >= 20
        ),
        timeout=20,
    )
    assert isinstance(await alice.handle.set(record=False), SetResult)
    audio = read_mjr(f"{base}-audio.mjr")
    video = read_mjr(f"{base}-video.mjr")
    assert (audio.kind, audio.codec, video.kind, video.codec) == ("audio", "opus", "video", "vp8")
    assert audio.frames >= 20
    assert video.frames >= 5  # from the key frame Janus asks for on


async def test_without_a_call_there_is_nothing_to_check(
    party: PartyFactory, check: RecordingCheck, unwritable: Path
) -> None:
    """Janus records the media of a call: before one, ``record`` starts nothing to check."""
    alice = await party("alice")
    alice.handle.recording_check = check
    assert isinstance(await alice.handle.set(record=True, filename=str(unwritable)), SetResult)
