"""How a connection reconnects after its transport drops: attempts, backoff, and giving up."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass

__all__ = ["ReconnectPolicy"]


@dataclass(frozen=True, slots=True)
class ReconnectPolicy:
    """When and how often a :class:`~janus_webrtc.Connection` tries to reconnect.

    After a drop the connection opens a new transport, waiting ``initial_delay`` before the
    second try and multiplying the wait by ``factor`` after each failure, up to ``max_delay``,
    each wait spread by ``jitter`` so that many clients do not retry in lockstep. It gives up
    after ``give_up_after`` seconds or ``max_attempts`` tries, whichever comes first; its
    sessions are then reported lost (:class:`~janus_webrtc.SessionLost`) and it closes.

    Keep ``give_up_after`` below the server's ``reclaim_session_timeout``: after it, Janus
    has destroyed the sessions and claims fail anyway.

    Args:
        give_up_after: Seconds after the drop to stop trying (``None``: no time limit).
        max_attempts: Transports to try at most (``None``: no limit).
        initial_delay: Seconds before the second try (the first is immediate).
        max_delay: Longest wait between two tries.
        factor: Growth of the wait after each failed try.
        jitter: Fraction of each wait added or removed at random (0 to 1).

    Raises:
        ValueError: A value is out of range, or neither limit is set.
    """

    give_up_after: float | None = 30.0
    max_attempts: int | None = None
    initial_delay: float = 0.05
    max_delay: float = 2.0
    factor: float = 2.0
    jitter: float = 0.1

    def __post_init__(self) -> None:
        if self.give_up_after is None and self.max_attempts is None:
            raise ValueError("set give_up_after or max_attempts: reconnecting must end")
        if self.give_up_after is not None and self.give_up_after <= 0:
            raise ValueError("give_up_after must be positive")
        if self.max_attempts is not None and self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        if self.initial_delay < 0 or self.max_delay < self.initial_delay:
            raise ValueError("need 0 <= initial_delay <= max_delay")
        if self.factor < 1:
            raise ValueError("factor must be at least 1")
        if not 0 <= self.jitter <= 1:
            raise ValueError("jitter must be between 0 and 1")

    def delays(self) -> Iterator[float]:
        """Yield the wait before each try after the first, forever (the caller stops)."""
        delay = self.initial_delay
        while True:
            spread = delay * self.jitter
            yield max(0.0, delay + random.uniform(-spread, spread))
            delay = min(delay * self.factor, self.max_delay)
