"""A room cascaded over several real Janus servers (Cascade), with media decoded on each.

The origin is the session's test server; three more private servers (VideoRoom only) are
started for the module. Every server gathers ICE on the same private address; the RTP between
the servers (remote publishers) stays on 127.0.0.1.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass

import pytest
from aiortc import RTCConfiguration

import janus_webrtc
from conftest import start_publisher
from janus_videoroom import (
    Cascade,
    CascadeState,
    Leaving,
    NoSuchRoomError,
    Publisher,
    Publishers,
    PublisherStream,
    RemoteStream,
    Updated,
    VideoRoomPublisher,
    VideoRoomSubscriber,
    remote_streams,
)
from janus_webrtc import StateError, admin
from janus_webrtc.events import EventWaiter
from janus_webrtc.media import FrameCounter, ToneAudioTrack
from janus_webrtc.testing import HandleMaker, JanusEndpoints, JanusServer

LOOPBACK = "127.0.0.1"
"""Where each server receives the RTP of the origin (``add_server(iface=...)``)."""

WAIT = 10.0
"""Seconds to wait for an event of Janus."""


# -- servers and sites ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def other_servers(janus_server: JanusEndpoints) -> Iterator[list[JanusEndpoints]]:
    """Three more private servers (VideoRoom only), ICE on the test server's address."""
    servers = [
        JanusServer(plugins=("videoroom",), ice_address=janus_server.ice_address) for _ in range(3)
    ]
    try:
        yield [server.start() for server in servers]
    finally:
        for server in servers:
            server.stop()


@dataclass
class Site:
    """One server as a test sees it: a connection, a session, and a viewer in the room.

    The viewer is a participant that never publishes: it hears the room's events there, as a
    viewer's application would.
    """

    endpoints: JanusEndpoints
    connection: janus_webrtc.Connection
    handles: HandleMaker
    viewer: VideoRoomPublisher

    def announced(self, display: str) -> EventWaiter[Publishers]:
        return self.viewer.wait_for(
            Publishers,
            predicate=lambda e: any(p.display == display for p in e.publishers),
            timeout=WAIT,
        )

    def left(self, feed: int | str) -> EventWaiter[Leaving]:
        return self.viewer.wait_for(Leaving, predicate=lambda e: e.id == feed, timeout=WAIT)

    async def subscribe(
        self, room: int, feed: int | str
    ) -> tuple[VideoRoomSubscriber, FrameCounter]:
        subscriber = await self.handles(VideoRoomSubscriber)
        counter = subscriber.record_to(FrameCounter())
        await subscriber.join(room, streams=[feed])
        return subscriber, counter

    async def participants(self, room: int) -> set[int | str]:
        return {p.id for p in await self.viewer.list_participants(room)}

    async def sessions(self) -> set[int]:
        async with admin.connect(
            self.endpoints.admin_ws_url, admin_secret=self.endpoints.admin_secret
        ) as api:
            return set(await api.list_sessions())


@pytest.fixture
async def sites(
    janus_server: JanusEndpoints, other_servers: list[JanusEndpoints]
) -> AsyncIterator[list[Site]]:
    """The origin (the test server) and the three others, each with a connection and a viewer."""
    async with contextlib.AsyncExitStack() as stack:
        made = []
        for endpoints in (janus_server, *other_servers):
            connection = await stack.enter_async_context(
                janus_webrtc.connect(
                    endpoints.ws_url, rtc_configuration=RTCConfiguration(iceServers=[])
                )
            )
            handles = HandleMaker(await connection.create_session())
            stack.push_async_callback(handles.aclose)
            made.append(Site(endpoints, connection, handles, await handles(VideoRoomPublisher)))
        yield made


@pytest.fixture
async def room(sites: list[Site], secret: str) -> AsyncIterator[int]:
    """A room with the same id (and secret) on every server; each viewer has joined it."""
    origin = sites[0].viewer
    created = (await origin.create_room(secret=secret, publishers=6)).room
    assert isinstance(created, int)
    for site in sites[1:]:
        await site.viewer.create_room(created, secret=secret, publishers=6)
    for site in sites:
        await site.viewer.join(created, display="viewer")
    yield created
    for site in sites:
        with contextlib.suppress(janus_webrtc.JanusError):
            await site.viewer.destroy_room(created, secret=secret)


async def assert_gone(site: Site, room: int, feed: int | str) -> None:
    """The feed is out of the room's participants (a bounded number of round trips)."""
    for _ in range(100):
        if feed not in await site.participants(room):
            return
    pytest.fail(f"{feed} is still a participant on {site.endpoints.ws_url}")


