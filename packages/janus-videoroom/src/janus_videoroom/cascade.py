"""Cascade a room over several Janus servers: the publishers of one seen on the others.

Janus 1.1.2 can *remotize* a VideoRoom publisher (``src/plugins/janus_videoroom.c``):

- ``add_remote_publisher`` on another server makes a participant there that receives plain
  RTP on a UDP port of its own; a thread of that participant puts it in the room and announces
  it (a ``publishers`` event) just after the answer;
- ``publish_remotely`` on the publisher's server (the *origin*) adds one RTP forwarder per
  stream towards that port, with SSRC ``1000 + 10 * mindex`` (+1, +2 for simulcast layers): the
  other server tells the streams apart by SSRC, so its ``streams`` must be listed by the
  origin's m-line index. Given an ``rtcp_port``, the other server sends its keyframe requests
  back there.

Janus does nothing more by itself. When the publisher stops publishing, the origin's
forwarders go with its streams but it keeps the remotization (and re-creates forwarders to it
when the publisher publishes again), while the other server keeps announcing the remote
publisher. When it leaves, the origin forgets it, the other server does not. Only local
publishers can be remotized (Janus refuses a remote one), so a cascade is one level deep: the
origin sends to every other server itself.

:class:`Cascade` does that bookkeeping for one room. It joins the room on every server as a
participant that never publishes (and so hears the room's events), and follows the origin's
publishers: when one publishes, it is added to every other server and forwarded there; when
its streams change, the other servers are told; when it unpublishes or leaves, the
remotizations are removed on the origin and the remote publishers on the other servers (their
participants hear ``leaving``; their subscriptions are renegotiated by Janus). A server added
to a live cascade gets every current publisher at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import itertools
import logging
import secrets
import urllib.parse
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from types import TracebackType
from typing import TYPE_CHECKING, Literal

from janus_webrtc import JanusError, JanusTimeoutError, ProtocolError, StateError

from .errors import NoSuchFeedError, NoSuchRoomError
from .handle import VideoRoomPublisher
from .messages import (
    Kicked,
    KickedOut,
    Leaving,
    Publisher,
    Publishers,
    PublisherStream,
    RoomDestroyed,
    Unpublished,
    VideoRoomEvent,
)
from .streams import ParticipantId, RemoteStream, RoomId

if TYPE_CHECKING:
    from janus_webrtc import Connection, Session
    from janus_webrtc.events import EventQueue

__all__ = ["Cascade", "CascadeServer", "CascadeState", "CascadedFeed", "remote_streams"]

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())

_PLACEHOLDER_CODECS = {"audio": "opus", "video": "vp8"}
"""Codecs given for streams the origin announces without one (disabled): Janus requires one."""


class CascadeState(enum.Enum):
    """Where a :class:`Cascade` is in its life."""

    IDLE = "idle"
    """Made, not started."""
    OPEN = "open"
    """Started: following the origin's room."""
    CLOSED = "closed"
    """Closed (or its start failed); it cannot be started again."""


@dataclass(frozen=True, slots=True)
class CascadedFeed:
    """One publisher of the origin, made a remote publisher of one other server.

    Attributes:
        publisher_id: The publisher; it has the same id in the room on both servers.
        server: The server it is forwarded to.
        remote_id: The origin's id of this remotization (``listremotes`` shows it).
        host: The address the origin sends the RTP to.
        port: The server's UDP port receiving it.
        rtcp_port: The server's UDP port for RTCP (keyframe requests go back from there).
        streams: The streams the server announces, by the origin's m-line index.
    """

    publisher_id: ParticipantId
    server: CascadeServer
    remote_id: str
    host: str
    port: int
    rtcp_port: int | None
    streams: tuple[RemoteStream, ...]


