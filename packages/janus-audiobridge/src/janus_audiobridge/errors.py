"""Errors of the AudioBridge plugin, one exception class per error code.

::

    janus_webrtc.PluginError
    └── AudioBridgeError                    the AudioBridge plugin answered with an error
        ├── NoMessageError                  480 JANUS_AUDIOBRIDGE_ERROR_NO_MESSAGE
        ├── InvalidJsonError                481 ..._INVALID_JSON
        ├── InvalidRequestError             482 ..._INVALID_REQUEST
        ├── MissingElementError             483 ..._MISSING_ELEMENT
        ├── InvalidElementError             484 ..._INVALID_ELEMENT
        ├── NoSuchRoomError                 485 ..._NO_SUCH_ROOM
        ├── RoomExistsError                 486 ..._ROOM_EXISTS
        ├── NotJoinedError                  487 ..._NOT_JOINED
        ├── LibopusError                    488 ..._LIBOPUS_ERROR
        ├── AudioBridgeUnauthorizedError    489 ..._UNAUTHORIZED
        ├── IdExistsError                   490 ..._ID_EXISTS
        ├── AlreadyJoinedError              491 ..._ALREADY_JOINED
        ├── NoSuchUserError                 492 ..._NO_SUCH_USER
        ├── InvalidSdpError                 493 ..._INVALID_SDP
        ├── NoSuchGroupError                494 ..._NO_SUCH_GROUP
        ├── UnknownAudioBridgeError         499 ..._UNKNOWN_ERROR
        ├── AudioBridgeMediaRejectedError (+ janus_webrtc.MediaRejectedError)
        └── AudioBridgeRecordingRefusedError (+ janus_webrtc.RecordingRefusedError)
                                            Janus did not open a recording: the mix's
                                            (499 mkdir error, or turned off by the mixer),
                                            or a participant's (with a RecordingCheck)

Each class is declared with its code once (``code=``): ``AudioBridgeError(485, text)`` builds a
:class:`NoSuchRoomError` (see :class:`janus_webrtc.PluginError`), and the handle raises errors
that way. Janus says 483 (missing element) when a protected room's pin or secret is not given
at all, and 489 when a wrong one is.
"""

from __future__ import annotations

from typing import Any

from janus_webrtc import MediaRejectedError, PluginError, RecordingRefusedError

__all__ = [
    "ERROR_ALREADY_JOINED",
    "ERROR_ID_EXISTS",
    "ERROR_INVALID_ELEMENT",
    "ERROR_INVALID_JSON",
    "ERROR_INVALID_REQUEST",
    "ERROR_INVALID_SDP",
    "ERROR_LIBOPUS_ERROR",
    "ERROR_MISSING_ELEMENT",
    "ERROR_NOT_JOINED",
    "ERROR_NO_MESSAGE",
    "ERROR_NO_SUCH_GROUP",
    "ERROR_NO_SUCH_ROOM",
    "ERROR_NO_SUCH_USER",
    "ERROR_ROOM_EXISTS",
    "ERROR_UNAUTHORIZED",
    "ERROR_UNKNOWN_ERROR",
    "AlreadyJoinedError",
    "AudioBridgeError",
    "AudioBridgeMediaRejectedError",
    "AudioBridgeRecordingRefusedError",
    "AudioBridgeUnauthorizedError",
    "IdExistsError",
    "InvalidElementError",
    "InvalidJsonError",
    "InvalidRequestError",
    "InvalidSdpError",
    "LibopusError",
    "MissingElementError",
    "NoMessageError",
    "NoSuchGroupError",
    "NoSuchRoomError",
    "NoSuchUserError",
    "NotJoinedError",
    "RoomExistsError",
    "UnknownAudioBridgeError",
]

ERROR_NO_MESSAGE = 480
"""``JANUS_AUDIOBRIDGE_ERROR_NO_MESSAGE``: the request had no body."""
ERROR_INVALID_JSON = 481
"""``JANUS_AUDIOBRIDGE_ERROR_INVALID_JSON``: the body was not a JSON object."""
ERROR_INVALID_REQUEST = 482
"""``JANUS_AUDIOBRIDGE_ERROR_INVALID_REQUEST``: an unknown request (also the requests Janus
1.1.2 does not have yet)."""
ERROR_MISSING_ELEMENT = 483
"""``JANUS_AUDIOBRIDGE_ERROR_MISSING_ELEMENT``: a required attribute is missing, such as the
secret of a protected room."""
ERROR_INVALID_ELEMENT = 484
"""``JANUS_AUDIOBRIDGE_ERROR_INVALID_ELEMENT``: an attribute has a wrong type or value."""
ERROR_NO_SUCH_ROOM = 485
"""``JANUS_AUDIOBRIDGE_ERROR_NO_SUCH_ROOM``: the room does not exist."""
ERROR_ROOM_EXISTS = 486
"""``JANUS_AUDIOBRIDGE_ERROR_ROOM_EXISTS``: a room with that id exists already."""
ERROR_NOT_JOINED = 487
"""``JANUS_AUDIOBRIDGE_ERROR_NOT_JOINED``: a participant request on a handle that is in no room."""
ERROR_LIBOPUS_ERROR = 488
"""``JANUS_AUDIOBRIDGE_ERROR_LIBOPUS_ERROR``: libopus failed (an encoder or decoder could not be
made)."""
ERROR_UNAUTHORIZED = 489
"""``JANUS_AUDIOBRIDGE_ERROR_UNAUTHORIZED``: wrong secret, pin, token or admin key."""
ERROR_ID_EXISTS = 490
"""``JANUS_AUDIOBRIDGE_ERROR_ID_EXISTS``: the participant id is taken."""
ERROR_ALREADY_JOINED = 491
"""``JANUS_AUDIOBRIDGE_ERROR_ALREADY_JOINED``: ``join`` on a handle that is in a room already
(``changeroom`` moves)."""
ERROR_NO_SUCH_USER = 492
"""``JANUS_AUDIOBRIDGE_ERROR_NO_SUCH_USER``: no such participant in the room."""
ERROR_INVALID_SDP = 493
"""``JANUS_AUDIOBRIDGE_ERROR_INVALID_SDP``: janus could not use the SDP."""
ERROR_NO_SUCH_GROUP = 494
"""``JANUS_AUDIOBRIDGE_ERROR_NO_SUCH_GROUP``: no such group in the room."""
ERROR_UNKNOWN_ERROR = 499
"""``JANUS_AUDIOBRIDGE_ERROR_UNKNOWN_ERROR``: an internal failure (a file that cannot be opened,
a socket...)."""


