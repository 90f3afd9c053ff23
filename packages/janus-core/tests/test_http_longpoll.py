"""HTTP long-polls after a reset: what Janus does to every client, and what this one does about it.

After a long-poll's connection is reset, Janus keeps the dead poll parked and writes the
session's next event into it (see docs/transports.md). A raw aiohttp client that re-polls at
once, as janus.js does, loses that event; this client makes a dead poll swallow a probe
instead, and when an event is lost all the same it fails the waiting request at once with
OutcomeUnknownError. The poller's bookkeeping is tested first with scripted polls.
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import AsyncIterator, Callable
from typing import Any
from urllib.parse import urlsplit

import aiohttp
import pytest

import janus_webrtc
from janus_webrtc import EventsLost, JanusTimeoutError, OutcomeUnknownError
from janus_webrtc.testing import FaultProxy, JanusEndpoints
from janus_webrtc.transports._aiohttp_compat import disable_request_retry
from janus_webrtc.transports._longpoll import (
    EARLY_KEEPALIVE,
    PROBE_ATTEMPTS,
    PollOutcome,
    SessionPoller,
)

ROUNDS = 5


async def test_this_aiohttp_still_lets_the_long_poll_retry_be_turned_off() -> None:
    async with aiohttp.ClientSession() as client:
        assert disable_request_retry(client), (
            f"aiohttp {aiohttp.__version__} has no _retry_connection: check the long-poll "
            "reset handling (transports/_aiohttp_compat.py) against this version"
        )
        assert client._retry_connection is False


# -- the poller's bookkeeping, with scripted polls ---------------------------------------------


class _Script:
    """Plays a SessionPoller's polls and probes from a list, and records what it reports."""

    def __init__(self, polls: list[PollOutcome | Callable[[], PollOutcome]]) -> None:
        self.polls = polls
        self.delivered: list[dict[str, Any]] = []
        self.lost: list[int] = []
        self.probes = 0
        self.probe_ok = True
        self.probe_failures = 0
        """Probes to fail on the network (as the next reset does) before they work."""
        self.detach_gate: asyncio.Event | None = None
        """If set, a probe waits for it between its attach and its detach."""
        self.finished = asyncio.Event()
        self.clock = 0.0
        self.elapsed = 1.0
        """Seconds each scripted poll takes on the fake clock."""

    def poller(self, *, dead_poll: bool = False) -> SessionPoller:
        return SessionPoller(
            1,
            poll=self._poll,
            probe=self._probe,
            deliver=self.delivered.append,
            events_lost=self.lost.append,
            gone=self.finished.set,
            unreachable=lambda why: self.finished.set(),
            clock=lambda: self.clock,
            dead_poll=dead_poll,
        )

    async def _poll(self, sent: asyncio.Event) -> PollOutcome:
        sent.set()
        await asyncio.sleep(0)
        await asyncio.sleep(0)  # let the probe task run first, as the network would
        self.clock += self.elapsed
        if not self.polls:
            return PollOutcome(404)
        step = self.polls.pop(0)
        return step() if callable(step) else step

    async def _probe(self, attached: Callable[[int], None]) -> bool:
        self.probes += 1
        attached(900 + self.probes)
        if self.detach_gate is not None:
            await self.detach_gate.wait()
        if self.probes <= self.probe_failures:
            raise OutcomeUnknownError("the detach was reset")
        return self.probe_ok


def _event(n: int) -> dict[str, Any]:
    return {"janus": "event", "session_id": 1, "sender": 5, "n": n}


def _probe_detached(n: int) -> dict[str, Any]:
    return {"janus": "detached", "session_id": 1, "sender": 900 + n}


KEEPALIVE = {"janus": "keepalive"}
RESET = PollOutcome(None, error="ClientOSError", sent=True)


async def _play(script: _Script, *, dead_poll: bool = False) -> SessionPoller:
    poller = script.poller(dead_poll=dead_poll)
    async with asyncio.timeout(5):
        await poller.run()
    return poller


