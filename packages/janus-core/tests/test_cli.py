"""janusctl against a real Janus."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from janus_webrtc.cli import main
from janus_webrtc.testing import JanusEndpoints

pytestmark = pytest.mark.janus


def test_info_over_each_transport(janus_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--json", "info", janus_url]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["version_string"] == "1.1.2"
    assert "janus.plugin.echotest" in info["plugins"]


def test_status_and_sessions_through_the_admin_api(
    janus_server: JanusEndpoints,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("JANUS_ADMIN_SECRET", janus_server.admin_secret)
    for url in (janus_server.admin_ws_url, janus_server.admin_http_url):
        assert main(["--json", "status", url]) == 0
        assert json.loads(capsys.readouterr().out)["session_timeout"] == 60
        assert main(["sessions", url]) == 0
        capsys.readouterr()


def test_errors_are_one_clear_line_and_status_1(
    janus_server: JanusEndpoints, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--timeout", "2", "info", "ws://127.0.0.1:9"]) == 1
    assert "ConnectError" in capsys.readouterr().err
    assert main(["status", janus_server.admin_http_url, "--admin-secret", "WRONG-ADMIN-77"]) == 1
    err = capsys.readouterr().err
    assert "UnauthorizedError" in err and "403" in err and "WRONG-ADMIN-77" not in err


def test_plugins_lists_installed_packages(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--json", "plugins"]) == 0
    listing = json.loads(capsys.readouterr().out)
    assert set(listing) == {"available", "failures"}


def test_the_console_script_is_installed(janus_url: str) -> None:
    script = Path(sys.executable).parent / "janusctl"
    run = subprocess.run(
        [str(script), "info", janus_url], capture_output=True, text=True, timeout=30
    )
    assert run.returncode == 0, run.stderr
    assert "version_string: 1.1.2" in run.stdout
