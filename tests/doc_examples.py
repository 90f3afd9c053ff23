"""Find the examples of the Markdown pages (docs/ and every README), to run and check.

For contributors, docs/testing.md (The documentation's examples) says the same.

Markers are HTML comments: the rendered page does not show them. A marker that applies to a
fenced block comes just before its fence (blank lines between are allowed, nothing else).

Programs. A page's examples are its fenced ``python`` blocks, in order, and its hidden ones,
for what a reader need not see::

    <!-- example
    handle = await session.attach("echotest")   # runs here, between the visible blocks
    -->

Every page runs as one program in a process of its own (blocks share their names, top-level
``await`` allowed; ``python doc_examples.py PAGE ENDPOINTS_JSON``) and is type-checked as one
module with ``mypy --strict``. Hidden blocks see ``janus_server``, the test server's
:class:`~janus_webrtc.testing.JanusEndpoints` (to call what a visible block defines). The
example URLs of the pages (``ws://127.0.0.1:8188``, ...) are replaced by those of the test
server.

Skipped blocks::

    <!-- example-skip: why -->        this python block is neither run nor type-checked

Output::

    <!-- example-output -->          before a fence (```text): what the block before it prints

The block's output (what it writes to ``sys.stdout`` while it runs, callbacks and
``asyncio.run()`` included) must equal the output block, line by line, trailing spaces and
blank lines at the end aside. ``...`` stands for what varies: a line that is just ``...``
matches any number of lines (none too), and ``...`` within a line any text in that line
(``room ... created``). The block before is the last python block, visible or hidden, that
runs. A difference fails the page with a diff.

An example package (a plugin package shown file by file)::

    <!-- example-package: janusctl new-plugin recordplay -->
    <!-- example-file: src/janus_recordplay/handle.py -->     before a fence of any language

``example-package`` (once per page, anywhere in it) runs that ``janusctl new-plugin``
command; each ``example-file`` block then replaces (or adds) that file of the package it
wrote. Without ``example-package`` the package holds only the page's files. File blocks are
not part of the page's program; if a file's first line is a comment naming a path, it must be
the marker's. ``tests/test_doc_examples.py`` installs the package (its entry points
registered) in a virtualenv of its own that also sees the examples' one, runs ``mypy
--strict`` on its ``src/`` and ``tests/``, then its tests with pytest against the test server.
"""

from __future__ import annotations

import ast
import asyncio
import contextlib
import dataclasses
import difflib
import functools
import inspect
import io
import json
import re
import shlex
import sys
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, TextIO

ROOT = Path(__file__).resolve().parent.parent

FENCE = re.compile(r"^(?P<indent> *)```(?P<language>[\w+-]*)\s*$")
HIDDEN = re.compile(r"^<!-- example\s*$")
MARKER = re.compile(r"^<!-- example-(?P<kind>skip|output|file)(?:: (?P<value>.+?))? -->\s*$")
PACKAGE = re.compile(r"^<!-- example-package: (?P<command>.+?) -->\s*$")
ELLIPSIS = "..."

URLS = {
    "ws://127.0.0.1:8188": "ws_url",
    "http://127.0.0.1:8088/janus": "http_url",
    "ws://127.0.0.1:7188": "admin_ws_url",
    "http://127.0.0.1:7088/admin": "admin_http_url",
    "unix:///run/janus/janus.sock": "unix_url",
    "unix:///run/janus/admin.sock": "admin_unix_url",
}
"""The URLs the pages use, and the JanusEndpoints attribute each stands for."""


class PageError(ValueError):
    """A page's markers are wrong (a marker without its block, an output block after nothing)."""


@dataclass(frozen=True)
class Output:
    """An ``example-output`` block: what the block before it prints."""

    text: str
    line: int


@dataclass(frozen=True)
class Block:
    """One fenced or hidden block: its code and where it starts (1-based line of the page)."""

    code: str
    line: int
    hidden: bool = False
    skip: str | None = None
    file: str | None = None
    """The path of the example package's file this block is (``example-file``), or None."""
    output: Output | None = None

    @property
    def runs(self) -> bool:
        """Whether the block is part of the page's program (run and type-checked)."""
        return self.skip is None and self.file is None


@dataclass(frozen=True)
class ExamplePackage:
    """A page's example package: the command that starts it, and the page's files."""

    command: tuple[str, ...] | None
    files: dict[str, Block]


def pages() -> list[Path]:
    """Every Markdown page whose examples run: the READMEs and docs/."""
    found = [ROOT / "README.md", *sorted(ROOT.glob("packages/*/README.md"))]
    found += sorted((ROOT / "docs").rglob("*.md"))
    return found


def _where(page: Path, line: int) -> str:
    try:
        return f"{page.relative_to(ROOT)}:{line}"
    except ValueError:
        return f"{page}:{line}"


