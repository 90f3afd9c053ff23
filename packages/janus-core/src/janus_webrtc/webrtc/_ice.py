"""ICE restart on aiortc 1.16, which has no API for it (private: aioice internals).

aiortc keeps one aioice ``Connection`` per peer connection and never looks at the ICE
credentials of a later description. An ICE restart changes them, so:

- when Janus restarts ICE (a new offer with a new ``ice-ufrag``/``ice-pwd``, such as TextRoom's
  ``restart``), the aioice connection must take Janus's new credentials, or its consent checks
  fail and it closes about 30 s later;
- to restart ICE from this side, the aioice connection takes new local credentials before the
  offer, Janus's new ones from the answer, and (when this side is controlling) nominates the
  pair in use again so that Janus's agent, restarted, selects it.

The selected pair does not change: on the same hosts the candidates stay valid. This module is
the only place that touches aioice's internals (``RTCIceTransport._connection``, the
connection's credentials and nominated pairs). It is tested on the aioice versions of
:data:`._versions.TESTED`; on another version an ICE restart from this side raises, and
Janus's restarts are not followed (with a warning), rather than writing into unknown objects.
"""

from __future__ import annotations

import logging
import secrets
import string
from typing import TYPE_CHECKING, Any

from ._versions import untested

if TYPE_CHECKING:
    from aiortc import RTCPeerConnection

__all__ = [
    "ice_connections",
    "ice_credentials",
    "new_local_credentials",
    "renominate",
    "update_remote_credentials",
]

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())

_ALPHABET = string.ascii_letters + string.digits


def _random(length: int) -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(length))


def ice_connections(pc: RTCPeerConnection) -> list[Any]:
    """Return the distinct aioice connections of a peer connection's ICE transports."""
    found: dict[int, Any] = {}
    transports = [t.receiver.transport.transport for t in pc.getTransceivers()]
    if pc.sctp is not None:
        transports.append(pc.sctp.transport.transport)
    for transport in transports:
        connection = getattr(transport, "_connection", None)
        if connection is not None:
            found[id(connection)] = connection
    return list(found.values())


def new_local_credentials(pc: RTCPeerConnection) -> None:
    """Give every aioice connection new local ICE credentials (before a restart offer).

    Raises:
        RuntimeError: aioice is not a tested version, or lacks the expected attributes.
    """
    why = untested("aioice")
    if why is not None:
        raise RuntimeError(why)
    for connection in ice_connections(pc):
        if not hasattr(connection, "_local_username") or not hasattr(connection, "_local_password"):
            raise RuntimeError("this aioice version keeps its ICE credentials elsewhere")
        connection._local_username = _random(4)
        connection._local_password = _random(22)


def ice_credentials(sdp: str) -> tuple[str, str] | None:
    """Return the first ``(ice-ufrag, ice-pwd)`` of an SDP (sections share them when bundled)."""
    ufrag = pwd = None
    for raw in sdp.splitlines():
        line = raw.strip()
        if line.startswith("a=ice-ufrag:") and ufrag is None:
            ufrag = line[len("a=ice-ufrag:") :]
        elif line.startswith("a=ice-pwd:") and pwd is None:
            pwd = line[len("a=ice-pwd:") :]
    return (ufrag, pwd) if ufrag is not None and pwd is not None else None


def update_remote_credentials(pc: RTCPeerConnection, sdp: str) -> bool:
    """Make aioice use the remote ICE credentials of ``sdp`` if they changed (an ICE restart).

    Returns:
        Whether they changed on a connection that was already checking or connected.
    """
    credentials = ice_credentials(sdp)
    if credentials is None:
        return False
    why = untested("aioice")
    if why is not None:
        logger.warning("Janus's ICE credentials are not followed: %s", why)
        return False
    changed = False
    for connection in ice_connections(pc):
        if connection.remote_password is None:  # not started yet: aiortc sets them itself
            continue
        if (connection.remote_username, connection.remote_password) != credentials:
            connection.remote_username, connection.remote_password = credentials
            changed = True
    return changed


async def renominate(pc: RTCPeerConnection) -> None:
    """As the controlling agent, nominate the pairs in use again with the new credentials.

    Raises:
        RuntimeError: aioice is not a tested version.
        Exception: aioice's STUN transaction error when Janus does not answer the check.
    """
    why = untested("aioice")
    if why is not None:
        raise RuntimeError(why)
    for connection in ice_connections(pc):
        if not connection.ice_controlling:
            continue
        for pair in list(getattr(connection, "_nominated", {}).values()):
            request = connection.build_request(pair, nominate=True)
            await pair.protocol.request(
                request,
                pair.remote_addr,
                integrity_key=connection.remote_password.encode("utf8"),
            )
