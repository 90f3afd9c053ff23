"""Errors of the VideoCall plugin.

Every error the plugin answers with (``error_code`` and ``error``) is raised as a
:class:`VideoCallError`; the codes a program reacts to have a subclass of their own, so that
``except UsernameTakenError`` works. Each class is declared with its code once (``code=``), so
``VideoCallError(code, text)`` builds the subclass that matches ``code`` (see
:class:`janus_webrtc.PluginError`)::

    janus_webrtc.PluginError
    └── VideoCallError                     the VideoCall plugin answered with an error
        ├── UnknownVideoCallError          499: an unexpected failure in the plugin
        ├── NoMessageError                 470: the request had no body
        ├── InvalidJsonError               471: the body was not a JSON object
        ├── InvalidRequestError            472: unknown request
        ├── RegisterFirstError             473: call before register
        ├── InvalidElementError            474: a mistyped or out-of-range attribute
        ├── MissingElementError            475: a required attribute is missing
        ├── UsernameTakenError             476: register with a name in use
        ├── AlreadyRegisteredError         477: register twice on one handle
        ├── NoSuchUsernameError            478: call a name nobody registered
        ├── CallYourselfError              479: call your own name
        ├── AlreadyInCallError             480: call while in a call
        ├── NoCallError                    481: accept without an incoming call
        ├── MissingSdpError                482: call/accept without a JSEP
        ├── InvalidSdpError                483: a JSEP Janus cannot parse
        ├── CallEndedError                 the call ended before it was up (busy, declined,
        │                                  hung up): no error_code, the hangup reason
        ├── VideoCallMediaRejectedError (+ janus_webrtc.MediaRejectedError)
        │                                  the answer rejected offered media
        └── VideoCallRecordingRefusedError (+ janus_webrtc.RecordingRefusedError)
                                           set(record=True) answered, no file opened
                                           (checked with a RecordingCheck)
"""

from __future__ import annotations

from janus_webrtc import MediaRejectedError, PluginError, RecordingRefusedError

__all__ = [
    "ERROR_ALREADY_IN_CALL",
    "ERROR_ALREADY_REGISTERED",
    "ERROR_INVALID_ELEMENT",
    "ERROR_INVALID_JSON",
    "ERROR_INVALID_REQUEST",
    "ERROR_INVALID_SDP",
    "ERROR_MISSING_ELEMENT",
    "ERROR_MISSING_SDP",
    "ERROR_NO_CALL",
    "ERROR_NO_MESSAGE",
    "ERROR_NO_SUCH_USERNAME",
    "ERROR_REGISTER_FIRST",
    "ERROR_UNKNOWN_ERROR",
    "ERROR_USERNAME_TAKEN",
    "ERROR_USE_ECHO_TEST",
    "AlreadyInCallError",
    "AlreadyRegisteredError",
    "CallEndedError",
    "CallYourselfError",
    "InvalidJsonError",
    "InvalidElementError",
    "InvalidRequestError",
    "InvalidSdpError",
    "MissingElementError",
    "MissingSdpError",
    "NoCallError",
    "NoMessageError",
    "NoSuchUsernameError",
    "RegisterFirstError",
    "UnknownVideoCallError",
    "UsernameTakenError",
    "VideoCallError",
    "VideoCallMediaRejectedError",
    "VideoCallRecordingRefusedError",
]

ERROR_UNKNOWN_ERROR = 499
"""``JANUS_VIDEOCALL_ERROR_UNKNOWN_ERROR``: an unexpected failure in the plugin."""

ERROR_NO_MESSAGE = 470
"""``JANUS_VIDEOCALL_ERROR_NO_MESSAGE``: the request had no body."""

ERROR_INVALID_JSON = 471
"""``JANUS_VIDEOCALL_ERROR_INVALID_JSON``: the body was not a JSON object."""

ERROR_INVALID_REQUEST = 472
"""``JANUS_VIDEOCALL_ERROR_INVALID_REQUEST``: the ``request`` is not one the plugin knows."""

ERROR_REGISTER_FIRST = 473
"""``JANUS_VIDEOCALL_ERROR_REGISTER_FIRST``: ``call`` before ``register``."""

ERROR_INVALID_ELEMENT = 474
"""``JANUS_VIDEOCALL_ERROR_INVALID_ELEMENT``: an attribute of the wrong type or range."""

ERROR_MISSING_ELEMENT = 475
"""``JANUS_VIDEOCALL_ERROR_MISSING_ELEMENT``: a required attribute is missing."""

ERROR_USERNAME_TAKEN = 476
"""``JANUS_VIDEOCALL_ERROR_USERNAME_TAKEN``: another handle registered that name."""

ERROR_ALREADY_REGISTERED = 477
"""``JANUS_VIDEOCALL_ERROR_ALREADY_REGISTERED``: this handle registered a name already."""

