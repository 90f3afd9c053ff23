"""``janusctl videoroom record`` and ``janusctl videoroom publish``: media in and out of a room.

``record ROOM --out DIR`` subscribes to every publisher of the room (those that come later
too) and writes each one's audio and video to ``DIR/feed-<id>.<format>`` until ``--seconds``
pass or Ctrl-C; each second a line on standard error says how many feeds are being recorded
and how much is written. The files written are listed at the end.

``publish FILE --room N`` publishes a media file (anything FFmpeg reads) in the room until
the file ends (or ``--seconds`` pass, or Ctrl-C); each second a line gives the packets sent.

    janusctl videoroom record 1234 --out recordings/ --seconds 60
    janusctl videoroom publish clip.mp4 --room 1234 --loop
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from janus_webrtc.cli import Command, Context, Table, UsageError, add_url_option

from . import Kicked, Leaving, ParticipantId, Publishers, Unpublished
from .handle import VideoRoomPublisher, VideoRoomSubscriber

__all__ = ["COMMANDS"]


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--pin", help="the room's pin, if it has one")
    parser.add_argument("--seconds", type=float, help="stop after this long (default: Ctrl-C)")
    add_url_option(parser)


def _record_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("room", type=int, help="the room id")
    parser.add_argument("--out", type=Path, required=True, help="folder of the files")
    parser.add_argument("--format", choices=("mp4", "webm", "mkv"), default="mp4")
    _common(parser)


def _publish_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", help="a media file (or anything FFmpeg opens)")
    parser.add_argument("--room", type=int, required=True, help="the room id")
    parser.add_argument("--display", default="janusctl", help="display name in the room")
    parser.add_argument("--loop", action="store_true", help="play the file in a loop")
    _common(parser)


async def _until(ctx: Context, done: asyncio.Future[Any], tick: Any) -> None:
    """Call ``tick(second)`` each second until ``--seconds`` pass or ``done`` finishes."""
    deadline = None if ctx.args.seconds is None else time.monotonic() + ctx.args.seconds
    second = 0
    while True:
        left = None if deadline is None else deadline - time.monotonic()
        if left is not None and left <= 0:
            return
        finished, _ = await asyncio.wait({done}, timeout=1.0 if left is None else min(1.0, left))
        if finished:
            return
        second += 1
        await tick(second)  # the live figures, once a second


class _Recorders:
    """One aiortc ``MediaRecorder`` per publisher, fed with that publisher's tracks."""

    def __init__(self, subscriber: VideoRoomSubscriber, out: Path, suffix: str) -> None:
        self.subscriber, self.out, self.suffix = subscriber, out, suffix
        self.running: dict[ParticipantId, Any] = {}
        self.files: dict[ParticipantId, Path] = {}

    async def add_new_feeds(self, ctx: Context) -> None:
        from aiortc.contrib.media import MediaRecorder

        tracks: dict[ParticipantId, list[Any]] = defaultdict(list)
        for remote in self.subscriber.remote_tracks_now:
            feed = self.subscriber.feed_of(remote.mid)
            if feed is not None and feed not in self.running:
                tracks[feed].append(remote.track)
        for feed, feed_tracks in tracks.items():
            path = self.out / f"feed-{feed}.{self.suffix}"
            recorder = MediaRecorder(str(path))
            for track in feed_tracks:
                recorder.addTrack(track)
            await recorder.start()
            self.running[feed], self.files[feed] = recorder, path
            ctx.live(f"* recording feed {feed} ({len(feed_tracks)} tracks) to {path}")

    async def stop(self, feed: ParticipantId) -> None:
        recorder = self.running.pop(feed, None)
        if recorder is not None:
            await recorder.stop()

    def written(self) -> int:
        return sum(p.stat().st_size for p in self.files.values() if p.exists())


