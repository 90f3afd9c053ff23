"""Errors of the VideoRoom plugin, one exception class per error code.

::

    janus_webrtc.PluginError
    └── VideoRoomError                      the VideoRoom plugin answered with an error
        ├── UnknownVideoRoomError           499 JANUS_VIDEOROOM_ERROR_UNKNOWN_ERROR
        ├── NoMessageError                  421 ..._NO_MESSAGE
        ├── InvalidJsonError                422 ..._INVALID_JSON
        ├── InvalidRequestError             423 ..._INVALID_REQUEST
        ├── JoinFirstError                  424 ..._JOIN_FIRST
        ├── AlreadyJoinedError              425 ..._ALREADY_JOINED
        ├── NoSuchRoomError                 426 ..._NO_SUCH_ROOM
        ├── RoomExistsError                 427 ..._ROOM_EXISTS
        ├── NoSuchFeedError                 428 ..._NO_SUCH_FEED
        ├── MissingElementError             429 ..._MISSING_ELEMENT
        ├── InvalidElementError             430 ..._INVALID_ELEMENT
        ├── InvalidSdpTypeError             431 ..._INVALID_SDP_TYPE
        ├── PublishersFullError             432 ..._PUBLISHERS_FULL
        ├── VideoRoomUnauthorizedError      433 ..._UNAUTHORIZED (wrong secret, pin or token)
        ├── AlreadyPublishedError           434 ..._ALREADY_PUBLISHED
        ├── NotPublishedError               435 ..._NOT_PUBLISHED
        ├── IdExistsError                   436 ..._ID_EXISTS
        ├── InvalidSdpError                 437 ..._INVALID_SDP
        └── VideoRoomMediaRejectedError (+ janus_webrtc.MediaRejectedError)
                                            the plugin answered but rejected offered media

Building a :class:`VideoRoomError` with a known code gives the matching subclass, so the
handles (and anyone else) get the most specific class without a lookup::

    >>> type(VideoRoomError(426, "No such room (1234)")).__name__
    'NoSuchRoomError'

Janus sends a wrong secret or pin as 433, except when it is missing altogether: then Janus
says 429 (missing element).
"""

from __future__ import annotations

from typing import Any, ClassVar

from janus_webrtc import MediaRejectedError, PluginError

__all__ = [
    "ALREADY_JOINED",
    "ALREADY_PUBLISHED",
    "ID_EXISTS",
    "INVALID_ELEMENT",
    "INVALID_JSON",
    "INVALID_REQUEST",
    "INVALID_SDP",
    "INVALID_SDP_TYPE",
    "JOIN_FIRST",
    "MISSING_ELEMENT",
    "NOT_PUBLISHED",
    "NO_MESSAGE",
    "NO_SUCH_FEED",
    "NO_SUCH_ROOM",
    "PUBLISHERS_FULL",
    "ROOM_EXISTS",
    "UNAUTHORIZED",
    "UNKNOWN_ERROR",
    "AlreadyJoinedError",
    "AlreadyPublishedError",
    "IdExistsError",
    "InvalidElementError",
    "InvalidJsonError",
    "InvalidRequestError",
    "InvalidSdpError",
    "InvalidSdpTypeError",
    "JoinFirstError",
    "MissingElementError",
    "NoMessageError",
    "NoSuchFeedError",
    "NoSuchRoomError",
    "NotPublishedError",
    "PublishersFullError",
    "RoomExistsError",
    "UnknownVideoRoomError",
    "VideoRoomError",
    "VideoRoomMediaRejectedError",
    "VideoRoomUnauthorizedError",
]

UNKNOWN_ERROR = 499
"""``JANUS_VIDEOROOM_ERROR_UNKNOWN_ERROR``: an internal failure (socket, recorder...)."""
NO_MESSAGE = 421
"""``JANUS_VIDEOROOM_ERROR_NO_MESSAGE``: the request had no body."""
INVALID_JSON = 422
"""``JANUS_VIDEOROOM_ERROR_INVALID_JSON``: the body was not a JSON object."""
INVALID_REQUEST = 423
"""``JANUS_VIDEOROOM_ERROR_INVALID_REQUEST``: an unknown request for this kind of handle."""
JOIN_FIRST = 424
"""``JANUS_VIDEOROOM_ERROR_JOIN_FIRST``: a participant request before ``join``."""
ALREADY_JOINED = 425
"""``JANUS_VIDEOROOM_ERROR_ALREADY_JOINED``: ``join`` on a handle that already joined."""
NO_SUCH_ROOM = 426
"""``JANUS_VIDEOROOM_ERROR_NO_SUCH_ROOM``: the room does not exist."""
ROOM_EXISTS = 427
"""``JANUS_VIDEOROOM_ERROR_ROOM_EXISTS``: ``create`` with the id of an existing room."""
NO_SUCH_FEED = 428
"""``JANUS_VIDEOROOM_ERROR_NO_SUCH_FEED``: no such publisher, stream, forwarder or remote."""
MISSING_ELEMENT = 429
"""``JANUS_VIDEOROOM_ERROR_MISSING_ELEMENT``: a required attribute is missing."""
INVALID_ELEMENT = 430
"""``JANUS_VIDEOROOM_ERROR_INVALID_ELEMENT``: an attribute has a wrong type or value."""
INVALID_SDP_TYPE = 431
"""``JANUS_VIDEOROOM_ERROR_INVALID_SDP_TYPE``: an offer where an answer was due, or back."""
PUBLISHERS_FULL = 432
"""``JANUS_VIDEOROOM_ERROR_PUBLISHERS_FULL``: the room has its maximum of publishers."""
UNAUTHORIZED = 433
"""``JANUS_VIDEOROOM_ERROR_UNAUTHORIZED``: wrong secret, pin or token; or kicked."""
ALREADY_PUBLISHED = 434
"""``JANUS_VIDEOROOM_ERROR_ALREADY_PUBLISHED``: ``publish`` while publishing."""
NOT_PUBLISHED = 435
"""``JANUS_VIDEOROOM_ERROR_NOT_PUBLISHED``: ``unpublish`` while not publishing."""
ID_EXISTS = 436
"""``JANUS_VIDEOROOM_ERROR_ID_EXISTS``: a participant (or remotization) id already taken."""
INVALID_SDP = 437
"""``JANUS_VIDEOROOM_ERROR_INVALID_SDP``: the SDP could not be parsed or used."""


