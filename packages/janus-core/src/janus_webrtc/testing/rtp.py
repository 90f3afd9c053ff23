"""Plain RTP on loopback for tests: send real encoded Opus/VP8 to a UDP port, receive RTP.

Janus plugins that take or give plain RTP (Streaming mountpoints, AudioBridge plain-RTP
participants and ``rtp_forward``, VideoRoom forwarders) are tested with these two classes:

- :class:`RtpSource` reads an aiortc track (for example
  :class:`~janus_webrtc.media.ToneAudioTrack` or
  :class:`~janus_webrtc.media.TestPatternVideoTrack`), encodes each frame with aiortc's own
  encoders (libopus and libvpx through PyAV; VP8 payload descriptors included) and sends the
  RTP packets to ``host:port``, paced by the track.
- :class:`RtpReceiver` binds a UDP port, parses the RTP packets it gets and, given a codec,
  decodes them into ``av`` frames.

Only 127.0.0.0/8 addresses are accepted: no packet leaves the machine::

    async with RtpSource(ToneAudioTrack(), port=mountpoint_port, payload_type=111) as source:
        await source.wait_packets(50)
"""

from __future__ import annotations

import abc
import array
import asyncio
import collections
import contextlib
import ipaddress
import logging
import math
import secrets
import socket
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import av
from aiortc.codecs import depayload, get_decoder, get_encoder
from aiortc.jitterbuffer import JitterFrame
from aiortc.mediastreams import MediaStreamError, MediaStreamTrack
from aiortc.rtcrtpparameters import RTCRtpCodecParameters
from aiortc.rtp import RtpPacket

__all__ = [
    "CODECS",
    "RtpReceiver",
    "RtpSource",
    "codec_parameters",
    "mono_samples",
    "tone_strength",
    "write_opus_tone",
]

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())

CODECS: dict[str, tuple[str, int, int | None]] = {
    "opus": ("audio/opus", 48000, 2),
    "vp8": ("video/VP8", 90000, None),
}
"""Codecs these classes know: name -> (MIME type, clock rate, channels)."""

_DEFAULT_CODEC = {"audio": "opus", "video": "vp8"}


def codec_parameters(codec: str, payload_type: int) -> RTCRtpCodecParameters:
    """Return aiortc's codec parameters for ``codec`` (``"opus"`` or ``"vp8"``).

    Raises:
        ValueError: An unknown codec, or a payload type outside 0-127.
    """
    try:
        mime, clock, channels = CODECS[codec.lower()]
    except KeyError:
        raise ValueError(f"unknown codec {codec!r} (known: {', '.join(CODECS)})") from None
    if not 0 <= payload_type <= 127:
        raise ValueError(f"payload type {payload_type} is not in 0-127")
    return RTCRtpCodecParameters(
        mimeType=mime, clockRate=clock, channels=channels, payloadType=payload_type
    )


def _loopback(host: str) -> str:
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        raise ValueError(f"{host!r} is not an IP address (use a 127.x.y.z address)") from None
    if not address.is_loopback:
        raise ValueError(f"{host} is not a loopback address: RTP for tests stays on 127.0.0.0/8")
    return host


class _Waiters:
    """Futures waiting for a counter to reach a value, checked whenever it changes."""

    def __init__(self) -> None:
        self._waiting: list[tuple[Callable[[], bool], asyncio.Future[None]]] = []

    def notify(self) -> None:
        for check, future in list(self._waiting):
            if not future.done() and check():
                future.set_result(None)

    async def wait(self, check: Callable[[], bool], timeout: float, what: str) -> None:
        if check():
            return
        entry = (check, asyncio.get_running_loop().create_future())
        self._waiting.append(entry)
        try:
            async with asyncio.timeout(timeout):
                await entry[1]
        except TimeoutError:
            raise TimeoutError(f"timed out after {timeout} s waiting for {what}") from None
        finally:
            self._waiting.remove(entry)


class _Protocol(asyncio.DatagramProtocol):
    def __init__(self, on_packet: Any = None) -> None:
        self.on_packet = on_packet

    def datagram_received(self, data: bytes, addr: tuple[Any, ...]) -> None:
        if self.on_packet is not None:
            self.on_packet(data)


