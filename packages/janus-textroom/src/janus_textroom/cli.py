"""``janusctl textroom chat ROOM --user NAME``: chat in a TextRoom from a terminal.

Joins the room over a data channel, prints the room's history and then every message and
arrival as it comes, and sends each line typed. ``/who`` lists the participants, ``/to NAME
TEXT`` whispers, ``/quit`` (or end of input, Ctrl-D) leaves. With ``--json`` every event is
printed as one JSON object a line. ``--create`` creates the room when it does not exist.

    janusctl textroom chat 1234 --user alice --url ws://127.0.0.1:8188
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import sys
from typing import Any

from janus_webrtc.cli import Command, Context, add_url_option
from janus_webrtc.cli.render import plain

from .errors import RoomExistsError
from .handle import TextRoomHandle
from .messages import (
    Announcement,
    ChatMessage,
    ParticipantJoined,
    ParticipantKicked,
    ParticipantLeft,
    RoomDestroyed,
    TextRoomEvent,
)

__all__ = ["COMMANDS", "describe"]


def describe(event: TextRoomEvent, me: str) -> str | None:
    """One line for an event of the room (None: nothing to show, such as our own echo)."""
    if isinstance(event, ChatMessage):
        if event.sender == me and not event.whisper:
            return None
        return f"{'(whisper) ' if event.whisper else ''}{event.sender}: {event.text}"
    if isinstance(event, Announcement):
        return f"[announcement] {event.text}"
    if isinstance(event, ParticipantJoined):
        return None if event.username == me else f"* {event.display or event.username} joined"
    if isinstance(event, ParticipantLeft):
        return None if event.username == me else f"* {event.username} left"
    if isinstance(event, ParticipantKicked):
        return f"* {event.username} was kicked"
    if isinstance(event, RoomDestroyed):
        return "* the room was destroyed"
    return None


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("room", type=int, help="the room id")
    parser.add_argument("--user", required=True, help="your username in the room")
    parser.add_argument("--display", help="your display name")
    parser.add_argument("--pin", help="the room's pin, if it has one")
    parser.add_argument("--create", action="store_true", help="create the room if missing")
    add_url_option(parser)


class _Lines:
    """Lines of standard input, read without blocking the event loop (tty or pipe)."""

    def __init__(self) -> None:
        self.queue: asyncio.Queue[str | None] = asyncio.Queue()
        self._fd = sys.stdin.fileno()
        self._partial = b""
        self._loop = asyncio.get_running_loop()
        self._loop.add_reader(self._fd, self._read)

    def _read(self) -> None:
        data = os.read(self._fd, 65536)
        if not data:
            self.close()
            if self._partial:
                self.queue.put_nowait(self._partial.decode(errors="replace"))
            self.queue.put_nowait(None)
            return
        *lines, self._partial = (self._partial + data).split(b"\n")
        for line in lines:
            self.queue.put_nowait(line.decode(errors="replace").rstrip("\r"))

    def close(self) -> None:
        self._loop.remove_reader(self._fd)


async def _command(ctx: Context, chat: TextRoomHandle, line: str) -> bool:
    """Act on one typed line; return False to leave."""
    room = ctx.args.room
    if line == "/quit":
        return False
    if line == "/who":
        people = await chat.list_participants(room, via="data")
        ctx.print("* here: " + ", ".join(sorted(p.username for p in people)))
    elif line.startswith("/to "):
        name, _, text = line[4:].partition(" ")
        sent = await chat.message(room, text, to=name)
        if sent is not None and not sent.sent.get(name):
            ctx.print(f"* {name} is not in the room")
    elif line.startswith("/"):
        ctx.print("* commands: /who, /to NAME TEXT, /quit")
    elif line.strip():
        await chat.message(room, line)
    return True


async def _chat(ctx: Context) -> None:
    room, user = ctx.args.room, ctx.args.user

    def show(event: Any) -> None:
        if ctx.json:
            ctx.print(json.dumps({"event": type(event).__name__, **plain(event)}))
            return
        line = describe(event, user)
        if line is not None:
            ctx.print(line)

    with ctx.ice():
        async with (
            ctx.connect(ctx.args.url, media=True) as connection,
            await connection.create_session() as session,
        ):
            chat = await session.attach(TextRoomHandle)
            async with chat:
                await chat.setup(timeout=ctx.timeout)
                if ctx.args.create:
                    with contextlib.suppress(RoomExistsError):
                        await chat.create_room(room, pin=ctx.args.pin)
                ended = asyncio.Event()

                def follow(event: TextRoomEvent) -> None:
                    show(event)
                    if isinstance(event, RoomDestroyed) or (
                        isinstance(event, ParticipantKicked) and event.username == user
                    ):
                        ended.set()

                chat.on(follow, TextRoomEvent, room=room)
                joined = await chat.join(room, user, display=ctx.args.display, pin=ctx.args.pin)
                for past in joined.history:
                    show(past)
                others = sorted(p.username for p in joined.participants if p.username != user)
                ctx.live(f"* joined room {room} as {user}; here: {', '.join(others) or 'nobody'}")
                lines = _Lines()
                try:
                    await _read_and_send(ctx, chat, lines, ended)
                finally:
                    lines.close()
                if room in chat.rooms:
                    await chat.leave(room)
    ctx.live("* left")


async def _read_and_send(
    ctx: Context, chat: TextRoomHandle, lines: _Lines, ended: asyncio.Event
) -> None:
    ending = asyncio.ensure_future(ended.wait())
    try:
        while True:
            getting = asyncio.ensure_future(lines.queue.get())
            await asyncio.wait({getting, ending}, return_when=asyncio.FIRST_COMPLETED)
            if not getting.done():
                getting.cancel()
                return
            line = getting.result()
            if line is None or not await _command(ctx, chat, line):
                return
    finally:
        ending.cancel()


COMMANDS = (
    Command(
        "textroom",
        "TextRoom: chat in a room from a terminal",
        subcommands=(
            Command(
                "chat",
                "join a room and chat: lines typed are sent, messages are printed",
                _chat,
                _arguments,
                description=__doc__.split("\n\n")[1].replace("\n", " "),
            ),
        ),
    ),
)
"""The subcommands this package adds to ``janusctl``."""
