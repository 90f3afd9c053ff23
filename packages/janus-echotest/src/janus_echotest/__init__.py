"""janus-echotest: the Janus EchoTest plugin for janus-webrtc, with real aiortc media.

Installed, it registers itself: ``await session.attach("echotest")`` returns an
:class:`EchoTestHandle`.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from .errors import (
    ERROR_INVALID_ELEMENT,
    ERROR_INVALID_JSON,
    ERROR_INVALID_SDP,
    ERROR_NO_MESSAGE,
    EchoTestError,
    EchoTestMediaRejectedError,
    EchoTestRecordingRefusedError,
    InvalidElementError,
    InvalidJsonError,
    InvalidSdpError,
    NoMessageError,
)
from .handle import EchoTestHandle
from .messages import (
    EchoTestDone,
    EchoTestEvent,
    EchoTestResult,
    EchoTestSlowLink,
    SubstreamChanged,
    TemporalLayerChanged,
)

try:
    __version__ = version("janus-echotest")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"

__all__ = [
    "ERROR_INVALID_ELEMENT",
    "ERROR_INVALID_JSON",
    "ERROR_INVALID_SDP",
    "ERROR_NO_MESSAGE",
    "EchoTestDone",
    "EchoTestError",
    "EchoTestEvent",
    "EchoTestHandle",
    "EchoTestMediaRejectedError",
    "EchoTestRecordingRefusedError",
    "EchoTestResult",
    "EchoTestSlowLink",
    "InvalidElementError",
    "InvalidJsonError",
    "InvalidSdpError",
    "NoMessageError",
    "SubstreamChanged",
    "TemporalLayerChanged",
    "__version__",
]