async def test_a_dead_poll_that_swallows_the_probe_loses_nothing() -> None:
    # reset; the new poll is answered at once by a keepalive (the dead poll took the probe)
    script = _Script([RESET, PollOutcome(200, [KEEPALIVE]), PollOutcome(200, [_event(1)])])
    poller = await _play(script)
    assert script.probes == 1
    assert script.lost == [] and poller.lost_events == 0
    assert script.delivered == [_event(1)]
    assert not poller.recovering


async def test_an_event_taken_before_the_probe_is_reported_lost() -> None:
    # the dead poll took a real event (keepalive), then the probe came through: one loss
    script = _Script(
        [RESET, PollOutcome(200, [KEEPALIVE]), PollOutcome(200, [_probe_detached(1), _event(2)])]
    )
    await _play(script)
    assert script.lost == [1]
    assert script.delivered == [_event(2)]  # the probe's own event is not delivered


async def test_a_probe_that_comes_through_means_the_dead_poll_is_gone() -> None:
    # no keepalive: the dead poll took something before the new poll was parked, or never
    # reached Janus; either way it is gone, and a loss may have happened: reported
    script = _Script([RESET, PollOutcome(200, [_probe_detached(1), _event(2)])])
    poller = await _play(script)
    assert script.lost == [1]
    assert not poller.recovering


@pytest.mark.parametrize("sender", [{"a": 1}, [5], "5", None, 2.5, True])
async def test_a_detached_event_with_a_sender_of_any_type_is_delivered_polling_goes_on(
    sender: object,
) -> None:
    # found by the hostile-input test: an unhashable sender ended the poller (TypeError)
    odd = {"janus": "detached", "session_id": 1, "sender": sender}
    script = _Script([PollOutcome(200, [odd, _event(1)]), PollOutcome(200, [_event(2)])])
    await _play(script)
    assert script.delivered == [odd, _event(1), _event(2)]  # the connection's routing judges


async def test_a_message_the_poller_cannot_handle_is_dropped_and_polling_goes_on(
    caplog: pytest.LogCaptureFixture,
) -> None:
    script = _Script([PollOutcome(200, [_event(1), _event(2)]), PollOutcome(200, [_event(3)])])
    poller = script.poller()

    def deliver(message: dict[str, Any]) -> None:
        if message["n"] == 1:
            raise RuntimeError("a bug further on")
        script.delivered.append(message)

    poller._deliver = deliver
    async with asyncio.timeout(5):
        await poller.run()
    assert script.delivered == [_event(2), _event(3)]
    assert "dropped a long-polled message that could not be handled" in caplog.text


async def test_early_keepalives_without_any_reset_are_not_losses() -> None:
    script = _Script([PollOutcome(200, [KEEPALIVE]), PollOutcome(200, [_event(1)])])
    await _play(script)
    assert script.lost == [] and script.probes == 0


async def test_a_late_keepalive_is_janus_poll_timeout_not_a_loss() -> None:
    script = _Script([RESET, PollOutcome(200, [KEEPALIVE])])
    script.elapsed = EARLY_KEEPALIVE + 5  # Janus answers an idle poll after 30 s
    poller = await _play(script)
    assert script.lost == []
    assert poller.recovering  # still waiting for a sign of the dead poll


async def test_failed_probes_report_that_nothing_can_be_known() -> None:
    script = _Script([RESET, PollOutcome(200, [_event(1)])])
    script.probe_ok = False
    poller = await _play(script)
    assert script.lost == [1]
    assert not poller.recovering
    assert script.delivered == [_event(1)]


