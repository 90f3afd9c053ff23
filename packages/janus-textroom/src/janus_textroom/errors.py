"""Errors of the TextRoom plugin.

::

    janus_webrtc.PluginError
    └── TextRoomError                      the TextRoom plugin answered with an error
        ├── NoMessageError                 411: the request had no body
        ├── InvalidJsonError               412: the body was not a JSON object
        ├── MissingElementError            413: a mandatory attribute is missing
        ├── InvalidElementError            414: an attribute has the wrong type or value
        ├── InvalidRequestError            415: unknown request
        ├── AlreadySetupError              416: setup twice, or restart before setup
        ├── NoSuchRoomError                417: the room does not exist
        ├── RoomExistsError                418: a room with that id exists already
        ├── TextRoomUnauthorizedError      419: wrong or missing pin, secret, token or admin key
        ├── UsernameExistsError            420: the username is taken in that room
        ├── AlreadyInRoomError             421: this handle is in that room already
        ├── NotInRoomError                 422: this handle is not in that room
        ├── NoSuchUserError                423: no participant with that username
        └── UnknownTextRoomError           499: anything else

The same exceptions are raised whether the request went over the Janus API or over the data
channel: each class is declared with its code once (``code=``), and ``TextRoomError(code,
text)`` builds the subclass declared for ``code``. ``error_code`` is the plugin's code (one of
the ``ERROR_*`` constants below, from ``src/plugins/janus_textroom.c`` of Janus 1.1.2) and
``error`` its text. Timeouts of data
channel requests raise :class:`janus_webrtc.JanusTimeoutError` (a ``TimeoutError``).
"""

from __future__ import annotations

import warnings

from janus_webrtc import PluginError

__all__ = [
    "ERROR_ALREADY_IN_ROOM",
    "ERROR_ALREADY_SETUP",
    "ERROR_INVALID_ELEMENT",
    "ERROR_INVALID_JSON",
    "ERROR_INVALID_REQUEST",
    "ERROR_MISSING_ELEMENT",
    "ERROR_NOT_IN_ROOM",
    "ERROR_NO_MESSAGE",
    "ERROR_NO_SUCH_ROOM",
    "ERROR_NO_SUCH_USER",
    "ERROR_ROOM_EXISTS",
    "ERROR_UNAUTHORIZED",
    "ERROR_UNKNOWN_ERROR",
    "ERROR_USERNAME_EXISTS",
    "AlreadyInRoomError",
    "AlreadySetupError",
    "InvalidElementError",
    "InvalidJsonError",
    "InvalidRequestError",
    "MissingElementError",
    "NoMessageError",
    "UnknownTextRoomError",
    "NoSuchRoomError",
    "NoSuchUserError",
    "NotInRoomError",
    "RoomExistsError",
    "TextRoomError",
    "TextRoomUnauthorizedError",
    "UsernameExistsError",
    "textroom_error",
]

PLUGIN_ID = "janus.plugin.textroom"

ERROR_NO_MESSAGE = 411
"""``JANUS_TEXTROOM_ERROR_NO_MESSAGE``: the request had no body."""

ERROR_INVALID_JSON = 412
"""``JANUS_TEXTROOM_ERROR_INVALID_JSON``: the body was not a JSON object."""

ERROR_MISSING_ELEMENT = 413
"""``JANUS_TEXTROOM_ERROR_MISSING_ELEMENT``: a mandatory attribute is missing."""

ERROR_INVALID_ELEMENT = 414
"""``JANUS_TEXTROOM_ERROR_INVALID_ELEMENT``: an attribute has the wrong type or value (also:
both ``to`` and ``tos`` given, or an unknown ``allowed`` action)."""

ERROR_INVALID_REQUEST = 415
"""``JANUS_TEXTROOM_ERROR_INVALID_REQUEST``: unknown request."""

ERROR_ALREADY_SETUP = 416
"""``JANUS_TEXTROOM_ERROR_ALREADY_SETUP``: ``setup`` twice, or ``restart`` before ``setup``."""

ERROR_NO_SUCH_ROOM = 417
"""``JANUS_TEXTROOM_ERROR_NO_SUCH_ROOM``: the room does not exist."""

ERROR_ROOM_EXISTS = 418
"""``JANUS_TEXTROOM_ERROR_ROOM_EXISTS``: ``create`` with the id of an existing room."""

ERROR_UNAUTHORIZED = 419
"""``JANUS_TEXTROOM_ERROR_UNAUTHORIZED``: wrong pin, secret, admin key, or a token not allowed."""

