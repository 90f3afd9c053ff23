"""The ``janus_webrtc`` entry point of this package: registers the Streaming handle."""

from __future__ import annotations

from collections.abc import Sequence

from janus_webrtc import Handle
from janus_webrtc.plugins import hookimpl

from .handle import StreamingHandle

__all__ = ["janus_webrtc_handle_classes"]


@hookimpl
def janus_webrtc_handle_classes() -> Sequence[type[Handle]]:
    """Return the Streaming handle class."""
    return [StreamingHandle]
