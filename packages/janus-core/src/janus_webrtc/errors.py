"""Exceptions raised by janus-webrtc.

Every exception the library raises on purpose derives from :class:`JanusError`::

    JanusError
    ├── TransportError                 the connection to Janus failed
    │   ├── ConnectError               could not open the transport
    │   │   └── CertificateError       TLS: the server's certificate was refused
    │   ├── TransportClosedError       the transport closed while in use
    │   │   ├── OutcomeUnknownError    a request was sent, its answer lost with the transport
    │   │   └── TransportLostError     a request found the transport lost: nothing was sent
    │   └── RequestTooLargeError       a request is longer than the transport carries
    ├── JanusTimeoutError (+ TimeoutError)
    │   │                              no answer within the timeout
    │   └── NotSentError               never sent: the transport was not ready in time
    ├── ServerError                    Janus answered error (code, reason)
    │   ├── UnauthorizedError          403/405: wrong or missing api secret or token
    │   ├── SessionNotFoundError       458
    │   ├── HandleNotFoundError        459
    │   └── PluginNotFoundError        460
    ├── PluginError                    the plugin answered with error_code/error
    │   ├── MediaRejectedError         it answered, but rejected offered media (port 0)
    │   ├── RecordingRefusedError      Janus did not open a recording it was asked for
    │   └── (one base per plugin package, such as VideoRoomError, and a subclass per
    │        declared code, such as NoSuchRoomError)
    ├── PeerConnectionError            the local peer connection failed or closed
    ├── UnanswerableOfferError (+ ValueError)
    │                                  an offer of Janus cannot carry the local tracks
    ├── PluginLoadError                the plugin package for a plugin failed to load
    ├── StateError                     the object is closed, detached or not ready
    │   └── SessionLostError           the session was lost (Janus restarted, unreachable)
    └── ProtocolError                  Janus sent something this library cannot read
        └── MessageTooLargeError       a message from Janus exceeded max_message_size

Plugin packages' media and recording errors inherit both their plugin's error and
:class:`MediaRejectedError` (``VideoRoomMediaRejectedError``) or :class:`RecordingRefusedError`
(``VideoRoomRecordingRefusedError``).

Plugin packages subclass :class:`PluginError` (for example ``VideoRoomError``) so that
``except PluginError`` catches every plugin's errors, and declare one subclass per error code
they want callers to catch (``class NoSuchRoomError(VideoRoomError, code=426)``). Building a
plugin's base error with a code then gives the declared subclass, wherever the error comes
from (a reply, an event, a data channel); an undeclared code gives the base error itself.

No exception message contains an API secret, a token or an admin secret.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from .webrtc_sdp import MediaSection

__all__ = [
    "CertificateError",
    "ConnectError",
    "HandleNotFoundError",
    "JanusError",
    "JanusTimeoutError",
    "MediaRejectedError",
    "PeerConnectionError",
    "MessageTooLargeError",
    "NotSentError",
    "OutcomeUnknownError",
    "PluginError",
    "PluginLoadError",
    "PluginNotFoundError",
    "ProtocolError",
    "RecordingRefusedError",
    "RequestTooLargeError",
    "ServerError",
    "SessionLostError",
    "SessionNotFoundError",
    "StateError",
    "TransportClosedError",
    "TransportError",
    "TransportLostError",
    "UnanswerableOfferError",
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


class RequestTooLargeError(TransportError):
    """A request is longer than the transport carries (Janus's Unix sockets: 8191 bytes).

    Nothing was sent; the connection stays open.
    """


class OutcomeUnknownError(TransportClosedError):
    """A request reached Janus, but its answer was lost with the transport.

    Janus may or may not have carried it out; look before repeating it. Over HTTP this happens
    when Janus hands an event to a long-poll whose connection was already reset (see
    docs/transports.md); over WebSocket, when the socket drops after the request was sent.
    """


class TransportLostError(TransportClosedError):
    """A request found its transport already lost: nothing was sent.

    A transport raises it from ``send()`` when the connection under it is gone before the
    request could go out (a reset noticed by the socket, not yet by the connection). The
    connection then reconnects and sends the request on the new transport, within the
    request's timeout; a caller sees this error only when reconnection is off. Repeating the
    request is safe.
    """


class JanusTimeoutError(JanusError, TimeoutError):
    """Janus did not answer within the timeout; the pending request was forgotten."""


class NotSentError(JanusTimeoutError):
    """The request was never sent: the transport was not ready for it within its timeout.

    Either the connection was still reconnecting, or (over HTTP) the session's long-poll was
    still recovering from a reset, so that an answer could have been lost (see
    docs/transports.md). Nothing reached Janus: repeating the request is safe. Like every
    :class:`JanusTimeoutError` it is a ``TimeoutError``.
    """


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

    A plugin package declares its errors once, with their codes, as class keywords::

        class VideoRoomError(PluginError):
            plugin_id = "janus.plugin.videoroom"

        class NoSuchRoomError(VideoRoomError, code=426):
            \"\"\"The room does not exist.\"\"\"

    ``VideoRoomError(426, "No such room")`` then builds a ``NoSuchRoomError``, and a code
    nobody declared builds a ``VideoRoomError``. The handle raises its ``error_class`` this way
    for every plugin error in a reply or an event, so plugin code never maps codes itself.
    A code may be declared once under each plugin base error (a second one is a ``TypeError``).

    Attributes:
        error_code: The plugin's numeric error code (plugin specific), or None.
        error: The plugin's error text.
        plugin: The plugin id, such as ``"janus.plugin.videoroom"``.
        code: Class attribute: the code this class was declared for (None: not one code).
        plugin_id: Class attribute: the plugin id used when none is given.
    """

    code: ClassVar[int | None] = None
    plugin_id: ClassVar[str] = ""
    _by_code: ClassVar[dict[int, type[PluginError]]] = {}

    def __init_subclass__(cls, *, code: int | None = None, **kwargs: Any) -> None:
        """Register ``cls`` for ``code`` with every plugin error class above it."""
        super().__init_subclass__(**kwargs)
        cls._by_code = {}
        if code is None:
            return
        cls.code = code
        for base in cls.__mro__[1:]:
            if not issubclass(base, PluginError) or base is PluginError:
                continue
            known = base._by_code.get(code)
            if known is not None and not issubclass(cls, known):
                raise TypeError(
                    f"{cls.__name__}: error code {code} of {base.__name__} is declared "
                    f"already by {known.__name__}"
                )
            base._by_code.setdefault(code, cls)

    def __new__(cls, error_code: Any = None, *args: Any, **kwargs: Any) -> PluginError:
        """Build the subclass declared for ``error_code`` under ``cls``, if there is one."""
        if isinstance(error_code, int) and not isinstance(error_code, bool):
            cls = cls._by_code.get(error_code, cls)
        instance: PluginError = super().__new__(cls, error_code, *args)
        return instance

    def __init__(self, error_code: int | None, error: str, *, plugin: str = "") -> None:
        self.error_code = error_code
        self.error = error
        self.plugin = plugin or type(self).plugin_id
        code = f" {error_code}" if error_code is not None else ""
        name = self.plugin or "plugin"
        super().__init__(f"{name} error{code}: {error}")

    @classmethod
    def declared_codes(cls) -> dict[int, type[PluginError]]:
        """Return the codes declared under this class and the class each one builds."""
        return dict(cls._by_code)


class MediaRejectedError(PluginError):
    """The plugin answered, but rejected media this client offered (``m=`` port 0).

    Janus does this instead of answering with an error, for example when asked for a codec
    the offer does not contain (EchoTest ``videocodec``). The negotiation is undone: the local
    peer connection is closed and Janus is told to hang up.

    Attributes:
        rejected: The rejected media sections of Janus's answer.
    """

    def __init__(
        self, error: str, *, plugin: str = "", rejected: tuple[MediaSection, ...] = ()
    ) -> None:
        super().__init__(None, error, plugin=plugin)
        self.rejected = rejected


class RecordingRefusedError(PluginError):
    """Janus did not open a recording it was asked for: nothing is being recorded.

    Janus 1.1.2 answers most requests to record with success even when it cannot create the
    file (a folder it may not write to, one of its ``protected_folders``, a path through a
    file): it only logs an error. Handles find out when Janus says so (AudioBridge's
    ``enable_recording``), and otherwise when they are given a
    :class:`~janus_webrtc.recordings.RecordingCheck` (see :mod:`janus_webrtc.recordings`).
    When raised after a request that succeeded, Janus has been told to stop that recording
    again, so that asking again (with another path) starts afresh.

    Attributes:
        refused: What has no recording: media such as ``"audio"``, ``"video"``, ``"data"``,
            VideoRoom streams such as ``"video-1"``, or ``"mix"`` (an AudioBridge room).
        filename: The path asked for, as given (None: Janus chose it).
    """

    def __new__(cls, *args: Any, **kwargs: Any) -> RecordingRefusedError:
        """Build ``cls`` itself: a refusal is not looked up by its ``error_code``."""
        instance: RecordingRefusedError = Exception.__new__(cls)
        return instance

    def __init__(
        self,
        error: str,
        *,
        plugin: str = "",
        refused: tuple[str, ...] = (),
        filename: str | None = None,
        error_code: int | None = None,
    ) -> None:
        super().__init__(error_code, error, plugin=plugin)
        self.refused = refused
        self.filename = filename


class PeerConnectionError(JanusError):
    """The local peer connection failed (ICE or DTLS), or closed while being waited for."""


class UnanswerableOfferError(JanusError, ValueError):
    """An offer from Janus has no m-line for a local track this handle would send.

    Raised by :meth:`WebRTCHandle.answer <janus_webrtc.WebRTCHandle.answer>` before anything is
    applied (the offer can still be answered once the track is removed). Also a
    ``ValueError``: the tracks do not fit the offer.

    Attributes:
        kinds: The kinds (``"audio"``, ``"video"``) the offer has too few m-lines for.
    """

    def __init__(self, message: str, *, kinds: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.kinds = kinds


class PluginLoadError(JanusError):
    """The installed plugin package for a plugin could not be loaded, so it cannot be attached.

    Raised by ``Session.attach()`` instead of silently giving a generic ``Handle``; the
    original exception is the ``__cause__``.

    Attributes:
        plugin_id: The plugin that was being attached.
        entry_point: The entry point that failed (the plugin's short name).
        distribution: The distribution that declared it (``""`` if unknown).
        reason: What went wrong (``"ModuleNotFoundError: No module named 'aiortc'"``).
    """

    def __init__(self, plugin_id: str, entry_point: str, distribution: str, reason: str) -> None:
        self.plugin_id = plugin_id
        self.entry_point = entry_point
        self.distribution = distribution
        self.reason = reason
        package = distribution or f"the package of entry point {entry_point!r}"
        super().__init__(
            f"cannot attach to {plugin_id}: the plugin package {package} failed to load ({reason})"
        )


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
