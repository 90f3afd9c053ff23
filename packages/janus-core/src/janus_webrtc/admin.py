"""The Janus Admin/Monitor API: inspect and steer a running server.

Example::

    from janus_webrtc import admin

    async with admin.connect("http://127.0.0.1:7088/admin", admin_secret="...") as api:
        status = await api.get_status()
        for session_id in await api.list_sessions():
            for handle_id in await api.list_handles(session_id):
                info = await api.handle_info(session_id, handle_id)

Over WebSocket the URL is the admin WebSocket (``ws://127.0.0.1:7188``, subprotocol
``janus-admin-protocol``). The admin secret is added to every request and never logged.
"""

from __future__ import annotations

import ssl as _ssl
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

from . import protocol
from .connection import Connection, _Opener
from .messages import ServerInfo
from .transports import Transport, admin_transport_for_url

__all__ = ["AdminClient", "HandleInfo", "ServerStatus", "TokenInfo", "connect"]


@dataclass(frozen=True, slots=True)
class ServerStatus:
    """Janus's current settings, as ``get_status`` reports them.

    Attributes:
        token_auth: Whether stored-token authentication is on.
        session_timeout: Seconds before an idle session is destroyed.
        reclaim_session_timeout: Seconds a session can be claimed after its transport is lost.
        candidates_timeout: Seconds to wait for candidates.
        log_level: The log level (0-7).
        log_timestamps: Whether log lines have timestamps.
        log_colors: Whether log lines are coloured.
        locking_debug: Whether lock debugging is on.
        refcount_debug: Whether reference-count debugging is on.
        libnice_debug: Whether libnice debugging is on.
        min_nack_queue: Minimum NACK queue, in milliseconds.
        nack_optimizations: Whether NACK optimizations are on.
        no_media_timer: Seconds without media before a ``media`` event says so.
        slowlink_threshold: Lost packets per second that trigger ``slowlink`` (0: off).
    """

    token_auth: bool
    session_timeout: int
    reclaim_session_timeout: int
    candidates_timeout: int
    log_level: int
    log_timestamps: bool
    log_colors: bool
    locking_debug: bool
    refcount_debug: bool
    libnice_debug: bool
    min_nack_queue: int
    nack_optimizations: bool
    no_media_timer: int
    slowlink_threshold: int


@dataclass(frozen=True, slots=True)
class TokenInfo:
    """A stored auth token and the plugins it may use.

    Attributes:
        token: The token.
        allowed_plugins: Plugin ids the token gives access to.
    """

    token: str = field(repr=False)
    allowed_plugins: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class HandleInfo:
    """What Janus knows about one handle (``handle_info``).

    Attributes:
        session_id: The session of the handle.
        handle_id: The handle.
        plugin: The plugin it is attached to.
        opaque_id: The opaque id given at attach, if any.
        transport: The transport of its session, such as ``"janus.transport.http"``.
        flags: Janus's WebRTC flags (``"ready"``, ``"negotiated"``, ``"has-audio"``, ...).
        plugin_specific: What the plugin reports about the handle.
        ice_state: The ICE state, when a PeerConnection exists.
        dtls_state: The DTLS state, when a PeerConnection exists.
        details: Everything Janus reported, for what has no attribute here.
    """

    session_id: int
    handle_id: int
    plugin: str
    opaque_id: str | None
    transport: str
    flags: Mapping[str, bool]
    plugin_specific: Mapping[str, Any]
    ice_state: str | None
    dtls_state: str | None
    details: Mapping[str, Any] = field(repr=False)


def _status(value: Mapping[str, Any]) -> ServerStatus:
    def number(key: str) -> int:
        item = value.get(key)
        return item if isinstance(item, int) else 0

    return ServerStatus(
        token_auth=bool(value.get("token_auth")),
        session_timeout=number("session_timeout"),
        reclaim_session_timeout=number("reclaim_session_timeout"),
        candidates_timeout=number("candidates_timeout"),
        log_level=number("log_level"),
        log_timestamps=bool(value.get("log_timestamps")),
        log_colors=bool(value.get("log_colors")),
        locking_debug=bool(value.get("locking_debug")),
        refcount_debug=bool(value.get("refcount_debug")),
        libnice_debug=bool(value.get("libnice_debug")),
        min_nack_queue=number("min_nack_queue"),
        nack_optimizations=bool(value.get("nack-optimizations", value.get("nack_optimizations"))),
        no_media_timer=number("no_media_timer"),
        slowlink_threshold=number("slowlink_threshold"),
    )


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _handle_info(value: Mapping[str, Any]) -> HandleInfo:
    webrtc = _mapping(value.get("webrtc"))
    ice = _mapping(webrtc.get("ice"))
    dtls = _mapping(webrtc.get("dtls"))
    flags = value.get("flags")
    specific = value.get("plugin_specific")
    opaque = value.get("opaque_id")
    return HandleInfo(
        session_id=int(value.get("session_id") or 0),
        handle_id=int(value.get("handle_id") or 0),
        plugin=str(value.get("plugin") or ""),
        opaque_id=opaque if isinstance(opaque, str) else None,
        transport=str(value.get("session_transport") or ""),
        flags={k: bool(v) for k, v in flags.items()} if isinstance(flags, Mapping) else {},
        plugin_specific=specific if isinstance(specific, Mapping) else {},
        ice_state=ice.get("state") if isinstance(ice.get("state"), str) else None,
        # Janus 1.x writes "dtls-state"; older servers wrote "state"
        dtls_state=_first_str(dtls, "dtls-state", "state"),
        details=value,
    )


