"""``janusctl``: look at a Janus server from the shell.

Examples::

    janusctl info ws://127.0.0.1:8188
    janusctl plugins
    JANUS_ADMIN_SECRET=... janusctl sessions http://127.0.0.1:7088/admin
    JANUS_ADMIN_SECRET=... janusctl handle-info ws://127.0.0.1:7188 SESSION HANDLE --json

Secrets are read from the environment (``JANUS_API_SECRET``, ``JANUS_TOKEN``,
``JANUS_ADMIN_SECRET``) so they stay out of the process list; options override them.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import os
import sys
from collections.abc import Sequence
from typing import Any

from . import admin, plugins
from .connection import connect
from .errors import JanusError

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="janusctl", description="Look at a Janus WebRTC server.")
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds to wait (default 10)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    commands = parser.add_subparsers(dest="command", required=True)

    info = commands.add_parser("info", help="server version, settings, plugins, transports")
    info.add_argument("url", help="Janus API URL: ws://host:8188 or http://host:8088/janus")
    info.add_argument("--api-secret", default=os.environ.get("JANUS_API_SECRET"))
    info.add_argument("--token", default=os.environ.get("JANUS_TOKEN"))

    commands.add_parser("plugins", help="installed janus-webrtc plugin packages")

    for name, text in (
        ("status", "the server's current settings (Admin API)"),
        ("sessions", "sessions and their handles (Admin API)"),
        ("handle-info", "what Janus knows about one handle (Admin API)"),
    ):
        command = commands.add_parser(name, help=text)
        command.add_argument("url", help="Admin API URL: ws://host:7188 or http://host:7088/admin")
        command.add_argument("--admin-secret", default=os.environ.get("JANUS_ADMIN_SECRET"))
        if name == "handle-info":
            command.add_argument("session", type=int)
            command.add_argument("handle", type=int)
    return parser


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value) if f.repr}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, type):
        return f"{value.__module__}.{value.__qualname__}"
    return value


def _show(value: Any, as_json: bool) -> None:
    plain = _plain(value)
    if as_json:
        print(json.dumps(plain, indent=2, sort_keys=True))
        return
    if isinstance(plain, dict):
        for key, item in plain.items():
            print(f"{key}: {json.dumps(item) if isinstance(item, dict | list) else item}")
    elif isinstance(plain, list):
        for item in plain:
            print(json.dumps(item) if isinstance(item, dict | list) else item)
    else:
        print(plain)


async def _run(args: argparse.Namespace) -> Any:
    if args.command == "plugins":
        return {
            "available": [
                {
                    "name": i.name,
                    "plugin_id": i.plugin_id,
                    "handle_class": i.handle_class,
                    "default": i.default,
                    "distribution": i.distribution,
                    "version": i.version,
                }
                for i in plugins.available()
            ],
            "failures": plugins.failures(),
        }
    if args.command == "info":
        async with connect(
            args.url,
            api_secret=args.api_secret,
            token=args.token,
            timeout=args.timeout,
            reconnect=False,
        ) as conn:
            return await conn.info()
    async with admin.connect(
        args.url, admin_secret=args.admin_secret, timeout=args.timeout, reconnect=False
    ) as api:
        if args.command == "status":
            return await api.get_status()
        if args.command == "sessions":
            return {
                str(session): await api.list_handles(session)
                for session in await api.list_sessions()
            }
        info = await api.handle_info(args.session, args.handle)
        return info.details if args.json else info


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``janusctl``; returns the exit status (0 ok, 1 Janus error, 2 usage error)."""
    args = _parser().parse_args(argv)
    try:
        result = asyncio.run(_run(args))
    except JanusError as exc:
        print(f"janusctl {args.command}: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    _show(result, args.json)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
