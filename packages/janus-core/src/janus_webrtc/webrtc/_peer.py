"""Creating and closing aiortc peer connections for Janus (private).

:func:`open_peer_connection` is where a WebRTC handle first needs media: it imports aiortc,
aioice and PyAV (:func:`janus_webrtc._extras.import_media`). Until then a handle used for
signalling only has loaded none of them.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from typing import TYPE_CHECKING

from .._extras import import_media

if TYPE_CHECKING:
    from aiortc import RTCConfiguration, RTCPeerConnection

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())


def open_peer_connection(
    configuration: RTCConfiguration | None, *, max_bundle: bool, what: str
) -> RTCPeerConnection:
    """Create a peer connection with Janus (:func:`for_janus` gives its configuration).

    Args:
        configuration: The handle's configuration (None: aiortc's default).
        max_bundle: Whether to bundle every m-line (see :func:`for_janus`).
        what: Who needs it (a handle class name), for the error without the ``media`` extra.

    Raises:
        ModuleNotFoundError: The ``media`` extra is not installed (the message says so).
    """
    import_media(what)
    from aiortc import RTCPeerConnection

    return RTCPeerConnection(for_janus(configuration, max_bundle=max_bundle))


def is_rtc_configuration(value: object) -> bool:
    """Whether ``value`` is an aiortc ``RTCConfiguration`` (``None`` imports nothing)."""
    if value is None:
        return False
    from aiortc import RTCConfiguration  # loaded already if ``value`` is one

    return isinstance(value, RTCConfiguration)


def for_janus(
    configuration: RTCConfiguration | None, *, max_bundle: bool = True
) -> RTCConfiguration | None:
    """The configuration a peer connection with Janus gets: max-bundle unless told otherwise.

    Janus bundles every m-line on one transport. With aiortc's default ``balanced`` policy, an
    answer with two m-lines of one kind leaves the second on a transport that is then
    discarded, and it never gets media. ``balanced`` (aiortc's default, so also the policy of
    a configuration that names none) becomes ``max-bundle``; ``max-compat`` is kept.

    ``max_bundle=False`` keeps the configuration as given: for a peer connection whose first
    object is a data channel. aiortc's max-bundle would bundle the transceivers added later
    on the data channel's transport while their m-lines come first in the offer, and it then
    ignores the candidates Janus trickles for the first m-line (the call never connects).
    """
    if not max_bundle:
        return configuration
    from aiortc import RTCBundlePolicy, RTCConfiguration

    if configuration is None:
        return RTCConfiguration(bundlePolicy=RTCBundlePolicy.MAX_BUNDLE)
    if configuration.bundlePolicy is RTCBundlePolicy.BALANCED:
        return dataclasses.replace(configuration, bundlePolicy=RTCBundlePolicy.MAX_BUNDLE)
    return configuration


_closing: set[asyncio.Task[None]] = set()


async def close_shielded(pc: RTCPeerConnection) -> None:
    """Close a peer connection; a cancellation of the caller does not interrupt the close.

    aiortc's ``close()`` stops transceivers, DTLS and ICE one after the other: cut in the
    middle (a detach cancelling a close Janus's hangup started), it leaves tasks that fail
    later ("Task exception was never retrieved ... InvalidStateError"). The close runs as a
    task of its own, kept (so it is not collected) until done; its own failure is logged.
    """
    task = asyncio.get_running_loop().create_task(pc.close())
    _closing.add(task)
    task.add_done_callback(_closed)
    await asyncio.shield(task)


def _closed(task: asyncio.Task[None]) -> None:
    _closing.discard(task)
    if not task.cancelled() and task.exception() is not None:
        logger.warning("closing a peer connection failed", exc_info=task.exception())
