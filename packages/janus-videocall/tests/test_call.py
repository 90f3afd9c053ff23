"""Calls between two VideoCall handles on the real Janus of the test fixture, with media."""

from __future__ import annotations

import asyncio

import pytest

import janus_webrtc
from janus_videocall import (
    Accepted,
    CallEndedError,
    CallState,
    HungUp,
    IncomingCall,
    Updated,
    VideoCallHandle,
)
from janus_webrtc.media import TestPatternVideoTrack
from janus_webrtc.testing import HandleFactory, JanusEndpoints
from support import Party, PartyFactory, connect_call, media_flows, unique

pytestmark = pytest.mark.janus


async def test_attach_returns_the_videocall_handle(janus_session: janus_webrtc.Session) -> None:
    handle = await janus_session.attach("videocall")
    assert type(handle) is VideoCallHandle
    assert handle.plugin == "janus.plugin.videocall"
    assert handle.call_state is CallState.IDLE
    await handle.detach()


async def test_register_and_list(party: PartyFactory) -> None:
    alice = await party("alice")
    bob = await party("bob")
    assert alice.handle.username == alice.name
    names = await alice.handle.list()
    assert {alice.name, bob.name} <= set(names)


async def test_call_media_both_ways_hangup_and_call_again(
    party: PartyFactory, janus_media_ice: str
) -> None:
    alice = await party("alice")
    bob = await party("bob")
    incoming = bob.handle.wait_for(IncomingCall, timeout=10)
    accepted = alice.handle.wait_for(Accepted, timeout=10)
    await connect_call(alice, bob)
    event = await incoming
    assert event.jsep is not None and event.jsep.type == "offer"
    answer = await accepted
    assert answer.jsep is not None and answer.jsep.type == "answer"
    assert alice.handle.call_state is bob.handle.call_state is CallState.IN_CALL
    assert alice.handle.peer == bob.name and bob.handle.peer == alice.name
    # Janus offers candidates on the private ICE address only, to both sides.
    assert alice.handle.remote_candidate_addresses == {janus_media_ice}
    assert bob.handle.remote_candidate_addresses == {janus_media_ice}
    await media_flows(alice, bob)

    # The caller hangs up mid-call: both sides hear why, both peer connections close.
    pcs = [alice.handle.peer_connection, bob.handle.peer_connection]
    await alice.handle.hangup(reason="see you")
    ended = await bob.handle.wait_hangup(timeout=10)
    assert ended is not None
    assert ended.reason == "see you"
    assert ended.username == alice.name
    assert all(pc is not None and pc.connectionState == "closed" for pc in pcs)
    assert alice.handle.peer_connection is None and bob.handle.peer_connection is None
    assert alice.handle.call_state is bob.handle.call_state is CallState.IDLE

    # A new call on the same handles, the other way round; now the callee hangs up.
    alice.listen()
    bob.listen()
    await connect_call(bob, alice)
    await media_flows(alice, bob)
    pcs = [alice.handle.peer_connection, bob.handle.peer_connection]
    await alice.handle.hangup()
    ended = await bob.handle.wait_hangup(timeout=10)
    assert ended is not None
    assert ended.reason == "We did the hangup"  # the plugin's default reason
    assert all(pc is not None and pc.connectionState == "closed" for pc in pcs)
    assert bob.handle.peer_connection is None


async def test_caller_on_websocket_callee_on_http(
    janus_server: JanusEndpoints, janus_media_ice: str, janus_handle_factory: HandleFactory
) -> None:
    async with (
        janus_webrtc.connect(janus_server.ws_url) as ws,
        janus_webrtc.connect(janus_server.http_url) as http,
        await ws.create_session() as ws_session,
        await http.create_session() as http_session,
    ):
        handles = [
            await janus_handle_factory(VideoCallHandle, session=ws_session),
            await janus_handle_factory(VideoCallHandle, session=http_session),
        ]
        try:
            caller = Party(handles[0], unique("ws"))
            callee = Party(handles[1], unique("http"))
            for each in (caller, callee):
                await each.handle.register(each.name)
                each.listen()
            await connect_call(caller, callee)
            await media_flows(caller, callee)
            await callee.handle.hangup(reason="http says bye")
            assert (await caller.handle.wait_hangup(timeout=10)).reason == "http says bye"
            assert caller.handle.peer_connection is None
        finally:
            for handle in handles:
                await handle.close()


async def test_callee_declines_and_the_caller_hears_why(party: PartyFactory) -> None:
    alice = await party("alice")
    bob = await party("bob")
    await alice.handle.call(bob.name, *alice.media())
    assert alice.handle.call_state is CallState.CALLING
    incoming = await bob.handle.wait_incoming_call(timeout=10)
    assert bob.handle.call_state is CallState.RINGING
    assert bob.handle.incoming_call is incoming
    caller_pc = alice.handle.peer_connection
    hung_up = alice.handle.wait_for(HungUp, predicate=lambda e: e.reason == "not now", timeout=10)
    await bob.handle.hangup(reason="not now")
    with pytest.raises(CallEndedError) as caught:
        await alice.handle.wait_accepted(timeout=10)
    assert caught.value.reason == "not now"
    assert caught.value.username == bob.name
    assert caught.value.error_code is None
    assert (await hung_up).username == bob.name
    ended = await alice.handle.wait_hangup(timeout=10)
    assert ended is not None and ended.reason == "not now"
    assert alice.handle.last_hangup is ended
    assert caller_pc is not None and caller_pc.connectionState == "closed"
    assert alice.handle.call_state is CallState.IDLE
    assert bob.handle.incoming_call is None

    # The same handles call again, and this time the call is accepted.
    alice.listen()  # sinks end with each call, accepted or not
    await connect_call(alice, bob, video=False)
    await media_flows(alice, bob, video=0)


