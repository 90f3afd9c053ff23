"""Generated media sources for demos, tests and benchmarks."""

from __future__ import annotations

import array
import asyncio
import fractions
import functools
import math
import time
from collections import OrderedDict
from typing import Any

from aiortc.mediastreams import MediaStreamError, MediaStreamTrack
from av import AudioFrame, VideoFrame

__all__ = ["TestPatternVideoTrack", "ToneAudioTrack", "read_frame_number"]

_VIDEO_CLOCK = 90000
_VIDEO_TIME_BASE = fractions.Fraction(1, _VIDEO_CLOCK)
_BITS = 16
_BAND = 16  # rows per band: the number, then its complement
_HIGH = 235
_LOW = 16
_BACKGROUND = 80
_BAR = 200
_SENT_KEPT = 512
_MAX_LAG = 0.2  # seconds behind schedule before the pacer resynchronises


class _Pacer:
    """Sleeps until each frame is due, on the monotonic clock."""

    def __init__(self, period: float) -> None:
        self._period = period
        self._start: float | None = None
        self.count = 0

    async def next(self) -> int:
        """Wait until the next frame is due; return its index."""
        if self._start is None:
            self._start = time.monotonic()
        else:
            self.count += 1
            now = time.monotonic()
            delay = self._start + self.count * self._period - now
            if delay > 0:
                await asyncio.sleep(delay)
            elif delay < -_MAX_LAG:
                # Nobody read for a while (between calls): resume in real time, no burst.
                self._start = now - self.count * self._period
        return self.count


