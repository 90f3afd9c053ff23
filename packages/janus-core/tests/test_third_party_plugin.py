"""A third-party plugin package, built in a temporary folder, installed into a fresh virtual
environment, discovered through its entry point, listed, and attached against a real Janus."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import subprocess
import sys
import sysconfig
import textwrap
import zipfile
from pathlib import Path

import pytest

from venvs import fresh_venv

pytestmark = pytest.mark.janus

DIST = "tiny-janus-recordplay"
VERSION = "0.3.1"

PLUGIN_MODULE = '''
"""A tiny third-party plugin package for Janus's Record&Play plugin."""
from janus_webrtc import Handle
from janus_webrtc.plugins import hookimpl


class RecordPlayHandle(Handle):
    plugin_id = "janus.plugin.recordplay"

    async def list_recordings(self):
        reply = await self.send({"request": "list"})
        return list(reply.data["list"])


@hookimpl
def janus_webrtc_handle_classes():
    return [RecordPlayHandle]
'''

BROKEN_MODULE = 'raise ImportError("this plugin is broken on purpose")\n'

SCRIPT = """
import asyncio, json, logging, sys
logging.basicConfig(level=logging.WARNING)  # the application's choice; the library sets none
import janus_webrtc
from janus_webrtc import plugins

async def main(url):
    async with janus_webrtc.connect(url) as conn:
        async with await conn.create_session() as session:
            handle = await session.attach("recordplay")
            recordings = await handle.list_recordings()
            return type(handle).__module__ + "." + type(handle).__name__, recordings

attached, recordings = asyncio.run(main(sys.argv[1]))
print(json.dumps({
    "available": [[i.name, i.plugin_id, i.distribution, i.version, i.default] for i in plugins.available()],
    "failures": [[f.entry_point, f.distribution, f.error] for f in plugins.failures()],
    "attached": attached,
    "recordings": recordings,
}))
"""


def _record_line(name: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def build_wheel(folder: Path) -> Path:
    """Write a minimal, valid wheel of the tiny package (no build backend needed)."""
    dist_info = f"{DIST.replace('-', '_')}-{VERSION}.dist-info"
    files = {
        "tiny_janus_recordplay.py": PLUGIN_MODULE.encode(),
        "tiny_broken_plugin.py": BROKEN_MODULE.encode(),
        f"{dist_info}/METADATA": textwrap.dedent(f"""\
            Metadata-Version: 2.1
            Name: {DIST}
            Version: {VERSION}
            Requires-Dist: janus-webrtc
            """).encode(),
        f"{dist_info}/WHEEL": b"Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
        f"{dist_info}/entry_points.txt": textwrap.dedent("""\
            [janus_webrtc]
            recordplay = tiny_janus_recordplay
            broken = tiny_broken_plugin
            """).encode(),
    }
    record = [_record_line(name, data) for name, data in files.items()]
    record.append(f"{dist_info}/RECORD,,")
    files[f"{dist_info}/RECORD"] = ("\n".join(record) + "\n").encode()
    wheel = folder / f"{DIST.replace('-', '_')}-{VERSION}-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return wheel


@pytest.fixture(scope="module")
def plugin_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv that sees this environment's packages (janus-webrtc and its dependencies)
    through a .pth file, with the tiny package installed by pip."""
    folder = tmp_path_factory.mktemp("third-party")
    ours = {sysconfig.get_path("purelib"), sysconfig.get_path("platlib")}
    ours.update(p for p in sys.path if p.endswith("site-packages") or "/src" in p)
    python, _ = fresh_venv(folder / "venv", ours)
    subprocess.run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "--no-deps",
            "--no-index",
            "-q",
            str(build_wheel(folder)),
        ],
        check=True,
        env={**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"},
    )
    return python


def test_third_party_package_is_discovered_listed_and_attached(
    plugin_venv: Path, janus_url: str
) -> None:
    run = subprocess.run(
        [str(plugin_venv), "-c", SCRIPT, janus_url], capture_output=True, text=True, timeout=60
    )
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert ["recordplay", "janus.plugin.recordplay", DIST, VERSION, True] in result["available"]
    assert result["attached"] == "tiny_janus_recordplay.RecordPlayHandle"
    assert result["recordings"] == []
    (failure,) = [f for f in result["failures"] if f[0] == "broken"]
    assert failure[1] == DIST and "broken on purpose" in failure[2]
    # the failure was logged with the entry point's and the distribution's names
    assert "'broken'" in run.stderr and DIST in run.stderr
