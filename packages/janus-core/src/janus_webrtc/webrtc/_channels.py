"""Data channels of a WebRTC handle: creating them and waiting for Janus's."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

from ..errors import JanusTimeoutError
from ..webrtc_channels import DataChannel
from ._base import WebRTCBase
from ._call import Call

__all__ = ["DataChannelsMixin"]


class DataChannelsMixin(WebRTCBase):
    """Labelled data channels of the current peer connection."""

    def create_data_channel(
        self,
        label: str,
        *,
        ordered: bool = True,
        max_retransmits: int | None = None,
        max_packet_life_time: int | None = None,
        protocol: str = "",
    ) -> DataChannel:
        """Open a labelled data channel (creating the peer connection if needed).

        Created before the first offer, it is negotiated with it; created later, renegotiate
        if the SDP had no data channel yet. Messages sent before it opens are queued.

        Raises:
            ValueError: A channel with that label exists.
            StateError: The handle is detached.
        """
        self._check_attached("create a data channel")
        if label in self._call.channels:
            raise ValueError(f"a data channel labelled {label!r} exists already")
        rtc = self._ensure_pc(for_data_channel=True).createDataChannel(
            label,
            ordered=ordered,
            maxRetransmits=max_retransmits,
            maxPacketLifeTime=max_packet_life_time,
            protocol=protocol,
        )
        return self._add_channel(self._call, rtc)

    async def data_channel(self, label: str, *, timeout: float | None = None) -> DataChannel:
        """Return the data channel with this label, waiting for Janus to open it if needed.

        Raises:
            JanusTimeoutError: No such channel in time.
            StateError: The handle is detached, or hung up while waiting.
        """
        self._check_attached("wait for a data channel")
        existing = self._call.channels.get(label)
        if existing is not None:
            return existing
        limit = self._limit(timeout)
        future: asyncio.Future[DataChannel] = asyncio.get_running_loop().create_future()
        self._channel_waiters.setdefault(label, []).append(future)
        try:
            async with asyncio.timeout(limit):
                return await future
        except TimeoutError:
            raise JanusTimeoutError(f"no data channel {label!r} within {limit} s") from None
        finally:
            waiters = self._channel_waiters.get(label)
            if waiters is not None and future in waiters:
                waiters.remove(future)

    @property
    def data_channels(self) -> Mapping[str, DataChannel]:
        """The data channels of the current peer connection, by label."""
        return dict(self._call.channels)

    def _add_channel(self, call: Call, rtc: Any) -> DataChannel:
        channel = call.add_channel(rtc, self._events.publish)
        for future in self._channel_waiters.pop(channel.label, []):
            if not future.done():
                future.set_result(channel)
        return channel
