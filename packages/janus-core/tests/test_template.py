"""The plugin package template: generated, installed in a fresh venv, tested against Janus."""

from __future__ import annotations

import os
import re
import subprocess
from importlib.metadata import distributions
from pathlib import Path

import pytest

from janus_webrtc.template import create_plugin_package
from janus_webrtc.template.__main__ import main
from janus_webrtc.testing import JanusEndpoints
from janus_webrtc.testing.plugin import ENV_PREFIX, endpoints_to_env
from venvs import fresh_venv

CORE = Path(__file__).resolve().parents[1]
"""The janus-core folder (its pyproject builds the janus-webrtc wheel)."""

GUIDE = CORE.parents[1] / "docs" / "plugins" / "index.md"
"""The plugin-author guide, whose pyproject example is the template's."""

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
    # the handle is a WebRTCHandle: it needs the media extra, as every plugin package does
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


@pytest.mark.skipif(not GUIDE.is_file(), reason="the docs folder is not next to the package")
def test_the_guide_shows_the_generated_pyproject(tmp_path: Path) -> None:
    examples = re.findall(r"```toml\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.S)
    assert len(examples) == 1, "the guide's one pyproject.toml example"
    generated = (create_plugin_package("recordplay", tmp_path) / "pyproject.toml").read_text()
    assert examples[0] == generated, "docs/plugins/index.md: copy the generated pyproject.toml"


@pytest.mark.skipif(not GUIDE.is_file(), reason="the docs folder is not next to the package")
def test_the_guide_shows_the_generated_layout(tmp_path: Path) -> None:
    text = GUIDE.read_text(encoding="utf-8")
    block = re.search(r"its layout:\n\n```text\njanus-recordplay/\n(.*?)```", text, re.S)
    assert block, "the guide's layout block"
    shown, folders = set(), [""]
    for line in block.group(1).splitlines():
        depth = (len(line) - len(line.lstrip())) // 2
        del folders[depth:]
        name = line.strip()
        if name.endswith("/"):
            folders.append(folders[-1] + name)
        else:
            shown.add(folders[-1] + name)
    folder = create_plugin_package("recordplay", tmp_path)
    made = {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}
    assert shown == made == EXPECTED, "docs/plugins/index.md: show the generated layout"


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


PROBE = """\
import importlib, sys
for name in sys.argv[1:]:
    print(importlib.import_module(name).__file__)
"""
"""Prints where each module named in its arguments is imported from."""


def _cannot(message: str) -> None:
    """Skip the test for a missing prerequisite; fail it under ``CI=true``, where none is."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def _pins(path: Path) -> Path:
    """A pip constraints file: the versions of this environment's distributions, janus ones out.

    It adds nothing to the fresh venv: pip still installs only what the generated package
    declares. When a declared dependency pulls a distribution in, it gets the version this
    suite runs: the test runs the tested versions, the same on every run (from pip's cache
    after the first).
    """
    pins: dict[str, str] = {}
    for dist in distributions():
        name = dist.metadata["Name"]
        if name and not name.lower().replace("_", "-").startswith("janus"):
            pins.setdefault(name.lower().replace("_", "-"), f"{name}=={dist.version}")
    path.write_text("\n".join(sorted(pins.values())) + "\n", encoding="utf-8")
    return path


@pytest.mark.janus
def test_a_generated_package_installs_and_passes_its_tests(
    tmp_path: Path, janus_server: JanusEndpoints
) -> None:
    """Built and installed in a venv that sees nothing of this environment, tested on Janus.

    The venv gets the two wheels built here and what they declare, resolved by pip (the
    ordinary index, pinned to this environment's versions): a dependency the generated package
    needs but does not declare (aiortc, through ``janus-webrtc[media]``) fails the test.
    """
    package = create_plugin_package("recordplay", tmp_path / "src")
    python, site = fresh_venv(tmp_path / "venv", [])  # nothing outside the venv is seen
    env = {
        **{
            k: v
            for k, v in os.environ.items()
            if not k.startswith(ENV_PREFIX) and k not in ("PYTHONPATH", "PYTHONHOME")
        },
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        "PIP_NO_INPUT": "1",
    }
    pip = [str(python), "-m", "pip"]
    wheels = tmp_path / "wheels"
    built = subprocess.run(
        [*pip, "wheel", "-q", "--no-deps", "-w", str(wheels), CORE, package],
        env=env,
        capture_output=True,
        text=True,
    )
    if built.returncode != 0:
        _cannot(f"cannot build the wheels (is a build backend reachable?): {built.stderr[-800:]}")
    names = sorted(p.name for p in wheels.glob("*.whl"))
    assert [n.split("-")[0] for n in names] == ["janus_recordplay", "janus_webrtc"]
    recordplay, core = (wheels / n for n in names)
    # The wheel files are named, so pip takes janus-webrtc from here, never from an index;
    # the generated package's testing extra brings pytest and pytest-asyncio.
    options = ["-q", "--prefer-binary", "--find-links", str(wheels)]
    options += ["-c", str(_pins(tmp_path / "pins.txt"))]
    installed = subprocess.run(
        [*pip, "install", *options, f"{recordplay}[testing]", str(core)],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    if installed.returncode != 0:
        _cannot(f"cannot install the declared dependencies: {installed.stderr[-1500:]}")
    checked = subprocess.run([*pip, "check"], env=env, capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    where = subprocess.run(
        [str(python), "-c", PROBE, "janus_webrtc", "janus_recordplay", "aiortc", "av", "pytest"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert where.returncode == 0, f"not installed through the declared dependencies: {where.stderr}"
    for path in where.stdout.split():  # all from the venv: the wheels and their dependencies
        assert path.startswith(str(site)), path
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
