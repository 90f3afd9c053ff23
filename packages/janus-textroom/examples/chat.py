"""A small terminal chat on a Janus TextRoom, with janus-textroom.

Two participants, in two terminals (a Janus with the TextRoom plugin listening on 8188)::

    python examples/chat.py --url ws://127.0.0.1:8188 --room 1234 --name alice --create
    python examples/chat.py --url ws://127.0.0.1:8188 --room 1234 --name bob

Type a line to send it to the room. Commands: ``/to NAME TEXT`` whispers to one participant,
``/who`` lists the participants, ``/quit`` leaves (so does end of input).

``--script`` runs without a terminal: the lines of standard input are sent one after the
other, then the chat stays until ``--until TEXT`` arrives (or ``--linger`` seconds pass). Every
event is printed on one line, so another program (or a test) can read the output.

ICE uses host candidates only (no STUN server is contacted) unless ``--stun`` is given. When
Janus and this script run on one machine with Janus gathering on a private 127/8 address (see
``janus_webrtc.testing``), pass that address with ``--ice-address``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
import threading

from aiortc import RTCConfiguration, RTCIceServer

import janus_webrtc
from janus_textroom import (
    ChatMessage,
    ParticipantKicked,
    RoomDestroyed,
    RoomExistsError,
    TextRoomEvent,
    TextRoomHandle,
)
from janus_textroom.cli import describe  # one line per event, as janusctl textroom chat


def read_lines(loop: asyncio.AbstractEventLoop, lines: asyncio.Queue[str | None]) -> None:
    """Feed standard input to the event loop, line by line (None at the end)."""
    for line in sys.stdin:
        loop.call_soon_threadsafe(lines.put_nowait, line.rstrip("\n"))
    loop.call_soon_threadsafe(lines.put_nowait, None)


async def handle_line(chat: TextRoomHandle, room: int, line: str) -> bool:
    """Act on one line typed; return False to quit."""
    if not line.strip():
        return True
    if line == "/quit":
        return False
    if line == "/who":
        people = await chat.list_participants(room, via="data")
        print("* here: " + ", ".join(p.username for p in people), flush=True)
        return True
    if line.startswith("/to "):
        name, _, text = line[4:].partition(" ")
        sent = await chat.message(room, text, to=name)
        if sent is not None and not sent.sent.get(name):
            print(f"* {name} is not in the room", flush=True)
        return True
    await chat.message(room, line)
    return True


async def main(args: argparse.Namespace) -> int:
    """Join the room, chat, leave."""
    servers = [RTCIceServer(urls=args.stun)] if args.stun else []
    async with (
        janus_webrtc.connect(args.url) as connection,
        await connection.create_session() as session,
    ):
        chat = await session.attach(TextRoomHandle)
        chat.configure_rtc(RTCConfiguration(iceServers=servers))
        await chat.setup()
        if args.create:
            with contextlib.suppress(RoomExistsError):
                await chat.create_room(args.room, history=args.history, pin=args.pin)
        done = asyncio.Event()

        def show(event: TextRoomEvent) -> None:
            line = describe(event, args.name)
            if line is not None:
                print(line, flush=True)
            if isinstance(event, ChatMessage) and args.until and event.text == args.until:
                done.set()
            if isinstance(event, RoomDestroyed) or (
                isinstance(event, ParticipantKicked) and event.username == args.name
            ):
                done.set()

        chat.on(show, TextRoomEvent, room=args.room)
        joined = await chat.join(
            args.room, args.name, display=args.display, pin=args.pin, history=True
        )
        others = ", ".join(p.username for p in joined.participants) or "nobody yet"
        print(f"* joined room {args.room} as {args.name}; here: {others}", flush=True)

        lines: asyncio.Queue[str | None] = asyncio.Queue()
        loop = asyncio.get_running_loop()
        threading.Thread(target=read_lines, args=(loop, lines), daemon=True).start()
        waiting = asyncio.ensure_future(done.wait())
        while True:
            getting = asyncio.ensure_future(lines.get())
            # A script plays all its lines; a person stops when the room is gone.
            await asyncio.wait(
                {getting} if args.script else {getting, waiting},
                return_when=asyncio.FIRST_COMPLETED,
            )
            if not getting.done():
                getting.cancel()
                break
            line = getting.result()
            if line is None:
                if args.script:  # end of the script: stay for what should still arrive
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(asyncio.shield(waiting), args.linger)
                break
            if not await handle_line(chat, args.room, line):
                break
        waiting.cancel()
        if args.room in chat.rooms:
            await chat.leave(args.room)
        print("* bye", flush=True)
    return 0


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(description="A terminal chat on a Janus TextRoom.")
    parser.add_argument("--url", default="ws://127.0.0.1:8188", help="Janus API URL (ws or http)")
    parser.add_argument("--room", type=int, default=1234, help="room id")
    parser.add_argument("--name", required=True, help="your username in the room")
    parser.add_argument("--display", help="your display name")
    parser.add_argument("--pin", help="the room's pin, if it has one")
    parser.add_argument("--create", action="store_true", help="create the room if missing")
    parser.add_argument("--history", type=int, default=20, help="history of a room created")
    parser.add_argument("--stun", help="a STUN server URL (default: host candidates only)")
    parser.add_argument("--ice-address", help="gather ICE candidates on this address only")
    parser.add_argument("--script", action="store_true", help="read lines from stdin, no TTY")
    parser.add_argument("--until", help="with --script: stay until a message with this text")
    parser.add_argument(
        "--linger", type=float, default=2.0, help="with --script: seconds to stay after input"
    )
    return parser.parse_args(argv)


if __name__ == "__main__":
    arguments = parse_args()
    if arguments.ice_address:
        from janus_webrtc.testing import restrict_aioice_to

        restrict_aioice_to(arguments.ice_address)
    sys.exit(asyncio.run(main(arguments)))
