"""Smoke-test the installed wheels against a private Janus (run by ``nox -s wheels``).

Runs in a fresh virtualenv holding only wheels from dist/ and their dependencies, away from
the source tree::

    python scripts/smoke_wheels.py everything janus_echotest janus_textroom ...
    python scripts/smoke_wheels.py core

``everything``: each named plugin package is found through its entry point and
``session.attach("<name>")`` returns its typed handle over ws and http; the WebRTC side
imports; ``janusctl`` runs. ``core``: the signalling client works while aiortc, aioice and
PyAV are absent, and the WebRTC names say which extra to install. Both print the size of the
installed site-packages.
"""

from __future__ import annotations

import asyncio
import importlib
import importlib.util
import subprocess
import sys
import sysconfig
from pathlib import Path

import janus_webrtc
from janus_webrtc.testing import JanusServer, ensure_ice_address

MEDIA = ("aiortc", "aioice", "av")


def site_packages_size() -> str:
    """The size of this venv's site-packages, in MB."""
    root = Path(sysconfig.get_paths()["purelib"])
    size = sum(p.stat().st_size for p in root.rglob("*") if p.is_file() and not p.is_symlink())
    return f"{size / 1e6:.1f} MB"


async def signalling(url: str, plugins: list[str]) -> None:
    """Connect, check info, attach every named plugin and check its handle class."""
    async with janus_webrtc.connect(url) as conn, await conn.create_session() as session:
        info = await conn.info()
        assert info.version_string == "1.1.2", info.version_string
        handle = await session.attach("echotest")
        if not plugins:
            assert type(handle) is janus_webrtc.Handle, type(handle)
            reply = await handle.send({"audio": True})
            assert reply.data.get("result") == "ok", reply.data
        await handle.detach()
        for module in plugins:
            name = module.removeprefix("janus_")
            attached = await session.attach(name)
            home = type(attached).__module__.partition(".")[0]
            assert home == module, f"attach({name!r}) gave {type(attached)} (not {module})"
            await attached.detach()
        print(f"  {url}: info {info.version_string}, attached {', '.join(plugins) or 'echotest'}")


def main() -> int:
    """Run the smoke session named by argv[1]; exit 0 when everything held."""
    install, plugins = sys.argv[1], sys.argv[2:]
    present = [m for m in MEDIA if importlib.util.find_spec(m) is not None]
    if install == "core":
        assert not present, f"the core alone installed {present}"
        try:
            janus_webrtc.WebRTCHandle  # noqa: B018 - the import is the test
        except ModuleNotFoundError as exc:
            assert 'pip install "janus-webrtc[media]"' in str(exc), exc
        else:
            raise AssertionError("WebRTCHandle imported without the media extra")
    else:
        assert present == list(MEDIA), f"media extra incomplete: {present}"
        importlib.import_module("janus_webrtc.webrtc")
        for module in plugins:
            spec = importlib.util.find_spec(module)
            assert spec is not None and spec.origin is not None, module
            assert (Path(spec.origin).parent / "py.typed").is_file(), f"{module}: no py.typed"
    with JanusServer(ice_address=ensure_ice_address()) as server:
        for transport in ("ws", "http"):
            asyncio.run(signalling(server.endpoints.url(transport), plugins))
        janusctl = Path(sys.executable).parent / "janusctl"
        run = subprocess.run(
            [str(janusctl), "--json", "info", server.endpoints.ws_url],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert run.returncode == 0 and '"1.1.2"' in run.stdout, run.stderr
    print(f"wheels ({install}): ok; site-packages {site_packages_size()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
