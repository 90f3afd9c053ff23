"""The browser kit of the testing package: Chromium, the janus.js page, the DevTools driver.

The tests without the ``browser`` mark need neither Chromium nor janus.js (fake ones stand in);
those with it drive the real Chromium of the ``janus_browser`` fixture.
"""

from __future__ import annotations

import json
import stat
from pathlib import Path

import aiohttp
import pytest

from janus_webrtc.testing import browser as kit
from janus_webrtc.testing.browser import (
    JANUS_JS_PACKAGES,
    BrowserPage,
    BrowserStartError,
    Chromium,
    ConsoleMessage,
    JanusJs,
    JanusJsSite,
    JavaScriptError,
    find_chromium,
    find_janus_js,
)

pytest_plugins = ["pytester"]


def fake_janus_js(folder: Path, versions: dict[str, str] | None = None) -> Path:
    """An npm prefix folder laid out as npm installs janus-gateway and webrtc-adapter."""
    modules = folder / "node_modules"
    for name, version in (versions or dict(JANUS_JS_PACKAGES)).items():
        (modules / name).mkdir(parents=True)
        (modules / name / "package.json").write_text(json.dumps({"version": version}))
    (modules / "janus-gateway" / "npm" / "dist").mkdir(parents=True)
    (modules / "janus-gateway" / "npm" / "dist" / "janus.es.js").write_text("export default 1;")
    (modules / "webrtc-adapter" / "out").mkdir(parents=True)
    (modules / "webrtc-adapter" / "out" / "adapter.js").write_text("window.adapter = {};")
    return folder


