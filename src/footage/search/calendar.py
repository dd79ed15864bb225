"""What the day and hour phrases of :mod:`footage.search.when` share: weekday names, the parts of a
day, the moment a query is read against, and local wall times converted to UTC."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

__all__ = ["PARTS", "WEEKDAYS", "Context", "local_at"]

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
#: the parts of a day, in minutes after the local midnight (a night runs past the next midnight)
PARTS = {"morning": (360, 720), "afternoon": (720, 1020), "evening": (1020, 1260), "night": (1260, 1800),
         "overnight": (1260, 1800), "daytime": (360, 1260)}


@dataclass(frozen=True)
class Context:
    """What a phrase is read against: the time now (UTC), today's local date and the zone."""

    now: datetime
    today: date
    zone: tzinfo


def local_at(day: date, minutes: int, zone: tzinfo) -> datetime:
    """Local wall time ``minutes`` after midnight starting ``day``, in UTC."""
    wall = datetime.combine(day, time()) + timedelta(minutes=minutes)
    return wall.replace(tzinfo=zone).astimezone(UTC)
