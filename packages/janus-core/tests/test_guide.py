"""The code of docs/plugins/webrtc.md runs: its handles, its usage and its tests, on Janus."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from janus_webrtc.testing import JanusEndpoints
from janus_webrtc.testing.plugin import endpoints_to_env

pytest_plugins = ["pytester"]

GUIDE = Path(__file__).resolve().parents[3] / "docs" / "plugins" / "webrtc.md"


def guide_blocks() -> list[str]:
    """The Python blocks of the guide, in order."""
    return re.findall(r"```python\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.S)


@pytest.mark.janus
@pytest.mark.skipif(not GUIDE.is_file(), reason="the docs folder is not next to the package")
def test_the_webrtc_guide_runs(
    pytester: pytest.Pytester,
    janus_server: JanusEndpoints,
    janus_ice_address: str | None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if janus_ice_address is None:  # a missing prerequisite: skipped, but failed under CI
        why = "media tests need a private ICE address (see janus_media_ice)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(why, pytrace=False)
        pytest.skip(why)
    blocks = guide_blocks()
    assert len(blocks) == 4, "the guide's handle, usage, chat handle and test blocks"
    echo_handle, usage, chat_handle, tests = blocks
    # One module: the two handles and the usage function, then the guide's tests after them.
    pytester.makepyfile(
        test_guide_code="\n".join(
            [
                "from __future__ import annotations",
                *(
                    b.replace("from __future__ import annotations\n", "")
                    for b in (echo_handle, chat_handle, usage, tests)
                ),
                "async def test_usage_function(janus_session, janus_media_ice):",
                "    counter = await echo_media(janus_session)",
                "    assert counter.frames('video') >= 10",
            ]
        )
    )
    pytester.makeini(
        "[pytest]\nasyncio_mode = auto\nasyncio_default_fixture_loop_scope = function\n"
        "filterwarnings = error\n"
    )
    for name, value in endpoints_to_env(janus_server).items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("CI", "true")  # nothing may be skipped
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-q")
    result.assert_outcomes(passed=9)  # three tests, over ws, http and unix
