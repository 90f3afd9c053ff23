"""The ``janus_webrtc`` entry point of this package: registers the VideoRoom handles.

:class:`~janus_videoroom.VideoRoomPublisher` comes first, so it is what
``session.attach("videoroom")`` returns; attach a subscriber by class:
``session.attach(VideoRoomSubscriber)``.
"""

from __future__ import annotations

from collections.abc import Sequence

from janus_webrtc import Handle
from janus_webrtc.plugins import hookimpl

from .handle import VideoRoomPublisher, VideoRoomSubscriber

__all__ = ["janus_webrtc_handle_classes"]


@hookimpl
def janus_webrtc_handle_classes() -> Sequence[type[Handle]]:
    """Return the VideoRoom handle classes, the publisher (the default) first."""
    return [VideoRoomPublisher, VideoRoomSubscriber]
