"""The state of one call: one peer connection with Janus, from its first use to its close.

A :class:`Call` is made for the next peer connection as soon as the last one is closed, holds
everything that belongs to it (the peer connection itself, Janus's candidates, the remote
tracks, the sinks and data channels of the call, how local tracks are sent, what Janus said
of it), and is dropped whole when it ends: nothing of a call is reset field by field (private).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..messages import Candidate, Event
from ..webrtc_channels import DataChannel
from ..webrtc_events import ConnectionStateChanged, RemoteTrack, RemoteTrackEnded
from ..webrtc_sdp import candidate_address
from ._peer import close_shielded

if TYPE_CHECKING:
    from aiortc import MediaStreamTrack, RTCPeerConnection

    from ._local import LocalTrack, Sender
    from .sink import _SinkEntry

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())


@dataclass(eq=False, slots=True)
class Call:
    """Everything of one peer connection with Janus; a new one replaces it when it closes.

    Attributes:
        pc: The peer connection, once created.
        senders: How each local track is sent on ``pc``.
        remote_description_set: Whether Janus's description was applied (candidates wait
            in ``pending_candidates`` until then).
        pending_candidates: Candidates Janus trickled before its description was applied.
        remote_candidates: Janus's candidates (from SDP and trickle), in order.
        webrtc_up: Whether Janus said ``webrtcup``.
        janus_hung_up: Whether Janus said ``hangup`` (the call closes next).
        media: What Janus said it receives, by ``(kind, mid)``.
        channels: The first data channel of each label.
        all_channels: Every data channel, to release at the end.
        sinks: The sinks fed by this call's remote tracks.
        remote: The remote tracks, by track.
    """

    pc: RTCPeerConnection | None = None
    senders: dict[LocalTrack, Sender] = field(default_factory=dict)
    remote_description_set: bool = False
    pending_candidates: list[Candidate | None] = field(default_factory=list)
    remote_candidates: list[str] = field(default_factory=list)
    webrtc_up: bool = False
    janus_hung_up: bool = False
    media: dict[tuple[str, str | None], bool] = field(default_factory=dict)
    channels: dict[str, DataChannel] = field(default_factory=dict)
    all_channels: list[DataChannel] = field(default_factory=list)
    sinks: list[_SinkEntry[Any]] = field(default_factory=list)
    remote: dict[MediaStreamTrack, RemoteTrack] = field(default_factory=dict)

    def note_candidate(self, candidate: str) -> None:
        """Remember one of Janus's candidates (once)."""
        if candidate not in self.remote_candidates:
            self.remote_candidates.append(candidate)

    @property
    def remote_addresses(self) -> frozenset[str]:
        """The addresses of Janus's candidates."""
        addresses = (candidate_address(c) for c in self.remote_candidates)
        return frozenset(a for a in addresses if a is not None)

    def receiving(self, kind: str | None, mid: str | None) -> bool | None:
        """Whether Janus receives media of ``kind``/``mid`` (None: it said nothing yet)."""
        if self.janus_hung_up:
            return None
        states = [r for (k, m), r in self.media.items() if kind in (None, k) and mid in (None, m)]
        return any(states) if states else None

    def add_channel(self, rtc: Any, publish: Callable[[Event], None]) -> DataChannel:
        """Wrap an aiortc data channel; the first of a label keeps the label."""
        channel = DataChannel(rtc, publish)
        self.all_channels.append(channel)
        # Janus may open one of the same label too: the first one keeps it.
        self.channels.setdefault(channel.label, channel)
        return channel

    def add_remote_track(self, track: MediaStreamTrack, publish: Callable[[Event], None]) -> None:
        """Take a remote track: feed the sinks of its kind, publish it and its end."""
        pc = self.pc
        transceivers = pc.getTransceivers() if pc is not None else []
        mid = next((t.mid for t in transceivers if t.receiver.track is track), None)
        event = RemoteTrack(kind=track.kind, mid=mid, track=track)
        self.remote[track] = event

        def ended() -> None:
            if self.remote.pop(track, None) is not None:
                publish(RemoteTrackEnded(track.kind, mid))

        track.on("ended", ended)
        for entry in self.sinks:
            if track.kind in entry.kinds:
                entry.add(event)
        publish(event)

    async def release(
        self, reason: str, publish: Callable[[Event], None], *, handle_id: int
    ) -> None:
        """End the call: stop its sinks, close the peer connection, end tracks and channels.

        Even when interrupted, nothing of the call stays usable: its tracks are stopped and
        its channels released. Call it once, after the handle has taken a new call.
        """
        # Taken out first: tracks that end now are this method's to report, not their own.
        remote, self.remote = list(self.remote.items()), {}
        for sender in self.senders.values():
            sender.track.stop()
        try:
            for entry in self.sinks:
                try:
                    await entry.sink.stop()
                except Exception:
                    logger.exception("handle %d: stopping a media sink failed", handle_id)
            if self.pc is not None:
                logger.debug("handle %d: closing the peer connection (%s)", handle_id, reason)
                await close_shielded(self.pc)
        finally:
            for track, event in remote:
                track.stop()
                publish(RemoteTrackEnded(event.kind, event.mid))
            for channel in self.all_channels:
                channel._release()
            if self.pc is not None:
                publish(ConnectionStateChanged("closed"))