def blocks(page: Path) -> list[Block]:
    """The blocks of one page, in order: python, hidden and file blocks (outputs attached).

    Raises:
        PageError: A marker is not followed by its block, or an output block has no block
            that runs before it.
    """
    lines = page.read_text(encoding="utf-8").splitlines()
    found: list[Block] = []
    marker: re.Match[str] | None = None
    marker_line = 0
    index = 0
    while index < len(lines):
        line = lines[index]
        fence, hidden, marked = FENCE.match(line), HIDDEN.match(line), MARKER.match(line)
        if marked:
            if marker is not None:
                raise PageError(f"{_where(page, marker_line)}: a marker without its block")
            if (marked["kind"] == "output") != (marked["value"] is None):
                raise PageError(f"{_where(page, index + 1)}: malformed marker {line.strip()!r}")
            marker, marker_line = marked, index + 1
        elif fence or hidden:
            indent = len(fence["indent"]) if fence else 0
            end_mark = f"{' ' * indent}```" if fence else "-->"
            start = index + 1
            index = start
            while index < len(lines) and lines[index].rstrip() != end_mark:
                index += 1
            code = "\n".join(text[indent:] for text in lines[start:index]) + "\n"
            kind = marker["kind"] if marker else None
            python = hidden or (fence is not None and fence["language"] == "python")
            if kind == "output":
                if hidden:
                    raise PageError(f"{_where(page, marker_line)}: an output block is fenced")
                _attach_output(page, found, Output(code, start + 1), marker_line)
            elif kind == "file":
                assert marker is not None
                found.append(_file_block(page, code, start + 1, marker["value"]))
            elif python:
                skip = marker["value"] if marker else None
                found.append(Block(code, start + 1, hidden=bool(hidden), skip=skip))
            elif kind == "skip":
                raise PageError(
                    f"{_where(page, marker_line)}: example-skip before a non-python block"
                )
            marker = None
        elif line.strip() and not PACKAGE.match(line) and marker is not None:
            raise PageError(f"{_where(page, marker_line)}: a marker without its block")
        index += 1
    if marker is not None:
        raise PageError(f"{_where(page, marker_line)}: a marker without its block")
    return found


def _attach_output(page: Path, found: list[Block], output: Output, marker_line: int) -> None:
    if not found or not found[-1].runs:
        raise PageError(
            f"{_where(page, marker_line)}: an output block must follow a python block that runs"
        )
    if found[-1].output is not None:
        raise PageError(f"{_where(page, marker_line)}: a second output block for one block")
    found[-1] = dataclasses.replace(found[-1], output=output)


def _file_block(page: Path, code: str, line: int, path: str) -> Block:
    posix = PurePosixPath(path)
    if posix.is_absolute() or ".." in posix.parts:
        raise PageError(f"{_where(page, line - 1)}: {path!r} is not a path inside the package")
    first = code.split("\n", 1)[0]
    named = first.removeprefix("# ").strip()
    looks_like_a_path = " " not in named and ("/" in named or PurePosixPath(named).suffix)
    if first.startswith("# ") and looks_like_a_path and named != path:
        raise PageError(f"{_where(page, line)}: the block says it is {named}, its marker {path}")
    return Block(code, line, file=path)


def example_package(page: Path) -> ExamplePackage | None:
    """The page's example package, or None when it shows none.

    Raises:
        PageError: More than one ``example-package`` marker, a command that is not
            ``janusctl new-plugin ...``, or one file shown twice.
    """
    commands = [
        (number, match["command"])
        for number, line in enumerate(page.read_text(encoding="utf-8").splitlines(), 1)
        if (match := PACKAGE.match(line))
    ]
    if len(commands) > 1:
        raise PageError(f"{_where(page, commands[1][0])}: a second example-package marker")
    command: tuple[str, ...] | None = None
    if commands:
        command = tuple(shlex.split(commands[0][1]))
        if command[:2] != ("janusctl", "new-plugin") or len(command) < 3:
            raise PageError(
                f"{_where(page, commands[0][0])}: example-package takes a `janusctl new-plugin"
                " NAME [options]` command"
            )
    files: dict[str, Block] = {}
    for block in blocks(page):
        if block.file is not None:
            if block.file in files:
                raise PageError(f"{_where(page, block.line)}: {block.file} is shown twice")
            files[block.file] = block
    if command is None and not files:
        return None
    return ExamplePackage(command, files)


def write_package(page: Path, dest: Path) -> Path:
    """Write the page's example package into ``dest`` (which must not exist); return its folder.

    Raises:
        PageError: The page has no example package, or its ``janusctl`` command fails.
    """
    package = example_package(page)
    if package is None:
        raise PageError(f"{page}: no example package")
    if package.command is None:
        folder = dest
        folder.mkdir(parents=True)
    else:
        from janus_webrtc.cli.app import main as janusctl

        dest.mkdir(parents=True)
        said = io.StringIO()
        with contextlib.redirect_stdout(said), contextlib.redirect_stderr(said):
            status = janusctl([*package.command[1:], str(dest)])
        if status != 0:
            raise PageError(f"{page}: `{shlex.join(package.command)}` failed: {said.getvalue()}")
        (folder,) = dest.iterdir()
    for path, block in package.files.items():
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(block.code, encoding="utf-8")
    return folder