class AdminClient:
    """A client of the Janus Admin API. Create it with :func:`connect`.

    Every method sends one admin request, waits for its reply within the timeout, and raises
    :class:`~janus_webrtc.ServerError` (or a subclass) when Janus answers ``error``.
    """

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def __repr__(self) -> str:
        return f"<AdminClient {self._connection.transport!r}>"

    @property
    def connection(self) -> Connection:
        """The underlying connection (transport, transactions, timeouts)."""
        return self._connection

    async def close(self) -> None:
        """Close the connection; idempotent."""
        await self._connection.close(destroy_sessions=False)

    async def __aenter__(self) -> AdminClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def _call(
        self, kind: str, timeout: float | None = None, /, **fields: Any
    ) -> dict[str, Any]:
        session_id = fields.pop("session_id", None)
        handle_id = fields.pop("handle_id", None)
        return await self._connection._request(
            kind, session_id=session_id, handle_id=handle_id, timeout=timeout, fields=fields
        )

    # -- server ---------------------------------------------------------------------------

    async def info(self, *, timeout: float | None = None) -> ServerInfo:
        """Return the server's description (as the Janus API ``info``)."""
        return protocol.parse_server_info(await self._call("info", timeout))

    async def ping(self, *, timeout: float | None = None) -> None:
        """Check that the Admin API answers (Janus replies ``pong``)."""
        await self._call("ping", timeout)

    async def get_status(self, *, timeout: float | None = None) -> ServerStatus:
        """Return the server's current settings."""
        reply = await self._call("get_status", timeout)
        status = reply.get("status")
        return _status(status if isinstance(status, Mapping) else {})

    async def set_session_timeout(self, seconds: int, *, timeout: float | None = None) -> None:
        """Change the global session timeout (0: sessions never time out)."""
        await self._call("set_session_timeout", timeout, timeout=seconds)

    async def set_log_level(self, level: int, *, timeout: float | None = None) -> None:
        """Change the log level (0: none ... 7: huge)."""
        await self._call("set_log_level", timeout, level=level)

    async def set_log_timestamps(self, enabled: bool, *, timeout: float | None = None) -> None:
        """Turn timestamps in log lines on or off."""
        await self._call("set_log_timestamps", timeout, timestamps=enabled)

    async def set_log_colors(self, enabled: bool, *, timeout: float | None = None) -> None:
        """Turn colours in log lines on or off."""
        await self._call("set_log_colors", timeout, colors=enabled)

    async def set_locking_debug(self, enabled: bool, *, timeout: float | None = None) -> None:
        """Turn lock debugging on or off."""
        await self._call("set_locking_debug", timeout, debug=enabled)

    async def set_refcount_debug(self, enabled: bool, *, timeout: float | None = None) -> None:
        """Turn reference-count debugging on or off."""
        await self._call("set_refcount_debug", timeout, debug=enabled)

    async def set_libnice_debug(self, enabled: bool, *, timeout: float | None = None) -> None:
        """Turn libnice debugging on or off."""
        await self._call("set_libnice_debug", timeout, debug=enabled)

    async def set_min_nack_queue(self, milliseconds: int, *, timeout: float | None = None) -> None:
        """Change the minimum NACK queue."""
        await self._call("set_min_nack_queue", timeout, min_nack_queue=milliseconds)

    async def set_nack_optimizations(self, enabled: bool, *, timeout: float | None = None) -> None:
        """Turn NACK optimizations on or off."""
        await self._call("set_nack_optimizations", timeout, nack_optimizations=enabled)

    async def set_no_media_timer(self, seconds: int, *, timeout: float | None = None) -> None:
        """Change how long without media before a ``media`` event says so."""
        await self._call("set_no_media_timer", timeout, no_media_timer=seconds)

    async def set_slowlink_threshold(self, packets: int, *, timeout: float | None = None) -> None:
        """Change the lost packets per second that trigger ``slowlink`` (0: off)."""
        await self._call("set_slowlink_threshold", timeout, slowlink_threshold=packets)

    async def accept_new_sessions(self, accept: bool, *, timeout: float | None = None) -> None:
        """Let Janus accept new sessions, or refuse them (for draining a server)."""
        await self._call("accept_new_sessions", timeout, accept=accept)

    async def loops_info(self, *, timeout: float | None = None) -> list[Mapping[str, Any]]:
        """Return the static event loops and their handles (empty without ``event_loops``)."""
        loops = (await self._call("loops_info", timeout)).get("loops")
        return list(loops) if isinstance(loops, list) else []

    async def resolve_address(self, address: str, *, timeout: float | None = None) -> str:
        """Resolve a host name on the server and return the IP address."""
        return str((await self._call("resolve_address", timeout, address=address)).get("ip"))

    # -- plugins, transports, handlers, loggers ---------------------------------------------

    async def message_plugin(
        self, plugin: str, request: Mapping[str, Any], *, timeout: float | None = None
    ) -> Mapping[str, Any]:
        """Send an admin request to a plugin (a VideoRoom ``list``, ...) and return its answer."""
        reply = await self._call("message_plugin", timeout, plugin=plugin, request=dict(request))
        return _response(reply)

    async def query_transport(
        self, transport: str, request: Mapping[str, Any], *, timeout: float | None = None
    ) -> Mapping[str, Any]:
        """Send a request to a transport plugin and return its answer."""
        reply = await self._call(
            "query_transport", timeout, transport=transport, request=dict(request)
        )
        return _response(reply)

    async def query_eventhandler(
        self, handler: str, request: Mapping[str, Any], *, timeout: float | None = None
    ) -> Mapping[str, Any]:
        """Send a request to an event handler plugin and return its answer."""
        reply = await self._call(
            "query_eventhandler", timeout, handler=handler, request=dict(request)
        )
        return _response(reply)

    async def query_logger(
        self, logger: str, request: Mapping[str, Any], *, timeout: float | None = None
    ) -> Mapping[str, Any]:
        """Send a request to a logger plugin and return its answer."""
        reply = await self._call("query_logger", timeout, logger=logger, request=dict(request))
        return _response(reply)

    async def custom_event(
        self, schema: str, data: Mapping[str, Any], *, timeout: float | None = None
    ) -> None:
        """Push a custom event to the event handlers."""
        await self._call("custom_event", timeout, schema=schema, data=dict(data))

    async def custom_logline(
        self, line: str, *, level: int | None = None, timeout: float | None = None
    ) -> None:
        """Write a line into Janus's log."""
        await self._call("custom_logline", timeout, line=line, level=level)

    # -- tokens ---------------------------------------------------------------------------

    async def add_token(
        self, token: str, *, plugins: list[str] | None = None, timeout: float | None = None
    ) -> tuple[str, ...]:
        """Store an auth token, allowed to use ``plugins`` (all when ``None``).

        Returns:
            The plugins the token may use.
        """
        reply = await self._call("add_token", timeout, token=token, plugins=plugins)
        return tuple(_data(reply).get("plugins") or ())

    async def list_tokens(self, *, timeout: float | None = None) -> list[TokenInfo]:
        """List the stored auth tokens."""
        tokens = _data(await self._call("list_tokens", timeout)).get("tokens") or []
        return [
            TokenInfo(
                token=str(t.get("token")), allowed_plugins=tuple(t.get("allowed_plugins") or ())
            )
            for t in tokens
            if isinstance(t, Mapping)
        ]

    async def allow_token(
        self, token: str, plugins: list[str], *, timeout: float | None = None
    ) -> tuple[str, ...]:
        """Let a token use more plugins; returns the plugins it may use now."""
        reply = await self._call("allow_token", timeout, token=token, plugins=plugins)
        return tuple(_data(reply).get("plugins") or ())

    async def disallow_token(
        self, token: str, plugins: list[str], *, timeout: float | None = None
    ) -> tuple[str, ...]:
        """Take plugins away from a token; returns the plugins it may use now."""
        reply = await self._call("disallow_token", timeout, token=token, plugins=plugins)
        return tuple(_data(reply).get("plugins") or ())

    async def remove_token(self, token: str, *, timeout: float | None = None) -> None:
        """Delete a stored auth token."""
        await self._call("remove_token", timeout, token=token)

    # -- sessions and handles ---------------------------------------------------------------

    async def list_sessions(self, *, timeout: float | None = None) -> list[int]:
        """List the ids of every session on the server."""
        return [int(s) for s in (await self._call("list_sessions", timeout)).get("sessions") or ()]

    async def destroy_session(self, session_id: int, *, timeout: float | None = None) -> None:
        """Destroy a session (its owner gets no more events)."""
        await self._call("destroy_session", timeout, session_id=session_id)

    async def list_handles(self, session_id: int, *, timeout: float | None = None) -> list[int]:
        """List the ids of the handles of a session."""
        reply = await self._call("list_handles", timeout, session_id=session_id)
        return [int(h) for h in reply.get("handles") or ()]

    async def handle_info(
        self,
        session_id: int,
        handle_id: int,
        *,
        plugin_only: bool = False,
        timeout: float | None = None,
    ) -> HandleInfo:
        """Return what Janus knows about a handle (ICE, DTLS, SDPs, plugin state, stats)."""
        reply = await self._call(
            "handle_info",
            timeout,
            session_id=session_id,
            handle_id=handle_id,
            plugin_only=plugin_only or None,
        )
        info = reply.get("info")
        return _handle_info(info if isinstance(info, Mapping) else {})

    async def detach_handle(
        self, session_id: int, handle_id: int, *, timeout: float | None = None
    ) -> None:
        """Detach a handle from its plugin."""
        await self._call("detach_handle", timeout, session_id=session_id, handle_id=handle_id)

    async def hangup_webrtc(
        self, session_id: int, handle_id: int, *, timeout: float | None = None
    ) -> None:
        """Close the PeerConnection of a handle."""
        await self._call("hangup_webrtc", timeout, session_id=session_id, handle_id=handle_id)

    async def start_pcap(
        self,
        session_id: int,
        handle_id: int,
        *,
        folder: str | None = None,
        filename: str | None = None,
        truncate: int | None = None,
        timeout: float | None = None,
    ) -> None:
        """Start dumping a handle's media to a pcap file on the server."""
        await self._call(
            "start_pcap",
            timeout,
            session_id=session_id,
            handle_id=handle_id,
            folder=folder,
            filename=filename,
            truncate=truncate,
        )

    async def stop_pcap(
        self, session_id: int, handle_id: int, *, timeout: float | None = None
    ) -> None:
        """Stop a pcap dump started with :meth:`start_pcap`."""
        await self._call("stop_pcap", timeout, session_id=session_id, handle_id=handle_id)