async def test_caller_cancels_a_ringing_call(party: PartyFactory) -> None:
    alice = await party("alice")
    bob = await party("bob")
    await alice.handle.call(bob.name, *alice.media(video=False))
    await bob.handle.wait_incoming_call(timeout=10)
    await alice.handle.hangup(reason="wrong number")
    ended = await bob.handle.wait_hangup(timeout=10)
    assert ended is not None and ended.reason == "wrong number"
    assert bob.handle.incoming_call is None
    with pytest.raises(CallEndedError):
        await alice.handle.wait_accepted(timeout=1)


async def test_calling_a_busy_user(party: PartyFactory) -> None:
    alice = await party("alice")
    bob = await party("bob")
    carol = await party("carol")
    await connect_call(alice, bob, video=False)
    with pytest.raises(CallEndedError) as caught:
        await carol.handle.call(bob.name, *carol.media(video=False))
    assert caught.value.reason == "User busy"
    assert carol.handle.call_state is CallState.IDLE
    assert carol.handle.peer_connection is None
    # The call in progress is not disturbed.
    await media_flows(alice, bob, video=0)


async def test_renegotiation_adds_video_and_the_peer_answers(party: PartyFactory) -> None:
    alice = await party("alice")
    bob = await party("bob")
    await connect_call(alice, bob, video=False)
    await media_flows(alice, bob, video=0)
    updates = bob.handle.subscribe(janus_webrtc.PluginEvent)
    alice.handle.add_track(TestPatternVideoTrack(width=160, height=120))
    update = await alice.handle.renegotiate(timeout=10)
    assert update.jsep is not None and update.jsep.type == "answer"
    # Bob's handle answered Janus's offer by itself; Alice's video now reaches Bob.
    await bob.counter.wait_frames("video", 15, timeout=10)
    async with asyncio.timeout(5):
        async for event in updates:
            if isinstance(event, Updated):
                assert event.jsep is not None and event.jsep.type == "offer"
                break
    bob.handle.unsubscribe(updates)
    await media_flows(alice, bob, video=0)


async def test_the_callee_renegotiates_and_the_caller_answers(party: PartyFactory) -> None:
    alice = await party("alice")
    bob = await party("bob")
    await connect_call(alice, bob, video=False)
    offered = alice.handle.wait_for(
        Updated, predicate=lambda e: e.jsep is not None and e.jsep.type == "offer", timeout=10
    )
    update = await bob.handle.renegotiate(bitrate=256000, timeout=10)
    assert update.jsep is not None and update.jsep.type == "answer"
    await offered
    await media_flows(alice, bob, audio=alice.counter.frames("audio") + 25, video=0)


async def test_restart_media_restarts_ice_and_keeps_the_call(party: PartyFactory) -> None:
    alice = await party("alice")
    bob = await party("bob")
    await connect_call(alice, bob, video=False)
    await media_flows(alice, bob, video=0)
    pc = alice.handle.peer_connection
    assert pc is not None and pc.localDescription is not None
    before = ice_ufrag(pc.localDescription.sdp)
    janus_before = ice_ufrag(pc.remoteDescription.sdp)
    restarted = await alice.handle.restart_media({"bitrate": 256000}, timeout=10)
    assert restarted.jsep is not None and restarted.jsep.type == "answer"
    # The same peer connection and call, with new ICE credentials on both ends of this leg.
    assert alice.handle.peer_connection is pc
    assert alice.handle.call_state is CallState.IN_CALL
    assert ice_ufrag(pc.localDescription.sdp) != before
    assert ice_ufrag(restarted.jsep.sdp) != janus_before
    await media_flows(
        alice,
        bob,
        audio=max(alice.counter.frames("audio"), bob.counter.frames("audio")) + 50,
        video=0,
    )
    assert alice.handle.connection_state == "connected"


def ice_ufrag(sdp: str) -> str:
    """The first ``a=ice-ufrag`` of an SDP."""
    return next(
        line.split(":", 1)[1] for line in sdp.splitlines() if line.startswith("a=ice-ufrag:")
    )


async def test_detaching_mid_call_ends_it_and_frees_the_name(
    party: PartyFactory, janus_handle_factory: HandleFactory
) -> None:
    alice = await party("alice")
    bob = await party("bob")
    await connect_call(alice, bob, video=False)
    await bob.handle.detach()
    ended = await alice.handle.wait_hangup(timeout=10)
    assert ended is not None and ended.reason == "Remote WebRTC hangup"
    assert alice.handle.peer_connection is None
    again = await janus_handle_factory(VideoCallHandle)
    try:
        assert (await again.register(bob.name)).username == bob.name
    finally:
        await again.close()


async def test_accepting_needs_local_tracks_the_offer_has(party: PartyFactory) -> None:
    alice = await party("alice")
    bob = await party("bob")
    await alice.handle.call(bob.name, *alice.media(video=False))
    await bob.handle.wait_incoming_call(timeout=10)
    pattern = TestPatternVideoTrack(width=160, height=120)
    with pytest.raises(ValueError, match="offers no video"):
        await bob.handle.accept(*bob.media(video=False), pattern)
    assert bob.handle.call_state is CallState.RINGING
    assert bob.handle.local_tracks == ()  # nothing was added
    bob.handle.add_track(pattern)
    with pytest.raises(ValueError, match="offers no video"):
        await bob.handle.accept()
    bob.handle.remove_track(pattern)
    await bob.handle.accept(*bob.media(video=False))
    await alice.handle.wait_accepted(timeout=10)
    await media_flows(alice, bob, video=0)
