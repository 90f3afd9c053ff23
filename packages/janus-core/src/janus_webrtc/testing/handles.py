"""Attach handles for a test, with host-only ICE, and close them all after it.

Behind the ``janus_handle_factory`` fixture of :mod:`janus_webrtc.testing.plugin`::

    async def test_echo(janus_handle_factory: HandleFactory) -> None:
        echo = await janus_handle_factory(EchoTestHandle)      # typed EchoTestHandle
        other = await janus_handle_factory("videoroom", session=my_session)

Every WebRTC handle made gets ``RTCConfiguration(iceServers=[])`` (no STUN server: nothing
leaves the machine), whatever session it is attached on. aiortc is imported only when a
WebRTC handle is made, so signalling-only packages can use the factory without it.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import TYPE_CHECKING, Protocol, TypeVar, overload

from janus_webrtc.errors import JanusError
from janus_webrtc.handle import Handle

if TYPE_CHECKING:
    from janus_webrtc.session import Session

__all__ = ["HandleFactory", "HandleMaker"]

H = TypeVar("H", bound=Handle)


class HandleFactory(Protocol):
    """What ``janus_handle_factory`` is: ``await factory(plugin, session=None)``."""

    @overload
    async def __call__(self, plugin: type[H], *, session: Session | None = None) -> H: ...

    @overload
    async def __call__(self, plugin: str, *, session: Session | None = None) -> Handle: ...


class HandleMaker:
    """Attaches handles on a default session, keeps them, and closes them in :meth:`aclose`.

    Args:
        session: Where handles are attached unless the call names another session.
    """

    def __init__(self, session: Session) -> None:
        self._session = session
        self._made: list[Handle] = []

    @overload
    async def __call__(self, plugin: type[H], *, session: Session | None = None) -> H: ...

    @overload
    async def __call__(self, plugin: str, *, session: Session | None = None) -> Handle: ...

    async def __call__(
        self, plugin: str | type[Handle], *, session: Session | None = None
    ) -> Handle:
        """Attach to ``plugin`` (a name, an id or a handle class) with host-only ICE.

        Args:
            plugin: What :meth:`janus_webrtc.Session.attach` takes.
            session: Another session to attach on (default: the fixture's session).

        Returns:
            The handle, closed (WebRTC handles) or detached after the test.
        """
        handle = await (session or self._session).attach(plugin)
        self._made.append(handle)
        configure = getattr(handle, "configure_rtc", None)
        if configure is not None:
            from aiortc import RTCConfiguration

            configure(RTCConfiguration(iceServers=[]))
        return handle

    @property
    def made(self) -> tuple[Handle, ...]:
        """Every handle made so far, in order."""
        return tuple(self._made)

    async def aclose(self) -> None:
        """Close every handle made (peer connection and all), ignoring those already gone."""
        made, self._made = self._made, []

        async def close(handle: Handle) -> None:
            closer = getattr(handle, "close", None)
            with contextlib.suppress(JanusError):
                await (closer() if closer is not None else handle.detach())

        await asyncio.gather(*(close(handle) for handle in made))
