"""Launch a real, private, loopback-only Janus server for tests, demos and benchmarks.

Example:
    >>> with JanusServer() as server:  # doctest: +SKIP
    ...     print(server.endpoints.ws_url)
    ws://127.0.0.1:41237

The launcher is synchronous and does not need pytest. Each server gets its own
temporary folder with freshly written configuration files, free TCP ports on
127.0.0.1, a private ICE/RTP port range and a random admin secret. Janus runs
as a child process in the foreground (never daemonized) and is stopped with
SIGTERM, then SIGKILL.
"""

from __future__ import annotations

import atexit
import ctypes
import json
import logging
import os
import random
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import IO, Self

from janus_webrtc.testing._jcfg import (
    JcfgSections,
    ServerConfig,
    installed_modules,
    module_file,
    write_config,
)

__all__ = [
    "DEFAULT_PLUGINS",
    "JanusEndpoints",
    "JanusServer",
    "JanusStartError",
    "find_janus_binary",
    "server_plugins",
]

_log = logging.getLogger(__name__)

# Checked with `ss -lntup` while running: none of these binds any socket at
# start-up (with no sample rooms or mountpoints configured). Janus's own ICE
# sockets only exist while a PeerConnection does, on the enforced ICE address.
DEFAULT_PLUGINS: tuple[str, ...] = (
    "echotest",
    "videocall",
    "videoroom",
    "textroom",
    "streaming",
    "audiobridge",
    "recordplay",
)
"""Plugins enabled by default."""

INSTALL_HINT = (
    "install Janus (Debian/Ubuntu: `apt-get install janus`) or set JANUS_BINARY "
    "to the path of the janus executable"
)
"""How to get a Janus binary, for error messages."""

_LOOPBACK = "127.0.0.1"
_START_TIMEOUT = 20.0
_STOP_TIMEOUT = 10.0
_START_ATTEMPTS = 3
_LOG_TAIL_LINES = 30
_POLL_INTERVAL = 0.05
_RTP_RANGE_SIZE = 200
_PLUGIN_RANGE_SIZE = 56
# Janus logs start-up failures as [FATAL] lines and keeps running without the
# failed transport; these words in such a line mean it lost a port race.
_FATAL = "[FATAL]"
_BIND_FAILURE_WORDS = ("port", "vhost", "Address already in use")
# Janus 1.1.2's pfunix starts its thread before it marks itself initialized: when the thread
# looks first, it ends at once and unlinks its sockets (a race, lost now and then under load).
_PFUNIX_RACE = "Unix Sockets thread ended"
_PFUNIX_ATTEMPTS = 10


_INFO_LEVEL = 4
"""Janus's log level from which listeners log that they started."""


class JanusStartError(RuntimeError):
    """Janus could not be started, or did not become ready in time."""


@dataclass(frozen=True)
class JanusEndpoints:
    """Where to reach a running Janus server.

    Attributes:
        ws_url: Janus API over WebSocket (subprotocol ``janus-protocol``).
        http_url: Janus API over HTTP, such as ``http://127.0.0.1:8088/janus``.
        admin_ws_url: Admin API over WebSocket (subprotocol ``janus-admin-protocol``).
        admin_http_url: Admin API over HTTP, such as ``http://127.0.0.1:7088/admin``.
        admin_secret: The Admin API secret (never shown by ``repr``).
        ice_address: The only address Janus gathers ICE candidates on, or None.
        recordings_dir: Folder where the server writes recordings, or None if unknown.
        api_secret: Janus API secret required by the server, or None (never
            shown by ``repr``).
        unix_url: Janus API over a Unix socket (``unix:///.../janus.sock``, or
            ``unix+dgram://`` for SOCK_DGRAM), or ``""`` when the server has none.
        admin_unix_url: Admin API over a Unix socket, or ``""``.
    """

    ws_url: str
    http_url: str
    admin_ws_url: str
    admin_http_url: str
    admin_secret: str = field(repr=False)
    ice_address: str | None
    recordings_dir: Path | None
    api_secret: str | None = field(default=None, repr=False)
    unix_url: str = ""
    admin_unix_url: str = ""

    def url(self, transport: str) -> str:
        """Return the Janus API URL of one transport.

        Args:
            transport: ``"ws"``, ``"http"`` or ``"unix"``.

        Returns:
            ``ws_url``, ``http_url`` or ``unix_url`` (``""`` if the server has none).

        Raises:
            ValueError: If the transport is none of these.
        """
        if transport == "ws":
            return self.ws_url
        if transport == "http":
            return self.http_url
        if transport == "unix":
            return self.unix_url
        raise ValueError(f"unknown transport {transport!r}: expected 'ws', 'http' or 'unix'")

    def admin_url(self, transport: str) -> str:
        """Return the Admin API URL of one transport (as :meth:`url`).

        Raises:
            ValueError: If the transport is none of ``"ws"``, ``"http"``, ``"unix"``.
        """
        if transport == "ws":
            return self.admin_ws_url
        if transport == "http":
            return self.admin_http_url
        if transport == "unix":
            return self.admin_unix_url
        raise ValueError(f"unknown transport {transport!r}: expected 'ws', 'http' or 'unix'")


