"""VideoRoom with real media against the Janus of the test fixture, over WebSocket and HTTP."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

import pytest

import janus_webrtc
from conftest import (
    MidFrames,
    poll_until,
    start_publisher,
)
from janus_videoroom import (
    AlreadyPublishedError,
    Configured,
    DisplayChanged,
    ForwardStream,
    Kicked,
    KickedOut,
    Leaving,
    Moderation,
    NotPublishedError,
    Publishers,
    PublisherStreamConfig,
    RemoteStream,
    StoppedTalking,
    StreamDescription,
    SubscriberStreamConfig,
    SubscribeStream,
    SwitchStream,
    Talking,
    Unpublished,
    UnsubscribeStream,
    Updated,
    VideoRoomMediaRejectedError,
    VideoRoomPublisher,
    VideoRoomSubscriber,
)
from janus_webrtc.media import FrameCounter, TestPatternVideoTrack, ToneAudioTrack
from janus_webrtc.testing import HandleFactory, JanusEndpoints, recorded_frames, wait_quiet

pytestmark = [pytest.mark.janus, pytest.mark.usefixtures("janus_media_ice")]


async def assert_stopped(frames: MidFrames, *mids: str, window: float = 1.0) -> None:
    """No (or hardly any) frames on ``mids`` for a whole ``window`` s, once in-flight ones are in.

    Frames still in flight, or decoded late on a busy machine, only make it wait for a later
    window; frames that keep coming fail it.
    """
    base = frames.snapshot()
    await wait_quiet(lambda: sum(frames.since(base, mid) for mid in mids), window=window)


async def assert_flowing(frames: MidFrames, mid: str, count: int, timeout: float = 10.0) -> None:
    await frames.wait(mid, frames.count(mid) + count, timeout=timeout)


async def test_one_subscription_receives_two_publishers(
    janus_session: janus_webrtc.Session,
    room: int,
    janus_media_ice: str,
    janus_handle_factory: HandleFactory,
) -> None:
    _, joined_a = await start_publisher(janus_handle_factory, room, display="alice")
    bob, joined_b = await start_publisher(
        janus_handle_factory, room, display="bob", width=128, height=96
    )
    assert {p.id for p in bob.publishers} == {joined_a.id}
    sub = await janus_handle_factory(VideoRoomSubscriber)
    counter = sub.record_to(FrameCounter())  # typed FrameCounter: counts per mid too
    attached = await sub.join(room, streams=[joined_a.id, joined_b.id])
    assert attached.jsep is not None and attached.jsep.type == "offer"
    assert [(s.type, s.feed_display) for s in attached.streams] == [
        ("audio", "alice"),
        ("video", "alice"),
        ("audio", "bob"),
        ("video", "bob"),
    ]
    await sub.wait_connected(timeout=10)
    # Janus offers candidates on the private ICE address only.
    assert sub.remote_candidate_addresses == {janus_media_ice}

    for feed, size in ((joined_a.id, (160, 120)), (joined_b.id, (128, 96))):
        assert feed is not None
        (audio,) = sub.mids_of(feed, "audio")
        (video,) = sub.mids_of(feed, "video")
        await counter.wait_frames("audio", 40, mid=audio)
        figures = await counter.wait_frames("video", 20, mid=video)
        assert (figures.width, figures.height) == size  # each m-line carries its publisher
        assert sub.feed_of(video) == feed
    assert set(counter.mids) == {s.mid for s in attached.streams}
    video_mids = [s.mid for s in attached.streams if s.type == "video" and s.mid is not None]
    assert counter.frames("video") == sum(counter.frames("video", mid=m) for m in video_mids)


async def test_unsubscribe_then_subscribe_again_renegotiates(
    janus_session: janus_webrtc.Session,
    room: int,
    mid_frames: MidFrames,
    janus_handle_factory: HandleFactory,
) -> None:
    _, joined_a = await start_publisher(janus_handle_factory, room, display="alice")
    _, joined_b = await start_publisher(
        janus_handle_factory, room, display="bob", width=128, height=96
    )
    assert joined_a.id is not None and joined_b.id is not None
    sub = await janus_handle_factory(VideoRoomSubscriber)
    mid_frames.watch(sub)
    await sub.join(room, streams=[joined_a.id, joined_b.id])
    video_a, video_b = sub.mids_of(joined_a.id, "video")[0], sub.mids_of(joined_b.id, "video")[0]
    await mid_frames.wait(video_b, 10)

    updated = await sub.unsubscribe_streams([UnsubscribeStream(feed=joined_b.id)])
    assert isinstance(updated, Updated)
    assert updated.jsep is not None  # a renegotiation, answered by the handle
    assert sub.mids_of(joined_b.id) == ()
    await assert_stopped(mid_frames, video_b)
    await assert_flowing(mid_frames, video_a, 15)

    published = sub.wait_for(Updated, timeout=10)  # made before: sees the answer as an event
    updated = await sub.subscribe_streams([SubscribeStream(feed=joined_b.id)])
    assert isinstance(updated, Updated)
    assert await published is updated
    (video_b,) = sub.mids_of(joined_b.id, "video")
    (audio_b,) = sub.mids_of(joined_b.id, "audio")
    await assert_flowing(mid_frames, video_b, 15)
    await assert_flowing(mid_frames, audio_b, 25)
    assert mid_frames.sizes[video_b] == (128, 96)


async def test_switch_feeds_an_m_line_from_another_publisher(
    janus_session: janus_webrtc.Session,
    room: int,
    mid_frames: MidFrames,
    janus_handle_factory: HandleFactory,
) -> None:
    _, joined_a = await start_publisher(janus_handle_factory, room, display="alice", audio=False)
    _, joined_b = await start_publisher(
        janus_handle_factory, room, display="bob", audio=False, width=128, height=96
    )
    assert joined_a.id is not None and joined_b.id is not None
    bob_video = "0"  # video only: mid 0 at the publisher
    sub = await janus_handle_factory(VideoRoomSubscriber)
    mid_frames.watch(sub)
    await sub.join(room, streams=[SubscribeStream(feed=joined_a.id, mid="0")])
    (mid,) = sub.mids_of(joined_a.id)
    await mid_frames.wait(mid, 10)
    assert mid_frames.sizes[mid] == (160, 120)

    switched = await sub.switch([SwitchStream(feed=joined_b.id, mid=bob_video, sub_mid=mid)])
    assert switched.changes == 1
    assert sub.feed_of(mid) == joined_b.id
    # Same m-line, no renegotiation: frames of the other feed.
    await poll_until(lambda: mid_frames.sizes[mid] == (128, 96), timeout=10)
    await assert_flowing(mid_frames, mid, 10)


async def test_pause_stops_and_start_resumes_frames(
    janus_session: janus_webrtc.Session,
    room: int,
    mid_frames: MidFrames,
    janus_handle_factory: HandleFactory,
) -> None:
    _, joined = await start_publisher(janus_handle_factory, room, display="alice")
    assert joined.id is not None
    sub = await janus_handle_factory(VideoRoomSubscriber)
    mid_frames.watch(sub)
    attached = await sub.join(room, streams=[joined.id], answer=False)
    assert attached.jsep is not None and sub.peer_connection is None
    await sub.start(offer=attached.jsep)  # answering by hand
    audio, video = sub.mids_of(joined.id, "audio")[0], sub.mids_of(joined.id, "video")[0]
    await mid_frames.wait(video, 10)

    await sub.pause()
    await assert_stopped(mid_frames, audio, video)
    await sub.start()
    await assert_flowing(mid_frames, video, 15)
    await assert_flowing(mid_frames, audio, 25)


async def test_configure_send_per_mid(
    janus_session: janus_webrtc.Session,
    room: int,
    mid_frames: MidFrames,
    janus_handle_factory: HandleFactory,
) -> None:
    alice, joined = await start_publisher(janus_handle_factory, room, display="alice")
    assert joined.id is not None
    sub = await janus_handle_factory(VideoRoomSubscriber)
    mid_frames.watch(sub)
    await sub.join(room, streams=[joined.id])
    audio, video = sub.mids_of(joined.id, "audio")[0], sub.mids_of(joined.id, "video")[0]
    await mid_frames.wait(video, 10)

    # Subscriber side: stop relaying one m-line only (layers are ignored without simulcast).
    off = SubscriberStreamConfig(mid=video, send=False, substream=0, temporal=0)
    assert isinstance(await sub.configure(streams=[off]), Configured)
    await assert_stopped(mid_frames, video)
    await assert_flowing(mid_frames, audio, 25)
    await sub.configure(streams=[SubscriberStreamConfig(mid=video, send=True)])
    await assert_flowing(mid_frames, video, 10)

    # Publisher side: stop relaying its audio to everyone.
    await alice.configure(streams=[PublisherStreamConfig(mid="0", send=False)])
    await assert_stopped(mid_frames, audio)
    await alice.configure(streams=[PublisherStreamConfig(mid="0", send=True)])
    await assert_flowing(mid_frames, audio, 25)

    # A renegotiation asked by the subscriber: Janus offers again, the handle answers.
    result = await sub.configure(update=True)
    assert result.jsep is not None and result.jsep.type == "offer"
    await assert_flowing(mid_frames, video, 10)


async def test_leave_and_kick_are_seen_by_the_others(
    janus_session: janus_webrtc.Session,
    admin: VideoRoomPublisher,
    room: int,
    secret: str,
    mid_frames: MidFrames,
    janus_handle_factory: HandleFactory,
) -> None:
    observer = await janus_handle_factory(VideoRoomPublisher)
    await observer.join(room, display="observer")
    alice, joined_a = await start_publisher(janus_handle_factory, room, display="alice")
    bob, joined_b = await start_publisher(janus_handle_factory, room, display="bob")
    assert joined_a.id is not None and joined_b.id is not None
    sub = await janus_handle_factory(VideoRoomSubscriber)
    mid_frames.watch(sub)
    await sub.join(room, streams=[joined_a.id, joined_b.id])
    video_b = sub.mids_of(joined_b.id, "video")[0]
    await mid_frames.wait(video_b, 10)
    assert {p.id for p in observer.publishers} == {joined_a.id, joined_b.id}

    left = observer.wait_for(Leaving, predicate=lambda e: e.id == joined_b.id, timeout=5)
    gone = observer.wait_for(Unpublished, predicate=lambda e: e.id == joined_b.id, timeout=5)
    renegotiated = sub.wait_for(Updated, timeout=5)
    await bob.leave()
    await left
    await gone
    await renegotiated  # Janus drops bob's m-lines from the subscription; answered at once
    assert {p.id for p in observer.publishers} == {joined_a.id}
    await assert_stopped(mid_frames, video_b)
    assert sub.mids_of(joined_b.id) == ()

    kicked = observer.wait_for(Kicked, predicate=lambda e: e.id == joined_a.id, timeout=5)
    kicked_out = alice.wait_for(KickedOut, timeout=5)
    await admin.kick(room, joined_a.id, secret=secret)
    await kicked
    await kicked_out
    assert [p.display for p in await admin.list_participants(room)] == ["observer"]


async def test_moderate_mutes_a_stream(
    janus_session: janus_webrtc.Session,
    admin: VideoRoomPublisher,
    room: int,
    secret: str,
    mid_frames: MidFrames,
    janus_handle_factory: HandleFactory,
) -> None:
    alice, joined = await start_publisher(janus_handle_factory, room, display="alice")
    assert joined.id is not None
    sub = await janus_handle_factory(VideoRoomSubscriber)
    mid_frames.watch(sub)
    await sub.join(room, streams=[joined.id])
    audio, video = sub.mids_of(joined.id, "audio")[0], sub.mids_of(joined.id, "video")[0]
    await mid_frames.wait(video, 10)
    # The publisher knows its own streams' mids: the subscriber's feed_mid agrees.
    (publisher_video,) = alice.mids("video")
    assert publisher_video == next(s.feed_mid for s in sub.streams if s.mid == video)
    assert {s.type for s in alice.streams} == {"audio", "video"}
    assert alice.mids() == tuple(s.mid for s in alice.streams)

    moderated = alice.wait_for(Moderation, timeout=5)
    await admin.moderate(room, joined.id, publisher_video, mute=True, secret=secret)
    event = await moderated
    assert (event.id, event.mid, event.muted) == (joined.id, publisher_video, True)
    await assert_stopped(mid_frames, video)
    await assert_flowing(mid_frames, audio, 25)  # only that stream is muted

    await admin.moderate(room, joined.id, publisher_video, mute=False, secret=secret)
    await alice.configure(keyframe=True)
    await assert_flowing(mid_frames, video, 10)


class _RtpCounter(asyncio.DatagramProtocol):
    def __init__(self) -> None:
        self.packets = 0
        self.payload_types: set[int] = set()

    def datagram_received(self, data: bytes, addr: tuple[str | object, ...]) -> None:
        if len(data) >= 12 and data[0] >> 6 == 2:  # RTP version 2
            self.packets += 1
            self.payload_types.add(data[1] & 0x7F)


async def test_rtp_forward_sends_rtp_until_stopped(
    janus_session: janus_webrtc.Session,
    admin: VideoRoomPublisher,
    room: int,
    secret: str,
    janus_handle_factory: HandleFactory,
) -> None:
    _, joined = await start_publisher(janus_handle_factory, room, display="alice", audio=False)
    assert joined.id is not None
    loop = asyncio.get_running_loop()
    transport, counter = await loop.create_datagram_endpoint(
        _RtpCounter, local_addr=("127.0.0.1", 0)
    )
    try:
        port = transport.get_extra_info("sockname")[1]
        forwarded = await admin.rtp_forward(
            room,
            joined.id,
            host="127.0.0.1",
            streams=[ForwardStream(mid="0", port=port, pt=100, ssrc=1234)],
            secret=secret,
        )
        (forwarder,) = forwarded.forwarders
        assert (forwarder.type, forwarder.port, forwarder.pt) == ("video", port, 100)
        listed = await admin.list_forwarders(room, secret=secret)
        assert [(p.publisher_id, [f.stream_id for f in p.forwarders]) for p in listed] == [
            (joined.id, [forwarder.stream_id])
        ]
        await poll_until(lambda: counter.packets >= 20, timeout=5)
        assert counter.payload_types == {100}

        await admin.stop_rtp_forward(room, joined.id, forwarder.stream_id, secret=secret)
        assert await wait_quiet(lambda: counter.packets, allowed=0) == 0
        assert await admin.list_forwarders(room, secret=secret) == ()
    finally:
        transport.close()


def _mjr_files(folder: Path, stem: str) -> list[Path]:
    """The recordings of ``stem`` in ``folder`` that hold frames already."""
    return [p for p in folder.glob(f"{stem}*.mjr") if recorded_frames(p) > 0]


async def test_recording_writes_mjr_files(
    janus_session: janus_webrtc.Session,
    admin: VideoRoomPublisher,
    janus_server: JanusEndpoints,
    secret: str,
    janus_handle_factory: HandleFactory,
) -> None:
    if janus_server.recordings_dir is None:
        pytest.skip("the server's recordings folder is unknown")
    folder = janus_server.recordings_dir / f"room-{uuid.uuid4().hex[:8]}"
    folder.mkdir()
    room = (await admin.create_room(secret=secret, rec_dir=str(folder))).room
    try:
        # enable_recording: every publisher of the room, into rec_dir.
        alice, _ = await start_publisher(janus_handle_factory, room, display="alice")
        assert await admin.enable_recording(room, record=True, secret=secret) is True
        await poll_until(lambda: len(_mjr_files(folder, "")) >= 2, timeout=15)  # audio, video
        assert await admin.enable_recording(room, record=False, secret=secret) is False
        # record/filename on configure: one publisher, to a file of its choice.
        # With a rec_dir, Janus puts the filename under it: give it relative.
        result = await alice.configure(record=True, filename="alice-own")
        assert isinstance(result, Configured)
        await poll_until(lambda: len(_mjr_files(folder, "alice-own")) >= 2, timeout=15)
        await alice.configure(record=False)
    finally:
        await admin.destroy_room(room, secret=secret)


async def test_publishing_twice_is_a_typed_error(
    janus_session: janus_webrtc.Session, room: int, janus_handle_factory: HandleFactory
) -> None:
    alice, _ = await start_publisher(janus_handle_factory, room, display="alice")
    with pytest.raises(AlreadyPublishedError) as caught:
        await alice.publish()
    assert caught.value.error_code == 434
    await alice.unpublish()
    assert alice.peer_connection is None
    with pytest.raises(NotPublishedError):
        await alice.unpublish()
    await alice.publish()  # publishing again after unpublish works
    await alice.wait_webrtc_up(timeout=10)


async def test_configure_display_descriptions_and_renegotiation(
    janus_session: janus_webrtc.Session,
    room: int,
    mid_frames: MidFrames,
    janus_handle_factory: HandleFactory,
) -> None:
    observer = await janus_handle_factory(VideoRoomPublisher)
    await observer.join(room, display="observer")
    alice = await janus_handle_factory(VideoRoomPublisher)
    alice.add_track(ToneAudioTrack())
    joined = await alice.join_and_configure(room, display="alice", descriptions={"0": "mic"})
    assert joined.jsep is not None and joined.jsep.type == "answer"
    await alice.wait_webrtc_up(timeout=10)

    renamed = observer.wait_for(DisplayChanged, timeout=5)
    await alice.configure(display="alice2", bitrate=128000, keyframe=True)
    assert (await renamed).display == "alice2"

    # Add video and renegotiate: the room hears of the new stream.
    announced = observer.wait_for(
        Publishers, predicate=lambda e: any(p.stream("video") for p in e.publishers), timeout=10
    )
    alice.add_track(TestPatternVideoTrack(width=160, height=120))
    result = await alice.configure(update=True, descriptions=[StreamDescription("1", "camera")])
    assert result.jsep is not None and result.jsep.type == "answer"
    (publisher,) = (await announced).publishers
    video = publisher.stream("video")
    assert video is not None and video.description == "camera"
    assert joined.id is not None
    sub = await janus_handle_factory(VideoRoomSubscriber)
    mid_frames.watch(sub)
    await sub.join(room, streams=[SubscribeStream(feed=joined.id, mid=video.mid)])
    await mid_frames.wait(sub.mids_of(joined.id, "video")[0], 10)


async def test_talking_events(
    janus_session: janus_webrtc.Session,
    admin: VideoRoomPublisher,
    janus_handle_factory: HandleFactory,
) -> None:
    room = (await admin.create_room(audiolevel_event=True, audio_active_packets=20)).room
    try:
        observer = await janus_handle_factory(VideoRoomPublisher)
        await observer.join(room)
        talking = observer.wait_for(Talking, timeout=10)
        alice = await janus_handle_factory(VideoRoomPublisher)
        tone = ToneAudioTrack(amplitude=0.5)
        alice.add_track(tone)
        joined = await alice.join(room)
        await alice.publish()
        event = await talking
        assert event.id == joined.id and event.talking
        assert event.audio_level is not None
        stopped = observer.wait_for(StoppedTalking, timeout=10)
        alice.replace_track(tone, ToneAudioTrack(amplitude=0.0))  # silence
        assert (await stopped).id == joined.id
    finally:
        await admin.destroy_room(room)


async def test_remote_publisher_relays_media_between_rooms(
    janus_session: janus_webrtc.Session,
    admin: VideoRoomPublisher,
    room: int,
    secret: str,
    mid_frames: MidFrames,
    janus_handle_factory: HandleFactory,
) -> None:
    _, joined = await start_publisher(janus_handle_factory, room, display="alice")
    assert joined.id is not None
    other = (await admin.create_room(secret=secret)).room
    try:
        # Janus 1.1.2 puts a remote publisher in its room from the publisher's own thread,
        # after answering add_remote_publisher: a subscriber joining before that gets 428
        # (No such feed). Its arrival is announced to the room's participants: wait for it.
        watcher = await janus_handle_factory(VideoRoomPublisher)
        await watcher.join(other, display="watcher")
        arrived = watcher.wait_for(
            Publishers,
            predicate=lambda e: any(p.display == "alice (remote)" for p in e.publishers),
            timeout=10,
        )
        remote = await admin.add_remote_publisher(
            other,
            display="alice (remote)",
            iface="127.0.0.1",
            streams=[
                RemoteStream(mid="0", mindex=0, type="audio", codec="opus"),
                RemoteStream(mid="1", mindex=1, type="video", codec="vp8"),
            ],
            secret=secret,
        )
        assert remote.port > 0
        await admin.publish_remotely(
            room,
            joined.id,
            remote_id="to-other",
            host="127.0.0.1",
            port=remote.port,
            rtcp_port=remote.rtcp_port,
            secret=secret,
        )
        (recipient,) = await admin.list_remotes(room, joined.id, secret=secret)
        assert (recipient.remote_id, recipient.port) == ("to-other", remote.port)
        assert [p.id for p in (await arrived).publishers] == [remote.id]

        sub = await janus_handle_factory(VideoRoomSubscriber)
        mid_frames.watch(sub)
        await sub.join(other, streams=[remote.id])
        await mid_frames.wait(sub.mids_of(remote.id, "video")[0], 15)
        await mid_frames.wait(sub.mids_of(remote.id, "audio")[0], 25)

        await admin.update_remote_publisher(
            other,
            remote.id,
            display="alice (renamed)",
            streams=[RemoteStream(mid="1", mindex=1, type="video", codec="vp8", description="cam")],
            secret=secret,
        )
        await admin.unpublish_remotely(room, joined.id, remote_id="to-other", secret=secret)
        assert await admin.list_remotes(room, joined.id, secret=secret) == ()
        dropped = sub.wait_for(Updated, timeout=5)  # its streams leave the subscription
        await admin.remove_remote_publisher(other, remote.id, secret=secret)
        await dropped
        assert sub.mids_of(remote.id) == ()
    finally:
        await admin.destroy_room(other, secret=secret)


async def test_publishing_a_codec_the_room_refuses_raises_media_rejected(
    janus_session: janus_webrtc.Session,
    admin: VideoRoomPublisher,
    secret: str,
    janus_handle_factory: HandleFactory,
) -> None:
    # aiortc offers VP8 and H.264 only; Janus answers an inactive m-line without codecs,
    # which aiortc refuses to apply (OperationError): the core translates it.
    room = (await admin.create_room(secret=secret, videocodec="vp9")).room
    try:
        alice = await janus_handle_factory(VideoRoomPublisher)
        async with alice:
            alice.add_track(TestPatternVideoTrack(width=160, height=120))
            await alice.join(room)
            with pytest.raises(
                VideoRoomMediaRejectedError, match="rejected offered media"
            ) as refused:
                await alice.publish()
            assert [s.kind for s in refused.value.rejected] == ["video"]
            assert alice.peer_connection is None  # the negotiation was undone
    finally:
        await admin.destroy_room(room, secret=secret)
