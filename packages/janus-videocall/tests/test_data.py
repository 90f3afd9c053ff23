"""Data channels in a call: the VideoCall plugin relays them between the two sides."""

from __future__ import annotations

import asyncio

import pytest

from janus_webrtc import DataChannel, DataChannelMessage, WebRTCHandle
from support import PartyFactory

pytestmark = pytest.mark.janus


async def send_until_heard(channel: DataChannel, receiver: WebRTCHandle, text: str) -> None:
    """Send ``text`` on ``channel`` until ``receiver`` gets it (at most 10 s).

    Janus 1.1.2 relays a message only once the receiving side's SCTP association has reported
    itself writable (``data_ready``, on usrsctp's sender-dry event), which comes a few
    milliseconds after that side's channel is open and which no event tells the client
    about: a message sent inside that window is dropped by Janus. So the first message is
    repeated until it arrives; every later one must arrive exactly once.
    """
    heard = asyncio.ensure_future(
        receiver.wait_for(DataChannelMessage, predicate=lambda e: e.data == text, timeout=10)
    )
    while not heard.done():
        channel.send(text)
        await asyncio.wait([heard], timeout=0.2)
    assert heard.result().label == channel.label


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
    await send_until_heard(alice_chat, bob.handle, "hello bob")
    await send_until_heard(bob_chat, alice.handle, "hi alice")

    # Once both sides are ready, nothing is lost, nothing doubled, the order kept.
    for sender, receiver, channel in ((alice, bob, alice_chat), (bob, alice, bob_chat)):
        texts = [f"{sender.name} {n}" for n in range(20)]
        inbox = receiver.handle.subscribe(DataChannelMessage)
        for text in texts:
            channel.send(text)
        got: list[str] = []
        while len(got) < len(texts):
            event = await inbox.get(timeout=10)
            if isinstance(event.data, str) and event.data.startswith(f"{sender.name} "):
                got.append(event.data)
        receiver.handle.unsubscribe(inbox)
        assert got == texts
