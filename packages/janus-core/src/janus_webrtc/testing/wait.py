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

__all__ = ["poll_until", "recorded_frames", "wait_quiet"]


async def poll_until(check: Callable[[], bool], *, timeout: float, every: float = 0.05) -> None:
    """Wait until ``check()`` is true, looking every ``every`` seconds.

    Raises:
        TimeoutError: Still false after ``timeout`` seconds.
    """
    async with asyncio.timeout(timeout):
        while not check():  # noqa: ASYNC110 - a plain condition, with no event to wait for
            await asyncio.sleep(every)


async def wait_quiet(
    count: Callable[[], int],
    *,
    window: float = 1.0,
    allowed: int = 2,
    timeout: float = 15.0,
) -> int:
    """Wait until ``count()`` grows by at most ``allowed`` over one whole ``window``.

    For checking that something stopped (frames of a paused stream, of a removed track),
    where no event says so: frames already in flight, and late on a busy machine, only make
    it wait for a later window, while something that did not stop fails at ``timeout``.

    Args:
        count: What must stop growing, such as ``lambda: counter.frames("audio")``.
        window: Seconds the count must stay (nearly) still.
        allowed: Growth tolerated within the window (a last frame being decoded).
        timeout: Seconds to wait for such a window at most.

    Returns:
        How much ``count()`` grew in the quiet window.

    Raises:
        TimeoutError: Every window until ``timeout`` saw more than ``allowed``.
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        before = count()
        await asyncio.sleep(window)  # the window itself: nothing to wait for but time
        grown = count() - before
        if grown <= allowed:
            return grown
        if loop.time() + window > deadline:
            raise TimeoutError(
                f"still growing after {timeout} s: {grown} more in the last {window} s window "
                f"(at most {allowed} allowed)"
            )


def recorded_frames(path: Path | str) -> int:
    """Frames in a ``.mjr`` recording so far; 0 while Janus has not written its header yet.

    Janus writes a recording's header with its first frame (for video, from the first key
    frame after the recording started), so an empty or missing file means nothing yet.
    """
    try:
        return read_mjr(path).frames
    except (OSError, ValueError):
        return 0
