"""Running commands in tests: ``janusctl``, example scripts, any program, with a deadline.

Each waits for the process within a timeout and kills it if the timeout passes, so that a
test never hangs on a child and never leaves one behind.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import NamedTuple

__all__ = ["Finished", "run_janusctl", "run_process", "run_python_script"]


class Finished(NamedTuple):
    """A process that ended: ``status, out, err = await run_process(...)`` also works.

    Attributes:
        status: Its exit status.
        out: Its standard output (or both outputs, merged, when asked for).
        err: Its standard error (empty when merged into ``out``).
    """

    status: int
    out: str
    err: str


async def run_process(
    *command: str | Path,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    timeout: float = 60.0,
    merge_output: bool = False,
) -> Finished:
    """Run ``command`` to its end; kill it if it lasts longer than ``timeout`` seconds.

    Args:
        command: The program and its arguments.
        env: The whole environment of the process (default: this one's).
        cwd: Its working folder.
        timeout: Seconds it may take.
        merge_output: Read standard error into ``out`` too, in order.

    Raises:
        TimeoutError: It was still running after ``timeout`` seconds (it is killed).
    """
    process = await asyncio.create_subprocess_exec(
        *(str(part) for part in command),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT if merge_output else asyncio.subprocess.PIPE,
        env=dict(env) if env is not None else None,
        cwd=cwd,
    )
    try:
        async with asyncio.timeout(timeout):
            out, err = await process.communicate()
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert process.returncode is not None
    return Finished(
        process.returncode, out.decode(errors="replace"), (err or b"").decode(errors="replace")
    )


async def run_janusctl(
    *args: str,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    timeout: float = 90.0,
) -> Finished:
    """Run the ``janusctl`` console script of this Python's environment with ``args``."""
    janusctl = Path(sys.executable).parent / "janusctl"
    return await run_process(janusctl, *args, env=env, cwd=cwd, timeout=timeout)


async def run_python_script(script: Path, *args: str, timeout: float = 60.0) -> str:
    """Run a Python script with this Python; return its merged output.

    Raises:
        AssertionError: It ended with a status other than 0 (with its output).
        TimeoutError: It took longer than ``timeout`` seconds (it is killed).
    """
    finished = await run_process(sys.executable, script, *args, timeout=timeout, merge_output=True)
    assert finished.status == 0, f"{script.name} failed:\n{finished.out}"
    return finished.out