ERROR_NO_SUCH_USERNAME = 478
"""``JANUS_VIDEOCALL_ERROR_NO_SUCH_USERNAME``: nobody registered the name called."""

ERROR_USE_ECHO_TEST = 479
"""``JANUS_VIDEOCALL_ERROR_USE_ECHO_TEST``: a handle called its own name."""

ERROR_ALREADY_IN_CALL = 480
"""``JANUS_VIDEOCALL_ERROR_ALREADY_IN_CALL``: ``call`` while already in a call."""

ERROR_NO_CALL = 481
"""``JANUS_VIDEOCALL_ERROR_NO_CALL``: ``accept`` without an incoming call."""

ERROR_MISSING_SDP = 482
"""``JANUS_VIDEOCALL_ERROR_MISSING_SDP``: ``call`` or ``accept`` without a JSEP."""

ERROR_INVALID_SDP = 483
"""``JANUS_VIDEOCALL_ERROR_INVALID_SDP``: the JSEP could not be parsed."""


class VideoCallError(PluginError):
    """The VideoCall plugin answered a request with an error.

    ``error_code`` is one of the ``ERROR_*`` constants of this module. Building a
    ``VideoCallError`` with a declared code returns an instance of that code's subclass.
    """

    plugin_id = "janus.plugin.videocall"


class UnknownVideoCallError(VideoCallError, code=ERROR_UNKNOWN_ERROR):
    """An unexpected failure in the plugin (``499``)."""


class NoMessageError(VideoCallError, code=ERROR_NO_MESSAGE):
    """The request had no body (``470``)."""


class InvalidJsonError(VideoCallError, code=ERROR_INVALID_JSON):
    """The body was not a JSON object (``471``)."""


class InvalidRequestError(VideoCallError, code=ERROR_INVALID_REQUEST):
    """The plugin does not know the request (``472``)."""


class RegisterFirstError(VideoCallError, code=ERROR_REGISTER_FIRST):
    """A ``call`` came before the handle registered a name (``473``)."""


class InvalidElementError(VideoCallError, code=ERROR_INVALID_ELEMENT):
    """An attribute has the wrong type or is out of range (``474``)."""


class MissingElementError(VideoCallError, code=ERROR_MISSING_ELEMENT):
    """A required attribute is missing (``475``)."""


class UsernameTakenError(VideoCallError, code=ERROR_USERNAME_TAKEN):
    """Another handle registered that name (``476``); names are global in the plugin."""


class AlreadyRegisteredError(VideoCallError, code=ERROR_ALREADY_REGISTERED):
    """This handle registered a name already (``477``); detach to free it."""


class NoSuchUsernameError(VideoCallError, code=ERROR_NO_SUCH_USERNAME):
    """Nobody registered the name that was called (``478``)."""


class CallYourselfError(VideoCallError, code=ERROR_USE_ECHO_TEST):
    """A handle called its own name (``479``; the plugin suggests the EchoTest)."""


class AlreadyInCallError(VideoCallError, code=ERROR_ALREADY_IN_CALL):
    """A ``call`` while the handle is in a call already (``480``)."""


class NoCallError(VideoCallError, code=ERROR_NO_CALL):
    """An ``accept`` without an incoming call to accept (``481``)."""


class MissingSdpError(VideoCallError, code=ERROR_MISSING_SDP):
    """A ``call`` or ``accept`` without a session description (``482``)."""


class InvalidSdpError(VideoCallError, code=ERROR_INVALID_SDP):
    """Janus could not parse the session description (``483``)."""


class CallEndedError(VideoCallError):
    """The call ended before it was up: the callee was busy or declined, or someone hung up.

    The plugin does not answer with an error in these cases but with a ``hangup`` event;
    ``error_code`` is None and ``error`` is the hangup reason.

    Attributes:
        reason: Why the call ended, as the plugin said (``"User busy"``, or the reason the
            other side gave to ``hangup``).
        username: Who ended it, when the plugin said so.
    """

    def __init__(self, reason: str, *, username: str | None = None, plugin: str = "") -> None:
        super().__init__(None, reason, plugin=plugin)
        self.reason = reason
        self.username = username


class VideoCallRecordingRefusedError(VideoCallError, RecordingRefusedError):
    """The VideoCall plugin answered ``set`` with ``record`` but opened no recording file.

    Janus 1.1.2's VideoCall only logs "Couldn't open an audio recording file for this VideoCall
    user!" (``janus_videocall.c``): this is raised when the handle has a
    :attr:`~janus_webrtc.RecordingHandle.recording_check`. ``refused`` lists the media
    (``"audio"``, ``"video"``, ``"data"``) without a recording; the recording was stopped again
    and the call goes on.
    """


class VideoCallMediaRejectedError(VideoCallError, MediaRejectedError):
    """The answer to a call rejected offered media (``m=`` port 0); the call is hung up.

    ``error_code`` is None and ``rejected`` lists the rejected media sections.
    """
