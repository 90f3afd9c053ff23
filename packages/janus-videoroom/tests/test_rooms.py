"""Room administration and participant requests without media, over WebSocket and HTTP."""

from __future__ import annotations

import logging
import secrets

import pytest

import janus_webrtc
from janus_videoroom import (
    AlreadyJoinedError,
    DisplayChanged,
    Joined,
    JoinFirstError,
    Joining,
    Leaving,
    MissingElementError,
    NoSuchFeedError,
    NoSuchRoomError,
    NotPublishedError,
    Publishers,
    RemoteStream,
    RoomDestroyed,
    RoomExistsError,
    VideoRoomError,
    VideoRoomPublisher,
    VideoRoomSubscriber,
    VideoRoomUnauthorizedError,
)
from janus_webrtc.testing import HandleFactory

pytestmark = pytest.mark.janus


def unused_room_id() -> int:
    return secrets.randbelow(2**40) + 2**41


async def test_attach_gives_the_videoroom_handles(janus_session: janus_webrtc.Session) -> None:
    publisher = await janus_session.attach("videoroom")
    assert type(publisher) is VideoRoomPublisher
    subscriber = await janus_session.attach(VideoRoomSubscriber)
    assert subscriber.plugin == "janus.plugin.videoroom"
    # Room administration works from either kind of handle.
    assert await subscriber.exists(unused_room_id()) is False
    await publisher.detach()
    await subscriber.detach()


async def test_room_lifecycle(admin: VideoRoomPublisher) -> None:
    room_id, secret = unused_room_id(), secrets.token_hex(8)
    created = await admin.create_room(
        room_id, description="first", secret=secret, pin="1234", publishers=4, bitrate=256000
    )
    assert (created.room, created.permanent) == (room_id, False)
    assert await admin.exists(room_id) is True
    with pytest.raises(RoomExistsError) as caught:
        await admin.create_room(room=room_id)
    assert caught.value.error_code == 427

    (info,) = [r for r in await admin.list_rooms() if r.room == room_id]
    assert (info.description, info.pin_required, info.max_publishers) == ("first", True, 4)
    assert info.bitrate == 256000
    assert info.num_participants == 0

    await admin.edit_room(room_id, secret=secret, new_description="second", new_is_private=True)
    assert room_id not in [r.room for r in await admin.list_rooms()]  # private now

    with pytest.raises(VideoRoomUnauthorizedError) as wrong:
        await admin.destroy_room(room_id, secret="wrong")
    assert wrong.value.error_code == 433
    with pytest.raises(MissingElementError):
        await admin.destroy_room(room_id)
    destroyed = await admin.destroy_room(room_id, secret=secret)
    assert isinstance(destroyed, RoomDestroyed) and destroyed.room == room_id
    assert destroyed.permanent is False
    assert await admin.exists(room_id) is False
    with pytest.warns(DeprecationWarning, match="use exists"):
        assert await admin.room_exists(room_id) is False
    with pytest.raises(NoSuchRoomError):
        await admin.destroy_room(room_id, secret=secret)


async def test_joining_a_missing_room_is_a_typed_error(
    janus_session: janus_webrtc.Session, janus_handle_factory: HandleFactory
) -> None:
    publisher = await janus_handle_factory(VideoRoomPublisher)
    with pytest.raises(NoSuchRoomError) as caught:
        await publisher.join(unused_room_id())
    assert caught.value.error_code == 426
    assert isinstance(caught.value, VideoRoomError)
    assert isinstance(caught.value, janus_webrtc.PluginError)
    subscriber = await janus_handle_factory(VideoRoomSubscriber)
    with pytest.raises(NoSuchRoomError):
        await subscriber.join(unused_room_id(), streams=[1])


