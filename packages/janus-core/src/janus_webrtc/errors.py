"""Exceptions raised by janus-webrtc.

Every exception the library raises on purpose derives from :class:`JanusError`::

    JanusError
    ├── TransportError                 the connection to Janus failed
    │   ├── ConnectError               could not open the transport
    │   │   └── CertificateError       TLS: the server's certificate was refused
    │   └── TransportClosedError       the transport closed while in use
    │       └── OutcomeUnknownError    a request was sent, its answer lost with the transport
    ├── JanusTimeoutError (+ TimeoutError)
    │                                  no answer within the timeout
    ├── ServerError                    Janus answered ``error`` (``code``, ``reason``)
    │   ├── UnauthorizedError          403/405: wrong or missing api secret or token
    │   ├── SessionNotFoundError       458
    │   ├── HandleNotFoundError        459
    │   └── PluginNotFoundError        460
    ├── PluginError                    the plugin answered with ``error_code``/``error``
    ├── StateError                     the object is closed, detached or not ready
    │   └── SessionLostError           the session was lost (Janus restarted, unreachable)
    └── ProtocolError                  Janus sent something this library cannot read
        └── MessageTooLargeError       a message from Janus exceeded ``max_message_size``

Plugin packages subclass :class:`PluginError` (for example ``VideoRoomError``) so that
``except PluginError`` catches every plugin's errors.

No exception message contains an API secret, a token or an admin secret.
"""

from __future__ import annotations

__all__ = [
    "CertificateError",
    "ConnectError",
    "HandleNotFoundError",
    "JanusError",
    "JanusTimeoutError",
    "MessageTooLargeError",
    "OutcomeUnknownError",
    "PluginError",
    "PluginNotFoundError",
    "ProtocolError",
    "ServerError",
    "SessionLostError",
    "SessionNotFoundError",
    "StateError",
    "TransportClosedError",
    "TransportError",
    "UnauthorizedError",
    "server_error",
]


class JanusError(Exception):
    """Root of every exception raised by janus-webrtc."""


class TransportError(JanusError):
    """The transport to Janus failed."""


class ConnectError(TransportError):
    """The transport could not be opened (refused, unreachable, handshake failed)."""


class CertificateError(ConnectError):
    """The TLS handshake failed: the server's certificate was not trusted or did not match.

    The message names the problem as OpenSSL reported it (for example "self-signed
    certificate"). Pass ``ssl=`` (an :class:`ssl.SSLContext` trusting the server's CA) to
    :func:`~janus_webrtc.connect` to accept it.
    """


class TransportClosedError(TransportError):
    """The transport closed while a request was pending or a message was being sent."""


class OutcomeUnknownError(TransportClosedError):
    """A request reached Janus, but its answer was lost with the transport.

    Janus may or may not have carried it out; look before repeating it. Over HTTP this happens
    when Janus hands an event to a long-poll whose connection was already reset (see
    docs/transports.md); over WebSocket, when the socket drops after the request was sent.
    """


class JanusTimeoutError(JanusError, TimeoutError):
    """Janus did not answer within the timeout; the pending request was forgotten."""


class ServerError(JanusError):
    """Janus answered a request with ``error``.

    Attributes:
        code: Janus's numeric error code (see ``apierror.h`` in janus-gateway).
        reason: Janus's human-readable reason.
    """

    code: int
    reason: str

    def __init__(self, code: int, reason: str, *, request: str | None = None) -> None:
        self.code = code
        self.reason = reason
        self.request = request
        where = f" to {request!r}" if request else ""
        super().__init__(f"Janus error {code}{where}: {reason}")


class UnauthorizedError(ServerError):
    """Janus refused the request: wrong or missing API secret or token (403, 405)."""


class SessionNotFoundError(ServerError):
    """The session does not exist on the server (458): destroyed or timed out."""


class HandleNotFoundError(ServerError):
    """The handle does not exist on the server (459)."""


class PluginNotFoundError(ServerError):
    """No plugin with that id is loaded in Janus (460)."""


_SERVER_ERRORS: dict[int, type[ServerError]] = {
    403: UnauthorizedError,
    405: UnauthorizedError,
    458: SessionNotFoundError,
    459: HandleNotFoundError,
    460: PluginNotFoundError,
}


def server_error(code: int, reason: str, *, request: str | None = None) -> ServerError:
    """Build the most specific :class:`ServerError` for a Janus error code.

    Args:
        code: Janus's numeric error code.
        reason: Janus's reason text.
        request: The name of the request that failed, for the message.

    Returns:
        An instance of the matching subclass, or of :class:`ServerError` itself.
    """
    return _SERVER_ERRORS.get(code, ServerError)(code, reason, request=request)


class PluginError(JanusError):
    """A plugin answered a request with an error.

    Attributes:
        error_code: The plugin's numeric error code (plugin specific).
        error: The plugin's error text.
        plugin: The plugin id, such as ``"janus.plugin.videoroom"``.
    """

    def __init__(self, error_code: int | None, error: str, *, plugin: str = "") -> None:
        self.error_code = error_code
        self.error = error
        self.plugin = plugin
        code = f" {error_code}" if error_code is not None else ""
        name = plugin or "plugin"
        super().__init__(f"{name} error{code}: {error}")


class StateError(JanusError):
    """The operation is not possible in the object's current state.

    The message says what was attempted and in which state, for example
    ``"cannot send: handle 123 is detached"``.
    """


class SessionLostError(StateError):
    """The session is gone and cannot be used: Janus restarted, forgot it, or stayed unreachable.

    Attributes:
        reason: Why the session was lost, as reported by the :class:`SessionLost` event.
    """

    def __init__(self, message: str, *, reason: str = "") -> None:
        self.reason = reason
        super().__init__(message)


class ProtocolError(JanusError):
    """Janus sent a reply that does not follow the protocol this library knows."""


class MessageTooLargeError(ProtocolError):
    """A message from Janus was larger than the transport's ``max_message_size``."""