def _response(reply: Mapping[str, Any]) -> Mapping[str, Any]:
    return _mapping(reply.get("response"))


def _first_str(values: Mapping[str, Any], *keys: str) -> str | None:
    """The first of ``keys`` whose value is a string, or ``None``."""
    for key in keys:
        value = values.get(key)
        if isinstance(value, str):
            return value
    return None


def _data(reply: Mapping[str, Any]) -> Mapping[str, Any]:
    return _mapping(reply.get("data"))


def connect(
    url: str,
    *,
    admin_secret: str | None = None,
    timeout: float = 10.0,
    reconnect: bool = True,
    ssl: _ssl.SSLContext | None = None,
) -> _Opener[AdminClient]:
    """Connect to the Admin API: ``async with admin.connect(url, admin_secret=...) as api``.

    Args:
        url: The admin WebSocket (``ws://host:7188``), HTTP base (``http://host:7088/admin``)
            or Unix socket (``unix:///path/to/admin.sock``, pfunix's ``admin_path``).
        admin_secret: The server's ``admin_secret``.
        timeout: Default seconds to wait for any reply, and to connect.
        reconnect: Reopen the transport if it drops.
        ssl: The TLS context for ``wss://`` and ``https://`` (``None``: the system's CAs,
            certificates verified).

    Raises:
        ConnectError: (when awaited) the Admin API cannot be reached.
        ValueError: The URL scheme is not ws, wss, http, https, unix or unix+dgram.
    """

    def factory() -> Transport:
        return admin_transport_for_url(url, open_timeout=timeout, ssl=ssl)

    connection = Connection(
        factory(),
        timeout=timeout,
        keepalive_interval=None,
        reconnect=factory if reconnect else None,
    )
    if admin_secret is not None:
        connection._credentials = {"admin_secret": admin_secret}
    client = AdminClient(connection)
    return _Opener(client, connection.open, client.close)
