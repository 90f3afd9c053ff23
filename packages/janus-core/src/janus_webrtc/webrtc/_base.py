"""The state every part of :class:`~janus_webrtc.webrtc.WebRTCHandle` shares.

``WebRTCHandle`` is composed of mixins, one job each (local media, remote media, data
channels...). They all derive from :class:`WebRTCBase`, which declares the handle's private
attributes (set in ``WebRTCHandle.__init__``) and the methods one part calls on another, so
each mixin type-checks on its own.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from functools import cached_property
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
    _last_slowlink: SlowLink | None
    _slowlinks: int
    _hangups_expected: int
    _janus_hung_up_at: float | None
    _released: bool

    # What only a handle that does media needs is made at first use: a handle attached for
    # signalling only (thousands, in a server) then costs a few hundred bytes, not kilobytes.

    @cached_property
    def _call(self) -> Call:
        """The current call (a new one replaces it when it closes)."""
        return Call()

    @cached_property
    def _local(self) -> list[LocalTrack]:
        """The local tracks to send, in the order they were added."""
        return []

    @cached_property
    def _players(self) -> list[Any]:
        """The media players the handle opened and must stop."""
        return []

    @cached_property
    def _channel_waiters(self) -> dict[str, list[asyncio.Future[DataChannel]]]:
        """Futures waiting for a data channel, by label."""
        return {}

    @cached_property
    def _tasks(self) -> set[asyncio.Task[Any]]:
        """The handle's background tasks (see ``_spawn``)."""
        return set()

    @cached_property
    def _negotiation_lock(self) -> asyncio.Lock:
        """Held while an offer or answer is being made and applied."""
        return asyncio.Lock()

    @cached_property
    def _close_lock(self) -> asyncio.Lock:
        """Held while the current call is being closed."""
        return asyncio.Lock()

    @cached_property
    def _release_lock(self) -> asyncio.Lock:
        """Held while the handle's media is released for good."""
        return asyncio.Lock()

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
