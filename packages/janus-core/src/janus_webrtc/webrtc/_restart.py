"""ICE restart from this side of a WebRTC handle's call (aioice repairs in ``_ice``)."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ..errors import PeerConnectionError, ProtocolError, StateError
from ..messages import PluginResponse
from . import _ice
from ._base import WebRTCBase

if TYPE_CHECKING:
    from aiortc import RTCPeerConnection

__all__ = ["IceRestartMixin"]


class IceRestartMixin(WebRTCBase):
    """Restarting ICE on the current peer connection, keeping DTLS and media."""

    async def restart_ice(
        self, body: Mapping[str, Any], *, timeout: float | None = None
    ) -> PluginResponse:
        """Restart ICE from this side: offer new ICE credentials with ``body``.

        The peer connection, DTLS and media stay; Janus restarts its ICE agent. aiortc has no
        API for this: a private module does it on aioice's connection (the pair in use is kept
        and nominated again), on the aioice versions it was tested on. Restarts Janus
        initiates (a new offer with new credentials, applied with :meth:`answer`) are
        followed automatically.

        Args:
            body: The plugin request carrying the offer (such as ``{"audio": True}``).
            timeout: Seconds to wait for the plugin's answer.

        Returns:
            The plugin's response.

        Raises:
            StateError: No call is up.
            PeerConnectionError: The restart failed (an untested aioice, or the pair could not
                be nominated again).
        """
        self._check_attached("restart ICE")
        async with self._negotiation_lock:
            pc = self._prepare_ice_restart()
            offer = await self._create_offer()
            response = await self.send(body, jsep=offer, timeout=timeout)
            if response.jsep is None:
                raise ProtocolError(f"{self.plugin} answered the ICE restart without a JSEP")
            await self.apply_answer(response.jsep)
            await self._finish_ice_restart(pc)
            return response

    def _prepare_ice_restart(self) -> RTCPeerConnection:
        """Give the current peer connection new local ICE credentials (protected).

        For plugins whose restart offer travels another way (VideoCall's ``set``): call this,
        send :meth:`create_offer`'s offer, apply the answer, then :meth:`_finish_ice_restart`.

        Raises:
            StateError: No call is up.
            PeerConnectionError: aioice cannot be restarted (an untested version).
        """
        pc = self._pc
        if pc is None or pc.remoteDescription is None:
            raise StateError(f"cannot restart ICE: handle {self.id} has no call up")
        try:
            _ice.new_local_credentials(pc)
        except RuntimeError as exc:
            raise PeerConnectionError(f"cannot restart ICE: {exc}") from exc
        return pc

    async def _finish_ice_restart(self, pc: RTCPeerConnection) -> None:
        """Nominate the pair in use again after the restart answer was applied (protected).

        Raises:
            PeerConnectionError: The pair could not be nominated again.
        """
        try:
            async with asyncio.timeout(self.session.connection.timeout):
                await _ice.renominate(pc)
        except Exception as exc:
            reason = "no answer to the check" if isinstance(exc, TimeoutError) else exc
            raise PeerConnectionError(f"ICE restart of handle {self.id} failed: {reason}") from exc
