"""janusctl: the real console script against a real Janus, over both transports."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import tomllib
import types
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

import pytest

import janus_webrtc
from janus_webrtc.cli import Command, Context, Table, check_url, main
from janus_webrtc.cli import app as cli_app
from janus_webrtc.cli.render import plain, render
from janus_webrtc.plugins import hookimpl
from janus_webrtc.testing import JanusEndpoints

JANUSCTL = Path(sys.executable).parent / "janusctl"
SECRET_ENV = ("JANUS_API_SECRET", "JANUS_TOKEN", "JANUS_ADMIN_SECRET")


@dataclass(frozen=True)
class Run:
    status: int
    out: str
    err: str


async def janusctl(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> Run:
    """Run the installed console script (in ``cwd``); return its exit status and output."""
    environ = {k: v for k, v in os.environ.items() if k not in SECRET_ENV}
    process = await asyncio.create_subprocess_exec(
        str(JANUSCTL),
        *args,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env={**environ, **(env or {})},
        cwd=cwd,
    )
    async with asyncio.timeout(60):
        out, err = await process.communicate()
    assert process.returncode is not None
    return Run(process.returncode, out.decode(), err.decode())


def one_line_error(run: Run, status: int) -> str:
    assert run.status == status, run
    assert run.out == ""
    assert "Traceback" not in run.err
    lines = run.err.strip().splitlines()
    assert len(lines) == 1, run.err
    return lines[0]


@pytest.mark.janus
async def test_info_text_is_a_readable_table(janus_url: str) -> None:
    run = await janusctl("info", janus_url)
    assert run.status == 0, run.err
    lines = run.out.splitlines()
    assert max(len(line) for line in lines) <= 160
    rows = dict(line.split(None, 1) for line in lines if line and "  " in line[:40])
    assert rows["version_string"].strip() == "1.1.2"
    assert "plugins:" in lines and "transports:" in lines
    plugin_rows = lines[lines.index("plugins:") + 1 :]
    assert plugin_rows[0].split()[:3] == ["ID", "NAME", "VERSION"]
    assert any(row.startswith("janus.plugin.echotest ") for row in plugin_rows)


@pytest.mark.janus
@pytest.mark.parametrize(
    "order",
    [("--json", "info", "{url}"), ("info", "{url}", "--json"), ("info", "--json", "{url}")],
)
async def test_global_options_go_before_or_after_the_subcommand(
    janus_url: str, order: tuple[str, ...]
) -> None:
    run = await janusctl("--timeout", "5", *(a.format(url=janus_url) for a in order))
    assert run.status == 0, run.err
    info = json.loads(run.out)
    assert info["version_string"] == "1.1.2"
    assert "janus.plugin.echotest" in info["plugins"]


@pytest.mark.janus
async def test_sessions_lists_a_live_session_and_says_when_there_is_none(
    janus_server: JanusEndpoints,
    janus_server_factory: Callable[..., JanusEndpoints],
    janus_session: janus_webrtc.Session,
) -> None:
    secret = {"JANUS_ADMIN_SECRET": janus_server.admin_secret}
    for url in (janus_server.admin_ws_url, janus_server.admin_http_url):
        run = await janusctl("sessions", url, env=secret)
        assert run.status == 0, run.err
        header, *rows = run.out.splitlines()
        assert header.split() == ["SESSION", "HANDLE", "COUNT", "HANDLES"]
        assert any(row.split()[0] == str(janus_session.id) for row in rows)
        listed = json.loads((await janusctl("sessions", url, "--json", env=secret)).out)
        assert {"session": janus_session.id, "handle_count": 0, "handles": []} in listed
    empty = janus_server_factory()
    run = await janusctl("sessions", empty.admin_http_url, f"--admin-secret={empty.admin_secret}")
    assert (run.status, run.out) == (0, "no sessions\n")


@pytest.mark.janus
async def test_status_and_handle_info_through_the_admin_api(
    janus_server: JanusEndpoints, janus_session: janus_webrtc.Session
) -> None:
    handle = await janus_session.attach("echotest")
    secret = {"JANUS_ADMIN_SECRET": janus_server.admin_secret}
    for url in (janus_server.admin_ws_url, janus_server.admin_http_url):
        run = await janusctl("--json", "status", url, env=secret)
        assert json.loads(run.out)["session_timeout"] == 60
        text = (await janusctl("status", url, env=secret)).out
        assert "session_timeout" in text and "{" not in text
        ids = (str(janus_session.id), str(handle.id))
        info = json.loads((await janusctl("handle-info", url, *ids, "--json", env=secret)).out)
        assert info["plugin"] == "janus.plugin.echotest"
        text = (await janusctl("handle-info", url, *ids, env=secret)).out
        assert "plugin" in text and "janus.plugin.echotest" in text


@pytest.mark.janus
async def test_janus_errors_are_one_line_status_1_and_never_echo_secrets(
    janus_server: JanusEndpoints, janus_server_factory: Callable[..., JanusEndpoints]
) -> None:
    line = one_line_error(await janusctl("--timeout", "2", "info", "ws://127.0.0.1:9"), 1)
    assert line.startswith("janusctl info: ConnectError")
    run = await janusctl("status", janus_server.admin_http_url, "--admin-secret", "WRONG-ADM-77")
    line = one_line_error(run, 1)
    assert "UnauthorizedError" in line and "403" in line and "WRONG-ADM-77" not in line

    # secrets from the environment; an option overrides the environment
    right, wrong = (
        {"JANUS_ADMIN_SECRET": janus_server.admin_secret},
        {"JANUS_ADMIN_SECRET": "NO-88"},
    )
    assert (await janusctl("status", janus_server.admin_ws_url, env=right)).status == 0
    line = one_line_error(await janusctl("status", janus_server.admin_ws_url, env=wrong), 1)
    assert "UnauthorizedError" in line and "NO-88" not in line
    # (the = form: a generated secret may begin with "-")
    args = ("status", janus_server.admin_ws_url, f"--admin-secret={janus_server.admin_secret}")
    assert (await janusctl(*args, env=wrong)).status == 0

    # info needs no secret, but one Janus requires is sent, from the environment too
    locked = janus_server_factory(api_secret="CLI-API-SECRET-41")
    for url in (locked.ws_url, locked.http_url):
        run = await janusctl("info", url, "--json", env={"JANUS_API_SECRET": "CLI-API-SECRET-41"})
        assert run.status == 0, run.err
        assert json.loads(run.out)["api_secret_required"] is True
        assert "CLI-API-SECRET-41" not in run.out + run.err


@pytest.mark.parametrize(
    ("args", "wanted"),
    [
        (("info", "127.0.0.1:8188"), "janusctl info: '127.0.0.1:8188' has no scheme: give ws://"),
        (("status", "127.0.0.1:7088/admin"), "has no scheme: give ws://HOST:7188, http://"),
        (("info", "ftp://127.0.0.1:8188"), "unsupported scheme 'ftp'"),
        (("info",), "janusctl info: the following arguments are required: url"),
        (("--bogus", "plugins"), "janusctl: unrecognized arguments: --bogus"),
        (("handle-info", "ws://127.0.0.1:7188", "one", "2"), "invalid int value: 'one'"),
        ((), "the following arguments are required: COMMAND"),
        (("nosuch",), "invalid choice: 'nosuch'"),
        (("completion", "fish"), "invalid choice: 'fish'"),
    ],
)
async def test_usage_errors_are_one_line_and_status_2(args: tuple[str, ...], wanted: str) -> None:
    assert wanted in one_line_error(await janusctl(*args), 2)


@pytest.mark.janus
async def test_a_closed_pipe_ends_quietly(janus_url: str) -> None:
    # The reader exits at once, so every write of janusctl meets a closed pipe.
    command = f"set -o pipefail; {JANUSCTL} info {janus_url} | true"
    process = await asyncio.create_subprocess_exec(
        "bash", "-c", command, stderr=asyncio.subprocess.PIPE
    )
    async with asyncio.timeout(60):
        _, err = await process.communicate()
    assert err.decode() == ""
    assert process.returncode == 141


async def test_version_and_help() -> None:
    run = await janusctl("--version")
    assert (run.status, run.out.strip()) == (0, f"janusctl {version('janus-webrtc')}")
    run = await janusctl("--help")
    assert run.status == 0
    for name in ("JANUS_API_SECRET", "JANUS_TOKEN", "JANUS_ADMIN_SECRET", "completion", "info"):
        assert name in run.out
    run = await janusctl("info", "--help")
    assert run.status == 0 and "--json" in run.out and "JANUS_API_SECRET" in run.out


async def test_plugins_lists_installed_packages_as_a_table() -> None:
    listing = json.loads((await janusctl("plugins", "--json")).out)
    assert set(listing) == {"available", "failures"}
    names = {item["name"] for item in listing["available"]}
    text = (await janusctl("plugins")).out
    if names:
        assert text.splitlines()[0].split()[:3] == ["NAME", "PLUGIN", "ID"]
    else:
        assert text == "no plugin packages installed\n"


async def test_new_plugin_writes_a_package_that_declares_its_entry_point(tmp_path: Path) -> None:
    run = await janusctl("new-plugin", "recordplay", str(tmp_path))
    assert run.status == 0, run.err
    folder = tmp_path / "janus-recordplay"
    assert run.out.strip() == str(folder)
    assert "pip install -e '.[testing]' && pytest" in run.err
    for part in (
        "pyproject.toml",
        "README.md",
        "CHANGELOG.md",
        "LICENSE",
        "src/janus_recordplay/__init__.py",
        "src/janus_recordplay/handle.py",
        "src/janus_recordplay/plugin.py",
        "src/janus_recordplay/py.typed",
        "tests/test_recordplay.py",
    ):
        assert (folder / part).is_file(), part
    project = tomllib.loads((folder / "pyproject.toml").read_text())["project"]
    assert project["name"] == "janus-recordplay"
    assert project["entry-points"]["janus_webrtc"] == {"recordplay": "janus_recordplay.plugin"}
    # DEST defaults to the current folder; --json gives the folder too
    args = ("new-plugin", "my_thing", "--json", "--plugin-id", "acme.plugin.x")
    run = await janusctl(*args, cwd=tmp_path)
    assert (run.status, json.loads(run.out)) == (0, {"folder": "janus-my-thing"}), run.err
    errors = tmp_path / "janus-my-thing/src/janus_my_thing/errors.py"
    assert 'plugin_id = "acme.plugin.x"' in errors.read_text()


@pytest.mark.parametrize(
    ("args", "wanted"),
    [
        (("Record-Play",), "janusctl new-plugin: plugin name 'Record-Play' must be lower case"),
        (("class",), "plugin name 'class' must be lower case letters"),
        (("x", "--plugin-id", "x"), "plugin id 'x' is not one such as 'janus.plugin.x'"),
        (
            ("recordplay", "{dest}"),
            "cannot create janus-recordplay: {dest}/janus-recordplay exists",
        ),
        ((), "janusctl new-plugin: the following arguments are required: name"),
    ],
)
async def test_new_plugin_usage_errors_are_one_line_and_status_2(
    tmp_path: Path, args: tuple[str, ...], wanted: str
) -> None:
    (tmp_path / "janus-recordplay").mkdir()
    argv = [a.format(dest=tmp_path) for a in args]
    assert wanted.format(dest=tmp_path) in one_line_error(await janusctl("new-plugin", *argv), 2)
    assert os.listdir(tmp_path) == ["janus-recordplay"]  # nothing written


def complete(script: str, *words: str) -> list[str]:
    """Ask the bash completion function what it offers after ``words``."""
    quoted = " ".join(f"'{w}'" for w in words)
    program = (
        f"{script}\nCOMP_WORDS=(janusctl {quoted}); COMP_CWORD={len(words)}\n"
        '_janusctl; printf "%s\\n" "${COMPREPLY[@]}"'
    )
    run = subprocess.run(
        ["bash", "-c", program], capture_output=True, text=True, timeout=30, check=True
    )
    return run.stdout.split()


async def test_bash_completion_completes_commands_and_options() -> None:
    run = await janusctl("completion", "bash")
    assert run.status == 0
    assert complete(run.out, "in") == ["info"]
    assert sorted(complete(run.out, "")) == sorted(
        [
            *("info", "plugins", "status", "sessions", "handle-info", "new-plugin", "completion"),
            *extra_commands(),
        ]
    )
    assert complete(run.out, "info", "--js") == ["--json"]
    assert complete(run.out, "--timeout", "3", "sess") == ["sessions"]
    assert "bashcompinit" in (await janusctl("completion", "zsh")).out


def extra_commands() -> list[str]:
    return [command.name for command in cli_app.plugin_commands()[0]]


# --- plugin packages add subcommands through the janus_webrtc_cli_commands hook -----------


class FakeEntryPoint:
    """An entry point of a plugin package (entry points are what a test cannot install)."""

    def __init__(self, name: str, load: Callable[[], object]) -> None:
        self.name = name
        self.load = load


def provide(*commands: Command) -> types.SimpleNamespace:
    @hookimpl
    def janus_webrtc_cli_commands() -> list[Command]:
        return list(commands)

    return types.SimpleNamespace(janus_webrtc_cli_commands=janus_webrtc_cli_commands)


def test_plugin_packages_add_subcommands_and_a_broken_one_is_skipped(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    async def hello(ctx: Context) -> object:
        return {"hello": ctx.args.who, "json": ctx.json}

    async def fails(ctx: Context) -> object:
        raise janus_webrtc.PluginError(499, "the plugin said no")

    async def buggy(ctx: Context) -> object:
        return {}["missing"]  # a bug in a plugin package's command

    def who(parser: object) -> None:
        parser.add_argument("who")  # type: ignore[attr-defined]

    def broken() -> object:
        raise ImportError("no module named 'nothing'")

    group = Command(
        "greet",
        "say hello",
        subcommands=(
            Command("hello", "say it", hello, who),
            Command("fail", "fail", fails),
            Command("bug", "has a bug", buggy),
        ),
    )
    clash = Command("info", "clashes with the core's info", hello)
    points = [
        FakeEntryPoint("greeter", lambda: provide(group, clash)),
        FakeEntryPoint("broken", broken),
    ]
    monkeypatch.setattr(cli_app, "entry_points", lambda group: points)
    assert main(["greet", "hello", "world", "--json"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out) == {"hello": "world", "json": True}
    warnings = captured.err.splitlines()
    assert any("'broken' skipped: no module named 'nothing'" in w for w in warnings)
    assert any("'info' is defined twice" in w for w in warnings)
    assert main(["greet", "hello", "you"]) == 0
    assert capsys.readouterr().out.split() == ["hello", "you", "json", "no"]
    assert main(["greet", "fail"]) == 1
    assert "janusctl greet fail: PluginError: " in capsys.readouterr().err
    assert main(["greet"]) == 2
    assert "janusctl greet: the following arguments" in capsys.readouterr().err
    # a bug is one line too (it used to be a traceback), with a way to see the traceback
    assert main(["greet", "bug"]) == 70
    errors = [e for e in capsys.readouterr().err.splitlines() if "warning" not in e]
    assert errors == [
        "janusctl greet bug: internal error: KeyError: 'missing' (a bug; JANUSCTL_DEBUG=1 "
        "shows where)"
    ]
    monkeypatch.setenv("JANUSCTL_DEBUG", "1")
    assert main(["greet", "bug"]) == 70
    err = capsys.readouterr().err
    assert "Traceback (most recent call last)" in err and 'return {}["missing"]' in err


# --- text layout ----------------------------------------------------------------------------


def test_render_lays_out_records_mappings_and_empty_tables() -> None:
    table = Table(("name", "count"), (("a", 1), ("bb", None)), empty="nothing here")
    assert render(table) == "NAME  COUNT\na     1\nbb    -"
    assert render(Table(("x",), (), empty="nothing here")) == "nothing here"
    assert plain(table) == [{"name": "a", "count": 1}, {"name": "bb", "count": None}]
    text = render({"on": True, "ratio": 0.25, "tags": ["x", "y"], "nested": {"a": 1, "b": {}}})
    assert text.splitlines() == [
        "on        yes",
        "ratio     0.25",
        "tags      x, y",
        "nested.a  1",
        "nested.b  {}",
    ]
    assert render([{"id": 1}, {"id": 2, "extra": "z"}]) == "ID  EXTRA\n1   -\n2   z"
    assert render(["a", 2]) == "a\n2"
    assert render(None) == ""
    assert render(3000.0) == "3000"
    assert plain(int) == "builtins.int"


def test_check_url_accepts_the_four_schemes() -> None:
    for url in ("ws://h:1", "wss://h:1", "http://h/janus", "HTTPS://h/janus"):
        assert check_url(url) == url
