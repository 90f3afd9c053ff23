"""Data channels of a WebRTC handle: labelled, with sends queued until the channel opens."""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Callable
from typing import Any

from .errors import JanusTimeoutError, StateError
from .events import EventQueue
from .messages import Event
from .webrtc_events import DataChannelClosed, DataChannelMessage, DataChannelOpened

__all__ = ["DataChannel"]

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())


class DataChannel:
    """One labelled data channel of a :class:`~janus_webrtc.webrtc.WebRTCHandle`.

    Get it from ``handle.create_data_channel(label)`` or ``await handle.data_channel(label)``
    (for a channel Janus opens, such as TextRoom's ``JanusDataChannel``). Messages sent before
    the channel is open are queued and sent, in order, when it opens. Received messages are
    read with ``async for message in channel.messages()`` (bounded: the oldest are dropped
    when nobody reads) and are also published on the handle as
    :class:`~janus_webrtc.webrtc_events.DataChannelMessage` events.

    Args:
        channel: The aiortc ``RTCDataChannel``.
        publish: Where to publish the channel's events (the handle's event stream).
        max_queued: The most messages kept unread, and the most sends queued before opening.
    """

    def __init__(
        self, channel: Any, publish: Callable[[Event], None], *, max_queued: int = 1024
    ) -> None:
        self._channel = channel
        self._publish = publish
        self._max_queued = max_queued
        self._outbox: deque[str | bytes] = deque()
        self._inbox: EventQueue[DataChannelMessage] = EventQueue(
            max_queued, (DataChannelMessage,), owner=f"data channel {channel.label!r}"
        )
        self._opened: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._closed = False
        channel.on("open", self._on_open)
        channel.on("message", self._on_message)
        channel.on("close", self._on_close)
        if channel.readyState == "open":
            self._on_open()

    def __repr__(self) -> str:
        return f"<DataChannel {self.label!r} {self.ready_state}>"

    @property
    def label(self) -> str:
        """The channel's label."""
        return str(self._channel.label)

    @property
    def ready_state(self) -> str:
        """``connecting``, ``open``, ``closing`` or ``closed``."""
        return "closed" if self._closed else str(self._channel.readyState)

    @property
    def is_open(self) -> bool:
        """Whether messages are being delivered now."""
        return self.ready_state == "open"

    @property
    def queued(self) -> int:
        """Messages waiting for the channel to open."""
        return len(self._outbox)

    @property
    def rtc_data_channel(self) -> Any:
        """The underlying aiortc ``RTCDataChannel`` (for options this class does not expose)."""
        return self._channel

    def send(self, data: str | bytes) -> None:
        """Send a text (``str``) or binary (``bytes``) message; queued until the channel opens.

        Raises:
            StateError: The channel is closed, or too many messages wait for it to open.
        """
        if self.ready_state in ("closing", "closed"):
            raise StateError(f"cannot send on data channel {self.label!r}: it is closed")
        if self.is_open:
            self._channel.send(data)
            return
        if len(self._outbox) >= self._max_queued:
            raise StateError(
                f"cannot send on data channel {self.label!r}: {self._max_queued} messages "
                "already wait for it to open"
            )
        self._outbox.append(data)

    async def wait_open(self, *, timeout: float | None = 10.0) -> None:
        """Wait until the channel is open.

        Raises:
            JanusTimeoutError: Not open within ``timeout`` seconds.
            StateError: The channel closed first.
        """
        try:
            async with asyncio.timeout(timeout):
                await asyncio.shield(self._opened)
        except TimeoutError:
            raise JanusTimeoutError(
                f"data channel {self.label!r} did not open within {timeout} s"
            ) from None

    def messages(self) -> EventQueue[DataChannelMessage]:
        """The messages received (as ``DataChannelMessage``), until the channel closes.

        Iterate it with ``async for``, or take one with ``await channel.messages().get()``.
        """
        return self._inbox

    async def receive(self, *, timeout: float | None = 10.0) -> DataChannelMessage:
        """Return the next message received, waiting at most ``timeout`` seconds.

        Raises:
            JanusTimeoutError: No message in time.
            StateError: The channel closed and every message was read.
        """
        return await self._inbox.get(timeout=timeout)

    def close(self) -> None:
        """Close the channel; idempotent."""
        if self._closed:
            return
        self._channel.close()
        self._on_close()

    def _release(self) -> None:
        """Mark closed after its peer connection closed (sends nothing on the wire)."""
        self._on_close()

    def _on_open(self) -> None:
        if self._opened.done():
            return
        self._opened.set_result(None)
        while self._outbox:
            self._channel.send(self._outbox.popleft())
        self._publish(DataChannelOpened(self.label))

    def _on_message(self, data: str | bytes) -> None:
        event = DataChannelMessage(self.label, data)
        self._inbox.put(event)
        self._publish(event)

    def _on_close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._outbox.clear()
        self._inbox.close()
        if not self._opened.done():
            self._opened.set_exception(
                StateError(f"data channel {self.label!r} closed before it opened")
            )
            self._opened.exception()  # retrieved: nobody may be waiting
        self._channel.remove_all_listeners()
        self._publish(DataChannelClosed(self.label))
