"""The aiortc/aioice versions the private patches were tested on, and the guard around them."""

from __future__ import annotations

import logging
import re
import tomllib
from importlib import metadata
from pathlib import Path

import pytest

from janus_webrtc.webrtc import _ice, _rtp, _versions


@pytest.mark.parametrize("distribution", sorted(_versions.TESTED))
def test_the_installed_version_is_a_tested_one(distribution: str) -> None:
    why = _versions.untested(distribution)
    assert why is None, (
        f"{why}. The private patches in janus_webrtc/webrtc/_ice.py and _rtp.py reach into "
        f"{distribution}'s internals: test them on {metadata.version(distribution)}, then "
        "widen TESTED in janus_webrtc/webrtc/_versions.py and the pin in pyproject.toml"
    )


def test_versions_outside_the_range_are_untested() -> None:
    assert _versions.untested("aiortc", "1.16.0") is None
    assert _versions.untested("aiortc", "1.16.7") is None
    assert _versions.untested("aioice", "0.13.0") is None
    assert _versions.untested("aiortc", "1.17.0") == (
        "aiortc 1.17.0 is not a version janus-webrtc was tested on (aiortc>=1.16,<1.17)"
    )
    assert _versions.untested("aiortc", "1.15.2") is not None
    assert _versions.untested("aioice", "0.14.0rc1") is not None
    assert _versions.untested("aioice", "1.0") is not None
    assert _versions.tested_range("aioice") == ">=0.13,<0.14"


def test_version_tuple_reads_release_numbers() -> None:
    assert _versions.version_tuple("1.16.0") == (1, 16, 0)
    assert _versions.version_tuple("0.14.0rc1") == (0, 14, 0)
    assert _versions.version_tuple("2") == (2,)
    assert _versions.version_tuple("dev") == ()


@pytest.fixture
def untested_aioice_and_aiortc(monkeypatch: pytest.MonkeyPatch) -> None:
    real = _versions.untested

    def pretend(distribution: str, version: str | None = None) -> str | None:
        return real(distribution, "99.0")

    monkeypatch.setattr(_ice, "untested", pretend)
    monkeypatch.setattr(_rtp, "untested", pretend)


class _Described:
    """Stands in for a peer connection: only what the guards look at before refusing."""

    remoteDescription = object()

    def getTransceivers(self) -> list[object]:
        raise AssertionError("the guard must refuse before touching the peer connection")

    sctp = None


@pytest.mark.usefixtures("untested_aioice_and_aiortc")
async def test_on_an_untested_version_the_patches_touch_nothing(
    caplog: pytest.LogCaptureFixture,
) -> None:
    pc: object = _Described()
    with pytest.raises(RuntimeError, match=r"aioice 99\.0 is not a version janus-webrtc was"):
        _ice.new_local_credentials(pc)  # type: ignore[arg-type]
    with pytest.raises(RuntimeError, match=r"aioice 99\.0"):
        await _ice.renominate(pc)  # type: ignore[arg-type]
    sdp = "a=ice-ufrag:abcd\r\na=ice-pwd:0123456789012345678901\r\n"
    with caplog.at_level(logging.WARNING):
        assert _ice.update_remote_credentials(pc, sdp) is False  # type: ignore[arg-type]
        assert _rtp.route_new_ssrcs(pc) == 0  # type: ignore[arg-type]
    assert "Janus's ICE credentials are not followed: aioice 99.0" in caplog.text
    assert "renegotiated SSRCs are not routed: aiortc 99.0" in caplog.text


def test_the_tested_versions_are_the_bounds_the_package_declares() -> None:
    """TESTED and the media extra's bounds say the same, so that neither moves alone."""
    pyproject = Path(__file__).resolve().parents[1] / "pyproject.toml"
    media = tomllib.loads(pyproject.read_text())["project"]["optional-dependencies"]["media"]
    bounds = {}
    for requirement in media:
        match = re.fullmatch(r"([a-z]+)>=([\d.]+),<([\d.]+)", requirement)
        assert match, requirement
        bounds[match[1]] = (_versions.version_tuple(match[2]), _versions.version_tuple(match[3]))
    assert {name: bounds[name] for name in _versions.TESTED} == _versions.TESTED
