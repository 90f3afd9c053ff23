"""Which connection a POST went out on: one kept alive from before, or a new one.

A request that fails on a kept-alive connection before any byte of an answer came never
reached Janus (the server or a middlebox had closed the idle connection): it can go again,
as browsers do. On a new connection the same failure leaves the outcome unknown.

aiohttp reports reuse only through its tracing hooks, and any trace configuration makes
every request send all of its trace signals (about 20 us of CPU per request, a tenth of a
request's client time). :class:`ReuseAwareConnector` finds it out in the documented
``BaseConnector.connect`` instead: a connection whose protocol it handed out before is a
reused one. The answer is in :func:`went_out_reused` for the task that made the request.
"""

from __future__ import annotations

import contextvars
import weakref
from typing import Any

import aiohttp

__all__ = ["ReuseAwareConnector", "start_request", "went_out_reused"]

_reused: contextvars.ContextVar[bool] = contextvars.ContextVar("janus_webrtc_http_reused")


class ReuseAwareConnector(aiohttp.TCPConnector):
    """A ``TCPConnector`` that notes, per task, whether a request's connection was reused."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._handed_out: weakref.WeakSet[Any] = weakref.WeakSet()

    async def connect(self, *args: Any, **kwargs: Any) -> aiohttp.connector.Connection:
        """Get a connection from the pool or a new one (see ``aiohttp.BaseConnector``)."""
        connection = await super().connect(*args, **kwargs)
        protocol = connection.protocol
        if protocol is not None:
            if protocol in self._handed_out:
                _reused.set(True)
            else:
                self._handed_out.add(protocol)
        return connection


def start_request() -> None:
    """Forget what the task's previous request went out on (call before each request)."""
    _reused.set(False)


def went_out_reused() -> bool:
    """Whether the task's current request went out on a kept-alive connection."""
    return _reused.get(False)
