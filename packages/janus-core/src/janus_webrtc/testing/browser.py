"""Drive Meetecho's janus.js in headless Chromium, for interop tests against a real Janus.

The pieces, from the bottom up:

- :class:`Chromium`: a headless Chromium process (synchronous, like
  :class:`~janus_webrtc.testing.JanusServer`) with fake camera and microphone, listening for
  the DevTools protocol on 127.0.0.1; stopped with its whole process group.
- :class:`JanusJs`: where janus.js (npm package ``janus-gateway``) and adapter.js (npm package
  ``webrtc-adapter``) are; :func:`find_janus_js` finds them in an npm prefix folder.
- :class:`JanusJsSite`: a small aiohttp server on 127.0.0.1 serving a page that loads both, plus
  the test kit (``browser_kit.js``: ``kit.connect()``, ``kit.attach()``, event queues, stats).
- :class:`DevTools` and :class:`BrowserPage`: the DevTools protocol over aiohttp's WebSocket
  client; a page in a browser context of its own, where tests evaluate JavaScript
  (``Runtime.evaluate`` with ``awaitPromise``) and read what the page logged.

:func:`open_page` puts them together; the pytest plugin's ``janus_browser_page`` fixture uses
it::

    async with open_page(chromium, janus_js) as page:
        plugins = await page.run(
            '''
            const janus = await kit.connect(url);
            const echo = await kit.attach(janus, "janus.plugin.echotest");
            return echo.handle.getPlugin();
            ''',
            url="ws://127.0.0.1:8188",
        )

Everything stays on the machine: the DevTools port, the page server and (with the flags of
:data:`CHROMIUM_FLAGS`) Chromium's own networking are on loopback, and ``kit.connect()`` always
gives janus.js ``iceServers: []`` (janus.js falls back to a public STUN server without it).
This module is not imported by :mod:`janus_webrtc.testing`; it needs aiohttp only (a
dependency of the core), not aiortc.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import importlib.resources
import itertools
import json
import logging
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import aiohttp
from aiohttp import web

from janus_webrtc.testing.server import _parent_death_signal

__all__ = [
    "CHROMIUM_FLAGS",
    "CHROMIUM_INSTALL_HINT",
    "JANUS_JS_INSTALL_HINT",
    "JANUS_JS_PACKAGES",
    "BrowserError",
    "BrowserPage",
    "BrowserStartError",
    "Chromium",
    "ConsoleMessage",
    "DevTools",
    "DevToolsError",
    "JanusJs",
    "JanusJsSite",
    "JavaScriptError",
    "find_chromium",
    "find_janus_js",
    "open_page",
]

_log = logging.getLogger(__name__)

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
"""Executables :func:`find_chromium` looks for on the ``PATH``, in order."""

CHROMIUM_ENV = "JANUS_WEBRTC_TEST_CHROMIUM"
"""Environment variable naming a Chromium executable outside the ``PATH``."""

JANUS_JS_ENV = "JANUS_WEBRTC_TEST_JANUS_JS"
"""Environment variable naming the npm prefix folder that holds janus.js (``node_modules/``)."""

JANUS_JS_PACKAGES: Mapping[str, str] = {"janus-gateway": "1.4.2", "webrtc-adapter": "9.0.3"}
"""The npm packages (and versions) the browser tests load: janus.js and the adapter it uses."""

CHROMIUM_INSTALL_HINT = (
    "install Chromium (Debian: `apt-get install --no-install-recommends chromium`) "
    f"or set {CHROMIUM_ENV} to its executable"
)
"""How to get Chromium, for skip and error messages."""

JANUS_JS_INSTALL_HINT = (
    "install janus.js with `npm install --prefix FOLDER "
    + " ".join(f"{name}@{version}" for name, version in JANUS_JS_PACKAGES.items())
    + f"` and set {JANUS_JS_ENV}=FOLDER (./scripts/test does both)"
)
"""How to get janus.js, for skip and error messages."""

CHROMIUM_FLAGS: tuple[str, ...] = (
    "--headless=new",
    "--no-sandbox",  # root in CI; the page is our own
    "--use-fake-ui-for-media-stream",  # getUserMedia is granted without asking
    "--use-fake-device-for-media-stream",  # a test pattern camera and a beeping microphone
    # Without this Chromium hides host candidates behind mDNS names, which Janus cannot resolve.
    "--disable-features=WebRtcHideLocalIpsWithMdns",
    "--autoplay-policy=no-user-gesture-required",
    "--mute-audio",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-dev-shm-usage",
    "--disable-gpu",
    # Nothing leaves the machine: no background requests, and no name resolves.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-default-apps",
    "--disable-domain-reliability",
    "--disable-extensions",
    "--disable-sync",
    "--no-pings",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
)
"""The flags :class:`Chromium` starts the browser with (before ``extra_args``)."""

_LOOPBACK = "127.0.0.1"
_START_TIMEOUT = 30.0
_STOP_TIMEOUT = 10.0
_POLL_INTERVAL = 0.05
_LOG_TAIL_LINES = 30
_CONSOLE_TAIL = 25
_DEVTOOLS_LINE = re.compile(r"DevTools listening on (ws://([^/:]+):(\d+)/devtools/browser/\S+)")
_KIT = "browser_kit.js"


class BrowserError(RuntimeError):
    """Something went wrong driving the browser."""


class BrowserStartError(BrowserError):
    """Chromium could not be started, or did not open its DevTools port in time."""


class DevToolsError(BrowserError):
    """The browser answered a DevTools protocol command with an error.

    Attributes:
        method: The command, such as ``"Runtime.evaluate"``.
        code: The protocol's error code.
    """

    def __init__(self, method: str, code: int, message: str) -> None:
        super().__init__(f"DevTools {method} failed: {message} (code {code})")
        self.method = method
        self.code = code


class JavaScriptError(BrowserError):
    """JavaScript evaluated in a page threw, or its promise was rejected.

    The message holds the JavaScript error and the last lines the page logged.

    Attributes:
        description: The JavaScript error as the browser describes it (with its stack).
        console: What the page had logged until then.
    """

    def __init__(self, description: str, console: Sequence[ConsoleMessage]) -> None:
        tail = "\n".join(f"  {line}" for line in console[-_CONSOLE_TAIL:])
        super().__init__(
            f"JavaScript error: {description}" + (f"\npage console:\n{tail}" if tail else "")
        )
        self.description = description
        self.console = tuple(console)


def find_chromium(executable: str | None = None) -> str | None:
    """Locate a Chromium (or Chrome) executable.

    Args:
        executable: Name or path. None means ``JANUS_WEBRTC_TEST_CHROMIUM``, or the first of
            :data:`CHROMIUM_NAMES` on the ``PATH``.

    Returns:
        The executable's path, or None when there is none.
    """
    wanted = executable or os.environ.get(CHROMIUM_ENV)
    if wanted:
        return shutil.which(wanted)
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found is not None:
            return found
    return None


@dataclass(frozen=True)
class JanusJs:
    """Where janus.js and adapter.js are, as :class:`JanusJsSite` serves them.

    Attributes:
        janus_js: janus.js as an ES module (``janus-gateway``'s ``npm/dist/janus.es.js``,
            whose default export is ``Janus``).
        adapter_js: adapter.js as a classic script defining the global ``adapter``
            (``webrtc-adapter``'s ``out/adapter.js``).
        versions: The npm package versions found, by package name.
    """

    janus_js: Path
    adapter_js: Path
    versions: Mapping[str, str]


def find_janus_js(folder: Path | str | None = None) -> JanusJs | None:
    """Find janus.js and adapter.js installed by npm, in the versions of :data:`JANUS_JS_PACKAGES`.

    Args:
        folder: The npm prefix folder (the one holding ``node_modules/``). None means
            ``JANUS_WEBRTC_TEST_JANUS_JS``.

    Returns:
        Where they are, or None when the folder is not given, or a package is missing or in
        another version (the reason is logged).
    """
    where = folder if folder is not None else os.environ.get(JANUS_JS_ENV)
    if not where:
        return None
    modules = Path(where) / "node_modules"
    versions: dict[str, str] = {}
    for name, wanted in JANUS_JS_PACKAGES.items():
        try:
            meta = json.loads((modules / name / "package.json").read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            _log.warning("janus.js: cannot read %s: %s", modules / name / "package.json", exc)
            return None
        version = meta.get("version") if isinstance(meta, dict) else None
        if version != wanted:
            _log.warning("janus.js: %s is %s in %s, not %s", name, version, modules, wanted)
            return None
        versions[name] = version
    found = JanusJs(
        janus_js=modules / "janus-gateway" / "npm" / "dist" / "janus.es.js",
        adapter_js=modules / "webrtc-adapter" / "out" / "adapter.js",
        versions=versions,
    )
    for path in (found.janus_js, found.adapter_js):
        if not path.is_file():
            _log.warning("janus.js: %s is missing", path)
            return None
    return found


class Chromium:
    """A headless Chromium process for the DevTools protocol, on 127.0.0.1.

    Started with :data:`CHROMIUM_FLAGS`, a fresh profile in a temporary folder and
    ``--remote-debugging-port=0`` (the port is read from what Chromium prints). It runs in a
    process group of its own, stopped as a whole by :meth:`stop` (and at interpreter exit);
    on Linux it also gets SIGTERM if the process that started it dies.

    Example:
        >>> with Chromium() as chromium:  # doctest: +SKIP
        ...     print(chromium.devtools_url)
        ws://127.0.0.1:40163/devtools/browser/0c5a...

    Args:
        executable: Name or path (see :func:`find_chromium`).
        extra_args: More command-line flags, after :data:`CHROMIUM_FLAGS`.
        start_timeout: Seconds to wait for the DevTools port.
    """

    def __init__(
        self,
        executable: str | None = None,
        *,
        extra_args: Sequence[str] = (),
        start_timeout: float = _START_TIMEOUT,
    ) -> None:
        self._executable = executable
        self._extra_args = tuple(extra_args)
        self._start_timeout = start_timeout
        self._process: subprocess.Popen[bytes] | None = None
        self._workdir: Path | None = None
        self._devtools_url: str | None = None

    @property
    def devtools_url(self) -> str:
        """The browser's DevTools WebSocket URL (``ws://127.0.0.1:PORT/devtools/browser/ID``).

        Raises:
            RuntimeError: If the browser is not running.
        """
        if self._devtools_url is None:
            raise RuntimeError("Chromium is not running: call start() first")
        return self._devtools_url

    @property
    def pid(self) -> int | None:
        """The browser's process id (also its process group id), or None."""
        return self._process.pid if self._process is not None else None

    @property
    def running(self) -> bool:
        """Whether the browser process is alive."""
        return self._process is not None and self._process.poll() is None

    @property
    def log_path(self) -> Path | None:
        """Chromium's standard output and error, while it runs."""
        return self._workdir / "chromium.log" if self._workdir is not None else None

    def start(self) -> str:
        """Launch Chromium and wait until it listens for the DevTools protocol.

        Returns:
            :attr:`devtools_url`.

        Raises:
            BrowserStartError: No executable, or Chromium exited or did not open its port in
                time (the message holds the end of its output).
            RuntimeError: If it is already running.
        """
        if self._process is not None:
            raise RuntimeError("Chromium already started")
        executable = find_chromium(self._executable)
        if executable is None:
            raise BrowserStartError(f"no Chromium found: {CHROMIUM_INSTALL_HINT}")
        self._workdir = Path(tempfile.mkdtemp(prefix="janus-webrtc-chromium-"))
        command = [
            executable,
            *CHROMIUM_FLAGS,
            *self._extra_args,
            f"--user-data-dir={self._workdir / 'profile'}",
            "--remote-debugging-port=0",
            "about:blank",
        ]
        assert self.log_path is not None
        try:
            with self.log_path.open("wb") as output:
                self._process = subprocess.Popen(
                    command,
                    stdin=subprocess.DEVNULL,
                    stdout=output,
                    stderr=subprocess.STDOUT,
                    cwd=self._workdir,
                    start_new_session=True,  # its own process group: stop() ends every child
                    preexec_fn=_parent_death_signal(),
                )
        except OSError as exc:
            self.stop()
            raise BrowserStartError(f"cannot run {executable!r}: {exc}") from exc
        _RUNNING.add(self)
        try:
            self._devtools_url = self._wait_devtools()
        except BaseException:
            self.stop()
            raise
        _log.debug("Chromium (pid %d) at %s", self._process.pid, self._devtools_url)
        return self._devtools_url

    def stop(self) -> None:
        """Stop Chromium and every process it started; remove its profile. Safe to call twice.

        SIGTERM first (Chromium closes cleanly), SIGKILL to the whole process group after
        10 s; returns once no process of the group is left.
        """
        process, self._process = self._process, None
        self._devtools_url = None
        _RUNNING.discard(self)
        if process is not None:
            _stop_group(process)
        if self._workdir is not None:
            shutil.rmtree(self._workdir, ignore_errors=True)
            self._workdir = None

    def log_tail(self, lines: int = _LOG_TAIL_LINES) -> str:
        """The last lines Chromium printed (empty when it is not running)."""
        if self.log_path is None:
            return ""
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def __enter__(self) -> Self:
        """Start the browser."""
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Stop the browser."""
        self.stop()

    def __repr__(self) -> str:
        state = f"pid={self.pid} {self._devtools_url}" if self.running else "stopped"
        return f"<Chromium {state}>"

    def _wait_devtools(self) -> str:
        assert self._process is not None
        assert self.log_path is not None
        deadline = time.monotonic() + self._start_timeout
        while True:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
            match = _DEVTOOLS_LINE.search(text)
            if match is not None:
                if match[2] != _LOOPBACK:  # pragma: no cover - Chromium's default is loopback
                    raise BrowserStartError(
                        f"Chromium's DevTools listen on {match[2]}, not 127.0.0.1"
                    )
                return match[1]
            if self._process.poll() is not None:
                raise BrowserStartError(
                    f"Chromium exited with status {self._process.returncode}:\n{self.log_tail()}"
                )
            if time.monotonic() > deadline:
                raise BrowserStartError(
                    f"Chromium opened no DevTools port within {self._start_timeout} s:\n"
                    + self.log_tail()
                )
            time.sleep(_POLL_INTERVAL)


def _group_alive(pgid: int) -> bool:
    """Whether a process group still has a live (not zombie) process.

    Zombies are dead already: the children Chromium leaves become init's, which may reap them
    late. Without ``/proc`` any member counts.
    """
    proc = Path("/proc")
    if not proc.is_dir():  # pragma: no cover - Linux has /proc
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return False
        return True
    for stat in proc.glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # the process ended while we looked
        if len(fields) > 2 and int(fields[2]) == pgid and fields[0] not in ("Z", "X"):
            return True
    return False


def _signal_group(pgid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signum)


def _stop_group(process: subprocess.Popen[bytes]) -> None:
    pgid = process.pid  # start_new_session: the browser leads its own group
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=_STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            _log.warning("Chromium (pid %d) ignored SIGTERM; killing its processes", pgid)
            _signal_group(pgid, signal.SIGKILL)
            process.wait()
    # Renderers, zygotes and utilities end with the browser; make sure of it.
    deadline = time.monotonic() + _STOP_TIMEOUT
    signum = signal.SIGTERM
    while _group_alive(pgid):
        _signal_group(pgid, signum)
        if time.monotonic() > deadline:
            signum = signal.SIGKILL
        time.sleep(_POLL_INTERVAL)


_RUNNING: set[Chromium] = set()


@atexit.register
def _stop_leftovers() -> None:
    """Never leave a Chromium behind when the interpreter exits."""
    for chromium in list(_RUNNING):
        chromium.stop()


class JanusJsSite:
    """An aiohttp server on 127.0.0.1 serving the page that janus.js tests run in.

    ``/`` loads adapter.js (the global ``adapter``), then the test kit, ``browser_kit.js``,
    which imports janus.js (setting the global ``Janus``) and defines the global ``kit``.
    Use with ``async with``.

    Args:
        janus_js: Where janus.js and adapter.js are.
        janus_debug: janus.js's console logging (``Janus.init``'s ``debug``): some of
            ``"trace"``, ``"debug"``, ``"vdebug"``, ``"log"``, ``"warn"``, ``"error"``.
    """

    def __init__(
        self, janus_js: JanusJs, *, janus_debug: Sequence[str] = ("log", "warn", "error")
    ) -> None:
        self._janus_js = janus_js
        self._janus_debug = tuple(janus_debug)
        self._runner: web.AppRunner | None = None
        self._url: str | None = None

    @property
    def url(self) -> str:
        """The page's URL (``http://127.0.0.1:PORT/``).

        Raises:
            RuntimeError: If the site is not started.
        """
        if self._url is None:
            raise RuntimeError("JanusJsSite is not started: use it with `async with`")
        return self._url

    async def start(self) -> str:
        """Serve the page on a free port; return its URL.

        Raises:
            RuntimeError: If it is already started.
        """
        if self._runner is not None:
            raise RuntimeError("JanusJsSite already started")
        kit = importlib.resources.files("janus_webrtc.testing").joinpath(_KIT).read_bytes()
        page = _page_html(self._janus_debug).encode()
        files = {
            "/": (page, "text/html"),
            "/adapter.js": (self._janus_js.adapter_js.read_bytes(), "text/javascript"),
            "/janus.js": (self._janus_js.janus_js.read_bytes(), "text/javascript"),
            "/kit.js": (kit, "text/javascript"),
        }

        async def serve(request: web.Request) -> web.Response:
            found = files.get(request.path)
            if found is None:
                return web.Response(status=404)
            body, content_type = found
            return web.Response(body=body, content_type=content_type, charset="utf-8")

        app = web.Application()
        app.router.add_get("/{path:.*}", serve)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        try:
            site = web.TCPSite(runner, _LOOPBACK, 0)
            await site.start()
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner
        host, port = runner.addresses[0][:2]
        self._url = f"http://{host}:{port}/"
        return self._url

    async def close(self) -> None:
        """Stop serving; safe to call twice."""
        runner, self._runner = self._runner, None
        self._url = None
        if runner is not None:
            await runner.cleanup()

    async def __aenter__(self) -> Self:
        """Start serving."""
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Stop serving."""
        await self.close()


