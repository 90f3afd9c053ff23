"""AudioBridge with real audio: tones in, the mix out, checked by frequency (Goertzel)."""

from __future__ import annotations

import asyncio
import gc
import os
import weakref
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Ear, Rooms, participant
from janus_audiobridge import (
    AnnouncementStarted,
    AnnouncementStopped,
    AudioBridgeHandle,
    Configured,
    HangingUp,
    Kicked,
    KickedAll,
    Leaving,
    ParticipantsJoined,
    ParticipantsUpdated,
    RoomChanged,
    RoomDestroyed,
    RtpParticipant,
)
from janus_webrtc.media import ToneAudioTrack
from janus_webrtc.testing import HandleFactory, poll_until
from janus_webrtc.testing.rtp import (
    RtpReceiver,
    RtpSource,
    mono_samples,
    tone_strength,
    write_opus_tone,
)

pytestmark = [
    pytest.mark.janus,
    pytest.mark.requires_plugin("audiobridge"),
    pytest.mark.usefixtures("janus_media_ice"),
]

ALICE, BOB, FILE, PLAIN = 440.0, 880.0, 660.0, 1100.0

EarMaker = Callable[[], Ear]


async def test_three_participants_hear_the_others_and_not_themselves(
    janus_handle_factory: HandleFactory, rooms: Rooms, ears: EarMaker, secret: str
) -> None:
    room = await rooms.create(sampling_rate=48000)
    alice_ear, bob_ear, carol_ear = ears(), ears(), ears()
    alice = await participant(janus_handle_factory, alice_ear, room, frequency=ALICE, display="a")
    joined_seen = alice.wait_for(ParticipantsJoined, timeout=10)
    bob = await participant(janus_handle_factory, bob_ear, room, frequency=BOB, display="b")
    assert [p.display for p in (await joined_seen).participants] == ["b"]
    carol = await participant(janus_handle_factory, carol_ear, room, frequency=None, display="c")
    assert carol.room == room

    await alice_ear.wait_hearing(BOB)
    await bob_ear.wait_hearing(ALICE)
    await carol_ear.wait_hearing(ALICE)
    await carol_ear.wait_hearing(BOB)
    assert alice_ear.tone(ALICE) < 0.05, "alice hears herself"
    assert bob_ear.tone(BOB) < 0.05, "bob hears himself"
    listed = {p.display: p for p in await rooms.admin.list_participants(room)}
    assert set(listed) == {"a", "b", "c"} and all(p.setup for p in listed.values())

    # Muting bob takes 880 Hz out of the mix everyone hears.
    updated = alice.wait_for(
        ParticipantsUpdated, predicate=lambda e: any(p.muted for p in e.participants), timeout=10
    )
    assert bob.participant_id is not None
    await rooms.admin.mute(room, bob.participant_id, secret=secret)
    assert (await updated).participants[0].id == bob.participant_id
    await alice_ear.wait_hearing(BOB, heard=False)
    await carol_ear.wait_hearing(BOB, heard=False)
    await carol_ear.wait_hearing(ALICE)
    await rooms.admin.unmute(room, bob.participant_id, secret=secret)
    await carol_ear.wait_hearing(BOB)
    # And muting oneself (configure) does the same.
    assert isinstance(await alice.configure(muted=True), Configured)
    await bob_ear.wait_hearing(ALICE, heard=False)


async def test_janus_can_offer_instead(
    janus_handle_factory: HandleFactory, rooms: Rooms, ears: EarMaker
) -> None:
    room = await rooms.create(sampling_rate=48000)
    await participant(janus_handle_factory, ears(), room, frequency=ALICE, display="a")
    ear = ears()
    bob = await participant(
        janus_handle_factory, ear, room, frequency=BOB, display="b", generate_offer=True
    )
    assert bob.peer_connection is not None
    assert bob.peer_connection.remoteDescription.type == "offer"  # Janus offered
    await ear.wait_hearing(ALICE)


