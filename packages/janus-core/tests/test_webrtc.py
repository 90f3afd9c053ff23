"""WebRTCHandle: pure helpers without a server, then real media against the fixture's Janus.

The server tests use the generic handle on Janus's EchoTest and TextRoom plugins (no plugin
package needed), over WebSocket and HTTP.
"""

from __future__ import annotations

import asyncio
import gc
import json
import os
import threading
import weakref
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any, ClassVar

import aioice.ice
import pytest
from aiortc import RTCConfiguration, RTCPeerConnection
from pyee.asyncio import AsyncIOEventEmitter

import janus_webrtc
from janus_webrtc import (
    DataChannel,
    DataChannelMessage,
    Jsep,
    StateError,
    Trickle,
    WebRTCHandle,
)
from janus_webrtc.media import (
    EchoLatencyProbe,
    FrameCounter,
    TestPatternVideoTrack,
    ToneAudioTrack,
    read_frame_number,
)
from janus_webrtc.webrtc import _ice
from janus_webrtc.webrtc_sdp import candidate_address, media_sections, sdp_candidates

ANSWER_WITH_REJECTED_VIDEO = """v=0
o=- 1 1 IN IP4 127.0.0.1
s=-
t=0 0
m=audio 9 UDP/TLS/RTP/SAVPF 111
a=mid:0
a=sendrecv
a=rtpmap:111 opus/48000/2
a=candidate:1 1 udp 2015363583 127.0.0.2 25571 typ host
a=end-of-candidates
m=video 0 UDP/TLS/RTP/SAVPF 0
a=inactive
a=mid:1
"""


# -- pure helpers -----------------------------------------------------------------------------


def test_media_sections_read_kinds_ports_and_candidates() -> None:
    audio, video = media_sections(ANSWER_WITH_REJECTED_VIDEO)
    assert (audio.kind, audio.mid, audio.direction, audio.codecs) == (
        "audio",
        "0",
        "sendrecv",
        ("opus",),
    )
    assert not audio.rejected
    assert (video.kind, video.mid, video.direction) == ("video", "1", "inactive")
    assert video.rejected
    assert sdp_candidates(ANSWER_WITH_REJECTED_VIDEO) == [
        "candidate:1 1 udp 2015363583 127.0.0.2 25571 typ host"
    ]


def test_candidate_address() -> None:
    assert candidate_address("candidate:1 1 udp 2015363583 127.0.0.2 25571 typ host") == "127.0.0.2"
    assert candidate_address("a=candidate:1 1 udp 1 10.0.0.1 9 typ host") == "10.0.0.1"
    assert candidate_address("garbage") is None


async def test_test_pattern_carries_its_frame_number() -> None:
    track = TestPatternVideoTrack(width=160, height=120, fps=100)
    try:
        numbers = []
        for _ in range(3):
            frame = await track.recv()
            assert (frame.width, frame.height) == (160, 120)
            numbers.append(read_frame_number(frame))
        assert numbers == [0, 1, 2]
        assert track.sent_at(2) is not None
        assert track.sent_at(99) is None
        assert track.frames_sent == 3
    finally:
        track.stop()


