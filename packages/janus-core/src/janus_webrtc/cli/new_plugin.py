"""``janusctl new-plugin NAME [DEST]``: create a plugin package from the template.

A thin command line over :func:`janus_webrtc.template.create_plugin_package` (the one
template; ``python -m janus_webrtc.template`` runs this command too). It prints the new
package folder on standard output (``cd "$(janusctl new-plugin recordplay)"``) and the next
step on standard error.
"""

from __future__ import annotations

import argparse

from ..template import create_plugin_package
from .command import Command, Context, UsageError

__all__ = ["COMMAND"]

DESCRIPTION = """\
Create a janus-webrtc plugin package for Janus's janus.plugin.NAME plugin, in DEST/janus-NAME:
pyproject.toml (janus-webrtc[media], the janus_webrtc entry point, a testing extra), README.md,
CHANGELOG.md, LICENSE (MIT), src/janus_NAME/ (a handle class with one example request method,
typed messages, errors, the hookimpl, py.typed) and tests/test_NAME.py (tests against a real
Janus). Its tests pass as generated: pip install -e '.[testing]' && pytest. Nothing is
overwritten.
"""


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "name",
        help="the plugin's short name, such as 'recordplay': lower case letters, digits "
        "and underscores; names the distribution janus-NAME and the package janus_NAME",
    )
    parser.add_argument(
        "dest",
        nargs="?",
        default=".",
        help="the folder to create janus-NAME in (default: the current folder)",
    )
    parser.add_argument(
        "--plugin-id", help="the Janus plugin id (default: janus.plugin.NAME)", metavar="ID"
    )


async def _run(ctx: Context) -> object:
    args = ctx.args
    try:
        folder = create_plugin_package(args.name, args.dest, plugin_id=args.plugin_id)
    except (ValueError, FileExistsError) as exc:
        raise UsageError(str(exc)) from exc
    ctx.live(f"next: cd {folder} && pip install -e '.[testing]' && pytest")
    return {"folder": str(folder)} if ctx.json else str(folder)


COMMAND = Command(
    "new-plugin",
    "create a plugin package for a Janus plugin (from the template)",
    _run,
    _arguments,
    description=DESCRIPTION,
)
