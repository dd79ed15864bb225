"""Time-of-day phrases of a query ("at 5pm", "between 3 and 5", "after midnight", "in the
evening"): clock times and parts of the day read into minutes after a local midnight. The rules are
described in :mod:`footage.search.when`."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from footage.search.calendar import PARTS, WEEKDAYS
from footage.search.durations import UNIT_SECONDS
from footage.search.tokens import token_at

__all__ = ["PART_PREFIX", "Hours", "clock_phrase", "daily_window", "part_of_day", "prefer"]

_HOUR_WORDS = {w: k for k, w in enumerate(("one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
                                           "ten", "eleven", "twelve"), 1)}
PART_PREFIX = {"in", "during", "at", "on", "over"}
_PAD = {"at": 30, "": 30, "around": 60, "about": 60, "approximately": 60, "roughly": 60}
_LEADS = {*_PAD, "between", "from", "after", "before", "until", "till", "til", "since"}
_SEPS = {"and", "to", "till", "until", "through"}
_FOLLOW = {"", "and", "or", "to", "till", "until", "on", "in", "at", "for", "with", "when", "while", "yesterday",
           "today", "tonight", "last", "this", *WEEKDAYS}
_CLOCK = re.compile(r"(\d{1,2})(?:([:.])(\d{2}))?(am|pm)?")


@dataclass(frozen=True)
class Hours:
    """Hours of a day a query names, in minutes after a local midnight."""

    start: int  # minutes after the local midnight of the day; may be < 0 or > 1440
    end: int  # > start
    ambiguous: bool = False  # also readable 12 hours later or earlier
    since: bool = False  # "since 6pm": from start until now


@dataclass(frozen=True)
class _Clock:
    minutes: int
    explicit: bool  # am/pm, colon, o'clock, noon, midnight
    ambiguous: bool
    end: int
    bare: bool  # a bare number: the next token must be a glue word


def _read_clock(t: Sequence[str], i: int) -> _Clock | None:
    word = token_at(t, i)
    if word in ("noon", "midday", "midnight"):
        return _Clock(1440 if word == "midnight" else 720, True, False, i + 1, False)  # midnight ends the day
    m = _CLOCK.fullmatch(word)
    hour, minute, sep, meridiem = (int(m[1]), int(m[3] or 0), m[2], m[4]) if m else (_HOUR_WORDS.get(word), 0, None, None)
    if hour is None or minute > 59:
        return None
    j, oclock = i + 1, False
    if meridiem is None and token_at(t, j) in ("am", "pm"):
        meridiem, j = t[j], j + 1
    elif meridiem is None and token_at(t, j) in ("a", "p") and token_at(t, j + 1) == "m":
        meridiem, j = t[j] + "m", j + 2
    elif token_at(t, j) in ("o'clock", "oclock"):
        oclock, j = True, j + 1
    if token_at(t, j) in UNIT_SECONDS or hour > 24 or (hour == 24 and minute):
        return None
    if meridiem is not None:
        if not 1 <= hour <= 12:
            return None
        return _Clock((hour % 12 + (12 if meridiem == "pm" else 0)) * 60 + minute, True, False, j, False)
    if sep == ":":
        return _Clock(hour * 60 + minute, True, False, j, False)
    default = hour + 12 if 1 <= hour <= 6 else hour
    return _Clock(default * 60 + minute, oclock, 1 <= hour <= 12, j, not oclock)


def _closest(clock: _Clock, other: int, before: bool) -> int:
    """The reading of an ambiguous ``clock`` giving the shortest span to (or from) ``other``."""
    options = (clock.minutes % 720, clock.minutes % 720 + 720)
    return min(options, key=lambda m: ((other - m) if before else (m - other)) % 1440 or 1440)


def clock_phrase(t: Sequence[str], i: int) -> tuple[Hours, int] | None:
    lead, j = token_at(t, i), i
    if lead == "at" and token_at(t, i + 1) in ("around", "about"):
        lead, j = t[i + 1], i + 1
    j, lead = (j + 1, lead) if lead in _LEADS else (j, "")
    first = _read_clock(t, j)
    if first is None:
        return None
    sep = token_at(t, first.end)
    k = first.end + 1 if sep in _SEPS else first.end
    second = _read_clock(t, k) if lead in ("between", "from", "") and (sep != "and" or lead == "between") else None
    if second is not None and (lead or first.explicit or second.explicit) and (
            not second.bare or token_at(t, second.end) in _FOLLOW):
        start, end = first.minutes % 1440, second.minutes
        if first.ambiguous:
            start = _closest(first, end, before=True)
        elif second.ambiguous:
            end = _closest(second, start, before=False)
        end = end if end > start else end + 1440
        return Hours(start, end, first.ambiguous and second.ambiguous), second.end
    follower = token_at(t, first.end)
    if (not lead and not first.explicit) or lead == "between" or (lead == "from" and follower in _SEPS) or (
            first.bare and follower not in _FOLLOW):
        return None  # "between 3 cars", "from 2 to 4 people", "after 3 cars"
    m, ambiguous = first.minutes, first.ambiguous
    if lead in _PAD:
        return Hours(m - _PAD[lead], m + _PAD[lead], ambiguous), first.end
    if lead in ("after", "from"):
        return (Hours(0, 360) if m == 1440 else Hours(m, 1440, ambiguous)), first.end  # after midnight: small hours
    if lead == "since":
        return Hours(m % 1440, m % 1440 + 1, ambiguous, since=True), first.end
    return Hours(0, m or 1440, ambiguous), first.end


def part_of_day(t: Sequence[str], i: int) -> tuple[Hours, int] | None:
    word = token_at(t, i)
    word = word[:-1] if word.endswith("s") and word[:-1] in PARTS else word
    return (Hours(*PARTS[word]), i + 1) if word in PARTS else None


def _inside(minutes: int, hours: Hours) -> bool:
    return (minutes - hours.start) % 1440 < hours.end - hours.start


def prefer(hours: Hours, context: Hours) -> Hours:
    """The reading of ambiguous ``hours`` (as is, or 12 h off) whose middle lies in ``context``."""
    mid = (hours.start + hours.end) // 2
    if not hours.ambiguous or _inside(mid, context):
        return hours
    shift = -720 if mid % 1440 >= 720 else 720
    moved = Hours(hours.start + shift, hours.end + shift, True, hours.since)
    return moved if _inside(mid + shift, context) else hours


def daily_window(hours: Hours) -> tuple[int, int]:
    if hours.since:  # "since 6pm" over several days: every day after 18:00
        return hours.start % 1440, 1440
    if hours.end - hours.start >= 1440:
        return 0, 1440
    return hours.start % 1440, hours.end % 1440 or 1440
