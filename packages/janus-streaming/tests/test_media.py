"""Watching mountpoints with real media: RTP fed by the kit's RtpSource, decoded by aiortc."""

from __future__ import annotations

import asyncio
import gc
import os
import weakref
from pathlib import Path
from typing import Literal

import pytest

from conftest import MidFrames, Mountpoints
from janus_streaming import (
    Configured,
    Kicked,
    MetadataEdited,
    MountpointCreated,
    Pausing,
    Preparing,
    Started,
    Starting,
    Stopped,
    Stopping,
    StreamingHandle,
    Switched,
)
from janus_webrtc import ConnectionStateChanged, StateError
from janus_webrtc.testing import HandleFactory, poll_until, wait_quiet
from janus_webrtc.testing.rtp import write_opus_tone

pytestmark = [
    pytest.mark.janus,
    pytest.mark.requires_plugin("streaming"),
    pytest.mark.usefixtures("janus_media_ice"),
]


async def assert_stopped(frames: MidFrames, *mids: str, window: float = 1.0) -> None:
    """No (or hardly any) frames on ``mids`` for a whole ``window`` s, once in-flight ones are in.

    Frames still in flight, or decoded late on a busy machine, only make it wait for a later
    window; frames that keep coming fail it.
    """
    base = frames.snapshot()
    await wait_quiet(lambda: sum(frames.since(base, mid) for mid in mids), window=window)


async def viewer(factory: HandleFactory, frames: MidFrames) -> StreamingHandle:
    handle = await factory(StreamingHandle)
    frames.watch(handle)
    return handle


async def test_watcher_decodes_audio_and_video_and_a_second_watcher_sees_the_same(
    janus_handle_factory: HandleFactory,
    mountpoints: Mountpoints,
    frames: MidFrames,
    frames2: MidFrames,
    janus_media_ice: str,
) -> None:
    created = await mountpoints.fed(sizes=[(160, 120)], tone=880.0)
    first = await viewer(janus_handle_factory, frames)
    preparing = await first.watch(created.id)
    assert isinstance(preparing, Preparing)
    assert preparing.jsep is not None and preparing.jsep.type == "offer"
    assert first.watching == created.id
    await first.wait_connected(timeout=10)
    assert first.remote_candidate_addresses == {janus_media_ice}
    await frames.wait("v1", 20)
    await frames.wait("a", 50)
    assert frames.sizes["v1"] == (160, 120)
    assert frames.tone(880) > 0.5
    assert frames.tone(440) < 0.05

    second = await viewer(janus_handle_factory, frames2)
    await second.watch(created.id)
    await frames2.wait("v1", 20)
    await frames2.wait("a", 50)
    assert frames2.sizes["v1"] == (160, 120)
    assert frames2.tone(880) > 0.5
    # The same live stream: both decode (about) the same frame numbers of the one source.
    assert frames.last_number is not None and frames2.last_number is not None
    assert abs(frames.last_number - frames2.last_number) < 30
    info = await mountpoints.admin.mountpoint_info(created.id, secret=mountpoints.secret)
    assert info.viewers == 2


async def test_watch_only_some_mids(
    janus_handle_factory: HandleFactory, mountpoints: Mountpoints, frames: MidFrames
) -> None:
    created = await mountpoints.fed(sizes=[(160, 120), (128, 96)])
    handle = await viewer(janus_handle_factory, frames)
    preparing = await handle.watch(created.id, media=["v2"])
    assert preparing.jsep is not None and preparing.jsep.sdp.count("m=") == 1
    await frames.wait("v2", 15)
    assert frames.sizes["v2"] == (128, 96)
    assert set(frames.frames) == {"v2"}


