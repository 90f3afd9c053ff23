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


class SmokeError(Exception):
    """A smoke check that did not hold."""


def check(condition: object, message: object) -> None:
    """Raise :class:`SmokeError` with ``message`` unless ``condition`` holds."""
    if not condition:
        raise SmokeError(str(message))


def site_packages_size() -> str:
    """The size of this venv's site-packages, in MB."""
    root = Path(sysconfig.get_paths()["purelib"])
    size = sum(p.stat().st_size for p in root.rglob("*") if p.is_file() and not p.is_symlink())
    return f"{size / 1e6:.1f} MB"


async def signalling(url: str, plugins: list[str]) -> None:
    """Connect, check info, attach every named plugin and check its handle class."""
    async with janus_webrtc.connect(url) as conn, await conn.create_session() as session:
        info = await conn.info()
        check(info.version_string == "1.1.2", info.version_string)
        handle = await session.attach("echotest")
        if not plugins:
            check(type(handle) is janus_webrtc.Handle, type(handle))
            reply = await handle.send({"audio": True})
            check(reply.data.get("result") == "ok", reply.data)
        await handle.detach()
        for module in plugins:
            name = module.removeprefix("janus_")
            attached = await session.attach(name)
            home = type(attached).__module__.partition(".")[0]
            check(home == module, f"attach({name!r}) gave {type(attached)} (not {module})")
            await attached.detach()
        print(f"  {url}: info {info.version_string}, attached {', '.join(plugins) or 'echotest'}")


def main() -> int:
    """Run the smoke session named by argv[1]; exit 0 when everything held."""
    install, plugins = sys.argv[1], sys.argv[2:]
    present = [m for m in MEDIA if importlib.util.find_spec(m) is not None]
    if install == "core":
        check(not present, f"the core alone installed {present}")
        try:
            janus_webrtc.WebRTCHandle  # noqa: B018 - the import is the test
        except ModuleNotFoundError as exc:
            check('pip install "janus-webrtc[media]"' in str(exc), exc)
        else:
            raise SmokeError("WebRTCHandle imported without the media extra")
    else:
        check(present == list(MEDIA), f"media extra incomplete: {present}")
        importlib.import_module("janus_webrtc.webrtc")
        for module in plugins:
            spec = importlib.util.find_spec(module)
            origin = spec.origin if spec is not None else None
            check(origin is not None, f"{module} is not installed")
            check((Path(str(origin)).parent / "py.typed").is_file(), f"{module}: no py.typed")
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
        check(run.returncode == 0, run.stderr)
        check('"1.1.2"' in run.stdout, run.stdout)
    print(f"wheels ({install}): ok; site-packages {site_packages_size()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
