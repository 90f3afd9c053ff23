"""janus-videocall: the Janus VideoCall plugin for janus-webrtc, with real aiortc media.

Installed, it registers itself: ``await session.attach("videocall")`` returns a
:class:`VideoCallHandle`. Two handles register names; one calls, the other accepts, and
Janus relays audio, video and data between them.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from .errors import (
    ERROR_ALREADY_IN_CALL,
    ERROR_ALREADY_REGISTERED,
    ERROR_INVALID_ELEMENT,
    ERROR_INVALID_JSON,
    ERROR_INVALID_REQUEST,
    ERROR_INVALID_SDP,
    ERROR_MISSING_ELEMENT,
    ERROR_MISSING_SDP,
    ERROR_NO_CALL,
    ERROR_NO_MESSAGE,
    ERROR_NO_SUCH_USERNAME,
    ERROR_REGISTER_FIRST,
    ERROR_UNKNOWN_ERROR,
    ERROR_USE_ECHO_TEST,
    ERROR_USERNAME_TAKEN,
    AlreadyInCallError,
    AlreadyRegisteredError,
    CallEndedError,
    CallYourselfError,
    InvalidElementError,
    InvalidJsonError,
    InvalidRequestError,
    InvalidSdpError,
    MissingElementError,
    MissingSdpError,
    NoCallError,
    NoMessageError,
    NoSuchUsernameError,
    RegisterFirstError,
    UnknownVideoCallError,
    UsernameTakenError,
    VideoCallError,
    VideoCallMediaRejectedError,
    VideoCallRecordingRefusedError,
)
from .handle import CallState, VideoCallHandle
from .messages import (
    Accepted,
    Calling,
    HungUp,
    IncomingCall,
    Registered,
    SetResult,
    SimulcastChanged,
    Updated,
    VideoCallEvent,
    VideoCallSlowLink,
)

try:
    __version__ = version("janus-videocall")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"

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
    "Accepted",
    "AlreadyInCallError",
    "AlreadyRegisteredError",
    "CallEndedError",
    "CallState",
    "CallYourselfError",
    "Calling",
    "HungUp",
    "IncomingCall",
    "InvalidElementError",
    "InvalidJsonError",
    "InvalidRequestError",
    "InvalidSdpError",
    "MissingElementError",
    "MissingSdpError",
    "NoCallError",
    "NoMessageError",
    "NoSuchUsernameError",
    "Registered",
    "RegisterFirstError",
    "SetResult",
    "SimulcastChanged",
    "Updated",
    "UnknownVideoCallError",
    "UsernameTakenError",
    "VideoCallError",
    "VideoCallEvent",
    "VideoCallHandle",
    "VideoCallMediaRejectedError",
    "VideoCallRecordingRefusedError",
    "VideoCallSlowLink",
    "__version__",
]
