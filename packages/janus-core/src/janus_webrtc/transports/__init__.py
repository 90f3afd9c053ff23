"""Transports: the ways a connection reaches Janus."""

from __future__ import annotations

import ssl as _ssl
from urllib.parse import urlsplit

from .base import MessageSink, Transport
from .http import HttpTransport
from .websocket import WebSocketTransport

__all__ = ["HttpTransport", "MessageSink", "Transport", "WebSocketTransport", "transport_for_url"]


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
    """Pick the transport for a URL by its scheme: ws/wss → WebSocket, http/https → HTTP.

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
    scheme = urlsplit(url).scheme.lower()
    if scheme in ("ws", "wss"):
        return WebSocketTransport(
            url, open_timeout=open_timeout, ssl=ssl, max_message_size=max_message_size
        )
    if scheme in ("http", "https"):
        return HttpTransport(
            url,
            api_secret=api_secret,
            token=token,
            open_timeout=open_timeout,
            ssl=ssl,
            max_message_size=max_message_size,
            max_connections=max_connections,
        )
    raise ValueError(f"unsupported URL scheme {scheme!r} in {url!r}: use ws, wss, http or https")
