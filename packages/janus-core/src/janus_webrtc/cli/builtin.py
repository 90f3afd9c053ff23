"""The subcommands of the core: ``info``, ``plugins``, ``status``, ``sessions``, ``handle-info``.

``new-plugin`` lives in :mod:`janus_webrtc.cli.new_plugin`, ``completion`` in
:mod:`janus_webrtc.cli.completion`; plugin packages add their own
through the ``janus_webrtc_cli_commands`` hook.
"""

from __future__ import annotations

import argparse
from typing import Any

from .. import plugins
from .command import ADMIN_URLS, API_URLS, Command, Context
from .render import Table

__all__ = ["COMMANDS"]


def _api_url(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("url", help=f"Janus API URL: {API_URLS}")


def _admin_url(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("url", help=f"Admin API URL: {ADMIN_URLS}")


async def _info(ctx: Context) -> Any:
    async with ctx.connect(ctx.args.url) as connection:
        return await connection.info()


async def _plugins(ctx: Context) -> Any:
    rows = tuple(
        (i.name, i.plugin_id, i.handle_class, i.default, i.distribution, i.version)
        for i in plugins.available()
    )
    found = Table(
        ("name", "plugin_id", "handle_class", "default", "distribution", "version"),
        rows,
        empty="no plugin packages installed",
    )
    failed = plugins.failures()
    if ctx.json:
        return {"available": found, "failures": failed}
    if not failed:
        return found
    broken = Table(
        ("entry_point", "distribution", "error"),
        tuple((f.entry_point, f.distribution, f.error) for f in failed),
    )
    return {"available": found, "failures": broken}


async def _status(ctx: Context) -> Any:
    async with ctx.admin(ctx.args.url) as api:
        return await api.get_status()


async def _sessions(ctx: Context) -> Any:
    async with ctx.admin(ctx.args.url) as api:
        rows = []
        for session in await api.list_sessions():
            handles = await api.list_handles(session)
            rows.append((session, len(handles), [str(h) for h in handles]))
    return Table(("session", "handle_count", "handles"), tuple(rows), empty="no sessions")


def _handle_arguments(parser: argparse.ArgumentParser) -> None:
    _admin_url(parser)
    parser.add_argument("session", type=int, help="session id (see `janusctl sessions`)")
    parser.add_argument("handle", type=int, help="handle id")


async def _handle_info(ctx: Context) -> Any:
    async with ctx.admin(ctx.args.url) as api:
        info = await api.handle_info(ctx.args.session, ctx.args.handle)
    return info.details if ctx.json else info


COMMANDS = (
    Command("info", "server version, settings, plugins and transports", _info, _api_url),
    Command("plugins", "the janus-webrtc plugin packages installed here", _plugins),
    Command("status", "the server's current settings (Admin API)", _status, _admin_url),
    Command("sessions", "sessions and their handles (Admin API)", _sessions, _admin_url),
    Command(
        "handle-info",
        "what Janus knows about one handle (Admin API)",
        _handle_info,
        _handle_arguments,
    ),
)
"""The core's subcommands, in ``--help`` order."""