async def _record(ctx: Context) -> Table:
    room, out = ctx.args.room, ctx.args.out
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"--out {str(out)!r}: {exc.strerror}") from exc
    with ctx.ice():
        async with (
            ctx.connect(ctx.args.url, media=True) as connection,
            await connection.create_session() as session,
        ):
            watcher = await session.attach(VideoRoomPublisher)  # hears of publishers
            subscriber = await session.attach(VideoRoomSubscriber)
            recorders = _Recorders(subscriber, out, ctx.args.format)
            changes = watcher.subscribe(Publishers, Unpublished, Leaving, Kicked)
            joined = await watcher.join(room, display="janusctl recorder", pin=ctx.args.pin)
            subscribed: set[ParticipantId] = set()

            async def follow(feeds: list[ParticipantId]) -> None:
                new = [feed for feed in feeds if feed not in subscribed]
                if not new:
                    return
                if subscriber.room is None:
                    await subscriber.join(
                        room, streams=new, private_id=joined.private_id, pin=ctx.args.pin
                    )
                else:
                    await subscriber.subscribe_streams(new)
                subscribed.update(new)
                await subscriber.wait_connected(timeout=ctx.timeout)
                await recorders.add_new_feeds(ctx)

            async def watch() -> None:
                await follow([p.id for p in joined.publishers if not p.dummy])
                async for event in changes:
                    if isinstance(event, Publishers):
                        await follow([p.id for p in event.publishers if not p.dummy])
                    elif isinstance(event, Unpublished | Leaving | Kicked) and event.id:
                        subscribed.discard(event.id)
                        await recorders.stop(event.id)
                        ctx.live(f"* feed {event.id} left: its file is complete")

            async def tick(second: int) -> None:
                written = recorders.written() / 1000
                ctx.live(f"{second:4d} s  {len(recorders.running)} feeds  {written:.0f} kB")

            watching = asyncio.ensure_future(watch())
            try:
                await _until(ctx, watching, tick)
                if watching.done():
                    watching.result()  # a failure of the watch is the command's
            finally:
                watching.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await watching
                for feed in list(recorders.running):
                    await recorders.stop(feed)
                if subscriber.room is not None:
                    await subscriber.leave()
                await watcher.leave()
    rows = tuple(
        (feed, str(path), path.stat().st_size if path.exists() else 0)
        for feed, path in recorders.files.items()
    )
    return Table(("feed", "file", "bytes"), rows, empty="no publisher: nothing recorded")


async def _publish(ctx: Context) -> dict[str, Any]:
    from aiortc.contrib.media import MediaPlayer

    file = ctx.args.file
    try:
        player = MediaPlayer(file, loop=ctx.args.loop)
    except Exception as exc:  # PyAV raises its own error types for files it cannot open
        raise UsageError(f"cannot open {file!r}: {exc}") from exc
    ended: asyncio.Future[None] = asyncio.get_running_loop().create_future()
    with ctx.ice():
        async with (
            ctx.connect(ctx.args.url, media=True) as connection,
            await connection.create_session() as session,
        ):
            publisher = await session.attach(VideoRoomPublisher)
            async with publisher:
                publisher.add_player(player, direction="sendonly")

                def end() -> None:
                    if not ended.done():
                        ended.set_result(None)

                for track in (player.audio, player.video):
                    if track is not None:
                        track.on("ended", end)
                joined = await publisher.join(
                    ctx.args.room, display=ctx.args.display, pin=ctx.args.pin
                )
                await publisher.publish()
                await publisher.wait_webrtc_up(timeout=ctx.timeout)
                ctx.live(f"* publishing {file} in room {ctx.args.room} as {joined.id}")
                sent: dict[str, int] = {}

                async def count() -> None:
                    stats = await publisher.stats()
                    sent.update({s.kind: s.packets for s in stats.outbound()})

                async def tick(second: int) -> None:
                    await count()
                    figures = "  ".join(f"{kind} {n} packets" for kind, n in sorted(sent.items()))
                    ctx.live(f"{second:4d} s  sent {figures or 'nothing yet'}")

                await _until(ctx, ended, tick)
                await count()
                await publisher.leave()
    return {"room": ctx.args.room, "id": joined.id, "file": file, "packets_sent": sent}


COMMANDS = (
    Command(
        "videoroom",
        "VideoRoom: record a room's publishers, or publish a media file",
        subcommands=(
            Command(
                "record",
                "record every publisher of a room to files",
                _record,
                _record_arguments,
                description=__doc__.split("\n\n")[1].replace("\n", " "),
            ),
            Command(
                "publish",
                "publish a media file in a room",
                _publish,
                _publish_arguments,
                description=__doc__.split("\n\n")[2].replace("\n", " "),
            ),
        ),
    ),
)
"""The subcommands this package adds to ``janusctl``."""
