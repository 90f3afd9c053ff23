"""Transports: the ways a connection reaches Janus.

The HTTP transport (and aiohttp with it) is imported when first used, so that a client over
WebSocket or Unix sockets does not carry it.
"""

from __future__ import annotations

import ssl as _ssl
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from .base import MessageSink, Transport
from .unix import UnixSocketTransport, unix_socket_address
from .websocket import WebSocketTransport

if TYPE_CHECKING:
    from .http import HttpTransport

__all__ = [
    "HttpTransport",
    "MessageSink",
    "Transport",
    "UnixSocketTransport",
    "WebSocketTransport",
    "admin_transport_for_url",
    "check_url",
    "transport_for_url",
]


def __getattr__(name: str) -> Any:
    if name == "HttpTransport":
        from .http import HttpTransport

        return HttpTransport
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


SCHEMES = ("ws", "wss", "http", "https", "unix", "unix+dgram")
"""The URL schemes :func:`transport_for_url` knows."""


def check_url(url: str) -> None:
    """Check that a URL names a transport, without making one.

    Raises:
        ValueError: Its scheme is none of :data:`SCHEMES`, or a ``unix://`` URL is malformed.
    """
    scheme = urlsplit(url).scheme.lower()
    if scheme not in SCHEMES:
        raise ValueError(
            f"unsupported URL scheme {scheme!r} in {url!r}: use one of {', '.join(SCHEMES)}"
        )
    if scheme.startswith("unix"):
        unix_socket_address(url)


def transport_for_url(
    url: str,
    *,
    api_secret: str | None = None,
    token: str | None = None,
    open_timeout: float = 10.0,
    ssl: _ssl.SSLContext | None = None,
    max_message_size: int | None = None,
    max_connections: int | None = None,
) -> Transport:
    """Pick the transport for a URL by its scheme.

    ws/wss → WebSocket, http/https → HTTP, unix/unix+dgram → Janus's Unix sockets (pfunix).

    Args:
        url: The Janus API URL.
        api_secret: The API secret (HTTP sends it with each long-poll).
        token: The auth token (HTTP sends it with each long-poll).
        open_timeout: Seconds allowed to open the transport.
        ssl: The TLS context for wss/https (``None``: the system's CAs, verified).
        max_message_size: Largest message accepted from Janus, in bytes.
        max_connections: HTTP only: connections for requests.

    Raises:
        ValueError: The scheme is none of these.
    """
    return _transport(
        url,
        subprotocol="janus-protocol",
        api_secret=api_secret,
        token=token,
        open_timeout=open_timeout,
        ssl=ssl,
        max_message_size=max_message_size,
        max_connections=max_connections,
    )


def admin_transport_for_url(
    url: str, *, open_timeout: float = 10.0, ssl: _ssl.SSLContext | None = None
) -> Transport:
    """Pick the transport for an Admin API URL by its scheme (as :func:`transport_for_url`).

    Raises:
        ValueError: The scheme is none of :data:`SCHEMES`.
    """
    return _transport(url, subprotocol="janus-admin-protocol", open_timeout=open_timeout, ssl=ssl)


def _transport(
    url: str,
    *,
    subprotocol: str,
    api_secret: str | None = None,
    token: str | None = None,
    open_timeout: float,
    ssl: _ssl.SSLContext | None,
    max_message_size: int | None = None,
    max_connections: int | None = None,
) -> Transport:
    scheme = urlsplit(url).scheme.lower()
    if scheme in ("ws", "wss"):
        return WebSocketTransport(
            url,
            subprotocol=subprotocol,
            open_timeout=open_timeout,
            ssl=ssl,
            max_message_size=max_message_size,
        )
    if scheme in ("unix", "unix+dgram"):
        return UnixSocketTransport(
            url, open_timeout=open_timeout, max_message_size=max_message_size
        )
    if scheme in ("http", "https"):
        from .http import HttpTransport

        return HttpTransport(
            url,
            api_secret=api_secret,
            token=token,
            open_timeout=open_timeout,
            ssl=ssl,
            max_message_size=max_message_size,
            max_connections=max_connections,
        )
    check_url(url)
    raise AssertionError(f"no transport for the scheme {scheme!r}")  # pragma: no cover
