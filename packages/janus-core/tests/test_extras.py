"""The ``media`` extra: without aiortc or PyAV, the WebRTC side says which extra to install.

Each case runs in a subprocess whose ``sys.modules`` hides one media module, so it runs in
every venv; ``nox -s signalling`` also checks the real absence (the core without the extra).
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from janus_webrtc._extras import MEDIA_INSTALL, media_missing

HIDE = "import sys; sys.modules[{module!r}] = None\n"


def run_hiding(module: str, code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", HIDE.format(module=module) + code],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize("module", ["aiortc", "av"])
@pytest.mark.parametrize(
    ("code", "what"),
    [
        ("import janus_webrtc; janus_webrtc.WebRTCHandle", "janus_webrtc.WebRTCHandle"),
        ("from janus_webrtc import MediaSink", "janus_webrtc.MediaSink"),
        ("import janus_webrtc.webrtc", "janus_webrtc.webrtc"),
        ("from janus_webrtc import media", "janus_webrtc.media"),
    ],
)
def test_the_webrtc_side_names_the_extra_to_install(module: str, code: str, what: str) -> None:
    run = run_hiding(module, code)
    assert run.returncode == 1
    last = run.stderr.strip().splitlines()[-1]
    assert last.startswith("ModuleNotFoundError: ")
    assert what in last and MEDIA_INSTALL in last
    # the hidden module, or aiortc when the media extra is really absent (nox -s signalling)
    assert repr(module) in last or "'aiortc'" in last


def test_signalling_works_without_media() -> None:
    code = (
        "import janus_webrtc, janus_webrtc.testing.plugin, janus_webrtc.cli\n"
        "from janus_webrtc import DataChannelMessage, Handle, connect\n"
        "print('ok')"
    )
    run = run_hiding("aiortc", code)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "ok"


def test_other_missing_modules_are_left_alone() -> None:
    assert media_missing(ModuleNotFoundError("x", name="numpy"), "janus_webrtc.media") is None
    assert media_missing(ModuleNotFoundError("x"), "janus_webrtc.media") is None
    error = media_missing(ModuleNotFoundError("x", name="av.frame"), "janus_webrtc.media")
    assert error is not None and error.name == "av.frame" and MEDIA_INSTALL in str(error)


def test_unknown_names_still_raise_attribute_error() -> None:
    import janus_webrtc

    with pytest.raises(AttributeError, match="no attribute 'NoSuchThing'"):
        janus_webrtc.NoSuchThing  # noqa: B018
