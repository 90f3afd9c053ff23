"""Waiting in tests for what Janus does without telling: files it writes, state it changes.

Where Janus sends an event, wait for the event (``wait_for``, ``wait_frames``). Where it
sends none (a recording file filling, a room's state read back), poll the condition with a
deadline, never sleep a fixed time.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

from janus_webrtc.testing.mjr import read_mjr

__all__ = ["poll_until", "recorded_frames"]


async def poll_until(check: Callable[[], bool], *, timeout: float, every: float = 0.05) -> None:
    """Wait until ``check()`` is true, looking every ``every`` seconds.

    Raises:
        TimeoutError: Still false after ``timeout`` seconds.
    """
    async with asyncio.timeout(timeout):
        while not check():  # noqa: ASYNC110 - a plain condition, with no event to wait for
            await asyncio.sleep(every)


def recorded_frames(path: Path | str) -> int:
    """Frames in a ``.mjr`` recording so far; 0 while Janus has not written its header yet.

    Janus writes a recording's header with its first frame (for video, from the first key
    frame after the recording started), so an empty or missing file means nothing yet.
    """
    try:
        return read_mjr(path).frames
    except (OSError, ValueError):
        return 0
