"""Helpers of the janus-videocall tests: parties of a call, unique names, call set-up."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from janus_videocall import VideoCallHandle
from janus_webrtc.media import FrameCounter, TestPatternVideoTrack, ToneAudioTrack

RUN = uuid.uuid4().hex[:6]
"""Usernames are global in the plugin: every name of this test run carries this tag."""


def unique(prefix: str) -> str:
    """A username no other test (or test run against the same server) uses."""
    return f"{prefix}-{RUN}-{uuid.uuid4().hex[:6]}"


@dataclass
class Party:
    """One side of a call: a registered handle and what it received."""

    handle: VideoCallHandle
    name: str
    counter: FrameCounter = field(default_factory=FrameCounter)

    def listen(self) -> FrameCounter:
        """Count what the next call brings (sinks end with each call)."""
        self.counter = FrameCounter()
        self.handle.record_to(self.counter)
        return self.counter

    def media(self, *, video: bool = True) -> list[ToneAudioTrack | TestPatternVideoTrack]:
        """Local tracks to add: a tone, and a 160x120 test pattern unless ``video=False``.

        None when the handle has tracks already (they are kept from call to call).
        """
        if self.handle.local_tracks:
            return []
        tracks: list[ToneAudioTrack | TestPatternVideoTrack] = [ToneAudioTrack()]
        if video:
            tracks.append(TestPatternVideoTrack(width=160, height=120))
        return tracks


PartyFactory = Callable[..., Awaitable[Party]]


async def connect_call(caller: Party, callee: Party, *, video: bool = True) -> None:
    """Make a call from ``caller`` to ``callee``, accept it, and wait for both connections."""
    calling = await caller.handle.call(callee.name, *caller.media(video=video))
    assert calling.plugin == "janus.plugin.videocall"
    incoming = await callee.handle.wait_incoming_call(timeout=10)
    assert incoming.username == caller.name
    await callee.handle.accept(*callee.media(video=video))
    accepted = await caller.handle.wait_accepted(timeout=10)
    assert accepted.username == callee.name
    await caller.handle.wait_connected(timeout=10)
    await callee.handle.wait_connected(timeout=10)


async def media_flows(*parties: Party, audio: int = 25, video: int = 15) -> None:
    """Each party decodes at least ``audio`` audio and ``video`` 160x120 video frames."""
    for each in parties:
        await each.counter.wait_frames("audio", audio, timeout=10)
        if video:
            figures = await each.counter.wait_frames("video", video, timeout=10)
            assert (figures.width, figures.height) == (160, 120)
