"""Errors of the TextRoom plugin.

::

    janus_webrtc.PluginError
    └── TextRoomError                      the TextRoom plugin answered with an error
        ├── NoSuchRoomError                417: the room does not exist
        ├── RoomExistsError                418: a room with that id exists already
        ├── TextRoomUnauthorizedError      419: wrong or missing pin, secret, token or admin key
        ├── UsernameExistsError            420: the username is taken in that room
        ├── AlreadyInRoomError             421: this handle is in that room already
        ├── NotInRoomError                 422: this handle is not in that room
        └── NoSuchUserError                423: no participant with that username

The same exceptions are raised whether the request went over the Janus API or over the data
channel. ``error_code`` is the plugin's code (one of the ``ERROR_*`` constants below, from
``src/plugins/janus_textroom.c`` of Janus 1.1.2) and ``error`` its text. Timeouts of data
channel requests raise :class:`janus_webrtc.JanusTimeoutError` (a ``TimeoutError``).
"""

from __future__ import annotations

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

    ``error_code`` is one of the ``ERROR_*`` constants of this module; subclasses exist for the
    codes an application usually handles.
    """

    def __init__(self, error_code: int | None, error: str, *, plugin: str = PLUGIN_ID) -> None:
        super().__init__(error_code, error, plugin=plugin)


class NoSuchRoomError(TextRoomError):
    """The room does not exist (``ERROR_NO_SUCH_ROOM``, 417)."""


class RoomExistsError(TextRoomError):
    """A room with that id exists already (``ERROR_ROOM_EXISTS``, 418)."""


class TextRoomUnauthorizedError(TextRoomError):
    """Wrong or missing pin, secret, admin key, or a token not allowed (``ERROR_UNAUTHORIZED``)."""


class UsernameExistsError(TextRoomError):
    """The username is already taken in that room (``ERROR_USERNAME_EXISTS``, 420)."""


class AlreadyInRoomError(TextRoomError):
    """This handle is in that room already (``ERROR_ALREADY_IN_ROOM``, 421)."""


class NotInRoomError(TextRoomError):
    """This handle is not in that room (``ERROR_NOT_IN_ROOM``, 422)."""


class NoSuchUserError(TextRoomError):
    """No participant with that username is in the room (``ERROR_NO_SUCH_USER``, 423)."""


_BY_CODE: dict[int, type[TextRoomError]] = {
    ERROR_NO_SUCH_ROOM: NoSuchRoomError,
    ERROR_ROOM_EXISTS: RoomExistsError,
    ERROR_UNAUTHORIZED: TextRoomUnauthorizedError,
    ERROR_USERNAME_EXISTS: UsernameExistsError,
    ERROR_ALREADY_IN_ROOM: AlreadyInRoomError,
    ERROR_NOT_IN_ROOM: NotInRoomError,
    ERROR_NO_SUCH_USER: NoSuchUserError,
}


def textroom_error(error_code: int | None, error: str) -> TextRoomError:
    """Build the most specific :class:`TextRoomError` for a plugin error code.

    Args:
        error_code: The plugin's ``error_code`` (None if it sent none).
        error: The plugin's ``error`` text.

    Returns:
        An instance of the matching subclass, or of :class:`TextRoomError` itself.
    """
    cls = _BY_CODE.get(error_code, TextRoomError) if error_code is not None else TextRoomError
    return cls(error_code, error)