async def assert_decoded(counter: FrameCounter, subscriber: VideoRoomSubscriber, feed: int) -> None:
    """Video (160x120, as published) and audio frames of ``feed`` are decoded."""
    (video,) = subscriber.mids_of(feed, "video")
    (audio,) = subscriber.mids_of(feed, "audio")
    figures = await counter.wait_frames("video", counter.frames(mid=video) + 15, mid=video)
    assert (figures.width, figures.height) == (160, 120)
    await counter.wait_frames("audio", counter.frames(mid=audio) + 25, mid=audio)


# -- with media -------------------------------------------------------------------------------


@pytest.mark.janus
@pytest.mark.usefixtures("janus_media_ice")
async def test_a_publisher_of_the_origin_is_decoded_on_the_other_servers_until_it_unpublishes(
    sites: list[Site], room: int, secret: str, janus_media_ice: str
) -> None:
    origin, *others = sites[:3]
    async with Cascade(room, origin=origin.connection, secret=secret) as cascade:
        servers = [
            await cascade.add_server(site.connection, iface=LOOPBACK, secret=secret)
            for site in others
        ]
        assert cascade.servers == tuple(servers) and cascade.feeds == ()

        announced = [site.announced("alice") for site in others]
        alice, joined = await start_publisher(origin.handles, room, display="alice")
        feed = joined.id
        assert isinstance(feed, int)
        for waiter in announced:
            (publisher,) = (await waiter).publishers
            # The same id as on the origin; streams by the origin's m-line index.
            assert publisher.id == feed
            assert [(s.mid, s.type, s.codec) for s in publisher.streams] == [
                ("0", "audio", "opus"),
                ("1", "video", "vp8"),
            ]
        # The cascade's side: forwarding started too.
        assert await cascade.wait_cascaded(feed) == cascade.feeds
        assert {(f.publisher_id, f.server) for f in cascade.feeds} == {(feed, s) for s in servers}
        remotes = await origin.viewer.list_remotes(room, feed, secret=secret)
        assert {(r.host, r.port) for r in remotes} == {(LOOPBACK, f.port) for f in cascade.feeds}

        subscribers = []
        for site in others:
            subscriber, counter = await site.subscribe(room, feed)
            await subscriber.wait_connected(timeout=WAIT)
            assert subscriber.remote_candidate_addresses == {janus_media_ice}
            await assert_decoded(counter, subscriber, feed)
            subscribers.append(subscriber)

        # Unpublished on the origin: it leaves the room on the others, whose subscriptions
        # lose its streams; the origin keeps no remotization.
        left = [site.left(feed) for site in others]
        dropped = [s.wait_for(Updated, timeout=WAIT) for s in subscribers]
        await alice.unpublish()
        for waiter in (*left, *dropped):
            await waiter
        for site, subscriber in zip(others, subscribers, strict=True):
            assert subscriber.mids_of(feed) == ()
            await assert_gone(site, room, feed)
        assert cascade.feeds == () and cascade.publishers == ()
        assert await origin.viewer.list_remotes(room, feed, secret=secret) == ()

        # Published again: back on the others.
        announced = [site.announced("alice") for site in others]
        await alice.publish()
        await alice.wait_webrtc_up(timeout=WAIT)
        for waiter in announced:
            await waiter
        subscriber, counter = await others[0].subscribe(room, feed)
        await assert_decoded(counter, subscriber, feed)

        # Left the origin: gone everywhere.
        left = [site.left(feed) for site in others]
        await alice.leave()
        for waiter in left:
            await waiter
        assert cascade.feeds == ()
    assert cascade.state is CascadeState.CLOSED
    for site in others:  # only the test's viewer is left in the room
        await assert_gone(site, room, feed)
        assert await site.participants(room) == {site.viewer.participant_id}


@pytest.mark.janus
@pytest.mark.usefixtures("janus_media_ice")
async def test_a_server_joins_and_one_leaves_while_the_publisher_is_live(
    sites: list[Site], room: int, secret: str
) -> None:
    origin, second, _, fourth = sites
    _, joined = await start_publisher(origin.handles, room, display="alice")
    feed = joined.id
    assert isinstance(feed, int)
    async with Cascade(room, origin=origin.connection, secret=secret) as cascade:
        assert [p.id for p in cascade.publishers] == [feed]  # publishing before the cascade
        server = await cascade.add_server(second.connection, iface=LOOPBACK, secret=secret)
        # add_server returns once the feed is in the room there: subscribing works at once.
        subscriber, counter = await second.subscribe(room, feed)
        await assert_decoded(counter, subscriber, feed)

        await cascade.add_server(fourth.connection, iface=LOOPBACK, secret=secret)
        late_subscriber, late_counter = await fourth.subscribe(room, feed)
        await assert_decoded(late_counter, late_subscriber, feed)
        await assert_decoded(counter, subscriber, feed)  # the first server still gets it

        left = second.left(feed)
        await cascade.remove_server(server)
        await left
        assert [f.server.connection for f in cascade.feeds] == [fourth.connection]
        (remote,) = await origin.viewer.list_remotes(room, feed, secret=secret)
        assert remote.port == cascade.feeds[0].port
        await assert_decoded(late_counter, late_subscriber, feed)

        left = fourth.left(feed)
    # Closed with the publisher live: its remote publisher leaves, the publisher stays.
    await left
    await assert_gone(fourth, room, feed)
    assert await origin.viewer.list_remotes(room, feed, secret=secret) == ()
    assert feed in await origin.participants(room)
    with pytest.raises(StateError, match="is closed"):
        await cascade.add_server(second.connection)
    with pytest.raises(StateError, match="is closed"):
        await cascade.start()