def _page_html(janus_debug: Sequence[str]) -> str:
    config = json.dumps({"debug": list(janus_debug)})
    return (
        "<!doctype html>\n"
        '<html><head><meta charset="utf-8"><title>janus.js interop</title>\n'
        '<link rel="icon" href="data:,">\n'
        f"<script>window.kitConfig = {config};</script>\n"
        '<script src="/adapter.js"></script>\n'
        '<script type="module" src="/kit.js"></script>\n'
        "</head><body></body></html>\n"
    )


EventCallback = Callable[[str, dict[str, Any]], None]
"""Receives a DevTools event of one session: its method and its params."""


class DevTools:
    """A DevTools protocol connection to a browser, over aiohttp's WebSocket client.

    Commands are sent with :meth:`send`; events go to the callback registered for their
    session (targets are attached with ``flatten``, so one connection serves every page).
    Made by :meth:`connect`; use with ``async with`` or call :meth:`close`.
    """

    def __init__(self, http: aiohttp.ClientSession, ws: aiohttp.ClientWebSocketResponse) -> None:
        self._http = http
        self._ws = ws
        self._ids = itertools.count(1)
        self._pending: dict[int, tuple[str, asyncio.Future[dict[str, Any]]]] = {}
        self._listeners: dict[str, EventCallback] = {}
        self._closed = False
        self._reader = asyncio.get_running_loop().create_task(self._read(), name="devtools-reader")

    @classmethod
    async def connect(cls, url: str, *, timeout: float = 10.0) -> DevTools:
        """Connect to a browser's DevTools WebSocket URL (:attr:`Chromium.devtools_url`).

        Args:
            url: The URL.
            timeout: Seconds to wait for the connection.

        Raises:
            BrowserError: The browser does not accept the connection in time.
        """
        http = aiohttp.ClientSession(trust_env=False)  # never through a proxy
        try:
            async with asyncio.timeout(timeout):
                ws = await http.ws_connect(url, max_msg_size=0)  # no limit: results can be big
        except (aiohttp.ClientError, OSError, TimeoutError) as exc:
            await http.close()
            raise BrowserError(f"cannot open the DevTools connection {url}: {exc}") from exc
        return cls(http, ws)

    @property
    def closed(self) -> bool:
        """Whether the connection is closed (by :meth:`close` or by the browser)."""
        return self._closed

    async def send(
        self,
        method: str,
        params: Mapping[str, Any] | None = None,
        *,
        session_id: str | None = None,
        timeout: float | None = 30.0,
    ) -> dict[str, Any]:
        """Send one command and wait for its result.

        Args:
            method: Such as ``"Target.createTarget"``.
            params: The command's parameters.
            session_id: The attached target's session, or None for the browser itself.
            timeout: Seconds to wait for the answer (None: no limit).

        Returns:
            The command's ``result``.

        Raises:
            DevToolsError: The browser answered with an error.
            BrowserError: The connection is (or gets) closed.
            TimeoutError: No answer in time.
        """
        if self._closed:
            raise BrowserError(f"cannot send {method}: the DevTools connection is closed")
        ident = next(self._ids)
        message: dict[str, Any] = {"id": ident, "method": method, "params": dict(params or {})}
        if session_id is not None:
            message["sessionId"] = session_id
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._pending[ident] = (method, future)
        try:
            await self._ws.send_str(json.dumps(message))
            async with asyncio.timeout(timeout):
                return await future
        finally:
            self._pending.pop(ident, None)

    def listen(self, session_id: str, callback: EventCallback | None) -> None:
        """Route the events of one session to ``callback`` (None: stop routing them)."""
        if callback is None:
            self._listeners.pop(session_id, None)
        else:
            self._listeners[session_id] = callback

    async def close(self) -> None:
        """Close the connection; safe to call twice."""
        self._closed = True
        await self._ws.close()
        self._reader.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._reader
        await self._http.close()

    async def __aenter__(self) -> Self:
        """Return the open connection."""
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Close the connection."""
        await self.close()

    async def _read(self) -> None:
        try:
            async for frame in self._ws:
                if frame.type is aiohttp.WSMsgType.TEXT:
                    self._dispatch(json.loads(frame.data))
        finally:
            self._closed = True
            for method, future in self._pending.values():
                if not future.done():
                    future.set_exception(
                        BrowserError(f"the DevTools connection closed before {method} answered")
                    )

    def _dispatch(self, message: dict[str, Any]) -> None:
        ident = message.get("id")
        if ident is not None:
            pending = self._pending.get(ident)
            if pending is None or pending[1].done():
                return
            method, future = pending
            error = message.get("error")
            if error is not None:
                future.set_exception(
                    DevToolsError(method, int(error.get("code", 0)), str(error.get("message")))
                )
            else:
                future.set_result(message.get("result") or {})
            return
        listener = self._listeners.get(message.get("sessionId", ""))
        if listener is not None:
            listener(str(message.get("method")), message.get("params") or {})


@dataclass(frozen=True)
class ConsoleMessage:
    """One line a page logged: ``console.*`` calls, uncaught errors, the browser's own log.

    Attributes:
        level: ``"log"``, ``"debug"``, ``"info"``, ``"warning"``, ``"error"``, ...
            (uncaught exceptions: ``"exception"``).
        text: The message, its arguments joined by spaces.
        source: ``"console"``, ``"exception"`` or the browser log's source (``"network"``, ...).
    """

    level: str
    text: str
    source: str = "console"

    def __str__(self) -> str:
        return f"[{self.level}] {self.text}"


class BrowserPage:
    """A page of the browser, in a browser context of its own (no shared storage).

    Made by :meth:`open` (or :func:`open_page`); :meth:`close` closes the page and its context.
    JavaScript runs with :meth:`evaluate` or :meth:`run`; :attr:`console` holds what the page
    logged, also given to this module's logger at debug level.

    Args:
        devtools: The connection the page's session is attached on (``flatten``).
        context_id: The page's browser context, disposed by :meth:`close`.
        target_id: The page's target.
        session_id: The DevTools session attached to the target.
    """

    def __init__(
        self, devtools: DevTools, context_id: str, target_id: str, session_id: str
    ) -> None:
        self._devtools = devtools
        self._context_id = context_id
        self._target_id = target_id
        self._session_id = session_id
        self._console: list[ConsoleMessage] = []
        self._loaded: asyncio.Event = asyncio.Event()
        self._closed = False
        devtools.listen(session_id, self._event)

    @classmethod
    async def open(cls, devtools: DevTools, url: str, *, timeout: float = 30.0) -> BrowserPage:
        """Open ``url`` in a new browser context and wait for its ``load`` event.

        Raises:
            BrowserError: The page did not load.
            TimeoutError: Not loaded in time.
        """
        context = await devtools.send("Target.createBrowserContext", {"disposeOnDetach": True})
        context_id = str(context["browserContextId"])
        try:
            target = await devtools.send(
                "Target.createTarget", {"url": "about:blank", "browserContextId": context_id}
            )
            target_id = str(target["targetId"])
            attached = await devtools.send(
                "Target.attachToTarget", {"targetId": target_id, "flatten": True}
            )
        except BaseException:
            with contextlib.suppress(BrowserError):
                await devtools.send(
                    "Target.disposeBrowserContext", {"browserContextId": context_id}
                )
            raise
        page = cls(devtools, context_id, target_id, str(attached["sessionId"]))
        try:
            async with asyncio.timeout(timeout):
                for domain in ("Runtime", "Page", "Log"):
                    await page._send(f"{domain}.enable")
                navigated = await page._send("Page.navigate", {"url": url})
                if navigated.get("errorText"):
                    raise BrowserError(f"cannot open {url}: {navigated['errorText']}")
                await page._loaded.wait()
        except BaseException:
            await page.close()
            raise
        return page

    @property
    def console(self) -> tuple[ConsoleMessage, ...]:
        """Everything the page logged so far, in order."""
        return tuple(self._console)

    @property
    def errors(self) -> tuple[ConsoleMessage, ...]:
        """What the page logged as errors, and the exceptions nobody caught."""
        return tuple(m for m in self._console if m.level in ("error", "exception"))

    async def evaluate(self, expression: str, *, timeout: float | None = 60.0) -> Any:
        """Evaluate a JavaScript expression in the page; a promise is awaited.

        Args:
            expression: JavaScript, such as ``"kit.ready"`` or ``"document.title"``.
            timeout: Seconds to wait for the value (None: no limit).

        Returns:
            The value, passed as JSON (``undefined`` becomes None).

        Raises:
            JavaScriptError: The expression threw, or its promise was rejected.
            DevToolsError: The value cannot be passed as JSON, or the page is gone.
            TimeoutError: No value in time.
        """
        reply = await self._send(
            "Runtime.evaluate",
            {"expression": expression, "awaitPromise": True, "returnByValue": True},
            timeout=timeout,
        )
        details = reply.get("exceptionDetails")
        if details is not None:
            raise JavaScriptError(_describe_exception(details), self._console)
        return reply.get("result", {}).get("value")

    async def run(self, body: str, *, timeout: float | None = 60.0, **args: Any) -> Any:
        """Run the body of an async JavaScript function, with arguments by name.

        ``await page.run("return a + b", a=1, b=2)`` evaluates
        ``(async ({a, b}) => { return a + b })({"a": 1, "b": 2})``: the arguments are passed
        as JSON, so they need no quoting.

        Args:
            body: Statements; ``await`` allowed; ``return`` gives the value.
            timeout: Seconds to wait for the value (None: no limit).
            **args: JSON-serialisable values, visible to ``body`` under their names.

        Returns:
            What the body returns, passed as JSON.

        Raises:
            JavaScriptError: The body threw.
            DevToolsError: The value cannot be passed as JSON, or the page is gone.
            TimeoutError: No value in time.
        """
        names = ", ".join(args)
        expression = f"(async ({{{names}}}) => {{\n{body}\n}})({json.dumps(args)})"
        return await self.evaluate(expression, timeout=timeout)

    async def close(self) -> None:
        """Close the page and its browser context; safe to call twice."""
        if self._closed:
            return
        self._closed = True
        self._devtools.listen(self._session_id, None)
        if self._devtools.closed:
            return
        with contextlib.suppress(BrowserError, TimeoutError):
            await self._devtools.send(
                "Target.disposeBrowserContext",
                {"browserContextId": self._context_id},
                timeout=_STOP_TIMEOUT,
            )

    async def _send(
        self, method: str, params: Mapping[str, Any] | None = None, *, timeout: float | None = 30.0
    ) -> dict[str, Any]:
        if self._closed:
            raise BrowserError(f"cannot send {method}: the page is closed")
        return await self._devtools.send(
            method, params, session_id=self._session_id, timeout=timeout
        )

    def _event(self, method: str, params: dict[str, Any]) -> None:
        message: ConsoleMessage | None = None
        if method == "Page.loadEventFired":
            self._loaded.set()
        elif method == "Runtime.consoleAPICalled":
            text = " ".join(_describe_value(arg) for arg in params.get("args", ()))
            message = ConsoleMessage(str(params.get("type", "log")), text)
        elif method == "Runtime.exceptionThrown":
            details = params.get("exceptionDetails", {})
            message = ConsoleMessage("exception", _describe_exception(details), "exception")
        elif method == "Log.entryAdded":
            entry = params.get("entry", {})
            text = str(entry.get("text", ""))
            if entry.get("url"):
                text += f" ({entry['url']})"
            message = ConsoleMessage(
                str(entry.get("level", "info")), text, str(entry.get("source", "other"))
            )
        if message is not None:
            self._console.append(message)
            _log.debug("page %s: %s", self._target_id[:8], message)


def _describe_value(value: Mapping[str, Any]) -> str:
    if "value" in value:
        shown = value["value"]
        return shown if isinstance(shown, str) else json.dumps(shown)
    return str(value.get("description") or value.get("unserializableValue") or value.get("type"))


def _describe_exception(details: Mapping[str, Any]) -> str:
    exception = details.get("exception") or {}
    described = exception.get("description")
    if described:
        return str(described)
    if "value" in exception:
        return f"{details.get('text', 'Uncaught')} {json.dumps(exception['value'])}"
    return str(details.get("text", "unknown JavaScript error"))


@contextlib.asynccontextmanager
async def open_page(
    chromium: Chromium,
    janus_js: JanusJs,
    *,
    janus_debug: Sequence[str] = ("log", "warn", "error"),
    timeout: float = 30.0,
) -> AsyncIterator[BrowserPage]:
    """Serve the janus.js page, open it in ``chromium``, and wait until janus.js is ready.

    On exit every Janus session the page made is destroyed (``kit.destroyAll()``), then the
    page, its browser context, the DevTools connection and the site are closed.

    Args:
        chromium: A running browser.
        janus_js: Where janus.js and adapter.js are.
        janus_debug: janus.js's console logging (see :class:`JanusJsSite`).
        timeout: Seconds for the page to load and janus.js to initialise.

    Yields:
        The page, with the globals ``Janus``, ``adapter`` and ``kit``.
    """
    async with (
        JanusJsSite(janus_js, janus_debug=janus_debug) as site,
        await DevTools.connect(chromium.devtools_url) as devtools,
    ):
        page = await BrowserPage.open(devtools, site.url, timeout=timeout)
        try:
            await page.evaluate("kit.ready", timeout=timeout)
            yield page
        finally:
            with contextlib.suppress(BrowserError, TimeoutError):
                await page.evaluate("kit.destroyAll()", timeout=_STOP_TIMEOUT)
            await page.close()
