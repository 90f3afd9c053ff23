"""TextRoom against the real Janus of the test fixture, over WebSocket and HTTP."""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

import janus_webrtc
from conftest import ChatFactory, take
from janus_textroom import (
    ERROR_ALREADY_SETUP,
    ERROR_MISSING_ELEMENT,
    ERROR_NO_SUCH_ROOM,
    ERROR_UNAUTHORIZED,
    ERROR_USERNAME_EXISTS,
    AllowedTokens,
    AlreadyInRoomError,
    Announcement,
    ChatMessage,
    Joined,
    MessageSent,
    NoSuchRoomError,
    NoSuchUserError,
    NotInRoomError,
    Participant,
    ParticipantJoined,
    ParticipantKicked,
    ParticipantLeft,
    RoomCreated,
    RoomDestroyed,
    RoomEdited,
    RoomExistsError,
    TextRoomError,
    TextRoomEvent,
    TextRoomHandle,
    TextRoomUnauthorizedError,
    UsernameExistsError,
)
from janus_webrtc import JanusTimeoutError, StateError, plugins

pytestmark = pytest.mark.janus

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "chat.py"


async def test_attach_returns_the_textroom_handle(janus_session: janus_webrtc.Session) -> None:
    infos = [info for info in plugins.available() if info.plugin_id == "janus.plugin.textroom"]
    assert [(i.handle_class, i.distribution) for i in infos] == [(TextRoomHandle, "janus-textroom")]
    handle = await janus_session.attach("textroom")
    assert type(handle) is TextRoomHandle
    assert handle.plugin == "janus.plugin.textroom"
    assert handle.channel is None and not handle.ready and handle.rooms == {}
    await handle.detach()


async def test_management_over_the_janus_api(handle: TextRoomHandle, room_id: int) -> None:
    created = await handle.create_room(
        room_id, description="api room", secret="s3cret", pin="1234", history=5
    )
    assert created == RoomCreated(room_id, permanent=False)
    assert await handle.exists(room_id)
    listed = {room.room: room for room in await handle.list_rooms()}
    assert listed[room_id].description == "api room"
    assert listed[room_id].pin_required and listed[room_id].history == 5
    assert listed[room_id].num_participants == 0
    assert await handle.list_participants(room_id) == ()
    with pytest.raises(RoomExistsError):
        await handle.create_room(room_id)
    with pytest.raises(TextRoomUnauthorizedError) as wrong:
        await handle.edit_room(room_id, secret="wrong", new_description="x")
    assert wrong.value.error_code == ERROR_UNAUTHORIZED
    edited = handle.wait_for(RoomEdited, timeout=2)
    result = await handle.edit_room(
        room_id, secret="s3cret", new_description="renamed", new_is_private=True
    )
    assert result == RoomEdited(room_id, permanent=False)
    assert await edited == result  # published on this handle too
    assert room_id not in {room.room for room in await handle.list_rooms()}  # private now
    tokens = await handle.allowed(room_id, "add", ["t1", "t2"], secret="s3cret")
    assert isinstance(tokens, AllowedTokens) and set(tokens.allowed or ()) == {"t1", "t2"}
    assert "t1" not in repr(tokens)
    assert (await handle.allowed(room_id, "disable", secret="s3cret")).allowed is None
    await handle.announce(room_id, "nobody hears this", secret="s3cret")
    with pytest.raises(NoSuchUserError):
        await handle.kick(room_id, "nobody", secret="s3cret")
    assert await handle.destroy_room(room_id, secret="s3cret") == RoomDestroyed(room_id, False)
    assert not await handle.exists(room_id)
    with pytest.raises(NoSuchRoomError) as missing:
        await handle.list_participants(room_id)
    assert missing.value.error_code == ERROR_NO_SUCH_ROOM
    # Janus picks an id when none is asked for.
    picked = await handle.create_room()
    assert isinstance(picked.room, int) and picked.room > 0
    await handle.destroy_room(picked.room)


