"""Day phrases of a query ("yesterday", "last tuesday", "20 november", "in the last 2 hours",
"since monday"): each matcher reads the tokens at one position into a UTC range of local days. The
rules are described in :mod:`footage.search.when`."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TypeAlias

from footage.search.calendar import PARTS, WEEKDAYS, Context, local_at
from footage.search.durations import UNIT_SECONDS, format_seconds, read_amount
from footage.search.hours import Hours
from footage.search.tokens import token_at

__all__ = ["DAY_PREFIX", "DayRange", "day_at"]

_MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
                "november", "december")
_MONTHS = {name: k for k, name in enumerate(_MONTH_NAMES, 1)} | {name[:3]: k for k, name in enumerate(_MONTH_NAMES, 1)}
_MONTHS |= {"sept": 9}
_DOW = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MON = tuple(name[:3].title() for name in _MONTH_NAMES)
_SPAN_UNITS = {**UNIT_SECONDS, "day": 86400.0, "days": 86400.0, "week": 604800.0, "weeks": 604800.0,
               "month": 2592000.0, "months": 2592000.0}
DAY_PREFIX = {"on", "in", "during", "within", "over", "for"}
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_DAYNUM = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?")
_YEAR = re.compile(r"(?:19|20)\d{2}")


@dataclass(frozen=True)
class DayRange:
    """Local days (or a rolling range) a query names, in UTC, with the label shown for them."""

    start: datetime
    end: datetime
    label: str
    day: date | None = None  # set when the range is exactly one local day
    context: Hours | None = None  # the hours the day words imply ("tonight")


def _fmt_date(day: date, year: bool = True) -> str:
    text = f"{_DOW[day.weekday()]} {day.day} {_MON[day.month - 1]}"
    return f"{text} {day.year}" if year else text


def _one(day: date, label: str, c: Context, context: tuple[int, int] | None = None) -> DayRange:
    hours = Hours(*context) if context else None
    return DayRange(local_at(day, 0, c.zone), local_at(day + timedelta(days=1), 0, c.zone), label, day, hours)


_Match: TypeAlias = tuple[DayRange, int] | None


def _relative(t: Sequence[str], i: int, c: Context) -> _Match:
    word, nxt, yesterday = token_at(t, i), token_at(t, i + 1), c.today - timedelta(days=1)
    if word in ("today", "yesterday"):
        return _one(c.today if word == "today" else yesterday, word, c), i + 1
    if list(t[i:i + 3]) == ["day", "before", "yesterday"]:
        return _one(c.today - timedelta(days=2), "the day before yesterday", c), i + 3
    if word == "tonight":
        return _one(c.today, "tonight", c, (1080, 1800)), i + 1
    if word == "last" and nxt == "night":
        return _one(yesterday, "last night", c, PARTS["night"]), i + 2
    if word == "this" and nxt in ("morning", "afternoon", "evening"):
        return _one(c.today, "today", c, PARTS[nxt]), i + 2
    return None


def _weekday(t: Sequence[str], i: int, c: Context) -> _Match:
    j = i + 1 if token_at(t, i) in ("last", "past", "this") else i
    if token_at(t, j) not in WEEKDAYS:
        return None
    back = (c.today.weekday() - WEEKDAYS.index(t[j])) % 7 or (7 if j > i and t[i] != "this" else 0)
    day = c.today - timedelta(days=back)
    return _one(day, _fmt_date(day), c), j + 1


def _calendar(t: Sequence[str], i: int, c: Context) -> _Match:
    which, unit, today = token_at(t, i), token_at(t, i + 1), c.today
    if which not in ("this", "last") or unit not in ("week", "month", "year"):
        return None
    first = {"week": today - timedelta(days=today.weekday()), "month": today.replace(day=1),
             "year": date(today.year, 1, 1)}[unit]
    if which == "this":
        return DayRange(local_at(first, 0, c.zone), c.now, f"since {_fmt_date(first, first.year != today.year)} 00:00"), i + 2
    if unit == "week":
        prev = first - timedelta(days=7)
        label = f"{_fmt_date(prev, False)} - {_fmt_date(first - timedelta(days=1))}"
    elif unit == "month":
        prev = (first - timedelta(days=1)).replace(day=1)
        label = f"{_MON[prev.month - 1]} {prev.year}"
    else:
        prev, label = date(today.year - 1, 1, 1), str(today.year - 1)
    return DayRange(local_at(prev, 0, c.zone), local_at(first, 0, c.zone), label), i + 2


def _rolling(t: Sequence[str], i: int, c: Context) -> _Match:
    if token_at(t, i) not in ("last", "past"):
        return None
    amount = read_amount(t, i + 1, units=_SPAN_UNITS)
    if amount is None:
        if token_at(t, i + 1) not in _SPAN_UNITS:
            return None
        amount = (1.0, _SPAN_UNITS[t[i + 1]], i + 2)
    seconds = amount[0] * amount[1]
    if seconds <= 0:
        return None
    return DayRange(c.now - timedelta(seconds=seconds), c.now, f"last {format_seconds(seconds)}"), amount[2]


def _year(token: str) -> int | None:
    return int(token) if _YEAR.fullmatch(token) else None


def _daynum(token: str) -> int | None:
    m = _DAYNUM.fullmatch(token)
    return int(m[1]) if m and 1 <= int(m[1]) <= 31 else None


def _dated(t: Sequence[str], month: int, day: int, j: int, c: Context) -> _Match:
    year = _year(token_at(t, j))
    if year is not None:
        found = date(year, month, day)
        return _one(found, _fmt_date(found), c), j + 1
    for back in range(9):  # the latest such date not in the future (29 February: a leap year)
        try:
            found = date(c.today.year - back, month, day)
        except ValueError:
            continue
        if found <= c.today:
            return _one(found, _fmt_date(found), c), j
    return None


def _date(t: Sequence[str], i: int, c: Context) -> _Match:
    word = token_at(t, i)
    if m := _ISO.fullmatch(word):
        found = date(int(m[1]), int(m[2]), int(m[3]))
        return _one(found, _fmt_date(found), c), i + 1
    day = _daynum(word)
    if day is not None:
        j = i + 2 if token_at(t, i + 1) == "of" else i + 1
        month = _MONTHS.get(token_at(t, j))
        return _dated(t, month, day, j + 1, c) if month else None
    month, day = _MONTHS.get(word), _daynum(token_at(t, i + 1))
    return _dated(t, month, day, i + 2, c) if month and day else None


def _month_or_year(t: Sequence[str], i: int, c: Context) -> _Match:
    j = i + 1 if token_at(t, i) in ("in", "during") else i
    month, year = _MONTHS.get(token_at(t, j)), _year(token_at(t, j + 1))
    if month is None:
        year = _year(token_at(t, i))
        if year is None or year > c.today.year:
            return None
        return DayRange(local_at(date(year, 1, 1), 0, c.zone), local_at(date(year + 1, 1, 1), 0, c.zone), str(year)), i + 1
    if year is None and j == i:
        return None
    end = j + 1 if year is None else j + 2
    year = year if year is not None else c.today.year - (month > c.today.month)
    first, after = date(year, month, 1), date(year + month // 12, month % 12 + 1, 1)
    return DayRange(local_at(first, 0, c.zone), local_at(after, 0, c.zone), f"{_MON[month - 1]} {year}"), end


_DAY_MATCHERS: tuple[Callable[[Sequence[str], int, Context], _Match], ...] = (
    _relative, _calendar, _weekday, _rolling, _date, _month_or_year)


def _day_plain(t: Sequence[str], i: int, c: Context) -> _Match:
    for matcher in _DAY_MATCHERS:
        try:
            found = matcher(t, i, c)
        except (ValueError, OverflowError):  # "31 february", "2026-13-40", "last 10^20 days"
            found = None
        if found is not None:
            return found
    return None


def day_at(t: Sequence[str], i: int, c: Context) -> _Match:
    if token_at(t, i) != "since":
        return _day_plain(t, i, c)
    if (found := _day_plain(t, i + 1, c)) is not None:
        start = found[0].start.astimezone(c.zone)
        label = f"since {_fmt_date(start.date(), start.year != c.today.year)} {start:%H:%M}"
        return DayRange(found[0].start, c.now, label), found[1]
    return None
