"""The optional ``media`` extra: what needs it, and the error raised without it.

``pip install janus-webrtc`` installs the signalling client only (websockets, aiohttp,
pluggy). WebRTC handles and :mod:`janus_webrtc.media` need aiortc, aioice and PyAV, which
``pip install "janus-webrtc[media]"`` adds (every plugin package depends on it).
"""

from __future__ import annotations

__all__ = ["MEDIA_INSTALL", "MEDIA_MODULES", "media_missing"]

MEDIA_INSTALL = 'pip install "janus-webrtc[media]"'
"""The command that installs the WebRTC side."""

MEDIA_MODULES = frozenset({"aiortc", "aioice", "av"})
"""Top-level modules of the ``media`` extra."""


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
    return ModuleNotFoundError(
        f"{what} needs WebRTC media support, which is not installed "
        f"(no module named {missing!r}): {MEDIA_INSTALL}",
        name=exc.name,
    )