def remote_streams(
    publisher: Publisher, previous: Sequence[RemoteStream] = ()
) -> tuple[RemoteStream, ...]:
    """Describe a publisher's streams for ``add_remote_publisher`` on another server.

    Janus 1.1.2 gives the streams of a remote publisher the mindex (and the mid, ``"0"``,
    ``"1"``...) of their position in the list, and routes the forwarded RTP by the SSRC that
    the origin derives from its own mindex: the list must therefore hold one entry per m-line
    index of the origin, in order. A missing index gets a disabled placeholder, and so does a
    disabled stream (Janus requires a codec even then).

    Args:
        publisher: The publisher as the origin announced it.
        previous: What was sent before for it, if anything: a disabled stream keeps the type
            and codec it had, so that disabling it is an update rather than a new stream.

    Returns:
        One stream per m-line index, from 0 to the highest the publisher has (empty when it
        announced none).
    """
    by_index: dict[int, PublisherStream] = {}
    for announced in publisher.streams:
        if announced.mindex is not None and announced.type in ("audio", "video", "data"):
            by_index.setdefault(announced.mindex, announced)
    if not by_index:
        return ()
    result: list[RemoteStream] = []
    for index in range(max(by_index) + 1):
        stream = by_index.get(index)
        before = previous[index] if index < len(previous) else None
        if stream is None or stream.disabled:
            kind = _media(stream.type if stream else before.type if before else "audio")
            codec = None
            if kind != "data":
                kept = before.codec if before is not None and before.type == kind else None
                codec = kept or _PLACEHOLDER_CODECS[kind]
            result.append(
                RemoteStream(mid=str(index), mindex=index, type=kind, codec=codec, disabled=True)
            )
            continue
        kind = _media(stream.type)
        audio, video = kind == "audio", kind == "video"
        result.append(
            RemoteStream(
                mid=str(index),
                mindex=index,
                type=kind,
                codec=stream.codec or _PLACEHOLDER_CODECS.get(kind),
                description=stream.description,
                stereo=True if audio and stream.stereo else None,
                fec=True if audio and stream.fec else None,
                dtx=True if audio and stream.dtx else None,
                simulcast=True if video and stream.simulcast else None,
                svc=True if video and stream.svc else None,
            )
        )
    return tuple(result)


def _media(kind: str) -> Literal["audio", "video", "data"]:
    return "audio" if kind == "audio" else "video" if kind == "video" else "data"


def _updatable(before: Sequence[RemoteStream], after: Sequence[RemoteStream]) -> bool:
    """Whether ``update_remote_publisher`` can turn ``before`` into ``after``.

    Janus 1.1.2 changes only the description and the disabled flag of an existing stream, and
    appends new ones: anything else (a codec, a type) needs a new remote publisher.
    """
    if len(after) < len(before):
        return False
    return all(
        replace(old, description=new.description, disabled=new.disabled) == new
        for old, new in zip(before, after, strict=False)
    )


class CascadeServer:
    """One server of a :class:`Cascade` besides the origin (made by :meth:`Cascade.add_server`).

    The cascade has a session there, with a participant in the room that never publishes: it
    hears the remote publishers arrive and leave.
    """

    def __init__(
        self,
        connection: Connection,
        *,
        index: int,
        host: str | None,
        iface: str | None,
        secret: str | None,
        pin: str | None,
        token: str | None,
    ) -> None:
        self._connection = connection
        self._index = index
        self._host = host
        self._iface = iface
        self._secret = secret
        self._pin = pin
        self._token = token
        self._session: Session | None = None
        self._watcher: VideoRoomPublisher | None = None
        self._feeds: dict[ParticipantId, CascadedFeed] = {}

    def __repr__(self) -> str:
        return f"<CascadeServer {self._connection.url or '?'} feeds={len(self._feeds)}>"

    @property
    def connection(self) -> Connection:
        """The connection to this server."""
        return self._connection

    @property
    def feeds(self) -> tuple[CascadedFeed, ...]:
        """The origin's publishers this server announces now."""
        return tuple(self._feeds.values())

    def _participant(self) -> VideoRoomPublisher:
        """The cascade's participant in the room on this server (it never publishes)."""
        if self._watcher is None:
            raise StateError(
                f"cannot reach the room on {self._connection.url}: the server left the cascade"
            )
        return self._watcher