async def test_probes_failing_on_the_network_keep_requests_held_and_are_tried_again() -> None:
    # A reset storm: the probe's own requests are reset too. Letting the held requests go
    # after a few failed probes sent them while the dead poll was still parked, and their
    # answers fell into it unnoticed (CI: a request timed out). The waiting requests are failed
    # once (nothing can rule out a loss), the others stay held until a probe gets through.
    script = _Script([RESET])
    script.probe_failures = PROBE_ATTEMPTS + 2
    poller = script.poller()
    scripted = script._poll
    calls = 0
    held_while_failing: list[bool] = []

    async def poll(sent: asyncio.Event) -> PollOutcome:
        nonlocal calls
        calls += 1
        if calls == 2:  # the poll parked after the reset, answered once a probe gets through
            sent.set()
            while script.probes <= script.probe_failures:
                await asyncio.sleep(0.01)
                if script.probes == PROBE_ATTEMPTS + 1:
                    held_while_failing.append(poller.recovering and script.lost == [1])
            return PollOutcome(200, [_probe_detached(script.probes)])
        return await scripted(sent)

    poller._poll = poll
    async with asyncio.timeout(10):
        await poller.run()
    assert script.probes == PROBE_ATTEMPTS + 3
    assert held_while_failing and all(held_while_failing), "requests were let go too early"
    assert script.lost == [1], "the one possible loss is reported once"
    assert not poller.recovering
    assert script.delivered == []


async def test_a_keepalive_put_down_to_a_probe_whose_detach_failed_is_reported() -> None:
    # The early keepalive came while the probe was attached: it was put down to the probe.
    # Its detach then failed, perhaps before reaching Janus: then no probe event was ever
    # made and the dead poll took a real one. Said, not assumed away.
    script = _Script([RESET, PollOutcome(200, [KEEPALIVE])])
    script.probe_failures = 1
    script.detach_gate = asyncio.Event()
    poller = script.poller()
    scripted = script._poll
    calls = 0

    async def poll(sent: asyncio.Event) -> PollOutcome:
        nonlocal calls
        calls += 1
        if calls == 3:  # after the keepalive: now the detach fails
            sent.set()
            assert script.detach_gate is not None
            script.detach_gate.set()
            while 901 not in poller._strays:  # noqa: ASYNC110 - a plain set of the poller
                await asyncio.sleep(0.01)
            return PollOutcome(200, [_event(1)])
        return await scripted(sent)

    poller._poll = poll
    async with asyncio.timeout(10):
        await poller.run()
    assert script.lost == [1]
    assert script.probes == 1  # the keepalive showed the dead poll gone: no further probe
    assert script.delivered == [_event(1)]


async def test_a_claimed_session_starts_with_a_dead_poll_to_account_for() -> None:
    script = _Script([PollOutcome(200, [KEEPALIVE])])
    await _play(script, dead_poll=True)
    assert script.probes == 1 and script.lost == []


async def test_requests_wait_while_a_dead_poll_may_be_parked() -> None:
    script = _Script([RESET])
    poller = script.poller()
    task = asyncio.create_task(poller.run())
    async with asyncio.timeout(5):
        while not poller.recovering:  # noqa: ASYNC110 - a plain flag of the poller
            await asyncio.sleep(0)
        waiting = asyncio.create_task(poller.wait_recovered())
        await asyncio.sleep(0)
        assert not waiting.done()
        poller._early_keepalive()  # the dead poll took the probe
        await waiting
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)


async def test_requests_are_held_until_the_probe_answers_however_long_it_takes() -> None:
    # After a reset the probe can take long to come back (a loaded machine, many sessions
    # probing at once). A request let go before it came back could have its answer taken by
    # the dead poll: it waits for the probe, not for a fixed couple of seconds.
    release = asyncio.Event()

    script = _Script([RESET])
    poller = script.poller()
    scripted = script._poll
    calls = 0

    async def poll(sent: asyncio.Event) -> PollOutcome:
        nonlocal calls
        calls += 1
        if calls == 2:  # the poll parked after the reset: the probe comes back late
            sent.set()
            await release.wait()
            return PollOutcome(200, [_probe_detached(1)])
        return await scripted(sent)  # the reset, then the end of the script

    poller._poll = poll
    task = asyncio.create_task(poller.run())
    async with asyncio.timeout(10):
        while not poller.recovering:  # noqa: ASYNC110 - a plain flag of the poller
            await asyncio.sleep(0)
        waiting = asyncio.create_task(poller.wait_recovered())
        done, _ = await asyncio.wait([waiting], timeout=2.5)  # longer than the old 2 s hold
        assert not done, "a request was let go while the reset poll could still take its answer"
        release.set()
        await waiting
    assert not poller.recovering
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)


