"""janus-webrtc: an asyncio client for the Janus WebRTC server.

Example::

    import janus_webrtc

    async with janus_webrtc.connect("ws://127.0.0.1:8188") as conn:
        info = await conn.info()
        async with await conn.create_session() as session:
            handle = await session.attach("echotest")
            reply = await handle.send({"audio": True})
"""

from __future__ import annotations

from importlib import metadata as _metadata

from . import plugins
from .connection import Connection, ConnectionState, connect
from .errors import (
    ConnectError,
    HandleNotFoundError,
    JanusError,
    JanusTimeoutError,
    PluginError,
    PluginNotFoundError,
    ProtocolError,
    ServerError,
    SessionNotFoundError,
    StateError,
    TransportClosedError,
    TransportError,
    UnauthorizedError,
)
from .events import EventQueue, EventWaiter
from .handle import Handle, HandleState
from .messages import (
    Candidate,
    ComponentInfo,
    Detached,
    Event,
    HangUp,
    Jsep,
    MediaState,
    PluginEvent,
    PluginResponse,
    ServerInfo,
    SessionTimeout,
    SlowLink,
    Trickle,
    UnknownEvent,
    WebRTCUp,
)
from .session import Session, SessionState

try:
    __version__ = _metadata.version("janus-webrtc")
except _metadata.PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"

__all__ = [
    "Candidate",
    "ComponentInfo",
    "ConnectError",
    "Connection",
    "ConnectionState",
    "Detached",
    "Event",
    "EventQueue",
    "EventWaiter",
    "Handle",
    "HandleNotFoundError",
    "HandleState",
    "HangUp",
    "JanusError",
    "JanusTimeoutError",
    "Jsep",
    "MediaState",
    "PluginError",
    "PluginEvent",
    "PluginNotFoundError",
    "PluginResponse",
    "ProtocolError",
    "ServerError",
    "ServerInfo",
    "Session",
    "SessionNotFoundError",
    "SessionState",
    "SessionTimeout",
    "SlowLink",
    "StateError",
    "TransportClosedError",
    "TransportError",
    "Trickle",
    "UnauthorizedError",
    "UnknownEvent",
    "WebRTCUp",
    "__version__",
    "connect",
    "plugins",
]
