"""Errors of the EchoTest plugin.

::

    janus_webrtc.PluginError
    └── EchoTestError                  the EchoTest plugin answered with an error
        └── EchoTestMediaRejectedError (+ janus_webrtc.MediaRejectedError)
                                       it answered "ok" but rejected offered media
                                       (for example an unknown audiocodec/videocodec)
"""

from __future__ import annotations

from janus_webrtc import MediaRejectedError, PluginError

__all__ = [
    "ERROR_INVALID_ELEMENT",
    "ERROR_INVALID_JSON",
    "ERROR_INVALID_SDP",
    "ERROR_NO_MESSAGE",
    "EchoTestError",
    "EchoTestMediaRejectedError",
]

ERROR_NO_MESSAGE = 411
"""``JANUS_ECHOTEST_ERROR_NO_MESSAGE``: the request had no body."""

ERROR_INVALID_JSON = 412
"""``JANUS_ECHOTEST_ERROR_INVALID_JSON``: the body was not a JSON object."""

ERROR_INVALID_ELEMENT = 413
"""``JANUS_ECHOTEST_ERROR_INVALID_ELEMENT``: a missing, mistyped or out-of-range attribute
(for example ``substream`` above 2), or a request with no supported attribute."""

ERROR_INVALID_SDP = 414
"""``JANUS_ECHOTEST_ERROR_INVALID_SDP``: the offer could not be parsed."""


class EchoTestError(PluginError):
    """The EchoTest plugin answered a request with an error.

    ``error_code`` is one of the ``ERROR_*`` constants of this module.
    """


class EchoTestMediaRejectedError(EchoTestError, MediaRejectedError):
    """The EchoTest plugin answered ``ok`` but rejected offered media (``m=`` port 0).

    Janus 1.1.2's EchoTest does not validate ``audiocodec``/``videocodec``: asked for a codec
    the offer lacks (or an unknown name), it rejects that m-line. ``error_code`` is None and
    ``rejected`` lists the rejected media sections.
    """
