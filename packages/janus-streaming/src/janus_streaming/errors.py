"""Errors of the Streaming plugin, one exception class per error code.

::

    janus_webrtc.PluginError
    └── StreamingError                      the Streaming plugin answered with an error
        ├── NoMessageError                  450 JANUS_STREAMING_ERROR_NO_MESSAGE
        ├── InvalidJsonError                451 ..._INVALID_JSON
        ├── InvalidRequestError             452 ..._INVALID_REQUEST
        ├── MissingElementError             453 ..._MISSING_ELEMENT (also a pin/secret not given)
        ├── InvalidElementError             454 ..._INVALID_ELEMENT
        ├── NoSuchMountpointError           455 ..._NO_SUCH_MOUNTPOINT (also: not watching one)
        ├── CantCreateError                 456 ..._CANT_CREATE (id taken, bad file, RTSP failed)
        ├── StreamingUnauthorizedError      457 ..._UNAUTHORIZED (wrong secret, pin, admin key)
        ├── CantSwitchError                 458 ..._CANT_SWITCH
        ├── CantRecordError                 459 ..._CANT_RECORD
        ├── InvalidStateError               460 ..._INVALID_STATE
        ├── UnknownStreamingError           470 ..._UNKNOWN_ERROR
        └── StreamingMediaRejectedError (+ janus_webrtc.MediaRejectedError)

Each class is declared with its code once (``code=``): ``StreamingError(455, text)`` builds a
:class:`NoSuchMountpointError` (see :class:`janus_webrtc.PluginError`), and the handle raises
errors that way. Janus says 453 (missing element) when a protected mountpoint's pin or secret
is not given at all, and 457 when a wrong one is.
"""

from __future__ import annotations

from janus_webrtc import MediaRejectedError, PluginError

__all__ = [
    "ERROR_CANT_CREATE",
    "ERROR_CANT_RECORD",
    "ERROR_CANT_SWITCH",
    "ERROR_INVALID_ELEMENT",
    "ERROR_INVALID_JSON",
    "ERROR_INVALID_REQUEST",
    "ERROR_INVALID_STATE",
    "ERROR_MISSING_ELEMENT",
    "ERROR_NO_MESSAGE",
    "ERROR_NO_SUCH_MOUNTPOINT",
    "ERROR_UNAUTHORIZED",
    "ERROR_UNKNOWN_ERROR",
    "CantCreateError",
    "CantRecordError",
    "CantSwitchError",
    "InvalidElementError",
    "InvalidJsonError",
    "InvalidRequestError",
    "InvalidStateError",
    "MissingElementError",
    "NoMessageError",
    "NoSuchMountpointError",
    "StreamingError",
    "StreamingMediaRejectedError",
    "StreamingUnauthorizedError",
    "UnknownStreamingError",
]

ERROR_NO_MESSAGE = 450
"""``JANUS_STREAMING_ERROR_NO_MESSAGE``: the request had no body."""
ERROR_INVALID_JSON = 451
"""``JANUS_STREAMING_ERROR_INVALID_JSON``: the body was not a JSON object."""
ERROR_INVALID_REQUEST = 452
"""``JANUS_STREAMING_ERROR_INVALID_REQUEST``: an unknown request."""
ERROR_MISSING_ELEMENT = 453
"""``JANUS_STREAMING_ERROR_MISSING_ELEMENT``: a required attribute (or pin/secret) is missing."""
ERROR_INVALID_ELEMENT = 454
"""``JANUS_STREAMING_ERROR_INVALID_ELEMENT``: an attribute has a wrong type or value."""
ERROR_NO_SUCH_MOUNTPOINT = 455
"""``JANUS_STREAMING_ERROR_NO_SUCH_MOUNTPOINT``: no such mountpoint, or not watching one."""
ERROR_CANT_CREATE = 456
"""``JANUS_STREAMING_ERROR_CANT_CREATE``: the mountpoint could not be created."""
ERROR_UNAUTHORIZED = 457
"""``JANUS_STREAMING_ERROR_UNAUTHORIZED``: wrong secret, pin or admin key."""
ERROR_CANT_SWITCH = 458
"""``JANUS_STREAMING_ERROR_CANT_SWITCH``: ``switch`` between mountpoints that cannot."""
ERROR_CANT_RECORD = 459
"""``JANUS_STREAMING_ERROR_CANT_RECORD``: recording could not start."""
ERROR_INVALID_STATE = 460
"""``JANUS_STREAMING_ERROR_INVALID_STATE``: the request does not fit the viewer's state."""
ERROR_UNKNOWN_ERROR = 470
"""``JANUS_STREAMING_ERROR_UNKNOWN_ERROR``: an internal failure."""


class StreamingError(PluginError):
    """The Streaming plugin answered a request with an error.

    ``error_code`` is one of the ``ERROR_*`` constants of this module; instances are of the
    subclass declared for it. Messages never contain a secret or pin.
    """

    plugin_id = "janus.plugin.streaming"


class NoMessageError(StreamingError, code=ERROR_NO_MESSAGE):
    """The request had no body (450)."""


class InvalidJsonError(StreamingError, code=ERROR_INVALID_JSON):
    """The body was not a JSON object (451)."""


class InvalidRequestError(StreamingError, code=ERROR_INVALID_REQUEST):
    """An unknown request (452)."""


class MissingElementError(StreamingError, code=ERROR_MISSING_ELEMENT):
    """A required attribute is missing, such as the pin of a protected mountpoint (453)."""


class InvalidElementError(StreamingError, code=ERROR_INVALID_ELEMENT):
    """An attribute has a wrong type or value (454)."""


class NoSuchMountpointError(StreamingError, code=ERROR_NO_SUCH_MOUNTPOINT):
    """No such mountpoint, or the handle watches none (455)."""


class CantCreateError(StreamingError, code=ERROR_CANT_CREATE):
    """The mountpoint could not be created: id taken, file missing, RTSP source down (456)."""


class StreamingUnauthorizedError(StreamingError, code=ERROR_UNAUTHORIZED):
    """Wrong secret, pin or admin key (457)."""


class CantSwitchError(StreamingError, code=ERROR_CANT_SWITCH):
    """``switch`` from or to a mountpoint that is not a live RTP one (458)."""


class CantRecordError(StreamingError, code=ERROR_CANT_RECORD):
    """Recording could not start or stop (459)."""


class InvalidStateError(StreamingError, code=ERROR_INVALID_STATE):
    """The request does not fit the viewer's state (460)."""


class UnknownStreamingError(StreamingError, code=ERROR_UNKNOWN_ERROR):
    """An internal failure in the plugin (470)."""


class StreamingMediaRejectedError(StreamingError, MediaRejectedError):
    """Janus's offer could not be answered with the local media (``m=`` port 0)."""