async def test_multistream_configure_and_switch_change_what_arrives(
    janus_handle_factory: HandleFactory, mountpoints: Mountpoints, frames: MidFrames
) -> None:
    one = await mountpoints.fed(sizes=[(160, 120), (128, 96)], tone=None)
    other = await mountpoints.fed(sizes=[(96, 64), (192, 144)], tone=None)
    handle = await viewer(janus_handle_factory, frames)
    await handle.watch(one.id)
    await frames.wait("v1", 15)
    await frames.wait("v2", 15)
    assert (frames.sizes["v1"], frames.sizes["v2"]) == ((160, 120), (128, 96))

    configured = await handle.configure(mid="v2", send=False)
    assert isinstance(configured, Configured)
    await assert_stopped(frames, "v2")
    await frames.wait("v1", 10)  # the other video goes on
    # Janus 1.1.2 relays v2 again keeping the sequence-number gap of the pause; aiortc's video
    # jitter buffer (512 packets) would wait ~17 s to decode past it. Resumed inside
    # pause/start, Janus renumbers (start resets the numbering), so v2 decodes again at once.
    await handle.pause()
    await handle.configure(mid="v2", send=True)
    await handle.start()
    await frames.wait("v2", 10)
    assert frames.sizes["v2"] == (128, 96)

    switched = await handle.switch(other.id)
    assert isinstance(switched, Switched) and switched.id == other.id
    assert handle.watching == other.id
    # Same PeerConnection, other source: the decoded sizes are the other mountpoint's.
    await frames.wait_size("v1", (96, 64))
    await frames.wait_size("v2", (192, 144))


async def test_pause_stops_frames_and_start_resumes(
    janus_handle_factory: HandleFactory, mountpoints: Mountpoints, frames: MidFrames
) -> None:
    created = await mountpoints.fed()
    handle = await viewer(janus_handle_factory, frames)
    await handle.watch(created.id)
    await frames.wait("v1", 15)
    paused = await handle.pause()
    assert isinstance(paused, Pausing) and paused.status == "pausing"
    await assert_stopped(frames, "v1", "a")
    started = await handle.start()
    assert isinstance(started, Started | Starting)
    await frames.wait("v1", 15)
    await frames.wait("a", 25)


async def watching(
    factory: HandleFactory, created: MountpointCreated, *readers: MidFrames
) -> list[StreamingHandle]:
    """One viewer per reader, each watching ``created`` and decoding its video."""
    handles = []
    for reader in readers:
        handle = await viewer(factory, reader)
        await handle.watch(created.id)
        await reader.wait("v1", 5)
        handles.append(handle)
    return handles


async def test_kick_all_ends_the_watchers_and_they_can_watch_again(
    janus_handle_factory: HandleFactory,
    mountpoints: Mountpoints,
    frames: MidFrames,
    frames2: MidFrames,
) -> None:
    created = await mountpoints.fed(tone=None)
    handles = await watching(janus_handle_factory, created, frames, frames2)
    kicked = [h.wait_for(Kicked, timeout=10) for h in handles]
    closed = [
        h.wait_for(ConnectionStateChanged, predicate=lambda e: e.state == "closed") for h in handles
    ]
    await mountpoints.admin.kick_all(created.id, secret=mountpoints.secret)
    for waiter in (*kicked, *closed):
        await waiter
    await poll_until(lambda: all(h.peer_connection is None for h in handles), timeout=5)
    assert all(h.watching is None for h in handles)
    # The same handle watches again (a sink serves one call: give it again).
    frames.watch(handles[0])
    await handles[0].watch(created.id)
    await frames.wait("v1", 10)


