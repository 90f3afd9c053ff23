"""``janusctl echotest``: the installed console script against the real Janus, both transports."""

from __future__ import annotations

import json

import pytest

from janus_echotest.demo import run
from janus_webrtc.testing import JanusEndpoints, run_janusctl


@pytest.mark.janus
async def test_echotest_prints_live_figures_then_totals(
    janus_url: str, janus_media_ice: str
) -> None:
    status, out, err = await run_janusctl(
        "echotest", "--url", janus_url, "--seconds", "2", "--json", "--ice-address", janus_media_ice
    )
    assert status == 0, err
    totals = json.loads(out)
    assert totals["seconds"] == 2
    assert totals["audio_echoed"] > 0 and totals["video_echoed"] > 0
    assert 0 < totals["video_echoed"] <= totals["video_sent"]
    # the round trip was measured (echoed test-pattern frames matched to their sending)
    assert totals["round_trip_ms"] is not None and 0 < totals["round_trip_ms"] < 2000
    live = err.splitlines()
    assert live[0].startswith("connected in ")
    assert [line.split()[:2] for line in live[1:]] == [["1", "s"], ["2", "s"]]
    assert all("echoed /s" in line and "round trip" in line for line in live[1:])


@pytest.mark.janus
async def test_echotest_text_mode_prints_a_table(janus_url: str, janus_media_ice: str) -> None:
    status, out, err = await run_janusctl(
        "--ice-address",
        janus_media_ice,
        "echotest",
        "--url",
        janus_url,
        "--seconds",
        "1",
        "--size",
        "64x48",
    )
    assert status == 0, err
    rows = dict(line.split(None, 1) for line in out.splitlines())
    assert int(rows["video_echoed"]) > 0 and rows["seconds"].strip() == "1"


@pytest.mark.parametrize(
    ("args", "wanted"),
    [
        (("--size", "big"), "--size 'big': give WIDTHxHEIGHT"),
        (("--seconds", "0"), "--seconds must be at least 1"),
        (("--seconds", "x"), "invalid int value: 'x'"),
    ],
)
async def test_echotest_usage_errors_are_one_line(args: tuple[str, ...], wanted: str) -> None:
    status, out, err = await run_janusctl("echotest", "--url", "ws://127.0.0.1:9", *args)
    assert (status, out) == (2, "")
    assert len(err.splitlines()) == 1 and wanted in err, err


@pytest.mark.janus
async def test_the_demo_echoes_over_both_transports(
    janus_server: JanusEndpoints, janus_media_ice: str, capsys: pytest.CaptureFixture[str]
) -> None:
    await run(janus_server, seconds=1)
    out = capsys.readouterr().out
    assert "over ws:" in out and "over http:" in out
    assert out.count("connected in") == 2 and "echo round trip" in out
