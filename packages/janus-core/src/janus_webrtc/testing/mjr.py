"""Read Janus's ``.mjr`` recordings in tests: what a recording really holds.

Janus 1.1.2 writes (``src/record.c``, format ``MJR00002``): the 8 bytes ``MJR00002``; with the
first packet, a 2-byte length and a JSON header (``{"t": "a", "c": "opus", ...}``: ``t`` is
``a``, ``v`` or ``d``); then one record per packet: ``MEET``, a 4-byte time (milliseconds since
the first packet), a 2-byte length, for data an 8-byte wall-clock time, and the packet. Numbers
are big-endian. Janus writes through a buffer: read a recording once it is stopped.

Example::

    recording = read_mjr(Path(f"{base}-video.mjr"))
    assert recording.kind == "video" and recording.frames >= 10
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["MjrRecording", "read_mjr"]

_MAGIC = b"MJR00002"
_FRAME = b"MEET"
_KINDS = {"a": "audio", "v": "video", "d": "data"}


@dataclass(frozen=True)
class MjrRecording:
    """One ``.mjr`` file, read.

    Attributes:
        kind: ``"audio"``, ``"video"`` or ``"data"`` (``""`` for a file without packets).
        codec: The codec of the header (``"opus"``, ``"vp8"``, ``"text"``...), or ``""``.
        packets: The RTP packets (for data: the messages), in file order.
        info: The whole JSON header.
    """

    kind: str
    codec: str
    packets: tuple[bytes, ...]
    info: Mapping[str, Any] = field(repr=False)

    @property
    def frames(self) -> int:
        """The media frames recorded: distinct RTP timestamps (for data: the messages)."""
        if self.kind == "data":
            return len(self.packets)
        return len({packet[4:8] for packet in self.packets if len(packet) >= 12})


def read_mjr(path: Path | str) -> MjrRecording:
    """Read a ``.mjr`` recording.

    Args:
        path: The file.

    Returns:
        Its header and packets. A record cut short at the end (a recording still being
        written) is left out.

    Raises:
        ValueError: The file is not a ``MJR00002`` recording.
        OSError: It cannot be read.
    """
    data = Path(path).read_bytes()
    if not data.startswith(_MAGIC):
        raise ValueError(f"{path}: not a MJR00002 recording (starts {data[:8]!r})")
    offset = len(_MAGIC)
    if offset + 2 > len(data):
        return MjrRecording(kind="", codec="", packets=(), info={})
    size = int.from_bytes(data[offset : offset + 2], "big")
    info = json.loads(data[offset + 2 : offset + 2 + size])
    if not isinstance(info, dict):
        raise ValueError(f"{path}: the header is not a JSON object")
    kind = _KINDS.get(str(info.get("t", "")), "")
    offset += 2 + size
    packets = []
    while offset + 10 <= len(data):
        if data[offset : offset + 4] != _FRAME:
            raise ValueError(f"{path}: no frame header at byte {offset}")
        length = int.from_bytes(data[offset + 8 : offset + 10], "big")
        start = offset + 10
        end = start + length  # for data, the length counts the 8-byte time too
        if end > len(data):
            break
        packets.append(data[start + 8 if kind == "data" else start : end])
        offset = end
    return MjrRecording(kind=kind, codec=str(info.get("c", "")), packets=tuple(packets), info=info)
