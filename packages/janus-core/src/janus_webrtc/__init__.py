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

from . import plugin_kit, plugins
from ._extras import media_missing as _media_missing
from .connection import Connection, ConnectionState, connect
from .errors import (
    CertificateError,
    ConnectError,
    HandleNotFoundError,
    JanusError,
    JanusTimeoutError,
    MediaRejectedError,
    MessageTooLargeError,
    NotSentError,
    OutcomeUnknownError,
    PeerConnectionError,
    PluginError,
    PluginLoadError,
    PluginNotFoundError,
    ProtocolError,
    RecordingRefusedError,
    RequestTooLargeError,
    ServerError,
    SessionLostError,
    SessionNotFoundError,
    StateError,
    TransportClosedError,
    TransportError,
    TransportLostError,
    UnanswerableOfferError,
    UnauthorizedError,
)
from .events import EventQueue, EventWaiter
from .handle import Handle, HandleState
from .messages import (
    Candidate,
    ComponentInfo,
    ConnectionStatusChanged,
    Detached,
    Event,
    EventsLost,
    HangUp,
    Jsep,
    MediaState,
    PluginEvent,
    PluginResponse,
    ServerInfo,
    SessionLost,
    SessionTimeout,
    SlowLink,
    Trickle,
    UnknownEvent,
    WebRTCUp,
)
from .reconnect import ReconnectPolicy
from .recordings import RecordingCheck, RecordingHandle, Recordings
from .session import Session, SessionState

# The WebRTC side (aiortc, PyAV) is imported on first use, so that signalling-only users, the
# pytest plugin and janusctl start fast and small, and work without the ``media`` extra
# (``pip install "janus-webrtc[media]"``): without it, these names raise an error saying so.
_LAZY = {
    "media": "",
    "MediaSink": ".webrtc",
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
    from .webrtc import MediaSink, WebRTCHandle
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
    "CertificateError",
    "ComponentInfo",
    "ConnectError",
    "Connection",
    "ConnectionState",
    "ConnectionStateChanged",
    "ConnectionStatusChanged",
    "DataChannel",
    "DataChannelClosed",
    "DataChannelMessage",
    "DataChannelOpened",
    "Detached",
    "Event",
    "EventQueue",
    "EventWaiter",
    "EventsLost",
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
    "MessageTooLargeError",
    "NotSentError",
    "OutcomeUnknownError",
    "PeerConnectionError",
    "PluginError",
    "PluginEvent",
    "PluginLoadError",
    "PluginNotFoundError",
    "PluginResponse",
    "ProtocolError",
    "ReconnectPolicy",
    "RecordingCheck",
    "RecordingHandle",
    "RecordingRefusedError",
    "Recordings",
    "RemoteTrack",
    "RemoteTrackEnded",
    "RequestTooLargeError",
    "RtpStreamStats",
    "ServerError",
    "ServerInfo",
    "Session",
    "SessionLost",
    "SessionLostError",
    "SessionNotFoundError",
    "SessionState",
    "SessionTimeout",
    "SlowLink",
    "StateError",
    "TransportClosedError",
    "TransportError",
    "TransportLostError",
    "TransportStats",
    "Trickle",
    "UnanswerableOfferError",
    "UnauthorizedError",
    "UnknownEvent",
    "WebRTCHandle",
    "WebRTCStats",
    "WebRTCUp",
    "__version__",
    "connect",
    "media",
    "plugin_kit",
    "plugins",
]
