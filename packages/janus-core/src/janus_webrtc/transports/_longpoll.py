"""One HTTP session's long-poll, and what it does when its connection is reset.

Janus parks a long-poll that finds no event and stops watching its socket. After a reset the
dead poll stays parked, and the next event of the session is written into it and lost, for any
HTTP client (see docs/transports.md). So, right after a failed poll, the poller parks a new
one and makes Janus emit a throwaway event (a *probe*: attach and detach a handle), which a
dead poll swallows instead of a real one. It also watches for the tell-tale of a loss: with
two polls parked, Janus completes the older with the event and the newer at once with a bare
``keepalive``; a keepalive long before Janus's 30 s poll timeout means a dead poll took an
event. An event known or likely to be lost is reported to the connection, which fails the
requests waiting for events of that session with :class:`~janus_webrtc.OutcomeUnknownError`.
Requests of the session are held back while the dead poll may still be parked (each for at
most its own timeout), so that their answers cannot fall into it. A probe that fails on the
network (the next reset) is tried again with a backoff for as long as a dead poll may be
parked; only a probe Janus refuses ends the hold without knowing.
"""

from __future__ import annotations

import asyncio
import functools
import itertools
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

__all__ = ["PollOutcome", "SessionPoller"]

logger = logging.getLogger(__name__.rsplit(".", 1)[0] + ".http")

EARLY_KEEPALIVE = 25.0
"""A poll answered by a bare keepalive sooner than this (Janus waits 30 s) means a dead poll
took an event."""

_BACKOFF = (0.0, 0.05, 0.2, 0.5, 1.0, 2.0)
"""Waits before re-polling after consecutive failures."""

PROBE_ATTEMPTS = 3
"""Probes that fail on the network before the loss that nothing can rule out is reported (the
waiting requests then fail at once); the probe is still tried again after that."""

_PROBE_BACKOFF = (0.0, 0.0, 0.05, 0.1, 0.2, 0.5, 1.0)
"""Waits before each further try of a probe that failed on the network."""

MAX_FAILURES = 8
"""Consecutive failed polls (that did reach the server) after which the transport is lost."""


@dataclass
class PollOutcome:
    """What one long-poll brought back.

    Attributes:
        status: The HTTP status, or ``None`` when the poll failed.
        messages: The JSON objects of the body.
        unreachable: The server could not be reached at all (connection refused, ...).
        error: What went wrong, when the poll failed.
        sent: Whether the GET reached the wire before it failed (a dead poll may be parked).
        dropped: Janus answered, but the answer could not be read (its events are lost).
    """

    status: int | None
    messages: list[dict[str, Any]] = field(default_factory=list)
    unreachable: bool = False
    error: str = ""
    sent: bool = True
    dropped: bool = False


Poll = Callable[[asyncio.Event], Awaitable[PollOutcome]]
"""Runs one long-poll; sets the event once the request is on the wire."""

Probe = Callable[[Callable[[int], None]], Awaitable[bool]]
"""Attaches a throwaway handle, reports its id to the callback, detaches it; False if it
could not be done."""