async def test_management_over_the_data_channel(make_chat: ChatFactory, room_id: int) -> None:
    chat = await make_chat()
    created = await chat.create_room(room_id, secret="s", via="data")
    assert created.room == room_id
    assert await chat.exists(room_id, via="data")
    assert room_id in {room.room for room in await chat.list_rooms(via="data")}
    await chat.join(room_id, "owner")
    assert await chat.list_participants(room_id, via="data") == (Participant("owner"),)
    assert (await chat.edit_room(room_id, secret="s", new_pin="9", via="data")).room == room_id
    tokens = await chat.allowed(room_id, "add", ["tok"], secret="s", via="data")
    assert tokens.allowed == ("tok",)
    queue = chat.subscribe(room=room_id)
    await chat.announce(room_id, "from the data channel", secret="s", via="data")
    [announcement] = await take(queue, 1)
    assert isinstance(announcement, Announcement) and announcement.text == "from the data channel"
    with pytest.raises(TextRoomUnauthorizedError):
        await chat.kick(room_id, "owner", secret="wrong", via="data")
    with pytest.raises(RoomExistsError):
        await chat.create_room(room_id, via="data")
    await chat.kick(room_id, "owner", secret="s", via="data")
    [kicked] = await take(queue, 1)
    assert kicked == ParticipantKicked(room_id, "owner")
    assert chat.rooms == {}
    destroyed = await chat.destroy_room(room_id, secret="s", via="data")
    assert destroyed.room == room_id
    assert not await chat.exists(room_id, via="data")


async def test_three_participants(make_chat: ChatFactory, room_id: int) -> None:
    alice, bob, carol = [await make_chat() for _ in range(3)]
    await alice.create_room(room_id, secret="s", history=10)
    queues = {
        name: chat.subscribe(TextRoomEvent, room=room_id)
        for name, chat in (("alice", alice), ("bob", bob), ("carol", carol))
    }
    joined = await alice.join(room_id, "alice", display="Alice")
    assert joined == Joined(room_id, "alice", (), ())
    assert (await bob.join(room_id, "bob")).participants == (Participant("alice", "Alice"),)
    assert {p.username for p in (await carol.join(room_id, "carol")).participants} == {
        "alice",
        "bob",
    }
    assert alice.rooms == {room_id: "alice"}
    # Everyone hears each join that happens after their own, their own included.
    alice_joins = await take(queues["alice"], 3)
    assert [e.username for e in alice_joins if isinstance(e, ParticipantJoined)] == [
        "alice",
        "bob",
        "carol",
    ]
    assert alice_joins[0] == ParticipantJoined(room_id, "alice", "Alice")
    await take(queues["bob"], 2)
    await take(queues["carol"], 1)

    # Public: to everyone, the sender too. Whispers: to their targets only.
    sent = await alice.message(room_id, "hello all")
    assert sent == MessageSent(room_id, {})
    assert await alice.message(room_id, "psst bob", to="bob") == MessageSent(room_id, {"bob": True})
    to_many = await alice.message(room_id, "bob and carol", tos=["bob", "carol", "ghost"])
    assert to_many is not None
    assert to_many.sent == {"bob": True, "carol": True, "ghost": False}
    assert await alice.message(room_id, "quietly, no ack", ack=False) is None
    # On alice's data channel too, so that Janus handles it after her messages.
    await alice.announce(room_id, "room news", secret="s", via="data")
    counts = {"alice": 3, "bob": 5, "carol": 4}
    received = {name: await take(queue, counts[name]) for name, queue in queues.items()}
    texts = {
        name: [
            (e.text, getattr(e, "whisper", None))
            for e in events
            if isinstance(e, ChatMessage | Announcement)
        ]
        for name, events in received.items()
    }
    assert texts["alice"] == [("hello all", False), ("quietly, no ack", False), ("room news", None)]
    assert texts["bob"] == [
        ("hello all", False),
        ("psst bob", True),
        ("bob and carol", True),
        ("quietly, no ack", False),
        ("room news", None),
    ]
    assert texts["carol"] == [
        ("hello all", False),
        ("bob and carol", True),
        ("quietly, no ack", False),
        ("room news", None),
    ]
    message = received["bob"][0]
    assert isinstance(message, ChatMessage)
    assert message.sender == "alice" and message.room == room_id
    assert message.timestamp is not None

    # A late joiner gets the public history (not the whispers), before its join completes.
    dave = await make_chat()
    late = await dave.join(room_id, "dave")
    assert [(m.text, type(m)) for m in late.history] == [
        ("hello all", ChatMessage),
        ("quietly, no ack", ChatMessage),
        ("room news", Announcement),
    ]
    first = late.history[0]
    assert isinstance(first, ChatMessage) and first.display == "Alice"
    without = await make_chat()
    assert (await without.join(room_id, "eve", history=False)).history == ()


