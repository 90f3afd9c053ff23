"""pytest plugin: fixtures giving tests a real Janus server.

Loaded through the ``pytest11`` entry point ``janus_webrtc``. Fixtures:

- ``janus_server`` (session): :class:`~janus_webrtc.testing.JanusEndpoints` of a
  private Janus started for the test session, or of an existing server named
  by ``JANUS_WEBRTC_TEST_*`` environment variables.
- ``janus_transport``: ``"ws"``, ``"http"`` then ``"unix"``; tests using it run three times
  (``unix`` is skipped, or failed under ``CI=true``, when the server has no Unix socket).
- ``janus_url``: the Janus API URL for ``janus_transport``.
- ``janus_ice_address``: the address Janus gathers ICE candidates on, or None.
- ``janus_media_ice``: for media tests: that address, with aiortc restricted to it for the
  test; skips (fails under ``CI=true``) where there is none.
- ``janus_connection``: an open :class:`~janus_webrtc.Connection` to ``janus_url``, whose
  WebRTC handles use no STUN server (``RTCConfiguration(iceServers=[])``).
- ``janus_session``: a :class:`~janus_webrtc.Session` on ``janus_connection``.
- ``janus_handle_factory``: ``await janus_handle_factory(EchoTestHandle)`` attaches a handle
  (typed as the class given) on ``janus_session`` or another session, WebRTC handles with no
  STUN server; all are closed after the test (:class:`~janus_webrtc.testing.HandleFactory`).
- ``janus_recordings_folder``: a new, empty folder inside the folder the server records
  to (Janus runs on this host); skips where that is unknown (an existing server).
- ``janus_admin``: an Admin API client (:class:`~janus_webrtc.admin.AdminClient`) of
  ``janus_server``, over WebSocket, closed after the test.
- ``janus_server_factory``: starts extra private servers with other settings
  (API secret, short session timeout, per-plugin configuration with
  ``plugin_config={"streaming": {...}}``, ...), stopped after the test.
- ``janus_browser`` (session): a headless :class:`~janus_webrtc.testing.browser.Chromium`
  with fake camera and microphone; ``janus_js`` (session): where janus.js and adapter.js are
  (:func:`~janus_webrtc.testing.browser.find_janus_js`); ``janus_browser_page``: a
  :class:`~janus_webrtc.testing.browser.BrowserPage` of its own that has loaded janus.js, for
  interop tests (:mod:`janus_webrtc.testing.browser`). Without Chromium or janus.js the test is
  skipped with the reason, or failed under ``CI=true``.

Marker ``@pytest.mark.browser``: the test drives janus.js in Chromium (select or deselect
them with ``-m browser`` / ``-m "not browser"``).

Marker ``@pytest.mark.requires_plugin("streaming")`` (short names or plugin ids): the test
is skipped, saying which plugin is missing, when the session's server (``janus_server``)
does not have it; under ``CI=true`` it fails instead, as every missing-server case does.

Using an existing server::

    JANUS_WEBRTC_TEST_WS_URL=ws://127.0.0.1:8188
    JANUS_WEBRTC_TEST_HTTP_URL=http://127.0.0.1:8088/janus
    JANUS_WEBRTC_TEST_ADMIN_WS_URL=ws://127.0.0.1:7188
    JANUS_WEBRTC_TEST_ADMIN_HTTP_URL=http://127.0.0.1:7088/admin
    JANUS_WEBRTC_TEST_UNIX_URL=unix:///run/janus/janus.sock
    JANUS_WEBRTC_TEST_ADMIN_UNIX_URL=unix:///run/janus/admin.sock
    JANUS_WEBRTC_TEST_ADMIN_SECRET=...
    JANUS_WEBRTC_TEST_ICE_ADDRESS=127.0.0.2

The fixtures are synchronous on purpose: they work with any event loop
scope of pytest-asyncio.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

import janus_webrtc
from janus_webrtc.admin import AdminClient
from janus_webrtc.admin import connect as admin_connect
from janus_webrtc.testing.handles import HandleFactory, HandleMaker
from janus_webrtc.testing.ice import ensure_ice_address, restrict_aioice_to
from janus_webrtc.testing.server import (
    INSTALL_HINT,
    JanusEndpoints,
    JanusServer,
    find_janus_binary,
    server_plugins,
)

if TYPE_CHECKING:  # the browser kit (and aiohttp) is imported by its fixtures only
    from janus_webrtc.testing.browser import BrowserPage, Chromium, JanusJs

ENV_PREFIX = "JANUS_WEBRTC_TEST_"
"""Prefix of the environment variables naming an existing server."""

TRANSPORTS = ("ws", "http", "unix")
"""Transports ``janus_url`` runs over, in order."""


def pytest_configure(config: pytest.Config) -> None:
    """Register the ``janus``, ``browser`` and ``requires_plugin`` markers."""
    config.addinivalue_line("markers", "janus: test needs a real Janus server")
    config.addinivalue_line(
        "markers", "browser: test drives janus.js in headless Chromium (janus_browser_page)"
    )
    config.addinivalue_line(
        "markers",
        "requires_plugin(*names): test needs these Janus plugins on the test server "
        "(skipped if missing; failed under CI=true)",
    )


def endpoints_from_env(environ: Mapping[str, str]) -> JanusEndpoints | None:
    """Build endpoints of an existing server from ``JANUS_WEBRTC_TEST_*`` variables.

    Args:
        environ: The environment to read.

    Returns:
        The endpoints, or None if ``JANUS_WEBRTC_TEST_WS_URL`` is unset or empty.
        Missing URLs and secret become ``""``, a missing ICE address None.
    """
    ws_url = environ.get(f"{ENV_PREFIX}WS_URL", "")
    if not ws_url:
        return None

    def get(name: str) -> str:
        return environ.get(f"{ENV_PREFIX}{name}", "")

    return JanusEndpoints(
        ws_url=ws_url,
        http_url=get("HTTP_URL"),
        admin_ws_url=get("ADMIN_WS_URL"),
        admin_http_url=get("ADMIN_HTTP_URL"),
        admin_secret=get("ADMIN_SECRET"),
        ice_address=get("ICE_ADDRESS") or None,
        recordings_dir=None,
        unix_url=get("UNIX_URL"),
        admin_unix_url=get("ADMIN_UNIX_URL"),
    )


def endpoints_to_env(endpoints: JanusEndpoints) -> dict[str, str]:
    """The ``JANUS_WEBRTC_TEST_*`` variables that name a running server (for a subprocess).

    The inverse of :func:`endpoints_from_env`: a test run in a subprocess (another venv, an
    inner pytest) given these uses this server instead of starting its own.

    Args:
        endpoints: The server.

    Returns:
        The variables, empty values left out.
    """
    values = {
        "WS_URL": endpoints.ws_url,
        "HTTP_URL": endpoints.http_url,
        "ADMIN_WS_URL": endpoints.admin_ws_url,
        "ADMIN_HTTP_URL": endpoints.admin_http_url,
        "ADMIN_SECRET": endpoints.admin_secret,
        "ICE_ADDRESS": endpoints.ice_address or "",
        "UNIX_URL": endpoints.unix_url,
        "ADMIN_UNIX_URL": endpoints.admin_unix_url,
    }
    return {f"{ENV_PREFIX}{name}": value for name, value in values.items() if value}


def _no_janus(message: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def janus_server() -> Iterator[JanusEndpoints]:
    """Endpoints of a real Janus server for the whole test session.

    Starts a private loopback-only :class:`~janus_webrtc.testing.JanusServer`
    (ICE on :func:`~janus_webrtc.testing.ensure_ice_address` when possible),
    unless ``JANUS_WEBRTC_TEST_WS_URL`` names an existing server. Skips the
    test when no Janus binary exists, or fails it when ``CI=true``.

    Yields:
        The server's endpoints.
    """
    existing = endpoints_from_env(os.environ)
    if existing is not None:
        yield existing
        return
    if find_janus_binary() is None:
        _no_janus(
            "no Janus binary found: "
            f"{INSTALL_HINT}, or set {ENV_PREFIX}WS_URL (and the other "
            f"{ENV_PREFIX}* variables) to use a running server"
        )
    with JanusServer(ice_address=ensure_ice_address()) as server:
        yield server.endpoints


def plugin_ids(names: tuple[object, ...]) -> tuple[str, ...]:
    """Turn the arguments of a ``requires_plugin`` marker into plugin ids.

    Raises:
        TypeError: An argument is not a string, or none was given.
    """
    if not names or not all(isinstance(name, str) and name for name in names):
        raise TypeError(f"requires_plugin takes plugin names, such as 'streaming': {names!r}")
    return tuple(str(n) if "." in str(n) else f"janus.plugin.{n}" for n in names)


@pytest.fixture(autouse=True)
def _janus_requires_plugin(request: pytest.FixtureRequest) -> None:
    """Skip (or fail under ``CI=true``) a test whose ``requires_plugin`` plugins are missing."""
    wanted: list[str] = []
    for marker in request.node.iter_markers("requires_plugin"):
        wanted.extend(plugin_ids(tuple(marker.args)))
    if not wanted:
        return
    endpoints: JanusEndpoints = request.getfixturevalue("janus_server")
    have = server_plugins(endpoints)
    if have is None:
        _no_janus(f"cannot tell whether the test server has {', '.join(wanted)}: no info")
        return
    missing = [plugin for plugin in dict.fromkeys(wanted) if plugin not in have]
    if missing:
        _no_janus(
            f"needs the Janus plugin(s) {', '.join(missing)}, which the test server does not "
            "have (install them with Janus, or enable them in the server under test)"
        )


@pytest.fixture(params=TRANSPORTS, ids=TRANSPORTS)
def janus_transport(request: pytest.FixtureRequest) -> str:
    """The transport under test: ``"ws"``, ``"http"``, then ``"unix"``.

    ``"unix"`` is skipped (failed under ``CI=true``) when ``janus_server`` has no Unix socket
    (Janus without its pfunix transport, or an existing server given without
    ``JANUS_WEBRTC_TEST_UNIX_URL``).
    """
    transport: str = request.param
    if transport == "unix":
        endpoints: JanusEndpoints = request.getfixturevalue("janus_server")
        if not endpoints.unix_url:
            _no_janus(
                "the test server has no Unix socket: install Janus's pfunix transport "
                f"(libjanus_pfunix.so), or set {ENV_PREFIX}UNIX_URL for an existing server"
            )
    return transport


@pytest.fixture
def janus_url(janus_server: JanusEndpoints, janus_transport: str) -> str:
    """The Janus API URL of ``janus_server`` for ``janus_transport``."""
    return janus_server.url(janus_transport)


@pytest.fixture
def janus_ice_address(janus_server: JanusEndpoints) -> str | None:
    """The address the server gathers ICE candidates on, or None if unrestricted."""
    return janus_server.ice_address


@pytest.fixture
def janus_media_ice(janus_ice_address: str | None) -> Iterator[str]:
    """The one address both Janus and aiortc gather ICE candidates on, for media tests.

    aioice (under aiortc) is restricted to it for the test, so no candidate leaves the
    machine and both sides meet. Without such an address (making it needs root) the test is
    skipped, or failed under ``CI=true``.
    """
    if janus_ice_address is None:
        _no_janus(
            "media tests need a private ICE address: run as root so that "
            "ensure_ice_address() can create it, or set JANUS_WEBRTC_TEST_ICE_ADDRESS"
        )
    assert janus_ice_address is not None
    with restrict_aioice_to(janus_ice_address):
        yield janus_ice_address


@pytest.fixture
def janus_recordings_folder(janus_server: JanusEndpoints, request: pytest.FixtureRequest) -> Path:
    """A new, empty folder in the server's recordings folder, named after the test."""
    if janus_server.recordings_dir is None:  # an existing server, named by the environment
        pytest.skip("the server's recordings folder is unknown")
    stem = "".join(c if c.isalnum() else "-" for c in request.node.name)[:60]
    path = janus_server.recordings_dir / f"{stem}-{uuid.uuid4().hex[:8]}"
    path.mkdir(parents=True)
    return path