def program(page: Path, urls: dict[str, str]) -> list[Block]:
    """The page's blocks, with the example URLs replaced by ``urls``."""
    result = []
    for block in blocks(page):
        code = block.code
        for old, new in urls.items():
            code = code.replace(old, new)
        result.append(dataclasses.replace(block, code=code))
    return result


def module_source(page: Path) -> str:
    """The page's runnable blocks as one module, for mypy (line numbers kept as comments).

    The blocks form the body of one ``async def``, as they run: top-level ``await``,
    ``async with`` and ``async for`` are then what they are at run time.
    """
    parts = [
        "from janus_webrtc.testing import JanusEndpoints",
        "",
        "",
        "async def _page(janus_server: JanusEndpoints) -> None:  # the name hidden blocks use",
    ]
    for block in blocks(page):
        if block.runs:
            parts.append(f"    # {page.relative_to(ROOT)}:{block.line}")
            parts += [f"    {line}" if line else "" for line in block.code.splitlines()]
    return "\n".join(parts) + "\n"


def _lines(text: str) -> list[str]:
    lines = [line.rstrip() for line in text.splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def _line_matches(expected: str, printed: str) -> bool:
    if ELLIPSIS not in expected:
        return expected == printed
    pattern = ".*".join(re.escape(part) for part in expected.split(ELLIPSIS))
    return re.fullmatch(pattern, printed) is not None


def output_matches(expected: str, printed: str) -> bool:
    """Whether ``printed`` is what the output block ``expected`` shows (``...`` rules above)."""
    want, got = _lines(expected), _lines(printed)

    @functools.cache
    def match(i: int, j: int) -> bool:
        if i == len(want):
            return j == len(got)
        if want[i] == ELLIPSIS:
            return any(match(i + 1, k) for k in range(j, len(got) + 1))
        return j < len(got) and _line_matches(want[i], got[j]) and match(i + 1, j + 1)

    return match(0, 0)


def _as_printed(want: list[str], got: list[str]) -> list[str]:
    """``want`` with what its ``...`` match in ``got`` filled in: a diff then shows the rest."""
    shown: list[str] = []
    j = 0
    for i, line in enumerate(want):
        after = want[i + 1] if i + 1 < len(want) else None
        if line == ELLIPSIS:
            while j < len(got) and (after is None or not _line_matches(after, got[j])):
                shown.append(got[j])
                j += 1
        elif j < len(got) and _line_matches(line, got[j]):
            shown.append(got[j])
            j += 1
        else:
            shown.append(line)
            # A line printed instead of this one, unless it is the next one shown.
            if j < len(got) and not (
                after is not None and after != ELLIPSIS and _line_matches(after, got[j])
            ):
                j += 1
    return shown


class OutputMismatch(AssertionError):
    """A block printed something else than its output block shows."""


def check_output(page: Path, block: Block, printed: str) -> None:
    """Compare what ``block`` printed with its output block.

    Raises:
        OutputMismatch: They differ; the message holds a diff.
    """
    if block.output is None or output_matches(block.output.text, printed):
        return
    got = _lines(printed)
    diff = difflib.unified_diff(
        _as_printed(_lines(block.output.text), got),
        got,
        fromfile=f"{_where(page, block.output.line)} (the page's output block)",
        tofile=f"what the block of line {block.line} printed",
        lineterm="",
    )
    raise OutputMismatch(
        f"{_where(page, block.line)}: the example's output is not the one the page shows\n"
        + "\n".join(diff)
    )


class _Tee(io.StringIO):
    """Keeps what is written, and passes it on (a failure's report shows every output)."""

    def __init__(self, through: TextIO) -> None:
        super().__init__()
        self._through = through

    def write(self, text: str) -> int:
        self._through.write(text)
        return super().write(text)

    def flush(self) -> None:
        self._through.flush()


def run_page(page: Path, endpoints: dict[str, Any]) -> None:
    """Run the examples of ``page`` against the server described by ``endpoints``.

    Raises:
        OutputMismatch: A block's output is not the one its output block shows.
    """
    from janus_webrtc.testing import JanusEndpoints, restrict_aioice_to

    server = JanusEndpoints(**{**endpoints, "recordings_dir": None})
    urls = {old: getattr(server, name) for old, name in URLS.items()}
    namespace: dict[str, Any] = {"__name__": "__example__", "janus_server": server}
    ice = server.ice_address
    with asyncio.Runner() as runner, restrict_aioice_to(ice) if ice else contextlib.nullcontext():
        for block in program(page, urls):
            if not block.runs:
                continue
            # Blank lines first, so that a traceback's line numbers are the page's.
            source = "\n" * (block.line - 1) + block.code
            code = compile(source, str(page), "exec", ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
            printed = _Tee(sys.stdout)
            with contextlib.redirect_stdout(printed):
                result = eval(code, namespace)
                if inspect.iscoroutine(result):
                    runner.run(result)
            check_output(page, block, printed.getvalue())


if __name__ == "__main__":
    try:
        run_page(Path(sys.argv[1]), json.loads(sys.argv[2]))
    except OutputMismatch as exc:
        sys.stdout.flush()
        print(exc, file=sys.stderr)
        sys.exit(1)