async def test_a_poll_slow_to_go_out_after_a_reset_still_carries_its_probe() -> None:
    # On a loaded machine the poll parked after a reset can take seconds to reach the wire.
    # Its probe used to be given up after 2 s and put off to the next poll, up to 30 s away:
    # the dead poll stayed parked and requests were held until they timed out (CI, 3.13).
    script = _Script([RESET])
    poller = script.poller()
    scripted = script._poll
    calls = 0

    async def poll(sent: asyncio.Event) -> PollOutcome:
        nonlocal calls
        calls += 1
        if calls == 2:
            await asyncio.sleep(2.5)  # the fault itself: the GET goes out late
            sent.set()
            await asyncio.sleep(0)
            await asyncio.sleep(0)  # the probe runs once the poll is out
            return PollOutcome(200, [_probe_detached(1)])
        return await scripted(sent)

    poller._poll = poll
    async with asyncio.timeout(10):
        await poller.run()
    assert script.probes == 1
    assert not poller.recovering, "the probe was given up: requests stay held"
    assert script.delivered == []  # the probe's event is recognised, not delivered


async def test_a_poll_that_never_goes_out_passes_its_probe_to_the_next() -> None:
    script = _Script([RESET, PollOutcome(200, [_probe_detached(1)])])
    poller = script.poller()
    scripted = script._poll
    calls = 0

    async def poll(sent: asyncio.Event) -> PollOutcome:
        nonlocal calls
        calls += 1
        if calls == 2:  # refused before it was sent: nothing parked by it
            return PollOutcome(None, error="ClientConnectorError", sent=False)
        return await scripted(sent)

    poller._poll = poll
    async with asyncio.timeout(5):
        await poller.run()
    assert script.probes == 1 and not poller.recovering


def test_one_early_keepalive_means_no_dead_poll_is_parked_however_many_were() -> None:
    # Janus completes every parked poll with each event (the oldest takes it, the others get
    # a keepalive; ../shared notes, janus_http.c). Counting one dead poll off per keepalive
    # left the poller sure that another was parked while none was: with a probe still out
    # (its event already taken) nothing ever came to say otherwise, and every request of the
    # session was held until its timeout after the resets had ended (a NotSentError, seen).
    poller = _Script([]).poller()
    poller._poll_reset()
    poller._probe_attached([], 901)
    poller._poll_reset()
    poller._probe_attached([], 902)  # two dead polls parked, a probe out for each
    poller._early_keepalive()  # one event took them all
    assert not poller.recovering
    assert 901 in poller._assumed_swallowed  # the oldest probe's event is the one taken
    assert 902 in poller._probes_out  # still expected; if it comes it is recognised


async def test_an_early_keepalive_after_two_resets_reports_the_loss_it_cannot_rule_out() -> None:
    # The first reset poll can be emptied by a request's event while no live poll is parked
    # (lost unseen); the keepalive then seen comes from the second. Counting it as the probe's
    # lost the request's answer without a word: it timed out (test_fifty_resets[http]).
    script = _Script([])
    poller = script.poller()
    poller._poll_reset()
    poller._poll_reset()
    poller._probe_attached([], 901)
    poller._early_keepalive()
    assert script.lost == [1] and not poller.recovering
    poller._probe_arrived(902)  # an unknown probe (say a stray's): no further report
    assert script.lost == [1]


# -- against the real Janus, through a resetting proxy -----------------------------------------


@pytest.fixture
async def proxied_http(janus_server: JanusEndpoints) -> AsyncIterator[tuple[FaultProxy, str]]:
    url = janus_server.url("http")
    port = urlsplit(url).port
    assert port is not None
    async with FaultProxy(port) as proxy:
        yield proxy, proxy.url_for(url)


