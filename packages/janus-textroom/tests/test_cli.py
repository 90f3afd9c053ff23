"""``janusctl textroom chat``: the installed console script in a terminal (a pty), real Janus."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path

import pytest

from conftest import ChatFactory, take
from janus_textroom import ChatMessage, ParticipantJoined, ParticipantLeft

JANUSCTL = Path(sys.executable).parent / "janusctl"
pytestmark = pytest.mark.janus


class Terminal:
    """janusctl run in a pseudo-terminal: what it prints is read as a person would see it."""

    def __init__(self, process: asyncio.subprocess.Process, master: int) -> None:
        self.process = process
        self.master = master
        self.screen = ""
        self._changed = asyncio.Event()
        asyncio.get_running_loop().add_reader(master, self._read)

    @classmethod
    async def start(cls, *args: str) -> Terminal:
        master, slave = os.openpty()
        process = await asyncio.create_subprocess_exec(
            str(JANUSCTL), *args, stdin=slave, stdout=slave, stderr=slave
        )
        os.close(slave)
        return cls(process, master)

    def _read(self) -> None:
        try:
            data = os.read(self.master, 65536)
        except OSError:  # the child closed its side
            data = b""
        if not data:
            asyncio.get_running_loop().remove_reader(self.master)
        self.screen += data.decode(errors="replace").replace("\r\n", "\n")
        self._changed.set()

    async def expect(self, text: str, timeout: float = 20) -> None:
        async with asyncio.timeout(timeout):
            while text not in self.screen:
                self._changed.clear()
                await self._changed.wait()

    def type(self, line: str) -> None:
        os.write(self.master, line.encode() + b"\n")

    async def close(self) -> int:
        async with asyncio.timeout(20):
            status = await self.process.wait()
        asyncio.get_running_loop().remove_reader(self.master)
        os.close(self.master)
        return status


async def test_chat_in_a_terminal(
    make_chat: ChatFactory, room_id: int, janus_url: str, janus_media_ice: str
) -> None:
    bob = await make_chat()
    await bob.create_room(room_id, history=5)
    await bob.join(room_id, "bob")
    await bob.message(room_id, "before you came")
    heard = bob.subscribe(ChatMessage, ParticipantJoined, ParticipantLeft, room=room_id)
    terminal = await Terminal.start(
        "textroom", "chat", str(room_id), "--user", "alice", "--url", janus_url,
        "--ice-address", janus_media_ice,
    )  # fmt: skip
    try:
        await terminal.expect(f"* joined room {room_id} as alice; here: bob")
        assert terminal.screen.index("bob: before you came") < terminal.screen.index("* joined")
        await bob.message(room_id, "hello alice")
        await terminal.expect("bob: hello alice")
        terminal.type("hi bob")
        terminal.type("/to bob only for you")
        terminal.type("/who")
        await terminal.expect("* here: alice, bob")
        terminal.type("/to carol anyone there?")
        await terminal.expect("* carol is not in the room")
        terminal.type("/nonsense")
        await terminal.expect("* commands: /who, /to NAME TEXT, /quit")
        said: list[tuple[str, str, bool]] = []
        while len(said) < 2:  # bob's own messages and alice's arrival come too
            (event,) = await take(heard, 1, timeout=20)
            if isinstance(event, ChatMessage) and event.sender == "alice":
                said.append((event.sender, event.text, event.whisper))
        assert said == [("alice", "hi bob", False), ("alice", "only for you", True)]
        terminal.type("/quit")
        assert await terminal.close() == 0
    finally:
        if terminal.process.returncode is None:
            terminal.process.kill()
            await terminal.process.wait()
    assert terminal.screen.rstrip().endswith("* left")
    (left,) = await take(heard, 1, timeout=20)
    assert isinstance(left, ParticipantLeft) and left.username == "alice"


async def test_chat_json_lines_from_a_pipe_and_create(
    make_chat: ChatFactory, room_id: int, janus_url: str, janus_media_ice: str
) -> None:
    process = await asyncio.create_subprocess_exec(
        str(JANUSCTL), "--json", "textroom", "chat", str(room_id), "--user", "carol",
        "--create", "--url", janus_url, "--ice-address", janus_media_ice,
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    assert process.stdin is not None and process.stderr is not None
    async with asyncio.timeout(30):
        joined = await process.stderr.readline()
    assert joined.decode().startswith(f"* joined room {room_id} as carol")
    dave = await make_chat()
    await dave.join(room_id, "dave")
    await dave.message(room_id, "hi carol")
    process.stdin.write(b"no newline at the end")
    process.stdin.close()  # end of input: carol leaves
    async with asyncio.timeout(30):
        out, err = await process.communicate()
    assert process.returncode == 0, err.decode()
    events = [json.loads(line) for line in out.decode().splitlines()]
    kinds = [(e["event"], e.get("username") or e.get("sender")) for e in events]
    assert ("ParticipantJoined", "dave") in kinds
    assert ("ChatMessage", "dave") in kinds
    mine = [e for e in events if e["event"] == "ChatMessage" and e["sender"] == "carol"]
    assert [e["text"] for e in mine] == ["no newline at the end"]
