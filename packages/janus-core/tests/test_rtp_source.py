"""The kit's plain-RTP source and receiver (janus_webrtc.testing.rtp), on loopback."""

from __future__ import annotations

import array
import math
from pathlib import Path

import av
import pytest

from janus_webrtc.media import TestPatternVideoTrack, ToneAudioTrack, read_frame_number
from janus_webrtc.testing.rtp import (
    RtpReceiver,
    RtpSource,
    codec_parameters,
    mono_samples,
    tone_strength,
    write_opus_tone,
)


def sine(frequency: float, rate: int = 48000, seconds: float = 0.2) -> array.array[int]:
    return array.array(
        "h",
        (
            int(8000 * math.sin(2 * math.pi * frequency * n / rate))
            for n in range(int(rate * seconds))
        ),
    )


def test_tone_strength_tells_tones_apart() -> None:
    a, b = sine(440), sine(880)
    assert tone_strength(a, 48000, 440) > 0.9
    assert tone_strength(a, 48000, 880) < 0.05
    mix = array.array("h", (x // 2 + y // 2 for x, y in zip(a, b, strict=True)))
    assert 0.35 < tone_strength(mix, 48000, 440) < 0.65
    assert 0.35 < tone_strength(mix, 48000, 880) < 0.65
    assert tone_strength(array.array("h", [0] * 100), 48000, 440) == 0.0
    assert tone_strength([], 48000, 440) == 0.0


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(ValueError, match="loopback"):
        RtpSource(ToneAudioTrack(), host="192.0.2.1", port=5000, payload_type=111)
    with pytest.raises(ValueError, match="not an IP address"):
        RtpReceiver(host="localhost")
    with pytest.raises(ValueError, match="unknown codec"):
        RtpSource(ToneAudioTrack(), port=5000, payload_type=111, codec="speex")
    with pytest.raises(ValueError, match="cannot carry"):
        RtpSource(ToneAudioTrack(), port=5000, payload_type=100, codec="vp8")
    with pytest.raises(ValueError, match="0-127"):
        codec_parameters("opus", 128)
    with pytest.raises(ValueError, match="UDP port"):
        RtpSource(ToneAudioTrack(), port=0, payload_type=111)
    with pytest.raises(RuntimeError, match="not started"):
        _ = RtpReceiver().port


async def test_opus_tone_arrives_as_decodable_rtp() -> None:
    async with RtpReceiver(codec="opus") as receiver:
        track = ToneAudioTrack(frequency=880)
        async with RtpSource(track, port=receiver.port, payload_type=111, ssrc=1234) as source:
            assert source.codec == "opus" and source.payload_type == 111
            await receiver.wait_frames(25)
        track.stop()
    assert not source.running
    assert receiver.payload_types == {111}
    packet = receiver.packets[-1]
    assert packet.ssrc == 1234 and packet.payload_type == 111
    # Consecutive sequence numbers, 20 ms (960 ticks at 48 kHz) apart.
    first, second = receiver.packets[1], receiver.packets[2]
    assert (second.sequence_number - first.sequence_number) % 65536 == 1
    assert (second.timestamp - first.timestamp) % 2**32 == 960
    samples = mono_samples(list(receiver.frames)[5:])
    assert tone_strength(samples, 48000, 880) > 0.8
    assert tone_strength(samples, 48000, 440) < 0.05


async def test_vp8_pattern_arrives_as_decodable_frames() -> None:
    async with RtpReceiver(codec="vp8") as receiver:
        track = TestPatternVideoTrack(width=160, height=120)
        async with RtpSource(track, port=receiver.port, payload_type=100) as source:
            await receiver.wait_frames(10)
        track.stop()
    assert source.frames_sent >= 10 and source.packets_sent >= source.frames_sent
    assert any(p.marker for p in receiver.packets)  # the last packet of each frame
    frame = receiver.frames[-1]
    assert (frame.width, frame.height) == (160, 120)
    numbers = [read_frame_number(f) for f in receiver.frames]
    assert None not in numbers
    assert numbers == sorted(numbers)


async def test_stop_is_idempotent_and_a_receiver_without_codec_only_counts() -> None:
    async with RtpReceiver() as receiver:
        source = RtpSource(ToneAudioTrack(), port=receiver.port, payload_type=0, codec="opus")
        await source.start()
        await source.start()
        await receiver.wait_packets(5)
        await source.stop()
        await source.stop()
        assert receiver.frames_decoded == 0 and receiver.packets_received >= 5
        receiver.reset()
        assert not receiver.packets
    await receiver.stop()


def test_opus_tone_file_is_ogg_opus_of_the_tone(tmp_path: Path) -> None:
    path = write_opus_tone(tmp_path / "tone.opus", frequency=660, seconds=1.0)
    with av.open(str(path)) as container:
        (stream,) = container.streams.audio
        assert container.format.name == "ogg" and stream.codec_context.name in ("opus", "libopus")
        frames = list(container.decode(stream))
    resampler = av.AudioResampler(format="s16", layout="mono", rate=48000)
    resampled = [out for f in frames[5:] for out in resampler.resample(f)]
    samples = mono_samples(resampled)
    assert len(samples) > 30000
    assert tone_strength(samples, resampled[0].sample_rate, 660) > 0.8
    with pytest.raises(ValueError, match="amplitude"):
        write_opus_tone(tmp_path / "x.opus", amplitude=2)


async def test_symmetric_rtp_sends_from_the_receivers_port() -> None:
    async with RtpReceiver(codec="opus") as far, RtpReceiver() as near:
        track = ToneAudioTrack()
        async with RtpSource(track, port=far.port, payload_type=111, via=near) as source:
            await far.wait_frames(5)
        track.stop()
        assert source.packets_sent >= 5
        assert near.packets_received == 0  # it only lent its socket
        assert far.packets_received >= 5
    with pytest.raises(RuntimeError, match="not started"):
        await RtpSource(ToneAudioTrack(), port=5000, payload_type=111, via=RtpReceiver()).start()
