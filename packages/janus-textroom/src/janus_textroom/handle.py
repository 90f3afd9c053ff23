"""The TextRoom handle: Janus's TextRoom plugin, chat over a WebRTC data channel.

Janus 1.1.2's TextRoom plugin (``src/plugins/janus_textroom.c``) takes three requests on the
Janus API only (``setup``, ``ack``, ``restart``: the data-channel-only PeerConnection), room
management on both the Janus API and the data channel (``list``, ``listparticipants``,
``exists``, ``create``, ``edit``, ``destroy``, ``allowed``, ``kick``, ``announcement``), and
the chat itself on the data channel only (``join``, ``leave``, ``message``).

:class:`TextRoomHandle` has one method per request. Requests on the data channel carry their
own ``transaction``: each waits for its own answer, with a timeout, in a table of pending
requests, and the plugin's errors are raised as :class:`~janus_textroom.errors.TextRoomError`
subclasses whichever way the request went.

Everything Janus sends unsolicited on the data channel (joins, leaves, messages,
announcements, kicks, destroyed rooms) becomes a typed event (see
:mod:`janus_textroom.messages`), delivered like every event of a handle: ``handle.events()``,
``handle.subscribe(...)``, ``handle.on(...)`` and ``handle.wait_for(...)``; ``subscribe`` and
``on`` also take ``room=`` to follow one room. Data channel messages that are not JSON objects
are logged, counted in :attr:`TextRoomHandle.malformed_messages` and dropped.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Literal, TypeVar, overload

from janus_webrtc import (
    DataChannel,
    DataChannelMessage,
    Event,
    EventQueue,
    JanusTimeoutError,
    Jsep,
    PluginError,
    PluginResponse,
    ProtocolError,
    StateError,
    WebRTCHandle,
)
from janus_webrtc.events import EventCallback
from janus_webrtc.plugin_kit import int_or_none, request_body

from .errors import TextRoomError
from .messages import (
    AllowedTokens,
    Announcement,
    ChatMessage,
    Joined,
    MessageSent,
    Participant,
    ParticipantKicked,
    RoomCreated,
    RoomDestroyed,
    RoomEdited,
    RoomId,
    RoomInfo,
    TextRoomEvent,
    parse_event,
    parse_participants,
    parse_rooms,
    room_of,
)

if TYPE_CHECKING:
    from janus_webrtc import Session

__all__ = ["DATA_CHANNEL_LABEL", "AllowedAction", "TextRoomHandle", "Via"]

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())

DATA_CHANNEL_LABEL = "JanusDataChannel"
"""The label of the data channel the plugin talks on (Janus's default label)."""

E = TypeVar("E", bound=Event)

Via = Literal["api", "data"]
"""Where a management request goes: ``"api"`` (the Janus API, no PeerConnection needed) or
``"data"`` (the data channel, after :meth:`TextRoomHandle.setup`)."""

AllowedAction = Literal["enable", "disable", "add", "remove"]
"""What an ``allowed`` request does to a room's list of tokens."""


@dataclass(slots=True)
class _Pending:
    """A data channel request waiting for its answer."""

    kind: str
    room: RoomId | None
    future: asyncio.Future[dict[str, Any]]
    username: str | None = None
    history: list[ChatMessage | Announcement] = field(default_factory=list)


class TextRoomHandle(WebRTCHandle):
    """A handle on Janus's TextRoom plugin: text chat rooms over a data channel.

    Get one with ``await session.attach("textroom")``, open the data channel with
    :meth:`setup`, then join rooms and chat::

        chat = await session.attach("textroom")
        chat.configure_rtc(RTCConfiguration(iceServers=[]))   # host candidates only
        await chat.setup()
        messages = chat.subscribe(ChatMessage, room=1234)
        await chat.join(1234, "alice", display="Alice")
        await chat.message(1234, "hello")
        async for message in messages:
            print(f"{message.sender}: {message.text}")

    One handle (one PeerConnection) can be in several rooms at once. Room management works
    without :meth:`setup` over the Janus API (``via="api"``, the default) or on the data
    channel (``via="data"``). Plugin errors raise
    :class:`~janus_textroom.errors.TextRoomError` (or a subclass for its code).

    Attributes:
        data_channel_label: Class attribute: the label of the data channel opened by
            :meth:`setup`.
        max_pending: Class attribute: the most data channel requests waiting for an answer at
            once; one more raises :class:`~janus_webrtc.StateError`.
        restart_settle: Class attribute: seconds :meth:`restart` waits after hanging up.
        restart_attempt_timeout: Class attribute: seconds :meth:`restart` waits for an offer
            before asking again.
    """

    plugin_id: ClassVar[str] = "janus.plugin.textroom"
    error_class: ClassVar[type[PluginError]] = TextRoomError
    data_channel_label: ClassVar[str] = DATA_CHANNEL_LABEL
    max_pending: ClassVar[int] = 4096
    restart_settle: ClassVar[float] = 0.2
    restart_attempt_timeout: ClassVar[float] = 2.0

    def __init__(
        self, session: Session, handle_id: int, plugin: str, *, opaque_id: str | None = None
    ) -> None:
        super().__init__(session, handle_id, plugin, opaque_id=opaque_id)
        self._channel: DataChannel | None = None
        self._pending: dict[str, _Pending] = {}
        self._joining: dict[RoomId, _Pending] = {}
        self._rooms: dict[RoomId, str] = {}
        self._room_queues: dict[RoomId, set[EventQueue[Any]]] = {}
        self._queue_size = session.connection.event_queue_size
        self._transaction_prefix = f"tr-{secrets.token_hex(4)}-"
        self._transactions = itertools.count(1)
        self._malformed = 0

    # -- state --------------------------------------------------------------------------------

    @property
    def channel(self) -> DataChannel | None:
        """The plugin's data channel, from :meth:`setup` until it closes."""
        return self._channel

    @property
    def ready(self) -> bool:
        """Whether the data channel is open (chat requests can be sent)."""
        return self._channel is not None and self._channel.is_open

    @property
    def rooms(self) -> Mapping[RoomId, str]:
        """The rooms this handle is in, with the username used in each."""
        return dict(self._rooms)

    @property
    def pending_requests(self) -> int:
        """Data channel requests waiting for their answer."""
        return len(self._pending)

    @property
    def malformed_messages(self) -> int:
        """Data channel messages dropped because they were not readable TextRoom JSON."""
        return self._malformed

    # -- the PeerConnection (Janus API only) ----------------------------------------------------

    async def setup(self, *, timeout: float | None = None) -> None:
        """Open the data channel: ``setup``, answer Janus's offer with ``ack``, wait until open.

        Args:
            timeout: Seconds for each step (default: the connection's timeout).

        Raises:
            TextRoomError: The plugin refused (``ERROR_ALREADY_SETUP`` if this handle was set
                up before: use :meth:`restart`).
            StateError: The data channel is open already, or the handle is detached.
            JanusTimeoutError: Janus did not answer, or the channel did not open, in time.
        """
        self._check_attached("set up the data channel")
        if self._channel is not None:
            raise StateError(f"cannot set up: handle {self.id} has a data channel already")
        response = await self._api({"request": "setup"}, timeout)
        await self._answer(response, timeout)

    async def ack(self, offer: Jsep, *, timeout: float | None = None) -> PluginResponse:
        """Answer an offer of the plugin: apply it and send the answer with ``ack``.

        :meth:`setup` and :meth:`restart` call this; use it only when driving ``setup``
        yourself with :meth:`~janus_webrtc.Handle.send`. Create the data channel first
        (``create_data_channel(TextRoomHandle.data_channel_label)``) so the answer carries it.

        Args:
            offer: Janus's offer (the ``jsep`` of the ``setup``/``restart`` answer).
            timeout: Seconds to wait for the plugin.

        Returns:
            The plugin's answer (``{"textroom": "event", "result": "ok"}``).
        """
        return await self.accept_offer(offer, request_body("ack"), timeout=timeout)

    async def restart(self, *, timeout: float | None = None) -> None:
        """Replace the PeerConnection and its data channel (``restart``).

        aiortc cannot restart ICE on a live PeerConnection, so this hangs up first (Janus then
        takes the handle out of every room it was in), asks the plugin for a new offer and
        answers it. Join the rooms again afterwards. Also the way back after Janus hung up
        (``setup`` is refused once a handle was set up).

        Janus 1.1.2 frees the old ICE agent asynchronously after its ``hangup`` event and
        silently drops an offer pushed before that; so this waits :attr:`restart_settle`
        seconds after hanging up, and asks again (within ``timeout``) if no offer comes.

        Raises:
            TextRoomError: The plugin refused (``ERROR_ALREADY_SETUP`` before any setup).
            JanusTimeoutError: Not done in time.
        """
        self._check_attached("restart the data channel")
        limit = self._limit(timeout)
        deadline = asyncio.get_running_loop().time() + limit
        if self.peer_connection is not None:
            await self.hangup(timeout=timeout)
            await asyncio.sleep(self.restart_settle)
        while True:
            left = deadline - asyncio.get_running_loop().time()
            try:
                response = await self._api(
                    {"request": "restart"}, min(left, self.restart_attempt_timeout)
                )
                break
            except JanusTimeoutError:
                if left <= self.restart_attempt_timeout:
                    raise
                logger.debug("handle %d: no offer after restart, asking again", self.id)
        await self._answer(response, timeout)

    async def _answer(self, response: PluginResponse, timeout: float | None) -> None:
        offer = response.jsep
        if offer is None or offer.type != "offer":
            raise ProtocolError(f"{self.plugin} answered setup without an offer")
        channel = self.create_data_channel(self.data_channel_label)
        self._channel = channel
        self._follow(channel)
        try:
            await self.ack(offer, timeout=timeout)
            await channel.wait_open(timeout=self._limit(timeout))
        except BaseException:
            # Leave no half-open channel behind: setup() or restart() may be tried again.
            if self._channel is channel:
                self._forget_channel()
            channel.close()
            raise

    # -- chat (data channel only) ---------------------------------------------------------------

    async def join(
        self,
        room: RoomId,
        username: str,
        *,
        display: str | None = None,
        pin: str | None = None,
        token: str | None = None,
        history: bool | None = None,
        timeout: float | None = None,
    ) -> Joined:
        """Join a room (``join``).

        Args:
            room: The room.
            username: A username unique in the room.
            display: A display name shown to the others.
            pin: The room's pin, if it has one.
            token: An invitation token, if the room checks them (see :meth:`allowed`).
            history: Whether to receive the room's history (Janus's default: True).
            timeout: Seconds to wait for the answer.

        Returns:
            The other participants, and the history replayed while joining. The history
            messages are also delivered as :class:`~janus_textroom.messages.ChatMessage`
            events.

        Raises:
            NoSuchRoomError: No such room.
            TextRoomUnauthorizedError: Wrong or missing pin, or token not allowed.
            UsernameExistsError: The username is taken in the room.
            AlreadyInRoomError: This handle is in the room already.
        """
        body = {
            "textroom": "join",
            "room": room,
            "username": username,
            **{
                k: v
                for k, v in (("display", display), ("pin", pin), ("token", token))
                if v is not None
            },
        }
        if history is not None:
            body["history"] = history
        future = self._new_future()
        pending = _Pending("join", room, future, username=username)
        self._joining.setdefault(room, pending)
        try:
            reply = await self._dc_request(body, timeout, pending)
        finally:
            if self._joining.get(room) is pending:
                del self._joining[room]
        return Joined(
            room=room,
            username=username,
            participants=parse_participants(reply.get("participants", [])),
            history=tuple(pending.history),
        )

    async def leave(self, room: RoomId, *, timeout: float | None = None) -> None:
        """Leave a room (``leave``).

        Raises:
            NotInRoomError: This handle is not in the room.
            NoSuchRoomError: No such room.
        """
        await self._dc_request({"textroom": "leave", "room": room}, timeout)
        self._rooms.pop(room, None)

    async def message(
        self,
        room: RoomId,
        text: str,
        *,
        to: str | None = None,
        tos: Sequence[str] | None = None,
        ack: bool = True,
        timeout: float | None = None,
    ) -> MessageSent | None:
        """Send a message to a room (``message``): public, or a whisper with ``to``/``tos``.

        Args:
            room: A room this handle is in.
            text: The text (any string).
            to: Whisper to this username only.
            tos: Whisper to these usernames only.
            ack: Wait for the plugin's acknowledgement. With False the message is sent and
                nothing is awaited (errors are then only logged); faster for bulk sending.
            timeout: Seconds to wait for the acknowledgement.

        Returns:
            The acknowledgement (for whispers: which recipients were in the room), or None
            when ``ack`` is False.

        Raises:
            ValueError: Both ``to`` and ``tos`` given.
            NotInRoomError: This handle is not in the room.
            NoSuchRoomError: No such room.
        """
        if to is not None and tos is not None:
            raise ValueError("give `to` or `tos`, not both")
        body: dict[str, Any] = {"textroom": "message", "room": room, "text": text}
        if to is not None:
            body["to"] = to
        if tos is not None:
            body["tos"] = list(tos)
        if not ack:
            body["ack"] = False
            self._dc_send(body)
            return None
        reply = await self._dc_request(body, timeout)
        sent = reply.get("sent")
        return MessageSent(
            room=room,
            sent={str(k): bool(v) for k, v in sent.items()} if isinstance(sent, Mapping) else {},
        )

    # -- room management (Janus API or data channel) ------------------------------------------

    async def list_rooms(
        self, *, admin_key: str | None = None, via: Via = "api", timeout: float | None = None
    ) -> tuple[RoomInfo, ...]:
        """List the rooms (``list``); private rooms only with the plugin's ``admin_key``.

        Args:
            admin_key: The plugin's admin key, to include private rooms.
            via: ``"api"`` or ``"data"`` (see :data:`Via`).
            timeout: Seconds to wait.
        """
        data = await self._manage(request_body("list", admin_key=admin_key), via, timeout)
        return parse_rooms(data.get("list", []))

    async def list_participants(
        self, room: RoomId, *, via: Via = "api", timeout: float | None = None
    ) -> tuple[Participant, ...]:
        """List the participants of a room (``listparticipants``).

        Raises:
            NoSuchRoomError: No such room.
        """
        data = await self._manage(request_body("listparticipants", room=room), via, timeout)
        return parse_participants(data.get("participants", []))

    async def exists(self, room: RoomId, *, via: Via = "api", timeout: float | None = None) -> bool:
        """Whether a room exists (``exists``)."""
        data = await self._manage(request_body("exists", room=room), via, timeout)
        return data.get("exists") is True

    async def create_room(
        self,
        room: RoomId | None = None,
        *,
        description: str | None = None,
        secret: str | None = None,
        pin: str | None = None,
        is_private: bool | None = None,
        history: int | None = None,
        post: str | None = None,
        allowed: Sequence[str] | None = None,
        permanent: bool | None = None,
        admin_key: str | None = None,
        via: Via = "api",
        timeout: float | None = None,
    ) -> RoomCreated:
        """Create a room (``create``).

        Args:
            room: The id to give it (Janus picks one if None).
            description: A description.
            secret: The secret needed to edit, destroy, kick, announce and change tokens.
            pin: The pin needed to join.
            is_private: Hide it from :meth:`list_rooms` (Janus's default here: False).
            history: How many messages to keep and replay to late joiners (0: none).
            post: An HTTP backend Janus POSTs every message to.
            allowed: Tokens allowed to join; giving a list turns the token check on.
            permanent: Save it to the plugin's configuration file too.
            admin_key: The plugin's admin key, if it is configured with one.
            via: ``"api"`` or ``"data"``.
            timeout: Seconds to wait.

        Raises:
            RoomExistsError: A room with that id exists.
            TextRoomUnauthorizedError: Wrong or missing admin key.
        """
        body = request_body(
            "create",
            room=room,
            description=description,
            secret=secret,
            pin=pin,
            is_private=is_private,
            history=history,
            post=post,
            allowed=list(allowed) if allowed is not None else None,
            permanent=permanent,
            admin_key=admin_key,
        )
        data = await self._manage(body, via, timeout)
        return RoomCreated(room=room_of(data, room), permanent=data.get("permanent") is True)

    async def edit_room(
        self,
        room: RoomId,
        *,
        secret: str | None = None,
        new_description: str | None = None,
        new_secret: str | None = None,
        new_pin: str | None = None,
        new_post: str | None = None,
        new_is_private: bool | None = None,
        permanent: bool | None = None,
        via: Via = "api",
        timeout: float | None = None,
    ) -> RoomEdited:
        """Change a room's properties (``edit``); publishes :class:`RoomEdited` on this handle.

        Args:
            room: The room.
            secret: The room's secret, if it has one.
            new_description: A new description.
            new_secret: A new secret.
            new_pin: A new pin (Janus cannot remove a pin).
            new_post: A new HTTP backend.
            new_is_private: Hide it from, or show it in, :meth:`list_rooms`.
            permanent: Save the change to the configuration file too.
            via: ``"api"`` or ``"data"``.
            timeout: Seconds to wait.

        Raises:
            NoSuchRoomError: No such room.
            TextRoomUnauthorizedError: Wrong or missing secret.
        """
        body = request_body(
            "edit",
            room=room,
            secret=secret,
            new_description=new_description,
            new_secret=new_secret,
            new_pin=new_pin,
            new_post=new_post,
            new_is_private=new_is_private,
            permanent=permanent,
        )
        data = await self._manage(body, via, timeout)
        event = RoomEdited(room=room_of(data, room), permanent=data.get("permanent") is True)
        self._deliver(event)
        return event

    async def destroy_room(
        self,
        room: RoomId,
        *,
        secret: str | None = None,
        permanent: bool | None = None,
        via: Via = "api",
        timeout: float | None = None,
    ) -> RoomDestroyed:
        """Destroy a room (``destroy``); its participants get a :class:`RoomDestroyed` event.

        Raises:
            NoSuchRoomError: No such room.
            TextRoomUnauthorizedError: Wrong or missing secret.
        """
        body = request_body("destroy", room=room, secret=secret, permanent=permanent)
        data = await self._manage(body, via, timeout)
        self._rooms.pop(room, None)
        return RoomDestroyed(room=room_of(data, room), permanent=data.get("permanent") is True)

    async def allowed(
        self,
        room: RoomId,
        action: AllowedAction,
        tokens: Sequence[str] | None = None,
        *,
        secret: str | None = None,
        via: Via = "api",
        timeout: float | None = None,
    ) -> AllowedTokens:
        """Change who may join a room (``allowed``).

        Args:
            room: The room.
            action: ``"enable"``/``"disable"`` the token check, or ``"add"``/``"remove"``
                ``tokens``.
            tokens: The tokens to add or remove.
            secret: The room's secret, if it has one.
            via: ``"api"`` or ``"data"``.
            timeout: Seconds to wait.

        Returns:
            The complete list of tokens after the change (None for ``disable``).

        Raises:
            NoSuchRoomError: No such room.
            TextRoomUnauthorizedError: Wrong or missing secret.
        """
        body = request_body(
            "allowed",
            room=room,
            action=action,
            allowed=list(tokens) if tokens is not None else None,
            secret=secret,
        )
        data = await self._manage(body, via, timeout)
        listed = data.get("allowed")
        return AllowedTokens(
            room=room_of(data, room),
            allowed=tuple(str(t) for t in listed) if isinstance(listed, list) else None,
        )

    async def kick(
        self,
        room: RoomId,
        username: str,
        *,
        secret: str | None = None,
        via: Via = "api",
        timeout: float | None = None,
    ) -> None:
        """Kick a participant out of a room (``kick``); everyone there gets ParticipantKicked.

        The participant may join again: remove its token with :meth:`allowed` to ban it.

        Raises:
            NoSuchRoomError: No such room.
            NoSuchUserError: No such participant in the room.
            TextRoomUnauthorizedError: Wrong or missing secret.
        """
        await self._manage(
            request_body("kick", room=room, username=username, secret=secret), via, timeout
        )

    async def announce(
        self,
        room: RoomId,
        text: str,
        *,
        secret: str | None = None,
        via: Via = "api",
        timeout: float | None = None,
    ) -> None:
        """Send an announcement to everyone in a room (``announcement``).

        It is kept in the room's history like a message.

        Raises:
            NoSuchRoomError: No such room.
            TextRoomUnauthorizedError: Wrong or missing secret.
        """
        await self._manage(
            request_body("announcement", room=room, text=text, secret=secret), via, timeout
        )

    # -- any request on the data channel ------------------------------------------------------

    async def request(
        self, body: Mapping[str, Any], *, timeout: float | None = None
    ) -> Mapping[str, Any]:
        """Send any request on the data channel and wait for its answer.

        For requests this class does not cover; the ``transaction`` is added here.

        Args:
            body: The request, with its ``"textroom"`` name.
            timeout: Seconds to wait for the answer.

        Returns:
            The plugin's answer as sent.

        Raises:
            TextRoomError: The plugin answered with an error.
            JanusTimeoutError: No answer in time (the request is forgotten).
            StateError: No open data channel, or too many requests pending.
        """
        if not isinstance(body.get("textroom"), str):
            raise ValueError("a data channel request needs a 'textroom' name")
        return await self._dc_request(dict(body), timeout)

    # -- events -------------------------------------------------------------------------------

    @overload
    def subscribe(self, *, room: RoomId | None = None) -> EventQueue[Event]: ...

    @overload
    def subscribe(
        self, type_: type[E], /, *types: type[E], room: RoomId | None = None
    ) -> EventQueue[E]: ...

    def subscribe(self, *types: type[Event], room: RoomId | None = None) -> EventQueue[Any]:
        """Return a private, bounded queue of later events (of ``types``, if given).

        Args:
            *types: Deliver only these event types.
            room: Deliver only the TextRoom events of this room (``TextRoomEvent`` types).

        Returns:
            The queue: read it with ``async for``; stop it with :meth:`unsubscribe`. It ends
            when the handle is detached.
        """
        if room is None:
            return super().subscribe(*types)
        queue: EventQueue[Any] = EventQueue(
            self._queue_size, types or (TextRoomEvent,), owner=f"{self!r} {room}"
        )
        if self.detached:
            queue.close()
        else:
            self._room_queues.setdefault(room, set()).add(queue)
        return queue

    def unsubscribe(self, queue: EventQueue[Any]) -> None:
        """Stop a queue made by :meth:`subscribe`."""
        for queues in self._room_queues.values():
            queues.discard(queue)
        super().unsubscribe(queue)

    def on(
        self, callback: EventCallback, *types: type[Event], room: RoomId | None = None
    ) -> Callable[[], None]:
        """Call ``callback(event)`` for each later event (of ``types``; of ``room``).

        The callback may be a coroutine function; it then runs as a task. Exceptions are logged.

        Returns:
            A function that removes the callback.
        """
        if room is None:
            return super().on(callback, *types)

        def in_room(event: Event) -> Any:
            if getattr(event, "room", None) == room:
                return callback(event)
            return None

        return super().on(in_room, *(types or (TextRoomEvent,)))

    def _deliver(self, event: TextRoomEvent) -> None:
        self._events.publish(event)
        room = getattr(event, "room", None)
        if room is not None:
            for queue in self._room_queues.get(room, ()):
                queue.put(event)

    def _close_events(self, reason: str) -> None:
        super()._close_events(reason)
        for queues in self._room_queues.values():
            for queue in queues:
                queue.close()
        self._room_queues.clear()

    # -- plumbing -----------------------------------------------------------------------------

    def _new_future(self) -> asyncio.Future[dict[str, Any]]:
        return asyncio.get_running_loop().create_future()

    async def _api(self, body: Mapping[str, Any], timeout: float | None) -> PluginResponse:
        logger.debug(
            "handle %d: textroom %s (room %s) on the Janus API",
            self.id,
            body.get("request"),
            body.get("room"),
        )
        return await self.send(body, timeout=timeout)

    async def _manage(
        self, body: dict[str, Any], via: Via, timeout: float | None
    ) -> Mapping[str, Any]:
        if via == "api":
            return (await self._api(body, timeout)).data
        if via == "data":
            request = body.pop("request")
            return await self._dc_request({"textroom": request, **body}, timeout)
        raise ValueError(f"via must be 'api' or 'data', not {via!r}")

    def _open_channel(self, action: str) -> DataChannel:
        self._check_attached(action)
        channel = self._channel
        if channel is None or channel.ready_state in ("closing", "closed"):
            raise StateError(
                f"cannot {action}: handle {self.id} has no data channel (call setup() first)"
            )
        return channel

    def _dc_send(self, body: dict[str, Any]) -> str:
        """Send a request on the data channel with a new transaction; return the transaction."""
        channel = self._open_channel(f"send textroom {body.get('textroom')!r}")
        transaction = f"{self._transaction_prefix}{next(self._transactions)}"
        body["transaction"] = transaction
        channel.send(json.dumps(body))
        return transaction

    async def _dc_request(
        self, body: dict[str, Any], timeout: float | None, pending: _Pending | None = None
    ) -> dict[str, Any]:
        kind = str(body.get("textroom"))
        self._open_channel(f"send textroom {kind!r}")
        if len(self._pending) >= self.max_pending:
            raise StateError(
                f"cannot send textroom {kind!r}: {self.max_pending} requests wait for an answer"
            )
        if pending is None:
            pending = _Pending(kind, body.get("room"), self._new_future())
        limit = self._limit(timeout)
        transaction = self._dc_send(body)
        self._pending[transaction] = pending
        logger.debug(
            "handle %d: textroom %s (room %s) on the data channel", self.id, kind, pending.room
        )
        try:
            async with asyncio.timeout(limit):
                return await pending.future
        except TimeoutError:
            if pending.future.done() and not pending.future.cancelled():
                return pending.future.result()
            raise JanusTimeoutError(
                f"no answer to textroom {kind!r} on the data channel of handle {self.id} "
                f"within {limit} s"
            ) from None
        finally:
            self._pending.pop(transaction, None)

    def _follow(self, channel: DataChannel) -> None:
        """Handle the messages of a new data channel as they arrive, until it closes.

        Each message is handled synchronously in the callback that publishes it on the handle:
        no task switch between aiortc delivering it and its reply or event. A task reads the
        channel's own bounded inbox, only so that it never fills up, and notices the close.
        """
        remove = super().on(
            lambda event: (
                self._data_received(event.data)
                if event.label == channel.label and self._channel is channel
                else None
            ),
            DataChannelMessage,
        )
        self._spawn(self._drain(channel, remove))

    async def _drain(self, channel: DataChannel, remove: Callable[[], None]) -> None:
        try:
            async for _ in channel.messages():
                pass
        finally:
            remove()
            if self._channel is channel:
                self._forget_channel()

    def _forget_channel(self) -> None:
        """The data channel closed: Janus left every room; nothing will answer."""
        self._channel = None
        self._rooms.clear()
        self._joining.clear()
        pending, self._pending = list(self._pending.values()), {}
        for entry in pending:
            if not entry.future.done():
                entry.future.set_exception(
                    StateError(
                        f"cannot wait for textroom {entry.kind!r}: the data channel of "
                        f"handle {self.id} closed"
                    )
                )

    def _malformed_message(self, why: str, size: int) -> None:
        self._malformed += 1
        logger.warning(
            "handle %d: dropped a data channel message (%d chars): %s", self.id, size, why
        )

    def _data_received(self, data: str | bytes) -> None:
        if isinstance(data, bytes):
            self._malformed_message("binary, not JSON text", len(data))
            return
        try:
            message = json.loads(data)
        except ValueError:
            self._malformed_message("not JSON", len(data))
            return
        if not isinstance(message, dict):
            self._malformed_message("not a JSON object", len(data))
            return
        transaction = message.get("transaction")
        if transaction is not None:
            self._reply_received(transaction, message)
            return
        if message.get("textroom") == "error":
            logger.warning(
                "handle %d: textroom error without a transaction: %s %s",
                self.id,
                message.get("error_code"),
                message.get("error"),
            )
            return
        try:
            event = parse_event(message)
        except ProtocolError as exc:
            self._malformed_message(str(exc), len(data))
            return
        self._event_from_channel(event)

    def _reply_received(self, transaction: Any, message: dict[str, Any]) -> None:
        failed = message.get("textroom") == "error" or "error_code" in message
        pending = self._pending.pop(transaction, None) if isinstance(transaction, str) else None
        if pending is None:
            if failed:
                logger.warning(
                    "handle %d: textroom error for a request nobody waits for: %s %s",
                    self.id,
                    message.get("error_code"),
                    message.get("error"),
                )
            else:
                logger.debug("handle %d: answer to an unknown transaction dropped", self.id)
            return
        room = pending.room
        if pending.kind == "join" and room is not None and self._joining.get(room) is pending:
            del self._joining[room]  # later messages of the room are not history
        if pending.future.done():
            return
        if failed:
            code, text = int_or_none(message.get("error_code")), str(message.get("error", ""))
            pending.future.set_exception(TextRoomError(code, text))
            return
        if pending.kind == "join" and pending.room is not None and pending.username is not None:
            self._rooms[pending.room] = pending.username
        pending.future.set_result(message)

    def _event_from_channel(self, event: TextRoomEvent) -> None:
        if isinstance(event, ChatMessage | Announcement):
            joining = self._joining.get(event.room)
            if joining is not None:
                joining.history.append(event)
        elif isinstance(event, ParticipantKicked):
            if self._rooms.get(event.room) == event.username:
                del self._rooms[event.room]
        elif isinstance(event, RoomDestroyed):
            self._rooms.pop(event.room, None)
        self._deliver(event)