class Cascade:
    """Make the publishers of a room on one Janus (the origin) publishers of it on others.

    Use it as an async context manager, or call :meth:`start` and :meth:`close`::

        async with Cascade(room, origin=conn_a) as cascade:
            await cascade.add_server(conn_b)
            await cascade.add_server(conn_c)
            ...  # viewers on B and C subscribe to the publishers of A as if they were local

    The room must exist on every server, with the same id (and codecs that allow the
    publishers' ones). On each server the cascade opens a session of its own and joins the
    room as a participant that never publishes; :meth:`close` removes everything it made
    (remotizations on the origin, remote publishers elsewhere, its sessions).

    The media goes from the origin to each other server as plain (unencrypted) RTP over UDP:
    the servers must reach each other on the addresses given (see :meth:`add_server`).

    Args:
        room: The room, on every server.
        origin: The connection to the server where the publishers are.
        secret: The room's secret on the origin (``publish_remotely`` needs it), if any.
        pin: The room's pin on the origin, if any.
        token: A token the origin's room accepts, if it checks them.
        admin_key: The VideoRoom plugin's admin key on the origin, if it locks forwarding
            (``lock_rtp_forward``).
        display: The display name of the cascade's participants.
        timeout: Seconds to wait for each request and for each arrival or departure of a
            remote publisher (default: the connection's ``timeout``).
    """

    def __init__(
        self,
        room: RoomId,
        *,
        origin: Connection,
        secret: str | None = None,
        pin: str | None = None,
        token: str | None = None,
        admin_key: str | None = None,
        display: str | None = "cascade",
        timeout: float | None = None,
    ) -> None:
        self._room = room
        self._origin = origin
        self._secret = secret
        self._pin = pin
        self._token = token
        self._admin_key = admin_key
        self._display = display
        self._timeout = timeout
        self._state = CascadeState.IDLE
        self._tag = f"cascade-{secrets.token_hex(4)}"
        self._indexes = itertools.count(1)
        self._servers: list[CascadeServer] = []
        self._publishers: dict[ParticipantId, Publisher] = {}
        self._remote: set[ParticipantId] = set()
        """Publishers that are themselves remote on the origin (Janus cannot forward them)."""
        self._lock = asyncio.Lock()
        self._closing = asyncio.Lock()
        self._change = asyncio.Event()
        """Set (and replaced) whenever a feed or a server comes or goes."""
        self._session: Session | None = None
        self._watcher: VideoRoomPublisher | None = None
        self._events: EventQueue[VideoRoomEvent] | None = None
        self._follower: asyncio.Task[None] | None = None

    def __repr__(self) -> str:
        return (
            f"<Cascade room={self._room!r} {self._state.value} servers={len(self._servers)} "
            f"publishers={len(self._publishers)}>"
        )

    # -- state ------------------------------------------------------------------------------

    @property
    def room(self) -> RoomId:
        """The room cascaded."""
        return self._room

    @property
    def origin(self) -> Connection:
        """The connection to the origin."""
        return self._origin

    @property
    def state(self) -> CascadeState:
        """Idle, open or closed."""
        return self._state

    @property
    def following(self) -> bool:
        """Whether the cascade follows the origin's room.

        False before :meth:`start` and after :meth:`close`, and once the room was destroyed on
        the origin, the cascade's participant there was kicked, or its session was lost (the
        remote publishers are then removed, or left for :meth:`close` to remove).
        """
        return self._follower is not None and not self._follower.done()

    @property
    def servers(self) -> tuple[CascadeServer, ...]:
        """The servers the publishers are forwarded to, in the order they were added."""
        return tuple(self._servers)

    @property
    def publishers(self) -> tuple[Publisher, ...]:
        """The origin's publishers being cascaded, as the origin last announced them."""
        return tuple(self._publishers.values())

    @property
    def feeds(self) -> tuple[CascadedFeed, ...]:
        """Every remote publisher the cascade made, server by server."""
        return tuple(feed for server in self._servers for feed in server.feeds)

    async def wait_cascaded(
        self, publisher_id: ParticipantId, *, timeout: float | None = None
    ) -> tuple[CascadedFeed, ...]:
        """Wait until a publisher of the origin is forwarded to every server of the cascade.

        That is: announced in the room there, and the origin's forwarders started. Viewers of
        a server can subscribe as soon as the room there announces it (their own
        ``publishers`` event); this is for the cascade's side of the work.

        Args:
            publisher_id: The publisher, on the origin.
            timeout: Seconds to wait (default: the origin connection's ``timeout``).

        Returns:
            Its feed on each server (empty when the cascade has no server).

        Raises:
            JanusTimeoutError: Not forwarded everywhere in time.
            StateError: The cascade is not open, or closed meanwhile.
        """
        limit = self._origin.timeout if timeout is None else timeout
        try:
            async with asyncio.timeout(limit):
                while True:
                    self._check_open(f"wait for publisher {publisher_id}")
                    feeds = [s._feeds.get(publisher_id) for s in self._servers]
                    if all(feeds):
                        return tuple(feed for feed in feeds if feed is not None)
                    await self._change.wait()
        except TimeoutError:
            raise JanusTimeoutError(
                f"publisher {publisher_id} was not cascaded to every server within {limit} s"
            ) from None

    def _changed(self) -> None:
        self._change.set()
        self._change = asyncio.Event()

    def _origin_watcher(self) -> VideoRoomPublisher:
        """The cascade's participant in the origin's room (it never publishes)."""
        if self._watcher is None:
            raise StateError(f"cannot reach the origin: the cascade is {self._state.value}")
        return self._watcher

    def _check_open(self, action: str) -> None:
        if self._state is not CascadeState.OPEN:
            raise StateError(
                f"cannot {action}: the cascade of room {self._room!r} is {self._state.value}"
            )

    # -- life -------------------------------------------------------------------------------

    async def start(self) -> None:
        """Join the room on the origin and start following its publishers.

        Raises:
            StateError: The cascade was started before.
            NoSuchRoomError: No such room on the origin.
            VideoRoomUnauthorizedError: Wrong pin or token.
        """
        if self._state is not CascadeState.IDLE:
            raise StateError(
                f"cannot start: the cascade of room {self._room!r} is {self._state.value}"
            )
        self._state = CascadeState.CLOSED  # unless everything below works
        session = await self._origin.create_session(timeout=self._timeout)
        try:
            watcher = await session.attach(VideoRoomPublisher, timeout=self._timeout)
            # Subscribed before joining: no event between the answer and the queue is lost.
            events = watcher.subscribe(
                Publishers, Unpublished, Leaving, Kicked, KickedOut, RoomDestroyed
            )
            joined = await watcher.join(
                self._room,
                display=self._display,
                pin=self._pin,
                token=self._token,
                timeout=self._timeout,
            )
        except BaseException:
            with contextlib.suppress(JanusError):
                await session.destroy(timeout=self._timeout)
            raise
        self._session, self._watcher, self._events = session, watcher, events
        self._state = CascadeState.OPEN
        try:
            for publisher in joined.publishers:
                if await self._local(publisher):
                    self._publishers[publisher.id] = publisher
        except BaseException:
            self._state = CascadeState.CLOSED
            with contextlib.suppress(JanusError):
                await session.destroy(timeout=self._timeout)
            raise
        self._follower = asyncio.get_running_loop().create_task(
            self._follow(events), name=f"cascade of room {self._room!r}"
        )
        logger.debug("cascade of room %r: following %s", self._room, self._origin.url)

    async def close(self) -> None:
        """Remove every remote publisher and remotization made, and the cascade's sessions.

        Idempotent; a server that cannot be reached any more is skipped (logged). The
        publishers on the origin are not touched.
        """
        async with self._closing:
            if self._state is CascadeState.CLOSED:
                return
            opened = self._state is CascadeState.OPEN
            self._state = CascadeState.CLOSED
            if not opened:
                return
            await self._stop_following()
            async with self._lock:
                servers, self._servers = self._servers, []
                await _each(servers, self._detach)
                self._publishers.clear()
                session, watcher = self._session, self._watcher
                self._session = self._watcher = None
                await self._leave(session, watcher, "the origin")
            self._changed()
            logger.debug("cascade of room %r closed", self._room)

    async def _stop_following(self) -> None:
        follower, events, watcher = self._follower, self._events, self._watcher
        if events is not None and watcher is not None:
            watcher.unsubscribe(events)  # the follower ends after the event in hand
        if follower is not None:
            await asyncio.wait([follower])  # it logs its own failures

    async def __aenter__(self) -> Cascade:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    # -- servers ----------------------------------------------------------------------------

    async def add_server(
        self,
        connection: Connection,
        *,
        iface: str | None = None,
        address: str | None = None,
        secret: str | None = None,
        pin: str | None = None,
        token: str | None = None,
    ) -> CascadeServer:
        """Add a server: every publisher of the origin is announced and forwarded there.

        Returns once the server announces every current publisher of the origin (its
        ``publishers`` event came): viewers can subscribe to them at once. Publishers that
        publish later are added as they come.

        Args:
            connection: The connection to the server.
            iface: The interface or address (of that server) on which it receives the RTP
                (``add_remote_publisher``'s ``iface``); None: every interface.
            address: Where the origin sends the RTP (``publish_remotely``'s ``host``): an
                address of that server the origin reaches. None: the address Janus reports
                for ``iface`` when one is given, else the host of the connection's URL.
            secret: The room's secret on that server, if any.
            pin: The room's pin on that server, if any.
            token: A token the room on that server accepts, if it checks them.

        Returns:
            The server, for :meth:`remove_server`.

        Raises:
            StateError: The cascade is not open.
            ValueError: The connection is the origin's or in the cascade already, or no
                address can be told (a Unix-socket URL without ``address`` or ``iface``).
            NoSuchRoomError: No such room on that server (nothing is left behind).
            VideoRoomError: The server or the origin refused a request (everything done on
                that server is undone).
        """
        self._check_open("add a server")
        if connection is self._origin:
            raise ValueError("cannot add the origin to its own cascade")
        host = address
        if host is None and iface is None:
            host = urllib.parse.urlsplit(connection.url or "").hostname
            if not host:
                raise ValueError(
                    f"cannot tell where the origin should send media to {connection.url}: "
                    "give address= (or iface=)"
                )
        server = CascadeServer(
            connection,
            index=next(self._indexes),
            host=host,
            iface=iface,
            secret=secret,
            pin=pin,
            token=token,
        )
        async with self._lock:
            self._check_open("add a server")
            if any(other.connection is connection for other in self._servers):
                raise ValueError(f"the server at {connection.url} is in the cascade already")
            await self._attach(server)
            try:
                for publisher in list(self._publishers.values()):
                    await self._mirror(server, publisher)
            except BaseException:
                await self._detach(server)
                raise
            self._servers.append(server)
            self._changed()
        logger.debug(
            "cascade of room %r: %s added (%d feeds)", self._room, connection.url, len(server.feeds)
        )
        return server

    async def remove_server(self, server: CascadeServer) -> None:
        """Stop forwarding to a server: its remote publishers leave the room there.

        Raises:
            ValueError: The server is not in this cascade.
        """
        async with self._lock:
            if server not in self._servers:
                raise ValueError(f"{server!r} is not in the cascade of room {self._room!r}")
            self._servers.remove(server)
            self._changed()
            await self._detach(server)

    async def _attach(self, server: CascadeServer) -> None:
        session = await server.connection.create_session(timeout=self._timeout)
        try:
            watcher = await session.attach(VideoRoomPublisher, timeout=self._timeout)
            await watcher.join(
                self._room,
                display=self._display,
                pin=server._pin,
                token=server._token,
                timeout=self._timeout,
            )
        except BaseException:
            with contextlib.suppress(JanusError):
                await session.destroy(timeout=self._timeout)
            raise
        server._session, server._watcher = session, watcher

    async def _detach(self, server: CascadeServer) -> None:
        """Remove the server's remote publishers (best effort), then the cascade's session."""
        for feed in list(server._feeds.values()):
            await _quietly(self._unmirror(feed, at_origin=True), "remove a feed", self._room)
        server._feeds.clear()
        session, watcher = server._session, server._watcher
        server._session = server._watcher = None
        await self._leave(session, watcher, server.connection.url)

    async def _leave(
        self, session: Session | None, watcher: VideoRoomPublisher | None, where: str | None
    ) -> None:
        """Leave the room (Janus has removed the participant when it answers), then the session.

        Destroying the session alone would remove the participant a moment later, from the
        plugin's own thread.
        """
        if watcher is not None and not watcher.detached:
            await _quietly(watcher.leave(timeout=self._timeout), f"leave {where}", self._room)
        if session is not None:
            await _quietly(session.destroy(timeout=self._timeout), f"leave {where}", self._room)

    # -- one feed on one server -------------------------------------------------------------

    async def _mirror(self, server: CascadeServer, publisher: Publisher) -> None:
        """Make ``publisher`` a remote publisher of ``server``, forwarded from the origin."""
        streams = remote_streams(publisher)
        if not streams:
            return
        origin, there = self._origin_watcher(), server._participant()
        ident = publisher.id
        arrived = there.wait_for(
            Publishers,
            predicate=lambda e: any(p.id == ident for p in e.publishers),
            timeout=self._timeout,
        )
        try:
            added = await there.add_remote_publisher(
                self._room,
                id=ident,
                display=publisher.display,
                iface=server._iface,
                streams=streams,
                secret=server._secret,
                timeout=self._timeout,
            )
        except BaseException:
            arrived.cancel()
            raise
        host = server._host or added.ip
        remote_id = f"{self._tag}-{server._index}"
        feed = CascadedFeed(
            publisher_id=ident,
            server=server,
            remote_id=remote_id,
            host=host or "",
            port=added.port,
            rtcp_port=added.rtcp_port,
            streams=streams,
        )
        try:
            if not host:
                raise ProtocolError(
                    f"cannot forward publisher {ident}: {server.connection.url} did not say "
                    f"which address it listens on for iface {server._iface!r}: give address="
                )
            await origin.publish_remotely(
                self._room,
                ident,
                remote_id=remote_id,
                host=host,
                port=added.port,
                rtcp_port=added.rtcp_port,
                secret=self._secret,
                admin_key=self._admin_key,
                timeout=self._timeout,
            )
        except BaseException as exc:
            arrived.cancel()
            await _quietly(self._unmirror(feed, at_origin=False), "undo a feed", self._room)
            if isinstance(exc, NoSuchFeedError):
                # Gone from the origin meanwhile: its "leaving" is on its way.
                logger.debug("cascade of room %r: publisher %s left first", self._room, ident)
                return
            raise
        try:
            await arrived
        finally:  # on a timeout too: close() removes it
            server._feeds[ident] = feed
            self._changed()

    async def _unmirror(self, feed: CascadedFeed, *, at_origin: bool) -> None:
        """Stop forwarding ``feed`` and remove its remote publisher from the server's room.

        The origin's remotization is removed too when ``at_origin`` (the publisher is still
        there); this returns once the server has taken the remote publisher out of the room.
        """
        server = feed.server
        if server._feeds.pop(feed.publisher_id, None) is not None:
            self._changed()
        if at_origin:
            try:
                await self._origin_watcher().unpublish_remotely(
                    self._room,
                    feed.publisher_id,
                    remote_id=feed.remote_id,
                    secret=self._secret,
                    timeout=self._timeout,
                )
            except (NoSuchFeedError, NoSuchRoomError):
                pass  # the publisher (or the room) is gone from the origin, and its forwarders
            except JanusError as exc:  # the server's side is removed all the same
                logger.warning(
                    "cascade of room %r: could not stop forwarding %s: %s",
                    self._room,
                    feed.publisher_id,
                    exc,
                )
        there = server._participant()
        ident = feed.publisher_id
        # Janus answers before the remote publisher's thread has left the room (the same id
        # could not be added again yet): its "leaving" says it has.
        left = there.wait_for(Leaving, predicate=lambda e: e.id == ident, timeout=self._timeout)
        try:
            await there.remove_remote_publisher(
                self._room, ident, secret=server._secret, timeout=self._timeout
            )
        except (NoSuchFeedError, NoSuchRoomError):
            left.cancel()  # gone already (the room destroyed there, say)
            return
        except BaseException:
            left.cancel()
            raise
        await left

    async def _sync(self, server: CascadeServer, publisher: Publisher) -> None:
        """Bring one server up to date with a publisher the origin (re)announced."""
        feed = server._feeds.get(publisher.id)
        if feed is None:
            await self._mirror(server, publisher)
            return
        streams = remote_streams(publisher, feed.streams)
        if streams == feed.streams:
            return
        if not _updatable(feed.streams, streams):
            await self._unmirror(feed, at_origin=True)
            await self._mirror(server, publisher)
            return
        changed = [
            stream
            for index, stream in enumerate(streams)
            if index >= len(feed.streams) or feed.streams[index] != stream
        ]
        await server._participant().update_remote_publisher(
            self._room, publisher.id, streams=changed, secret=server._secret, timeout=self._timeout
        )
        server._feeds[publisher.id] = replace(feed, streams=streams)
        self._changed()

    # -- following the origin ---------------------------------------------------------------

    async def _follow(self, events: EventQueue[VideoRoomEvent]) -> None:
        try:
            await self._follow_events(events)
        except Exception:
            logger.exception("cascade of room %r: stopped following the origin", self._room)

    async def _follow_events(self, events: EventQueue[VideoRoomEvent]) -> None:
        async for event in events:
            async with self._lock:
                if self._state is not CascadeState.OPEN:
                    return
                try:
                    following = await self._apply(event)
                except JanusError as exc:  # the origin did not answer: try the next event
                    logger.warning(
                        "cascade of room %r: could not follow %r: %s", self._room, event, exc
                    )
                    following = True
                if not following:
                    return
        if self._state is CascadeState.OPEN:  # the handle is gone: its session was lost
            logger.warning(
                "cascade of room %r: no longer following the origin (%s): its session ended",
                self._room,
                self._origin.url,
            )

    async def _apply(self, event: VideoRoomEvent) -> bool:
        """React to one event of the origin's room; False when there is nothing to follow."""
        if isinstance(event, Publishers):
            for publisher in event.publishers:
                if await self._local(publisher):
                    self._publishers[publisher.id] = publisher
                    await self._sync_all(publisher)
        elif isinstance(event, Unpublished | Leaving | Kicked) and event.id is not None:
            if self._publishers.pop(event.id, None) is not None:
                await self._drop(event.id, at_origin=isinstance(event, Unpublished))
        elif isinstance(event, KickedOut | RoomDestroyed | Leaving):
            # The cascade's own participant was removed, or the room is gone.
            gone = isinstance(event, RoomDestroyed)
            for ident in list(self._publishers):
                await self._drop(ident, at_origin=not gone)
            self._publishers.clear()
            logger.warning(
                "cascade of room %r: %s on the origin; remote publishers removed",
                self._room,
                "the room was destroyed" if gone else "the cascade's participant was removed",
            )
            return False
        return True

    async def _local(self, publisher: Publisher) -> bool:
        """Whether a publisher of the origin can be cascaded: a real one, local to the origin.

        Janus refuses to remotize a remote publisher (one another cascade feeds into the
        origin): ``listparticipants`` tells them apart, asked once per new publisher.
        """
        if publisher.dummy or not any(s.mindex is not None for s in publisher.streams):
            return False
        if publisher.id in self._publishers:
            return True
        if publisher.id not in self._remote:
            participants = await self._origin_watcher().list_participants(
                self._room, timeout=self._timeout
            )
            self._remote.update(p.id for p in participants if p.remote)
        return publisher.id not in self._remote

    async def _sync_all(self, publisher: Publisher) -> None:
        async def sync(server: CascadeServer) -> None:
            await self._sync(server, publisher)

        await self._each_server("follow", sync)

    async def _drop(self, ident: ParticipantId, *, at_origin: bool) -> None:
        async def drop(server: CascadeServer) -> None:
            feed = server._feeds.get(ident)
            if feed is not None:
                await self._unmirror(feed, at_origin=at_origin)

        await self._each_server("remove", drop)

    async def _each_server(
        self, action: str, work: Callable[[CascadeServer], Awaitable[None]]
    ) -> None:
        """Run ``work`` on every server at once; a failing server is logged, not fatal."""
        await _each(
            self._servers, lambda server: _quietly(work(server), f"{action} a feed", self._room)
        )


async def _each(
    servers: Iterable[CascadeServer], work: Callable[[CascadeServer], Awaitable[None]]
) -> None:
    await asyncio.gather(*(work(server) for server in servers))


async def _quietly(work: Awaitable[None], action: str, room: RoomId) -> None:
    """Await ``work``; a Janus error (or timeout) is logged as a warning, not raised."""
    try:
        await work
    except JanusError as exc:
        logger.warning("cascade of room %r: could not %s: %s", room, action, exc)
