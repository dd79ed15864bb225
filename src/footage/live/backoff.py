"""How long to wait before reconnecting to a camera (pure: no I/O, no clock).

Delays grow exponentially, ``base_s * 2**n``, up to ``cap_s``. Jitter is *proportional*: each
delay is multiplied by a factor drawn uniformly from ``[1 - jitter, 1 + jitter]`` and then capped,
so many recorders that lost the same server do not all reconnect in the same instant, yet a delay
never drops far below the exponential schedule (as "full" jitter, uniform in ``[0, d]``, would).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass

from footage.errors import ConfigError

__all__ = ["RetryPolicy", "backoff_delays"]


@dataclass(frozen=True)
class RetryPolicy:
    """Reconnect schedule: first wait ``base_s``, doubling up to ``cap_s``, each ±``jitter`` (a fraction)."""

    base_s: float = 1.0
    cap_s: float = 30.0
    jitter: float = 0.2

    def __post_init__(self) -> None:
        if self.base_s <= 0 or self.cap_s < self.base_s:
            raise ConfigError(f"retry delays need 0 < base_s <= cap_s (got base_s={self.base_s}, cap_s={self.cap_s})")
        if not 0 <= self.jitter < 1:
            raise ConfigError(f"retry jitter must be in [0, 1) (got {self.jitter})")

    def delays(self, rng: random.Random | None = None) -> Iterator[float]:
        """An endless schedule of waits, in seconds, for one outage."""
        return backoff_delays(self.base_s, self.cap_s, self.jitter, rng)


def backoff_delays(base_s: float = 1.0, cap_s: float = 30.0, jitter: float = 0.2,
                   rng: random.Random | None = None) -> Iterator[float]:
    """Endless waits ``min(cap_s, base_s * 2**n * U(1 - jitter, 1 + jitter))`` for n = 0, 1, 2, ...

    With ``jitter=0`` the schedule is exactly ``base_s, 2 base_s, 4 base_s, ..., cap_s, cap_s``.
    Pass a seeded ``rng`` for a reproducible schedule.
    """
    if base_s <= 0 or cap_s < base_s:
        raise ConfigError(f"retry delays need 0 < base_s <= cap_s (got base_s={base_s}, cap_s={cap_s})")
    if not 0 <= jitter < 1:
        raise ConfigError(f"retry jitter must be in [0, 1) (got {jitter})")
    draw = rng or random.Random()
    nominal = base_s
    while True:
        factor = draw.uniform(1 - jitter, 1 + jitter) if jitter else 1.0
        yield min(cap_s, nominal * factor)
        nominal = min(cap_s, nominal * 2)
