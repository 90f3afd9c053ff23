"""Transports: the ways a connection reaches Janus."""

from __future__ import annotations

from urllib.parse import urlsplit

from .base import MessageSink, Transport
from .http import HttpTransport
from .websocket import WebSocketTransport

__all__ = ["HttpTransport", "MessageSink", "Transport", "WebSocketTransport", "transport_for_url"]


def transport_for_url(
    url: str, *, api_secret: str | None = None, token: str | None = None, open_timeout: float = 10.0
) -> Transport:
    """Pick the transport for a URL by its scheme: ws/wss → WebSocket, http/https → HTTP.

    Raises:
        ValueError: The scheme is none of these.
    """
    scheme = urlsplit(url).scheme.lower()
    if scheme in ("ws", "wss"):
        return WebSocketTransport(url, open_timeout=open_timeout)
    if scheme in ("http", "https"):
        return HttpTransport(url, api_secret=api_secret, token=token, open_timeout=open_timeout)
    raise ValueError(f"unsupported URL scheme {scheme!r} in {url!r}: use ws, wss, http or https")
