"""Timeline time: one clock for all of a camera's recordings."""

from __future__ import annotations

from fractions import Fraction

__all__ = ["ORIGIN_US", "TIME_BASE", "seconds", "us"]

#: 2000-01-01T00:00:00Z in microseconds since the Unix epoch: timeline second 0
ORIGIN_US = 946_684_800_000_000
#: the time base of timeline tracks: their pts are microseconds since :data:`ORIGIN_US`
TIME_BASE = Fraction(1, 1_000_000)


def seconds(utc_us: int) -> float:
    """Timeline seconds of a wall-clock time in microseconds since the Unix epoch."""
    return (utc_us - ORIGIN_US) / 1e6


def us(timeline_s: float) -> int:
    """Microseconds since the Unix epoch of timeline second ``timeline_s``."""
    return ORIGIN_US + round(timeline_s * 1e6)
