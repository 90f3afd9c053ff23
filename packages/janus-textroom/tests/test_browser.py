"""TextRoom chat between Meetecho's janus.js in headless Chromium and janus-textroom.

Both sides join the same room over the same transport (WebSocket, then HTTP) and chat on the
TextRoom data channel: public messages and whispers both ways, counted exactly. Each side ends
its messages with a marker; Janus relays one sender's messages in order, so once a side has a
sender's marker it has all of that sender's messages, and the counts are exact without waiting
for "long enough".
"""

from __future__ import annotations

import asyncio

import pytest

from conftest import ChatFactory
from janus_textroom import ChatMessage, ParticipantJoined, ParticipantLeft, TextRoomHandle
from janus_webrtc import EventQueue
from janus_webrtc.testing.browser import BrowserPage

pytestmark = [pytest.mark.janus, pytest.mark.browser]

PUBLIC = 5
"""Public messages each side sends (before its marker)."""

WHISPERS = 3
"""Whispers each side sends to the other."""

JOIN = """
const janus = await kit.connect(url);
const chat = await kit.attach(janus, "janus.plugin.textroom");
window.chat = chat;
await chat.send({request: "setup"});
const {jsep} = await chat.messages.next((m) => m.jsep && m.jsep.type === "offer");
await chat.send({request: "ack"}, await chat.answer(jsep, [{type: "data"}]));
const open = await chat.events.next((e) => e.type === "dataopen");
const joined = await chat.dataRequest({textroom: "join", room, username, display: "Browser"});
return {label: open.label, joined};
"""

SEND = """
const acks = [];
for (let i = 0; i < public_; i++) {
  acks.push(await chat.dataRequest({textroom: "message", room, text: `browser ${i}`}));
}
for (let i = 0; i < whispers; i++) {
  acks.push(await chat.dataRequest({textroom: "message", room, to, text: `psst ${i}`}));
}
acks.push(await chat.dataRequest({textroom: "message", room, text: "browser done"}));
return acks;
"""

RECEIVED = """
const isMessage = (d) => d.json && d.json.textroom === "message";
await chat.data.next((d) => isMessage(d) && d.json.from === peer && d.json.text === "python done");
await chat.data.next((d) => isMessage(d) && d.json.from === username && d.json.text === "browser done");
return chat.data.seen.filter(isMessage).map((d) => [d.json.from, d.json.text, d.json.whisper === true]);
"""

LEAVE = """
return await chat.dataRequest({textroom: "leave", room});
"""


async def until_marker(queue: EventQueue, markers: set[tuple[str, str]]) -> list[ChatMessage]:
    """The chat messages of ``queue`` until every (sender, text) of ``markers`` has come."""
    messages: list[ChatMessage] = []
    missing = set(markers)
    async with asyncio.timeout(15):
        async for event in queue:
            if isinstance(event, ChatMessage):
                messages.append(event)
                missing.discard((event.sender, event.text))
                if not missing:
                    return messages
    raise AssertionError(f"the queue ended before {missing}")


@pytest.mark.parametrize("janus_transport", ["ws", "http"])
async def test_chat_both_ways_with_whispers(
    janus_browser_page: BrowserPage, janus_url: str, make_chat: ChatFactory, room_id: int
) -> None:
    page = janus_browser_page
    alice: TextRoomHandle = await make_chat()
    await alice.create_room(room_id)
    events = alice.subscribe(room=room_id)
    await alice.join(room_id, "alice")
    assert await events.get(timeout=10) == ParticipantJoined(room_id, "alice")

    joined = await page.run(JOIN, url=janus_url, room=room_id, username="browser")
    assert joined["label"] == "JanusDataChannel"
    assert joined["joined"]["textroom"] == "success"
    assert [p["username"] for p in joined["joined"]["participants"]] == ["alice"]
    assert await events.get(timeout=10) == ParticipantJoined(room_id, "browser", "Browser")

    # The browser first, then Python: public messages, whispers to the other, a marker.
    acks = await page.run(
        SEND, room=room_id, to="alice", public_=PUBLIC, whispers=WHISPERS, timeout=30
    )
    assert [ack["textroom"] for ack in acks] == ["success"] * (PUBLIC + WHISPERS + 1)
    for i in range(PUBLIC):
        await alice.message(room_id, f"python {i}")
    for i in range(WHISPERS):
        sent = await alice.message(room_id, f"hush {i}", to="browser")
        assert sent is not None and sent.sent == {"browser": True}
    await alice.message(room_id, "python done")

    # Python hears the browser's messages (whispers marked) and its own public ones.
    heard = await until_marker(events, {("browser", "browser done"), ("alice", "python done")})
    from_browser = [(m.text, m.whisper) for m in heard if m.sender == "browser"]
    assert from_browser == [
        *((f"browser {i}", False) for i in range(PUBLIC)),
        *((f"psst {i}", True) for i in range(WHISPERS)),
        ("browser done", False),
    ]
    own = [(m.text, m.whisper) for m in heard if m.sender == "alice"]
    assert own == [*((f"python {i}", False) for i in range(PUBLIC)), ("python done", False)]
    assert len(heard) == 2 * (PUBLIC + 1) + WHISPERS

    # janus.js hears Python's messages (whispers marked) and its own public ones.
    received = await page.run(RECEIVED, peer="alice", username="browser", timeout=30)
    from_python = [(text, whisper) for sender, text, whisper in received if sender == "alice"]
    assert from_python == [
        *((f"python {i}", False) for i in range(PUBLIC)),
        *((f"hush {i}", True) for i in range(WHISPERS)),
        ("python done", False),
    ]
    echoed = [(text, whisper) for sender, text, whisper in received if sender == "browser"]
    assert echoed == [*((f"browser {i}", False) for i in range(PUBLIC)), ("browser done", False)]
    assert len(received) == 2 * (PUBLIC + 1) + WHISPERS

    left = await page.run(LEAVE, room=room_id)
    assert left["textroom"] == "success"
    assert await events.get(timeout=10) == ParticipantLeft(room_id, "browser")
    assert page.errors == ()
