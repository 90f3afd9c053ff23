"""The kit's waits and process runners end when they must: on their condition or deadline."""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path

import pytest

from janus_webrtc.testing import (
    poll_until,
    recorded_frames,
    run_process,
    run_python_script,
    wait_quiet,
)


async def test_poll_until_returns_once_true_and_times_out_when_never() -> None:
    calls = []

    def third_time() -> bool:
        calls.append(1)
        return len(calls) >= 3

    await poll_until(third_time, timeout=5, every=0.001)
    assert len(calls) == 3
    with pytest.raises(TimeoutError):
        await poll_until(lambda: False, timeout=0.05, every=0.01)


async def test_wait_quiet_waits_out_a_late_burst_and_fails_on_what_never_stops() -> None:
    ticks = [0]
    keeps_going = [True]

    async def tick() -> None:
        while keeps_going[0]:
            ticks[0] += 1
            await asyncio.sleep(0.01)

    ticker = asyncio.create_task(tick())
    try:
        with pytest.raises(TimeoutError, match="still growing"):
            await wait_quiet(lambda: ticks[0], window=0.1, timeout=0.35)

        async def stop_soon() -> None:  # frames still in flight for a while, then none
            await asyncio.sleep(0.25)
            keeps_going[0] = False

        stopping = asyncio.create_task(stop_soon())
        assert await wait_quiet(lambda: ticks[0], window=0.1, timeout=5) <= 2
        await stopping
        assert ticks[0] > 10  # it waited past the burst
    finally:
        keeps_going[0] = False
        await ticker


def test_recorded_frames_is_zero_until_janus_wrote_a_header(tmp_path: Path) -> None:
    missing = tmp_path / "none.mjr"
    assert recorded_frames(missing) == 0  # not created yet
    missing.write_bytes(b"")
    assert recorded_frames(missing) == 0  # created, nothing written yet


async def test_run_process_kills_a_child_past_its_deadline() -> None:
    started = time.monotonic()
    with pytest.raises(TimeoutError):
        await run_process(sys.executable, "-c", "import time; time.sleep(30)", timeout=0.5)
    assert time.monotonic() - started < 10  # killed, not waited for


async def test_run_process_and_scripts_report_status_and_output(tmp_path: Path) -> None:
    code = "import sys; print('out'); print('err', file=sys.stderr); sys.exit(3)"
    assert await run_process(sys.executable, "-c", code) == (3, "out\n", "err\n")
    merged = await run_process(sys.executable, "-c", code, merge_output=True)
    assert merged.status == 3 and sorted(merged.out.split()) == ["err", "out"]
    script = tmp_path / "fails.py"
    script.write_text(code)
    with pytest.raises(AssertionError, match=r"fails\.py failed"):
        await run_python_script(script)
