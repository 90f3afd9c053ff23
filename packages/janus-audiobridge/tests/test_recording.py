"""Recordings Janus cannot open are reported (issue 12), against the real Janus.

The mix: Janus 1.1.2 answers ``enable_recording`` with 499 when it cannot create
``record_dir``, and otherwise turns the room's recording off when its mixer cannot open the
``.wav`` file (only its log says why): the handle reads the room back. A participant's
``.mjr``: Janus answers as if it recorded; a ``recording_check`` (the Admin API) finds out.
"""

from __future__ import annotations

import array
import wave
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Ear, Rooms, participant
from janus_audiobridge import (
    AudioBridgeError,
    AudioBridgeHandle,
    AudioBridgeRecordingRefusedError,
    Configured,
    UnknownAudioBridgeError,
)
from janus_webrtc import RecordingCheck, RecordingRefusedError
from janus_webrtc.admin import AdminClient
from janus_webrtc.media import ToneAudioTrack
from janus_webrtc.testing import HandleFactory, poll_until, read_mjr
from janus_webrtc.testing.rtp import tone_strength

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


def wav_samples(path: Path) -> tuple[int, array.array[int]]:
    """The sample rate and the samples of a mono 16-bit ``.wav`` Janus closed (0 if not yet)."""
    try:
        with wave.open(str(path)) as reader:
            return reader.getframerate(), array.array("h", reader.readframes(reader.getnframes()))
    except (OSError, EOFError, wave.Error):  # its header still says 0 bytes: not closed yet
        return 0, array.array("h")


async def test_a_record_dir_janus_cannot_create_is_its_own_error(
    rooms: Rooms, admin: AudioBridgeHandle, blocker: Path
) -> None:
    room = await rooms.create()
    record_dir = str(blocker / "mix")
    with pytest.raises(AudioBridgeRecordingRefusedError) as caught:
        await admin.enable_recording(
            room, record=True, record_dir=record_dir, record_file="mix.wav", secret=rooms.secret
        )
    error = caught.value
    assert isinstance(error, AudioBridgeError)
    assert isinstance(error, RecordingRefusedError)
    assert isinstance(error.__cause__, UnknownAudioBridgeError)
    assert error.error_code == 499  # "mkdir error: 20 (Not a directory)"
    assert (error.refused, error.room, error.filename) == (("mix",), room, f"{record_dir}/mix.wav")


async def test_a_mix_file_janus_cannot_open_is_reported(
    rooms: Rooms, admin: AudioBridgeHandle, folder: Path
) -> None:
    room = await rooms.create()
    # The folder exists, the file's own folder does not: Janus creates only record_dir.
    with pytest.raises(AudioBridgeRecordingRefusedError) as caught:
        await admin.enable_recording(
            room,
            record=True,
            record_dir=str(folder),
            record_file="no/mix.wav",
            secret=rooms.secret,
        )
    assert caught.value.refused == ("mix",)
    assert caught.value.error_code is None
    assert {r.room: r for r in await admin.list_rooms()}[room].record is False


async def test_a_room_created_to_record_where_janus_cannot_is_reported(
    rooms: Rooms, admin: AudioBridgeHandle, blocker: Path
) -> None:
    with pytest.raises(AudioBridgeRecordingRefusedError) as caught:
        await admin.create_room(record=True, record_dir=str(blocker / "mix"), secret=rooms.secret)
    room = caught.value.room
    assert room is not None
    rooms.made.append(room)  # created all the same: destroyed after the test
    assert await admin.exists(room)


async def test_recording_the_mix_writes_the_tone(
    rooms: Rooms,
    janus_handle_factory: HandleFactory,
    admin: AudioBridgeHandle,
    ears: Callable[[], Ear],
    folder: Path,
) -> None:
    room = await rooms.create(sampling_rate=16000)
    await participant(janus_handle_factory, ears(), room, frequency=440.0, display="tone")
    await admin.enable_recording(
        room, record=True, record_dir=str(folder), record_file="mix.wav", secret=rooms.secret
    )
    path = folder / "mix.wav"
    await poll_until(lambda: path.is_file() and path.stat().st_size > 2 * 16000, timeout=15)
    await admin.enable_recording(room, record=False, secret=rooms.secret)
    # The mixer writes the sizes into the header when it closes the file, on its next tick.
    await poll_until(lambda: len(wav_samples(path)[1]) >= 16000, timeout=10)
    rate, samples = wav_samples(path)
    assert rate == 16000
    assert tone_strength(samples[-8000:], rate, 440.0) > 0.2


async def test_a_participant_recording_janus_cannot_open_is_reported(
    rooms: Rooms,
    janus_handle_factory: HandleFactory,
    check: RecordingCheck,
    blocker: Path,
    folder: Path,
) -> None:
    room = await rooms.create()
    alice = await janus_handle_factory(AudioBridgeHandle)
    alice.recording_check = check
    bad = str(blocker / "alice")
    alice.add_track(ToneAudioTrack(frequency=440.0, amplitude=0.3))
    with pytest.raises(AudioBridgeRecordingRefusedError) as caught:
        await alice.join(room, display="alice", record=True, filename=bad)
    assert (caught.value.refused, caught.value.filename) == (("audio",), bad)
    assert caught.value.room is None
    assert alice.room == room  # in the room all the same
    await alice.wait_connected(timeout=10)

    base = folder / "alice"
    assert isinstance(await alice.configure(record=True, filename=str(base)), Configured)
    path = Path(f"{base}-audio.mjr")
    await poll_until(lambda: path.is_file() and path.stat().st_size > 4096, timeout=15)
    await alice.configure(record=False)
    recording = read_mjr(path)
    assert (recording.kind, recording.codec) == ("audio", "opus")
    assert recording.frames >= 20
