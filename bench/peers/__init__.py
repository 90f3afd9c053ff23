"""The peer clients bench_core.py measures beside janus-webrtc: where they are, how to run them.

- ``janus-client`` (PyPI, the earlier Python client): ``janus_client_core.py`` in a Python
  process of its own (importing janus-client reconfigures the root logger, which would slow
  down whatever shares its process). Found when ``janus_client`` imports in the interpreter
  running the bench.
- ``janode`` (npm, Meetecho's Node adapter): ``janode_core.mjs`` run by ``node --expose-gc``.
  Found when ``node`` is on the PATH and janode is installed under :data:`CACHE_DIR`
  (``npm install --prefix bench/.peers janode@1.8.0``). It has no HTTP transport, and its Unix
  transport is SOCK_DGRAM only (the ``unix-dgram`` package) where the bench's Janus listens
  SOCK_SEQPACKET: its unix rows say "n/a: not wired yet".
- janus-client has no Unix-socket transport: its unix rows say "n/a" too.

``nox -s bench -- --peers`` installs both (the versions are pinned in noxfile.py). A peer that
is not installed is reported as such and the bench goes on without it.

Both scripts take one argument, a JSON object, and print one JSON line:

- ``{"mode": "ops", "work": "sequential" | "concurrent" | "cycles", "url", "count",
  "in_flight", "rounds", "room", "warmup_ops", "warmup_cycles", "run_timeout"}``: warm up,
  then ``rounds`` runs; prints ``{"client", "version", "runs": [{"count", "elapsed", "cpu",
  "latencies"}]}`` (seconds).
- ``{"mode": "sessions", "url", "count", "at_once", "room", "settle"}``: set up ``count``
  sessions with a videoroom handle each, ``at_once`` at a time, on one connection, then
  destroy them; prints the keys of bench_core's ``sessions_child`` (``created``, ``setup_s``,
  ``teardown_s``, ``rss_base_kb``, ``rss_after_kb``, ``sockets``, ``alive``, ``error``,
  ``teardown_error``).

Either may print ``{"error": "..."}`` instead; a crash or a timeout is reported the same way.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

PEERS_DIR = Path(__file__).resolve().parent
CACHE_DIR = PEERS_DIR.parent / ".peers"
"""npm's ``--prefix`` for janode (bench/.peers, ignored by git)."""

INSTALL_HINT = "nox -s bench -- --peers"


@dataclass(frozen=True)
class Peer:
    """One peer client: its name, its transports, and the command that runs its script."""

    name: str
    transports: tuple[str, ...]
    lacks: dict[str, str]
    """Why each transport outside :attr:`transports` is n/a."""

    def found(self) -> tuple[str | None, str]:
        """``(version, "")`` when the peer can run, else ``(None, why not)``."""
        raise NotImplementedError

    def command(self, spec: dict[str, Any]) -> list[str]:
        raise NotImplementedError

    def unsupported(self, transport: str) -> str | None:
        """``"n/a: ..."`` when the peer cannot do this transport, else ``None``."""
        if transport in self.transports:
            return None
        return f"n/a: {self.lacks.get(transport, f'no {transport} transport')}"

    def run(self, spec: dict[str, Any], timeout: float) -> dict[str, Any]:
        """Run the peer's script on ``spec``; return what it printed, or ``{"error": ...}``."""
        try:
            done = subprocess.run(
                self.command(spec), capture_output=True, text=True, timeout=timeout, check=False
            )
        except subprocess.TimeoutExpired:
            return {"error": f"{self.name} timed out after {timeout:g} s"}
        except OSError as exc:
            return {"error": f"cannot start {self.name}: {exc}"}
        for line in reversed(done.stdout.strip().splitlines()):
            try:
                data = json.loads(line)
            except ValueError:
                continue
            if isinstance(data, dict):
                return data
        tail = done.stderr.strip()[-300:]
        return {"error": f"{self.name} exited {done.returncode} without figures: {tail}"}


class JanusClientPeer(Peer):
    def found(self) -> tuple[str | None, str]:
        if importlib.util.find_spec("janus_client") is None:
            return None, f"not installed ({INSTALL_HINT}, or pip install janus-client==0.9.0)"
        try:
            return version("janus-client"), ""
        except PackageNotFoundError:
            return "?", ""

    def command(self, spec: dict[str, Any]) -> list[str]:
        return [sys.executable, str(PEERS_DIR / "janus_client_core.py"), json.dumps(spec)]


class JanodePeer(Peer):
    def found(self) -> tuple[str | None, str]:
        manifest = CACHE_DIR / "node_modules" / "janode" / "package.json"
        if shutil.which("node") is None:
            return None, "not installed (no node on the PATH)"
        if not manifest.exists():
            hint = f"{INSTALL_HINT}, or npm install --prefix bench/.peers janode@1.8.0"
            return None, f"not installed ({hint})"
        try:
            return str(json.loads(manifest.read_text(encoding="utf-8"))["version"]), ""
        except (OSError, ValueError, KeyError) as exc:
            return None, f"unreadable {manifest}: {exc}"

    def command(self, spec: dict[str, Any]) -> list[str]:
        spec = {**spec, "janode_dir": str(CACHE_DIR)}
        node = shutil.which("node") or "node"
        return [node, "--expose-gc", str(PEERS_DIR / "janode_core.mjs"), json.dumps(spec)]


PEERS: tuple[Peer, ...] = (
    JanusClientPeer(
        "janus-client", ("ws", "http"), {"unix": "janus-client has no Unix-socket transport"}
    ),
    JanodePeer(
        "janode",
        ("ws",),
        {
            "http": "janode has no HTTP transport (WebSocket and Unix sockets)",
            "unix": "not wired yet (janode's Unix transport is SOCK_DGRAM, this Janus's "
            "socket SOCK_SEQPACKET)",
        },
    ),
)
BY_NAME = {peer.name: peer for peer in PEERS}


def node_version() -> str:
    node = shutil.which("node")
    if node is None:
        return ""
    try:
        done = subprocess.run(
            [node, "--version"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return done.stdout.strip()
