"""Building request bodies and reading answers: shared by the handle modules (private)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from janus_webrtc import PluginEvent, ProtocolError

from .streams import StreamDescription

PLUGIN_ID = "janus.plugin.videoroom"


def _body(request: str, **options: Any) -> dict[str, Any]:
    """Build a request: the options given (``None`` means "not given", so not sent)."""
    body: dict[str, Any] = {"request": request}
    body.update((name, value) for name, value in options.items() if value is not None)
    return body


def _wire(items: Sequence[Any] | None) -> list[dict[str, Any]] | None:
    """Turn a sequence of stream descriptions into JSON (None stays None)."""
    return None if items is None else [item.to_wire() for item in items]


def _descriptions(
    descriptions: Mapping[str, str] | Sequence[StreamDescription] | None,
) -> list[dict[str, Any]] | None:
    if descriptions is None:
        return None
    if isinstance(descriptions, Mapping):
        return [{"mid": mid, "description": text} for mid, text in descriptions.items()]
    return [d.to_wire() for d in descriptions]


def _expect(event: PluginEvent, kind: type[Any], request: str) -> Any:
    if not isinstance(event, kind):
        raise ProtocolError(f"unexpected VideoRoom answer to {request!r}: {dict(event.data)!r}")
    return event
