"""Every Python example of docs/ and of every README runs against the real Janus, and passes
``mypy --strict`` (see :mod:`doc_examples` for the page syntax). Run by ``nox -s examples``.
"""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from doc_examples import ROOT, blocks, module_source, pages

from janus_webrtc.testing import JanusEndpoints

PAGES = [page for page in pages() if blocks(page)]
IDS = [str(page.relative_to(ROOT)) for page in PAGES]


def test_the_collector_finds_the_pages() -> None:
    assert "README.md" in IDS and "docs/getting-started.md" in IDS
    assert sum(len(blocks(page)) for page in PAGES) >= 30


@pytest.mark.janus
@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_the_examples_of_a_page_run(
    page: Path, janus_server: JanusEndpoints, tmp_path: Path
) -> None:
    endpoints = {k: v for k, v in dataclasses.asdict(janus_server).items() if k != "recordings_dir"}
    # A process per page: a hanging example fails after the timeout instead of hanging.
    command = [
        sys.executable,
        str(ROOT / "tests" / "doc_examples.py"),
        str(page),
        json.dumps(endpoints),
    ]
    try:
        run = subprocess.run(
            command, capture_output=True, text=True, timeout=60, check=False, cwd=tmp_path
        )
    except subprocess.TimeoutExpired as exc:
        pytest.fail(f"{page.name}: still running after 60 s\n{exc.stdout}\n{exc.stderr}")
    assert run.returncode == 0, run.stdout + run.stderr


def test_the_examples_pass_mypy_strict(tmp_path: Path) -> None:
    modules = []
    for page, name in zip(PAGES, IDS, strict=True):
        module = tmp_path / (name.replace("/", "__").replace("-", "_").removesuffix(".md") + ".py")
        module.write_text(module_source(page), encoding="utf-8")
        modules.append(str(module))
    run = subprocess.run(
        [
            sys.executable, "-m", "mypy", "--strict", "--config-file", str(ROOT / "pyproject.toml"),
            "--no-incremental",
            "--cache-dir", str(tmp_path / ".mypy_cache"), *modules,
        ],
        capture_output=True, text=True, timeout=600, check=False, cwd=tmp_path,
        env={**os.environ, "MYPYPATH": ""},
    )  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
