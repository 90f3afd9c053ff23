"""The ``janusctl`` argument parser: global options anywhere, one-line usage errors.

Global options (``--json``, ``--timeout``, the secrets, ICE) are accepted before or after the
subcommand: each subcommand's parser has them too, with suppressed defaults, so a value given
after the subcommand wins and one given before is kept.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Sequence
from typing import NoReturn

from .command import Command, UsageError

__all__ = ["ENVIRONMENT", "build_parser"]

ENVIRONMENT = {
    "JANUS_API_SECRET": "--api-secret",
    "JANUS_TOKEN": "--token",
    "JANUS_ADMIN_SECRET": "--admin-secret",
}
"""Environment variables read for secrets, and the option each stands for."""

EPILOG = """\
secrets: --api-secret, --token and --admin-secret default to the environment variables
JANUS_API_SECRET, JANUS_TOKEN and JANUS_ADMIN_SECRET; prefer those (options show in the
process list). Secrets are never printed, not even in error messages.

exit status: 0 done, 1 Janus or connection error, 2 usage error, 130 interrupted.
shell completion: eval "$(janusctl completion bash)" (or zsh).
"""


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line (and a :class:`UsageError`)."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: {message} (see {self.prog} --help)")


def _global_options(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    def default(value: object) -> object:
        return argparse.SUPPRESS if suppress else value

    env = os.environ.get
    group = parser.add_argument_group("global options (before or after the subcommand)")
    group.add_argument(
        "--json", action="store_true", default=default(False), help="print JSON instead of text"
    )
    group.add_argument(
        "--timeout",
        type=float,
        default=default(10.0),
        metavar="SECONDS",
        help="seconds to wait for each reply (default 10)",
    )
    group.add_argument(
        "--api-secret",
        default=default(env("JANUS_API_SECRET")),
        metavar="SECRET",
        help="the Janus API secret (env JANUS_API_SECRET)",
    )
    group.add_argument(
        "--token",
        default=default(env("JANUS_TOKEN")),
        metavar="TOKEN",
        help="a stored auth token (env JANUS_TOKEN)",
    )
    group.add_argument(
        "--admin-secret",
        default=default(env("JANUS_ADMIN_SECRET")),
        metavar="SECRET",
        help="the Admin API secret (env JANUS_ADMIN_SECRET)",
    )
    group.add_argument(
        "--ice-address",
        default=default(None),
        metavar="ADDRESS",
        help="media commands: gather ICE candidates on this local address only",
    )
    group.add_argument(
        "--stun",
        default=default(None),
        metavar="URL",
        help="media commands: a STUN server (default: none, host candidates only)",
    )


def _add_commands(parent: argparse.ArgumentParser, commands: Sequence[Command], dest: str) -> None:
    sub = parent.add_subparsers(dest=dest, required=True, metavar="COMMAND", parser_class=_Parser)
    for command in commands:
        parser = sub.add_parser(
            command.name,
            help=command.help,
            description=command.description or command.help,
            epilog=EPILOG,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        if command.arguments is not None:
            command.arguments(parser)
        if command.subcommands:
            _add_commands(parser, command.subcommands, f"{dest}_{command.name}")
        else:
            _global_options(parser, suppress=True)
            parser.set_defaults(_command=command)


def build_parser(commands: Sequence[Command], version: str) -> argparse.ArgumentParser:
    """Build the parser of ``janusctl`` with ``commands`` as its subcommands."""
    parser = _Parser(
        prog="janusctl",
        description="Look at and use a Janus WebRTC server from the shell.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"janusctl {version}")
    _global_options(parser, suppress=False)
    _add_commands(parser, commands, "command")
    return parser
