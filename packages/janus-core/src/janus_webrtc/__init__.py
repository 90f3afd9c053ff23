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

from . import media, plugins
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
from .webrtc import MediaRejectedError, MediaSink, PeerConnectionError, WebRTCHandle
from .webrtc_channels import DataChannel
from .webrtc_events import (
    ConnectionStateChanged,
    DataChannelClosed,
    DataChannelMessage,
    DataChannelOpened,
    IceStateChanged,
    RemoteTrack,
    RemoteTrackEnded,
    RtpStreamStats,
    TransportStats,
    WebRTCStats,
)

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
    "ConnectionStateChanged",
    "DataChannel",
    "DataChannelClosed",
    "DataChannelMessage",
    "DataChannelOpened",
    "Detached",
    "Event",
    "EventQueue",
    "EventWaiter",
    "Handle",
    "HandleNotFoundError",
    "HandleState",
    "HangUp",
    "IceStateChanged",
    "JanusError",
    "JanusTimeoutError",
    "Jsep",
    "MediaRejectedError",
    "MediaSink",
    "MediaState",
    "PeerConnectionError",
    "PluginError",
    "PluginEvent",
    "PluginNotFoundError",
    "PluginResponse",
    "ProtocolError",
    "RemoteTrack",
    "RemoteTrackEnded",
    "RtpStreamStats",
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
    "TransportStats",
    "Trickle",
    "UnauthorizedError",
    "UnknownEvent",
    "WebRTCHandle",
    "WebRTCStats",
    "WebRTCUp",
    "__version__",
    "connect",
    "media",
    "plugins",
]