class SessionPoller:
    """Long-polls one session's events until stopped; recovers from reset polls.

    Args:
        session_id: The session.
        poll: Runs one long-poll (see :data:`Poll`).
        probe: Makes Janus emit one throwaway event (see :data:`Probe`).
        deliver: Receives each event of the session, in order.
        events_lost: Called with a count when events of the session were lost.
        gone: Called when Janus no longer knows the session (HTTP 404).
        unreachable: Called with a reason when the server cannot be reached any more.
        clock: The event loop's clock.
        dead_poll: Whether a poll of this session may already be parked dead on the server
            (a claimed session, whose previous transport was closed).
    """

    def __init__(
        self,
        session_id: int,
        *,
        poll: Poll,
        probe: Probe,
        deliver: Callable[[dict[str, Any]], None],
        events_lost: Callable[[int], None],
        gone: Callable[[], None],
        unreachable: Callable[[str], None],
        clock: Callable[[], float],
        dead_poll: bool = False,
    ) -> None:
        self.session_id = session_id
        self._poll = poll
        self._probe = probe
        self._deliver = deliver
        self._events_lost = events_lost
        self._gone = gone
        self._unreachable = unreachable
        self._clock = clock
        self._dead = 0
        """Failed polls that Janus may still hold parked."""
        self._probe_needed = False
        self._probes_out: dict[int, None] = {}
        """Probe handles whose ``detached`` has not arrived, oldest first (an ordered set)."""
        self._assumed_swallowed: set[int] = set()
        """Probes an early keepalive was put down to: if one still arrives, that was a loss."""
        self._strays: set[int] = set()
        """Probes whose detach failed: their ``detached``, if it comes, is only dropped."""
        self._probe_round = 0
        """Counts probe tasks: an older one that is still retrying gives way to a newer one."""
        self._unknown_reported = False
        """The loss that failed probes could not rule out was reported since the last reset."""
        self._recovered = asyncio.Event()
        self._recovered.set()
        if dead_poll:
            self._poll_reset()
        self._tasks: set[asyncio.Task[Any]] = set()
        self.lost_events = 0
        """Events of the session known or likely to be lost so far."""

    @property
    def recovering(self) -> bool:
        """True while a dead poll may still be parked on the server."""
        return not self._recovered.is_set()

    async def wait_recovered(self) -> None:
        """Wait until no dead poll can swallow an answer (the caller bounds the wait).

        The poller knows once the probe came through or was swallowed, or the probes failed;
        it is released at once when stopped.
        """
        await self._recovered.wait()

    async def run(self) -> None:
        """Poll until cancelled, the session is gone, or the server is unreachable."""
        failures = 0
        try:
            while True:
                sent = asyncio.Event()
                started = self._clock()
                probing: asyncio.Task[None] | None = None
                if self._probe_needed:
                    self._probe_needed = False
                    probing = self._spawn(self._probe_when_sent(sent))
                outcome = await self._poll(sent)
                if probing is not None and not sent.is_set():
                    # The poll never went out: its probe goes with the next one. (However
                    # long a poll takes to go out, its probe waits for it: a probe given up
                    # on would leave the dead poll parked and the requests held.)
                    probing.cancel()
                    self._probe_needed = True
                if outcome.dropped:
                    self._lost(1, f"an answer to a long-poll was unreadable: {outcome.error}")
                if outcome.status is None:
                    if outcome.unreachable:
                        self._unreachable(outcome.error)
                        return
                    failures += 1
                    if failures > MAX_FAILURES:
                        self._unreachable(f"{failures} long-polls in a row failed: {outcome.error}")
                        return
                    if outcome.sent:
                        self._poll_reset()
                    logger.info(
                        "long-poll of session %d failed (%s); polling again",
                        self.session_id,
                        outcome.error,
                    )
                    await asyncio.sleep(_BACKOFF[min(failures - 1, len(_BACKOFF) - 1)])
                    continue
                if outcome.status == 404:
                    self._gone()
                    return
                if outcome.status >= 400:
                    failures += 1
                    logger.warning(
                        "long-poll of session %d answered HTTP %d", self.session_id, outcome.status
                    )
                    await asyncio.sleep(_BACKOFF[min(failures, len(_BACKOFF) - 1)])
                    continue
                failures = 0
                self._received(outcome.messages, self._clock() - started)
        finally:
            for task in self._tasks:
                task.cancel()

    def stop(self) -> None:
        """Cancel the poller's helper tasks and release held requests."""
        for task in self._tasks:
            task.cancel()
        self._recovered.set()

    def _poll_reset(self) -> None:
        logger.debug("session %d: a long-poll was reset (dead=%d)", self.session_id, self._dead + 1)
        self._dead += 1
        self._probe_needed = True
        self._unknown_reported = False
        self._recovered.clear()

    def _received(self, messages: list[dict[str, Any]], elapsed: float) -> None:
        for message in messages:
            try:
                self._receive(message, elapsed)
            except Exception:  # hostile input must not end the session's polling
                logger.exception(
                    "session %d: dropped a long-polled message that could not be handled",
                    self.session_id,
                )

    def _receive(self, message: dict[str, Any], elapsed: float) -> None:
        kind = message.get("janus")
        if kind == "keepalive":
            if elapsed < EARLY_KEEPALIVE:
                self._early_keepalive()
            return
        sender = message.get("sender")
        if kind == "detached" and type(sender) is int:
            if self._is_probe(sender):
                self._probe_arrived(sender)
                return
            if sender in self._strays:
                self._strays.discard(sender)
                return
        self._deliver(message)

    def _is_probe(self, handle_id: int) -> bool:
        return handle_id in self._probes_out or handle_id in self._assumed_swallowed

    def _early_keepalive(self) -> None:
        """A dead poll took an event: a probe's, if one is out, else a real one.

        Janus completes every parked poll of the session with each event (the oldest takes
        it, the others get a keepalive), so none is parked any more, however many were. With
        more than one reset poll, one of them may have been emptied earlier by an event no
        live poll saw go (a real one, lost unseen): that is said too.
        """
        logger.debug(
            "session %d: early keepalive (dead=%d, probes=%s)",
            self.session_id,
            self._dead,
            sorted(self._probes_out),
        )
        if not (self._dead or self._probes_out or self._assumed_swallowed):
            logger.debug("session %d: an early keepalive with no reset poll", self.session_id)
            return
        if self._dead > 1:
            self._report_unknown("more than one poll was reset")
        self._dead = 0
        if self._probes_out:
            probe = next(iter(self._probes_out))  # the oldest: its event went out first
            del self._probes_out[probe]
            if len(self._assumed_swallowed) >= 64:  # bounded: old probes are long swallowed
                self._assumed_swallowed.pop()
            self._assumed_swallowed.add(probe)
        else:
            self._lost(1, "a reset long-poll took an event")
        self._recovered.set()

    def _probe_arrived(self, probe: int) -> None:
        logger.debug(
            "session %d: probe %d came through (dead=%d)", self.session_id, probe, self._dead
        )
        if probe in self._assumed_swallowed:
            # The keepalive put down to this probe was a real event, then.
            self._assumed_swallowed.discard(probe)
            self._lost(1, "a reset long-poll took an event before the probe")
            return
        # Janus emits events in order: probes made before this one came through or were
        # swallowed by now; if one still arrives it is only dropped.
        for older in list(self._probes_out):
            del self._probes_out[older]
            if older == probe:
                break
            self._add_stray(older)
        if self._dead:
            # Nothing swallowed the probe, so no dead poll is parked any more: it either took
            # an event before the new poll was parked, or it never reached Janus. Either may be
            # (and was already said, if probes had failed meanwhile).
            self._dead = 0
            if not self._unknown_reported:
                self._lost(1, "a long-poll was reset and an event may have gone with it")
        self._recovered.set()

    def _lost(self, count: int, why: str) -> None:
        self.lost_events += count
        logger.warning("session %d: %s", self.session_id, why)
        self._events_lost(count)

    async def _probe_when_sent(self, sent: asyncio.Event) -> None:
        self._probe_round += 1
        round_ = self._probe_round
        await sent.wait()
        for attempt in itertools.count():
            made: list[int] = []
            try:
                if await self._probe(functools.partial(self._probe_attached, made)):
                    return  # its event (or the keepalive of the poll that took it) tells
                refused = True
            except Exception as exc:  # a probe is best effort: never let it break the poll
                logger.info("session %d: a long-poll probe failed: %r", self.session_id, exc)
                refused = False
            # Half made (attached, the detach lost): its event may or may not come, so it can
            # no longer account for a keepalive; it is only recognised and dropped if it does.
            for handle_id in made:
                self._probes_out.pop(handle_id, None)
                if handle_id in self._assumed_swallowed:
                    # An early keepalive was put down to this probe, but its detach failed:
                    # the event a dead poll took may have been a real one.
                    self._assumed_swallowed.discard(handle_id)
                    self._lost(1, "a reset long-poll took an event, perhaps not the probe's")
                self._add_stray(handle_id)
            if not self._dead:
                return  # the dead polls were accounted for meanwhile
            if refused:
                # Janus will not make the event: nothing can tell whether the reset poll took
                # one, so say what is known and stop holding the requests back.
                self._report_unknown("probes were refused")
                self._recovered.set()
                return
            if attempt + 1 == PROBE_ATTEMPTS:
                # Fail the requests waiting for events now; keep holding the others and keep
                # trying, since the dead poll is still parked and would take their answers.
                self._report_unknown("probes failed")
            await asyncio.sleep(_PROBE_BACKOFF[min(attempt, len(_PROBE_BACKOFF) - 1)])
            if round_ != self._probe_round:
                return  # a newer probe (with a newer poll) has taken over

    def _report_unknown(self, why: str) -> None:
        """Report once per series of resets the loss that nothing can rule out."""
        if not self._unknown_reported:
            self._unknown_reported = True
            self._lost(1, f"a long-poll was reset and it could not be checked ({why})")

    def _add_stray(self, handle_id: int) -> None:
        if len(self._strays) >= 64:  # bounded: old strays are long gone
            self._strays.pop()
        self._strays.add(handle_id)

    def _probe_attached(self, made: list[int], handle_id: int) -> None:
        logger.debug("session %d: probe %d attached", self.session_id, handle_id)
        made.append(handle_id)
        self._probes_out[handle_id] = None

    def _spawn(self, coroutine: Awaitable[None]) -> asyncio.Task[None]:
        task: asyncio.Task[None] = asyncio.ensure_future(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._task_done)
        return task

    def _task_done(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            logger.warning(
                "session %d: a long-poll probe failed: %r", self.session_id, task.exception()
            )