@pytest.fixture
def janus_server_factory() -> Iterator[Callable[..., JanusEndpoints]]:
    """Start extra private servers: ``janus_server_factory(api_secret="s")``.

    Takes the keyword arguments of :class:`~janus_webrtc.testing.JanusServer`; every server
    started is stopped after the test. Skips (or fails under ``CI=true``) without Janus.
    """
    servers: list[JanusServer] = []

    def start(**options: Any) -> JanusEndpoints:
        if find_janus_binary(options.get("binary")) is None:
            _no_janus(f"no Janus binary found: {INSTALL_HINT}")
        server = JanusServer(**options)
        servers.append(server)
        return server.start()

    yield start
    for server in servers:
        server.stop()


@pytest.fixture(scope="session")
def janus_browser() -> Iterator[Chromium]:
    """A headless Chromium for the whole test session (fake camera and microphone).

    Skips the test when no Chromium is found, or fails it under ``CI=true``.
    """
    from janus_webrtc.testing.browser import CHROMIUM_INSTALL_HINT, Chromium, find_chromium

    if find_chromium() is None:
        _no_janus(f"no Chromium found: {CHROMIUM_INSTALL_HINT}")
    with Chromium() as chromium:
        yield chromium


@pytest.fixture(scope="session")
def janus_js() -> JanusJs:
    """Where janus.js and adapter.js are (the npm prefix in ``JANUS_WEBRTC_TEST_JANUS_JS``).

    Skips the test when they are missing, or fails it under ``CI=true``.
    """
    from janus_webrtc.testing.browser import JANUS_JS_INSTALL_HINT, find_janus_js

    found = find_janus_js()
    if found is None:
        _no_janus(f"janus.js not found: {JANUS_JS_INSTALL_HINT}")
    assert found is not None
    return found


