"""VideoCall between Meetecho's janus.js in headless Chromium and janus-videocall, with media.

On one pair of handles: the browser calls Python and hangs up, then Python calls the browser
and hangs up; in each call both sides decode the other's audio and video (the browser's fake
camera at 160x120, Python's test pattern). Over WebSocket, then HTTP.
"""

from __future__ import annotations

import asyncio

import pytest

from janus_videocall import CallState
from janus_webrtc.testing.browser import BrowserPage
from support import PartyFactory, media_flows, unique

pytestmark = [pytest.mark.janus, pytest.mark.browser]

REGISTER = """
const janus = await kit.connect(url);
const call = await kit.attach(janus, "janus.plugin.videocall");
window.call = call;
window.isEvent = (name) => (m) => m.msg.result && m.msg.result.event === name;
// Janus 1.1.2 tells a party "hangup" more than once: with the reason of the request, and
// again ("Remote WebRTC hangup") when the other side's peer connection closes, possibly after
// the call ended. A test waits for the one it caused, by its reason.
window.isHangup = (m, reason) => isEvent("hangup")(m) && m.msg.result.reason === reason;
await call.send({request: "register", username});
return (await call.messages.next(isEvent("registered"))).msg.result.username;
"""

MEDIA = """
window.media = [
  {type: "audio", capture: true, recv: true},
  {type: "video", capture: {width: 160, height: 120, frameRate: 15}, recv: true},
];
"""

CALL = """
await call.send({request: "call", username: peer}, await call.offer(media));
const accepted = await call.messages.next((m) => isEvent("accepted")(m) && m.jsep);
await call.accept(accepted.jsep);
await call.events.next((e) => e.type === "webrtc" && e.up);
return accepted.msg.result.username;
"""

ANSWER = """
const incoming = await call.messages.next((m) => isEvent("incomingcall")(m) && m.jsep);
await call.send({request: "accept"}, await call.answer(incoming.jsep, media));
await call.events.next((e) => e.type === "webrtc" && e.up);
return incoming.msg.result.username;
"""

DECODED = """
const stats = await call.waitStats(
  (s) => s.inbound.some((i) => i.kind === "video" && i.framesDecoded >= frames) &&
    s.inbound.some((i) => i.kind === "audio" && i.packetsReceived >= packets),
  20000,
);
return stats;
"""

HANGUP = """
await call.send({request: "hangup"});
const ended = await call.messages.next((m) => isHangup(m, "Explicit hangup"));
call.handle.hangup();  // as a janus.js application does: close the peer connection
await call.events.next((e) => e.type === "cleanup");
return ended.msg.result.username;
"""

HUNG_UP = """
const ended = await call.messages.next((m) => isHangup(m, reason));
call.handle.hangup();
await call.events.next((e) => e.type === "cleanup");
return ended.msg.result.username;
"""


def assert_decoded(stats: dict, ice_address: str) -> None:
    """The browser decoded 160x120 video and got audio, over the private ICE address."""
    video = next(i for i in stats["inbound"] if i["kind"] == "video")
    assert (video["frameWidth"], video["frameHeight"]) == (160, 120)
    assert stats["pair"]["remote"] == ice_address


@pytest.mark.parametrize("janus_transport", ["ws", "http"])
async def test_calls_both_ways_with_media(
    janus_browser_page: BrowserPage, janus_url: str, party: PartyFactory, janus_media_ice: str
) -> None:
    page = janus_browser_page
    python = await party("python")
    browser = unique("browser")
    assert await page.run(REGISTER, url=janus_url, username=browser) == browser
    await page.evaluate(MEDIA)

    # The browser calls; Python answers; the browser hangs up.
    calling = asyncio.create_task(page.run(CALL, peer=python.name, timeout=30))
    incoming = await python.handle.wait_incoming_call(timeout=15)
    assert incoming.username == browser
    await python.handle.accept(*python.media())
    assert await calling == python.name
    await python.handle.wait_connected(timeout=15)
    assert python.handle.remote_candidate_addresses == {janus_media_ice}
    await media_flows(python, audio=25, video=20)  # the browser's camera, at 160x120
    assert_decoded(await page.run(DECODED, frames=20, packets=25, timeout=30), janus_media_ice)
    assert await page.run(HANGUP) == browser  # "Explicit hangup": told to the one hanging up
    ended = await python.handle.wait_hangup(timeout=15)
    assert ended is not None and (ended.username, ended.reason) == (browser, "We did the hangup")
    assert python.handle.call_state is CallState.IDLE

    # Python calls back; the browser answers; Python hangs up.
    python.listen()
    answering = asyncio.create_task(page.run(ANSWER, timeout=30))
    await python.handle.call(browser, *python.media())
    accepted = await python.handle.wait_accepted(timeout=15)
    assert accepted.username == browser
    assert await answering == python.name
    await python.handle.wait_connected(timeout=15)
    await media_flows(python, audio=25, video=20)
    assert_decoded(await page.run(DECODED, frames=20, packets=25, timeout=30), janus_media_ice)
    await python.handle.hangup(reason="python says bye")
    assert await page.run(HUNG_UP, reason="python says bye") == python.name
    assert page.errors == ()
