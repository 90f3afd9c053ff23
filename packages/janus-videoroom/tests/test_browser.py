"""VideoRoom between Meetecho's janus.js in headless Chromium and janus-videoroom, with media.

The browser publishes its fake camera and microphone and a janus-videoroom subscriber decodes
them; a janus-videoroom publisher's test pattern is decoded by a janus.js subscriber (its
``getStats`` ``framesDecoded`` grows). Both over WebSocket, then HTTP.
"""

from __future__ import annotations

import pytest

from conftest import start_publisher
from janus_videoroom import VideoRoomSubscriber
from janus_webrtc.media import FrameCounter
from janus_webrtc.testing import HandleFactory
from janus_webrtc.testing.browser import BrowserPage

pytestmark = [pytest.mark.janus, pytest.mark.browser]

PUBLISH = """
const janus = await kit.connect(url);
const pub = await kit.attach(janus, "janus.plugin.videoroom");
window.pub = pub;
await pub.send({request: "join", ptype: "publisher", room, display: "browser"});
const joined = await pub.messages.next((m) => m.msg.videoroom === "joined");
const offer = await pub.offer([
  {type: "audio", capture: true, recv: false},
  {type: "video", capture: {width: 160, height: 120, frameRate: 15}, recv: false},
]);
await pub.send({request: "configure", audio: true, video: true}, offer);
const configured = await pub.messages.next((m) => m.jsep && m.jsep.type === "answer");
await pub.accept(configured.jsep);
await pub.events.next((e) => e.type === "webrtc" && e.up);
return {id: joined.msg.id, streams: configured.msg.streams};
"""

SENT = """
return await pub.waitStats(
  (s) => s.pair && s.outbound.some((o) => o.kind === "video" && o.framesEncoded >= frames),
);
"""

SUBSCRIBE = """
const janus = await kit.connect(url);
const sub = await kit.attach(janus, "janus.plugin.videoroom");
window.sub = sub;
await sub.send({request: "join", ptype: "subscriber", room, streams: [{feed}]});
const attached = await sub.messages.next((m) => m.msg.videoroom === "attached" && m.jsep);
await sub.send({request: "start", room}, await sub.answer(attached.jsep));
await sub.messages.next((m) => m.msg.started === "ok");
await sub.events.next((e) => e.type === "webrtc" && e.up);
return attached.msg.streams.map((s) => [s.type, s.mid, s.feed_display]);
"""

DECODED = """
const first = await sub.waitFramesDecoded(1);
const video = first.inbound.find((i) => i.kind === "video");
const later = await sub.waitFramesDecoded(video.framesDecoded + more, {timeoutMs: 20000});
return {first, later};
"""


@pytest.mark.parametrize("janus_transport", ["ws", "http"])
async def test_browser_camera_decoded_by_a_python_subscriber(
    janus_browser_page: BrowserPage,
    janus_url: str,
    room: int,
    janus_media_ice: str,
    janus_handle_factory: HandleFactory,
) -> None:
    page = janus_browser_page
    published = await page.run(PUBLISH, url=janus_url, room=room)
    assert sorted(s["type"] for s in published["streams"]) == ["audio", "video"]
    sent = await page.run(SENT, frames=10)
    # Janus offers the browser the private ICE address only.
    assert sent["pair"]["remote"] == janus_media_ice

    sub = await janus_handle_factory(VideoRoomSubscriber)
    counter = sub.record_to(FrameCounter())
    attached = await sub.join(room, streams=[published["id"]])
    assert [(s.type, s.feed_display) for s in attached.streams] == [
        ("audio", "browser"),
        ("video", "browser"),
    ]
    await sub.wait_connected(timeout=15)
    assert sub.remote_candidate_addresses == {janus_media_ice}
    (video,) = sub.mids_of(published["id"], "video")
    (audio,) = sub.mids_of(published["id"], "audio")
    figures = await counter.wait_frames("video", 20, mid=video, timeout=20)
    assert (figures.width, figures.height) == (160, 120)  # the browser's camera, as captured
    await counter.wait_frames("audio", 25, mid=audio, timeout=20)
    assert page.errors == ()


@pytest.mark.parametrize("janus_transport", ["ws", "http"])
async def test_python_test_pattern_decoded_by_a_browser_subscriber(
    janus_browser_page: BrowserPage,
    janus_url: str,
    room: int,
    janus_media_ice: str,
    janus_handle_factory: HandleFactory,
) -> None:
    page = janus_browser_page
    _, joined = await start_publisher(janus_handle_factory, room, display="python")
    streams = await page.run(SUBSCRIBE, url=janus_url, room=room, feed=joined.id)
    assert [(kind, display) for kind, _, display in streams] == [
        ("audio", "python"),
        ("video", "python"),
    ]
    decoded = await page.run(DECODED, more=20)
    video = next(i for i in decoded["later"]["inbound"] if i["kind"] == "video")
    first = next(i for i in decoded["first"]["inbound"] if i["kind"] == "video")
    assert video["framesDecoded"] >= first["framesDecoded"] + 20  # framesDecoded grows
    assert (video["frameWidth"], video["frameHeight"]) == (160, 120)
    audio = next(i for i in decoded["later"]["inbound"] if i["kind"] == "audio")
    assert audio["packetsReceived"] > 0
    assert decoded["later"]["pair"]["remote"] == janus_media_ice
    assert page.errors == ()