@pytest.mark.parametrize(("width", "height"), [(176, 144), (128, 96), (320, 240)])
async def test_test_pattern_makes_frames_of_sizes_with_padded_rows(width: int, height: int) -> None:
    # 176x144 (QCIF): libav pads its 88-byte chroma rows to 96; no frame was made before.
    track = TestPatternVideoTrack(width=width, height=height, fps=100)
    try:
        for number in range(2):
            frame = await track.recv()
            assert (frame.width, frame.height) == (width, height)
            assert read_frame_number(frame) == number
            assert set(bytes(frame.planes[1])[: width // 2]) == {128}
    finally:
        track.stop()


async def test_tone_frames_have_samples_in_real_time() -> None:
    track = ToneAudioTrack(sample_rate=48000, ptime=0.02)
    try:
        loop = asyncio.get_running_loop()
        start = loop.time()
        frames = [await track.recv() for _ in range(6)]
        assert 0.08 <= loop.time() - start < 0.5  # paced: 5 periods of 20 ms after the first
        assert all(f.samples == 960 and f.sample_rate == 48000 for f in frames)
        assert [f.pts for f in frames] == [i * 960 for i in range(6)]
    finally:
        track.stop()


async def test_frame_counter_reads_tracks_added_before_and_after_start() -> None:
    counter = FrameCounter()
    audio = ToneAudioTrack(ptime=0.01)
    video = TestPatternVideoTrack(fps=100)
    counter.addTrack(audio)
    await counter.start()
    counter.addTrack(video)
    try:
        await counter.wait_frames("audio", 3, timeout=5)
        figures = await counter.wait_frames("video", 3, timeout=5)
        assert (figures.width, figures.height) == (160, 120)
        assert counter.count("audio").samples >= 3 * 480
    finally:
        await counter.stop()
        await counter.stop()
        audio.stop()
        video.stop()


class _FakeChannel(AsyncIOEventEmitter):  # type: ignore[misc]
    def __init__(self, label: str) -> None:
        super().__init__()
        self.label = label
        self.readyState = "connecting"
        self.sent: list[str | bytes] = []

    def send(self, data: str | bytes) -> None:
        assert self.readyState == "open"
        self.sent.append(data)

    def close(self) -> None:
        self.readyState = "closed"
        self.emit("close")


async def test_data_channel_queues_until_open_and_publishes_messages() -> None:
    events: list[object] = []
    rtc = _FakeChannel("chat")
    channel = DataChannel(rtc, events.append, max_queued=2)
    channel.send("one")
    channel.send(b"two")
    with pytest.raises(StateError, match="already wait"):
        channel.send("three")
    assert rtc.sent == []
    rtc.readyState = "open"
    rtc.emit("open")
    assert rtc.sent == ["one", b"two"]
    await channel.wait_open(timeout=1)
    rtc.emit("message", "hello")
    assert events[-1] == DataChannelMessage("chat", "hello")
    channel.close()
    channel.close()
    assert channel.ready_state == "closed"
    with pytest.raises(StateError, match="closed"):
        channel.send("late")
    assert [m async for m in channel.messages()] == [DataChannelMessage("chat", "hello")]


# -- against the real Janus -------------------------------------------------------------------


class EchoHandle(WebRTCHandle):
    """The generic WebRTC handle on Janus's EchoTest plugin."""

    plugin_id: ClassVar[str] = "janus.plugin.echotest"


class TextRoomHandle(WebRTCHandle):
    """The generic WebRTC handle on Janus's TextRoom plugin (Janus offers)."""

    plugin_id: ClassVar[str] = "janus.plugin.textroom"


NO_STUN = RTCConfiguration(iceServers=[])


@pytest.fixture
async def session(janus_url: str) -> AsyncIterator[janus_webrtc.Session]:
    async with (
        janus_webrtc.connect(janus_url) as connection,
        await connection.create_session() as created,
    ):
        yield created


async def attach_echo(session: janus_webrtc.Session) -> EchoHandle:
    handle = await session.attach(EchoHandle)
    handle.configure_rtc(NO_STUN)
    return handle


@pytest.mark.janus
async def test_client_offer_media_and_state(
    session: janus_webrtc.Session, janus_media_ice: str
) -> None:
    async with await attach_echo(session) as echo:
        assert echo.ice_state == "new"
        assert echo.peer_connection is None
        echo.add_track(ToneAudioTrack())
        pattern = TestPatternVideoTrack()
        echo.add_track(pattern)
        probe = EchoLatencyProbe(pattern)
        counter = echo.record_to(FrameCounter(on_frame=probe))
        assert isinstance(counter, FrameCounter)
        response = await echo.negotiate_offer({"audio": True, "video": True})
        assert response.jsep is not None
        # Trap 2: every candidate Janus gave is on the private ICE address.
        assert echo.remote_candidates
        assert echo.remote_candidate_addresses == {janus_media_ice}
        await echo.wait_connected(timeout=10)
        await echo.wait_webrtc_up(timeout=10)
        assert echo.connection_state == "connected"
        assert echo.ice_state == "completed"
        with pytest.raises(StateError, match="already has a peer connection"):
            echo.configure_rtc(None)
        video = await counter.wait_frames("video", 10, timeout=10)
        assert (video.width, video.height) == (160, 120)
        assert (await counter.wait_frames("audio", 10, timeout=10)).samples > 0
        median = probe.median()
        assert median is not None
        assert 0 < median < 1.0  # each echoed frame matched with its sending time
        stats = await echo.stats()
        assert stats.connection_state == "connected"
        assert all(s.packets > 0 for s in stats.streams)
        assert {(s.kind, s.direction) for s in stats.streams} == {
            ("audio", "outbound"),
            ("audio", "inbound"),
            ("video", "outbound"),
            ("video", "inbound"),
        }
        assert all(s.jitter is not None for s in stats.inbound())
        # Janus's sender reports to an EchoTest peer carry no report blocks, so aiortc has
        # no RTCP round-trip time here; when it has one, it is a duration.
        assert stats.round_trip_time is None or stats.round_trip_time >= 0
        assert set(stats.as_dict()) == {
            "timestamp",
            "ice_state",
            "connection_state",
            "streams",
            "transport",
        }
    assert echo.detached
    assert echo.peer_connection is None


@pytest.mark.janus
async def test_media_receiving_on_and_off_per_kind(
    session: janus_webrtc.Session, janus_media_ice: str
) -> None:
    async with await attach_echo(session) as echo:
        tone = ToneAudioTrack()
        echo.add_track(tone)
        echo.add_track(TestPatternVideoTrack())
        echo.blackhole()
        assert echo.media_receiving() is None
        await echo.negotiate_offer({"audio": True, "video": True})
        await echo.wait_media("audio", timeout=10)
        await echo.wait_media("video", mid="1", timeout=10)
        assert echo.media_receiving("audio") is True
        echo.replace_track(tone, None)  # stop sending audio, without renegotiating
        assert tone.readyState == "ended"
        await echo.wait_media("audio", receiving=False, timeout=10)
        assert echo.media_receiving("audio") is False
        assert echo.media_receiving("video") is True
        assert echo.media_receiving() is True  # any kind
        await echo.hangup()
        assert echo.media_receiving() is None


@pytest.mark.janus
async def test_candidates_trickled_before_the_remote_description_are_kept(
    session: janus_webrtc.Session, janus_media_ice: str
) -> None:
    async with await attach_echo(session) as echo:
        early = f"candidate:9 1 udp 2015363583 {janus_media_ice} 9 typ host"
        echo._message_received(
            {
                "janus": "trickle",
                "session_id": session.id,
                "sender": echo.id,
                "candidate": {"candidate": early, "sdpMid": "0", "sdpMLineIndex": 0},
            }
        )  # before any peer connection exists
        echo.add_receiver("audio")  # a peer connection, no remote description yet
        echo._message_received(
            {
                "janus": "trickle",
                "session_id": session.id,
                "sender": echo.id,
                "candidate": {"completed": True},
            }
        )
        assert early in echo.remote_candidates
        assert len(echo._call.pending_candidates) == 2
        echo.add_track(ToneAudioTrack())
        echo.blackhole()
        await echo.negotiate_offer({"audio": True})
        assert echo._call.pending_candidates == []  # applied after the answer
        await echo.wait_connected(timeout=10)


@pytest.mark.janus
async def test_janus_offer_answered_with_a_data_channel(
    session: janus_webrtc.Session, janus_media_ice: str
) -> None:
    handle = await session.attach(TextRoomHandle)
    handle.configure_rtc(NO_STUN)
    async with handle:
        response = await handle.send({"request": "setup"})
        assert response.jsep is not None
        assert response.jsep.type == "offer"
        acked = await handle.accept_offer(response.jsep, {"request": "ack"})
        assert acked.data.get("result") == "ok"
        assert handle.remote_candidate_addresses == {janus_media_ice}
        channel = handle.create_data_channel("JanusDataChannel")
        channel.send(json.dumps({"textroom": "list", "transaction": "t1"}))  # queued
        assert (await handle.data_channel("JanusDataChannel")) is channel
        await channel.wait_open(timeout=10)
        async with asyncio.timeout(10):
            async for message in channel.messages():
                assert isinstance(message, DataChannelMessage)
                assert isinstance(message.data, str)
                reply = json.loads(message.data)
                assert reply["transaction"] == "t1"
                assert reply["textroom"] == "success"
                break
    assert channel.ready_state == "closed"


@pytest.mark.janus
async def test_rtc_configuration_defaults_to_the_connections(janus_url: str) -> None:
    async with janus_webrtc.connect(janus_url) as connection:
        session = await connection.create_session()
        plain = await session.attach(EchoHandle)
        assert plain.rtc_configuration is None  # aiortc's default (public STUN)
        connection.rtc_configuration = NO_STUN  # type: ignore[attr-defined]
        configured = await session.attach(EchoHandle)
        assert configured.rtc_configuration is NO_STUN
        configured.configure_rtc(None)
        assert configured.rtc_configuration is None
        await session.destroy()
    assert plain.detached
    assert configured.detached


@pytest.fixture
def fast_consent(monkeypatch: pytest.MonkeyPatch) -> float:
    """aioice checks consent every 0.2 s (not 5 s): stale ICE credentials fail in ~1.5 s."""
    monkeypatch.setattr(aioice.ice, "CONSENT_INTERVAL", 0.2)
    return 0.2 * 1.2 * aioice.ice.CONSENT_FAILURES


def _ufrag(sdp: str) -> str:
    return next(line for line in sdp.splitlines() if line.startswith("a=ice-ufrag:"))


@pytest.mark.janus
async def test_ice_restart_from_this_side(
    session: janus_webrtc.Session, janus_media_ice: str, fast_consent: float
) -> None:
    async with await attach_echo(session) as echo:
        echo.add_track(ToneAudioTrack())
        counter = echo.record_to(FrameCounter())
        assert isinstance(counter, FrameCounter)
        first = await echo.negotiate_offer({"audio": True})
        await counter.wait_frames("audio", 5, timeout=10)
        pc = echo.peer_connection
        assert pc is not None
        assert first.jsep is not None
        before_local = _ufrag(pc.localDescription.sdp)
        restarted = await echo.restart_ice({"audio": True})
        assert restarted.jsep is not None
        assert echo.peer_connection is pc  # same peer connection, DTLS and media
        assert _ufrag(pc.localDescription.sdp) != before_local
        assert _ufrag(restarted.jsep.sdp) != _ufrag(first.jsep.sdp)  # Janus restarted too
        frames = counter.frames("audio")
        await asyncio.sleep(fast_consent + 1.0)  # stale credentials would have failed by now
        await counter.wait_frames("audio", frames + 50)  # and media still flows
        assert echo.ice_state == "completed"


@pytest.mark.janus
async def test_ice_restart_from_janus_is_followed(
    session: janus_webrtc.Session, janus_media_ice: str, fast_consent: float
) -> None:
    handle = await session.attach(TextRoomHandle)
    handle.configure_rtc(NO_STUN)
    async with handle:
        setup = await handle.send({"request": "setup"})
        assert setup.jsep is not None
        await handle.accept_offer(setup.jsep, {"request": "ack"})
        channel = handle.create_data_channel("JanusDataChannel")
        await channel.wait_open(timeout=10)
        restart = await handle.send({"request": "restart"})  # Janus offers new credentials
        assert restart.jsep is not None
        assert _ufrag(restart.jsep.sdp) != _ufrag(setup.jsep.sdp)
        await handle.accept_offer(restart.jsep, {"request": "ack"})
        pc = handle.peer_connection
        assert pc is not None
        # aiortc would keep Janus's old credentials, refuse Janus's checks and lose the
        # connection when Janus's consent expires (about 30 s): the new ones must be in use.
        janus_ufrag = _ufrag(restart.jsep.sdp).removeprefix("a=ice-ufrag:")
        assert [c.remote_username for c in _ice.ice_connections(pc)] == [janus_ufrag]
        await asyncio.sleep(fast_consent + 1.0)
        assert channel.is_open
        channel.send(json.dumps({"textroom": "list", "transaction": "after-restart"}))
        async with asyncio.timeout(5):
            async for message in channel.messages():
                assert isinstance(message, DataChannelMessage)
                assert isinstance(message.data, str)
                assert json.loads(message.data)["transaction"] == "after-restart"
                break


@pytest.mark.janus
async def test_answer_rejects_a_jsep_of_the_wrong_type(session: janus_webrtc.Session) -> None:
    async with await attach_echo(session) as echo:
        with pytest.raises(janus_webrtc.ProtocolError, match="expected an offer"):
            await echo.answer(Jsep(type="answer", sdp="v=0\r\n"))
        with pytest.raises(StateError, match="made no offer"):
            await echo.apply_answer(Jsep(type="answer", sdp="v=0\r\n"))
        with pytest.raises(StateError, match="no call up"):
            await echo.restart_ice({"audio": True})
        with pytest.raises(StateError, match="no track"):
            await echo.negotiate_offer({"audio": True})


@pytest.mark.janus
async def test_answer_puts_local_tracks_on_the_offers_m_lines(
    session: janus_webrtc.Session,
) -> None:
    offerer = RTCPeerConnection(NO_STUN)
    try:
        offerer.addTransceiver("audio", direction="sendrecv")
        await offerer.setLocalDescription(await offerer.createOffer())
        offer = Jsep(type="offer", sdp=offerer.localDescription.sdp)
        async with await attach_echo(session) as echo:
            tone, pattern = ToneAudioTrack(), TestPatternVideoTrack(width=160, height=120)
            echo.add_track(tone)
            echo.add_track(pattern)
            with pytest.raises(janus_webrtc.UnanswerableOfferError) as refused:
                await echo.answer(offer)
            assert isinstance(refused.value, ValueError)
            assert refused.value.kinds == ("video",)
            assert "offers no video" in str(refused.value)
            assert echo.peer_connection is None  # checked before anything was applied
            echo.remove_track(pattern)
            answer = await echo.answer(offer)
            (audio,) = media_sections(answer.sdp)
            assert (audio.kind, audio.direction) == ("audio", "sendrecv")
            assert echo.peer_connection is not None
            (transceiver,) = echo.peer_connection.getTransceivers()
            assert transceiver.sender.track is not None
    finally:
        await offerer.close()


@pytest.mark.janus
async def test_answers_bundle_every_m_line_on_one_transport(
    session: janus_webrtc.Session,
) -> None:
    offerer = RTCPeerConnection(NO_STUN)
    try:
        for kind in ("audio", "video", "video"):  # what a VideoRoom subscription offers
            offerer.addTransceiver(kind, direction="sendonly")
        await offerer.setLocalDescription(await offerer.createOffer())
        offer = Jsep(type="offer", sdp=offerer.localDescription.sdp)
        async with await attach_echo(session) as echo:
            await echo.answer(offer)
            assert echo.peer_connection is not None
            audio, video, second_video = echo.peer_connection.getTransceivers()
            # With aiortc's default policy the second video would stay on a transport that
            # is discarded when the first is bundled with the audio.
            assert audio.receiver.transport is video.receiver.transport
            assert second_video.receiver.transport is audio.receiver.transport
            assert echo.rtc_configuration is NO_STUN  # as given
    finally:
        await offerer.close()


@pytest.mark.janus
async def test_a_data_channel_created_before_the_tracks_is_bundled_with_them(
    session: janus_webrtc.Session, janus_media_ice: str
) -> None:
    async with await attach_echo(session) as echo:
        channel = echo.create_data_channel("first")  # the peer connection exists now
        echo.add_track(ToneAudioTrack())
        await echo.negotiate_offer({"audio": True})
        await echo.wait_connected(timeout=10)
        await channel.wait_open(timeout=10)


class PluginHangupHandle(EchoHandle):
    """A handle whose hangup() means something else to its plugin (as VideoCall's does)."""

    plugin_hangups = 0

    async def hangup(self, *, timeout: float | None = None) -> None:
        self.plugin_hangups += 1
        await super().hangup(timeout=timeout)


@pytest.mark.janus
async def test_restart_media_uses_janus_core_hangup_not_the_subclass_one(
    session: janus_webrtc.Session, janus_media_ice: str
) -> None:
    handle = await session.attach(PluginHangupHandle)
    handle.configure_rtc(NO_STUN)
    async with handle:
        handle.add_track(ToneAudioTrack())
        await handle.negotiate_offer({"audio": True})
        await handle.wait_connected(timeout=10)
        first = handle.peer_connection
        await handle.restart_media({"audio": True})
        assert handle.plugin_hangups == 0
        assert handle.peer_connection is not None and handle.peer_connection is not first
        await handle.wait_connected(timeout=10)


def closed_event(pc: RTCPeerConnection) -> asyncio.Event:
    """An event set when ``pc`` reaches the ``closed`` state."""
    closed = asyncio.Event()

    def on_state() -> None:
        if pc.connectionState == "closed":
            closed.set()

    pc.on("connectionstatechange", on_state)
    return closed


@pytest.mark.janus
async def test_a_close_cut_by_detach_finishes_without_task_errors(
    session: janus_webrtc.Session, janus_media_ice: str
) -> None:
    loop = asyncio.get_running_loop()
    reported: list[dict[str, Any]] = []
    previous = loop.get_exception_handler()
    loop.set_exception_handler(lambda _loop, context: reported.append(context))
    try:
        for yields in range(8):  # cut aiortc's close() at each of its first steps
            echo = await attach_echo(session)
            echo.add_track(ToneAudioTrack())
            echo.add_track(TestPatternVideoTrack(width=160, height=120))
            await echo.negotiate_offer({"audio": True, "video": True})
            await echo.wait_connected(timeout=10)
            pc = echo.peer_connection
            assert pc is not None
            closed = closed_event(pc)
            # What Janus's hangup does, cancelled (as a detach does) inside aiortc's close().
            closing = asyncio.create_task(echo._close_pc("Janus hung up", only=pc))
            for _ in range(yields):
                await asyncio.sleep(0)
            closing.cancel()
            await asyncio.gather(closing, return_exceptions=True)
            await echo.detach()
            async with asyncio.timeout(5):
                await closed.wait()  # the close went on to its end
            await asyncio.sleep(0.1)
            gc.collect()
            await asyncio.sleep(0)
    finally:
        loop.set_exception_handler(previous)
    assert reported == []


@pytest.mark.janus
async def test_trickle_events_are_still_published(session: janus_webrtc.Session) -> None:
    async with await attach_echo(session) as echo:
        queue = echo.subscribe(Trickle)
        echo._message_received(
            {
                "janus": "trickle",
                "session_id": session.id,
                "sender": echo.id,
                "candidate": {"completed": True},
            }
        )
        assert queue.get_nowait() == Trickle(candidate=None, completed=True)


# -- the leak test ----------------------------------------------------------------------------


def _udp_inodes() -> set[str]:
    inodes: set[str] = set()
    for table in ("/proc/net/udp", "/proc/net/udp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        inodes.update(line.split()[9] for line in lines if len(line.split()) > 9)
    return inodes


def _fds() -> dict[str, str]:
    found: dict[str, str] = {}
    for name in os.listdir("/proc/self/fd"):
        try:
            found[name] = os.readlink(f"/proc/self/fd/{name}")
        except OSError:
            continue
    return found


def _open_files() -> set[str]:
    """Regular files open in this process (not sockets, pipes or devices)."""
    return {t for t in _fds().values() if t.startswith("/") and not t.startswith("/dev/")}


def _udp_sockets() -> set[str]:
    udp = _udp_inodes()
    return {
        target
        for target in _fds().values()
        if target.startswith("socket:[") and target[8:-1] in udp
    }


def _threads() -> set[threading.Thread]:
    """Live threads, except the event loop's shared executor (used by getaddrinfo)."""
    return {t for t in threading.enumerate() if not t.name.startswith("asyncio_")}


async def _settled(check: Any, timeout: float = 5.0) -> None:
    async with asyncio.timeout(timeout):
        while True:
            gc.collect()
            if check():
                return
            await asyncio.sleep(0.05)


@pytest.mark.janus
async def test_no_leak_after_20_calls_and_20_attachments(
    janus_url: str, janus_media_ice: str
) -> None:
    await asyncio.sleep(0)
    gc.collect()
    tasks_before = set(asyncio.all_tasks())
    udp_before = _udp_sockets()
    files_before = _open_files()
    threads_before = _threads()
    peer_connections: list[weakref.ref[RTCPeerConnection]] = []
    tracks: list[weakref.ref[Any]] = []

    async with (
        janus_webrtc.connect(janus_url) as connection,
        await connection.create_session() as session,
    ):
        # 20 start/hangup cycles on one handle.
        echo = await attach_echo(session)
        tone = ToneAudioTrack()
        echo.add_track(tone)
        for cycle in range(20):
            counter = echo.record_to(FrameCounter())
            assert isinstance(counter, FrameCounter)
            await echo.negotiate_offer({"audio": True})
            try:
                await counter.wait_frames("audio", 2, timeout=10)
            except TimeoutError:
                pytest.fail(f"call {cycle}: no echo, ICE {echo.ice_state}")
            assert echo.peer_connection is not None
            peer_connections.append(weakref.ref(echo.peer_connection))
            await echo.hangup()
            assert echo.peer_connection is None
        assert tone.readyState == "live"  # local media survives hangups
        await echo.detach()
        await echo.detach()
        assert tone.readyState == "ended"  # and is released with the handle
        del tone, counter

        # 20 attach/detach cycles, each with media and a data channel.
        for _ in range(20):
            handle = await attach_echo(session)
            video = TestPatternVideoTrack()
            handle.add_track(video)
            tracks.append(weakref.ref(video))
            channel = handle.create_data_channel("data")
            counter = handle.record_to(FrameCounter())
            assert isinstance(counter, FrameCounter)
            await handle.negotiate_offer({"video": True})
            await counter.wait_frames("video", 2, timeout=10)
            await channel.wait_open(timeout=10)
            assert handle.peer_connection is not None
            peer_connections.append(weakref.ref(handle.peer_connection))
            await handle.close()
            await handle.detach()
            assert channel.ready_state == "closed"
            del handle, video, channel, counter

    def clean() -> bool:
        return (
            all(ref() is None for ref in peer_connections)
            and all(ref() is None for ref in tracks)
            and not (set(asyncio.all_tasks()) - tasks_before - {asyncio.current_task()})
            and _udp_sockets() <= udp_before
            and _open_files() <= files_before
            and _threads() <= threads_before
        )

    try:
        await _settled(clean)
    except TimeoutError:
        alive = sum(ref() is not None for ref in peer_connections)
        tasks = set(asyncio.all_tasks()) - tasks_before - {asyncio.current_task()}
        pytest.fail(
            f"left behind: {alive} peer connections, tasks {tasks}, "
            f"UDP sockets {_udp_sockets() - udp_before}, files {_open_files() - files_before}, "
            f"threads {_threads() - threads_before}"
        )


def test_frame_counter_figures_by_kind_or_mid() -> None:
    counter = FrameCounter()
    assert counter.frames("audio") == 0 and counter.frames(mid="0") == 0
    assert counter.mids == ()
    with pytest.raises(ValueError, match="needs a kind or a mid"):
        counter.count()
