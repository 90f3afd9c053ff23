"""The plugin package template: generated, installed in a fresh venv, tested against Janus."""

from __future__ import annotations

import os
import subprocess
import sysconfig
from pathlib import Path

import pytest

from janus_webrtc.template import create_plugin_package
from janus_webrtc.template.__main__ import main
from janus_webrtc.testing import JanusEndpoints
from janus_webrtc.testing.plugin import ENV_PREFIX, endpoints_to_env
from venvs import fresh_venv

CORE = Path(__file__).resolve().parents[1]
"""The janus-core folder (its pyproject builds the janus-webrtc wheel)."""

EXPECTED = {
    "pyproject.toml",
    "README.md",
    "CHANGELOG.md",
    "LICENSE",
    "src/janus_recordplay/__init__.py",
    "src/janus_recordplay/errors.py",
    "src/janus_recordplay/messages.py",
    "src/janus_recordplay/handle.py",
    "src/janus_recordplay/plugin.py",
    "src/janus_recordplay/py.typed",
    "tests/test_recordplay.py",
}


def test_the_package_has_every_part(tmp_path: Path) -> None:
    folder = create_plugin_package("recordplay", tmp_path)
    assert folder == tmp_path / "janus-recordplay"
    files = {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}
    assert files == EXPECTED
    pyproject = (folder / "pyproject.toml").read_text()
    assert (
        '[project.entry-points.janus_webrtc]\nrecordplay = "janus_recordplay.plugin"' in pyproject
    )
    # the handle is a WebRTCHandle: it needs the media extra, as every plugin package here
    assert 'dependencies = ["janus-webrtc[media]>=0.1,<0.2"]' in pyproject
    assert 'license = "MIT"\nlicense-files = ["LICENSE"]' in pyproject
    licence = (folder / "LICENSE").read_text()
    assert licence.startswith("MIT License\n\nCopyright (c) 20")
    assert "The janus-recordplay authors" in licence
    handle = (folder / "src/janus_recordplay/handle.py").read_text()
    assert 'plugin_id: ClassVar[str] = "janus.plugin.recordplay"' in handle
    assert "class RecordplayHandle(WebRTCHandle):" in handle
    errors = (folder / "src/janus_recordplay/errors.py").read_text()
    assert "class RecordplayUnknownError(RecordplayError, code=ERROR_UNKNOWN_ERROR):" in errors
    for path in folder.rglob("*.py"):
        compile(path.read_text(), str(path), "exec")  # every module is valid Python


def test_names_and_folders_are_checked(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="must be lower case letters"):
        create_plugin_package("Record-Play", tmp_path)
    with pytest.raises(ValueError, match="must be lower case letters"):
        create_plugin_package("class", tmp_path)
    with pytest.raises(ValueError, match="is not one such as"):
        create_plugin_package("custom", tmp_path, plugin_id="custom")
    create_plugin_package("custom", tmp_path, plugin_id="acme.plugin.custom")
    with pytest.raises(FileExistsError, match="janus-custom"):
        create_plugin_package("custom", tmp_path)
    text = (tmp_path / "janus-custom/src/janus_custom/errors.py").read_text()
    assert 'plugin_id = "acme.plugin.custom"' in text


def test_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["my_plugin", str(tmp_path)]) == 0
    assert capsys.readouterr().out.strip() == str(tmp_path / "janus-my-plugin")
    assert (tmp_path / "janus-my-plugin/src/janus_my_plugin/handle.py").is_file()
    assert main(["my_plugin", str(tmp_path)]) == 2
    assert "exists already" in capsys.readouterr().err


def _outer_dependencies(folder: Path) -> Path:
    """Links to this environment's installed packages, janus ones left out.

    The fresh venv sees its third-party dependencies (aiortc, pytest...) through a .pth file
    pointing here, while janus-webrtc itself comes from the wheel built by the test.
    """
    folder.mkdir()
    sites = {sysconfig.get_path("purelib"), sysconfig.get_path("platlib")}
    for site in sites:
        for entry in Path(site).iterdir():
            lowered = entry.name.lower()
            if lowered.startswith(("janus", "_janus", "__editable__", "_virtualenv")):
                continue
            if lowered.endswith(".pth") or (folder / entry.name).exists():
                continue
            (folder / entry.name).symlink_to(entry)
    return folder


@pytest.mark.janus
def test_a_generated_package_installs_and_passes_its_tests(
    tmp_path: Path, janus_server: JanusEndpoints
) -> None:
    package = create_plugin_package("recordplay", tmp_path / "src")
    python, site = fresh_venv(tmp_path / "venv", [_outer_dependencies(tmp_path / "deps")])
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(ENV_PREFIX)},
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
    }
    wheels = tmp_path / "wheels"
    built = subprocess.run(
        [str(python), "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(wheels), CORE, package],
        env=env,
        capture_output=True,
        text=True,
    )
    if built.returncode != 0:
        pytest.skip(f"cannot build wheels here (no build backend reachable): {built.stderr[-500:]}")
    names = sorted(p.name for p in wheels.glob("*.whl"))
    assert [n.split("-")[0] for n in names] == ["janus_recordplay", "janus_webrtc"]
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-index"]
        + [str(wheels / n) for n in names],
        env=env,
        check=True,
    )
    where = subprocess.run(
        [str(python), "-c", "import janus_webrtc, janus_recordplay; print(janus_webrtc.__file__)"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert where.startswith(str(site))  # the wheel's janus-webrtc, not this environment's
    server = {
        **endpoints_to_env(janus_server),
        "CI": "true",  # a skipped test is a failure here: every test must really run
    }
    run = subprocess.run(
        [str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rA"],
        cwd=package,
        env={**env, **server},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert "8 passed" in run.stdout, run.stdout[-2000:]  # 1 + 1 + two tests over ws, http, unix
