"""The optional ``media`` extra: what needs it, and the error raised without it.

``pip install janus-webrtc`` installs the signalling client only (websockets, aiohttp,
pluggy). WebRTC handles and :mod:`janus_webrtc.media` need aiortc, aioice and PyAV, which
``pip install "janus-webrtc[media]"`` adds (every plugin package depends on it).

Importing :mod:`janus_webrtc.webrtc` (so every plugin package) only checks that they are
installed (:func:`require_media`); they are imported when media is first used
(:func:`import_media`, when a handle creates its first peer connection), so an application
that uses its handles for signalling only never loads them.
"""

from __future__ import annotations

import importlib
import importlib.util

__all__ = ["MEDIA_INSTALL", "MEDIA_MODULES", "import_media", "media_missing", "require_media"]

MEDIA_INSTALL = 'pip install "janus-webrtc[media]"'
"""The command that installs the WebRTC side."""

MEDIA_MODULES = frozenset({"aiortc", "aioice", "av"})
"""Top-level modules of the ``media`` extra."""

_MEDIA_ORDER = ("aiortc", "aioice", "av")
""":data:`MEDIA_MODULES` in the order they are looked for (aiortc first: it names the extra)."""


def _error(what: str, missing: str, name: str | None) -> ModuleNotFoundError:
    return ModuleNotFoundError(
        f"{what} needs WebRTC media support, which is not installed "
        f"(no module named {missing!r}): {MEDIA_INSTALL}",
        name=name,
    )


def media_missing(exc: ModuleNotFoundError, what: str) -> ModuleNotFoundError | None:
    """Turn a missing media module into an error that says which extra to install.

    Args:
        exc: The error of the failed import.
        what: What was being imported (``"janus_webrtc.WebRTCHandle"``).

    Returns:
        The error to raise (``raise ... from exc``), or None when ``exc`` is about another
        module, so the caller re-raises ``exc`` unchanged.
    """
    missing = (exc.name or "").partition(".")[0]
    if missing not in MEDIA_MODULES:
        return None
    return _error(what, missing, exc.name)


def require_media(what: str) -> None:
    """Check that the ``media`` extra is installed, without importing any of it.

    Args:
        what: What needs it (``"janus_webrtc.webrtc"``), for the message.

    Raises:
        ModuleNotFoundError: aiortc, aioice or PyAV cannot be found; the message says which
            extra to install.
    """
    for name in _MEDIA_ORDER:
        try:
            found = importlib.util.find_spec(name) is not None
        except ValueError:  # in sys.modules without a spec: some stand-in, take it as there
            found = True
        if not found:
            raise _error(what, name, name)


def import_media(what: str) -> None:
    """Import aiortc, aioice and PyAV (the first call does the work; later ones are cheap).

    Where media is first needed: later imports of their names then find them loaded.

    Args:
        what: What needs them (``"VideoRoomPublisher"``), for the message.

    Raises:
        ModuleNotFoundError: One of them is missing; the message says which extra to install.
    """
    for name in _MEDIA_ORDER:
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as exc:
            raise (media_missing(exc, what) or exc) from exc
