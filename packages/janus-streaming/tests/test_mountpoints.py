"""Mountpoint administration and error paths against the real Janus, over WebSocket and HTTP."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from conftest import Mountpoints, audio, video
from janus_streaming import (
    CantCreateError,
    InvalidRequestError,
    MissingElementError,
    MountpointCreated,
    NoSuchMountpointError,
    RtpMedia,
    StreamingError,
    StreamingHandle,
    StreamingUnauthorizedError,
)
from janus_webrtc import StateError
from janus_webrtc.testing import HandleFactory
from janus_webrtc.testing.rtp import write_opus_tone

pytestmark = [pytest.mark.janus, pytest.mark.requires_plugin("streaming")]


async def test_attach_by_name_gives_the_streaming_handle(
    janus_handle_factory: HandleFactory,
) -> None:
    handle = await janus_handle_factory("streaming")
    assert isinstance(handle, StreamingHandle)
    assert handle.plugin == "janus.plugin.streaming"
    assert handle.watching is None


async def test_rtp_mountpoint_lifecycle(admin: StreamingHandle, secret: str) -> None:
    created = await admin.create_rtp_mountpoint(
        [audio(), video()],
        description="test mountpoint",
        metadata='{"show": 1}',
        secret=secret,
        pin="1234",
    )
    assert isinstance(created, MountpointCreated)
    assert created.host == "127.0.0.1"
    assert [(p.type, p.mid) for p in created.ports] == [("audio", "a"), ("video", "v")]
    assert all(p.port > 0 for p in created.ports)
    assert created.port("v") == created.ports[1].port
    with pytest.raises(KeyError):
        created.port("nope")
    try:
        listed = {m.id: m for m in await admin.list_mountpoints()}
        assert created.id in listed
        summary = listed[created.id]
        assert summary.description == "test mountpoint" and summary.enabled is True
        assert [s.mid for s in summary.media] == ["a", "v"]

        public = await admin.mountpoint_info(created.id)
        assert public.pin is None and public.secret is None  # hidden without the secret
        assert all(s.port is None for s in public.media)
        assert public.stream("a") is not None and public.stream("a").codec == "opus"  # type: ignore[union-attr]
        full = await admin.mountpoint_info(created.id, secret=secret)
        assert full.pin == "1234" and full.viewers == 0
        assert full.stream("v").port == created.port("v")  # type: ignore[union-attr]
        assert full.stream("v").rtpmap == "VP8/90000"  # type: ignore[union-attr]

        edited = await admin.edit_mountpoint(
            created.id, secret=secret, new_description="renamed", new_metadata="m2"
        )
        assert edited.id == created.id and edited.permanent is False
        info = await admin.mountpoint_info(created.id)
        assert (info.description, info.metadata) == ("renamed", "m2")

        await admin.disable_mountpoint(created.id, secret=secret)
        assert (await admin.mountpoint_info(created.id)).enabled is False
        await admin.enable_mountpoint(created.id, secret=secret)
        assert (await admin.mountpoint_info(created.id)).enabled is True
        await admin.kick_all(created.id, secret=secret)  # nobody to kick: still fine
    finally:
        await admin.destroy_mountpoint(created.id, secret=secret)
    with pytest.raises(NoSuchMountpointError):
        await admin.mountpoint_info(created.id)
    with pytest.raises(NoSuchMountpointError):
        await admin.destroy_mountpoint(created.id, secret=secret)
    assert created.id not in {m.id for m in await admin.list_mountpoints()}


async def test_private_mountpoints_are_not_listed(mountpoints: Mountpoints) -> None:
    created = await mountpoints.create([audio()], is_private=True)
    assert created.is_private is True
    assert created.id not in {m.id for m in await mountpoints.admin.list_mountpoints()}
    assert (await mountpoints.admin.mountpoint_info(created.id)).id == created.id


async def test_wrong_or_missing_secret_and_pin_are_refused(
    mountpoints: Mountpoints, secret: str
) -> None:
    admin = mountpoints.admin
    created = await mountpoints.create([audio()], pin="right")
    with pytest.raises(StreamingUnauthorizedError) as wrong:
        await admin.destroy_mountpoint(created.id, secret="wrong")
    assert wrong.value.error_code == 457 and "wrong" in wrong.value.error
    with pytest.raises(MissingElementError):
        await admin.edit_mountpoint(created.id, new_description="x")
    with pytest.raises(StreamingUnauthorizedError):
        await admin.kick_all(created.id, secret="wrong")
    with pytest.raises(StreamingUnauthorizedError):
        await admin.enable_mountpoint(created.id, secret="wrong")
    with pytest.raises(StreamingUnauthorizedError):
        await admin.watch(created.id, pin="wrong")
    with pytest.raises(MissingElementError):
        await admin.watch(created.id)
    assert admin.watching is None  # a refused watch leaves the handle free
    assert (await admin.mountpoint_info(created.id)).id == created.id  # still there


async def test_bad_requests_get_typed_errors(mountpoints: Mountpoints, secret: str) -> None:
    admin = mountpoints.admin
    created = await mountpoints.create([audio()])
    with pytest.raises(CantCreateError, match="already exists"):
        await admin.create_rtp_mountpoint([audio()], id=created.id)
    with pytest.raises(ValueError, match="at least one stream"):
        await admin.create_rtp_mountpoint([])
    with pytest.raises(NoSuchMountpointError):
        await admin.watch(1)
    # Viewer requests while watching nothing.
    with pytest.raises(NoSuchMountpointError):
        await admin.pause()
    with pytest.raises(NoSuchMountpointError):
        await admin.start()
    with pytest.raises(NoSuchMountpointError):
        await admin.configure(mid="a", send=False)
    with pytest.raises(NoSuchMountpointError):
        await admin.switch(created.id)
    with pytest.raises(StateError, match="watches no mountpoint"):
        await admin.stop()
    with pytest.raises(InvalidRequestError):
        await admin.send({"request": "no-such-request"})
    with pytest.raises(ValueError, match="mid"):
        await admin.record_mountpoint(created.id, {}, secret=secret)
    with pytest.raises(ValueError, match="mid"):
        await admin.stop_mountpoint_recording(created.id, [], secret=secret)
    # Every plugin error is a StreamingError (and a janus_webrtc.PluginError).
    with pytest.raises(StreamingError):
        await admin.mountpoint_info(2)


async def test_file_mountpoints_live_and_ondemand(admin: StreamingHandle, tmp_path: Path) -> None:
    path = write_opus_tone(tmp_path / "tone.opus", seconds=1.0)
    for mode in ("live", "ondemand"):
        created = await admin.create_file_mountpoint(str(path), mode=mode, description=mode)
        try:
            info = await admin.mountpoint_info(created.id)
            assert info.type == {"live": "live", "ondemand": "on demand"}[mode]  # Janus's words
            assert [(s.type, s.codec) for s in info.media] == [("audio", "opus")]
            assert info.filename == str(path)
        finally:
            await admin.destroy_mountpoint(created.id)
    with pytest.raises(CantCreateError, match="no such file"):
        await admin.create_file_mountpoint(str(tmp_path / "missing.opus"))


async def test_rtsp_mountpoint_reports_an_unreachable_source(admin: StreamingHandle) -> None:
    # The Debian build has RTSP (libcurl): Janus tries the source in the request and says so.
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    with pytest.raises(CantCreateError, match="RTSP"):
        await admin.create_rtsp_mountpoint(
            f"rtsp://127.0.0.1:{port}/stream", rtsp_conn_timeout=2, rtsp_timeout=2
        )


def test_rtp_media_wire_form_leaves_out_what_is_unset() -> None:
    media = RtpMedia(type="video", mid="v", pt=100, codec="vp8", simulcast=True, port2=5002)
    assert media.to_wire() == {
        "type": "video",
        "mid": "v",
        "port": 0,
        "pt": 100,
        "codec": "vp8",
        "simulcast": True,
        "port2": 5002,
    }
