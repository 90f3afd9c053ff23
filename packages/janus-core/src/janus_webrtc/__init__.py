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

import importlib as _importlib
import typing as _typing
from importlib import metadata as _metadata

from . import plugins
from ._extras import media_missing as _media_missing
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

# The WebRTC side (aiortc, PyAV) is imported on first use, so that signalling-only users, the
# pytest plugin and janusctl start fast and small, and work without the ``media`` extra
# (``pip install "janus-webrtc[media]"``): without it, these names raise an error saying so.
_LAZY = {
    "media": "",
    "MediaRejectedError": ".webrtc",
    "MediaSink": ".webrtc",
    "PeerConnectionError": ".webrtc",
    "WebRTCHandle": ".webrtc",
    "DataChannel": ".webrtc_channels",
    "ConnectionStateChanged": ".webrtc_events",
    "DataChannelClosed": ".webrtc_events",
    "DataChannelMessage": ".webrtc_events",
    "DataChannelOpened": ".webrtc_events",
    "IceStateChanged": ".webrtc_events",
    "RemoteTrack": ".webrtc_events",
    "RemoteTrackEnded": ".webrtc_events",
    "RtpStreamStats": ".webrtc_events",
    "TransportStats": ".webrtc_events",
    "WebRTCStats": ".webrtc_events",
}

if _typing.TYPE_CHECKING:
    from . import media
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


def __getattr__(name: str) -> _typing.Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    try:
        imported = _importlib.import_module(module or f".{name}", __name__)
    except ModuleNotFoundError as exc:
        error = _media_missing(exc, f"{__name__}.{name}")
        if error is None:
            raise
        raise error from exc
    value: _typing.Any = imported if module == "" else getattr(imported, name)
    globals()[name] = value
    return value


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
