"""Every error path of the VideoCall plugin, as typed exceptions, over both transports."""

from __future__ import annotations

import pytest

import janus_webrtc
from janus_videocall import (
    ERROR_ALREADY_IN_CALL,
    ERROR_ALREADY_REGISTERED,
    ERROR_INVALID_ELEMENT,
    ERROR_INVALID_REQUEST,
    ERROR_MISSING_ELEMENT,
    ERROR_MISSING_SDP,
    ERROR_NO_CALL,
    ERROR_NO_SUCH_USERNAME,
    ERROR_REGISTER_FIRST,
    ERROR_USE_ECHO_TEST,
    ERROR_USERNAME_TAKEN,
    AlreadyInCallError,
    AlreadyRegisteredError,
    CallState,
    CallYourselfError,
    InvalidElementError,
    InvalidRequestError,
    MissingElementError,
    MissingSdpError,
    NoCallError,
    NoSuchUsernameError,
    RegisterFirstError,
    UsernameTakenError,
    VideoCallError,
    VideoCallHandle,
)
from janus_webrtc.testing import HandleFactory
from support import PartyFactory, connect_call, media_flows, unique

pytestmark = pytest.mark.janus


async def test_calling_an_unknown_user(party: PartyFactory) -> None:
    alice = await party("alice")
    with pytest.raises(NoSuchUsernameError) as caught:
        await alice.handle.call(unique("nobody"), *alice.media(video=False))
    assert caught.value.error_code == ERROR_NO_SUCH_USERNAME
    assert isinstance(caught.value, VideoCallError)
    assert isinstance(caught.value, janus_webrtc.PluginError)
    assert caught.value.plugin == "janus.plugin.videocall"
    # The call attempt is undone on both ends, and the handle can call again.
    assert alice.handle.call_state is CallState.IDLE
    assert alice.handle.peer_connection is None
    bob = await party("bob")
    alice.listen()
    await connect_call(alice, bob, video=False)
    await media_flows(alice, bob, video=0)


async def test_registering_a_taken_name(
    party: PartyFactory, janus_handle_factory: HandleFactory
) -> None:
    alice = await party("alice")
    other = await janus_handle_factory(VideoCallHandle)
    try:
        with pytest.raises(UsernameTakenError) as caught:
            await other.register(alice.name)
        assert caught.value.error_code == ERROR_USERNAME_TAKEN
        assert alice.name in caught.value.error
        assert other.username is None
    finally:
        await other.close()


async def test_accepting_without_a_call(party: PartyFactory) -> None:
    alice = await party("alice")
    assert alice.handle.incoming_call is None
    with pytest.raises(NoCallError) as caught:
        await alice.handle.accept()
    assert caught.value.error_code == ERROR_NO_CALL


async def test_registering_twice(party: PartyFactory) -> None:
    alice = await party("alice")
    with pytest.raises(AlreadyRegisteredError) as caught:
        await alice.handle.register(unique("again"))
    assert caught.value.error_code == ERROR_ALREADY_REGISTERED
    assert alice.handle.username == alice.name


async def test_calling_before_registering(
    party: PartyFactory, janus_handle_factory: HandleFactory
) -> None:
    bob = await party("bob")
    anonymous = await janus_handle_factory(VideoCallHandle)
    try:
        with pytest.raises(RegisterFirstError) as caught:
            await anonymous.call(bob.name, *bob.media(video=False))
        assert caught.value.error_code == ERROR_REGISTER_FIRST
        assert anonymous.peer_connection is None
    finally:
        await anonymous.close()


async def test_calling_yourself(party: PartyFactory) -> None:
    alice = await party("alice")
    with pytest.raises(CallYourselfError) as caught:
        await alice.handle.call(alice.name, *alice.media(video=False))
    assert caught.value.error_code == ERROR_USE_ECHO_TEST


async def test_calling_while_in_a_call(party: PartyFactory) -> None:
    alice = await party("alice")
    bob = await party("bob")
    carol = await party("carol")
    await alice.handle.call(bob.name, *alice.media(video=False))
    await bob.handle.wait_incoming_call(timeout=10)
    # The handle refuses at once, so the call in progress is left alone...
    with pytest.raises(janus_webrtc.StateError, match="calling"):
        await alice.handle.call(carol.name)
    with pytest.raises(janus_webrtc.StateError, match="ringing"):
        await bob.handle.call(carol.name)
    # ... and the plugin refuses too (a raw request, without an offer).
    with pytest.raises(AlreadyInCallError) as caught:
        await bob.handle.send({"request": "call", "username": carol.name})
    assert caught.value.error_code == ERROR_ALREADY_IN_CALL


async def test_malformed_requests(party: PartyFactory) -> None:
    alice = await party("alice")
    bob = await party("bob")
    handle = alice.handle
    with pytest.raises(InvalidRequestError) as invalid_request:
        await handle.send({"request": "dance"})
    assert invalid_request.value.error_code == ERROR_INVALID_REQUEST
    with pytest.raises(MissingElementError) as missing:
        await handle.send({"request": "call"})
    assert missing.value.error_code == ERROR_MISSING_ELEMENT
    with pytest.raises(InvalidElementError) as invalid:
        await handle.send({"request": "call", "username": 42})
    assert invalid.value.error_code == ERROR_INVALID_ELEMENT
    with pytest.raises(MissingSdpError) as no_sdp:
        await handle.send({"request": "call", "username": bob.name})
    assert no_sdp.value.error_code == ERROR_MISSING_SDP


async def test_waiting_without_a_call(party: PartyFactory) -> None:
    alice = await party("alice")
    with pytest.raises(janus_webrtc.StateError, match="made no call"):
        await alice.handle.wait_accepted(timeout=1)
    with pytest.raises(janus_webrtc.StateError, match="not in a call"):
        await alice.handle.renegotiate()
    with pytest.raises(janus_webrtc.JanusTimeoutError):
        await alice.handle.wait_incoming_call(timeout=0.2)
    assert await alice.handle.wait_hangup(timeout=1) is None
    await alice.handle.hangup()  # nothing to hang up: harmless
    with pytest.raises(janus_webrtc.StateError, match="restart the media"):
        await alice.handle.restart_media()
