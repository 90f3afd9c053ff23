"""What every plugin package does: build request bodies and read plugin answers leniently.

A plugin method is a thin mapping from typed arguments to a request body, and from the
plugin's answer to a typed result. This module holds the pieces every package needs for that,
so that none writes its own::

    from janus_webrtc.plugin_kit import bool_or_none, request_body

    async def exists(self, room: int, *, timeout: float | None = None) -> bool:
        response = await self.send(request_body("exists", room=room), timeout=timeout)
        return bool_or_none(response.data.get("exists")) is True

The other pieces live where they belong:

- Errors: declare them once with their codes (``class NoSuchRoomError(VideoRoomError,
  code=426)``, see :class:`janus_webrtc.PluginError`) and set the handle's ``error_class``;
  :meth:`janus_webrtc.Handle.send` raises the declared subclass. For an error carried by an
  event or a data channel message, :func:`plugin_error` builds the same exception.
- Default timeouts: ``Handle._limit(timeout)`` gives the connection's ``timeout`` for None.

The readers never raise: a value of the wrong type reads as None (or an empty tuple), because
Janus versions differ in what they send and an event must never be lost to a missing field.
Where a field is required, wrap the reader in :func:`require`, which raises
:class:`~janus_webrtc.ProtocolError`: ``require(str_or_none(data.get("text")), "message text")``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from . import protocol
from .errors import PluginError, ProtocolError

__all__ = [
    "bool_or_none",
    "expect",
    "float_or_none",
    "id_or_none",
    "int_or_none",
    "mappings",
    "plugin_error",
    "request_body",
    "require",
    "str_or_none",
]

T = TypeVar("T")
P = TypeVar("P", bound=PluginError)


def request_body(request: str | None = None, /, **options: Any) -> dict[str, Any]:
    """Build a plugin request body from typed arguments, leaving out unset options.

    Args:
        request: The value of ``"request"`` (None: a plugin without request names, such as
            the EchoTest).
        **options: The request's attributes; ``None`` means "not given" and is not sent.
            Janus names that are not Python names go in with ``**{"new-name": value}``.

    Returns:
        A new dict, ``{"request": request, ...options that are not None}``.

    Example::

        >>> request_body("create", room=1234, secret=None, publishers=6)
        {'request': 'create', 'room': 1234, 'publishers': 6}
    """
    body: dict[str, Any] = {} if request is None else {"request": request}
    body.update((name, value) for name, value in options.items() if value is not None)
    return body


def int_or_none(value: Any) -> int | None:
    """Read an integer (not a bool); anything else reads as None."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def float_or_none(value: Any) -> float | None:
    """Read a number (int or float, not a bool) as a float; anything else reads as None."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def str_or_none(value: Any) -> str | None:
    """Read a string; anything else reads as None."""
    return value if isinstance(value, str) else None


def bool_or_none(value: Any) -> bool | None:
    """Read a bool; anything else (including 0 and 1) reads as None."""
    return value if isinstance(value, bool) else None


def id_or_none(value: Any) -> int | str | None:
    """Read a room or participant id: an int, or a string where the plugin has string ids."""
    if isinstance(value, bool):
        return None
    return value if isinstance(value, int | str) else None


def mappings(value: Any) -> tuple[Mapping[str, Any], ...]:
    """Read a list of JSON objects, skipping items that are not objects (not a list: ``()``)."""
    if not isinstance(value, list | tuple):
        return ()
    return tuple(item for item in value if isinstance(item, Mapping))


def require(value: T | None, what: str) -> T:
    """Insist on a field a reader gave: return it, or raise when it is None.

    Args:
        value: What a reader returned, such as ``str_or_none(data.get("username"))``.
        what: What was being read, for the message (``"the username of a join"``).

    Returns:
        ``value``, no longer optional.

    Raises:
        ProtocolError: ``value`` is None (the field is missing or of the wrong type).
    """
    if value is None:
        raise ProtocolError(f"Janus sent no usable {what}")
    return value


def expect(result: object, kind: type[T], request: str) -> T:
    """Check that a parsed plugin answer is of the kind the request gets.

    Args:
        result: The typed answer (or event) as parsed.
        kind: The class the answer to ``request`` must be.
        request: The request's name, for the message.

    Returns:
        ``result``, typed as ``kind``.

    Raises:
        ProtocolError: It is of another kind.
    """
    if not isinstance(result, kind):
        raise ProtocolError(
            f"expected {kind.__name__} in answer to {request!r}, got {type(result).__name__}"
        )
    return result


def plugin_error(data: Mapping[str, Any], error_class: type[P], *, plugin: str = "") -> P | None:
    """Build the plugin's exception for an error in an event or message, if there is one.

    :meth:`janus_webrtc.Handle.send` does this for replies; use it for errors that come
    another way (an asynchronous event, a data channel answer).

    Args:
        data: The plugin's data (with ``error_code`` and/or ``error`` on failure).
        error_class: The plugin's base error, such as ``VideoRoomError``.
        plugin: The plugin id (default: the error class's ``plugin_id``).

    Returns:
        An instance of the subclass declared for the code (or of ``error_class``), or None
        when the data reports no error.
    """
    failure = protocol.plugin_error_of(data)
    if failure is None:
        return None
    return error_class(failure[0], failure[1], plugin=plugin)