try:  # the async fixtures need pytest-asyncio (the ``testing`` extra); the rest works without it
    import pytest_asyncio
except ImportError:  # pragma: no cover - depends on the environment
    pass
else:

    @pytest_asyncio.fixture
    async def janus_connection(janus_url: str) -> AsyncIterator[janus_webrtc.Connection]:
        """An open connection to ``janus_url`` (so over each transport), closed after the test."""
        try:
            from aiortc import RTCConfiguration
        except ModuleNotFoundError:  # signalling only (no ``media`` extra): nothing to configure
            no_stun = None
        else:
            no_stun = RTCConfiguration(iceServers=[])
        async with janus_webrtc.connect(janus_url, rtc_configuration=no_stun) as connection:
            yield connection

    @pytest_asyncio.fixture
    async def janus_admin(janus_server: JanusEndpoints) -> AsyncIterator[AdminClient]:
        """An Admin API client of ``janus_server`` (over WebSocket), closed after the test."""
        async with admin_connect(
            janus_server.admin_ws_url, admin_secret=janus_server.admin_secret
        ) as api:
            yield api

    @pytest_asyncio.fixture
    async def janus_session(
        janus_connection: janus_webrtc.Connection,
    ) -> AsyncIterator[janus_webrtc.Session]:
        """A session on ``janus_connection``, destroyed after the test."""
        async with await janus_connection.create_session() as session:
            yield session

    @pytest_asyncio.fixture
    async def janus_handle_factory(
        janus_session: janus_webrtc.Session,
    ) -> AsyncIterator[HandleFactory]:
        """Attach handles on ``janus_session`` (or another), host-only ICE; closed after."""
        maker = HandleMaker(janus_session)
        try:
            yield maker
        finally:
            await maker.aclose()

    @pytest_asyncio.fixture
    async def janus_browser_page(
        janus_js: JanusJs, janus_browser: Chromium
    ) -> AsyncIterator[BrowserPage]:
        """A page of its own in ``janus_browser`` that has loaded janus.js (``kit``, ``Janus``).

        The Janus sessions the page made are destroyed, and the page closed, after the test.
        """
        from janus_webrtc.testing.browser import open_page

        async with open_page(janus_browser, janus_js) as page:
            yield page
