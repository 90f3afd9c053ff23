"""``janusctl``'s entry point: collect the subcommands, parse, run, print, exit.

Exit status: 0 done, 1 a Janus or connection error, 2 a usage error (bad arguments, a URL
without a usable scheme), 130 interrupted (Ctrl-C), 141 standard output closed early (as in
``janusctl info URL | head -1``), 70 an internal error (a bug, here or in a plugin package's
subcommand). Errors are one line on standard error, never a traceback (unless
``JANUSCTL_DEBUG=1`` asks for the traceback of an internal error).
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
import traceback
from collections.abc import Sequence
from importlib.metadata import entry_points
from typing import Any

import pluggy

from .. import __version__, hookspecs
from ..errors import JanusError
from ..plugins import ENTRY_POINT_GROUP
from . import builtin, completion, new_plugin
from .command import Command, Context, UsageError
from .parser import build_parser
from .render import render, to_json

__all__ = ["main", "plugin_commands"]

INTERNAL_ERROR = 70
"""Exit status of an internal error (``EX_SOFTWARE`` of sysexits.h)."""

DEBUG_VARIABLE = "JANUSCTL_DEBUG"
"""Set (to anything) in the environment, an internal error also prints its traceback."""

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())


def plugin_commands() -> tuple[list[Command], list[str]]:
    """Ask every installed plugin package for its subcommands.

    Returns:
        The commands, and one line for each package that failed to load or to answer (it is
        skipped; the others still work).
    """
    manager = pluggy.PluginManager(ENTRY_POINT_GROUP)
    manager.add_hookspecs(hookspecs)
    problems: list[str] = []
    for entry_point in entry_points(group=ENTRY_POINT_GROUP):
        try:
            manager.register(entry_point.load(), name=entry_point.name)
        except Exception as exc:  # a broken package must not break janusctl
            problems.append(f"plugin package {entry_point.name!r} skipped: {exc}")
    commands: list[Command] = []
    for impl in manager.hook.janus_webrtc_cli_commands.get_hookimpls():
        try:
            returned: Any = impl.function()
            commands += list(returned or ())
        except Exception as exc:
            problems.append(f"plugin package {impl.plugin_name!r} gave no commands: {exc}")
    return commands, problems


def _commands() -> tuple[list[Command], list[str]]:
    extra, problems = plugin_commands()
    commands = [*builtin.COMMANDS, new_plugin.COMMAND, completion.COMMAND]
    taken = {c.name for c in commands}
    for command in extra:
        if command.name in taken:
            problems.append(f"subcommand {command.name!r} is defined twice: the first one wins")
            continue
        taken.add(command.name)
        commands.append(command)
    return commands, problems


def _write(text: str) -> None:
    if text:
        sys.stdout.write(text + "\n")
    sys.stdout.flush()


def _run(argv: Sequence[str] | None) -> int:
    commands, problems = _commands()
    parser = build_parser(commands, __version__)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version
        return exc.code if isinstance(exc.code, int) else 0
    args._parser = parser
    for problem in problems:
        print(f"janusctl: warning: {problem}", file=sys.stderr)
    command: Command = args._command
    name = " ".join(v for k, v in sorted(vars(args).items()) if k.startswith("command") and v)
    ctx = Context(args)
    try:
        assert command.run is not None
        result: Any = asyncio.run(command.run(ctx))
    except JanusError as exc:
        print(f"janusctl {name}: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    except UsageError as exc:
        raise UsageError(f"janusctl {name}: {exc}") from exc
    except ValueError as exc:  # a value the core refused (such as a URL)
        raise UsageError(f"janusctl {name}: {exc}") from exc
    except OSError as exc:
        if isinstance(exc, BrokenPipeError):
            raise
        print(f"janusctl {name}: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # a bug (here or in a plugin package's command): still one line
        if os.environ.get(DEBUG_VARIABLE):
            traceback.print_exc()
        print(
            f"janusctl {name}: internal error: {type(exc).__name__}: {exc} "
            f"(a bug; {DEBUG_VARIABLE}=1 shows where)",
            file=sys.stderr,
        )
        return INTERNAL_ERROR
    _write(to_json(result) if ctx.json and result is not None else render(result))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``janusctl`` with ``argv`` (default: the command line); return the exit status."""
    try:
        return _run(argv)
    except UsageError as exc:
        print(str(exc) if str(exc).startswith("janusctl") else f"janusctl: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("janusctl: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (`| head`): say nothing, and keep Python from complaining
        # again when it flushes stdout at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141


def console() -> None:  # pragma: no cover - the console script; main() is what tests call
    """The ``janusctl`` console script."""
    sys.exit(main())