class TestPatternVideoTrack(MediaStreamTrack):
    """A video track of a moving bar, with its frame number drawn in the top rows.

    The number (16 bits, then the same bits inverted, as black and white blocks) survives
    VP8/H.264 compression at small sizes, so :func:`read_frame_number` can read it back from
    an echoed frame and :meth:`sent_at` tells when that frame was produced: the difference is
    the frame's true round trip, encoding and decoding included.

    Args:
        width: Frame width in pixels (at least 64, even).
        height: Frame height in pixels (at least 48, even).
        fps: Frames per second.
    """

    __test__ = False  # not a pytest test class, despite its name
    kind = "video"

    def __init__(self, *, width: int = 160, height: int = 120, fps: float = 30.0) -> None:
        super().__init__()
        if width < 64 or height < 48 or width % 2 or height % 2:
            raise ValueError("the test pattern needs an even size of at least 64x48")
        if fps <= 0:
            raise ValueError("fps must be positive")
        self.width = width
        self.height = height
        self.fps = fps
        self._pacer = _Pacer(1.0 / fps)
        self._sent: OrderedDict[int, float] = OrderedDict()
        self._block = width // _BITS
        self._chroma = bytes([128]) * ((width // 2) * (height // 2))
        self.frames_sent = 0
        """Frames produced so far."""

    def sent_at(self, number: int) -> float | None:
        """When frame ``number`` (as read back by :func:`read_frame_number`) was produced.

        Returns:
            A ``time.monotonic()`` value, or None if unknown (too old or never sent).
        """
        return self._sent.get(number)

    def _luma(self, index: int) -> bytes:
        width, block = self.width, self._block
        number = index % (1 << _BITS)
        bits = [(number >> (_BITS - 1 - i)) & 1 for i in range(_BITS)]
        pad = bytes([128]) * (width - block * _BITS)
        top = b"".join(bytes([_HIGH if b else _LOW]) * block for b in bits) + pad
        bottom = b"".join(bytes([_LOW if b else _HIGH]) * block for b in bits) + pad
        bar_width = max(4, width // 10)
        x = (index * 4) % (width - bar_width)
        row = bytes([_BACKGROUND]) * x + bytes([_BAR]) * bar_width
        row += bytes([_BACKGROUND]) * (width - len(row))
        return top * _BAND + bottom * _BAND + row * (self.height - 2 * _BAND)

    async def recv(self) -> VideoFrame:
        """Produce the next frame, paced at :attr:`fps`."""
        if self.readyState != "live":
            raise MediaStreamError
        index = await self._pacer.next()
        frame = VideoFrame(width=self.width, height=self.height, format="yuv420p")
        luma, cb, cr = frame.planes
        _fill(luma, self._luma(index), self.width)
        _fill(cb, self._chroma, self.width // 2)
        _fill(cr, self._chroma, self.width // 2)
        frame.pts = int(index * _VIDEO_CLOCK / self.fps)
        frame.time_base = _VIDEO_TIME_BASE
        number = index % (1 << _BITS)
        self._sent[number] = time.monotonic()
        if len(self._sent) > _SENT_KEPT:
            self._sent.popitem(last=False)
        self.frames_sent += 1
        return frame


def _fill(plane: Any, data: bytes, width: int) -> None:
    """Copy rows of ``width`` bytes into a plane whose rows may be padded (``line_size``).

    libav pads a row to its alignment when the width needs it: at 176x144 the chroma rows
    are 88 bytes wide in rows of 96, and a plain ``update`` with 88x72 bytes fails (every
    frame of such a size failed, so nothing was sent).
    """
    stride = plane.line_size
    if stride == width:
        plane.update(data)
        return
    pad = bytes(stride - width)
    plane.update(b"".join(data[i : i + width] + pad for i in range(0, len(data), width)))


def read_frame_number(frame: VideoFrame) -> int | None:
    """Read the frame number drawn by :class:`TestPatternVideoTrack`.

    Args:
        frame: A decoded video frame (any pixel format convertible to ``yuv420p``).

    Returns:
        The number, or None if the frame does not carry a readable one.
    """
    if frame.format.name != "yuv420p":
        frame = frame.reformat(format="yuv420p")
    width = frame.width
    if width < 64 or frame.height < 48:
        return None
    plane = frame.planes[0]
    data = bytes(plane)
    stride = plane.line_size
    block = width / _BITS
    top_row = _BAND // 2  # the middle of each band (frames are echoed at their own size)
    bottom_row = top_row + _BAND
    number = 0
    for i in range(_BITS):
        x = int(block * i + block / 2)
        top = data[top_row * stride + x]
        bottom = data[bottom_row * stride + x]
        if (top > 128) == (bottom > 128):
            return None
        number = (number << 1) | (1 if top > 128 else 0)
    return number


@functools.lru_cache(maxsize=8)
def _tone_buffer(frequency: float, sample_rate: int, amplitude: float) -> bytes:
    """Two seconds of a tone as signed 16-bit samples, computed once per process.

    One second holds a whole number of periods for integer frequencies, so it loops without a
    click; the second copy lets a frame read across the loop point with one slice.
    """
    peak = int(32767 * amplitude)
    step = 2 * math.pi * frequency / sample_rate
    samples = array.array("h", (int(peak * math.sin(step * n)) for n in range(sample_rate)))
    return samples.tobytes() * 2


class ToneAudioTrack(MediaStreamTrack):
    """An audio track playing a sine tone (mono, signed 16-bit).

    Args:
        frequency: Tone frequency in Hz.
        sample_rate: Samples per second.
        ptime: Seconds of audio per frame.
        amplitude: Peak level, 0 to 1.
    """

    kind = "audio"

    def __init__(
        self,
        *,
        frequency: float = 440.0,
        sample_rate: int = 48000,
        ptime: float = 0.02,
        amplitude: float = 0.3,
    ) -> None:
        super().__init__()
        if frequency <= 0 or sample_rate <= 0 or ptime <= 0 or not 0 <= amplitude <= 1:
            raise ValueError("frequency, sample_rate and ptime must be positive, amplitude 0-1")
        self.sample_rate = sample_rate
        self.samples_per_frame = int(sample_rate * ptime)
        self._pacer = _Pacer(ptime)
        self._time_base = fractions.Fraction(1, sample_rate)
        self._buffer = _tone_buffer(frequency, sample_rate, amplitude)
        self._offset = 0
        self.frames_sent = 0
        """Frames produced so far."""

    async def recv(self) -> AudioFrame:
        """Produce the next frame, paced in real time."""
        if self.readyState != "live":
            raise MediaStreamError
        index = await self._pacer.next()
        count = self.samples_per_frame
        frame = AudioFrame(format="s16", layout="mono", samples=count)
        start = self._offset * 2
        frame.planes[0].update(self._buffer[start : start + count * 2])
        self._offset = (self._offset + count) % self.sample_rate
        frame.pts = index * count
        frame.sample_rate = self.sample_rate
        frame.time_base = self._time_base
        self.frames_sent += 1
        return frame
