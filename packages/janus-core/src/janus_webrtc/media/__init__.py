"""Media helpers for WebRTC handles: generated sources and counting sinks.

- :class:`TestPatternVideoTrack`: a moving test pattern that also carries its frame number,
  so an echoed frame can be matched with the moment it was sent.
- :class:`ToneAudioTrack`: a sine tone.
- :class:`FrameCounter`: a sink (like aiortc's ``MediaBlackhole``) that reads remote tracks
  and counts their decoded frames, sizes and samples.
- :class:`EchoLatencyProbe`: reads the frame numbers of an echoed test pattern and measures
  each frame's true round trip.

They need nothing beyond aiortc and PyAV.
"""

try:  # the ``media`` extra: say which one to install instead of a bare ModuleNotFoundError
    import aiortc as _aiortc  # noqa: F401
    import av as _av  # noqa: F401
except ModuleNotFoundError as _exc:
    from .._extras import media_missing as _media_missing

    raise (_media_missing(_exc, "janus_webrtc.media") or _exc) from _exc

from .generators import TestPatternVideoTrack, ToneAudioTrack, read_frame_number
from .sinks import EchoLatencyProbe, FrameCounter, KindCount

__all__ = [
    "EchoLatencyProbe",
    "FrameCounter",
    "KindCount",
    "TestPatternVideoTrack",
    "ToneAudioTrack",
    "read_frame_number",
]
