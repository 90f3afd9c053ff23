"""Typed requests' parts, results and events of the Streaming plugin.

Results of the synchronous requests (``list``, ``info``, ``create``, ``edit``...) are plain
frozen dataclasses. Events derive from :class:`StreamingEvent` (a
:class:`janus_webrtc.PluginEvent`), so they keep the plugin's raw ``data`` and any ``jsep``
beside their typed fields; :func:`parse_event` makes them and the handle calls it for every
event it gets.

Janus reports a viewer's state changes as ``{"streaming": "event", "result": {"status": ...}}``:
each status is its own class here (:class:`Preparing`, :class:`Starting`, :class:`Started`,
:class:`Pausing`, :class:`Stopping`, :class:`Stopped`, :class:`Kicked`...).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from janus_webrtc import PluginEvent, PluginResponse
from janus_webrtc.plugin_kit import (
    bool_or_none,
    id_or_none,
    int_or_none,
    mappings,
    str_or_none,
)

__all__ = [
    "Configured",
    "Kicked",
    "MediaKind",
    "MetadataEdited",
    "Mountpoint",
    "MountpointCreated",
    "MountpointEdited",
    "MountpointId",
    "MountpointPort",
    "MountpointStream",
    "Pausing",
    "Preparing",
    "RtpMedia",
    "SimulcastChanged",
    "Started",
    "Starting",
    "StatusEvent",
    "Stopped",
    "Stopping",
    "StreamingErrorEvent",
    "StreamingEvent",
    "Switched",
    "Updating",
    "parse_created",
    "parse_event",
    "parse_mountpoint",
    "parse_response",
]

MountpointId = int | str
"""A mountpoint id: an int, or a str when the plugin is configured with ``string_ids``."""

MediaKind = Literal["audio", "video", "data"]
"""The kind of one stream of a mountpoint."""


# -- request parts ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RtpMedia:
    """One stream of an RTP mountpoint to create (an entry of ``create``'s ``media``).

    Attributes:
        type: ``"audio"``, ``"video"`` or ``"data"``.
        mid: Its unique mid in the SDP offered to viewers.
        port: The UDP port to receive RTP on; 0 lets Janus pick one from the plugin's
            ``rtp_port_range`` (read it from :attr:`MountpointCreated.ports`).
        pt: The RTP payload type (audio and video).
        codec: The codec name, such as ``"opus"`` or ``"vp8"``.
        fmtp: SDP ``fmtp`` parameters, if any.
        label: A text label (default: the type).
        msid: An msid to put in the m-line.
        iface: The interface or IP address to bind to (all interfaces when None).
        mcast: A multicast group to join.
        rtcpport: A port for RTCP feedback (keyframe requests to the source).
        skew: Compensate clock skew (experimental in Janus).
        bufferkf: Keep the last keyframe for new viewers (video).
        simulcast: Receive simulcast (video; with ``port2``/``port3``).
        port2: The port of the second simulcast substream.
        port3: The port of the third simulcast substream.
        svc: VP9-SVC video.
        buffermsg: Keep the last message for new viewers (data).
    """

    type: MediaKind
    mid: str
    port: int = 0
    pt: int | None = None
    codec: str | None = None
    fmtp: str | None = None
    label: str | None = None
    msid: str | None = None
    iface: str | None = None
    mcast: str | None = None
    rtcpport: int | None = None
    skew: bool | None = None
    bufferkf: bool | None = None
    simulcast: bool | None = None
    port2: int | None = None
    port3: int | None = None
    svc: bool | None = None
    buffermsg: bool | None = None

    def to_wire(self) -> dict[str, Any]:
        """The JSON object Janus reads (unset attributes left out)."""
        fields = {name: getattr(self, name) for name in self.__slots__}
        return {name: value for name, value in fields.items() if value is not None}


# -- results ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MountpointPort:
    """A port an RTP mountpoint listens on (from the ``created`` answer).

    Attributes:
        type: ``"audio"``, ``"video"`` or ``"data"``.
        mid: The stream's mid.
        port: The UDP port to send its RTP to.
        msid: Its msid, if configured.
    """

    type: str
    mid: str | None
    port: int
    msid: str | None = None


@dataclass(frozen=True, slots=True)
class MountpointCreated:
    """The answer to ``create``.

    Attributes:
        id: The new mountpoint's id.
        name: Its unique name.
        type: Its type as Janus reports it (``"live"`` for RTP and live files,
            ``"ondemand"``...).
        description: Its description.
        is_private: Whether it is hidden from ``list``.
        permanent: Whether it was saved to the configuration file.
        host: The address RTP mountpoints listen on, when Janus says.
        ports: The ports of an RTP mountpoint, per stream.
    """

    id: MountpointId
    name: str | None = None
    type: str | None = None
    description: str | None = None
    is_private: bool | None = None
    permanent: bool = False
    host: str | None = None
    ports: tuple[MountpointPort, ...] = ()

    def port(self, mid: str) -> int:
        """Return the port of the stream ``mid``.

        Raises:
            KeyError: No such stream.
        """
        for entry in self.ports:
            if entry.mid == mid:
                return entry.port
        raise KeyError(f"mountpoint {self.id} has no port for mid {mid!r}")


@dataclass(frozen=True, slots=True)
class MountpointStream:
    """One stream of a mountpoint, as ``list`` and ``info`` describe it.

    Attributes:
        mid: Its mid.
        type: ``"audio"``, ``"video"`` or ``"data"``.
        mindex: Its m-line index (``info`` only).
        label: Its text label.
        msid: Its msid, if configured.
        age_ms: Milliseconds since media last arrived for it, if any did.
        pt: Its payload type (RTP, ``info`` only).
        codec: Its codec (``info`` only).
        rtpmap: Its SDP ``rtpmap`` value (``info`` only).
        fmtp: Its SDP ``fmtp`` value (``info`` only).
        port: The port it listens on (``info`` with the secret only).
    """

    mid: str | None
    type: str | None = None
    mindex: int | None = None
    label: str | None = None
    msid: str | None = None
    age_ms: int | None = None
    pt: int | None = None
    codec: str | None = None
    rtpmap: str | None = None
    fmtp: str | None = None
    port: int | None = None


@dataclass(frozen=True, slots=True)
class Mountpoint:
    """A mountpoint, as ``list`` (summary) or ``info`` (details) describes it.

    Attributes:
        id: Its id.
        type: Its type as Janus reports it (``"live"``, ``"ondemand"``...).
        description: Its description.
        metadata: Its metadata, if any.
        enabled: Whether viewers can watch it.
        media: Its streams.
        name: Its unique name (``info`` with the secret).
        secret: Its secret (``info`` with the secret).
        pin: Its pin (``info`` with the secret).
        is_private: Whether it is hidden from ``list`` (``info`` with the secret).
        viewers: How many viewers watch it (``info`` with the secret).
        host: The address an RTP mountpoint listens on (``info`` with the secret).
        filename: The file a live or on-demand mountpoint plays (``info``).
    """

    id: MountpointId
    type: str | None = None
    description: str | None = None
    metadata: str | None = None
    enabled: bool | None = None
    media: tuple[MountpointStream, ...] = ()
    name: str | None = None
    secret: str | None = None
    pin: str | None = None
    is_private: bool | None = None
    viewers: int | None = None
    host: str | None = None
    filename: str | None = None

    def stream(self, mid: str) -> MountpointStream | None:
        """Return the stream ``mid``, if the mountpoint has it."""
        return next((s for s in self.media if s.mid == mid), None)


@dataclass(frozen=True, slots=True)
class MountpointEdited:
    """The answer to ``edit``.

    Attributes:
        id: The mountpoint.
        permanent: Whether the change was saved to the configuration file.
    """

    id: MountpointId
    permanent: bool = False


def _stream(data: Mapping[str, Any]) -> MountpointStream:
    return MountpointStream(
        mid=str_or_none(data.get("mid")),
        type=str_or_none(data.get("type")),
        mindex=int_or_none(data.get("mindex")),
        label=str_or_none(data.get("label")),
        msid=str_or_none(data.get("msid")),
        age_ms=int_or_none(data.get("age_ms")),
        pt=int_or_none(data.get("pt")),
        codec=str_or_none(data.get("codec")),
        rtpmap=str_or_none(data.get("rtpmap")),
        fmtp=str_or_none(data.get("fmtp")),
        port=int_or_none(data.get("port")),
    )


def parse_mountpoint(data: Mapping[str, Any]) -> Mountpoint | None:
    """Read one mountpoint of a ``list`` answer, or the ``info`` object (None without id)."""
    ident = id_or_none(data.get("id"))
    if ident is None:
        return None
    return Mountpoint(
        id=ident,
        type=str_or_none(data.get("type")),
        description=str_or_none(data.get("description")),
        metadata=str_or_none(data.get("metadata")),
        enabled=bool_or_none(data.get("enabled")),
        media=tuple(_stream(m) for m in mappings(data.get("media"))),
        name=str_or_none(data.get("name")),
        secret=str_or_none(data.get("secret")),
        pin=str_or_none(data.get("pin")),
        is_private=bool_or_none(data.get("is_private")),
        viewers=int_or_none(data.get("viewers")),
        host=str_or_none(data.get("host")),
        filename=str_or_none(data.get("filename")),
    )


def parse_created(data: Mapping[str, Any]) -> MountpointCreated | None:
    """Read the ``created`` answer (None when it names no mountpoint)."""
    stream = data.get("stream")
    stream = stream if isinstance(stream, Mapping) else {}
    ident = id_or_none(stream.get("id"))
    if ident is None:
        return None
    ports = tuple(
        MountpointPort(
            type=str_or_none(p.get("type")) or "",
            mid=str_or_none(p.get("mid")),
            port=port,
            msid=str_or_none(p.get("msid")),
        )
        for p in mappings(stream.get("ports"))
        if (port := int_or_none(p.get("port"))) is not None
    )
    return MountpointCreated(
        id=ident,
        name=str_or_none(data.get("created")),
        type=str_or_none(stream.get("type")),
        description=str_or_none(stream.get("description")),
        is_private=bool_or_none(stream.get("is_private")),
        permanent=bool_or_none(data.get("permanent")) is True,
        host=str_or_none(stream.get("host")),
        ports=ports,
    )


# -- events -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StreamingEvent(PluginEvent):
    """An event of the Streaming plugin (the base class; also used for unknown kinds)."""


@dataclass(frozen=True, slots=True)
class StatusEvent(StreamingEvent):
    """A viewer's status change (``result.status``); the subclasses are the statuses.

    Attributes:
        status: The status as Janus sent it.
    """

    status: str = ""


@dataclass(frozen=True, slots=True)
class Preparing(StatusEvent):
    """Janus prepared the viewer's PeerConnection (``preparing``): ``jsep`` is its offer."""


@dataclass(frozen=True, slots=True)
class Updating(StatusEvent):
    """Janus offers an ICE restart (``updating``): ``jsep`` is its new offer."""


@dataclass(frozen=True, slots=True)
class Starting(StatusEvent):
    """The playout will start once the PeerConnection is up (``starting``)."""


@dataclass(frozen=True, slots=True)
class Started(StatusEvent):
    """The playout started: media flows (``started``)."""


@dataclass(frozen=True, slots=True)
class Pausing(StatusEvent):
    """The playout is paused (``pausing``); ``start`` resumes it."""


@dataclass(frozen=True, slots=True)
class Stopping(StatusEvent):
    """The playout stops and Janus closes the PeerConnection (``stopping``)."""


@dataclass(frozen=True, slots=True)
class Stopped(StatusEvent):
    """The mountpoint went away (destroyed, or its source ended): the viewer is done."""


@dataclass(frozen=True, slots=True)
class Kicked(StatusEvent):
    """Every viewer of the mountpoint was kicked (``kicked_all``), this one included."""


@dataclass(frozen=True, slots=True)
class Switched(StreamingEvent):
    """The viewer now watches another mountpoint (``switched``).

    Attributes:
        id: The mountpoint now watched.
    """

    id: MountpointId | None = None


@dataclass(frozen=True, slots=True)
class Configured(StreamingEvent):
    """A ``configure`` was applied (``configured``)."""


@dataclass(frozen=True, slots=True)
class MetadataEdited(StreamingEvent):
    """The watched mountpoint was edited with ``edited_event`` (``edited``).

    Attributes:
        id: The mountpoint.
        metadata: Its metadata now, if it has any.
    """

    id: MountpointId | None = None
    metadata: str | None = None


@dataclass(frozen=True, slots=True)
class SimulcastChanged(StreamingEvent):
    """The simulcast substream or SVC layer relayed to the viewer changed.

    Attributes:
        mid: The stream, when Janus says.
        substream: The simulcast substream now relayed, if that changed.
        temporal: The simulcast temporal layer now relayed, if that changed.
        spatial_layer: The SVC spatial layer now relayed, if that changed.
        temporal_layer: The SVC temporal layer now relayed, if that changed.
    """

    mid: str | None = None
    substream: int | None = None
    temporal: int | None = None
    spatial_layer: int | None = None
    temporal_layer: int | None = None


@dataclass(frozen=True, slots=True)
class StreamingErrorEvent(StreamingEvent):
    """An error the plugin reported in an event rather than in the answer to a request.

    Attributes:
        error_code: The plugin's error code (see :mod:`janus_streaming.errors`).
        error: The plugin's text.
    """

    error_code: int | None = None
    error: str = ""


_STATUSES: dict[str, type[StatusEvent]] = {
    "preparing": Preparing,
    "updating": Updating,
    "starting": Starting,
    "started": Started,
    "pausing": Pausing,
    "stopping": Stopping,
    "stopped": Stopped,
    "kicked_all": Kicked,
}
_LAYERS = ("substream", "temporal", "spatial_layer", "temporal_layer")


def parse_event(event: PluginEvent) -> PluginEvent:
    """Turn a generic Streaming plugin event into a typed one.

    Args:
        event: The event with the plugin's data as sent.

    Returns:
        The typed event; a plain :class:`StreamingEvent` for kinds this version does not know.
    """
    data = event.data
    common: dict[str, Any] = {"plugin": event.plugin, "data": data, "jsep": event.jsep}
    if data.get("event") == "edited" and "streaming" not in data:
        return MetadataEdited(
            **common, id=id_or_none(data.get("id")), metadata=str_or_none(data.get("metadata"))
        )
    if "error_code" in data or "error" in data:
        return StreamingErrorEvent(
            **common,
            error_code=int_or_none(data.get("error_code")),
            error=str(data.get("error", "")),
        )
    result = data.get("result")
    if not isinstance(result, Mapping):
        return StreamingEvent(**common)
    status = str_or_none(result.get("status"))
    if status is not None:
        return _STATUSES.get(status, StatusEvent)(**common, status=status)
    if "switched" in result:
        return Switched(**common, id=id_or_none(result.get("id")))
    if result.get("event") == "configured":
        return Configured(**common)
    if any(name in result for name in _LAYERS):
        return SimulcastChanged(
            **common,
            mid=str_or_none(result.get("mid")),
            substream=int_or_none(result.get("substream")),
            temporal=int_or_none(result.get("temporal")),
            spatial_layer=int_or_none(result.get("spatial_layer")),
            temporal_layer=int_or_none(result.get("temporal_layer")),
        )
    return StreamingEvent(**common)


def parse_response(response: PluginResponse) -> PluginEvent:
    """Turn the plugin's answer to an asynchronous request into a typed event."""
    return parse_event(PluginEvent(plugin=response.plugin, data=response.data, jsep=response.jsep))
