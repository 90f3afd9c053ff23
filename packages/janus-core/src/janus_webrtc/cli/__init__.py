"""``janusctl``: look at and use a Janus server from the shell.

Examples::

    janusctl info ws://127.0.0.1:8188
    janusctl info http://127.0.0.1:8088/janus --json
    janusctl plugins
    JANUS_ADMIN_SECRET=... janusctl sessions http://127.0.0.1:7088/admin
    JANUS_ADMIN_SECRET=... janusctl handle-info ws://127.0.0.1:7188 SESSION HANDLE --json
    janusctl new-plugin recordplay ~/src
    eval "$(janusctl completion bash)"

Plugin packages add subcommands (``janusctl echotest``, ``janusctl textroom chat``,
``janusctl videoroom record``, ...) through the ``janus_webrtc_cli_commands`` hook: each
returns :class:`Command` objects, whose ``run`` gets a :class:`Context`.

Secrets come from options or from ``JANUS_API_SECRET``, ``JANUS_TOKEN`` and
``JANUS_ADMIN_SECRET`` (better: they stay out of the process list), and are never printed.
"""

from .app import main
from .command import DEFAULT_URL, Command, Context, UsageError, add_url_option, check_url
from .render import Table

__all__ = [
    "DEFAULT_URL",
    "Command",
    "Context",
    "Table",
    "UsageError",
    "add_url_option",
    "check_url",
    "main",
]