async def test_kick_destroy_leave_and_rejoin(make_chat: ChatFactory, room_id: int) -> None:
    alice, bob = await make_chat(), await make_chat()
    await alice.create_room(room_id, secret="s")
    events = alice.subscribe(room=room_id)
    bob_events = bob.subscribe(room=room_id)
    await alice.join(room_id, "alice")
    await bob.join(room_id, "bob")
    # Each handle's events arrive on its own data channel, in the order Janus sent them.
    assert await take(events, 2) == [
        ParticipantJoined(room_id, "alice"),
        ParticipantJoined(room_id, "bob"),
    ]
    assert await take(bob_events, 1) == [ParticipantJoined(room_id, "bob")]

    await bob.leave(room_id)
    assert bob.rooms == {}
    assert await take(events, 1) == [ParticipantLeft(room_id, "bob")]
    assert await take(bob_events, 1) == [ParticipantLeft(room_id, "bob")]
    with pytest.raises(NotInRoomError):
        await bob.message(room_id, "not in the room")
    with pytest.raises(NotInRoomError):
        await bob.leave(room_id)
    await bob.join(room_id, "bob")
    assert await take(events, 1) == [ParticipantJoined(room_id, "bob")]
    await take(bob_events, 1)

    await alice.kick(room_id, "bob", secret="s")
    assert await take(events, 1) == [ParticipantKicked(room_id, "bob")]
    assert await take(bob_events, 1) == [ParticipantKicked(room_id, "bob")]
    assert bob.rooms == {} and alice.rooms == {room_id: "alice"}
    assert await alice.list_participants(room_id) == (Participant("alice"),)

    await bob.join(room_id, "bob2")
    await take(events, 1)
    await take(bob_events, 1)
    await alice.destroy_room(room_id, secret="s")
    assert RoomDestroyed(room_id) in await take(bob_events, 1)
    assert RoomDestroyed(room_id) in await take(events, 1)
    assert alice.rooms == {} and bob.rooms == {}
    with pytest.raises(NoSuchRoomError):
        await bob.message(room_id, "gone")


async def test_join_errors(make_chat: ChatFactory, room_id: int) -> None:
    alice, bob = await make_chat(), await make_chat()
    with pytest.raises(NoSuchRoomError) as missing:
        await alice.join(room_id, "alice")
    assert missing.value.error_code == ERROR_NO_SUCH_ROOM
    assert isinstance(missing.value, TextRoomError)
    await alice.create_room(room_id, pin="right")
    with pytest.raises(TextRoomUnauthorizedError) as wrong_pin:
        await alice.join(room_id, "alice", pin="wrong")
    assert wrong_pin.value.error_code == ERROR_UNAUTHORIZED
    with pytest.raises(TextRoomError) as no_pin:
        await alice.join(room_id, "alice")
    assert no_pin.value.error_code == ERROR_MISSING_ELEMENT
    await alice.join(room_id, "alice", pin="right")
    with pytest.raises(UsernameExistsError) as taken:
        await bob.join(room_id, "alice", pin="right")
    assert taken.value.error_code == ERROR_USERNAME_EXISTS
    with pytest.raises(AlreadyInRoomError):
        await alice.join(room_id, "alice-again", pin="right")
    # Tokens: once the check is on, only allowed tokens get in.
    await alice.allowed(room_id, "add", ["invite"])
    await alice.allowed(room_id, "enable")
    with pytest.raises(TextRoomUnauthorizedError):
        await bob.join(room_id, "bob", pin="right", token="forged")
    await bob.join(room_id, "bob", pin="right", token="invite")
    assert alice.pending_requests == 0 and bob.pending_requests == 0
    with pytest.raises(ValueError, match="not both"):
        await alice.message(room_id, "x", to="bob", tos=["bob"])


async def test_one_handle_in_two_rooms(
    make_chat: ChatFactory, new_room_id: Callable[[], int]
) -> None:
    alice, bob = await make_chat(), await make_chat()
    first, second = new_room_id(), new_room_id()
    for room in (first, second):
        await alice.create_room(room)
        await bob.join(room, f"bob-{room}")
    in_first, in_second = (
        bob.subscribe(ChatMessage, room=first),
        bob.subscribe(ChatMessage, room=second),
    )
    everything = bob.subscribe(ChatMessage)
    await alice.join(first, "alice")
    await alice.join(second, "alice")
    assert alice.rooms == {first: "alice", second: "alice"}
    await alice.message(first, "one")
    await alice.message(second, "two")
    assert [(e.room, e.text) for e in await take(in_first, 1)] == [(first, "one")]
    assert [(e.room, e.text) for e in await take(in_second, 1)] == [(second, "two")]
    assert [(e.room, e.text) for e in await take(everything, 2)] == [
        (first, "one"),
        (second, "two"),
    ]
    await alice.leave(first)
    assert alice.rooms == {second: "alice"}
    await alice.message(second, "still here")
    assert [e.text for e in await take(in_second, 1)] == ["still here"]
    assert len(in_first) == 0
    bob.unsubscribe(in_first)