class VideoRoomError(PluginError):
    """The VideoRoom plugin answered a request with an error.

    ``error_code`` is one of this module's constants; instances are always of the subclass
    that matches it (see the module documentation). Messages never contain a secret or pin.

    Attributes:
        code: Class attribute: the error code of the subclass (``None`` on this class).
    """

    code: ClassVar[int | None] = None
    _by_code: ClassVar[dict[int, type[VideoRoomError]]] = {}

    def __new__(cls, *args: Any, **kwargs: Any) -> VideoRoomError:
        """Create the subclass that matches the error code given first, if known."""
        if cls is VideoRoomError and args and isinstance(args[0], int):
            cls = VideoRoomError._by_code.get(args[0], VideoRoomError)
        return super().__new__(cls, *args, **kwargs)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """Register a subclass for its :attr:`code`."""
        super().__init_subclass__(**kwargs)
        if cls.code is not None:
            VideoRoomError._by_code.setdefault(cls.code, cls)


class UnknownVideoRoomError(VideoRoomError):
    """An internal failure in the plugin (499)."""

    code = UNKNOWN_ERROR


class NoMessageError(VideoRoomError):
    """The request had no body (421)."""

    code = NO_MESSAGE


class InvalidJsonError(VideoRoomError):
    """The body was not a JSON object (422)."""

    code = INVALID_JSON


class InvalidRequestError(VideoRoomError):
    """An unknown request, or one this kind of handle cannot make (423)."""

    code = INVALID_REQUEST


class JoinFirstError(VideoRoomError):
    """A participant request on a handle that did not join (424)."""

    code = JOIN_FIRST


class AlreadyJoinedError(VideoRoomError):
    """``join`` on a handle that already joined (425)."""

    code = ALREADY_JOINED


class NoSuchRoomError(VideoRoomError):
    """The room does not exist (426)."""

    code = NO_SUCH_ROOM


class RoomExistsError(VideoRoomError):
    """A room with that id exists already (427)."""

    code = ROOM_EXISTS


class NoSuchFeedError(VideoRoomError):
    """No such publisher, stream, forwarder or remotization (428)."""

    code = NO_SUCH_FEED


class MissingElementError(VideoRoomError):
    """A required attribute is missing, such as the secret of a protected room (429)."""

    code = MISSING_ELEMENT


class InvalidElementError(VideoRoomError):
    """An attribute has a wrong type or value (430)."""

    code = INVALID_ELEMENT


class InvalidSdpTypeError(VideoRoomError):
    """An offer where an answer was due, or the other way round (431)."""

    code = INVALID_SDP_TYPE


class PublishersFullError(VideoRoomError):
    """The room already has its maximum number of publishers (432)."""

    code = PUBLISHERS_FULL


class VideoRoomUnauthorizedError(VideoRoomError):
    """Wrong room secret, pin or token, or the participant was kicked (433)."""

    code = UNAUTHORIZED


class AlreadyPublishedError(VideoRoomError):
    """``publish`` while already publishing (434)."""

    code = ALREADY_PUBLISHED


class NotPublishedError(VideoRoomError):
    """``unpublish`` while not publishing (435)."""

    code = NOT_PUBLISHED


class IdExistsError(VideoRoomError):
    """The participant id (or remotization id) is taken (436)."""

    code = ID_EXISTS


class InvalidSdpError(VideoRoomError):
    """Janus could not parse or use the SDP (437)."""

    code = INVALID_SDP


class VideoRoomMediaRejectedError(VideoRoomError, MediaRejectedError):
    """The plugin answered ``ok`` but rejected offered media (``m=`` port 0).

    For example a codec the room does not allow. ``error_code`` is None and ``rejected``
    lists the rejected media sections; the negotiation is undone.
    """