async def test_wrong_pin_is_a_typed_error_and_never_logged(
    janus_session: janus_webrtc.Session,
    admin: VideoRoomPublisher,
    caplog: pytest.LogCaptureFixture,
    janus_handle_factory: HandleFactory,
) -> None:
    caplog.set_level(logging.DEBUG)
    pin, secret = "pin-" + secrets.token_hex(6), "secret-" + secrets.token_hex(6)
    room = (await admin.create_room(pin=pin, secret=secret)).room
    try:
        publisher = await janus_handle_factory(VideoRoomPublisher)
        with pytest.raises(VideoRoomUnauthorizedError) as caught:
            await publisher.join(room, pin="wrong-" + pin)
        assert pin not in str(caught.value)
        joined = await publisher.join(room, pin=pin, display="alice")
        assert isinstance(joined, Joined)
        with pytest.raises(VideoRoomUnauthorizedError):
            await admin.kick(room, joined.id or 0, secret="wrong")
    finally:
        await admin.destroy_room(room, secret=secret)
    assert pin not in caplog.text and secret not in caplog.text


async def test_join_list_and_leave(
    janus_session: janus_webrtc.Session,
    admin: VideoRoomPublisher,
    room: int,
    janus_handle_factory: HandleFactory,
) -> None:
    alice = await janus_handle_factory(VideoRoomPublisher)
    with pytest.raises(JoinFirstError):
        await alice.configure(bitrate=100000)
    joined = await alice.join(room, display="alice")
    assert joined.room == room and joined.publishers == ()
    assert alice.room == room and alice.participant_id == joined.id
    assert isinstance(joined.private_id, int)
    with pytest.raises(AlreadyJoinedError):
        await alice.join(room)
    with pytest.raises(NotPublishedError):
        await alice.unpublish()

    bob = await janus_handle_factory(VideoRoomPublisher)
    bob_id = unused_room_id()
    assert (await bob.join(room, id=bob_id, display="bob")).id == bob_id
    participants = {p.id: p for p in await admin.list_participants(room)}
    assert set(participants) == {joined.id, bob_id}
    assert participants[bob_id].display == "bob" and participants[bob_id].publisher is False

    renamed = alice.wait_for(DisplayChanged, timeout=5)
    await bob.configure(display="robert")
    event = await renamed
    assert (event.id, event.display) == (bob_id, "robert")

    await bob.leave()
    assert bob.room is None
    assert [p.id for p in await admin.list_participants(room)] == [joined.id]


async def test_notify_joining_and_destroy_are_events(
    janus_session: janus_webrtc.Session,
    admin: VideoRoomPublisher,
    janus_handle_factory: HandleFactory,
) -> None:
    room = (await admin.create_room(notify_joining=True)).room
    alice = await janus_handle_factory(VideoRoomPublisher)
    await alice.join(room, display="alice")
    joining = alice.wait_for(Joining, timeout=5)
    bob = await janus_handle_factory(VideoRoomPublisher)
    bob_joined = await bob.join(room, display="bob")
    event = await joining
    assert (event.id, event.display, event.room) == (bob_joined.id, "bob", room)
    left = alice.wait_for(Leaving, timeout=5)
    await bob.leave()
    assert (await left).id == bob_joined.id

    destroyed = alice.wait_for(RoomDestroyed, timeout=5)
    await admin.destroy_room(room)
    assert (await destroyed).room == room
    assert alice.room is None


async def test_allowed_tokens(
    janus_session: janus_webrtc.Session,
    admin: VideoRoomPublisher,
    room: int,
    secret: str,
    janus_handle_factory: HandleFactory,
) -> None:
    assert await admin.allowed(room, "enable", secret=secret) == ()
    assert set(await admin.allowed(room, "add", tokens=["t1", "t2"], secret=secret)) == {"t1", "t2"}
    assert await admin.allowed(room, "remove", tokens=["t2"], secret=secret) == ("t1",)
    outsider = await janus_handle_factory(VideoRoomPublisher)
    with pytest.raises(VideoRoomUnauthorizedError):
        await outsider.join(room, token="t2")
    await outsider.join(room, token="t1")
    await admin.allowed(room, "disable", secret=secret)
    anyone = await janus_handle_factory(VideoRoomPublisher)
    await anyone.join(room)