async def test_callbacks_per_room_and_per_handle(
    make_chat: ChatFactory, new_room_id: Callable[[], int]
) -> None:
    alice = await make_chat()
    first, second = new_room_id(), new_room_id()
    for room in (first, second):
        await alice.create_room(room)
        await alice.join(room, "alice")
    in_first: list[str] = []
    everywhere: list[str] = []
    done = asyncio.Event()

    def on_first(event: ChatMessage) -> None:
        in_first.append(event.text)

    async def on_any(event: ChatMessage) -> None:
        everywhere.append(event.text)
        if len(everywhere) == 3:
            done.set()

    remove = alice.on(on_first, ChatMessage, room=first)
    alice.on(on_any, ChatMessage)
    await alice.message(first, "a")
    await alice.message(second, "b")
    await alice.message(first, "c")
    async with asyncio.timeout(5):
        await done.wait()
    assert in_first == ["a", "c"] and everywhere == ["a", "b", "c"]
    remove()
    waiter = alice.wait_for(ChatMessage, predicate=lambda e: e.room == second, timeout=5)
    await alice.message(first, "d")
    await alice.message(second, "e")
    assert (await waiter).text == "e"
    assert in_first == ["a", "c"]


async def test_a_thousand_messages_in_order(make_chat: ChatFactory, room_id: int) -> None:
    alice, bob = await make_chat(), await make_chat()
    await alice.create_room(room_id)
    await alice.join(room_id, "alice")
    await bob.join(room_id, "bob")
    received = bob.subscribe(ChatMessage, room=room_id)
    count = 1000
    for number in range(count):
        await alice.message(room_id, f"{number}", ack=False)
    await alice.message(room_id, "end")  # acknowledged once Janus relayed all before it
    texts = [e.text for e in await take(received, count + 1, timeout=30)]
    assert texts == [str(n) for n in range(count)] + ["end"]
    assert bob.malformed_messages == 0
    assert len(received) == 0


async def test_data_channel_request_timeout(make_chat: ChatFactory, room_id: int) -> None:
    alice = await make_chat()
    await alice.create_room(room_id)
    await alice.join(room_id, "alice")
    # With ack false Janus never answers: the request times out and is forgotten.
    with pytest.raises(JanusTimeoutError) as timed_out:
        await alice.request(
            {"textroom": "message", "room": room_id, "text": "x", "ack": False}, timeout=0.3
        )
    assert isinstance(timed_out.value, TimeoutError)
    assert "'message'" in str(timed_out.value)
    assert alice.pending_requests == 0
    reply = await alice.request({"textroom": "exists", "room": room_id})
    assert reply["exists"] is True
    # The table of pending requests is bounded.
    alice.max_pending = 1  # type: ignore[misc]
    silent = {"textroom": "message", "room": room_id, "text": "y", "ack": False}
    waiting = asyncio.ensure_future(alice.request(silent, timeout=5))
    await asyncio.sleep(0)
    with pytest.raises(StateError, match="1 requests wait"):
        await alice.request({"textroom": "exists", "room": room_id})
    waiting.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiting
    assert alice.pending_requests == 0
    with pytest.raises(ValueError, match="textroom"):
        await alice.request({"room": room_id})


async def test_malformed_data_channel_input_is_dropped(
    make_chat: ChatFactory, room_id: int, caplog: pytest.LogCaptureFixture
) -> None:
    alice = await make_chat()
    await alice.create_room(room_id)
    await alice.join(room_id, "alice")
    messages = alice.subscribe(ChatMessage, room=room_id)
    channel = alice.channel
    assert channel is not None
    rtc = channel.rtc_data_channel  # inject as if it came from Janus, through the real reader
    with caplog.at_level(logging.WARNING, logger="janus_textroom"):
        for garbage in ("not json", b"\x00binary", "[1, 2]", '{"textroom": "message"}', "{"):
            rtc.emit("message", garbage)
        rtc.emit("message", '{"textroom": "error", "error_code": 499, "error": "stray"}')
        rtc.emit("message", '{"transaction": "nobody-waits", "textroom": "success"}')
        await alice.message(room_id, "still reading")
        [event] = await take(messages, 1)
    assert isinstance(event, ChatMessage) and event.text == "still reading"
    assert alice.malformed_messages == 5
    dropped = [r for r in caplog.records if "dropped a data channel message" in r.message]
    assert len(dropped) == 5
    assert any("stray" in r.message for r in caplog.records)


