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
    from .cli import Command
    from .handle import Handle

__all__ = ["hookspec", "janus_webrtc_cli_commands", "janus_webrtc_handle_classes"]

hookspec = pluggy.HookspecMarker("janus_webrtc")


@hookspec
def janus_webrtc_handle_classes() -> Sequence[type[Handle]]:  # type: ignore[empty-body]
    """Return the handle classes this package provides.

    Each class sets ``plugin_id`` (such as ``"janus.plugin.echotest"``). The first class a
    package returns for a plugin id is the one ``Session.attach`` uses for that id's name;
    the others are attached by passing the class itself (for example a subscriber class
    beside a publisher class).
    """


@hookspec
def janus_webrtc_cli_commands() -> Sequence[Command]:  # type: ignore[empty-body]
    """Return the ``janusctl`` subcommands this package adds.

    Each :class:`~janus_webrtc.cli.Command` becomes ``janusctl NAME``; its ``run`` gets a
    :class:`~janus_webrtc.cli.Context` (parsed arguments, ``connect()`` with the global
    options, output streams) and returns what to print. Names taken by the core or by an
    earlier package are refused with a warning. Keep the commands in a module of their own
    (``janus_echotest/cli.py``) and return them from the package's plugin module::

        @hookimpl
        def janus_webrtc_cli_commands():
            from .cli import COMMANDS  # imported only when janusctl asks

            return COMMANDS
    """
