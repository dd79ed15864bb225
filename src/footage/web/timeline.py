"""The day timeline, as pure functions: which stretch of time a view shows, how busy each slice of
it was, where the moments and the gaps in recording sit on it. Times are aware UTC datetimes; days are calendar days in the
user's time zone (so a day can last 23 or 25 hours)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from footage.labels import DRAWN_AS_VEHICLES

__all__ = [
    "ZOOM_LADDER_S", "ActivityBin", "GapBand", "Window", "activity", "day_window", "days_with_footage", "gap_bands",
    "group_of", "lanes", "placed", "zoom",
]

#: the spans a view can show, widest first: a day, 6 h, 2 h, 30 min, 10 min, 2 min
ZOOM_LADDER_S: tuple[int, ...] = (86400, 21600, 7200, 1800, 600, 120)

@dataclass(frozen=True)
class Window:
    """The stretch of wall-clock time a timeline shows: [start_utc, end_utc)."""

    start_utc: datetime
    end_utc: datetime

    @property
    def span_s(self) -> float:
        return (self.end_utc - self.start_utc).total_seconds()

    def at(self, fraction: float) -> datetime:
        """The time a fraction (0-1) of the way along."""
        return self.start_utc + timedelta(seconds=self.span_s * fraction)


def day_window(day: date, zone: tzinfo) -> Window:
    """Local midnight to the next local midnight, in UTC."""
    start = datetime.combine(day, time(0), tzinfo=zone)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)
    return Window(start.astimezone(UTC), end.astimezone(UTC))


def zoom(day: Window, center_utc: datetime, span_s: float) -> Window:
    """A window of ``span_s`` around ``center_utc`` kept inside the day (the whole day when the
    span is as long as it, or is the ladder's "a day": a 25-hour day is shown whole too)."""
    if span_s >= min(day.span_s, ZOOM_LADDER_S[0]):
        return day
    half = timedelta(seconds=span_s / 2)
    start = min(max(center_utc - half, day.start_utc), day.end_utc - 2 * half)
    return Window(start, start + 2 * half)


def group_of(label: str) -> str:
    """``people``, ``vehicles`` or ``other`` for a detector label."""
    if label == "person":
        return "people"
    return "vehicles" if label in DRAWN_AS_VEHICLES else "other"


@dataclass(frozen=True)
class ActivityBin:
    """One slice of the strip: how many people, vehicles and other objects were in view at some
    time in it, and the fraction of it that was recorded (0 = a gap)."""

    start_utc: datetime
    end_utc: datetime
    people: int
    vehicles: int
    other: int
    recorded: float


def activity(
    window: Window,
    bins: int,
    seen: Sequence[tuple[str, datetime, datetime]],
    recorded: Sequence[tuple[datetime, datetime]],
) -> tuple[ActivityBin, ...]:
    """Split ``window`` into ``bins`` slices and count, per slice, the objects in view (``seen``:
    label, first and last sighting) and how much of it ``recorded`` (start, end) covers."""
    step = window.span_s / bins
    counts = [{"people": 0, "vehicles": 0, "other": 0} for _ in range(bins)]
    for label, first, last in seen:
        group = group_of(label)
        for index in _bin_range(window, step, bins, first, last):
            counts[index][group] += 1
    covered = [0.0] * bins
    for start, end in recorded:
        for index in _bin_range(window, step, bins, start, end):
            lo = max(start, window.at(index / bins))
            hi = min(end, window.at((index + 1) / bins))
            covered[index] += max(0.0, (hi - lo).total_seconds())
    return tuple(
        ActivityBin(window.at(i / bins), window.at((i + 1) / bins), c["people"], c["vehicles"], c["other"],
                    min(1.0, covered[i] / step))
        for i, c in enumerate(counts)
    )


def _bin_range(window: Window, step: float, bins: int, first: datetime, last: datetime) -> range:
    """The slices that [first, last] touches."""
    lo = int((first - window.start_utc).total_seconds() // step)
    hi = int((last - window.start_utc).total_seconds() // step)
    return range(max(lo, 0), min(hi, bins - 1) + 1)


def placed(window: Window, start_utc: datetime, end_utc: datetime, min_width: float = 0.004) -> tuple[float, float]:
    """Where [start_utc, end_utc] sits on the window, as (left, width) fractions, clipped to it; a
    short moment still gets ``min_width`` so it can be seen and clicked."""
    left = max(0.0, (start_utc - window.start_utc).total_seconds() / window.span_s)
    right = min(1.0, (end_utc - window.start_utc).total_seconds() / window.span_s)
    width = max(min_width, right - left)
    return min(left, 1.0 - width), width


@dataclass(frozen=True)
class GapBand:
    """A time the camera did not record, on the window: ``left`` and ``width`` are fractions of
    it; ``start_utc`` to ``end_utc`` is the whole gap, which ends at ``now`` while it is ``open``."""

    left: float
    width: float
    start_utc: datetime
    end_utc: datetime
    open: bool
    reason: str


def gap_bands(
    window: Window, gaps: Sequence[tuple[datetime, datetime | None, str]], now: datetime, min_width: float = 0.002,
) -> tuple[GapBand, ...]:
    """Where each gap in recording (start, end or None while it lasts, reason) sits on
    ``window``, in the order given. An open gap reaches to ``now``; gaps outside the window (or,
    open, starting after ``now``) are left out; a short gap still gets ``min_width``."""
    bands = []
    for start, end, reason in gaps:
        until = end if end is not None else now
        if until < start or until <= window.start_utc or start >= window.end_utc:
            continue
        left, width = placed(window, start, until, min_width=min_width)
        bands.append(GapBand(left, width, start, until, end is None, reason))
    return tuple(bands)


def lanes(spans: Sequence[tuple[float, float]], most: int = 8) -> tuple[int, ...]:
    """A row for each (left, width) span so that overlapping spans sit in different rows, the
    first free row from the top; past ``most`` rows, the last row takes the rest."""
    ends: list[float] = []
    rows = []
    for left, width in spans:
        row = next((i for i, end in enumerate(ends) if end <= left), len(ends))
        row = min(row, most - 1)
        if row == len(ends):
            ends.append(left + width)
        else:
            ends[row] = max(ends[row], left + width) if row == most - 1 else left + width
        rows.append(row)
    return tuple(rows)


def days_with_footage(spans: Sequence[tuple[datetime, datetime]], zone: tzinfo) -> tuple[date, ...]:
    """The local calendar days that recordings touch, in order."""
    days: set[date] = set()
    for start, end in spans:
        day = start.astimezone(zone).date()
        last = end.astimezone(zone).date()
        while day <= last:
            days.add(day)
            day += timedelta(days=1)
    return tuple(sorted(days))

