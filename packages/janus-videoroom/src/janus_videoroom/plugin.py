"""The ``janus_webrtc`` entry point of this package: registers the VideoRoom handles.

:class:`~janus_videoroom.VideoRoomPublisher` comes first, so it is what
``session.attach("videoroom")`` returns; attach a subscriber by class:
``session.attach(VideoRoomSubscriber)``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from janus_webrtc import Handle
from janus_webrtc.plugins import hookimpl

from .handle import VideoRoomPublisher, VideoRoomSubscriber

if TYPE_CHECKING:
    from janus_webrtc.cli import Command

__all__ = ["janus_webrtc_cli_commands", "janus_webrtc_handle_classes"]


@hookimpl
def janus_webrtc_handle_classes() -> Sequence[type[Handle]]:
    """Return the VideoRoom handle classes, the publisher (the default) first."""
    return [VideoRoomPublisher, VideoRoomSubscriber]


@hookimpl
def janus_webrtc_cli_commands() -> Sequence[Command]:
    """Return ``janusctl videoroom record`` and ``publish`` (imported only when janusctl asks)."""
    from .cli import COMMANDS

    return COMMANDS