async def test_destroy_ends_every_watcher_with_stopped(
    janus_handle_factory: HandleFactory,
    mountpoints: Mountpoints,
    frames: MidFrames,
    frames2: MidFrames,
) -> None:
    created = await mountpoints.fed(tone=None)
    handles = await watching(janus_handle_factory, created, frames, frames2)
    edited = [h.wait_for(MetadataEdited, timeout=10) for h in handles]
    await mountpoints.admin.edit_mountpoint(
        created.id, secret=mountpoints.secret, new_metadata="now", edited_event=True
    )
    for waiter in edited:
        assert (await waiter).metadata == "now"
    stopped = [h.wait_for(Stopped, timeout=10) for h in handles]
    await mountpoints.admin.destroy_mountpoint(created.id, secret=mountpoints.secret)
    for waiter in stopped:
        assert (await waiter).status == "stopped"
    await poll_until(lambda: all(h.peer_connection is None for h in handles), timeout=5)
    assert all(h.watching is None for h in handles)


@pytest.mark.parametrize("mode", ["live", "ondemand"])
async def test_file_mountpoint_is_heard(
    janus_handle_factory: HandleFactory,
    admin: StreamingHandle,
    frames: MidFrames,
    tmp_path: Path,
    mode: Literal["live", "ondemand"],
) -> None:
    path = write_opus_tone(tmp_path / "a.opus", frequency=660, seconds=2.0)
    created = await admin.create_file_mountpoint(str(path), mode=mode)
    try:
        handle = await viewer(janus_handle_factory, frames)
        await handle.watch(created.id)
        # A file mountpoint has one audio stream and no mid of its own: take the SDP's.
        await poll_until(lambda: any(n >= 60 for n in frames.frames.values()), timeout=10)
        assert frames.tone(660) > 0.5
    finally:
        await admin.destroy_mountpoint(created.id)


async def test_recording_writes_mjr_files(mountpoints: Mountpoints, tmp_path: Path) -> None:
    created = await mountpoints.fed(tone=880.0)
    admin = mountpoints.admin
    base = tmp_path / "rec"
    await admin.record_mountpoint(
        created.id, {"a": f"{base}-a", "v1": f"{base}-v"}, secret=mountpoints.secret
    )
    await poll_until(
        lambda: (
            all(Path(f"{base}-{m}.mjr").stat().st_size > 1000 for m in "av")
            if all(Path(f"{base}-{m}.mjr").exists() for m in "av")
            else False
        ),
        timeout=10,
    )
    await admin.stop_mountpoint_recording(created.id, ["a", "v1"], secret=mountpoints.secret)
    # stop_recording=True is safe now that every stream records... and stopped: not sent.
    await admin.disable_mountpoint(created.id, secret=mountpoints.secret)


def _socket_fds() -> int:
    fds = os.listdir("/proc/self/fd")
    count = 0
    for fd in fds:
        try:
            count += os.readlink(f"/proc/self/fd/{fd}").startswith("socket:")
        except OSError:
            continue
    return count


async def test_stop_watch_again_and_detach_release_everything(
    janus_session: object, mountpoints: Mountpoints, frames: MidFrames
) -> None:
    created = await mountpoints.fed(tone=880.0)
    handle = await mountpoints.admin.session.attach(StreamingHandle)
    handle.configure_rtc(mountpoints.admin.rtc_configuration)
    sockets_before = _socket_fds()
    tasks_before = set(asyncio.all_tasks())
    pcs = []
    for _ in range(3):
        frames.watch(handle)  # a sink serves one call: give it for each
        await handle.watch(created.id)
        await frames.wait("v1", 5)
        assert handle.peer_connection is not None
        pcs.append(weakref.ref(handle.peer_connection))
        stopping = await handle.stop()
        assert isinstance(stopping, Stopping)
        assert handle.peer_connection is None and handle.watching is None
    with pytest.raises(StateError):
        await handle.stop()
    frames.watch(handle)
    await handle.watch(created.id)
    await frames.wait("v1", 5)
    await handle.detach()
    assert handle.peer_connection is None

    def released() -> bool:
        gc.collect()
        return (
            all(ref() is None for ref in pcs)
            and _socket_fds() <= sockets_before
            and set(asyncio.all_tasks()) <= tasks_before | {asyncio.current_task()}
        )

    await poll_until(released, timeout=10)
