"""The shared part of checking Janus's recordings (issue 12), on a fake Janus.

The plugin packages test it against the real Janus (a folder Janus cannot write to is
reported); here: what the SDPs say is recorded, the options, the Admin API and local files
checks, and that a refusal is undone before it is raised.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, ClassVar

import pytest

import janus_webrtc
from janus_webrtc import PluginError, RecordingCheck, RecordingHandle, RecordingRefusedError
from janus_webrtc.recordings import Recordings, negotiated_media
from janus_webrtc.testing.fake import FakeTransport

SESSION_ID = 7001
HANDLE_ID = 7002

OFFER = """v=0
o=- 1 1 IN IP4 127.0.0.2
s=-
t=0 0
m=audio 9 UDP/TLS/RTP/SAVPF 111
a=mid:0
m=video 9 UDP/TLS/RTP/SAVPF 96
a=mid:1
m=application 9 UDP/DTLS/SCTP webrtc-datachannel
a=mid:2
"""

ANSWER_WITHOUT_VIDEO = OFFER.replace("m=video 9", "m=video 0")


class FakeError(PluginError):
    plugin_id = "janus.plugin.test"


class FakeRecordingRefusedError(FakeError, RecordingRefusedError):
    pass


class Recorder(RecordingHandle):
    """A handle on a plugin reporting ``{"recording": {medium: file}}``, as the EchoTest."""

    plugin_id: ClassVar[str] = "janus.plugin.test"
    error_class = FakeError
    recording_refused_error = FakeRecordingRefusedError
    local_recording_files = True

    def parse_recordings(self, plugin_specific: Mapping[str, Any]) -> Recordings:
        files = plugin_specific.get("recording") or {}
        return Recordings(files=dict(files), media=tuple(plugin_specific.get("media", ())))


class RoomRecorder(Recorder):
    local_recording_files = False


class FakeAdmin:
    """The one Admin API request the check makes: ``handle_info``."""

    def __init__(self, plugin_specific: Mapping[str, Any]) -> None:
        self.plugin_specific = plugin_specific
        self.asked: list[tuple[int, int, bool]] = []

    async def handle_info(
        self, session_id: int, handle_id: int, *, plugin_only: bool = False, timeout: Any = None
    ) -> Any:
        self.asked.append((session_id, handle_id, plugin_only))
        return type("Info", (), {"plugin_specific": self.plugin_specific})()


def fake_janus(request: dict[str, Any]) -> list[dict[str, Any]] | dict[str, Any] | None:
    kind = request["janus"]
    if kind == "create":
        return {"janus": "success", "data": {"id": SESSION_ID}}
    if kind == "attach":
        return {"janus": "success", "session_id": SESSION_ID, "data": {"id": HANDLE_ID}}
    if kind == "message":
        transaction = request["transaction"]
        return [
            {"janus": "ack", "session_id": SESSION_ID, "transaction": transaction},
            {
                "janus": "event",
                "session_id": SESSION_ID,
                "sender": HANDLE_ID,
                "transaction": transaction,
                "plugindata": {"plugin": "janus.plugin.test", "data": {"result": "ok"}},
            },
        ]
    if kind in ("destroy", "detach"):
        return {"janus": "success", "session_id": SESSION_ID}
    return None


@pytest.fixture
async def fake() -> Any:
    transport = FakeTransport(fake_janus)
    async with janus_webrtc.connect(transport=transport) as conn:
        session = await conn.create_session()
        yield transport, session


def test_negotiated_media_are_the_kinds_neither_side_rejected() -> None:
    assert negotiated_media(OFFER, OFFER) == ("audio", "video", "data")
    assert negotiated_media(OFFER, ANSWER_WITHOUT_VIDEO) == ("audio", "data")
    assert negotiated_media(None, OFFER) == ()
    assert negotiated_media(OFFER, None) == ()


def test_a_check_needs_a_way_to_check() -> None:
    with pytest.raises(ValueError, match="admin="):
        RecordingCheck()


def test_a_refusal_is_the_plugins_error_and_keeps_its_code() -> None:
    error = FakeRecordingRefusedError(
        "no file", refused=("mix",), filename="/x/y.wav", error_code=499
    )
    assert isinstance(error, FakeError)
    assert isinstance(error, RecordingRefusedError)
    assert (error.error_code, error.refused, error.filename) == (499, ("mix",), "/x/y.wav")
    assert error.plugin == "janus.plugin.test"


async def test_local_files_are_refused_where_the_plugin_adds_a_folder(fake: Any) -> None:
    _, session = fake
    handle = await session.attach(RoomRecorder)
    with pytest.raises(ValueError, match="admin="):
        handle.recording_check = RecordingCheck(local_files=True)
    assert handle.recording_check is None
    handle.recording_check = RecordingCheck(admin=FakeAdmin({}))  # type: ignore[arg-type]
    assert handle.recording_check is not None


async def test_without_a_check_nothing_is_asked(fake: Any) -> None:
    transport, session = fake
    handle = await session.attach(Recorder)
    await handle._verify_recording(("audio",), filename="/x", undo={"record": False})
    assert transport.requests("message") == []


async def test_the_admin_check_raises_for_what_is_not_recorded_and_stops_it(fake: Any) -> None:
    transport, session = fake
    handle = await session.attach(Recorder)
    api = FakeAdmin({"recording": {"audio": "call-audio.mjr"}})
    handle.recording_check = RecordingCheck(admin=api)  # type: ignore[arg-type]
    assert (await handle.recordings(api)).files == {"audio": "call-audio.mjr"}  # type: ignore[arg-type]

    await handle._verify_recording(("audio",), filename="/r/call", undo={"record": False})
    assert transport.requests("message") == []  # recorded: nothing undone

    with pytest.raises(FakeRecordingRefusedError) as caught:
        await handle._verify_recording(
            ("audio", "video"), filename="/r/call", undo={"record": False}
        )
    assert caught.value.refused == ("video",)
    assert caught.value.filename == "/r/call"
    assert "video at '/r/call'" in str(caught.value)
    assert [r["body"] for r in transport.requests("message")] == [{"record": False}]
    assert api.asked[-1] == (SESSION_ID, HANDLE_ID, True)


async def test_the_admin_check_can_expect_every_medium_the_plugin_lists(fake: Any) -> None:
    _, session = fake
    handle = await session.attach(Recorder)
    api = FakeAdmin({"media": ["audio-0", "video-1"], "recording": {"audio-0": "a.mjr"}})
    handle.recording_check = RecordingCheck(admin=api)  # type: ignore[arg-type]
    with pytest.raises(RecordingRefusedError) as caught:
        await handle._verify_recording(None, filename=None, undo={"record": False})
    assert caught.value.refused == ("video-1",)


async def test_the_local_files_check_looks_for_the_files(fake: Any, tmp_path: Path) -> None:
    transport, session = fake
    handle = await session.attach(Recorder)
    handle.recording_check = RecordingCheck(local_files=True)
    with pytest.raises(ValueError, match="absolute filename"):
        handle._local_recording_path("relative/name")
    with pytest.raises(ValueError, match="absolute filename"):
        handle._local_recording_path(None)
    base = str(tmp_path / "call")
    assert handle._local_recording_path(base) == base
    (tmp_path / "call-audio.mjr").write_bytes(b"MJR00002")
    (tmp_path / "call-video.mjr.tmp").write_bytes(b"")  # Janus's recordings_tmp_ext
    paths = {m: tmp_path / f"call-{m}.mjr" for m in ("audio", "video")}
    await handle._verify_recording(paths, filename=base, undo={"record": False}, paths=paths)
    assert transport.requests("message") == []
    paths["data"] = tmp_path / "call-data.mjr"
    with pytest.raises(FakeRecordingRefusedError) as caught:
        await handle._verify_recording(paths, filename=base, undo={"record": False}, paths=paths)
    assert caught.value.refused == ("data",)
    assert len(transport.requests("message")) == 1


def mjr(info: bytes, *records: bytes) -> bytes:
    return b"MJR00002" + len(info).to_bytes(2, "big") + info + b"".join(records)


def rtp(timestamp: int) -> bytes:
    return b"\x80\x6f\x00\x01" + timestamp.to_bytes(4, "big") + b"\x00\x00\x00\x01payload"


def record(packet: bytes, *, data: bool = False) -> bytes:
    body = (b"\x00" * 8 if data else b"") + packet
    return b"MEET" + (20).to_bytes(4, "big") + len(body).to_bytes(2, "big") + body


def test_read_mjr_counts_frames_packets_and_messages(tmp_path: Path) -> None:
    from janus_webrtc.testing import read_mjr

    video = tmp_path / "v.mjr"
    # Three packets, two frames (a frame in two packets shares its RTP timestamp); the last
    # record is cut short, as in a recording still being written.
    video.write_bytes(
        mjr(b'{"t":"v","c":"vp8"}', record(rtp(900)), record(rtp(900)), record(rtp(3900)))
        + b"MEET\x00"
    )
    read = read_mjr(video)
    assert (read.kind, read.codec, len(read.packets), read.frames) == ("video", "vp8", 3, 2)
    data = tmp_path / "d.mjr"
    data.write_bytes(mjr(b'{"t":"d","c":"text"}', record(b"hi", data=True)))
    assert read_mjr(data).packets == (b"hi",)
    assert read_mjr(data).frames == 1
    empty = tmp_path / "e.mjr"
    empty.write_bytes(b"MJR00002")
    assert read_mjr(empty).frames == 0
    (tmp_path / "x.mjr").write_bytes(b"RIFF....")
    with pytest.raises(ValueError, match="not a MJR00002"):
        read_mjr(tmp_path / "x.mjr")