async def test_play_file_is_heard_by_all(
    janus_handle_factory: HandleFactory, rooms: Rooms, ears: EarMaker, secret: str, tmp_path: Path
) -> None:
    room = await rooms.create(sampling_rate=48000)
    ear_a, ear_b = ears(), ears()
    alice = await participant(janus_handle_factory, ear_a, room, frequency=None, display="a")
    await participant(janus_handle_factory, ear_b, room, frequency=None, display="b")
    path = write_opus_tone(tmp_path / "prompt.opus", frequency=FILE, seconds=3.0)
    started = alice.wait_for(AnnouncementStarted, timeout=10)
    file_id = await rooms.admin.play_file(room, str(path), secret=secret, file_id="prompt")
    assert file_id == "prompt"
    assert (await started).file_id == "prompt"
    assert await rooms.admin.is_playing(room, file_id, secret=secret)
    await ear_a.wait_hearing(FILE)
    await ear_b.wait_hearing(FILE)
    stopped = alice.wait_for(AnnouncementStopped, timeout=10)
    await rooms.admin.stop_file(room, file_id, secret=secret)
    assert (await stopped).file_id == "prompt"
    assert not await rooms.admin.is_playing(room, file_id, secret=secret)
    await ear_a.wait_hearing(FILE, heard=False)


async def test_rtp_forward_delivers_the_mix(
    janus_handle_factory: HandleFactory, rooms: Rooms, ears: EarMaker, secret: str
) -> None:
    room = await rooms.create(sampling_rate=48000)
    await participant(janus_handle_factory, ears(), room, frequency=ALICE, display="a")
    async with RtpReceiver(codec="opus") as receiver:
        forwarded = await rooms.admin.rtp_forward(
            room, host="127.0.0.1", port=receiver.port, ptype=111, secret=secret
        )
        assert forwarded.port == receiver.port and forwarded.room == room
        (listed,) = await rooms.admin.list_forwarders(room, secret=secret)
        assert listed.stream_id == forwarded.stream_id
        assert (listed.ip, listed.port, listed.codec, listed.ptype) == (
            "127.0.0.1",
            receiver.port,
            "opus",
            111,
        )

        def heard() -> bool:
            frames = list(receiver.frames)[-50:]
            return len(frames) >= 25 and tone_strength(mono_samples(frames), 48000, ALICE) > 0.5

        await poll_until(heard, timeout=10)
        assert receiver.payload_types == {111}
        await rooms.admin.stop_rtp_forward(room, forwarded.stream_id, secret=secret)
        assert await rooms.admin.list_forwarders(room, secret=secret) == ()


async def test_a_plain_rtp_participant_joins_hears_and_is_heard(
    janus_handle_factory: HandleFactory, rooms: Rooms, ears: EarMaker
) -> None:
    room = await rooms.create(sampling_rate=48000, allow_rtp_participants=True)
    alice_ear = ears()
    await participant(janus_handle_factory, alice_ear, room, frequency=ALICE, display="a")
    plain = await janus_handle_factory(AudioBridgeHandle)
    async with RtpReceiver(codec="opus") as receiver:
        joined = await plain.join(
            room,
            display="rtp",
            rtp=RtpParticipant(ip="127.0.0.1", port=receiver.port, payload_type=111),
        )
        assert joined.rtp is not None and joined.rtp.ip == "127.0.0.1" and joined.rtp.port > 0
        assert plain.peer_connection is None  # no WebRTC at all
        tone = ToneAudioTrack(frequency=PLAIN)
        pt = joined.rtp.payload_type or 111
        # Symmetric RTP: Janus takes packets only from where it sends the mix.
        async with RtpSource(
            tone, host=joined.rtp.ip, port=joined.rtp.port, payload_type=pt, via=receiver
        ):
            await alice_ear.wait_hearing(PLAIN)  # what it sends is mixed

            def hears_alice() -> bool:  # and it gets the mix by plain RTP
                frames = list(receiver.frames)[-50:]
                return len(frames) >= 25 and tone_strength(mono_samples(frames), 48000, ALICE) > 0.3

            await poll_until(hears_alice, timeout=10)
        tone.stop()


async def test_changeroom_moves_a_participant(
    janus_handle_factory: HandleFactory, rooms: Rooms, ears: EarMaker
) -> None:
    first = await rooms.create(sampling_rate=48000)
    second = await rooms.create(sampling_rate=48000)
    bob_ear = ears()
    bob = await participant(janus_handle_factory, bob_ear, second, frequency=BOB, display="b")
    alice = await participant(janus_handle_factory, ears(), first, frequency=ALICE, display="a")
    leaving = alice.wait_for(Leaving, timeout=10)  # not for alice: nobody else in first
    leaving.cancel()
    arrived = bob.wait_for(ParticipantsJoined, timeout=10)
    changed = await alice.change_room(second, display="a2")
    assert isinstance(changed, RoomChanged) and changed.room == second
    assert [p.display for p in changed.participants] == ["b"]
    assert alice.room == second and alice.participant_id == changed.id
    assert [p.display for p in (await arrived).participants] == ["a2"]
    assert await rooms.admin.list_participants(first) == ()
    await bob_ear.wait_hearing(ALICE)  # same PeerConnection, new room


