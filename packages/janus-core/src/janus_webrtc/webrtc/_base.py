"""The state every part of :class:`~janus_webrtc.webrtc.WebRTCHandle` shares.

``WebRTCHandle`` is composed of mixins, one job each (local media, remote media, data
channels...). They all derive from :class:`WebRTCBase`, which declares the handle's private
attributes (set in ``WebRTCHandle.__init__``) and the methods one part calls on another, so
each mixin type-checks on its own.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import TYPE_CHECKING, Any, ClassVar

from ..errors import MediaRejectedError
from ..handle import Handle
from ..messages import Jsep, SlowLink
from ..webrtc_channels import DataChannel
from ._call import Call
from ._local import LocalTrack

if TYPE_CHECKING:
    from aiortc import RTCConfiguration, RTCPeerConnection

__all__ = ["WebRTCBase"]


class WebRTCBase(Handle):
    """The private attributes of a WebRTC handle, and the methods its parts share."""

    # Class settings, given their values (and documented) by ``WebRTCHandle``.
    hangup_timeout: ClassVar[float]
    new_call_grace: ClassVar[float]
    media_rejected_error: ClassVar[type[MediaRejectedError]]

    _rtc_configuration: RTCConfiguration | None
    _call: Call
    _local: list[LocalTrack]
    _players: list[Any]
    _channel_waiters: dict[str, list[asyncio.Future[DataChannel]]]
    _tasks: set[asyncio.Task[Any]]
    _negotiation_lock: asyncio.Lock
    _close_lock: asyncio.Lock
    _release_lock: asyncio.Lock
    _last_slowlink: SlowLink | None
    _slowlinks: int
    _hangups_expected: int
    _janus_hung_up_at: float | None
    _released: bool

    @property
    def _pc(self) -> RTCPeerConnection | None:
        return self._call.pc

    def _ensure_pc(
        self, *, for_answer: bool = False, for_data_channel: bool = False
    ) -> RTCPeerConnection:
        """Return the call's peer connection, creating it first if needed (negotiation)."""
        raise NotImplementedError

    async def _create_offer(self) -> Jsep:
        """Create and set the local offer (negotiation)."""
        raise NotImplementedError

    async def apply_answer(self, answer: Jsep) -> None:
        """Apply Janus's answer to the offer sent (negotiation)."""
        raise NotImplementedError

    async def _close_pc(self, reason: str, *, only: RTCPeerConnection | None = None) -> None:
        """End the current call and release it whole (closing)."""
        raise NotImplementedError

    def _spawn(self, coroutine: Coroutine[Any, Any, Any]) -> None:
        """Run a background task for this handle (see ``WebRTCHandle._spawn``)."""
        raise NotImplementedError
