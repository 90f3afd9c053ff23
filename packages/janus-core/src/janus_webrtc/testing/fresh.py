"""Run Python code in a fresh interpreter, for tests of what a process imports.

A test process has long imported everything, so a test that checks what importing or using a
package loads (for example that signalling alone loads no aiortc) runs its code in a new
interpreter of the same Python, which prints its findings as JSON.
"""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

__all__ = ["MEDIA_MODULES", "json_printed_by", "media_loaded_by_importing", "run_in_fresh_python"]

MEDIA_MODULES = ("aioice", "aiortc", "av")
"""The modules of the ``media`` extra, as ``loaded_media()`` lists them (sorted)."""

_PRELUDE = f"""
import sys as _sys


def loaded_media():
    return sorted(m for m in {MEDIA_MODULES!r} if m in _sys.modules)
"""


def run_in_fresh_python(
    code: str, *args: str, timeout: float = 120.0
) -> subprocess.CompletedProcess[str]:
    """Run ``code`` with ``python -c`` in a new interpreter of this Python.

    The code can call ``loaded_media()``: the modules of :data:`MEDIA_MODULES` imported so
    far, sorted. ``sys.argv[1:]`` are ``args``.

    Returns:
        The finished process, with its output as text.
    """
    return subprocess.run(
        [sys.executable, "-c", _PRELUDE + code, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def json_printed_by(code: str, *args: str, timeout: float = 120.0) -> Any:
    """Run ``code`` as :func:`run_in_fresh_python` does; return the JSON of its last line.

    Raises:
        AssertionError: The code failed (with its stderr), or printed no JSON last.
    """
    done = run_in_fresh_python(code, *args, timeout=timeout)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines, f"the code printed nothing; stderr: {done.stderr}"
    return json.loads(lines[-1])


def media_loaded_by_importing(*modules: str) -> list[str]:
    """The media modules a fresh interpreter has loaded after importing ``modules``.

    It also loads the entry point of every installed plugin package (as ``attach("name")``
    does), so that a plugin package is checked the way applications use it.
    """
    code = f"""
import importlib, json
import janus_webrtc.plugins

for name in {list(modules)!r}:
    importlib.import_module(name)
janus_webrtc.plugins.available()
print(json.dumps(loaded_media()))
"""
    loaded: list[str] = json_printed_by(code)
    return loaded