def executable(path: Path, script: str) -> Path:
    path.write_text(f"#!/bin/sh\n{script}\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def test_find_janus_js_wants_the_pinned_versions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    found = find_janus_js(fake_janus_js(tmp_path / "good"))
    assert isinstance(found, JanusJs)
    assert found.versions == JANUS_JS_PACKAGES
    assert found.janus_js.name == "janus.es.js" and found.adapter_js.name == "adapter.js"
    monkeypatch.setenv(kit.JANUS_JS_ENV, str(tmp_path / "good"))
    assert find_janus_js() == found
    older = {"janus-gateway": "1.3.0", "webrtc-adapter": "9.0.3"}
    assert find_janus_js(fake_janus_js(tmp_path / "old", older)) is None
    assert find_janus_js(tmp_path / "empty") is None
    broken = fake_janus_js(tmp_path / "broken")
    (broken / "node_modules" / "webrtc-adapter" / "out" / "adapter.js").unlink()
    assert find_janus_js(broken) is None
    monkeypatch.delenv(kit.JANUS_JS_ENV)
    assert find_janus_js() is None


PINS = Path(__file__).resolve().parents[3] / "scripts" / "janus-js"
"""Where the repository pins the npm packages ./scripts/test installs (absent in an sdist)."""


def test_the_pinned_npm_packages_are_the_ones_the_kit_wants() -> None:
    if not (PINS / "package-lock.json").is_file():
        pytest.skip("not in the repository: scripts/janus-js/ is not here")
    wanted = json.loads((PINS / "package.json").read_text())["dependencies"]
    locked = json.loads((PINS / "package-lock.json").read_text())["packages"]
    assert wanted == JANUS_JS_PACKAGES
    for name, version in JANUS_JS_PACKAGES.items():
        assert locked[f"node_modules/{name}"]["version"] == version


def test_find_chromium_honours_the_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(kit.CHROMIUM_ENV, str(tmp_path / "nowhere"))
    assert find_chromium() is None
    fake = executable(tmp_path / "my-chromium", "exit 0")
    monkeypatch.setenv(kit.CHROMIUM_ENV, str(fake))
    assert find_chromium() == str(fake)
    assert find_chromium(str(tmp_path / "other")) is None
    with pytest.raises(BrowserStartError, match="no Chromium found"):
        Chromium(str(tmp_path / "other")).start()


def group_alive(pgid: int | None) -> bool:
    assert pgid is not None
    return kit._group_alive(pgid)


def test_a_chromium_that_fails_says_why_and_leaves_no_process(tmp_path: Path) -> None:
    exits = executable(tmp_path / "exits", 'echo "cannot open display" >&2; exit 3')
    with pytest.raises(BrowserStartError, match=r"(?s)exited with status 3.*cannot open display"):
        Chromium(str(exits)).start()
    # A "browser" that starts a child and never opens its DevTools port: both are stopped.
    pid_file = tmp_path / "pid"
    hangs = executable(tmp_path / "hangs", f"echo $$ > {pid_file}\nsleep 60 &\necho starting\nwait")
    chromium = Chromium(str(hangs), start_timeout=0.5)
    with pytest.raises(BrowserStartError, match=r"(?s)no DevTools port within 0.5 s.*starting"):
        chromium.start()
    assert not chromium.running and chromium.pid is None
    assert not group_alive(int(pid_file.read_text()))
    with pytest.raises(RuntimeError, match="not running"):
        _ = chromium.devtools_url
    chromium.stop()  # twice is harmless


async def test_the_site_serves_the_page_janus_js_and_the_kit(tmp_path: Path) -> None:
    janus_js = find_janus_js(fake_janus_js(tmp_path))
    assert janus_js is not None
    site = JanusJsSite(janus_js, janus_debug=("warn",))
    with pytest.raises(RuntimeError, match="not started"):
        _ = site.url
    async with site, aiohttp.ClientSession() as http:
        assert site.url.startswith("http://127.0.0.1:")
        async with http.get(site.url) as page:
            html = await page.text()
        assert '<script src="/adapter.js"></script>' in html
        assert '<script type="module" src="/kit.js"></script>' in html
        assert '{"debug": ["warn"]}' in html
        async with http.get(site.url + "janus.js") as janus:
            assert janus.content_type == "text/javascript"
            assert await janus.text() == "export default 1;"
        async with http.get(site.url + "kit.js") as served:
            assert 'import Janus from "/janus.js";' in await served.text()
        async with http.get(site.url + "adapter.js") as adapter:
            assert await adapter.text() == "window.adapter = {};"
        async with http.get(site.url + "elsewhere") as missing:
            assert missing.status == 404
        with pytest.raises(RuntimeError, match="already started"):
            await site.start()
    await site.close()


async def test_devtools_that_do_not_answer_say_so() -> None:
    with pytest.raises(kit.BrowserError, match="cannot open the DevTools connection"):
        await kit.DevTools.connect("ws://127.0.0.1:9/devtools/browser/none", timeout=5)


INNER_TESTS = """
def test_browser(janus_browser):
    raise AssertionError("must not run")

def test_janus_js(janus_js):
    raise AssertionError("must not run")
"""


@pytest.mark.parametrize("ci", [False, True])
def test_missing_chromium_or_janus_js_skips_with_the_reason_or_fails_under_ci(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, ci: bool
) -> None:
    monkeypatch.setenv(kit.CHROMIUM_ENV, str(tmp_path / "no-chromium"))
    monkeypatch.setenv(kit.JANUS_JS_ENV, str(tmp_path / "no-janus-js"))
    if ci:
        monkeypatch.setenv("CI", "true")
    else:
        monkeypatch.delenv("CI", raising=False)
    pytester.makeini("[pytest]\nasyncio_default_fixture_loop_scope = function\n")
    pytester.makepyfile(INNER_TESTS)
    result = pytester.runpytest("-rs", "-p", "no:cacheprovider")
    if ci:
        result.assert_outcomes(errors=2)
    else:
        result.assert_outcomes(skipped=2)
    result.stdout.fnmatch_lines(
        ["*no Chromium found: install Chromium*", "*janus.js not found: install janus.js*"],
        consecutive=False,
    )


def test_console_messages_read_as_lines() -> None:
    assert str(ConsoleMessage("warning", "careful")) == "[warning] careful"
    error = JavaScriptError("Error: boom", [ConsoleMessage("log", f"line {i}") for i in range(40)])
    assert str(error).startswith("JavaScript error: Error: boom\npage console:\n")
    assert "line 39" in str(error) and "line 14" not in str(error)  # the last lines only
    assert len(error.console) == 40


@pytest.mark.browser
def test_chromium_listens_on_loopback_and_stops_with_every_process(
    janus_browser: Chromium,
) -> None:
    with Chromium() as chromium:
        assert chromium.devtools_url.startswith("ws://127.0.0.1:")
        assert repr(chromium).startswith(f"<Chromium pid={chromium.pid} ws://127.0.0.1:")
        pgid = chromium.pid
        assert group_alive(pgid)
        with pytest.raises(RuntimeError, match="already started"):
            chromium.start()
        assert "DevTools listening on ws://127.0.0.1:" in chromium.log_tail()
    assert not group_alive(pgid)
    assert repr(chromium) == "<Chromium stopped>" and chromium.log_tail() == ""
    assert janus_browser.running  # another instance is not touched


@pytest.mark.browser
async def test_the_page_evaluates_javascript_and_keeps_its_console(
    janus_browser_page: BrowserPage,
) -> None:
    page = janus_browser_page
    assert await page.evaluate("1 + 1") == 2
    assert await page.evaluate("undefined") is None
    assert await page.evaluate("Promise.resolve({a: [1, 'two']})") == {"a": [1, "two"]}
    tricky = "quotes \" and ' and a new\nline, `${not a template}`"
    assert await page.run("return [a + b, s]", a=1, b=2, s=tricky) == [3, tricky]
    assert await page.run("return typeof Janus.init + ' ' + adapter.browserDetails.browser") == (
        "function chrome"
    )
    await page.run('console.log("hello", 42, true); console.warn("careful")')
    assert page.console[-2:] == (
        ConsoleMessage("log", "hello 42 true"),
        ConsoleMessage("warning", "careful"),
    )
    with pytest.raises(JavaScriptError, match="Error: boom") as thrown:
        await page.run('console.error("about to fail"); throw new Error("boom")')
    assert "[error] about to fail" in str(thrown.value)
    with pytest.raises(JavaScriptError, match="rejected"):
        await page.evaluate("Promise.reject(new Error('rejected'))")
    # An error nobody catches, in a timer, shows in errors.
    await page.run(
        "setTimeout(() => { throw new Error('uncaught later') }, 0);"
        "await new Promise((resolve) => setTimeout(resolve, 20));"
    )
    assert [m.level for m in page.errors] == ["error", "exception"]
    assert "uncaught later" in page.errors[-1].text
    # The kit's queues wait for what comes, with a deadline that says what was queued.
    assert await page.run(
        """
        const q = new kit.Queue("numbers");
        setTimeout(() => { q.push(1); q.push(2); q.push(3); }, 0);
        const even = await q.next((n) => n % 2 === 0);
        return [even, await q.take(2), q.seen];
        """
    ) == [2, [1, 3], [1, 2, 3]]
    with pytest.raises(
        JavaScriptError, match=r"empty: nothing matching in 10 ms \(queued: \[7\]\)"
    ):
        await page.run(
            'const q = new kit.Queue("empty"); q.push(7); await q.next((n) => n > 7, 10)'
        )


@pytest.mark.browser
@pytest.mark.parametrize("janus_transport", ["ws", "http"])
async def test_janus_js_connects_without_stun_and_cleans_up(
    janus_browser_page: BrowserPage, janus_url: str
) -> None:
    page = janus_browser_page
    result = await page.run(
        """
        const janus = await kit.connect(url);
        const echo = await kit.attach(janus, "janus.plugin.echotest");
        await echo.offer([{type: "data"}]);  // makes the peer connection
        return {
          session: janus.getSessionId(),
          plugin: echo.handle.getPlugin(),
          iceServers: echo.handle.webrtcStuff.pc.getConfiguration().iceServers,
          open: kit.sessions.size,
        };
        """,
        url=janus_url,
    )
    assert result["session"] > 0 and result["plugin"] == "janus.plugin.echotest"
    assert result["iceServers"] == []  # janus.js uses a public STUN server unless told not to
    assert result["open"] == 1
    await page.evaluate("kit.destroyAll()")
    assert await page.evaluate("kit.sessions.size") == 0
    with pytest.raises(JavaScriptError, match="Probably a network error, is the server down"):
        await page.run("await kit.connect(url)", url="http://127.0.0.1:9/janus")
