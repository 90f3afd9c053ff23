"""Typed results and events of the EchoTest plugin."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from janus_webrtc import Jsep, PluginEvent, PluginResponse, ProtocolError
from janus_webrtc.plugin_kit import int_or_none

__all__ = [
    "EchoTestDone",
    "EchoTestEvent",
    "EchoTestResult",
    "EchoTestSlowLink",
    "SubstreamChanged",
    "TemporalLayerChanged",
    "parse_event",
    "parse_result",
]


@dataclass(frozen=True, slots=True)
class EchoTestResult:
    """The plugin's answer to a request: ``{"echotest": "event", "result": "ok"}``.

    Attributes:
        result: The plugin's ``result`` (``"ok"``).
        jsep: Janus's answer, when the request carried an offer.
        data: The plugin's data as sent.
    """

    result: str
    jsep: Jsep | None = None
    data: Mapping[str, Any] = field(default_factory=dict, repr=False)

    @property
    def ok(self) -> bool:
        """Whether the plugin said ``ok``."""
        return self.result == "ok"


@dataclass(frozen=True, slots=True)
class EchoTestEvent(PluginEvent):
    """Base of the EchoTest plugin's typed events."""


@dataclass(frozen=True, slots=True)
class EchoTestDone(EchoTestEvent):
    """The PeerConnection is gone (hangup): the echo test is over (``result: done``)."""


@dataclass(frozen=True, slots=True)
class SubstreamChanged(EchoTestEvent):
    """The simulcast substream echoed back changed (or was confirmed).

    Attributes:
        videocodec: The video codec in use.
        substream: The substream now relayed (0-2).
    """

    videocodec: str = ""
    substream: int = 0


@dataclass(frozen=True, slots=True)
class TemporalLayerChanged(EchoTestEvent):
    """The simulcast temporal layer echoed back changed (or was confirmed).

    Attributes:
        videocodec: The video codec in use.
        temporal: The temporal layer now relayed (0-2).
    """

    videocodec: str = ""
    temporal: int = 0


@dataclass(frozen=True, slots=True)
class EchoTestSlowLink(EchoTestEvent):
    """The plugin saw many NACKs on what it sends back (``event: slow_link``).

    Attributes:
        media: ``"audio"`` or ``"video"``.
        current_bitrate: The bitrate cap in force (video only).
    """

    media: str = ""
    current_bitrate: int | None = None


def parse_result(response: PluginResponse) -> EchoTestResult:
    """Turn the plugin's answer to a request into an :class:`EchoTestResult`.

    Raises:
        ProtocolError: The answer has no ``result``.
    """
    result = response.data.get("result")
    if not isinstance(result, str):
        raise ProtocolError("the EchoTest answer carries no result")
    return EchoTestResult(result=result, jsep=response.jsep, data=response.data)


def parse_event(event: PluginEvent) -> PluginEvent:
    """Turn a generic EchoTest plugin event into a typed one (the same event if unknown)."""
    data = event.data
    common: dict[str, Any] = {"plugin": event.plugin, "data": data, "jsep": event.jsep}
    if data.get("result") == "done":
        return EchoTestDone(**common)
    if data.get("event") == "slow_link":
        return EchoTestSlowLink(
            **common,
            media=str(data.get("media", "")),
            current_bitrate=int_or_none(data.get("current-bitrate")),
        )
    substream = int_or_none(data.get("substream"))
    if substream is not None:
        return SubstreamChanged(
            **common, videocodec=str(data.get("videocodec", "")), substream=substream
        )
    temporal = int_or_none(data.get("temporal"))
    if temporal is not None:
        return TemporalLayerChanged(
            **common, videocodec=str(data.get("videocodec", "")), temporal=temporal
        )
    return event
