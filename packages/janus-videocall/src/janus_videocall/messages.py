"""Typed events and results of the VideoCall plugin.

The plugin answers every request with an event of the same shape as the ones it sends on its
own (``{"videocall": "event", "result": {"event": "<name>", ...}}``), so one class serves both:
:meth:`~janus_videocall.VideoCallHandle.register` returns a :class:`Registered`, and so on.

=====================  ========================================================================
Plugin ``event``       Class
=====================  ========================================================================
``registered``         :class:`Registered` (result of ``register``)
``calling``            :class:`Calling` (result of ``call``)
``incomingcall``       :class:`IncomingCall` (with the caller's offer)
``accepted``           :class:`Accepted` (result of ``accept``; event with the answer to a call)
``update``             :class:`Updated` (a renegotiation: an offer to answer, or an answer)
``hangup``             :class:`HungUp` (result of ``hangup``; event when the call ends)
``set``                :class:`SetResult` (result of ``set``)
``simulcast``          :class:`SimulcastChanged` (substream or temporal layer relayed)
``slow_link``          :class:`VideoCallSlowLink`
=====================  ========================================================================

The result of ``list`` is a tuple of names (:func:`parse_list`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from janus_webrtc import PluginEvent, PluginResponse, ProtocolError
from janus_webrtc.plugin_kit import int_or_none, str_or_none

__all__ = [
    "Accepted",
    "Calling",
    "HungUp",
    "IncomingCall",
    "Registered",
    "SetResult",
    "SimulcastChanged",
    "Updated",
    "VideoCallEvent",
    "VideoCallSlowLink",
    "parse_event",
    "parse_list",
    "parse_result",
]


@dataclass(frozen=True, slots=True)
class VideoCallEvent(PluginEvent):
    """Base of the VideoCall plugin's typed events and results.

    ``plugin``, ``data`` (the plugin's data as sent) and ``jsep`` come from
    :class:`~janus_webrtc.PluginEvent`.
    """


@dataclass(frozen=True, slots=True)
class Registered(VideoCallEvent):
    """The handle registered a name (``registered``).

    Attributes:
        username: The name, now reserved for this handle until it detaches.
    """

    username: str = ""


@dataclass(frozen=True, slots=True)
class Calling(VideoCallEvent):
    """The plugin relayed the offer to the callee, whose phone now rings (``calling``)."""


@dataclass(frozen=True, slots=True)
class IncomingCall(VideoCallEvent):
    """Someone calls this handle (``incomingcall``); ``jsep`` is Janus's offer.

    The handle keeps the offer: :meth:`~janus_videocall.VideoCallHandle.accept` answers it,
    :meth:`~janus_videocall.VideoCallHandle.hangup` declines the call.

    Attributes:
        username: Who calls.
    """

    username: str = ""


@dataclass(frozen=True, slots=True)
class Accepted(VideoCallEvent):
    """The call is accepted (``accepted``).

    As the result of :meth:`~janus_videocall.VideoCallHandle.accept` it carries no
    ``username``; as the event a caller receives, ``jsep`` is the callee's answer (applied by
    the handle) and ``username`` the callee.

    Attributes:
        username: The callee (on the caller's side), else ``None``.
    """

    username: str | None = None


@dataclass(frozen=True, slots=True)
class Updated(VideoCallEvent):
    """The other side renegotiated the call (``update``).

    ``jsep`` is an offer (the other side changed its media; the handle answers it by itself)
    or the answer to this handle's own renegotiation (applied by
    :meth:`~janus_videocall.VideoCallHandle.renegotiate`).
    """


@dataclass(frozen=True, slots=True)
class HungUp(VideoCallEvent):
    """The call ended, or a call attempt failed (``hangup``).

    Janus sends it to both sides whatever ended the call; the side that asked gets
    ``"Explicit hangup"`` as the result of its request, the other side the reason given, and
    both may get one more with ``"Remote WebRTC hangup"`` when the media goes away.

    Attributes:
        username: Who ended the call, as the plugin says.
        reason: Why (``"User busy"``, ``"Explicit hangup"``, ``"Remote WebRTC hangup"``, or
            the reason the other side gave).
    """

    username: str | None = None
    reason: str = ""


@dataclass(frozen=True, slots=True)
class SetResult(VideoCallEvent):
    """The plugin applied a ``set`` request (``set``)."""


@dataclass(frozen=True, slots=True)
class SimulcastChanged(VideoCallEvent):
    """The simulcast substream or temporal layer relayed to this handle (``simulcast``).

    Attributes:
        videocodec: The video codec of the call.
        substream: The substream now relayed (0-2), when that changed.
        temporal: The temporal layer now relayed (0-2), when that changed.
    """

    videocodec: str = ""
    substream: int | None = None
    temporal: int | None = None


@dataclass(frozen=True, slots=True)
class VideoCallSlowLink(VideoCallEvent):
    """Janus saw many losses on what it sends to this handle (``slow_link``).

    Attributes:
        media: ``"audio"`` or ``"video"``.
        current_bitrate: The bitrate cap of the other side's video (video only; 0: none).
    """

    media: str = ""
    current_bitrate: int | None = None


def _build(name: str | None, result: Mapping[str, Any], common: dict[str, Any]) -> PluginEvent:
    if name == "registered":
        return Registered(**common, username=str_or_none(result.get("username")) or "")
    if name == "calling":
        return Calling(**common)
    if name == "incomingcall":
        return IncomingCall(**common, username=str_or_none(result.get("username")) or "")
    if name == "accepted":
        return Accepted(**common, username=str_or_none(result.get("username")))
    if name == "update":
        return Updated(**common)
    if name == "hangup":
        return HungUp(
            **common,
            username=str_or_none(result.get("username")),
            reason=str_or_none(result.get("reason")) or "",
        )
    if name == "set":
        return SetResult(**common)
    if name == "simulcast":
        return SimulcastChanged(
            **common,
            videocodec=str_or_none(result.get("videocodec")) or "",
            substream=int_or_none(result.get("substream")),
            temporal=int_or_none(result.get("temporal")),
        )
    if name == "slow_link":
        return VideoCallSlowLink(
            **common,
            media=str_or_none(result.get("media")) or "",
            current_bitrate=int_or_none(result.get("current-bitrate")),
        )
    return PluginEvent(**common)


def parse_event(event: PluginEvent) -> PluginEvent:
    """Turn a generic VideoCall plugin event into a typed one (the same event if unknown)."""
    result = event.data.get("result")
    if not isinstance(result, Mapping):
        return event
    typed = _build(
        str_or_none(result.get("event")),
        result,
        {"plugin": event.plugin, "data": event.data, "jsep": event.jsep},
    )
    return event if type(typed) is PluginEvent else typed


def parse_result(response: PluginResponse) -> PluginEvent:
    """Turn the plugin's answer to a request into its typed event class.

    Raises:
        ProtocolError: The answer carries no ``result`` with an ``event`` this module knows.
    """
    result = response.data.get("result")
    if not isinstance(result, Mapping):
        raise ProtocolError(f"the VideoCall answer carries no result: {dict(response.data)}")
    typed = _build(
        str_or_none(result.get("event")),
        result,
        {"plugin": response.plugin, "data": response.data, "jsep": response.jsep},
    )
    if type(typed) is PluginEvent:
        raise ProtocolError(f"unknown VideoCall result: {dict(result)}")
    return typed


def parse_list(response: PluginResponse) -> tuple[str, ...]:
    """Read the names in the plugin's answer to ``list``.

    Raises:
        ProtocolError: The answer carries no list.
    """
    result = response.data.get("result")
    names = result.get("list") if isinstance(result, Mapping) else None
    if not isinstance(names, list):
        raise ProtocolError(f"the VideoCall answer to list carries no list: {dict(response.data)}")
    return tuple(name for name in names if isinstance(name, str))
