"""Find the Python examples of the Markdown pages (docs/ and every README), to run and check.

A page's examples are its fenced ``python`` blocks, in order, and its hidden ones: HTML
comments that the rendered page does not show, for what a reader need not see::

    <!-- example
    handle = await session.attach("echotest")   # runs here, between the visible blocks
    -->

Hidden blocks see ``janus_server``, the test server's
:class:`~janus_webrtc.testing.JanusEndpoints` (to call what a visible block defines).

    <!-- example-skip: why -->        just before a fence: that block is not run

Every page runs as one program in a process of its own (blocks share their names,
top-level ``await`` allowed; ``python doc_examples.py PAGE ENDPOINTS_JSON``) and is
type-checked as one module with ``mypy --strict``. The example URLs of the pages
(``ws://127.0.0.1:8188``, ...) are replaced by those of the test server.
"""

from __future__ import annotations

import ast
import asyncio
import contextlib
import inspect
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

FENCE = re.compile(r"^(?P<indent> *)```python\s*$")
HIDDEN = re.compile(r"^<!-- example\s*$")
SKIP = re.compile(r"^<!-- example-skip: (?P<why>.+) -->\s*$")

URLS = {
    "ws://127.0.0.1:8188": "ws_url",
    "http://127.0.0.1:8088/janus": "http_url",
    "ws://127.0.0.1:7188": "admin_ws_url",
    "http://127.0.0.1:7088/admin": "admin_http_url",
    "unix:///run/janus/janus.sock": "unix_url",
    "unix:///run/janus/admin.sock": "admin_unix_url",
}
"""The URLs the pages use, and the JanusEndpoints attribute each stands for."""


@dataclass(frozen=True)
class Block:
    """One example: its code and where it starts (1-based line of the page)."""

    code: str
    line: int
    hidden: bool = False
    skip: str | None = None


def pages() -> list[Path]:
    """Every Markdown page whose examples run: the READMEs and docs/."""
    found = [ROOT / "README.md", *sorted(ROOT.glob("packages/*/README.md"))]
    found += sorted((ROOT / "docs").rglob("*.md"))
    return found


def blocks(page: Path) -> list[Block]:
    """The examples of one page, in order."""
    lines = page.read_text(encoding="utf-8").splitlines()
    found: list[Block] = []
    skip: str | None = None
    index = 0
    while index < len(lines):
        line = lines[index]
        fence, hidden, skipped = FENCE.match(line), HIDDEN.match(line), SKIP.match(line)
        if skipped:
            skip = skipped["why"]
        elif fence or hidden:
            indent = len(fence["indent"]) if fence else 0
            end_mark = f"{' ' * indent}```" if fence else "-->"
            start = index + 1
            index = start
            while index < len(lines) and lines[index].rstrip() != end_mark:
                index += 1
            code = "\n".join(text[indent:] for text in lines[start:index])
            found.append(Block(code + "\n", start + 1, hidden=bool(hidden), skip=skip))
            skip = None
        elif line.strip():
            skip = None if not line.startswith("<!--") else skip
        index += 1
    return found


def program(page: Path, urls: dict[str, str]) -> list[Block]:
    """The page's blocks to run, with the example URLs replaced by ``urls``."""
    result = []
    for block in blocks(page):
        code = block.code
        for old, new in urls.items():
            code = code.replace(old, new)
        result.append(Block(code, block.line, block.hidden, block.skip))
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
        if block.skip is None:
            parts.append(f"    # {page.relative_to(ROOT)}:{block.line}")
            parts += [f"    {line}" if line else "" for line in block.code.splitlines()]
    return "\n".join(parts) + "\n"


def run_page(page: Path, endpoints: dict[str, Any]) -> None:
    """Run the examples of ``page`` against the server described by ``endpoints``."""
    from janus_webrtc.testing import JanusEndpoints, restrict_aioice_to

    server = JanusEndpoints(**{**endpoints, "recordings_dir": None})
    urls = {old: getattr(server, name) for old, name in URLS.items()}
    namespace: dict[str, Any] = {"__name__": "__example__", "janus_server": server}
    ice = server.ice_address
    with asyncio.Runner() as runner, restrict_aioice_to(ice) if ice else contextlib.nullcontext():
        for block in program(page, urls):
            if block.skip is not None:
                continue
            # Blank lines first, so that a traceback's line numbers are the page's.
            source = "\n" * (block.line - 1) + block.code
            code = compile(source, str(page), "exec", ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
            result = eval(code, namespace)
            if inspect.iscoroutine(result):
                runner.run(result)


if __name__ == "__main__":
    run_page(Path(sys.argv[1]), json.loads(sys.argv[2]))
