"""Stream lists for request bodies: shared by the handle modules (private)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .streams import StreamDescription

PLUGIN_ID = "janus.plugin.videoroom"


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
