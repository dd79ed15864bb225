"""When: the time constraint in a query ("yesterday evening", "last tuesday between 3 and 5 pm").

A constraint has a DAY part, a TIME-OF-DAY part, or both (the first of each, from the left):

* DAY: "today", "yesterday", "the day before yesterday", weekday names, dates ("2026-11-20", "20 november",
  "nov 20th 2017", "the 20th of november", "september 26, 2017"), "in november [2017]", "in 2017", "this/last
  week|month|year", "in the last 2 hours" / "past 3 days" / "last 30 minutes" (= [now - N, now]), "since monday"
  (= [that day 00:00, now]); and day words that carry hours: "this morning/afternoon/evening" (today),
  "tonight" (today 18:00 - tomorrow 06:00), "last night" (yesterday 21:00 - today 06:00).
* TIME OF DAY: "morning" 06-12, "afternoon" 12-17, "evening" 17-21, "night"/"overnight" 21-06, "daytime" 06-21,
  "at 5pm", "5pm", "at noon", "at midnight" (+-30 min), "around"/"about 5 pm" (+-60 min), "between 3 and 5 pm",
  "from 15:00 to 17:30", "3-5pm", "after 6 pm" (until 24:00; after midnight: until 06:00), "before"/"until 9am"
  (from 00:00), "since 6pm" (its latest time not in the future, until now).

One named day plus hours gives one concrete interval; hours alone give a window repeated every day
(``day_start_min``/``day_end_min``, wrapping past midnight when end <= start); a day alone covers whole local
days [00:00, next 00:00); hours with a longer range ("last week in the evening") keep the range AND the daily window.

Choices for ambiguous words:

* a plain weekday ("tuesday", "on tuesday") is the latest one including today; "last tuesday" is strictly before today;
* a date without a year is its latest occurrence not in the future; "this week/month/year" run until now;
* a number is an hour only with am/pm, a colon, "o'clock", beside a clear clock time in a range ("3 5pm"), in a
  date, or after at/around/about/between/from/after/before/until/till/since, and then only if the next token is a
  glue word or none ("after 3 cars" is no time); never when a duration unit follows ("after 10 minutes");
* an hour without am/pm: 1-6 are pm ("5 o'clock" = 17:00), 7-11 am, 12 noon; a range takes the reading with the
  shortest span ("between 3 and 5 pm" = 15-17, "from 9 to 5pm" = 09-17); beside a part of the day the reading
  inside it wins ("this evening at 8" = 20:00, "tonight at 2" = 02:00). "5:30" and "17:30" are 24-hour clock times;
* hours after midnight of a night fall on the next day ("last night at 2am" = today 01:30-02:30); "midnight" with
  a day is the one that ends it ("yesterday at midnight" = yesterday 23:30 - today 00:30).

Labels: the day as said when relative ("yesterday", "last night", "today" for "this morning"), dates as
"Tue 17 Nov 2026", then hours "17:00-21:00"; "every day 15:00-17:00"; ranges "since Mon 16 Nov 00:00", "last 2 h".

Everything is read in the given zone: bounds are built as local wall times and converted to UTC, so DST days last
23 or 25 hours.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import TypeAlias

from footage.search.durations import UNIT_SECONDS, DurationBound, find_duration, format_seconds, read_amount

__all__ = ["DurationBound", "When", "find_duration", "find_when"]

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
                "november", "december")
_MONTHS = {name: k for k, name in enumerate(_MONTH_NAMES, 1)} | {name[:3]: k for k, name in enumerate(_MONTH_NAMES, 1)}
_MONTHS |= {"sept": 9}
_DOW = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MON = tuple(name[:3].title() for name in _MONTH_NAMES)
_PARTS = {"morning": (360, 720), "afternoon": (720, 1020), "evening": (1020, 1260), "night": (1260, 1800),
          "overnight": (1260, 1800), "daytime": (360, 1260)}
_SPAN_UNITS = {**UNIT_SECONDS, "day": 86400.0, "days": 86400.0, "week": 604800.0, "weeks": 604800.0,
               "month": 2592000.0, "months": 2592000.0}
_HOUR_WORDS = {w: k for k, w in enumerate(("one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
                                           "ten", "eleven", "twelve"), 1)}
_DAY_PREFIX = {"on", "in", "during", "within", "over", "for"}
_PART_PREFIX = {"in", "during", "at", "on", "over"}
_PAD = {"at": 30, "": 30, "around": 60, "about": 60, "approximately": 60, "roughly": 60}
_LEADS = {*_PAD, "between", "from", "after", "before", "until", "till", "til", "since"}
_SEPS = {"and", "to", "till", "until", "through"}
_FOLLOW = {"", "and", "or", "to", "till", "until", "on", "in", "at", "for", "with", "when", "while", "yesterday",
           "today", "tonight", "last", "this", *_WEEKDAYS}
_CLOCK = re.compile(r"(\d{1,2})(?:([:.])(\d{2}))?(am|pm)?")
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_DAYNUM = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?")
_YEAR = re.compile(r"(?:19|20)\d{2}")


@dataclass(frozen=True)
class When:
    """A time constraint from the query: a UTC range, a daily local window, or both (``None`` = unbounded)."""

    start_utc: datetime | None
    end_utc: datetime | None
    day_start_min: int | None
    day_end_min: int | None
    zone_name: str
    label: str

    def overlaps(self, start_utc: datetime, end_utc: datetime, zone: tzinfo) -> bool:
        """True when [start_utc, end_utc] overlaps the window (date range AND daily window, read in ``zone``)."""
        s, e = min(start_utc, end_utc), max(start_utc, end_utc)
        if self.start_utc is not None:
            if e < self.start_utc:
                return False
            s = max(s, self.start_utc)
        if self.end_utc is not None:
            if s >= self.end_utc:
                return False
            e = min(e, self.end_utc)
        if self.day_start_min is None or self.day_end_min is None:
            return True
        if e - s >= timedelta(days=2):
            return True
        first, last = s.astimezone(zone).date() - timedelta(days=1), e.astimezone(zone).date()
        end = self.day_end_min if self.day_end_min > self.day_start_min else self.day_end_min + 1440
        for k in range((last - first).days + 1):
            day = first + timedelta(days=k)
            if s < _at(day, end, zone) and e >= _at(day, self.day_start_min, zone):
                return True
        return False


@dataclass(frozen=True)
class _Days:
    start: datetime
    end: datetime
    label: str
    day: date | None = None  # set when the range is exactly one local day
    context: _Hours | None = None  # the hours the day words imply ("tonight")


@dataclass(frozen=True)
class _Hours:
    start: int  # minutes after the local midnight of the day; may be < 0 or > 1440
    end: int  # > start
    ambiguous: bool = False  # also readable 12 hours later or earlier
    since: bool = False  # "since 6pm": from start until now


@dataclass(frozen=True)
class _Ctx:
    now: datetime
    today: date
    zone: tzinfo


@dataclass(frozen=True)
class _Clock:
    minutes: int
    explicit: bool  # am/pm, colon, o'clock, noon, midnight
    ambiguous: bool
    end: int
    bare: bool  # a bare number: the next token must be a glue word


def _at(day: date, minutes: int, zone: tzinfo) -> datetime:
    """Local wall time ``minutes`` after midnight starting ``day``, in UTC."""
    wall = datetime.combine(day, time()) + timedelta(minutes=minutes)
    return wall.replace(tzinfo=zone).astimezone(UTC)


def _tok(tokens: Sequence[str], i: int) -> str:
    return tokens[i] if 0 <= i < len(tokens) else ""


def _fmt_date(day: date, year: bool = True) -> str:
    text = f"{_DOW[day.weekday()]} {day.day} {_MON[day.month - 1]}"
    return f"{text} {day.year}" if year else text


def _hm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _one(day: date, label: str, c: _Ctx, context: tuple[int, int] | None = None) -> _Days:
    hours = _Hours(*context) if context else None
    return _Days(_at(day, 0, c.zone), _at(day + timedelta(days=1), 0, c.zone), label, day, hours)


_Match: TypeAlias = tuple[_Days, int] | None


def _relative(t: Sequence[str], i: int, c: _Ctx) -> _Match:
    word, nxt, yesterday = _tok(t, i), _tok(t, i + 1), c.today - timedelta(days=1)
    if word in ("today", "yesterday"):
        return _one(c.today if word == "today" else yesterday, word, c), i + 1
    if list(t[i:i + 3]) == ["day", "before", "yesterday"]:
        return _one(c.today - timedelta(days=2), "the day before yesterday", c), i + 3
    if word == "tonight":
        return _one(c.today, "tonight", c, (1080, 1800)), i + 1
    if word == "last" and nxt == "night":
        return _one(yesterday, "last night", c, _PARTS["night"]), i + 2
    if word == "this" and nxt in ("morning", "afternoon", "evening"):
        return _one(c.today, "today", c, _PARTS[nxt]), i + 2
    return None


def _weekday(t: Sequence[str], i: int, c: _Ctx) -> _Match:
    j = i + 1 if _tok(t, i) in ("last", "past", "this") else i
    if _tok(t, j) not in _WEEKDAYS:
        return None
    back = (c.today.weekday() - _WEEKDAYS.index(t[j])) % 7 or (7 if j > i and t[i] != "this" else 0)
    day = c.today - timedelta(days=back)
    return _one(day, _fmt_date(day), c), j + 1


def _calendar(t: Sequence[str], i: int, c: _Ctx) -> _Match:
    which, unit, today = _tok(t, i), _tok(t, i + 1), c.today
    if which not in ("this", "last") or unit not in ("week", "month", "year"):
        return None
    first = {"week": today - timedelta(days=today.weekday()), "month": today.replace(day=1),
             "year": date(today.year, 1, 1)}[unit]
    if which == "this":
        return _Days(_at(first, 0, c.zone), c.now, f"since {_fmt_date(first, first.year != today.year)} 00:00"), i + 2
    if unit == "week":
        prev = first - timedelta(days=7)
        label = f"{_fmt_date(prev, False)} - {_fmt_date(first - timedelta(days=1))}"
    elif unit == "month":
        prev = (first - timedelta(days=1)).replace(day=1)
        label = f"{_MON[prev.month - 1]} {prev.year}"
    else:
        prev, label = date(today.year - 1, 1, 1), str(today.year - 1)
    return _Days(_at(prev, 0, c.zone), _at(first, 0, c.zone), label), i + 2


def _rolling(t: Sequence[str], i: int, c: _Ctx) -> _Match:
    if _tok(t, i) not in ("last", "past"):
        return None
    amount = read_amount(t, i + 1, units=_SPAN_UNITS)
    if amount is None:
        if _tok(t, i + 1) not in _SPAN_UNITS:
            return None
        amount = (1.0, _SPAN_UNITS[t[i + 1]], i + 2)
    seconds = amount[0] * amount[1]
    if seconds <= 0:
        return None
    return _Days(c.now - timedelta(seconds=seconds), c.now, f"last {format_seconds(seconds)}"), amount[2]


def _year(token: str) -> int | None:
    return int(token) if _YEAR.fullmatch(token) else None


def _daynum(token: str) -> int | None:
    m = _DAYNUM.fullmatch(token)
    return int(m[1]) if m and 1 <= int(m[1]) <= 31 else None


def _dated(t: Sequence[str], month: int, day: int, j: int, c: _Ctx) -> _Match:
    year = _year(_tok(t, j))
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


def _date(t: Sequence[str], i: int, c: _Ctx) -> _Match:
    word = _tok(t, i)
    if m := _ISO.fullmatch(word):
        found = date(int(m[1]), int(m[2]), int(m[3]))
        return _one(found, _fmt_date(found), c), i + 1
    day = _daynum(word)
    if day is not None:
        j = i + 2 if _tok(t, i + 1) == "of" else i + 1
        month = _MONTHS.get(_tok(t, j))
        return _dated(t, month, day, j + 1, c) if month else None
    month, day = _MONTHS.get(word), _daynum(_tok(t, i + 1))
    return _dated(t, month, day, i + 2, c) if month and day else None


def _month_or_year(t: Sequence[str], i: int, c: _Ctx) -> _Match:
    j = i + 1 if _tok(t, i) in ("in", "during") else i
    month, year = _MONTHS.get(_tok(t, j)), _year(_tok(t, j + 1))
    if month is None:
        year = _year(_tok(t, i))
        if year is None or year > c.today.year:
            return None
        return _Days(_at(date(year, 1, 1), 0, c.zone), _at(date(year + 1, 1, 1), 0, c.zone), str(year)), i + 1
    if year is None and j == i:
        return None
    end = j + 1 if year is None else j + 2
    year = year if year is not None else c.today.year - (month > c.today.month)
    first, after = date(year, month, 1), date(year + month // 12, month % 12 + 1, 1)
    return _Days(_at(first, 0, c.zone), _at(after, 0, c.zone), f"{_MON[month - 1]} {year}"), end


_DAY_MATCHERS: tuple[Callable[[Sequence[str], int, _Ctx], _Match], ...] = (
    _relative, _calendar, _weekday, _rolling, _date, _month_or_year)


def _starts(t: Sequence[str], i: int, prefixes: set[str]) -> list[int]:
    """Where a phrase may start: at ``i``, after a prefix word there, and after a "the" that follows."""
    out, j = [i], i
    if _tok(t, j) in prefixes:
        j += 1
        out.append(j)
    if _tok(t, j) == "the":
        out.append(j + 1)
    return out


def _day_plain(t: Sequence[str], i: int, c: _Ctx) -> _Match:
    for matcher in _DAY_MATCHERS:
        try:
            found = matcher(t, i, c)
        except (ValueError, OverflowError):  # "31 february", "2026-13-40", "last 10^20 days"
            found = None
        if found is not None:
            return found
    return None


def _day_at(t: Sequence[str], i: int, c: _Ctx) -> _Match:
    if _tok(t, i) != "since":
        return _day_plain(t, i, c)
    if (found := _day_plain(t, i + 1, c)) is not None:
        start = found[0].start.astimezone(c.zone)
        label = f"since {_fmt_date(start.date(), start.year != c.today.year)} {start:%H:%M}"
        return _Days(found[0].start, c.now, label), found[1]
    return None


def _read_clock(t: Sequence[str], i: int) -> _Clock | None:
    word = _tok(t, i)
    if word in ("noon", "midday", "midnight"):
        return _Clock(1440 if word == "midnight" else 720, True, False, i + 1, False)  # midnight ends the day
    m = _CLOCK.fullmatch(word)
    hour, minute, sep, meridiem = (int(m[1]), int(m[3] or 0), m[2], m[4]) if m else (_HOUR_WORDS.get(word), 0, None, None)
    if hour is None or minute > 59:
        return None
    j, oclock = i + 1, False
    if meridiem is None and _tok(t, j) in ("am", "pm"):
        meridiem, j = t[j], j + 1
    elif meridiem is None and _tok(t, j) in ("a", "p") and _tok(t, j + 1) == "m":
        meridiem, j = t[j] + "m", j + 2
    elif _tok(t, j) in ("o'clock", "oclock"):
        oclock, j = True, j + 1
    if _tok(t, j) in UNIT_SECONDS or hour > 24 or (hour == 24 and minute):
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


def _clock_phrase(t: Sequence[str], i: int) -> tuple[_Hours, int] | None:
    lead, j = _tok(t, i), i
    if lead == "at" and _tok(t, i + 1) in ("around", "about"):
        lead, j = t[i + 1], i + 1
    j, lead = (j + 1, lead) if lead in _LEADS else (j, "")
    first = _read_clock(t, j)
    if first is None:
        return None
    sep = _tok(t, first.end)
    k = first.end + 1 if sep in _SEPS else first.end
    second = _read_clock(t, k) if lead in ("between", "from", "") and (sep != "and" or lead == "between") else None
    if second is not None and (lead or first.explicit or second.explicit) and (
            not second.bare or _tok(t, second.end) in _FOLLOW):
        start, end = first.minutes % 1440, second.minutes
        if first.ambiguous:
            start = _closest(first, end, before=True)
        elif second.ambiguous:
            end = _closest(second, start, before=False)
        end = end if end > start else end + 1440
        return _Hours(start, end, first.ambiguous and second.ambiguous), second.end
    follower = _tok(t, first.end)
    if (not lead and not first.explicit) or lead == "between" or (lead == "from" and follower in _SEPS) or (
            first.bare and follower not in _FOLLOW):
        return None  # "between 3 cars", "from 2 to 4 people", "after 3 cars"
    m, ambiguous = first.minutes, first.ambiguous
    if lead in _PAD:
        return _Hours(m - _PAD[lead], m + _PAD[lead], ambiguous), first.end
    if lead in ("after", "from"):
        return (_Hours(0, 360) if m == 1440 else _Hours(m, 1440, ambiguous)), first.end  # after midnight: small hours
    if lead == "since":
        return _Hours(m % 1440, m % 1440 + 1, ambiguous, since=True), first.end
    return _Hours(0, m or 1440, ambiguous), first.end


def _part(t: Sequence[str], i: int) -> tuple[_Hours, int] | None:
    word = _tok(t, i)
    word = word[:-1] if word.endswith("s") and word[:-1] in _PARTS else word
    return (_Hours(*_PARTS[word]), i + 1) if word in _PARTS else None


def _inside(minutes: int, hours: _Hours) -> bool:
    return (minutes - hours.start) % 1440 < hours.end - hours.start


def _prefer(hours: _Hours, context: _Hours) -> _Hours:
    """The reading of ambiguous ``hours`` (as is, or 12 h off) whose middle lies in ``context``."""
    mid = (hours.start + hours.end) // 2
    if not hours.ambiguous or _inside(mid, context):
        return hours
    shift = -720 if mid % 1440 >= 720 else 720
    moved = _Hours(hours.start + shift, hours.end + shift, True, hours.since)
    return moved if _inside(mid + shift, context) else hours


def _daily(hours: _Hours) -> tuple[int, int]:
    if hours.since:  # "since 6pm" over several days: every day after 18:00
        return hours.start % 1440, 1440
    if hours.end - hours.start >= 1440:
        return 0, 1440
    return hours.start % 1440, hours.end % 1440 or 1440


def _combine(days: _Days | None, clock: _Hours | None, part: _Hours | None, c: _Ctx) -> When:
    zone = str(c.zone)
    context = part or (days.context if days else None)
    hours = _prefer(clock, context) if clock and context else clock or context
    if hours is None:
        assert days is not None  # the caller passes at least one part
        return When(days.start, days.end, None, None, zone, days.label)
    ds, de = _daily(hours)
    window = f"{_hm(ds)}-{_hm(de)}"
    if days is None:
        if not hours.since:
            return When(None, None, ds, de, zone, f"every day {window}")
        back = _at(c.today, hours.start, c.zone) > c.now
        start = _at(c.today - timedelta(days=back), hours.start, c.zone)
        return When(start, c.now, None, None, zone, f"since {'yesterday' if back else 'today'} {_hm(ds)}")
    if days.day is None:
        return When(days.start, days.end, ds, de, zone, f"{days.label}, every day {window}")
    day, label = days.day, days.label
    if clock and context and context.end > 1440 and 0 <= (hours.start + hours.end) // 2 < 720:
        day += timedelta(days=1)  # the small hours of a night belong to the next calendar day
        label = label if label.endswith("night") else f"{label} night"
    if hours.since:
        return When(_at(day, hours.start, c.zone), c.now, None, None, zone, f"since {label} {_hm(ds)}")
    return When(_at(day, hours.start, c.zone), _at(day, hours.end, c.zone), None, None, zone, f"{label} {window}")


def _find(t: Sequence[str], now: datetime, zone: tzinfo) -> tuple[When | None, frozenset[int]]:
    local = now.astimezone(zone)
    c = _Ctx(now.astimezone(UTC), local.date(), zone)
    days, used = None, set()
    for i in range(len(t)):
        found = next((f for s in _starts(t, i, _DAY_PREFIX) if (f := _day_at(t, s, c)) is not None), None)
        if found is not None:
            days, used = found[0], set(range(i, found[1]))
            break
    clock: _Hours | None = None
    part: _Hours | None = None
    i = 0
    while i < len(t):
        got = _clock_phrase(t, i) if clock is None else None
        is_clock = got is not None
        if got is None and part is None:
            got = next((p for s in _starts(t, i, _PART_PREFIX) if (p := _part(t, s)) is not None), None)
        if got is None or not used.isdisjoint(range(i, got[1])):
            i += 1
            continue
        if is_clock:
            clock = got[0]
        else:
            part = got[0]
        used |= set(range(i, got[1]))
        i = got[1]
    if days is None and clock is None and part is None:
        return None, frozenset()
    return _combine(days, clock, part, c), frozenset(used)


def find_when(tokens: Sequence[str], now: datetime, zone: tzinfo) -> tuple[When | None, frozenset[int]]:
    """The time constraint named in the tokens (None if none) and the token positions it used.

    ``now`` is any aware datetime; day and hour words are read in ``zone``. Never raises: a phrase that names an
    impossible date ("31 february", "2026-13-40") is not a time constraint.
    """
    try:
        return _find(list(tokens), now, zone)
    except (ValueError, OverflowError):
        return None, frozenset()