class _RawClient:
    """A minimal aiohttp Janus client that re-polls at once after a failure, like janus.js."""

    def __init__(self, client: aiohttp.ClientSession, url: str) -> None:
        self.client = client
        self.url = url
        self.events: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.session = 0
        self.handle = 0
        self.poll_sent = asyncio.Event()

    async def post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        body["transaction"] = secrets.token_hex(4)
        for _ in range(3):  # a pooled connection the reset killed: try another
            try:
                async with self.client.post(self.url + path, json=body) as response:
                    result: dict[str, Any] = await response.json()
                    return result
            except aiohttp.ClientError:
                continue
        raise AssertionError("the raw client could not POST")

    async def start(self) -> None:
        self.session = (await self.post("", {"janus": "create"}))["data"]["id"]
        reply = await self.post(
            f"/{self.session}", {"janus": "attach", "plugin": "janus.plugin.echotest"}
        )
        self.handle = reply["data"]["id"]

    async def poll_forever(self) -> None:
        while True:
            try:
                async with self.client.get(f"{self.url}/{self.session}?maxev=10") as response:
                    self.poll_sent.clear()  # answered: no poll is parked now
                    body = await response.json()
            except aiohttp.ClientError:
                continue  # re-poll at once
            for event in body if isinstance(body, list) else [body]:
                if event.get("janus") == "event":
                    await self.events.put(event)


async def test_after_a_reset_a_raw_client_loses_the_event_and_this_one_does_not(
    proxied_http: tuple[FaultProxy, str],
) -> None:
    proxy, url = proxied_http
    raw_lost = 0
    tracing = aiohttp.TraceConfig()
    sent = asyncio.Event()

    async def headers_sent(*args: Any) -> None:
        if args[2].method == "GET":
            sent.set()

    tracing.on_request_headers_sent.append(headers_sent)
    async with aiohttp.ClientSession(trace_configs=[tracing]) as client:
        raw = _RawClient(client, url)
        raw.poll_sent = sent
        await raw.start()
        poller = asyncio.create_task(raw.poll_forever())
        try:
            for _ in range(ROUNDS):
                # the poll is out, and a round trip later Janus has parked it
                await sent.wait()
                await raw.post(f"/{raw.session}", {"janus": "keepalive"})
                proxy.reset()
                await raw.post(
                    f"/{raw.session}/{raw.handle}", {"janus": "message", "body": {"audio": True}}
                )
                try:
                    async with asyncio.timeout(1.0):
                        await raw.events.get()
                except TimeoutError:
                    raw_lost += 1
        finally:
            poller.cancel()
            await asyncio.gather(poller, return_exceptions=True)

    answered = unknown = 0
    lost_events: list[EventsLost] = []
    async with janus_webrtc.connect(url, timeout=10) as conn:
        session = await conn.create_session()
        handle = await session.attach("echotest")
        handle.on(lost_events.append, EventsLost)
        for _ in range(ROUNDS):
            await session.keepalive()
            proxy.reset()
            try:
                reply = await handle.send({"audio": True}, timeout=10)
            except OutcomeUnknownError:
                unknown += 1  # a lost event, reported at once
            except JanusTimeoutError:  # pragma: no cover - the failure this test is about
                pytest.fail("a request whose event went to a dead poll waited for its timeout")
            else:
                assert reply.data["result"] == "ok"
                answered += 1
        # afterwards every request is answered
        for _ in range(3):
            assert (await handle.send({"audio": True}, timeout=10)).data["result"] == "ok"
    assert raw_lost >= 1, "Janus no longer loses events after a reset: revisit _longpoll.py"
    # each request right after a reset was answered, or its loss reported at once
    assert answered + unknown == ROUNDS
    assert len(lost_events) >= unknown
    print(
        f"\nraw client: lost {raw_lost}/{ROUNDS}; janus-webrtc: {answered} answered, "
        f"{unknown} reported lost at once, 0 waited for a timeout"
    )
