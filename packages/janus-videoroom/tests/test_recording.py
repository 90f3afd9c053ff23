"""Recordings Janus cannot open are reported (issue 12), against the real Janus.

Janus 1.1.2's VideoRoom answers ``record`` as if it recorded whatever happens to the files;
with a ``recording_check`` (the Admin API: the room's ``rec_dir`` comes in front of the path)
the publisher finds out.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import start_publisher
from janus_videoroom import (
    Configured,
    VideoRoomError,
    VideoRoomPublisher,
    VideoRoomRecordingRefusedError,
)
from janus_webrtc import RecordingCheck, RecordingRefusedError
from janus_webrtc.admin import AdminClient
from janus_webrtc.media import TestPatternVideoTrack, ToneAudioTrack
from janus_webrtc.testing import HandleFactory, poll_until, read_mjr

pytestmark = [pytest.mark.janus, pytest.mark.usefixtures("janus_media_ice")]


@pytest.fixture
def folder(janus_recordings_folder: Path) -> Path:
    """A fresh folder in the server's recordings folder (Janus runs on this host)."""
    return janus_recordings_folder


@pytest.fixture
def blocker(folder: Path) -> Path:
    """A regular file: no folder can be created under it, by root or anyone."""
    path = folder / "a-file"
    path.write_text("not a folder")
    return path


@pytest.fixture
def check(janus_admin: AdminClient) -> RecordingCheck:
    return RecordingCheck(admin=janus_admin)


def sizes(*paths: Path) -> list[int]:
    return [p.stat().st_size if p.is_file() else 0 for p in paths]


async def test_publishing_to_a_bad_path_is_reported_and_a_good_one_records(
    janus_handle_factory: HandleFactory,
    room: int,
    check: RecordingCheck,
    blocker: Path,
    folder: Path,
) -> None:
    alice = await janus_handle_factory(VideoRoomPublisher)
    alice.recording_check = check
    alice.add_track(ToneAudioTrack())
    alice.add_track(TestPatternVideoTrack(width=160, height=120))
    await alice.join(room, display="alice")
    bad = str(blocker / "rec" / "alice")
    with pytest.raises(VideoRoomRecordingRefusedError) as caught:
        await alice.publish(record=True, filename=bad)
    error = caught.value
    assert isinstance(error, VideoRoomError)
    assert isinstance(error, RecordingRefusedError)
    assert error.refused == ("audio-0", "video-1")
    assert error.filename == bad
    await alice.wait_webrtc_up(timeout=10)  # published all the same

    # Janus was told to stop, so this is a new recording (else it would ignore it).
    base = folder / "alice"
    assert isinstance(await alice.configure(record=True, filename=str(base)), Configured)
    files = [Path(f"{base}-audio-0.mjr"), Path(f"{base}-video-1.mjr")]
    await poll_until(lambda: min(sizes(*files)) > 4096, timeout=15)  # Janus's write buffer
    await alice.configure(record=False)
    audio, video = (read_mjr(f) for f in files)
    assert (audio.kind, audio.codec, video.kind, video.codec) == ("audio", "opus", "video", "vp8")
    assert audio.frames >= 20
    assert video.frames >= 5


async def test_recording_a_live_publisher_to_a_bad_path_is_reported(
    janus_handle_factory: HandleFactory, room: int, check: RecordingCheck, blocker: Path
) -> None:
    alice, _ = await start_publisher(janus_handle_factory, room, display="alice")
    alice.recording_check = check
    with pytest.raises(VideoRoomRecordingRefusedError) as caught:
        await alice.configure(record=True, filename=str(blocker / "alice"))
    assert caught.value.refused == ("audio-0", "video-1")
    assert (await alice.recordings(check.admin)).files == {}  # type: ignore[arg-type]


async def test_a_room_folder_janus_cannot_create_is_reported(
    janus_handle_factory: HandleFactory, check: RecordingCheck, blocker: Path
) -> None:
    admin_handle = await janus_handle_factory(VideoRoomPublisher)
    room = (await admin_handle.create_room(rec_dir=str(blocker / "rooms"))).room
    try:
        alice = await janus_handle_factory(VideoRoomPublisher)
        alice.recording_check = check
        alice.add_track(ToneAudioTrack())
        await alice.join(room, display="alice")
        with pytest.raises(VideoRoomRecordingRefusedError) as caught:
            await alice.publish(record=True)  # Janus names the file, in the room's rec_dir
        assert caught.value.refused == ("audio-0",)
        assert caught.value.filename is None
    finally:
        await admin_handle.destroy_room(room)


async def test_without_a_check_janus_answers_as_if_it_recorded(
    janus_handle_factory: HandleFactory, room: int, check: RecordingCheck, blocker: Path
) -> None:
    """What Janus 1.1.2 does by itself: the reason a check exists."""
    alice, _ = await start_publisher(janus_handle_factory, room, display="alice")
    result = await alice.configure(record=True, filename=str(blocker / "alice"))
    assert isinstance(result, Configured)
    assert (await alice.recordings(check.admin)).files == {}  # type: ignore[arg-type]
