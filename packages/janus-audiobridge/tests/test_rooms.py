"""AudioBridge room administration and error paths, over WebSocket and HTTP."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from conftest import Rooms
from janus_audiobridge import (
    AlreadyJoinedError,
    AudioBridgeError,
    AudioBridgeHandle,
    AudioBridgeUnauthorizedError,
    InvalidRequestError,
    Joined,
    Kicked,
    KickedAll,
    Left,
    MissingElementError,
    NoSuchRoomError,
    NoSuchUserError,
    NotJoinedError,
    RoomExistsError,
    RtpParticipant,
    UnknownAudioBridgeError,
)
from janus_webrtc.testing import HandleFactory

pytestmark = [pytest.mark.janus, pytest.mark.requires_plugin("audiobridge")]


async def test_attach_by_name_gives_the_audiobridge_handle(
    janus_handle_factory: HandleFactory,
) -> None:
    handle = await janus_handle_factory("audiobridge")
    assert isinstance(handle, AudioBridgeHandle)
    assert handle.plugin == "janus.plugin.audiobridge"
    assert handle.room is None and handle.participant_id is None


async def test_room_lifecycle(admin: AudioBridgeHandle, secret: str, tmp_path: Path) -> None:
    created = await admin.create_room(
        description="test room", secret=secret, pin="1234", sampling_rate=48000
    )
    room = created.room
    assert created.permanent is False
    try:
        assert await admin.exists(room)
        listed = {r.room: r for r in await admin.list_rooms()}
        assert listed[room].description == "test room"
        assert listed[room].pin_required is True
        assert listed[room].sampling_rate == 48000
        assert listed[room].num_participants == 0
        assert await admin.list_participants(room) == ()
        await admin.edit_room(room, secret=secret, new_description="renamed", new_pin="")
        assert {r.room: r for r in await admin.list_rooms()}[room].description == "renamed"
        assert {r.room: r for r in await admin.list_rooms()}[room].pin_required is False
        # "enable" turns the check on (Janus ignores tokens given with it), "add" adds tokens.
        assert await admin.allowed(room, "enable", secret=secret) == ()
        added = await admin.allowed(room, "add", allowed=["t1", "t2"], secret=secret)
        assert set(added) == {"t1", "t2"}
        assert await admin.allowed(room, "remove", allowed=["t1"], secret=secret) == ("t2",)
        assert await admin.allowed(room, "disable", secret=secret) == ()
        await admin.mute_room(room, secret=secret)
        assert {r.room: r for r in await admin.list_rooms()}[room].muted is True
        await admin.unmute_room(room, secret=secret)
        await admin.enable_recording(
            room, record=True, record_dir=str(tmp_path), record_file="mix.wav", secret=secret
        )
        await admin.enable_recording(room, record=False, secret=secret)
        await admin.enable_mjrs(room, mjrs=False, secret=secret)
        await admin.kick_all(room, secret=secret)  # nobody to kick: still fine
        assert await admin.list_forwarders(room, secret=secret) == ()
    finally:
        destroyed = await admin.destroy_room(room, secret=secret)
    assert destroyed.room == room and destroyed.permanent is False
    assert not await admin.exists(room)
    with pytest.raises(NoSuchRoomError):
        await admin.destroy_room(room, secret=secret)


async def test_room_requests_with_bad_input(rooms: Rooms, secret: str) -> None:
    admin = rooms.admin
    room = await rooms.create()
    with pytest.raises(RoomExistsError):
        await admin.create_room(room)
    with pytest.raises(AudioBridgeUnauthorizedError) as wrong:
        await admin.destroy_room(room, secret="wrong")
    assert wrong.value.error_code == 489
    with pytest.raises(MissingElementError):
        await admin.edit_room(room, new_description="x")
    with pytest.raises(NoSuchRoomError):
        await admin.list_participants(123456789)
    with pytest.raises(NoSuchUserError):
        await admin.kick(room, 42, secret=secret)
    with pytest.raises(NoSuchUserError):
        await admin.mute(room, 42, secret=secret)
    with pytest.raises(UnknownAudioBridgeError, match="Error opening file"):
        await admin.play_file(room, "/nonexistent/file.opus", secret=secret)
    assert not await admin.is_playing(room, "never-started", secret=secret)
    with pytest.raises(InvalidRequestError):
        await admin.send({"request": "no-such-request"})
    with pytest.raises(AudioBridgeError):  # every plugin error is an AudioBridgeError
        await admin.exists("not-a-number")  # type: ignore[arg-type]


async def test_requests_of_later_janus_versions_show_the_1_1_2_answer(
    rooms: Rooms, secret: str
) -> None:
    admin = rooms.admin
    room = await rooms.create()
    with pytest.raises(InvalidRequestError, match="Unknown request 'suspend'"):
        await admin.suspend(room, 1, secret=secret)
    with pytest.raises(InvalidRequestError, match="Unknown request 'resume'"):
        await admin.resume(room, 1, secret=secret)
    with pytest.raises(InvalidRequestError, match="Unknown request 'listannouncements'"):
        await admin.list_announcements(room, secret=secret)


async def test_join_errors_are_typed(
    janus_handle_factory: HandleFactory, rooms: Rooms, secret: str
) -> None:
    room = await rooms.create(pin="right")
    handle = await janus_handle_factory(AudioBridgeHandle)
    with pytest.raises(AudioBridgeUnauthorizedError, match="wrong pin"):
        await handle.join(room, pin="wrong")
    with pytest.raises(MissingElementError):
        await handle.join(room)
    with pytest.raises(NoSuchRoomError):
        await handle.join(987654321)
    with pytest.raises(NotJoinedError):
        await handle.configure(muted=True)
    with pytest.raises(NotJoinedError):
        await handle.leave()
    joined = await handle.join(room, pin="right", display="solo")
    assert isinstance(joined, Joined) and joined.room == room and joined.participants == ()
    assert handle.room == room and handle.participant_id == joined.id
    with pytest.raises(AlreadyJoinedError):
        await handle.join(room, pin="right")
    (listed,) = await rooms.admin.list_participants(room)
    assert listed.id == joined.id and listed.display == "solo" and listed.setup is False
    # Without media the participant is there, and mute/configure work on it.
    await rooms.admin.mute(room, joined.id, secret=secret)  # type: ignore[arg-type]
    assert (await rooms.admin.list_participants(room))[0].muted is True
    await handle.configure(display="renamed")
    assert (await rooms.admin.list_participants(room))[0].display == "renamed"
    left = await handle.leave()
    assert isinstance(left, Left) and left.id == joined.id
    assert handle.room is None
    assert await rooms.admin.list_participants(room) == ()


async def test_plain_rtp_join_needs_a_room_that_allows_it(
    janus_handle_factory: HandleFactory, rooms: Rooms
) -> None:
    room = await rooms.create()
    handle = await janus_handle_factory(AudioBridgeHandle)
    with pytest.raises(AudioBridgeError):
        await handle.join(room, rtp=RtpParticipant(ip="127.0.0.1", port=40000, payload_type=111))


def test_rtp_participant_wire_form() -> None:
    assert RtpParticipant(ip="127.0.0.1", port=5000).to_wire() == {"ip": "127.0.0.1", "port": 5000}


async def test_kick_kick_all_and_reset_decoder(
    janus_handle_factory: HandleFactory, rooms: Rooms, secret: str
) -> None:
    room = await rooms.create()
    alice = await janus_handle_factory(AudioBridgeHandle)
    bob = await janus_handle_factory(AudioBridgeHandle)
    await alice.join(room, display="alice")
    joined_bob = await bob.join(room, display="bob")
    assert joined_bob.id is not None
    await bob.reset_decoder()  # a participant's request: answered with success
    seen = alice.wait_for(Kicked, timeout=10)
    told = bob.wait_for(Kicked, timeout=10)
    await rooms.admin.kick(room, joined_bob.id, secret=secret)
    assert (await seen).id == joined_bob.id
    assert (await told).id == joined_bob.id
    assert bob.room is None and alice.room == room
    # Janus drops the participant a few ms after it answered and told everyone.
    async with asyncio.timeout(5):
        while True:
            if len(await rooms.admin.list_participants(room)) == 1:
                break
            await asyncio.sleep(0.05)
    await bob.join(room, display="bob again")  # a kick does not ban
    ids = {alice.participant_id, bob.participant_id}
    everyone = [h.wait_for(KickedAll, timeout=10) for h in (alice, bob)]
    await rooms.admin.kick_all(room, secret=secret)
    assert {(await waiter).id for waiter in everyone} == ids  # each gets its own copy
    assert alice.room is None and bob.room is None
