"""A bot that joins an AudioBridge room, plays a prompt into it, and says what it heard.

Usage::

    python examples/prompt_bot.py ws://127.0.0.1:8188 --room 1234 --prompt hello.opus
    python examples/prompt_bot.py http://127.0.0.1:8088/janus --create

The bot joins (sending silence, so that it hears the room's mix), plays the Ogg Opus file
``--prompt`` into the room with ``play_file`` (without one: a 2-second 660 Hz tone it writes
itself), waits for the end of the announcement, prints how strongly it heard the prompt's
tone, and leaves. The prompt file must be readable by Janus: the example is for a Janus on the
same machine. ICE uses host candidates only (no STUN server); ``--ice-address`` restricts them
to one local address, as the test suite does.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from aiortc import RTCConfiguration

import janus_webrtc
from janus_audiobridge import AnnouncementStarted, AnnouncementStopped, AudioBridgeHandle
from janus_webrtc.media import FrameCounter, ToneAudioTrack
from janus_webrtc.testing.rtp import mono_samples, tone_strength, write_opus_tone

TONE = 660.0


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", help="Janus API URL (ws://... or http://.../janus)")
    parser.add_argument("--room", type=int, help="the room to join")
    parser.add_argument("--create", action="store_true", help="create the room first")
    parser.add_argument("--pin", help="the room's pin, if it has one")
    parser.add_argument("--secret", help="the room's secret, if it has one")
    parser.add_argument("--prompt", help="an Ogg Opus file to play (default: a tone)")
    parser.add_argument("--ice-address", help="gather ICE candidates on this address only")
    args = parser.parse_args(argv)
    if args.room is None and not args.create:
        parser.error("give --room, or --create to make a new room")
    return args


def keeper(heard: list[object]) -> Callable[[str, object], None]:
    """A FrameCounter callback keeping the last second of what the bot hears."""

    def keep(kind: str, frame: object) -> None:
        heard.append(frame)
        del heard[:-50]

    return keep


async def run_bot(args: argparse.Namespace, prompt: Path) -> None:
    """Join, play the prompt, measure what came back, leave."""
    async with (
        janus_webrtc.connect(args.url) as connection,
        await connection.create_session() as session,
    ):
        bot = await session.attach(AudioBridgeHandle)
        bot.configure_rtc(RTCConfiguration(iceServers=[]))
        async with bot:
            room = args.room
            if args.create:
                room = (await bot.create_room(room, sampling_rate=48000, pin=args.pin)).room
                print(f"created room {room}", flush=True)
            heard: list[object] = []
            bot.record_to(FrameCounter(on_frame=keeper(heard)), kinds=("audio",))
            bot.add_track(ToneAudioTrack(amplitude=0.0))  # silence: the bot only listens
            joined = await bot.join(room, display="prompt-bot", pin=args.pin)
            await bot.wait_connected(timeout=15)
            print(f"joined room {room} as {joined.id}", flush=True)
            started = bot.wait_for(AnnouncementStarted, timeout=10)
            stopped = bot.wait_for(AnnouncementStopped, timeout=60)
            file_id = await bot.play_file(room, str(prompt), secret=args.secret)
            await started
            print(f"playing {prompt.name} as {file_id}", flush=True)
            while await bot.is_playing(room, file_id, secret=args.secret):
                level = tone_strength(mono_samples(heard), 48000, TONE) if heard else 0.0
                print(f"  {TONE:g} Hz in what the bot hears: {level:.2f}", flush=True)
                await asyncio.sleep(0.5)
            await stopped
            print("announcement over", flush=True)
            await bot.leave()
            if args.create:
                await bot.destroy_room(room)
            print("left", flush=True)


def main(argv: list[str] | None = None) -> int:
    """Run the example; return the exit status."""
    args = parse_args(argv)
    restriction = contextlib.nullcontext()
    if args.ice_address:
        from janus_webrtc.testing import restrict_aioice_to

        restriction = restrict_aioice_to(args.ice_address)  # type: ignore[assignment]
    with tempfile.TemporaryDirectory() as folder, restriction:
        prompt = (
            Path(args.prompt)
            if args.prompt
            else write_opus_tone(Path(folder) / "prompt.opus", frequency=TONE, seconds=2.0)
        )
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(run_bot(args, prompt))
    return 0


if __name__ == "__main__":
    sys.exit(main())