@pytest.mark.janus
@pytest.mark.usefixtures("janus_media_ice")
async def test_a_stream_added_on_the_origin_is_added_on_the_other_servers(
    sites: list[Site], room: int, secret: str
) -> None:
    origin, _, third, _ = sites
    bob, joined = await start_publisher(origin.handles, room, display="bob", audio=False)
    feed = joined.id
    assert isinstance(feed, int)
    async with Cascade(room, origin=origin.connection, secret=secret) as cascade:
        await cascade.add_server(third.connection, iface=LOOPBACK, secret=secret)
        changed = third.viewer.wait_for(
            Publishers,
            predicate=lambda e: any(p.id == feed and len(p.streams) == 2 for p in e.publishers),
            timeout=WAIT,
        )
        bob.add_track(ToneAudioTrack())
        await bob.configure(update=True)  # renegotiated on the origin: a second m-line
        (publisher,) = (await changed).publishers
        assert [(s.mid, s.type, s.codec) for s in publisher.streams] == [
            ("0", "video", "vp8"),
            ("1", "audio", "opus"),
        ]
        subscriber, counter = await third.subscribe(room, feed)
        await assert_decoded(counter, subscriber, feed)


# -- without media ----------------------------------------------------------------------------


@pytest.mark.janus
async def test_add_server_checks_and_leaves_nothing_behind(
    sites: list[Site], room: int, secret: str
) -> None:
    origin, second, third, _ = sites
    elsewhere = (await third.viewer.create_room(secret=secret)).room
    # A remote publisher of the origin (as another cascade makes them) is not cascaded on.
    announced = origin.announced("from elsewhere")
    remote = await origin.viewer.add_remote_publisher(
        room,
        display="from elsewhere",
        iface=LOOPBACK,
        streams=[RemoteStream(mid="0", mindex=0, type="video", codec="vp8")],
        secret=secret,
    )
    await announced  # in the room: the cascade hears of it when it joins
    try:
        async with Cascade(elsewhere, origin=third.connection, secret=secret) as cascade:
            before = await second.sessions()
            with pytest.raises(NoSuchRoomError):
                await cascade.add_server(second.connection, iface=LOOPBACK)
            assert cascade.servers == () and await second.sessions() == before
            with pytest.raises(ValueError, match="origin"):
                await cascade.add_server(third.connection)

        async with Cascade(room, origin=origin.connection, secret=secret) as cascade:
            assert cascade.following and cascade.publishers == ()
            await cascade.add_server(second.connection, iface=LOOPBACK, secret=secret)
            with pytest.raises(ValueError, match="already"):
                await cascade.add_server(second.connection, iface=LOOPBACK, secret=secret)
            assert cascade.feeds == ()
        assert not cascade.following
        await cascade.close()  # idempotent
    finally:
        await origin.viewer.remove_remote_publisher(room, remote.id, secret=secret)
        await third.viewer.destroy_room(elsewhere, secret=secret)


def test_remote_streams_follow_the_origins_m_line_indexes() -> None:
    publisher = Publisher(
        id=1,
        streams=(
            PublisherStream(type="video", mindex=2, mid="v", codec="h264", description="cam"),
            PublisherStream(type="audio", mindex=0, mid="a", codec="opus", stereo=True, fec=True),
            PublisherStream(type="data", mindex=3, mid="d"),
        ),
    )
    streams = remote_streams(publisher)
    assert [s.to_wire() for s in streams] == [
        {"mid": "0", "mindex": 0, "type": "audio", "codec": "opus", "stereo": True, "fec": True},
        {"mid": "1", "mindex": 1, "type": "audio", "codec": "opus", "disabled": True},
        {"mid": "2", "mindex": 2, "type": "video", "codec": "h264", "description": "cam"},
        {"mid": "3", "mindex": 3, "type": "data"},
    ]
    # A stream disabled later keeps its type and codec: an update, not a new stream.
    disabled = Publisher(
        id=1, streams=(PublisherStream(type="video", mindex=0, mid="v", disabled=True),)
    )
    (stream,) = remote_streams(disabled, previous=[RemoteStream("0", 0, "video", codec="h264")])
    assert (stream.type, stream.codec, stream.disabled) == ("video", "h264", True)
    assert remote_streams(Publisher(id=1)) == ()
