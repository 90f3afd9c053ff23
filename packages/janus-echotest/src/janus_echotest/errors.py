"""Errors of the EchoTest plugin.

::

    janus_webrtc.PluginError
    └── EchoTestError                  the EchoTest plugin answered with an error
        ├── NoMessageError             411: the request had no body
        ├── InvalidJsonError           412: the body was not a JSON object
        ├── InvalidElementError        413: a missing, mistyped or out-of-range attribute
        ├── InvalidSdpError            414: the offer could not be parsed
        ├── EchoTestMediaRejectedError (+ janus_webrtc.MediaRejectedError)
        │                              it answered "ok" but rejected offered media
        │                              (for example an unknown audiocodec/videocodec)
        └── EchoTestRecordingRefusedError (+ janus_webrtc.RecordingRefusedError)
                                       it answered "ok" but opened no recording (checked
                                       with a RecordingCheck)

Each class is declared with its code once (``code=``); ``EchoTestError(413, text)`` builds an
:class:`InvalidElementError`, and the handle raises errors that way (see
:class:`janus_webrtc.PluginError`).
"""

from __future__ import annotations

from janus_webrtc import MediaRejectedError, PluginError, RecordingRefusedError

__all__ = [
    "ERROR_INVALID_ELEMENT",
    "ERROR_INVALID_JSON",
    "ERROR_INVALID_SDP",
    "ERROR_NO_MESSAGE",
    "EchoTestError",
    "EchoTestMediaRejectedError",
    "EchoTestRecordingRefusedError",
    "InvalidElementError",
    "InvalidJsonError",
    "InvalidSdpError",
    "NoMessageError",
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

    ``error_code`` is one of the ``ERROR_*`` constants of this module; instances are of the
    subclass declared for it.
    """

    plugin_id = "janus.plugin.echotest"


class NoMessageError(EchoTestError, code=ERROR_NO_MESSAGE):
    """The request had no body (411)."""


class InvalidJsonError(EchoTestError, code=ERROR_INVALID_JSON):
    """The body was not a JSON object (412)."""


class InvalidElementError(EchoTestError, code=ERROR_INVALID_ELEMENT):
    """A missing, mistyped or out-of-range attribute, or no supported attribute (413)."""


class InvalidSdpError(EchoTestError, code=ERROR_INVALID_SDP):
    """The offer could not be parsed (414)."""


class EchoTestMediaRejectedError(EchoTestError, MediaRejectedError):
    """The EchoTest plugin answered ``ok`` but rejected offered media (``m=`` port 0).

    Janus 1.1.2's EchoTest does not validate ``audiocodec``/``videocodec``: asked for a codec
    the offer lacks (or an unknown name), it rejects that m-line. ``error_code`` is None and
    ``rejected`` lists the rejected media sections.
    """


class EchoTestRecordingRefusedError(EchoTestError, RecordingRefusedError):
    """The EchoTest plugin answered ``ok`` to ``record`` but opened no recording file.

    Janus 1.1.2's EchoTest only logs "Couldn't open an audio recording file for this EchoTest
    user!" (``janus_echotest.c``): this is raised when the handle has a
    :attr:`~janus_webrtc.RecordingHandle.recording_check`. ``refused`` lists the media
    (``"audio"``, ``"video"``, ``"data"``) without a recording; the recording was stopped again.
    """