async def test_requests_need_an_open_data_channel(handle: TextRoomHandle, room_id: int) -> None:
    with pytest.raises(StateError, match="setup"):
        await handle.join(room_id, "x")
    with pytest.raises(StateError, match="setup"):
        await handle.message(room_id, "x", ack=False)
    with pytest.raises(StateError, match="setup"):
        await handle.exists(room_id, via="data")
    with pytest.raises(ValueError, match="via"):
        await handle.exists(room_id, via="pigeon")  # type: ignore[arg-type]
    with pytest.raises(TextRoomError) as not_set_up:
        await handle.restart()
    assert not_set_up.value.error_code == ERROR_ALREADY_SETUP


async def test_restart_replaces_the_peer_connection(make_chat: ChatFactory, room_id: int) -> None:
    alice, bob = await make_chat(), await make_chat()
    await alice.create_room(room_id)
    await alice.join(room_id, "alice")
    await bob.join(room_id, "bob")
    old = alice.peer_connection
    with pytest.raises(StateError, match="already"):
        await alice.setup()
    left = bob.subscribe(ParticipantLeft, room=room_id)
    await alice.restart(timeout=10)
    assert alice.peer_connection is not old and alice.ready
    assert alice.rooms == {}  # Janus took the old PeerConnection out of every room
    assert await take(left, 1) == [ParticipantLeft(room_id, "alice")]
    await alice.join(room_id, "alice")
    received = bob.subscribe(ChatMessage, room=room_id)
    await alice.message(room_id, "after restart")
    assert [e.text for e in await take(received, 1)] == ["after restart"]


async def test_hangup_fails_pending_requests_and_detach_ends_streams(
    make_chat: ChatFactory, room_id: int
) -> None:
    alice = await make_chat()
    await alice.create_room(room_id)
    await alice.join(room_id, "alice")
    queue = alice.subscribe(room=room_id)
    pending = asyncio.ensure_future(
        alice.request(
            {"textroom": "message", "room": room_id, "text": "x", "ack": False}, timeout=10
        )
    )
    await asyncio.sleep(0.05)
    assert alice.pending_requests == 1
    await alice.hangup()
    with pytest.raises(StateError, match="closed"):
        await pending
    assert alice.pending_requests == 0 and alice.rooms == {} and alice.channel is None
    await alice.detach()
    ended = [event async for event in queue]  # ends after what was queued, not hanging
    assert {type(event) for event in ended} <= {ChatMessage, ParticipantLeft}
    with pytest.raises(StateError):
        await alice.join(room_id, "alice")


async def test_the_terminal_chat_example_runs_from_a_script(
    make_chat: ChatFactory, room_id: int, janus_url: str, janus_media_ice: str
) -> None:
    me = await make_chat()
    await me.create_room(room_id)
    await me.join(room_id, "tester")
    heard = me.subscribe(ChatMessage, room=room_id)
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        str(EXAMPLE),
        "--url",
        janus_url,
        "--room",
        str(room_id),
        "--name",
        "scripted",
        "--ice-address",
        janus_media_ice,
        "--script",
        "--until",
        "bye now",
        "--linger",
        "20",
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    assert process.stdin is not None
    process.stdin.write(b"hello from the script\n/to tester just for you\n/who\n")
    process.stdin.close()
    received = await take(heard, 2, timeout=20)
    assert [(e.sender, e.text, e.whisper) for e in received if isinstance(e, ChatMessage)] == [
        ("scripted", "hello from the script", False),
        ("scripted", "just for you", True),
    ]
    await me.message(room_id, "bye now")
    async with asyncio.timeout(20):
        out, err = await process.communicate()
    assert process.returncode == 0, err.decode()
    lines = out.decode().splitlines()
    assert lines[0] == f"* joined room {room_id} as scripted; here: tester"
    assert "* here: scripted, tester" in lines or "* here: tester, scripted" in lines
    assert "tester: bye now" in lines
    assert lines[-1] == "* bye"
