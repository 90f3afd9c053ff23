"""The ``janus_webrtc`` entry point of janus-textroom: registers :class:`TextRoomHandle`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from janus_webrtc import Handle
from janus_webrtc.plugins import hookimpl

from .handle import TextRoomHandle

if TYPE_CHECKING:
    from janus_webrtc.cli import Command

__all__ = ["janus_webrtc_cli_commands", "janus_webrtc_handle_classes"]


@hookimpl
def janus_webrtc_handle_classes() -> Sequence[type[Handle]]:
    """Return the TextRoom handle class for ``janus.plugin.textroom``."""
    return [TextRoomHandle]


@hookimpl
def janus_webrtc_cli_commands() -> Sequence[Command]:
    """Return ``janusctl textroom chat`` (imported only when janusctl asks)."""
    from .cli import COMMANDS

    return COMMANDS
