"""The ``janus_webrtc`` entry point: :class:`EchoTestHandle`, and ``janusctl echotest``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from janus_webrtc import Handle
from janus_webrtc.plugins import hookimpl

from .handle import EchoTestHandle

if TYPE_CHECKING:
    from janus_webrtc.cli import Command

__all__ = ["janus_webrtc_cli_commands", "janus_webrtc_handle_classes"]


@hookimpl
def janus_webrtc_handle_classes() -> Sequence[type[Handle]]:
    """Return the EchoTest handle class."""
    return [EchoTestHandle]


@hookimpl
def janus_webrtc_cli_commands() -> Sequence[Command]:
    """Return ``janusctl echotest`` (imported only when janusctl asks)."""
    from .cli import COMMANDS

    return COMMANDS