async def test_subscribing_to_a_missing_feed_is_a_typed_error(
    janus_session: janus_webrtc.Session, room: int, janus_handle_factory: HandleFactory
) -> None:
    subscriber = await janus_handle_factory(VideoRoomSubscriber)
    with pytest.raises(NoSuchFeedError) as caught:
        await subscriber.join(room, streams=[unused_room_id()])
    assert caught.value.error_code == 428


async def test_remote_publishers_are_announced(
    janus_session: janus_webrtc.Session,
    admin: VideoRoomPublisher,
    room: int,
    secret: str,
    janus_handle_factory: HandleFactory,
) -> None:
    observer = await janus_handle_factory(VideoRoomPublisher)
    await observer.join(room)
    announced = observer.wait_for(Publishers, timeout=5)
    remote = await admin.add_remote_publisher(
        room,
        display="far away",
        iface="127.0.0.1",
        streams=[RemoteStream(mid="v", mindex=0, type="video", codec="vp8", description="cam")],
        secret=secret,
    )
    assert remote.ip == "127.0.0.1" and remote.port > 0
    (publisher,) = (await announced).publishers
    assert (publisher.id, publisher.display) == (remote.id, "far away")
    # Janus 1.1.2 names a remote publisher's streams by position, whatever mid was given.
    assert [(s.mid, s.codec, s.description) for s in publisher.streams] == [("0", "vp8", "cam")]
    assert observer.publishers == (publisher,)

    changed = observer.wait_for(Publishers, timeout=5)
    await admin.update_remote_publisher(
        room,
        remote.id,
        streams=[RemoteStream(mid="a", mindex=1, type="audio", codec="opus")],
        secret=secret,
    )
    (publisher,) = (await changed).publishers
    assert [(s.mid, s.type) for s in publisher.streams] == [("0", "video"), ("1", "audio")]

    with pytest.raises(VideoRoomError):
        await admin.add_remote_publisher(room, id=remote.id, streams=[], secret=secret)
    left = observer.wait_for(Leaving, predicate=lambda e: e.id == remote.id, timeout=5)
    await admin.remove_remote_publisher(room, remote.id, secret=secret)
    # Janus answers before its thread has removed the participant: wait for the "leaving" it
    # sends the room, then poll the list (a bounded number of round trips) until it is gone.
    await left
    for _ in range(200):
        if remote.id not in [p.id for p in await admin.list_participants(room)]:
            break
    else:
        pytest.fail(f"remote publisher {remote.id} still listed after 200 list_participants")
    with pytest.raises(NoSuchFeedError):
        await admin.remove_remote_publisher(room, remote.id, secret=secret)


async def test_remotization_bookkeeping(
    janus_session: janus_webrtc.Session,
    admin: VideoRoomPublisher,
    room: int,
    secret: str,
    janus_handle_factory: HandleFactory,
) -> None:
    alice = await janus_handle_factory(VideoRoomPublisher)
    joined = await alice.join(room)
    assert joined.id is not None
    remote_id = await admin.publish_remotely(
        room, joined.id, remote_id="r1", host="127.0.0.1", port=9, secret=secret
    )
    assert remote_id == "r1"
    with pytest.raises(VideoRoomError) as exists:
        await admin.publish_remotely(
            room, joined.id, remote_id="r1", host="127.0.0.1", port=9, secret=secret
        )
    assert exists.value.error_code == 436
    (recipient,) = await admin.list_remotes(room, joined.id, secret=secret)
    assert (recipient.remote_id, recipient.host, recipient.port) == ("r1", "127.0.0.1", 9)
    await admin.unpublish_remotely(room, joined.id, remote_id="r1", secret=secret)
    assert await admin.list_remotes(room, joined.id, secret=secret) == ()
    with pytest.raises(NoSuchFeedError):
        await admin.unpublish_remotely(room, joined.id, remote_id="r1", secret=secret)
