"""Every Python example of docs/ and of every README runs against the real Janus, and passes
``mypy --strict``; every output block is what its example prints; every example package is
installed, type-checked and tested (see :mod:`doc_examples` for the page syntax). Run by
``nox -s examples``.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import site
import subprocess
import sys
from pathlib import Path

import pytest
from doc_examples import (
    ROOT,
    Block,
    Output,
    OutputMismatch,
    PageError,
    blocks,
    check_output,
    example_package,
    module_source,
    pages,
    write_package,
)

from janus_webrtc.testing import JanusEndpoints
from janus_webrtc.testing.plugin import ENV_PREFIX, endpoints_to_env

PAGES = [page for page in pages() if blocks(page)]
IDS = [str(page.relative_to(ROOT)) for page in PAGES]
PACKAGE_PAGES = [page for page in PAGES if example_package(page) is not None]
PACKAGE_IDS = [str(page.relative_to(ROOT)) for page in PACKAGE_PAGES]


def test_the_collector_finds_the_pages() -> None:
    assert "README.md" in IDS and "docs/getting-started.md" in IDS
    assert sum(len(blocks(page)) for page in PAGES) >= 30
    assert "docs/plugins/index.md" in PACKAGE_IDS
    assert any(block.output for page in PAGES for block in blocks(page))


def _text(output: bytes | str | None) -> str:
    return output.decode(errors="replace") if isinstance(output, bytes) else output or ""


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
        said = (_text(exc.stdout), _text(exc.stderr))  # bytes here, even with text=True
        pytest.fail(f"{page.name}: still running after 60 s\n{said[0]}\n{said[1]}")
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


def test_output_blocks_match_with_ellipses() -> None:
    page = ROOT / "docs" / "example.md"
    block = Block("...\n", 41, output=Output("room ... created\n...\nbye\n", 45))
    check_output(page, block, "room 1234 created\nbye\n")
    check_output(page, block, "room 1 created\na\nb\nbye  \n\n")
    with pytest.raises(OutputMismatch) as caught:
        check_output(page, block, "room 1234 made\nbye\n")
    assert "-room ... created\n+room 1234 made\n bye" in str(caught.value)


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("<!-- example-output -->\nIt prints:\n", "a marker without its block"),
        ("<!-- example-skip: x -->\n```python\n1\n```\n<!-- example-output -->\n```text\n```\n",
         "must follow a python block that runs"),
        ("<!-- example-file: a.py -->\n```python\n# b.py\n```\n", "it is b.py, its marker a.py"),
        ("<!-- example-file: ../a.py -->\n```python\n```\n", "not a path inside the package"),
    ],
    ids=["no block", "after a skipped block", "another path", "outside the package"],
)  # fmt: skip
def test_misplaced_markers_fail(tmp_path: Path, text: str, error: str) -> None:
    page = tmp_path / "page.md"
    page.write_text(text, encoding="utf-8")
    with pytest.raises(PageError, match=error):
        blocks(page)


def _cannot(message: str) -> None:
    """Skip the test for a missing prerequisite; fail it under ``CI=true``, where none is."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def _venv(folder: Path) -> Path:
    """A new venv (with pip) that also sees this one's packages; return its python."""
    subprocess.run([sys.executable, "-m", "venv", str(folder)], check=True, capture_output=True)
    python = folder / "bin" / "python"
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    # addsitedir, not a bare path: the .pth files of this venv (editable installs) count too.
    outer = [*site.getsitepackages(), site.getusersitepackages()]
    lines = [f"import site; site.addsitedir({path!r})" for path in outer if Path(path).is_dir()]
    (Path(purelib) / "zz_examples_venv.pth").write_text("\n".join(lines) + "\n")
    return python


@pytest.mark.janus
@pytest.mark.parametrize("page", PACKAGE_PAGES, ids=PACKAGE_IDS)
def test_the_example_package_of_a_page_works(
    page: Path, janus_server: JanusEndpoints, tmp_path: Path
) -> None:
    """Written, installed (entry points registered), ``mypy --strict``, its tests on Janus."""
    folder = write_package(page, tmp_path / "package")
    python = _venv(tmp_path / "venv")
    env = {
        **{
            k: v
            for k, v in os.environ.items()
            if not k.startswith(ENV_PREFIX) and k not in ("PYTHONPATH", "PYTHONHOME", "MYPYPATH")
        },
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        "PIP_NO_INPUT": "1",
    }
    installed = subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--no-deps", str(folder)],
        env=env, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    if installed.returncode != 0:
        _cannot(f"cannot install the example package (build backend?): {installed.stderr[-1500:]}")
    checked = subprocess.run(
        [
            str(python), "-m", "mypy", "--strict", "--config-file", str(ROOT / "pyproject.toml"),
            "--no-incremental", "--cache-dir", str(tmp_path / ".mypy_cache"), "src", "tests",
        ],
        env=env, cwd=folder, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert checked.returncode == 0, f"{page.name}: mypy --strict\n{checked.stdout}{checked.stderr}"
    tested = subprocess.run(
        [str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rA"],
        # CI=true: a test skipped for want of a server or plugin fails instead.
        env={**env, **endpoints_to_env(janus_server), "CI": "true"},
        cwd=folder, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    report = f"{page.name}: the package's tests\n{tested.stdout[-4000:]}{tested.stderr[-2000:]}"
    assert tested.returncode == 0, report
    summary = tested.stdout.strip().splitlines()[-1]
    assert re.search(r"\d+ passed", summary) and "skipped" not in summary, report
