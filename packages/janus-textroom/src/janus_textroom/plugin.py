"""The ``janus_webrtc`` entry point of janus-textroom: registers :class:`TextRoomHandle`."""

from __future__ import annotations

from collections.abc import Sequence

from janus_webrtc import Handle
from janus_webrtc.plugins import hookimpl

from .handle import TextRoomHandle

__all__ = ["janus_webrtc_handle_classes"]


@hookimpl
def janus_webrtc_handle_classes() -> Sequence[type[Handle]]:
    """Return the TextRoom handle class for ``janus.plugin.textroom``."""
    return [TextRoomHandle]
