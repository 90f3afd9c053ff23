"""The event delivery machinery: bounded queues, subscriptions, callbacks, waiters."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

import pytest

from janus_webrtc.errors import JanusTimeoutError, StateError
from janus_webrtc.events import EventQueue, EventStream
from janus_webrtc.messages import Event, HangUp, WebRTCUp


@dataclass(frozen=True)
class Numbered(Event):
    n: int


async def test_queue_drops_the_oldest_when_full_and_warns_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    queue = EventQueue(3, owner="test")
    assert queue.get_nowait() is None  # somebody reads this queue: overflow means too slow
    with caplog.at_level(logging.WARNING, "janus_webrtc.events"):
        for n in range(10):
            queue.put(Numbered(n))
    assert len(queue) == 3
    assert queue.dropped == 7
    assert [queue.get_nowait(), queue.get_nowait(), queue.get_nowait()] == [
        Numbered(7),
        Numbered(8),
        Numbered(9),
    ]
    assert len([r for r in caplog.records if "full" in r.message]) == 1


async def test_an_unread_backlog_keeps_the_latest_events_without_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    queue = EventQueue(2, owner="test")
    with caplog.at_level(logging.WARNING, "janus_webrtc.events"):
        for n in range(5):
            queue.put(Numbered(n))
    assert queue.dropped == 3
    assert [queue.get_nowait(), queue.get_nowait()] == [Numbered(3), Numbered(4)]
    assert caplog.records == []


async def test_queue_iteration_waits_and_ends_after_close() -> None:
    queue = EventQueue(10)

    async def consume() -> list[Event]:
        return [event async for event in queue]

    task = asyncio.create_task(consume())
    await asyncio.sleep(0)
    queue.put(Numbered(1))
    queue.put(Numbered(2))
    await asyncio.sleep(0)
    queue.close()
    queue.put(Numbered(3))  # ignored after close
    assert await asyncio.wait_for(task, 1) == [Numbered(1), Numbered(2)]


async def test_stream_fans_out_to_backlog_subscriptions_and_callbacks() -> None:
    stream = EventStream(10, owner="handle 1")
    hangups = stream.subscribe(HangUp)
    everything = stream.subscribe()
    seen: list[Event] = []
    async_seen: list[Event] = []

    async def async_callback(event: Event) -> None:
        async_seen.append(event)

    remove = stream.on(seen.append, WebRTCUp)
    stream.on(async_callback)
    stream.publish(WebRTCUp())
    stream.publish(HangUp("bye"))
    remove()
    stream.publish(WebRTCUp())
    await asyncio.sleep(0)
    assert seen == [WebRTCUp()]
    assert async_seen == [WebRTCUp(), HangUp("bye"), WebRTCUp()]
    assert len(everything) == 3
    assert hangups.get_nowait() == HangUp("bye") and len(hangups) == 0
    assert len(stream.backlog) == 3
    stream.unsubscribe(hangups)
    stream.publish(HangUp("again"))
    assert len(hangups) == 0


async def test_a_failing_callback_is_logged_and_does_not_stop_delivery(
    caplog: pytest.LogCaptureFixture,
) -> None:
    stream = EventStream(10, owner="handle 1")

    def broken(event: Event) -> None:
        raise RuntimeError("boom")

    async def broken_async(event: Event) -> None:
        raise RuntimeError("async boom")

    later: list[Event] = []
    stream.on(broken)
    stream.on(broken_async)
    stream.on(later.append)
    stream.publish(WebRTCUp())
    await stream.aclose()
    assert later == [WebRTCUp()]
    assert "boom" in caplog.text and "async boom" in caplog.text


async def test_waiter_listens_from_creation_and_filters() -> None:
    stream = EventStream(10, owner="handle 1")
    stream.publish(Numbered(0))  # before the waiter: not seen
    waiter = stream.wait_for((Numbered,), lambda e: e.n > 1, timeout=1)
    stream.publish(Numbered(1))
    stream.publish(HangUp("x"))
    stream.publish(Numbered(2))
    assert await waiter == Numbered(2)
    assert not stream._waiters


async def test_waiter_times_out_with_a_typed_error() -> None:
    stream = EventStream(10, owner="handle 7")
    with pytest.raises(JanusTimeoutError, match=r"WebRTCUp.*handle 7") as info:
        await stream.wait_for((WebRTCUp,), None, timeout=0.05)
    assert isinstance(info.value, TimeoutError)
    assert not stream._waiters


async def test_closing_fails_waiters_and_ends_subscriptions() -> None:
    stream = EventStream(10, owner="handle 7")
    waiter = stream.wait_for((WebRTCUp,), None, timeout=5)
    queue = stream.subscribe()
    stream.close("detached")
    with pytest.raises(StateError, match="handle 7 is detached"):
        await waiter
    assert [e async for e in queue] == []
    with pytest.raises(StateError):
        await stream.wait_for((WebRTCUp,), None, timeout=5)
    stream.close()  # idempotent


async def test_timed_get_returns_an_event_or_raises() -> None:
    stream = EventStream(8, owner="handle 7")
    queue = stream.subscribe(Numbered)
    stream.publish(WebRTCUp())  # filtered out: the queue only takes Numbered
    stream.publish(Numbered(1))
    first = await queue.get(timeout=1)
    assert first == Numbered(1) and first.n == 1  # typed as Numbered
    with pytest.raises(JanusTimeoutError, match=r"no event from handle 7 within 0\.01 s"):
        await queue.get(timeout=0.01)
    assert isinstance(JanusTimeoutError("x"), TimeoutError)
    later = asyncio.get_running_loop().call_soon(stream.publish, Numbered(2))
    assert (await queue.get(timeout=5)).n == 2  # waits for an event published later
    later.cancel()
    stream.publish(Numbered(3))
    stream.close()
    assert queue.closed
    assert (await queue.get()).n == 3  # what was queued is still read after close
    with pytest.raises(StateError, match="queue of handle 7 is closed"):
        await queue.get(timeout=1)
