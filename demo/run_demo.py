"""A tour of janus-webrtc against a private, local Janus server.

1. Starts a loopback-only Janus with :class:`janus_webrtc.testing.JanusServer` (no pytest).
2. Prints what Janus reports (version, plugins, transports) and which plugin packages are
   installed (``janus_webrtc.plugins.available()`` and ``failures()``).
3. Over WebSocket, then HTTP: for every Janus plugin it knows, attaches a handle, makes one
   simple request, detaches, and prints how long each step took.
4. Runs ``async def run(endpoints) -> None`` of every ``demo/demo_*.py`` module, in name order;
   a module whose plugin package is not installed is skipped, with the reason.

Exits with status 1 if anything failed. Needs no terminal: fit for CI. Run it with
``./scripts/demo`` or ``nox -s demo``, or with ``python demo/run_demo.py`` in an environment
where janus-webrtc (and any plugin packages) are installed and ``janus`` is on the PATH.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import inspect
import logging
import sys
import time
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import janus_webrtc
from janus_webrtc import plugins
from janus_webrtc.testing import JanusEndpoints, JanusServer, ensure_ice_address

DEMO_DIR = Path(__file__).resolve().parent
TRANSPORTS = ("ws", "http")


def _echotest_ok(data: Mapping[str, Any]) -> str:
    if data.get("result") != "ok":
        raise AssertionError(f"expected result 'ok', got {dict(data)}")
    return "result ok"


def _listed(data: Mapping[str, Any]) -> str:
    # Most plugins answer {"list": [...]}; videocall answers {"result": {"list": [...]}}.
    result = data.get("result")
    items = result.get("list") if isinstance(result, Mapping) else data.get("list")
    if not isinstance(items, list):
        raise AssertionError(f"expected a list, got {dict(data)}")
    return f"{len(items)} listed"


@dataclass(frozen=True)
class RoundTrip:
    """One simple request to a Janus plugin and how to check its answer."""

    plugin: str
    body: Mapping[str, Any]
    check: Callable[[Mapping[str, Any]], str]


ROUND_TRIPS = (
    RoundTrip("echotest", {"audio": True}, _echotest_ok),
    RoundTrip("videoroom", {"request": "list"}, _listed),
    RoundTrip("textroom", {"request": "list"}, _listed),
    RoundTrip("videocall", {"request": "list"}, _listed),
    RoundTrip("audiobridge", {"request": "list"}, _listed),
    RoundTrip("streaming", {"request": "list"}, _listed),
    RoundTrip("recordplay", {"request": "list"}, _listed),
)


class Tally:
    """Counts what went wrong, to decide the exit status."""

    def __init__(self) -> None:
        self.failures: list[str] = []

    def fail(self, what: str, exc: BaseException | None = None) -> None:
        """Record and print a failure (with its traceback, if any)."""
        self.failures.append(what)
        print(f"  FAILED: {what}", flush=True)
        if exc is not None:
            traceback.print_exception(exc, file=sys.stdout)


def ms(seconds: float) -> str:
    """Format a duration in milliseconds."""
    return f"{seconds * 1000:7.1f} ms"


def heading(text: str) -> None:
    """Print a section heading."""
    print(f"\n== {text}", flush=True)


def show_plugin_packages(tally: Tally) -> None:
    """Print the installed plugin packages and the ones that failed to load."""
    heading("plugin packages (janus_webrtc.plugins.available())")
    infos = plugins.available()
    if not infos:
        print("  none installed: attach() returns generic janus_webrtc.Handle objects")
    for info in infos:
        default = "" if info.default else "  (attach by class)"
        print(
            f"  {info.name:<12} {info.plugin_id:<26} {info.handle_class.__name__:<24} "
            f"{info.distribution or '(in-process)'} {info.version}{default}"
        )
    for failure in plugins.failures():
        tally.fail(
            f"plugin package entry point {failure.entry_point!r} "
            f"from {failure.distribution or '?'} failed to load: {failure.error}"
        )


async def show_server(url: str) -> frozenset[str]:
    """Print what Janus says about itself; return the ids of its plugins."""
    async with janus_webrtc.connect(url) as conn:
        info = await conn.info()
    heading(f"server: {info.name} {info.version_string} ({info.server_name})")
    print(f"  session timeout {info.session_timeout} s, data channels {info.data_channels}")
    print("  plugins:")
    for plugin_id, component in sorted(info.plugins.items()):
        print(f"    {plugin_id:<28} {component.version_string:<8} {component.name}")
    print("  transports:")
    for transport_id, component in sorted(info.transports.items()):
        print(f"    {transport_id:<28} {component.version_string:<8} {component.name}")
    return frozenset(info.plugins)


async def round_trips(transport: str, url: str, loaded: frozenset[str], tally: Tally) -> None:
    """Attach to each known plugin over one transport, make one request, detach."""
    heading(f"round trips over {transport}: {url}")
    print(f"  {'plugin':<12} {'attach':>10} {'request':>10} {'detach':>10}  answer")
    started = time.perf_counter()
    async with janus_webrtc.connect(url) as conn:
        connected = time.perf_counter()
        async with await conn.create_session() as session:
            created = time.perf_counter()
            print(f"  connect {ms(connected - started)}, create session {ms(created - connected)}")
            for trip in ROUND_TRIPS:
                plugin_id = f"janus.plugin.{trip.plugin}"
                if plugin_id not in loaded:
                    print(f"  {trip.plugin:<12} not loaded in this Janus: skipped")
                    continue
                try:
                    t0 = time.perf_counter()
                    handle = await session.attach(trip.plugin)
                    t1 = time.perf_counter()
                    try:
                        response = await handle.send(trip.body)
                        t2 = time.perf_counter()
                        answer = trip.check(response.data)
                    finally:
                        await handle.detach()
                    t3 = time.perf_counter()
                except Exception as exc:
                    tally.fail(f"{trip.plugin} over {transport}", exc)
                    continue
                print(
                    f"  {trip.plugin:<12} {ms(t1 - t0)} {ms(t2 - t1)} {ms(t3 - t2)}  "
                    f"{answer} ({type(handle).__name__})",
                    flush=True,
                )


def load_demo(path: Path) -> ModuleType | str:
    """Import a demo module; return why it is skipped if its package is not installed."""
    name = f"janus_webrtc_demo_{path.stem}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except ModuleNotFoundError as exc:
        top = (exc.name or "").partition(".")[0]
        # Only a missing distribution is a reason to skip; a broken install is a failure.
        if top and top != "janus_webrtc" and importlib.util.find_spec(top) is None:
            return f"needs {top!r}, which is not installed ({exc})"
        raise
    return module


async def run_demos(endpoints: JanusEndpoints, timeout: float, tally: Tally) -> None:
    """Run ``run(endpoints)`` of every demo/demo_*.py, in name order."""
    paths = sorted(DEMO_DIR.glob("demo_*.py"))
    heading(f"demo modules ({len(paths)} in {DEMO_DIR.name}/)")
    for path in paths:
        print(f"\n-- {path.name}", flush=True)
        try:
            loaded = load_demo(path)
        except Exception as exc:
            tally.fail(f"{path.name}: import failed", exc)
            continue
        if isinstance(loaded, str):
            print(f"  skipped: {loaded}")
            continue
        run = getattr(loaded, "run", None)
        if not inspect.iscoroutinefunction(run):
            tally.fail(f"{path.name}: has no `async def run(endpoints) -> None`")
            continue
        started = time.perf_counter()
        try:
            async with asyncio.timeout(timeout):
                await run(endpoints)
        except Exception as exc:
            tally.fail(f"{path.name} (after {time.perf_counter() - started:.1f} s)", exc)
            continue
        print(f"  {path.name} done in {time.perf_counter() - started:.2f} s", flush=True)


async def tour(endpoints: JanusEndpoints, args: argparse.Namespace, tally: Tally) -> None:
    """Everything after the server is up."""
    loaded = await show_server(endpoints.ws_url)
    show_plugin_packages(tally)
    for transport in TRANSPORTS:
        try:
            await round_trips(transport, endpoints.url(transport), loaded, tally)
        except Exception as exc:
            tally.fail(f"round trips over {transport}", exc)
    if not args.no_modules:
        await run_demos(endpoints, args.timeout, tally)


def main() -> int:
    """Start Janus, run the tour, stop Janus; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-modules", action="store_true", help="skip demo/demo_*.py")
    parser.add_argument(
        "--timeout", type=float, default=120.0, help="seconds allowed for each demo module"
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log janus_webrtc debug")
    args = parser.parse_args()
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )

    print(f"janus-webrtc {janus_webrtc.__version__}, Python {sys.version.split()[0]}")
    tally = Tally()
    started = time.perf_counter()
    # ICE between Janus and aiortc on one machine needs a non-loopback 127/8 address (root);
    # without it the round trips still work, only media demos may not.
    ice_address = ensure_ice_address()
    with JanusServer(ice_address=ice_address) as server:
        endpoints = server.endpoints
        print(
            f"Janus started in {time.perf_counter() - started:.2f} s (pid {server.pid}): "
            f"ws {endpoints.ws_url}, http {endpoints.http_url}, ICE address {ice_address}"
        )
        asyncio.run(tour(endpoints, args, tally))
    heading("result")
    if tally.failures:
        print(f"  {len(tally.failures)} failure(s):")
        for failure in tally.failures:
            print(f"  - {failure}")
        return 1
    print(f"  all good in {time.perf_counter() - started:.2f} s")
    return 0


if __name__ == "__main__":
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]
    sys.exit(main())