class _Endpoint(abc.ABC):
    """A socket user that starts and stops; ``async with`` starts it and stops it after."""

    @abc.abstractmethod
    async def start(self) -> None:
        """Open the socket and start."""

    @abc.abstractmethod
    async def stop(self) -> None:
        """Stop and close the socket (idempotent)."""

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()


class RtpSource(_Endpoint):
    """Sends a track's frames, encoded, as RTP packets to a UDP port on loopback.

    Args:
        track: The media to send (its ``recv()`` paces the stream).
        port: The destination UDP port.
        host: The destination address (127.0.0.0/8 only).
        payload_type: The RTP payload type (the mountpoint's or participant's ``pt``).
        codec: ``"opus"`` or ``"vp8"``; by default the track's kind chooses.
        ssrc: The RTP SSRC (random when None).
        keyframe_interval: Seconds between forced VP8 keyframes, so a receiver that comes
            late (a new Streaming viewer) decodes within that time.
        via: Send from this receiver's socket instead of a socket of its own (symmetric RTP:
            Janus's AudioBridge takes a plain-RTP participant's packets only from the address
            it sends the mix to).

    Attributes:
        frames_sent: Frames encoded and sent.
        packets_sent: RTP packets sent.
    """

    def __init__(
        self,
        track: MediaStreamTrack,
        *,
        port: int,
        host: str = "127.0.0.1",
        payload_type: int,
        codec: str | None = None,
        ssrc: int | None = None,
        keyframe_interval: float = 1.0,
        via: RtpReceiver | None = None,
    ) -> None:
        if not 0 < port < 65536:
            raise ValueError(f"port {port} is not a UDP port")
        if keyframe_interval <= 0:
            raise ValueError("keyframe_interval must be positive")
        name = codec or _DEFAULT_CODEC.get(track.kind, "")
        self._params = codec_parameters(name, payload_type)
        if not self._params.mimeType.lower().startswith(f"{track.kind}/"):
            raise ValueError(f"codec {name!r} cannot carry a {track.kind} track")
        self.track = track
        self.address = (_loopback(host), port)
        self.ssrc = ssrc if ssrc is not None else secrets.randbits(32)
        self._keyframe_interval = keyframe_interval
        self._via = via
        self._transport: asyncio.DatagramTransport | None = None
        self._task: asyncio.Task[None] | None = None
        self._sequence = secrets.randbits(16)
        self._timestamp_base = secrets.randbits(32)
        self.frames_sent = 0
        self.packets_sent = 0
        self._waiters = _Waiters()

    @property
    def codec(self) -> str:
        """The codec name, such as ``"opus"``."""
        return self._params.name.lower()

    @property
    def payload_type(self) -> int:
        """The RTP payload type."""
        pt = self._params.payloadType
        assert pt is not None
        return pt

    @property
    def running(self) -> bool:
        """Whether packets are being sent."""
        return self._task is not None and not self._task.done()

    async def start(self) -> None:
        """Open the socket and start sending (idempotent while running)."""
        if self.running:
            return
        if self._via is not None:
            self._transport = self._via._require_transport()
        else:
            loop = asyncio.get_running_loop()
            transport, _ = await loop.create_datagram_endpoint(
                _Protocol, remote_addr=self.address, family=socket.AF_INET
            )
            self._transport = transport
        self._task = asyncio.create_task(self._run(), name=f"RtpSource {self.address}")

    async def stop(self) -> None:
        """Stop sending and close the socket; the track is left running. Idempotent."""
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if self._transport is not None and self._via is None:
            self._transport.close()
        self._transport = None

    async def wait_packets(self, count: int, *, timeout: float = 10.0) -> None:
        """Wait until ``count`` packets in all were sent.

        Raises:
            TimeoutError: Not in time.
        """
        await self._waiters.wait(
            lambda: self.packets_sent >= count, timeout, f"{count} packets sent"
        )

    async def _run(self) -> None:
        encoder = get_encoder(self._params)
        video = self.track.kind == "video"
        frames_per_keyframe = 0
        try:
            while True:
                try:
                    frame = await self.track.recv()
                except MediaStreamError:
                    return
                force = False
                if video:
                    fps = getattr(self.track, "fps", 30.0)
                    force = frames_per_keyframe <= 0
                    frames_per_keyframe = (
                        int(fps * self._keyframe_interval) if force else frames_per_keyframe - 1
                    )
                if isinstance(frame, av.Packet):  # an already encoded track (MediaPlayer)
                    payloads, timestamp = encoder.pack(frame)
                else:
                    payloads, timestamp = encoder.encode(frame, force_keyframe=force)
                self._send(payloads, timestamp, video)
        except Exception:  # pragma: no cover - a broken encoder is a bug to see in the log
            logger.exception("RtpSource to %s:%d stopped", *self.address)
            raise

    def _send(self, payloads: list[bytes], timestamp: int | None, video: bool) -> None:
        transport = self._transport
        if transport is None or timestamp is None:
            return
        for index, payload in enumerate(payloads):
            packet = RtpPacket(
                payload_type=self.payload_type,
                marker=1 if video and index == len(payloads) - 1 else 0,
                sequence_number=self._sequence,
                timestamp=(self._timestamp_base + timestamp) & 0xFFFFFFFF,
                ssrc=self.ssrc,
                payload=payload,
            )
            self._sequence = (self._sequence + 1) & 0xFFFF
            if self._via is not None:
                transport.sendto(packet.serialize(), self.address)
            else:
                transport.sendto(packet.serialize())
            self.packets_sent += 1
        if payloads:
            self.frames_sent += 1
            self._waiters.notify()


