"""Test set-up of the core: which tests need the ``media`` extra.

``nox -s signalling`` tests the core installed without its ``media`` extra (no aiortc, no
PyAV), as ``pip install janus-webrtc`` gives it. There the modules in :data:`MEDIA_MODULES`
are not collected and the tests marked ``media`` are deselected: they are left out (pytest
reports them as deselected), neither skipped nor failed, so that every test that does run
proves the signalling-only install.
"""

from __future__ import annotations

import importlib.util

import pytest

HAS_MEDIA = importlib.util.find_spec("aiortc") is not None
"""Whether the ``media`` extra is installed."""

MEDIA_MODULES = (
    "test_webrtc.py",
    "test_drops.py",
    "test_races.py",
    "test_rtp_source.py",
    "test_secrets_in_logs.py",
    "test_webrtc_versions.py",
    "test_guide.py",
    "test_template.py",
)
"""Test modules that import aiortc or PyAV at the top: every test in them needs media."""

collect_ignore = [] if HAS_MEDIA else list(MEDIA_MODULES)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "media: test needs the media extra (aiortc, PyAV)")


def pytest_report_header(config: pytest.Config) -> str:
    if HAS_MEDIA:
        return "janus-webrtc media extra: installed (every test runs)"
    return (
        "janus-webrtc media extra: absent (signalling only): "
        f"{', '.join(MEDIA_MODULES)} not collected, tests marked media deselected"
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if HAS_MEDIA:
        return
    media = [item for item in items if item.get_closest_marker("media") is not None]
    if media:
        config.hook.pytest_deselected(items=media)
        items[:] = [item for item in items if item.get_closest_marker("media") is None]
