"""The hooks a plugin package implements (pluggy project ``janus_webrtc``).

A plugin package exposes a module through the ``janus_webrtc`` entry-point group; that
module implements these hooks with :data:`janus_webrtc.plugins.hookimpl`::

    # pyproject.toml
    [project.entry-points.janus_webrtc]
    echotest = "janus_echotest.plugin"

    # janus_echotest/plugin.py
    from janus_webrtc.plugins import hookimpl
    from .handle import EchoTestHandle

    @hookimpl
    def janus_webrtc_handle_classes():
        return [EchoTestHandle]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from .handle import Handle

__all__ = ["hookspec", "janus_webrtc_handle_classes"]

hookspec = pluggy.HookspecMarker("janus_webrtc")


@hookspec
def janus_webrtc_handle_classes() -> Sequence[type[Handle]]:  # type: ignore[empty-body]
    """Return the handle classes this package provides.

    Each class sets ``plugin_id`` (such as ``"janus.plugin.echotest"``). The first class a
    package returns for a plugin id is the one ``Session.attach`` uses for that id's name;
    the others are attached by passing the class itself (for example a subscriber class
    beside a publisher class).
    """
