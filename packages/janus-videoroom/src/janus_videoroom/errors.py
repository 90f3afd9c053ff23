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
        ├── VideoRoomMediaRejectedError (+ janus_webrtc.MediaRejectedError)
        │                                   the plugin answered but rejected offered media
        └── VideoRoomRecordingRefusedError (+ janus_webrtc.RecordingRefusedError)
                                            a publisher's recording was asked for and not
                                            opened (checked with a RecordingCheck)

Each class is declared with its code once (``code=``, see :class:`janus_webrtc.PluginError`):
building a :class:`VideoRoomError` with a known code gives the matching subclass, so the
handles (and anyone else) get the most specific class without a lookup::

    >>> type(VideoRoomError(426, "No such room (1234)")).__name__
    'NoSuchRoomError'

Janus sends a wrong secret or pin as 433, except when it is missing altogether: then Janus
says 429 (missing element).
"""

from __future__ import annotations

import warnings

from janus_webrtc import MediaRejectedError, PluginError, RecordingRefusedError

__all__ = [
    "ERROR_ALREADY_JOINED",
    "ERROR_ALREADY_PUBLISHED",
    "ERROR_ID_EXISTS",
    "ERROR_INVALID_ELEMENT",
    "ERROR_INVALID_JSON",
    "ERROR_INVALID_REQUEST",
    "ERROR_INVALID_SDP",
    "ERROR_INVALID_SDP_TYPE",
    "ERROR_JOIN_FIRST",
    "ERROR_MISSING_ELEMENT",
    "ERROR_NOT_PUBLISHED",
    "ERROR_NO_MESSAGE",
    "ERROR_NO_SUCH_FEED",
    "ERROR_NO_SUCH_ROOM",
    "ERROR_PUBLISHERS_FULL",
    "ERROR_ROOM_EXISTS",
    "ERROR_UNAUTHORIZED",
    "ERROR_UNKNOWN_ERROR",
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
    "VideoRoomRecordingRefusedError",
    "VideoRoomUnauthorizedError",
]

ERROR_UNKNOWN_ERROR = 499
"""``JANUS_VIDEOROOM_ERROR_UNKNOWN_ERROR``: an internal failure (socket, recorder...)."""
ERROR_NO_MESSAGE = 421
"""``JANUS_VIDEOROOM_ERROR_NO_MESSAGE``: the request had no body."""
ERROR_INVALID_JSON = 422
"""``JANUS_VIDEOROOM_ERROR_INVALID_JSON``: the body was not a JSON object."""
ERROR_INVALID_REQUEST = 423
"""``JANUS_VIDEOROOM_ERROR_INVALID_REQUEST``: an unknown request for this kind of handle."""
ERROR_JOIN_FIRST = 424
"""``JANUS_VIDEOROOM_ERROR_JOIN_FIRST``: a participant request before ``join``."""
ERROR_ALREADY_JOINED = 425
"""``JANUS_VIDEOROOM_ERROR_ALREADY_JOINED``: ``join`` on a handle that already joined."""
ERROR_NO_SUCH_ROOM = 426
"""``JANUS_VIDEOROOM_ERROR_NO_SUCH_ROOM``: the room does not exist."""
ERROR_ROOM_EXISTS = 427
"""``JANUS_VIDEOROOM_ERROR_ROOM_EXISTS``: ``create`` with the id of an existing room."""
ERROR_NO_SUCH_FEED = 428
"""``JANUS_VIDEOROOM_ERROR_NO_SUCH_FEED``: no such publisher, stream, forwarder or remote."""
ERROR_MISSING_ELEMENT = 429
"""``JANUS_VIDEOROOM_ERROR_MISSING_ELEMENT``: a required attribute is missing."""
ERROR_INVALID_ELEMENT = 430
"""``JANUS_VIDEOROOM_ERROR_INVALID_ELEMENT``: an attribute has a wrong type or value."""
ERROR_INVALID_SDP_TYPE = 431
"""``JANUS_VIDEOROOM_ERROR_INVALID_SDP_TYPE``: an offer where an answer was due, or back."""
ERROR_PUBLISHERS_FULL = 432
"""``JANUS_VIDEOROOM_ERROR_PUBLISHERS_FULL``: the room has its maximum of publishers."""
ERROR_UNAUTHORIZED = 433
"""``JANUS_VIDEOROOM_ERROR_UNAUTHORIZED``: wrong secret, pin or token; or kicked."""
ERROR_ALREADY_PUBLISHED = 434
"""``JANUS_VIDEOROOM_ERROR_ALREADY_PUBLISHED``: ``publish`` while publishing."""
ERROR_NOT_PUBLISHED = 435
"""``JANUS_VIDEOROOM_ERROR_NOT_PUBLISHED``: ``unpublish`` while not publishing."""
ERROR_ID_EXISTS = 436
"""``JANUS_VIDEOROOM_ERROR_ID_EXISTS``: a participant (or remotization) id already taken."""
ERROR_INVALID_SDP = 437
"""``JANUS_VIDEOROOM_ERROR_INVALID_SDP``: the SDP could not be parsed or used."""


class VideoRoomError(PluginError):
    """The VideoRoom plugin answered a request with an error.

    ``error_code`` is one of this module's ``ERROR_*`` constants; instances are always of the
    subclass declared for it (see the module documentation), whose ``code`` class attribute
    it is. Messages never contain a secret or pin.
    """

    plugin_id = "janus.plugin.videoroom"


class UnknownVideoRoomError(VideoRoomError, code=ERROR_UNKNOWN_ERROR):
    """An internal failure in the plugin (499)."""


class NoMessageError(VideoRoomError, code=ERROR_NO_MESSAGE):
    """The request had no body (421)."""


class InvalidJsonError(VideoRoomError, code=ERROR_INVALID_JSON):
    """The body was not a JSON object (422)."""


class InvalidRequestError(VideoRoomError, code=ERROR_INVALID_REQUEST):
    """An unknown request, or one this kind of handle cannot make (423)."""


class JoinFirstError(VideoRoomError, code=ERROR_JOIN_FIRST):
    """A participant request on a handle that did not join (424)."""


class AlreadyJoinedError(VideoRoomError, code=ERROR_ALREADY_JOINED):
    """``join`` on a handle that already joined (425)."""


class NoSuchRoomError(VideoRoomError, code=ERROR_NO_SUCH_ROOM):
    """The room does not exist (426)."""


class RoomExistsError(VideoRoomError, code=ERROR_ROOM_EXISTS):
    """A room with that id exists already (427)."""


class NoSuchFeedError(VideoRoomError, code=ERROR_NO_SUCH_FEED):
    """No such publisher, stream, forwarder or remotization (428)."""


class MissingElementError(VideoRoomError, code=ERROR_MISSING_ELEMENT):
    """A required attribute is missing, such as the secret of a protected room (429)."""


class InvalidElementError(VideoRoomError, code=ERROR_INVALID_ELEMENT):
    """An attribute has a wrong type or value (430)."""


class InvalidSdpTypeError(VideoRoomError, code=ERROR_INVALID_SDP_TYPE):
    """An offer where an answer was due, or the other way round (431)."""


class PublishersFullError(VideoRoomError, code=ERROR_PUBLISHERS_FULL):
    """The room already has its maximum number of publishers (432)."""


class VideoRoomUnauthorizedError(VideoRoomError, code=ERROR_UNAUTHORIZED):
    """Wrong room secret, pin or token, or the participant was kicked (433)."""


class AlreadyPublishedError(VideoRoomError, code=ERROR_ALREADY_PUBLISHED):
    """``publish`` while already publishing (434)."""


class NotPublishedError(VideoRoomError, code=ERROR_NOT_PUBLISHED):
    """``unpublish`` while not publishing (435)."""


class IdExistsError(VideoRoomError, code=ERROR_ID_EXISTS):
    """The participant id (or remotization id) is taken (436)."""


class InvalidSdpError(VideoRoomError, code=ERROR_INVALID_SDP):
    """Janus could not parse or use the SDP (437)."""


class VideoRoomMediaRejectedError(VideoRoomError, MediaRejectedError):
    """The plugin answered ``ok`` but rejected offered media (``m=`` port 0).

    For example a codec the room does not allow. ``error_code`` is None and ``rejected``
    lists the rejected media sections; the negotiation is undone.
    """


class VideoRoomRecordingRefusedError(VideoRoomError, RecordingRefusedError):
    """A publisher asked to be recorded, and Janus opened no recording for some of its streams.

    Janus 1.1.2's VideoRoom answers as if it recorded, and only logs "Couldn't open an audio
    recording file for this publisher!" (``janus_videoroom.c``). Raised when the publisher has
    a :attr:`~janus_webrtc.RecordingHandle.recording_check`; ``refused`` lists the streams as
    Janus names their files (``"audio-0"``, ``"video-1"``), and recording was stopped again.
    """


_DEPRECATED_CONSTANTS = frozenset(
    {
        "UNKNOWN_ERROR",
        "NO_MESSAGE",
        "INVALID_JSON",
        "INVALID_REQUEST",
        "JOIN_FIRST",
        "ALREADY_JOINED",
        "NO_SUCH_ROOM",
        "ROOM_EXISTS",
        "NO_SUCH_FEED",
        "MISSING_ELEMENT",
        "INVALID_ELEMENT",
        "INVALID_SDP_TYPE",
        "PUBLISHERS_FULL",
        "UNAUTHORIZED",
        "ALREADY_PUBLISHED",
        "NOT_PUBLISHED",
        "ID_EXISTS",
        "INVALID_SDP",
    }
)


def __getattr__(name: str) -> int:
    """The constants without the ``ERROR_`` prefix: deprecated, for code written against 0.1."""
    if name in _DEPRECATED_CONSTANTS:
        warnings.warn(
            f"janus_videoroom.errors.{name} is deprecated: use ERROR_{name}",
            DeprecationWarning,
            stacklevel=2,
        )
        value: int = globals()[f"ERROR_{name}"]
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
