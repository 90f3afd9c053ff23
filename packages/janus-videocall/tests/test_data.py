"""Data channels in a call: the VideoCall plugin relays them between the two sides."""

from __future__ import annotations

import pytest

from janus_webrtc import DataChannelMessage
from support import PartyFactory

pytestmark = pytest.mark.janus


async def test_data_channel_messages_are_relayed(party: PartyFactory) -> None:
    alice = await party("alice")
    bob = await party("bob")
    # Janus relays a message only once the receiving side's channels are up: both sides
    # open a channel with the same label and wait for it.
    alice_chat = alice.handle.create_data_channel("chat")
    await alice.handle.call(bob.name, *alice.media(video=False))
    await bob.handle.wait_incoming_call(timeout=10)
    bob_chat = bob.handle.create_data_channel("chat")
    await bob.handle.accept(*bob.media(video=False))
    await alice.handle.wait_accepted(timeout=10)
    await alice_chat.wait_open(timeout=10)
    await bob_chat.wait_open(timeout=10)

    heard = bob.handle.wait_for(
        DataChannelMessage, predicate=lambda e: e.data == "hello bob", timeout=10
    )
    alice_chat.send("hello bob")
    assert (await heard).label == "chat"
    reply = alice.handle.wait_for(
        DataChannelMessage, predicate=lambda e: e.data == "hi alice", timeout=10
    )
    bob_chat.send("hi alice")
    assert (await reply).label == "chat"