ERROR_USERNAME_EXISTS = 420
"""``JANUS_TEXTROOM_ERROR_USERNAME_EXISTS``: the username is taken in that room."""

ERROR_ALREADY_IN_ROOM = 421
"""``JANUS_TEXTROOM_ERROR_ALREADY_IN_ROOM``: this handle joined that room already."""

ERROR_NOT_IN_ROOM = 422
"""``JANUS_TEXTROOM_ERROR_NOT_IN_ROOM``: ``message`` or ``leave`` in a room not joined."""

ERROR_NO_SUCH_USER = 423
"""``JANUS_TEXTROOM_ERROR_NO_SUCH_USER``: ``kick`` of a username not in the room."""

ERROR_UNKNOWN_ERROR = 499
"""``JANUS_TEXTROOM_ERROR_UNKNOWN_ERROR``: anything else (such as ``permanent`` without a
configuration file)."""


class TextRoomError(PluginError):
    """The TextRoom plugin answered a request with an error.

    ``error_code`` is one of the ``ERROR_*`` constants of this module; instances are of the
    subclass declared for it (``TextRoomError(417, text)`` is a :class:`NoSuchRoomError`).
    """

    plugin_id = PLUGIN_ID


class NoMessageError(TextRoomError, code=ERROR_NO_MESSAGE):
    """The request had no body (``ERROR_NO_MESSAGE``, 411)."""


class InvalidJsonError(TextRoomError, code=ERROR_INVALID_JSON):
    """The body was not a JSON object (``ERROR_INVALID_JSON``, 412)."""


class MissingElementError(TextRoomError, code=ERROR_MISSING_ELEMENT):
    """A mandatory attribute is missing (``ERROR_MISSING_ELEMENT``, 413)."""


class InvalidElementError(TextRoomError, code=ERROR_INVALID_ELEMENT):
    """An attribute has the wrong type or value (``ERROR_INVALID_ELEMENT``, 414)."""


class InvalidRequestError(TextRoomError, code=ERROR_INVALID_REQUEST):
    """The plugin does not know the request (``ERROR_INVALID_REQUEST``, 415)."""


class AlreadySetupError(TextRoomError, code=ERROR_ALREADY_SETUP):
    """``setup`` twice, or ``restart`` before ``setup`` (``ERROR_ALREADY_SETUP``, 416)."""


class UnknownTextRoomError(TextRoomError, code=ERROR_UNKNOWN_ERROR):
    """Anything else, such as ``permanent`` without a configuration file (499)."""


class NoSuchRoomError(TextRoomError, code=ERROR_NO_SUCH_ROOM):
    """The room does not exist (``ERROR_NO_SUCH_ROOM``, 417)."""


class RoomExistsError(TextRoomError, code=ERROR_ROOM_EXISTS):
    """A room with that id exists already (``ERROR_ROOM_EXISTS``, 418)."""


class TextRoomUnauthorizedError(TextRoomError, code=ERROR_UNAUTHORIZED):
    """Wrong or missing pin, secret, admin key, or a token not allowed (``ERROR_UNAUTHORIZED``)."""


class UsernameExistsError(TextRoomError, code=ERROR_USERNAME_EXISTS):
    """The username is already taken in that room (``ERROR_USERNAME_EXISTS``, 420)."""


class AlreadyInRoomError(TextRoomError, code=ERROR_ALREADY_IN_ROOM):
    """This handle is in that room already (``ERROR_ALREADY_IN_ROOM``, 421)."""


class NotInRoomError(TextRoomError, code=ERROR_NOT_IN_ROOM):
    """This handle is not in that room (``ERROR_NOT_IN_ROOM``, 422)."""


class NoSuchUserError(TextRoomError, code=ERROR_NO_SUCH_USER):
    """No participant with that username is in the room (``ERROR_NO_SUCH_USER``, 423)."""


def textroom_error(error_code: int | None, error: str) -> TextRoomError:
    """Deprecated: ``TextRoomError(error_code, error)`` builds the matching subclass itself.

    Args:
        error_code: The plugin's ``error_code`` (None if it sent none).
        error: The plugin's ``error`` text.

    Returns:
        An instance of the matching subclass, or of :class:`TextRoomError` itself.
    """
    warnings.warn(
        "textroom_error() is deprecated: TextRoomError(error_code, error) builds the subclass",
        DeprecationWarning,
        stacklevel=2,
    )
    return TextRoomError(error_code, error)
