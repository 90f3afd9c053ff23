"""Ending a WebRTC handle's call or the handle: hangups, closes, release, background tasks."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Coroutine
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self, final

from ..errors import JanusError, StateError
from ..messages import HangUp
from ._base import WebRTCBase
from ._call import Call

if TYPE_CHECKING:
    from aiortc import RTCPeerConnection

__all__ = ["CloseMixin"]

# The name it had before the split into mixins, so log filters keep working.
logger = logging.getLogger("janus_webrtc.webrtc.handle")


class CloseMixin(WebRTCBase):
    """Hanging up, closing the peer connection, releasing everything at detach."""

    async def hangup(self, *, timeout: float | None = None) -> None:
        """Hang up the media: :meth:`hangup_media`. Plugin handles may give it more meaning.

        Local tracks stay, ready for the next negotiation; remote tracks, sinks and data
        channels of this call end.
        """
        await self.hangup_media(timeout=timeout)

    @final
    async def hangup_media(self, *, reason: str = "hung up", timeout: float | None = None) -> None:
        """Janus's core ``hangup`` (waiting for its event), then close the local peer connection.

        Final: this is what the base class uses itself (``restart_media``, plugins' own
        hangups), whatever :meth:`hangup` means in a subclass. Waits (at most
        :attr:`hangup_timeout` s) for Janus's ``hangup`` event, so a new negotiation right
        after does not race with it.

        Args:
            reason: Why, for the log.
            timeout: Seconds to wait for Janus's answer to ``hangup``.
        """
        self._check_attached("hang up")
        pc = self._pc
        janus_has_pc = pc is not None and pc.localDescription is not None
        try:
            await self._hangup_janus(expect_event=janus_has_pc, timeout=timeout)
        finally:
            await self._close_pc(reason)

    async def _hangup_janus(self, *, expect_event: bool, timeout: float | None) -> None:
        """Send ``hangup``; if Janus has a PeerConnection, wait for its ``hangup`` event.

        The event is then consumed here, not taken for Janus hanging up a later call.
        """
        self._janus_hung_up_at = time.monotonic()
        if not expect_event:
            await self.janus_hangup(timeout=timeout)
            return
        waiter = self.wait_for(HangUp, timeout=self.hangup_timeout)
        self._hangups_expected += 1
        try:
            await self.janus_hangup(timeout=timeout)
            await waiter
        except BaseException:
            waiter.cancel()
            # No hangup event (Janus had none to close, or it was lost): stop expecting one.
            self._hangups_expected = max(0, self._hangups_expected - 1)
            raise

    async def close(self) -> None:
        """Detach from the plugin and release everything; idempotent (same as ``detach``)."""
        await self.detach()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def _undo_call(self, *, tell_janus: bool = True) -> None:
        """Undo a failed first negotiation: close the local side, ask Janus to hang up."""
        await self._close_pc("negotiation failed")
        if tell_janus and not self.detached and not self.session.closed:
            try:
                await self._hangup_janus(
                    expect_event=True, timeout=min(self.session.connection.timeout, 2.0)
                )
            except JanusError as exc:
                logger.debug("handle %d: hangup after failed negotiation: %s", self.id, exc)

    async def _close_pc(self, reason: str, *, only: RTCPeerConnection | None = None) -> None:
        """End the current call: a new one takes its place, the old one is released whole.

        Closes run one at a time: a second caller (Janus's ``hangup`` arriving during a local
        hangup or detach) waits for the first to finish. With ``only``, do nothing unless that
        peer connection is still the current one.
        """
        async with self._close_lock:
            if only is not None and self._call.pc is not only:
                return
            call, self._call = self._call, Call()
            await call.release(reason, self._events.publish, handle_id=self.id)

    async def _mark_detached(self, reason: str) -> None:
        # Janus's "detached" event and the reply to our own detach can both get here: the
        # second caller waits until the first has released everything.
        async with self._release_lock:
            if not self._released:
                await self._release_all(reason)
                self._released = True
        await super()._mark_detached(reason)

    async def _release_all(self, reason: str) -> None:
        """Release the peer connection, local media, waiters and tasks (once, at detach)."""
        await self._close_pc(reason)
        for local in self._local:
            local.track.stop()
        self._local.clear()
        self._players.clear()
        for futures in self._channel_waiters.values():
            for future in futures:
                if not future.done():
                    future.set_exception(
                        StateError(f"cannot wait for a data channel: handle {self.id} {reason}")
                    )
        self._channel_waiters.clear()
        tasks = [t for t in self._tasks if t is not asyncio.current_task()]
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)

    def _spawn(self, coroutine: Coroutine[Any, Any, Any]) -> None:
        """Run a background task for this handle: protected, for subclasses.

        The task is kept by the handle and cancelled (and awaited) when the handle is
        detached or closed; a failure is logged. Plugin handles use it for work started by
        an event, such as the VideoRoom subscriber answering an offer Janus sent unasked.

        Args:
            coroutine: What to run.
        """
        task = asyncio.get_running_loop().create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._task_done)

    def _task_done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            logger.error("background task of %r failed", self, exc_info=task.exception())
