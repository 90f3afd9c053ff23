r"""A one-to-one call through Janus's VideoCall plugin: start a callee, then a caller.

Each side registers a name, sends a file (``--play``) or a generated test pattern and tone,
and records what it receives (``--record``; the format follows the extension: ``.mp4``,
``.mkv``, ``.webm``...)::

    python examples/call.py callee --name bob --record bob-received.mp4
    python examples/call.py caller --name alice --peer bob --play clip.mp4 \\
        --record alice-received.mp4 --seconds 10

The caller hangs up after ``--seconds``; the callee stays until the caller hangs up (or
``--seconds`` pass). ICE uses host candidates only (no STUN server is contacted), which fits
a LAN; on one machine, pass ``--ice-address`` with the address Janus gathers on (see
``janus_webrtc.testing``).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
from typing import Any

from aiortc import MediaStreamTrack, RTCConfiguration
from aiortc.contrib.media import MediaRecorder

import janus_webrtc
from janus_videocall import CallState, VideoCallHandle
from janus_webrtc.media import TestPatternVideoTrack, ToneAudioTrack


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=("caller", "callee"), help="call, or wait for a call")
    parser.add_argument("--url", default="ws://127.0.0.1:8188", help="Janus API URL (ws/http)")
    parser.add_argument("--name", required=True, help="the username to register")
    parser.add_argument("--peer", help="whom to call (caller)")
    parser.add_argument("--play", help="a media file to send (default: a test pattern and tone)")
    parser.add_argument("--record", help="a file to record what is received into")
    parser.add_argument("--seconds", type=float, default=10.0, help="how long the call lasts")
    parser.add_argument(
        "--wait", type=float, default=30.0, help="seconds to wait for the other side"
    )
    parser.add_argument("--ice-address", help="gather ICE candidates on this address only")
    args = parser.parse_args(argv)
    if args.mode == "caller" and not args.peer:
        parser.error("the caller needs --peer")
    return args


class _AfterVideo(MediaStreamTrack):
    """An audio track that drops its frames until the first video frame was recorded."""

    kind = "audio"

    def __init__(self, source: MediaStreamTrack, video_started: asyncio.Event) -> None:
        super().__init__()
        self.source = source
        self.video_started = video_started

    async def recv(self) -> Any:
        frame = await self.source.recv()
        while not self.video_started.is_set():
            frame = await self.source.recv()
        return frame


class _FirstVideo(MediaStreamTrack):
    """A video track that says when its first frame is handed over."""

    kind = "video"

    def __init__(self, source: MediaStreamTrack, video_started: asyncio.Event) -> None:
        super().__init__()
        self.source = source
        self.video_started = video_started

    async def recv(self) -> Any:
        frame = await self.source.recv()
        self.video_started.set()
        return frame


class CallRecorder:
    """Record what the other side sends into one file (a ``record_to()`` sink).

    aiortc's ``MediaRecorder`` writes the file header when the first packet of any stream is
    ready; if audio comes first, the video stream is not set up yet and its frames are lost.
    So the audio starts with the first video frame (when the call has video).
    """

    def __init__(self, path: str) -> None:
        self.recorder = MediaRecorder(path)
        self.video_started = asyncio.Event()
        self.has_video = False

    def addTrack(self, track: MediaStreamTrack) -> None:
        """Record a remote track."""
        if track.kind == "video":
            self.has_video = True
            self.recorder.addTrack(_FirstVideo(track, self.video_started))
        else:
            self.recorder.addTrack(_AfterVideo(track, self.video_started))

    async def start(self) -> None:
        """Start recording the tracks added."""
        if not self.has_video:
            self.video_started.set()
        await self.recorder.start()

    async def stop(self) -> None:
        """Stop recording and close the file."""
        await self.recorder.stop()


def add_media(handle: VideoCallHandle, play: str | None) -> None:
    """Send a file, or a 160x120 test pattern and a tone."""
    if play:
        from aiortc.contrib.media import MediaPlayer

        handle.add_player(MediaPlayer(play, loop=True))
    else:
        handle.add_track(ToneAudioTrack())
        handle.add_track(TestPatternVideoTrack(width=160, height=120))


async def place_call(handle: VideoCallHandle, peer: str, wait: float) -> None:
    """Wait until ``peer`` has registered, call it, and wait until it accepts."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + wait
    while peer not in await handle.list():  # the callee has not registered yet
        if loop.time() > deadline:
            raise TimeoutError(f"{peer} did not register within {wait} s")
        await asyncio.sleep(0.2)
    await handle.call(peer)
    print(f"calling {peer}...", flush=True)
    await handle.wait_accepted(timeout=wait)


async def take_call(handle: VideoCallHandle, wait: float) -> None:
    """Wait for a call and accept it."""
    incoming = await handle.wait_incoming_call(timeout=wait)
    print(f"{incoming.username} is calling", flush=True)
    await handle.accept()


async def stay_in_call(handle: VideoCallHandle, seconds: float) -> Any:
    """Stay until ``seconds`` pass or the other side hangs up; return the last statistics."""
    loop = asyncio.get_running_loop()
    end = loop.time() + seconds
    stats = None
    while handle.call_state is CallState.IN_CALL and loop.time() < end:
        with contextlib.suppress(janus_webrtc.StateError):
            stats = await handle.stats()
        await asyncio.sleep(min(0.5, max(0.0, end - loop.time())))
    return stats


async def run(args: argparse.Namespace) -> None:
    """Register, make or take the call, stream and record, and hang up."""
    async with (
        janus_webrtc.connect(args.url) as connection,
        await connection.create_session() as session,
    ):
        handle = await session.attach(VideoCallHandle)
        async with handle:
            handle.configure_rtc(RTCConfiguration(iceServers=[]))
            await handle.register(args.name)
            print(f"registered as {args.name}", flush=True)
            add_media(handle, args.play)
            if args.record:
                # Sinks end with the call: a handle that makes several calls adds them again.
                handle.record_to(CallRecorder(args.record))
            else:
                handle.blackhole()
            if args.mode == "caller":
                await place_call(handle, args.peer, args.wait)
            else:
                await take_call(handle, args.wait)
            await handle.wait_connected(timeout=args.wait)
            print(f"in a call with {handle.peer}", flush=True)
            stats = await stay_in_call(handle, args.seconds)
            if handle.call_state is CallState.IN_CALL:
                await handle.hangup(reason=f"{args.name} is done")
                print("hung up", flush=True)
            else:
                ended = await handle.wait_hangup()
                reason = ended.reason if ended is not None else "?"
                print(f"the call ended: {reason}", flush=True)
            if stats is not None:
                for stream in stats.inbound():
                    print(f"received {stream.kind}: {stream.packets} packets", flush=True)
            if args.record:
                print(f"recorded to {args.record}", flush=True)


def main(argv: list[str] | None = None) -> int:
    """Run the example; return the exit status."""
    args = parse_args(argv)
    restriction: contextlib.AbstractContextManager[Any] = contextlib.nullcontext()
    if args.ice_address:
        from janus_webrtc.testing import restrict_aioice_to

        restriction = restrict_aioice_to(args.ice_address)
    with restriction:
        try:
            asyncio.run(run(args))
        except (janus_webrtc.JanusError, TimeoutError) as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        except KeyboardInterrupt:
            return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
