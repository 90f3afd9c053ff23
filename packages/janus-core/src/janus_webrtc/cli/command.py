"""What a ``janusctl`` subcommand is: :class:`Command`, run with a :class:`Context`.

Plugin packages add subcommands by returning :class:`Command` objects from the
``janus_webrtc_cli_commands`` hook (:mod:`janus_webrtc.hookspecs`)::

    # janus_echotest/cli.py
    async def run(ctx: Context) -> Mapping[str, float]:
        async with ctx.connect(ctx.args.url) as connection:
            ...
        return totals                    # printed as a table, or as JSON with --json

    COMMAND = Command("echotest", "echo generated media", arguments=add_arguments, run=run)
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Callable, Coroutine, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TextIO
from urllib.parse import urlsplit

from janus_webrtc.transports import SCHEMES as TRANSPORT_SCHEMES

if TYPE_CHECKING:
    from ..admin import AdminClient
    from ..connection import Connection, _Opener

__all__ = ["DEFAULT_URL", "Command", "Context", "UsageError", "add_url_option", "check_url"]

API_URLS = "ws://HOST:8188, http://HOST:8088/janus or unix:///PATH/TO/janus.sock"
ADMIN_URLS = "ws://HOST:7188, http://HOST:7088/admin or unix:///PATH/TO/admin.sock"
SCHEMES = TRANSPORT_SCHEMES


DEFAULT_URL = "ws://127.0.0.1:8188"
"""The Janus API URL of ``--url`` when neither it nor ``JANUS_URL`` is given."""


def add_url_option(parser: argparse.ArgumentParser) -> None:
    """Add ``--url`` (default: ``$JANUS_URL``, else :data:`DEFAULT_URL`) to a subcommand."""
    parser.add_argument(
        "--url",
        default=os.environ.get("JANUS_URL") or DEFAULT_URL,
        help=f"Janus API URL: {API_URLS} (default: $JANUS_URL, else {DEFAULT_URL})",
    )


class UsageError(Exception):
    """A command line that cannot be run: exit status 2, one line on standard error."""


@dataclass(frozen=True)
class Command:
    """One ``janusctl`` subcommand.

    Attributes:
        name: The word on the command line (``"echotest"``).
        help: One line for ``janusctl --help``.
        run: Does the work; returns what to print (a mapping, a dataclass, a list, a
            :class:`~janus_webrtc.cli.render.Table`, or None for nothing).
        arguments: Adds the subcommand's own arguments to its parser.
        subcommands: Commands under this one (``videoroom record``); then ``run`` is unused.
        description: Longer text for ``janusctl NAME --help``.
    """

    name: str
    help: str
    run: Callable[[Context], Coroutine[Any, Any, object]] | None = None
    arguments: Callable[[argparse.ArgumentParser], None] | None = None
    subcommands: Sequence[Command] = field(default=())
    description: str | None = None


def check_url(url: str, *, admin: bool = False) -> str:
    """Return ``url`` if its scheme is one janusctl can use, else raise :class:`UsageError`.

    Args:
        url: A Janus API (or Admin API) URL.
        admin: Whether it is an Admin API URL (for the hint).
    """
    hint = ADMIN_URLS if admin else API_URLS
    if "://" not in url:
        raise UsageError(f"{url!r} has no scheme: give {hint}")
    scheme = urlsplit(url).scheme.lower()
    if scheme not in SCHEMES:
        raise UsageError(f"{url!r}: unsupported scheme {scheme!r}: give {hint}")
    return url


@dataclass
class Context:
    """What a running subcommand gets: its arguments, output streams and connections.

    Attributes:
        args: The parsed command line (global options included: ``json``, ``timeout``,
            ``api_secret``, ``token``, ``admin_secret``, ``ice_address``, ``stun``).
        out: Where results go (standard output).
        err: Where progress and live figures go (standard error).
    """

    args: argparse.Namespace
    out: TextIO = field(default_factory=lambda: sys.stdout)
    err: TextIO = field(default_factory=lambda: sys.stderr)

    @property
    def json(self) -> bool:
        """Whether ``--json`` was given."""
        return bool(self.args.json)

    @property
    def timeout(self) -> float:
        """Seconds to wait for each reply (``--timeout``)."""
        return float(self.args.timeout)

    def live(self, text: str) -> None:
        """Show a progress line or live figures (standard error, so stdout stays parseable)."""
        print(text, file=self.err, flush=True)

    def print(self, text: str) -> None:
        """Print a line of output as it happens (interactive commands)."""
        print(text, file=self.out, flush=True)

    def rtc_configuration(self) -> Any:
        """The aiortc ``RTCConfiguration``: no STUN server unless ``--stun`` names one."""
        from aiortc import RTCConfiguration, RTCIceServer

        stun = getattr(self.args, "stun", None)
        return RTCConfiguration(iceServers=[RTCIceServer(urls=stun)] if stun else [])

    def connect(self, url: str, *, media: bool = False) -> _Opener[Connection]:
        """Open the Janus API at ``url`` with the global options (secrets, timeout).

        Args:
            url: The Janus API URL.
            media: The command makes WebRTC handles: give them :meth:`rtc_configuration`.
        """
        from ..connection import connect

        options: dict[str, Any] = {}
        if media:
            options["rtc_configuration"] = self.rtc_configuration()
        return connect(
            check_url(url),
            api_secret=self.args.api_secret,
            token=self.args.token,
            timeout=self.timeout,
            reconnect=False,
            **options,
        )

    def admin(self, url: str) -> _Opener[AdminClient]:
        """Open the Admin API at ``url`` with ``--admin-secret`` and ``--timeout``."""
        from .. import admin

        return admin.connect(
            check_url(url, admin=True),
            admin_secret=self.args.admin_secret,
            timeout=self.timeout,
            reconnect=False,
        )

    @contextlib.contextmanager
    def ice(self) -> Iterator[None]:
        """Restrict aiortc's ICE candidates to ``--ice-address`` (if given) while open."""
        address = getattr(self.args, "ice_address", None)
        if not address:
            yield
            return
        from ..testing.ice import restrict_aioice_to

        with restrict_aioice_to(address):
            yield