class RtpReceiver(_Endpoint):
    """Receives RTP on a loopback UDP port; decodes it when given a codec.

    Args:
        host: The address to bind (127.0.0.0/8 only).
        port: The port to bind; 0 picks a free one (see :attr:`port` once started).
        codec: ``"opus"`` or ``"vp8"`` to decode packets into frames, None to only count.
        keep: How many decoded frames (and packets) to keep, newest last.

    Attributes:
        packets: The last packets received (aiortc ``RtpPacket``).
        frames: The last decoded frames (``av.AudioFrame``/``av.VideoFrame``).
        packets_received: Packets received in all.
        frames_decoded: Frames decoded in all.
        payload_types: The payload types seen.
    """

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        codec: str | None = None,
        keep: int = 500,
    ) -> None:
        self.host = _loopback(host)
        self._bind_port = port
        self._codec = codec
        self._params: RTCRtpCodecParameters | None = None
        if codec is not None:
            self._params = codec_parameters(codec, 0)
        self._decoder: Any = None
        self._pending: list[bytes] = []
        self._transport: asyncio.DatagramTransport | None = None
        self.packets: collections.deque[RtpPacket] = collections.deque(maxlen=keep)
        self.frames: collections.deque[Any] = collections.deque(maxlen=keep)
        self.packets_received = 0
        self.frames_decoded = 0
        self.payload_types: set[int] = set()
        self._waiters = _Waiters()

    @property
    def port(self) -> int:
        """The bound port.

        Raises:
            RuntimeError: Not started.
        """
        port: int = self._require_transport().get_extra_info("sockname")[1]
        return port

    def _require_transport(self) -> asyncio.DatagramTransport:
        if self._transport is None:
            raise RuntimeError("the RtpReceiver is not started")
        return self._transport

    async def start(self) -> None:
        """Bind the port and start receiving (idempotent)."""
        if self._transport is not None:
            return
        if self._params is not None:
            self._decoder = get_decoder(self._params)
        loop = asyncio.get_running_loop()
        transport, _ = await loop.create_datagram_endpoint(
            lambda: _Protocol(self._received), local_addr=(self.host, self._bind_port)
        )
        self._transport = transport

    async def stop(self) -> None:
        """Close the socket. Idempotent."""
        if self._transport is not None:
            self._transport.close()
            self._transport = None

    def reset(self) -> None:
        """Forget the packets and frames kept so far (the counters go on)."""
        self.packets.clear()
        self.frames.clear()

    async def wait_packets(self, count: int, *, timeout: float = 10.0) -> None:
        """Wait until ``count`` packets in all were received.

        Raises:
            TimeoutError: Not in time.
        """
        await self._waiters.wait(
            lambda: self.packets_received >= count, timeout, f"{count} RTP packets"
        )

    async def wait_frames(self, count: int, *, timeout: float = 10.0) -> None:
        """Wait until ``count`` frames in all were decoded.

        Raises:
            TimeoutError: Not in time.
        """
        await self._waiters.wait(
            lambda: self.frames_decoded >= count, timeout, f"{count} decoded frames"
        )

    def _received(self, data: bytes) -> None:
        try:
            packet = RtpPacket.parse(data)
        except ValueError:
            return  # RTCP or garbage on the port
        if 72 <= packet.payload_type <= 76:
            return  # RTCP sent to the RTP port (payload types 200-204 seen as 72-76)
        self.packets_received += 1
        self.packets.append(packet)
        self.payload_types.add(packet.payload_type)
        if self._decoder is not None and self._params is not None:
            self._decode(packet, self._params)
        self._waiters.notify()

    def _decode(self, packet: RtpPacket, params: RTCRtpCodecParameters) -> None:
        try:
            data = depayload(params, packet.payload)
        except Exception:
            return
        video = params.mimeType.lower().startswith("video/")
        if video:
            self._pending.append(data)
            if not packet.marker:
                return
            data, self._pending = b"".join(self._pending), []
        try:
            frames = self._decoder.decode(JitterFrame(data=data, timestamp=packet.timestamp))
        except Exception:  # a frame that cannot be decoded (no keyframe yet) is skipped
            return
        for frame in frames:
            self.frames.append(frame)
            self.frames_decoded += 1


