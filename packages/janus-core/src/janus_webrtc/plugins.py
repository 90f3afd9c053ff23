"""Plugin packages: discovery through entry points, and the registry of handle classes.

Installed packages that declare an entry point in the ``janus_webrtc`` group are loaded lazily,
once, the first time the registry is consulted (never at import). A package that fails to
import is logged with its name, listed by :func:`failures`, and skipped: the others still
work, and attaching to the plugin it was for raises :class:`~janus_webrtc.PluginLoadError`
(naming the package and the cause) instead of giving a generic handle.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from importlib.metadata import EntryPoint, entry_points
from typing import Any

import pluggy

from . import hookspecs
from .errors import PluginLoadError
from .handle import Handle

__all__ = [
    "ENTRY_POINT_GROUP",
    "PluginInfo",
    "PluginLoadFailure",
    "PluginRegistry",
    "available",
    "default_registry",
    "failures",
    "hookimpl",
]

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())

ENTRY_POINT_GROUP = "janus_webrtc"
"""The entry-point group (and pluggy project name) of plugin packages."""

PLUGIN_ID_PREFIX = "janus.plugin."

hookimpl = pluggy.HookimplMarker(ENTRY_POINT_GROUP)
"""Marker for a plugin package's hook implementations."""


@dataclass(frozen=True, slots=True)
class PluginInfo:
    """One handle class offered by an installed plugin package.

    Attributes:
        name: The short name accepted by ``Session.attach`` (``"echotest"``).
        plugin_id: The Janus plugin id (``"janus.plugin.echotest"``).
        handle_class: The handle class.
        default: Whether ``attach(name)`` returns this class.
        distribution: The distribution that provides it (``""`` if registered in-process).
        version: That distribution's version.
    """

    name: str
    plugin_id: str
    handle_class: type[Handle]
    default: bool
    distribution: str
    version: str


@dataclass(frozen=True, slots=True)
class PluginLoadFailure:
    """An entry point that could not be loaded.

    Attributes:
        entry_point: The entry point's name.
        distribution: The distribution that declared it.
        error: What went wrong.
        exception: The exception raised, if any.
    """

    entry_point: str
    distribution: str
    error: str
    exception: Exception | None = field(default=None, compare=False, repr=False)


def short_name(plugin_id: str) -> str:
    """Return the short name of a plugin id (``janus.plugin.echotest`` → ``echotest``)."""
    return plugin_id.removeprefix(PLUGIN_ID_PREFIX)


class PluginRegistry:
    """Maps plugin ids to handle classes, from entry points and in-process registrations.

    Args:
        group: The entry-point group to load (``None``: load no entry points).
    """

    def __init__(self, group: str | None = ENTRY_POINT_GROUP) -> None:
        self._group = group
        self._manager = pluggy.PluginManager(ENTRY_POINT_GROUP)
        self._manager.add_hookspecs(hookspecs)
        self._loaded = group is None
        self._lock = threading.Lock()
        self._failures: list[PluginLoadFailure] = []
        self._sources: dict[int, tuple[str, str]] = {}
        self._infos: list[PluginInfo] | None = None

    def register(self, plugin: Any, *, name: str | None = None) -> None:
        """Register an object implementing the hooks (a module or class), in-process.

        Useful for applications and tests that define handle classes without packaging them.
        """
        self._manager.register(plugin, name=name)
        self._infos = None

    def _load(self) -> None:
        if self._loaded:
            return
        with self._lock:
            if not self._loaded and self._group is not None:
                for entry_point in entry_points(group=self._group):
                    self._load_entry_point(entry_point)
            self._loaded = True

    def _load_entry_point(self, entry_point: EntryPoint) -> None:
        dist = entry_point.dist
        dist_name = dist.name if dist is not None else ""
        version = dist.version if dist is not None else ""
        if self._manager.has_plugin(entry_point.name):
            return
        try:
            plugin = entry_point.load()
            self._manager.register(plugin, name=entry_point.name)
        except Exception as exc:
            logger.warning(
                "janus-webrtc plugin %r from %s could not be loaded and is skipped: %s: %s",
                entry_point.name,
                dist_name or "an unknown distribution",
                type(exc).__name__,
                exc,
            )
            self._failures.append(
                PluginLoadFailure(
                    entry_point.name, dist_name, f"{type(exc).__name__}: {exc}", exception=exc
                )
            )
            return
        self._sources[id(plugin)] = (dist_name, version)

    def available(self) -> list[PluginInfo]:
        """List the handle classes of every installed plugin package."""
        self._load()
        if self._infos is not None:
            return list(self._infos)
        infos: list[PluginInfo] = []
        seen: set[str] = set()
        # One call per implementation (in registration order) to know which package said what.
        for impl in self._manager.hook.janus_webrtc_handle_classes.get_hookimpls():
            dist_name, version = self._sources.get(id(impl.plugin), ("", ""))
            try:
                returned: Any = impl.function()
                classes: list[type[Handle]] = list(returned or ())
            except Exception as exc:
                logger.warning(
                    "janus-webrtc plugin %r failed to list its handles: %s", impl.plugin_name, exc
                )
                self._failures.append(
                    PluginLoadFailure(
                        impl.plugin_name, dist_name, f"{type(exc).__name__}: {exc}", exception=exc
                    )
                )
                continue
            for handle_class in classes:
                plugin_id = getattr(handle_class, "plugin_id", "")
                if not plugin_id:
                    logger.warning("%r declares no plugin_id and is ignored", handle_class)
                    continue
                infos.append(
                    PluginInfo(
                        name=short_name(plugin_id),
                        plugin_id=plugin_id,
                        handle_class=handle_class,
                        default=plugin_id not in seen,
                        distribution=dist_name,
                        version=version,
                    )
                )
                seen.add(plugin_id)
        self._infos = infos
        return list(infos)

    def failures(self) -> list[PluginLoadFailure]:
        """List the entry points that failed to load."""
        self._load()
        return list(self._failures)

    def plugin_id(self, name: str) -> str:
        """Resolve a short name or plugin id to a plugin id."""
        if "." in name:
            return name
        for info in self.available():
            if info.name == name:
                return info.plugin_id
        return PLUGIN_ID_PREFIX + name

    def handle_class(self, plugin_id: str) -> type[Handle]:
        """Return the default handle class for a plugin id (the generic one if none).

        Raises:
            PluginLoadError: No class is registered for it and the plugin package named
                after it (its entry point) failed to load.
        """
        for info in self.available():
            if info.default and info.plugin_id == plugin_id:
                return info.handle_class
        name = short_name(plugin_id)
        for failure in self._failures:
            if failure.entry_point in (name, plugin_id):
                raise PluginLoadError(
                    plugin_id, failure.entry_point, failure.distribution, failure.error
                ) from failure.exception
        return Handle


_default_registry = PluginRegistry()


def default_registry() -> PluginRegistry:
    """Return the process-wide registry that connections use unless given another."""
    return _default_registry


def available() -> list[PluginInfo]:
    """List the handle classes of every installed plugin package."""
    return _default_registry.available()


def failures() -> list[PluginLoadFailure]:
    """List the plugin entry points that failed to load."""
    return _default_registry.failures()
