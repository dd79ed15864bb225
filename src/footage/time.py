"""Exact media time and explicit wall-clock time.

Media time is an integer presentation timestamp (``pts``) counted in a ``Fraction`` time base, as
FFmpeg stores it; converting to float seconds happens only for display and rough comparisons.
Wall-clock time is always a timezone-aware UTC ``datetime``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from fractions import Fraction
from functools import total_ordering

__all__ = ["MediaTime", "WallClock", "utc_from_us", "utc_to_us"]


@total_ordering
@dataclass(frozen=True)
class MediaTime:
    """A point in a recording: ``pts`` ticks of ``time_base`` seconds each."""

    pts: int
    time_base: Fraction

    @property
    def exact_seconds(self) -> Fraction:
        return self.pts * self.time_base

    @property
    def seconds(self) -> float:
        """Float seconds, for display and thresholds only."""
        return float(self.exact_seconds)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, MediaTime):
            return NotImplemented
        return self.exact_seconds < other.exact_seconds


def utc_to_us(moment: datetime) -> int:
    """Microseconds since the Unix epoch for an aware datetime (how the index stores wall time)."""
    if moment.tzinfo is None:
        raise ValueError("wall-clock times must be timezone-aware")
    delta = moment.astimezone(UTC) - datetime(1970, 1, 1, tzinfo=UTC)
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def utc_from_us(us: int) -> datetime:
    """The aware UTC datetime for microseconds since the Unix epoch."""
    return datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=us)


@dataclass(frozen=True)
class WallClock:
    """Maps media time of one recording to UTC.

    ``start_utc`` is the wall-clock time of media time ``start_pts``; ``source`` records how it was
    decided (``"user"``, ``"filename"``, ``"container"`` or ``"file-mtime"``).
    """

    start_utc: datetime
    start_pts: int
    time_base: Fraction
    source: str

    def __post_init__(self) -> None:
        if self.start_utc.tzinfo is None:
            raise ValueError("WallClock.start_utc must be timezone-aware")

    def utc_at(self, pts: int) -> datetime:
        """The UTC time of the frame with presentation timestamp ``pts``."""
        return utc_from_us(self.us_at(pts))

    def us_at_seconds(self, seconds: float) -> int:
        """Microseconds since the epoch of media time ``seconds`` (float, for event times)."""
        offset = seconds - float(self.start_pts * self.time_base)
        return utc_to_us(self.start_utc) + round(offset * 1_000_000)

    def us_at(self, pts: int) -> int:
        """Microseconds since the epoch of ``pts``, rounded to the nearest microsecond."""
        offset = (pts - self.start_pts) * self.time_base * 1_000_000
        return utc_to_us(self.start_utc) + round(offset)