def mono_samples(frames: Iterable[Any]) -> array.array[int]:
    """Return the first channel of decoded audio frames as signed 16-bit samples.

    Args:
        frames: ``av.AudioFrame`` objects in packed ``s16`` format (what aiortc's decoders
            and remote tracks give), mono or interleaved stereo.
    """
    samples: array.array[int] = array.array("h")
    for frame in frames:
        data = array.array(
            "h", bytes(frame.planes[0])[: frame.samples * 2 * len(frame.layout.channels)]
        )
        channels = len(frame.layout.channels)
        samples.extend(data[::channels] if channels > 1 else data)
    return samples


def tone_strength(samples: Sequence[int], sample_rate: int, frequency: float) -> float:
    """The share of the signal's energy at ``frequency`` (a Goertzel filter): 0 to about 1.

    A pure tone at ``frequency`` gives about 1, a mix of two equally loud tones about 0.5
    each, silence or other frequencies about 0.

    Args:
        samples: Audio samples (one channel).
        sample_rate: Their sample rate.
        frequency: The frequency to measure, in Hz.
    """
    count = len(samples)
    energy = math.fsum(float(x) * x for x in samples)
    if count == 0 or energy == 0:
        return 0.0
    coefficient = 2 * math.cos(2 * math.pi * frequency / sample_rate)
    previous = before = 0.0
    for x in samples:
        previous, before = x + coefficient * previous - before, previous
    power = previous * previous + before * before - coefficient * previous * before
    return power / (count / 2 * energy)


def write_opus_tone(
    path: str | Path, *, frequency: float = 440.0, seconds: float = 2.0, amplitude: float = 0.3
) -> Path:
    """Write an Ogg Opus file (48 kHz, mono) of a sine tone, as Janus plays them.

    For the Streaming plugin's file mountpoints and the AudioBridge's ``play_file``.

    Args:
        path: The file to write (``.opus``).
        frequency: The tone, in Hz.
        seconds: Its length.
        amplitude: Its peak level, 0 to 1.

    Returns:
        The path written.
    """
    if not 0 < amplitude <= 1 or seconds <= 0 or frequency <= 0:
        raise ValueError("frequency and seconds must be positive, amplitude in (0, 1]")
    rate, step = 48000, 960
    peak = int(32767 * amplitude)
    target = Path(path)
    with av.open(str(target), "w", format="ogg") as container:
        stream: Any = container.add_stream("libopus", rate=rate)
        stream.layout = "mono"
        for start in range(0, int(seconds * rate), step):
            samples = array.array(
                "h",
                (
                    int(peak * math.sin(2 * math.pi * frequency * n / rate))
                    for n in range(start, start + step)
                ),
            )
            frame = av.AudioFrame(format="s16", layout="mono", samples=step)
            frame.planes[0].update(samples.tobytes())
            frame.sample_rate = rate
            frame.pts = start
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return target
