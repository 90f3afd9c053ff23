"""The example runs against the test server: a bot plays a prompt and hears it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from janus_webrtc.testing import run_python_script

pytestmark = [
    pytest.mark.janus,
    pytest.mark.requires_plugin("audiobridge"),
    pytest.mark.usefixtures("janus_media_ice"),
]

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


async def run_example(name: str, *args: str, timeout: float = 60) -> str:
    """Run ``examples/NAME`` with ``args``; return its output (it must succeed)."""
    return await run_python_script(EXAMPLES / name, *args, timeout=timeout)


async def test_prompt_bot_plays_and_hears_its_prompt(janus_url: str, janus_media_ice: str) -> None:
    text = await run_example(
        "prompt_bot.py", janus_url, "--create", "--ice-address", janus_media_ice
    )
    assert "joined room" in text and "announcement over" in text and "left" in text
    levels = [float(m) for m in re.findall(r"in what the bot hears: ([0-9.]+)", text)]
    assert levels and max(levels) > 0.5, text
