"""Run nox's selected sessions in parallel, a few at a time, each in its own nox process.

``./scripts/test`` uses this when more than one job is wanted (``JANUS_TEST_JOBS``, by default
the number of cores, at most 4). Every test session starts its own private Janus on free ports,
so sessions of different packages and Python versions can run side by side. Sessions that use
what others produce wait for them (``wheels`` for ``build``, ``coverage`` for every test run);
the longest ones start first.

Each session's output goes to ``.nox/_reports/logs/<session>.log``; a line is printed as each one
ends, and the whole log of every session that failed. The exit status is 1 when any failed.

Usage: run_sessions.py NOX JOBS [nox options] [-- pytest options]
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import time
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
LOGS_DIR = REPO_ROOT / ".nox" / "_reports" / "logs"

WAITS_FOR = {"wheels": ("build",), "coverage": ("tests", "browser", "signalling")}
"""Session function -> the functions whose selected sessions must have ended before it starts."""

FIRST = (
    "tests",
    "browser",
    "signalling",
    "examples",
    "wheels",
    "docs",
    "typecheck",
    "build",
    "lint",
)
"""Session functions from the longest to the shortest: the order in which ready ones start."""

HEAVY_PACKAGES = ("janus-core", "janus-videoroom", "janus-streaming")
"""Packages whose test runs take longest: started before the others of their function."""


@dataclass
class Job:
    """One nox session to run."""

    session: str
    function: str
    package: str
    waits_for: set[str] = field(default_factory=set)
    status: int | None = None
    seconds: float = 0.0

    @property
    def log(self) -> Path:
        """Where the session's output goes."""
        return LOGS_DIR / (re.sub(r"[^A-Za-z0-9._-]+", "_", self.session).strip("_") + ".log")


def selected_jobs(nox: str, nox_args: list[str]) -> list[Job]:
    """Ask nox which sessions the options select, in the order they should start."""
    listing = subprocess.run(
        [nox, "--list", "--json", *nox_args], capture_output=True, text=True, check=True
    )
    jobs = [
        Job(entry["session"], entry["name"], str((entry.get("call_spec") or {}).get("package", "")))
        for entry in json.loads(listing.stdout)
    ]
    by_function: dict[str, list[str]] = {}
    for job in jobs:
        by_function.setdefault(job.function, []).append(job.session)
    for job in jobs:
        for needed in WAITS_FOR.get(job.function, ()):
            job.waits_for.update(by_function.get(needed, ()))

    def rank(job: Job) -> tuple[int, int]:
        function = FIRST.index(job.function) if job.function in FIRST else len(FIRST)
        heavy = HEAVY_PACKAGES.index(job.package) if job.package in HEAVY_PACKAGES else 9
        return function, heavy

    return sorted(jobs, key=rank)  # stable: nox's own order within a rank


def run_one(nox: str, job: Job, posargs: list[str]) -> Job:
    """Run one session in its own nox process (and process group), its output to its log."""
    started = time.monotonic()
    command = [nox, "--session", job.session]
    if posargs:
        command += ["--", *posargs]
    with job.log.open("w") as log:
        process = subprocess.Popen(
            command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        _RUNNING.add(process)
        try:
            job.status = process.wait()
        finally:
            _RUNNING.discard(process)
    job.seconds = time.monotonic() - started
    return job


_RUNNING: set[subprocess.Popen[bytes]] = set()


def _stop_all(signum: int, _frame: object) -> None:
    for process in list(_RUNNING):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
    sys.exit(128 + signum)


def main(argv: list[str]) -> int:
    """Run the selected sessions, ``jobs`` at a time; return 1 if any failed."""
    nox, jobs_wanted, *rest = argv
    split = rest.index("--") if "--" in rest else len(rest)
    nox_args, posargs = rest[:split], rest[split + 1 :]
    LOGS_DIR.mkdir(parents=True, exist_ok=True)
    signal.signal(signal.SIGTERM, _stop_all)
    signal.signal(signal.SIGINT, _stop_all)

    pending = selected_jobs(nox, nox_args)
    print(f"==> {len(pending)} nox sessions, {jobs_wanted} at a time; logs in {LOGS_DIR}")
    ended: list[Job] = []
    finished: set[str] = set()
    running: set[Future[Job]] = set()
    with ThreadPoolExecutor(max_workers=int(jobs_wanted)) as pool:
        while pending or running:
            for job in [j for j in pending if j.waits_for <= finished]:
                if len(running) >= int(jobs_wanted):
                    break
                pending.remove(job)
                running.add(pool.submit(run_one, nox, job, posargs))
            if not running:  # what is left waits for a session that was not selected
                raise SystemExit(f"cannot start {[j.session for j in pending]}: waits for nothing")
            done, running = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                job = future.result()
                finished.add(job.session)
                ended.append(job)
                word = "success" if job.status == 0 else f"FAILED (exit {job.status})"
                print(f"==> {job.session}: {word}, took {job.seconds:.0f} s", flush=True)
                if job.status != 0:
                    print(job.log.read_text(errors="replace"), flush=True)
    failed = [job.session for job in ended if job.status != 0]
    for job in ended:
        word = "success" if job.status == 0 else "failed"
        print(f"nox > * {job.session}: {word}, took {job.seconds:.0f} s")
    if failed:
        print(f"==> failed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