async def test_kick_and_kick_all_take_participants_out(
    janus_handle_factory: HandleFactory, rooms: Rooms, ears: EarMaker, secret: str
) -> None:
    room = await rooms.create(sampling_rate=48000)
    alice_ear = ears()
    alice = await participant(janus_handle_factory, alice_ear, room, frequency=None, display="a")
    bob = await participant(janus_handle_factory, ears(), room, frequency=BOB, display="b")
    await alice_ear.wait_hearing(BOB)
    bob_id = bob.participant_id
    assert bob_id is not None
    seen = alice.wait_for(Kicked, timeout=10)
    await rooms.admin.kick(room, bob_id, secret=secret)
    assert (await seen).id == bob_id
    await poll_until(lambda: bob.peer_connection is None, timeout=10)  # Janus closed it
    assert bob.room is None
    await alice_ear.wait_hearing(BOB, heard=False)
    await bob.join(room, display="b")  # a kick does not ban: the same handle joins again
    await bob.wait_connected(timeout=10)
    await alice_ear.wait_hearing(BOB)
    everyone = [h.wait_for(KickedAll, timeout=10) for h in (alice, bob)]
    await rooms.admin.kick_all(room, secret=secret)
    for waiter in everyone:
        await waiter
    await poll_until(lambda: alice.room is None and bob.room is None, timeout=10)


async def test_destroying_the_room_tells_the_participants(
    janus_handle_factory: HandleFactory, rooms: Rooms, ears: EarMaker, secret: str
) -> None:
    room = await rooms.create()
    alice = await participant(janus_handle_factory, ears(), room, frequency=ALICE, display="a")
    destroyed = alice.wait_for(RoomDestroyed, timeout=10)
    await rooms.admin.destroy_room(room, secret=secret)
    assert (await destroyed).room == room
    assert alice.room is None


def _socket_fds() -> int:
    count = 0
    for fd in os.listdir("/proc/self/fd"):
        try:
            count += os.readlink(f"/proc/self/fd/{fd}").startswith("socket:")
        except OSError:
            continue
    return count


async def test_hangup_and_detach_release_everything_and_the_handle_joins_again(
    rooms: Rooms, ears: EarMaker, secret: str
) -> None:
    room = await rooms.create(sampling_rate=48000)
    other = await rooms.create(sampling_rate=48000)
    session = rooms.admin.session
    sockets_before = _socket_fds()
    tasks_before = set(asyncio.all_tasks())
    handle = await session.attach(AudioBridgeHandle)
    handle.configure_rtc(rooms.admin.rtc_configuration)
    tone = ToneAudioTrack(frequency=ALICE)
    handle.add_track(tone)
    ear = ears()
    pcs = []
    for target in (room, other):
        ear.listen(handle)  # a sink serves one call: give it for each
        await handle.join(target, display="a")
        await handle.wait_connected(timeout=10)
        await ear.wait_frames(25)
        assert handle.peer_connection is not None
        pcs.append(weakref.ref(handle.peer_connection))
        hung_up = await handle.plugin_hangup()
        assert isinstance(hung_up, HangingUp)
        assert handle.peer_connection is None
        # Janus 1.1.2 takes a participant whose media closed out of the room.
        assert handle.room is None
        async with asyncio.timeout(5):  # Janus answers before its thread removed it
            while True:
                if await rooms.admin.list_participants(target) == ():
                    break
                await asyncio.sleep(0.05)
    # The core hangup too, then detach.
    ear.listen(handle)
    await handle.join(room, display="a")
    await ear.wait_frames(25)
    await handle.hangup()
    assert handle.peer_connection is None
    await handle.detach()
    assert tone.readyState == "ended"
    del ear

    def released() -> bool:
        gc.collect()
        return (
            all(ref() is None for ref in pcs)
            and _socket_fds() <= sockets_before
            and set(asyncio.all_tasks()) <= tasks_before | {asyncio.current_task()}
        )

    await poll_until(released, timeout=10)