def find_janus_binary(binary: str | None = None) -> str | None:
    """Locate the Janus executable.

    Args:
        binary: Name or path of the executable. None means the ``JANUS_BINARY``
            environment variable, or ``"janus"`` on the ``PATH``.

    Returns:
        The executable's path, or None if it cannot be found.
    """
    name = binary or os.environ.get("JANUS_BINARY") or "janus"
    return shutil.which(name)


def _find_modules_dir(binary_path: str) -> Path | None:
    """Guess the folder holding Janus's ``plugins``/``transports``/... folders."""
    prefix = Path(binary_path).resolve().parent.parent
    multiarch = sysconfig.get_config_var("MULTIARCH")
    libdirs = [prefix / "lib" / multiarch] if isinstance(multiarch, str) and multiarch else []
    libdirs += [prefix / "lib64", prefix / "lib"]
    for libdir in libdirs:
        candidate = libdir / "janus"
        if (candidate / "plugins").is_dir() and (candidate / "transports").is_dir():
            return candidate
    return None


def _free_tcp_ports(count: int) -> list[int]:
    """Ask the kernel for distinct free TCP ports on 127.0.0.1."""
    sockets = [socket.socket(socket.AF_INET, socket.SOCK_STREAM) for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind((_LOOPBACK, 0))
        return [int(sock.getsockname()[1]) for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def _random_udp_ranges() -> tuple[tuple[int, int], tuple[int, int]]:
    """Pick a private UDP block: one range for ICE, one for plugins' plain RTP."""
    block = _RTP_RANGE_SIZE + _PLUGIN_RANGE_SIZE
    start = random.randrange(20000, 60000 - block, block)
    ice = (start, start + _RTP_RANGE_SIZE - 1)
    plugin = (start + _RTP_RANGE_SIZE, start + block - 1)
    return ice, plugin


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _tail(path: Path, lines: int = _LOG_TAIL_LINES) -> str:
    return "\n".join(_read(path).splitlines()[-lines:])


class JanusServer:
    """A private Janus server listening on 127.0.0.1 only.

    Use it as a context manager, or call :meth:`start` and :meth:`stop`.

    Args:
        binary: Name or path of the Janus executable; None means the
            ``JANUS_BINARY`` environment variable, else ``janus`` on the PATH.
        plugins: Short names of the plugins to enable (``"echotest"``, ...);
            every other installed plugin is disabled.
        api_secret: Janus API secret to require, or None.
        token_auth: Whether to enable token based authentication (tokens are
            then added with the Admin API ``add_token`` request).
        ice_address: The only address Janus may gather ICE candidates on
            (``ice_enforce_list``); see :func:`~janus_webrtc.testing.ensure_ice_address`.
            None leaves ICE gathering unrestricted.
        session_timeout: Seconds without activity before Janus drops a session.
        reclaim_session_timeout: Seconds a session outlives its lost transport,
            waiting for a ``claim``. Janus's default of 0 destroys the session
            as soon as its WebSocket closes, making ``claim`` impossible.
        debug_level: Janus log level, 0 (none) to 7 (everything).
        workdir: Folder for configuration, log and recordings; it is created
            if needed and kept. None means a private temporary folder that is
            removed on :meth:`stop`.
        server_name: Name Janus reports in ``info``.
        modules_dir: Folder holding Janus's ``plugins``, ``transports``,
            ``events`` and ``loggers`` folders; None guesses it from the binary.
        start_timeout: Seconds to wait for Janus to answer after launch.
        unix_sockets: Whether to enable Janus's Unix-socket transport (pfunix, when
            installed), its sockets in the server's work folder.
        unix_datagram: Make those sockets SOCK_DGRAM instead of SOCK_SEQPACKET.
        plugin_config: Configuration of enabled plugins, by short name: sections of its
            ``janus.plugin.<name>.jcfg``. ``general`` settings are merged over the
            launcher's (``{"streaming": {"general": {"admin_key": "k"}}}``); any other
            section is written as given (a preset mountpoint or room:
            ``{"streaming": {"mp-1": {"type": "rtp", "id": 1, "audio": True, ...}}}``).

    Raises:
        ValueError: ``plugin_config`` names a plugin that is not enabled.
    """

    def __init__(
        self,
        *,
        binary: str | None = None,
        plugins: Sequence[str] = DEFAULT_PLUGINS,
        api_secret: str | None = None,
        token_auth: bool = False,
        ice_address: str | None = None,
        session_timeout: int = 60,
        reclaim_session_timeout: int = 30,
        debug_level: int = 4,
        workdir: Path | None = None,
        server_name: str = "janus-webrtc-test",
        modules_dir: Path | None = None,
        start_timeout: float = _START_TIMEOUT,
        plugin_config: Mapping[str, JcfgSections] | None = None,
        unix_sockets: bool = True,
        unix_datagram: bool = False,
    ) -> None:
        self._binary = binary
        self._plugins = tuple(plugins)
        unknown = sorted(set(plugin_config or {}) - set(self._plugins))
        if unknown:
            raise ValueError(
                f"plugin_config for plugins that are not enabled: {', '.join(unknown)} "
                f"(enabled: {', '.join(self._plugins)})"
            )
        self._plugin_config = dict(plugin_config or {})
        self._unix_sockets = unix_sockets
        self._unix_datagram = unix_datagram
        self._pfunix_installed = True
        self._pfunix_raced = False
        self._api_secret = api_secret
        self._token_auth = token_auth
        self._ice_address = ice_address
        self._session_timeout = session_timeout
        self._reclaim_session_timeout = reclaim_session_timeout
        self._debug_level = debug_level
        self._requested_workdir = workdir
        self._server_name = server_name
        self._modules_dir = modules_dir
        self._start_timeout = start_timeout
        self._admin_secret = secrets.token_urlsafe(24)
        self._workdir: Path | None = None
        self._owns_workdir = False
        self._process: subprocess.Popen[bytes] | None = None
        self._output: IO[bytes] | None = None
        self._endpoints: JanusEndpoints | None = None

    # -- public properties ---------------------------------------------------

    @property
    def endpoints(self) -> JanusEndpoints:
        """Where to reach the running server.

        Raises:
            RuntimeError: If the server has not been started.
        """
        if self._endpoints is None:
            raise RuntimeError("JanusServer is not running: call start() first")
        return self._endpoints

    @property
    def workdir(self) -> Path:
        """The folder holding configuration, log and recordings."""
        return self._require_workdir()

    @property
    def config_dir(self) -> Path:
        """The folder holding the generated ``.jcfg`` files."""
        return self._require_workdir() / "conf"

    @property
    def log_path(self) -> Path:
        """Janus's log file."""
        return self._require_workdir() / "janus.log"

    @property
    def recordings_dir(self) -> Path:
        """The folder where recordings go."""
        return self._require_workdir() / "recordings"

    @property
    def pid(self) -> int | None:
        """Process id of the running Janus, or None if it is not running."""
        return self._process.pid if self.running and self._process is not None else None

    @property
    def running(self) -> bool:
        """Whether the Janus process is alive."""
        return self._process is not None and self._process.poll() is None

    # -- lifecycle -------------------------------------------------------------

    def start(self) -> JanusEndpoints:
        """Write the configuration, launch Janus and wait until it answers.

        Returns:
            The server's endpoints.

        Raises:
            JanusStartError: If the binary or a plugin is missing, or Janus
                exits or does not answer in time (the message then holds the
                end of its log).
            RuntimeError: If the server is already running.
        """
        if self._process is not None:
            raise RuntimeError("JanusServer already started")
        binary = find_janus_binary(self._binary)
        if binary is None:
            wanted = self._binary or os.environ.get("JANUS_BINARY") or "janus"
            raise JanusStartError(f"Janus binary {wanted!r} not found: {INSTALL_HINT}")
        modules_dir = self._modules_dir or _find_modules_dir(binary)
        self._check_plugins(modules_dir)
        self._prepare_workdir()
        try:
            return self._start_with_retries(binary, modules_dir)
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        """Stop Janus (SIGTERM, then SIGKILL after 10 s); safe to call twice."""
        process, self._process = self._process, None
        self._endpoints = None
        if process is not None:
            _terminate(process)
            _RUNNING.discard(self)
        if self._output is not None:
            self._output.close()
            self._output = None
        if self._owns_workdir and self._workdir is not None:
            shutil.rmtree(self._workdir, ignore_errors=True)
            self._workdir = None
            self._owns_workdir = False

    def __enter__(self) -> Self:
        """Start the server."""
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Stop the server."""
        self.stop()

    def __repr__(self) -> str:
        """Describe the server without its secrets."""
        state = f"pid={self.pid}" if self.running else "stopped"
        where = f" ws={self._endpoints.ws_url}" if self._endpoints else ""
        return f"<JanusServer {state}{where}>"

    # -- internals -------------------------------------------------------------

    def _require_workdir(self) -> Path:
        if self._workdir is None:
            if self._requested_workdir is not None:
                return self._requested_workdir
            raise RuntimeError("JanusServer has no work folder yet: call start() first")
        return self._workdir

    def _check_plugins(self, modules_dir: Path | None) -> None:
        if modules_dir is not None:
            self._pfunix_installed = "pfunix" in installed_modules(modules_dir / "transports")
        if modules_dir is None:
            _log.warning("Janus modules folder not found; relying on Janus's defaults")
            return
        installed = installed_modules(modules_dir / "plugins")
        missing = [name for name in self._plugins if name not in installed]
        if missing:
            files = ", ".join(module_file(name) for name in missing)
            raise JanusStartError(f"Janus plugins not installed in {modules_dir}/plugins: {files}")

    def _prepare_workdir(self) -> None:
        if self._requested_workdir is not None:
            self._workdir = self._requested_workdir
            self._owns_workdir = False
        else:
            self._workdir = Path(tempfile.mkdtemp(prefix="janus-webrtc-"))
            self._owns_workdir = True
        self._workdir.mkdir(parents=True, exist_ok=True)
        self.recordings_dir.mkdir(exist_ok=True)

    def _start_with_retries(self, binary: str, modules_dir: Path | None) -> JanusEndpoints:
        failure = ""
        attempt = races = 0
        while attempt < _START_ATTEMPTS:
            attempt += 1
            config = self._make_config(modules_dir)
            config_path = write_config(config)
            for path in (config.unix_path, config.admin_unix_path):
                if path is not None:  # a killed Janus leaves its socket files behind
                    path.unlink(missing_ok=True)
            self._launch(binary, config_path)
            failure = self._wait_ready(config)
            if not failure:
                self._endpoints = self._make_endpoints(config)
                _RUNNING.add(self)
                return self._endpoints
            if self._lost_pfunix_race() and races < _PFUNIX_ATTEMPTS:
                races += 1
                attempt -= 1  # not a port race: does not count against those
                _log.info("Janus's pfunix thread ended at start-up (race %d), restarting", races)
                self._kill_current()
                continue
            if not self._lost_port_race():
                break
            _log.info("Janus lost a port race (attempt %d), retrying on new ports", attempt)
            self._kill_current()
        raise JanusStartError(
            f"{failure}\n--- last lines of {self.log_path} ---\n{self._log_tail()}"
        )

    def _make_config(self, modules_dir: Path | None) -> ServerConfig:
        http, admin_http, ws, admin_ws = _free_tcp_ports(4)
        rtp_range, plugin_range = _random_udp_ranges()
        return ServerConfig(
            config_dir=self.config_dir,
            modules_dir=modules_dir,
            recordings_dir=self.recordings_dir,
            http_port=http,
            admin_http_port=admin_http,
            ws_port=ws,
            admin_ws_port=admin_ws,
            rtp_port_range=rtp_range,
            plugin_port_range=plugin_range,
            plugins=self._plugins,
            admin_secret=self._admin_secret,
            api_secret=self._api_secret,
            token_auth=self._token_auth,
            session_timeout=self._session_timeout,
            reclaim_session_timeout=self._reclaim_session_timeout,
            debug_level=self._debug_level,
            server_name=self._server_name,
            ice_address=self._ice_address,
            plugin_config=self._plugin_config,
            unix_socket_dir=self.workdir if self._unix_sockets and self._pfunix_installed else None,
            unix_datagram=self._unix_datagram,
        )

    def _make_endpoints(self, config: ServerConfig) -> JanusEndpoints:
        return JanusEndpoints(
            ws_url=f"ws://{_LOOPBACK}:{config.ws_port}",
            http_url=f"http://{_LOOPBACK}:{config.http_port}/janus",
            admin_ws_url=f"ws://{_LOOPBACK}:{config.admin_ws_port}",
            admin_http_url=f"http://{_LOOPBACK}:{config.admin_http_port}/admin",
            admin_secret=self._admin_secret,
            ice_address=self._ice_address,
            recordings_dir=self.recordings_dir,
            api_secret=self._api_secret,
            unix_url=_unix_url(config.unix_path, config.unix_datagram),
            admin_unix_url=_unix_url(config.admin_unix_path, config.unix_datagram),
        )

    def _launch(self, binary: str, config_path: Path) -> None:
        self.log_path.unlink(missing_ok=True)
        if self._output is None:
            self._output = (self.workdir / "janus.out").open("ab")
        command = [
            binary,
            "-C",
            str(config_path),
            "-F",
            str(self.config_dir),
            "-L",
            str(self.log_path),
            "-N",  # no logging on stdout: the log file is enough
            "-o",  # no colours
            "-D",  # timestamps
        ]
        try:
            self._process = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=self._output,
                stderr=subprocess.STDOUT,
                cwd=self.workdir,
                preexec_fn=_parent_death_signal(),
            )
        except OSError as exc:
            raise JanusStartError(f"cannot run {binary!r}: {exc}; {INSTALL_HINT}") from exc

    def _wait_ready(self, config: ServerConfig) -> str:
        """Wait until every listener is up; return '' or why Janus is not ready.

        Janus keeps running when a transport fails to bind its port, and a TCP
        connect alone could reach whoever holds that port, so readiness needs
        the log's "started" line for each of the four listeners, no fatal
        error, an answer to ``GET /janus/info``, an accepting WebSocket port and,
        with pfunix, both socket files.
        Janus logs "started" lines at level 4 (info) and above only: below that,
        the answers alone have to do.
        """
        assert self._process is not None
        info_url = f"http://{_LOOPBACK}:{config.http_port}/janus/info"
        listening = (
            f"Websockets server started (port {config.ws_port})",
            f"Admin Websockets server started (port {config.admin_ws_port})",
            f"HTTP webserver started (port {config.http_port},",
            f"Admin/monitor HTTP webserver started (port {config.admin_http_port},",
        )
        started = time.monotonic()
        while True:
            code = self._process.poll()
            if code is not None:
                return f"Janus exited with code {code} during start-up"
            log = _read(self.log_path)
            fatal = [line for line in log.splitlines() if _FATAL in line]
            if fatal:
                return f"Janus reported a fatal error: {fatal[0]}"
            logged = self._debug_level < _INFO_LEVEL or all(m in log for m in listening)
            sockets = [p for p in (config.unix_path, config.admin_unix_path) if p is not None]
            bound = all(p.is_socket() for p in sockets)
            if sockets and not bound and self._pfunix_ended(log, info_url):
                self._pfunix_raced = True
                return "Janus's Unix-socket (pfunix) thread ended during start-up"
            if logged and bound and _http_answers(info_url) and _tcp_accepts(config.ws_port):
                _log.debug("Janus ready in %.3f s", time.monotonic() - started)
                return ""
            if time.monotonic() - started > self._start_timeout:
                return f"Janus did not answer within {self._start_timeout:g} s"
            time.sleep(_POLL_INTERVAL)

    def _pfunix_ended(self, log: str, info_url: str) -> bool:
        """Whether pfunix started, bound its sockets, and its thread unlinked them again.

        Its "thread ended" line is logged at level 4 and above; below, ``info`` listing the
        transport (listed once its start-up, which binds the sockets, is over) tells.
        """
        if _PFUNIX_RACE in log:
            return True
        if self._debug_level >= _INFO_LEVEL:
            return False
        return "janus.transport.pfunix" in _info_field(info_url, "transports")

    def _lost_pfunix_race(self) -> bool:
        raced, self._pfunix_raced = self._pfunix_raced, False
        return raced

    def _lost_port_race(self) -> bool:
        fatal = [line for line in _read(self.log_path).splitlines() if _FATAL in line]
        return any(word in line for line in fatal for word in _BIND_FAILURE_WORDS)

    def _log_tail(self) -> str:
        tail = _tail(self.log_path)
        if not tail:
            tail = _tail(self.workdir / "janus.out")
        return tail or "(empty log)"

    def _kill_current(self) -> None:
        if self._process is not None:
            _terminate(self._process)
            self._process = None


def _unix_url(path: Path | None, datagram: bool) -> str:
    if path is None:
        return ""
    return f"{'unix+dgram' if datagram else 'unix'}://{urllib.parse.quote(str(path))}"


def _parent_death_signal() -> Callable[[], None] | None:
    """Return a pre-exec hook making Linux send SIGTERM to Janus if we die.

    Without it a Janus outlives a test run killed by SIGKILL (or an unhandled
    SIGTERM, which skips ``atexit``) and keeps its ports. Linux delivers the
    signal when the *thread* that started the child exits, so the hook is only
    used from the main thread; elsewhere the ``atexit`` clean-up is all there is.
    """
    if not sys.platform.startswith("linux"):
        return None
    if threading.current_thread() is not threading.main_thread():
        return None
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    parent = os.getpid()

    def set_parent_death_signal() -> None:
        prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() != parent:  # the parent died before prctl took effect
            os.kill(os.getpid(), signal.SIGTERM)

    return set_parent_death_signal


_PR_SET_PDEATHSIG = 1


def _terminate(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=_STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        _log.warning("Janus (pid %d) ignored SIGTERM; killing it", process.pid)
        process.kill()
        process.wait()


_NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def server_plugins(endpoints: JanusEndpoints, *, timeout: float = 5.0) -> frozenset[str] | None:
    """Ask a running server which plugins it has (``info`` over its HTTP API).

    Args:
        endpoints: The server.
        timeout: Seconds to wait for the answer.

    Returns:
        The plugin ids (``"janus.plugin.echotest"``, ...), or None when the server has no
        HTTP API or does not answer.
    """
    if not endpoints.http_url:
        return None
    try:
        with _NO_PROXY.open(f"{endpoints.http_url}/info", timeout=timeout) as response:
            message = json.loads(response.read())
    except (OSError, ValueError):
        return None
    plugins = message.get("plugins") if isinstance(message, dict) else None
    return frozenset(plugins) if isinstance(plugins, dict) else None


def _info_field(url: str, name: str) -> Mapping[str, object]:
    """One object of Janus's ``info`` answer at ``url``; empty if it does not answer."""
    try:
        with _NO_PROXY.open(url, timeout=1.0) as response:
            message = json.loads(response.read())
    except (OSError, ValueError):
        return {}
    value = message.get(name) if isinstance(message, dict) else None
    return value if isinstance(value, dict) else {}


def _http_answers(url: str) -> bool:
    """Whether Janus answers ``GET url`` with a JSON message (proxies bypassed)."""
    try:
        with _NO_PROXY.open(url, timeout=1.0) as response:
            body = response.read()
    except urllib.error.HTTPError as exc:
        body = exc.read()
    except (OSError, ValueError):
        return False
    try:
        message = json.loads(body)
    except ValueError:
        return False
    return isinstance(message, dict) and "janus" in message


def _tcp_accepts(port: int) -> bool:
    try:
        with socket.create_connection((_LOOPBACK, port), timeout=0.5):
            return True
    except OSError:
        return False


_RUNNING: set[JanusServer] = set()


@atexit.register
def _stop_leftovers() -> None:
    """Never leave a Janus behind when the interpreter exits."""
    for server in list(_RUNNING):
        server.stop()
