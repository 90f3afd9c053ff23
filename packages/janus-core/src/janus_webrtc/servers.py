"""Server lists: the Janus servers a connection may use, tried in turn."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from .transports import Transport

__all__ = ["ServerList"]


class ServerList:
    """The servers of a :class:`~janus_webrtc.Connection`, in order, and the one in use.

    Each round of tries (at connect, and after each drop) starts at the server in use (the
    first one at connect) and goes on to the next ones in turn, the first again after the
    last, until a transport opens; that server is then the one in use.

    Args:
        urls: The servers' URLs, each of any scheme :func:`~janus_webrtc.connect` takes.
        make: Makes a transport for a URL.

    Raises:
        ValueError: No URL, or the same one twice.
    """

    def __init__(self, urls: Sequence[str], make: Callable[[str], Transport]) -> None:
        if not urls:
            raise ValueError("give at least one server URL")
        if len(set(urls)) != len(urls):
            raise ValueError(f"a server is listed twice: {list(urls)}")
        self.urls = tuple(urls)
        self._make = make
        self._index = 0
        self._tried = 0
        self._candidate = 0

    def __repr__(self) -> str:
        return f"ServerList({list(self.urls)!r}, current={self.current!r})"

    @property
    def current(self) -> str:
        """The URL of the server in use (before the first connect: the first one)."""
        return self.urls[self._index]

    def start_round(self) -> None:
        """Begin a round of tries at the server in use."""
        self._tried = 0

    @property
    def round_over(self) -> bool:
        """Whether every server was tried once in this round."""
        return self._tried >= len(self.urls)

    def next_transport(self) -> Transport:
        """A new transport to the next server of the round (cycling past the last)."""
        self._candidate = (self._index + self._tried) % len(self.urls)
        self._tried += 1
        return self._make(self.urls[self._candidate])

    def chosen(self) -> str:
        """The last transport made opened: its server is the one in use now. Returns its URL."""
        self._index = self._candidate
        return self.current
