"""Typed messages and events: what Janus tells a client, as immutable objects.

Every event a handle or session delivers is an instance of :class:`Event`. Plugin packages
subclass :class:`PluginEvent` for their own typed events.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = [
    "Candidate",
    "ComponentInfo",
    "ConnectionState",
    "ConnectionStatusChanged",
    "Detached",
    "Event",
    "EventsLost",
    "HangUp",
    "Jsep",
    "MediaState",
    "PluginEvent",
    "PluginResponse",
    "ServerInfo",
    "SessionLost",
    "SessionTimeout",
    "SlowLink",
    "Trickle",
    "UnknownEvent",
    "WebRTCUp",
]


@dataclass(frozen=True, slots=True)
class Jsep:
    """A session description exchanged with Janus.

    Attributes:
        type: ``"offer"`` or ``"answer"``.
        sdp: The SDP text.
        trickle: Whether the sender will trickle candidates (``None``: not said).
    """

    type: Literal["offer", "answer"]
    sdp: str
    trickle: bool | None = None

    def __repr__(self) -> str:
        return f"Jsep(type={self.type!r}, sdp=<{len(self.sdp)} chars>)"


@dataclass(frozen=True, slots=True)
class Candidate:
    """One ICE candidate, as trickled to or from Janus.

    Attributes:
        candidate: The candidate line (``"candidate:..."``).
        sdp_mid: The media id it belongs to.
        sdp_mline_index: The m-line index it belongs to.
    """

    candidate: str
    sdp_mid: str | None = None
    sdp_mline_index: int | None = None


@dataclass(frozen=True, slots=True)
class PluginResponse:
    """A plugin's answer to a request sent with ``Handle.send``.

    Attributes:
        plugin: The plugin id that answered, such as ``"janus.plugin.echotest"``.
        data: The plugin's data, as the plugin sent it.
        jsep: A session description that came with the answer, if any.
    """

    plugin: str
    data: Mapping[str, Any]
    jsep: Jsep | None = None


@dataclass(frozen=True, slots=True)
class Event:
    """Base of every event delivered by a session or a handle."""


@dataclass(frozen=True, slots=True)
class WebRTCUp(Event):
    """Janus reports the PeerConnection of this handle is up (ICE and DTLS done)."""


@dataclass(frozen=True, slots=True)
class MediaState(Event):
    """Janus started or stopped receiving a medium on this handle.

    Attributes:
        kind: ``"audio"`` or ``"video"``.
        mid: The media id of the stream.
        receiving: Whether Janus is receiving it now.
        seconds: With ``receiving=False``: seconds without media before Janus said so.
        substream: The simulcast substream, when the stream is simulcast.
    """

    kind: str
    mid: str | None
    receiving: bool
    seconds: int | None = None
    substream: int | None = None


@dataclass(frozen=True, slots=True)
class SlowLink(Event):
    """Janus reports many lost packets on a stream.

    Attributes:
        kind: ``"audio"`` or ``"video"``.
        mid: The media id of the stream.
        uplink: True when the loss is on what Janus receives from this client.
        lost: Packets lost recently.
    """

    kind: str
    mid: str | None
    uplink: bool
    lost: int


@dataclass(frozen=True, slots=True)
class HangUp(Event):
    """Janus closed the PeerConnection of this handle.

    Attributes:
        reason: Why, as Janus said it (for example ``"DTLS alert"``).
    """

    reason: str


@dataclass(frozen=True, slots=True)
class Detached(Event):
    """The handle was detached from its plugin; it delivers no more events."""


@dataclass(frozen=True, slots=True)
class Trickle(Event):
    """Janus trickled one of its ICE candidates, or said it has no more.

    Attributes:
        candidate: The candidate, or ``None`` when ``completed``.
        completed: True when Janus has finished gathering.
    """

    candidate: Candidate | None
    completed: bool = False


@dataclass(frozen=True, slots=True)
class PluginEvent(Event):
    """An event sent by the plugin of a handle.

    Plugin packages subclass this with typed fields; the generic handle delivers it as is.

    Attributes:
        plugin: The plugin id, such as ``"janus.plugin.videoroom"``.
        data: The plugin's data, as the plugin sent it.
        jsep: A session description that came with the event, if any.
    """

    plugin: str
    data: Mapping[str, Any] = field(default_factory=dict)
    jsep: Jsep | None = None


@dataclass(frozen=True, slots=True)
class SessionTimeout(Event):
    """Janus destroyed the session because no keepalive or request reached it in time."""


@dataclass(frozen=True, slots=True)
class SessionLost(Event):
    """The session is gone for good and its handles with it; nothing more will arrive.

    Published to the session and to each of its handles, just before their event iterators
    end. Requests made afterwards raise :class:`~janus_webrtc.SessionLostError`.

    Attributes:
        reason: Why: the server restarted and no longer knows the session, the server stayed
            unreachable past the reconnect policy, or it timed the session out.
    """

    reason: str


@dataclass(frozen=True, slots=True)
class EventsLost(Event):
    """Janus sent events of this session that never arrived (HTTP long-poll after a reset).

    Published to the session and each of its handles; requests that were waiting for an
    event fail with :class:`~janus_webrtc.OutcomeUnknownError`. See docs/transports.md for
    why HTTP cannot always deliver every event and WebSocket can.

    Attributes:
        count: How many events are known to be lost (at least one).
    """

    count: int


class ConnectionState(enum.Enum):
    """Where a connection is in its life."""

    NEW = "new"
    OPEN = "open"
    RECONNECTING = "reconnecting"
    CLOSED = "closed"


@dataclass(frozen=True, slots=True)
class ConnectionStatusChanged(Event):
    """A connection moved from one :class:`ConnectionState` to another.

    Attributes:
        state: The new state.
        previous: The state before.
        reason: What caused the change (the transport error, ...), if known.
    """

    state: ConnectionState
    previous: ConnectionState
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class UnknownEvent(Event):
    """An event of a kind this version of the library does not know.

    Attributes:
        kind: The event's kind, as Janus named it.
        payload: The rest of the message.
    """

    kind: str
    payload: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ComponentInfo:
    """A plugin, transport or event handler loaded in Janus.

    Attributes:
        id: Its package id, such as ``"janus.plugin.echotest"``.
        name: Its display name.
        version: Its numeric version.
        version_string: Its version as text.
        description: What it does.
        author: Who wrote it.
    """

    id: str
    name: str
    version: int
    version_string: str
    description: str
    author: str


@dataclass(frozen=True, slots=True)
class ServerInfo:
    """What Janus says about itself (the ``info`` request).

    Attributes:
        name: The server's product name.
        version: The numeric version (``1102`` for 1.1.2).
        version_string: The version as text (``"1.1.2"``).
        server_name: The configured ``server_name``.
        session_timeout: Seconds after which an idle session is destroyed (0: never).
        reclaim_session_timeout: Seconds a session survives a lost transport (0: none).
        api_secret_required: Whether requests need the API secret.
        auth_token_required: Whether requests need a token.
        data_channels: Whether data channels are supported.
        full_trickle: Whether Janus trickles its candidates.
        ice_lite: Whether Janus runs ICE-Lite.
        ice_tcp: Whether ICE-TCP is enabled.
        ipv6: Whether IPv6 candidates are gathered.
        local_ip: The local IP Janus uses.
        plugins: Loaded plugins by id.
        transports: Loaded transports by id.
    """

    name: str
    version: int
    version_string: str
    server_name: str
    session_timeout: int
    reclaim_session_timeout: int
    api_secret_required: bool
    auth_token_required: bool
    data_channels: bool
    full_trickle: bool
    ice_lite: bool
    ice_tcp: bool
    ipv6: bool
    local_ip: str
    plugins: Mapping[str, ComponentInfo]
    transports: Mapping[str, ComponentInfo]
