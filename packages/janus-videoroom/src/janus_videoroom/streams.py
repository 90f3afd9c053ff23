"""What requests say about streams: frozen descriptions turned into the plugin's JSON.

Each class matches one kind of entry of a ``streams`` (or ``subscribe``/``unsubscribe``)
array of the VideoRoom API. Fields left at ``None`` are not sent, so Janus applies its
defaults.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, Literal

__all__ = [
    "ForwardStream",
    "ParticipantId",
    "PublisherStreamConfig",
    "RemoteStream",
    "RoomId",
    "StreamDescription",
    "SubscribeStream",
    "SubscriberStreamConfig",
    "SwitchStream",
    "UnsubscribeStream",
]

RoomId = int | str
"""A room id: an integer, or a string when the plugin runs with ``string_ids``."""

ParticipantId = int | str
"""A participant (publisher) id: an integer, or a string with ``string_ids``."""


def _wire(value: Any) -> dict[str, Any]:
    """The fields of a dataclass that are not None, under their own names."""
    return {
        f.name: getattr(value, f.name) for f in fields(value) if getattr(value, f.name) is not None
    }


@dataclass(frozen=True, slots=True)
class SubscribeStream:
    """One stream (or all streams of a publisher) to subscribe to.

    Attributes:
        feed: The publisher's id.
        mid: The publisher's stream to receive; ``None`` subscribes to all its streams.
        crossrefid: An id of yours, echoed in the subscription's stream list.
        send: Whether Janus relays it at first (default True).
        substream: Simulcast substream to receive (0-2).
        temporal: Simulcast temporal layer to receive (0-2).
        fallback: Microseconds without packets before dropping to a lower substream.
        spatial_layer: VP9-SVC spatial layer to receive.
        temporal_layer: VP9-SVC temporal layer to receive.
        min_delay: Playout-delay minimum, in 10 ms units.
        max_delay: Playout-delay maximum, in 10 ms units.
    """

    feed: ParticipantId
    mid: str | None = None
    crossrefid: str | None = None
    send: bool | None = None
    substream: int | None = None
    temporal: int | None = None
    fallback: int | None = None
    spatial_layer: int | None = None
    temporal_layer: int | None = None
    min_delay: int | None = None
    max_delay: int | None = None

    def to_wire(self) -> dict[str, Any]:
        """Return the entry as the plugin expects it."""
        return _wire(self)


@dataclass(frozen=True, slots=True)
class UnsubscribeStream:
    """Streams to remove from a subscription: by publisher, publisher stream, or own mid.

    Attributes:
        feed: Remove every stream coming from this publisher (with ``mid``: from that
            stream of it).
        mid: The publisher's stream (with ``feed``).
        sub_mid: Remove the subscription's own m-line with this mid.
    """

    feed: ParticipantId | None = None
    mid: str | None = None
    sub_mid: str | None = None

    def __post_init__(self) -> None:
        if self.feed is None and self.sub_mid is None:
            raise ValueError("UnsubscribeStream needs a feed or a sub_mid")

    def to_wire(self) -> dict[str, Any]:
        """Return the entry as the plugin expects it."""
        return _wire(self)


@dataclass(frozen=True, slots=True)
class SwitchStream:
    """Feed one m-line of a subscription from another publisher's stream (``switch``).

    Attributes:
        feed: The new source publisher.
        mid: The new source publisher's stream.
        sub_mid: The subscription m-line to feed from it.
    """

    feed: ParticipantId
    mid: str
    sub_mid: str

    def to_wire(self) -> dict[str, Any]:
        """Return the entry as the plugin expects it."""
        return _wire(self)


@dataclass(frozen=True, slots=True)
class SubscriberStreamConfig:
    """Changes to one m-line of a subscription (subscriber ``configure``).

    Attributes:
        mid: The subscription's m-line.
        send: Relay (True) or stop relaying (False) this stream.
        substream: Simulcast substream to receive (0-2).
        temporal: Simulcast temporal layer to receive (0-2).
        fallback: Microseconds without packets before dropping to a lower substream.
        spatial_layer: VP9-SVC spatial layer to receive.
        temporal_layer: VP9-SVC temporal layer to receive.
        audio_level_average: Override the room's talk-detection average.
        audio_active_packets: Override the room's talk-detection packet count.
        min_delay: Playout-delay minimum, in 10 ms units.
        max_delay: Playout-delay maximum, in 10 ms units.
    """

    mid: str
    send: bool | None = None
    substream: int | None = None
    temporal: int | None = None
    fallback: int | None = None
    spatial_layer: int | None = None
    temporal_layer: int | None = None
    audio_level_average: int | None = None
    audio_active_packets: int | None = None
    min_delay: int | None = None
    max_delay: int | None = None

    def to_wire(self) -> dict[str, Any]:
        """Return the entry as the plugin expects it."""
        return _wire(self)


@dataclass(frozen=True, slots=True)
class PublisherStreamConfig:
    """Changes to one published stream (publisher ``configure``).

    Attributes:
        mid: The published m-line.
        send: Relay (True) or stop relaying (False) it to subscribers.
        keyframe: Ask the publisher for a keyframe on this stream.
        min_delay: Playout-delay minimum, in 10 ms units.
        max_delay: Playout-delay maximum, in 10 ms units.
    """

    mid: str
    send: bool | None = None
    keyframe: bool | None = None
    min_delay: int | None = None
    max_delay: int | None = None

    def to_wire(self) -> dict[str, Any]:
        """Return the entry as the plugin expects it."""
        return _wire(self)


@dataclass(frozen=True, slots=True)
class StreamDescription:
    """A text description of one published stream (``descriptions``).

    Attributes:
        mid: The published m-line.
        description: Its description, such as ``"front camera"``.
    """

    mid: str
    description: str

    def to_wire(self) -> dict[str, Any]:
        """Return the entry as the plugin expects it."""
        return _wire(self)


@dataclass(frozen=True, slots=True)
class ForwardStream:
    """One published stream to forward over plain (or SRTP) RTP (``rtp_forward``).

    Attributes:
        mid: The publisher's stream.
        port: The UDP port to send to.
        host: The address to send to (default: the request's ``host``).
        host_family: ``"ipv4"`` or ``"ipv6"``, to resolve ``host``.
        rtcp_port: A port of the recipient's to get RTCP feedback from.
        ssrc: The SSRC to send with.
        pt: The payload type to send with.
        simulcast: Forward a simulcast stream as one (like a viewer) instead of per layer.
        srtp_suite: SRTP authentication tag length (32 or 80).
        srtp_crypto: SRTP key, base64 (never shown by ``repr``).
        port_2: Port of the second simulcast substream.
        ssrc_2: SSRC of the second simulcast substream.
        pt_2: Payload type of the second simulcast substream.
        port_3: Port of the third simulcast substream.
        ssrc_3: SSRC of the third simulcast substream.
        pt_3: Payload type of the third simulcast substream.
    """

    mid: str
    port: int
    host: str | None = None
    host_family: Literal["ipv4", "ipv6"] | None = None
    rtcp_port: int | None = None
    ssrc: int | None = None
    pt: int | None = None
    simulcast: bool | None = None
    srtp_suite: int | None = None
    srtp_crypto: str | None = field(default=None, repr=False)
    port_2: int | None = None
    ssrc_2: int | None = None
    pt_2: int | None = None
    port_3: int | None = None
    ssrc_3: int | None = None
    pt_3: int | None = None

    def to_wire(self) -> dict[str, Any]:
        """Return the entry as the plugin expects it."""
        return _wire(self)


@dataclass(frozen=True, slots=True)
class RemoteStream:
    """One stream of a remote publisher (``add_remote_publisher``/``update_...``).

    The remote Janus sends each stream with SSRC ``base + mindex * step``, as
    ``publish_remotely`` does, so ``mindex`` must match the source's m-line index.

    Attributes:
        mid: The stream's mid. Janus 1.1.2 names new streams by position instead (``"0"``,
            ``"1"``...), and ``update_remote_publisher`` finds existing streams by mid: to
            update one, give its positional mid.
        mindex: Its m-line index at the source.
        type: ``"audio"``, ``"video"`` or ``"data"``.
        codec: Its codec (required for audio and video), such as ``"opus"`` or ``"vp8"``.
        description: A text description.
        disabled: Whether the stream is disabled (``update_remote_publisher``).
        stereo: Opus stereo.
        fec: Opus in-band FEC.
        dtx: Opus DTX.
        h264_profile: H.264 profile (Janus 1.1.2 validates it as a boolean: avoid).
        vp9_profile: VP9 profile (Janus 1.1.2 validates it as a boolean: avoid).
        simulcast: Whether the stream is simulcast.
        svc: Whether the stream is VP9-SVC.
        audiolevel_ext_id: The extension id of audio levels in the packets.
        videoorient_ext_id: The extension id of video orientation in the packets.
        playoutdelay_ext_id: The extension id of playout delay in the packets.
    """

    mid: str
    mindex: int
    type: Literal["audio", "video", "data"]
    codec: str | None = None
    description: str | None = None
    disabled: bool | None = None
    stereo: bool | None = None
    fec: bool | None = None
    dtx: bool | None = None
    h264_profile: str | None = None
    vp9_profile: str | None = None
    simulcast: bool | None = None
    svc: bool | None = None
    audiolevel_ext_id: int | None = None
    videoorient_ext_id: int | None = None
    playoutdelay_ext_id: int | None = None

    def to_wire(self) -> dict[str, Any]:
        """Return the entry as the plugin expects it."""
        return _wire(self)