class AudioBridgeError(PluginError):
    """The AudioBridge plugin answered a request with an error.

    ``error_code`` is one of the ``ERROR_*`` constants of this module; instances are of the
    subclass declared for it. Messages never contain a secret or pin.
    """

    plugin_id = "janus.plugin.audiobridge"


class NoMessageError(AudioBridgeError, code=ERROR_NO_MESSAGE):
    """The request had no body (480)."""


class InvalidJsonError(AudioBridgeError, code=ERROR_INVALID_JSON):
    """The body was not a JSON object (481)."""


class InvalidRequestError(AudioBridgeError, code=ERROR_INVALID_REQUEST):
    """An unknown request (also the requests Janus 1.1.2 does not have yet) (482)."""


class MissingElementError(AudioBridgeError, code=ERROR_MISSING_ELEMENT):
    """A required attribute is missing, such as the secret of a protected room (483)."""


class InvalidElementError(AudioBridgeError, code=ERROR_INVALID_ELEMENT):
    """An attribute has a wrong type or value (484)."""


class NoSuchRoomError(AudioBridgeError, code=ERROR_NO_SUCH_ROOM):
    """The room does not exist (485)."""


class RoomExistsError(AudioBridgeError, code=ERROR_ROOM_EXISTS):
    """A room with that id exists already (486)."""


class NotJoinedError(AudioBridgeError, code=ERROR_NOT_JOINED):
    """A participant request on a handle that is in no room (487)."""


class LibopusError(AudioBridgeError, code=ERROR_LIBOPUS_ERROR):
    """libopus failed (an encoder or decoder could not be made) (488)."""


class AudioBridgeUnauthorizedError(AudioBridgeError, code=ERROR_UNAUTHORIZED):
    """Wrong secret, pin, token or admin key (489)."""


class IdExistsError(AudioBridgeError, code=ERROR_ID_EXISTS):
    """The participant id is taken (490)."""


class AlreadyJoinedError(AudioBridgeError, code=ERROR_ALREADY_JOINED):
    """``join`` on a handle that is in a room already (``changeroom`` moves) (491)."""


class NoSuchUserError(AudioBridgeError, code=ERROR_NO_SUCH_USER):
    """No such participant in the room (492)."""


class InvalidSdpError(AudioBridgeError, code=ERROR_INVALID_SDP):
    """Janus could not use the SDP (493)."""


class NoSuchGroupError(AudioBridgeError, code=ERROR_NO_SUCH_GROUP):
    """No such group in the room (494)."""


class UnknownAudioBridgeError(AudioBridgeError, code=ERROR_UNKNOWN_ERROR):
    """An internal failure (a file that cannot be opened, a socket...) (499)."""


class AudioBridgeMediaRejectedError(AudioBridgeError, MediaRejectedError):
    """Janus's answer rejected the offered audio (``m=`` port 0)."""


class AudioBridgeRecordingRefusedError(AudioBridgeError, RecordingRefusedError):
    """Janus did not open a recording it was asked for (Janus 1.1.2, ``janus_audiobridge.c``).

    - The mix (``refused == ("mix",)``, :attr:`room` set): ``enable_recording`` with a
      ``record_dir`` Janus cannot create, which Janus answers with 499 "mkdir error" (kept as
      ``error_code``); or a ``.wav`` file Janus's mixer cannot open, which it only logs ("Could
      NOT open file ... for writing, giving up") before turning the room's recording off, as
      its ``list`` then shows. The room stays, unrecorded.
    - A participant's ``.mjr`` (``refused == ("audio",)``): ``join``/``configure`` with
      ``record``, which Janus answers as if it recorded; found with a
      :attr:`~janus_webrtc.RecordingHandle.recording_check`, and stopped again.

    Attributes:
        room: The room whose mix is not recorded (None for a participant's recording).
    """

    def __init__(self, error: str, *, room: int | str | None = None, **options: Any) -> None:
        super().__init__(error, **options)
        self.room = room
