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

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo

from footage.search.calendar import Context, local_at
from footage.search.days import DAY_PREFIX, DayRange, day_at
from footage.search.hours import PART_PREFIX, Hours, clock_phrase, daily_window, part_of_day, prefer
from footage.search.tokens import phrase_starts

__all__ = ["When", "find_when"]


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
            if s < local_at(day, end, zone) and e >= local_at(day, self.day_start_min, zone):
                return True
        return False


def _hm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _combine(days: DayRange | None, clock: Hours | None, part: Hours | None, c: Context) -> When:
    zone = str(c.zone)
    context = part or (days.context if days else None)
    hours = prefer(clock, context) if clock and context else clock or context
    if hours is None:
        assert days is not None  # the caller passes at least one part
        return When(days.start, days.end, None, None, zone, days.label)
    ds, de = daily_window(hours)
    window = f"{_hm(ds)}-{_hm(de)}"
    if days is None:
        if not hours.since:
            return When(None, None, ds, de, zone, f"every day {window}")
        back = local_at(c.today, hours.start, c.zone) > c.now
        start = local_at(c.today - timedelta(days=back), hours.start, c.zone)
        return When(start, c.now, None, None, zone, f"since {'yesterday' if back else 'today'} {_hm(ds)}")
    if days.day is None:
        return When(days.start, days.end, ds, de, zone, f"{days.label}, every day {window}")
    day, label = days.day, days.label
    if clock and context and context.end > 1440 and 0 <= (hours.start + hours.end) // 2 < 720:
        day += timedelta(days=1)  # the small hours of a night belong to the next calendar day
        label = label if label.endswith("night") else f"{label} night"
    if hours.since:
        return When(local_at(day, hours.start, c.zone), c.now, None, None, zone, f"since {label} {_hm(ds)}")
    return When(local_at(day, hours.start, c.zone), local_at(day, hours.end, c.zone), None, None, zone, f"{label} {window}")


def _find(t: Sequence[str], now: datetime, zone: tzinfo) -> tuple[When | None, frozenset[int]]:
    local = now.astimezone(zone)
    c = Context(now.astimezone(UTC), local.date(), zone)
    days, used = None, set()
    for i in range(len(t)):
        found = next((f for s in phrase_starts(t, i, DAY_PREFIX) if (f := day_at(t, s, c)) is not None), None)
        if found is not None:
            days, used = found[0], set(range(i, found[1]))
            break
    clock: Hours | None = None
    part: Hours | None = None
    i = 0
    while i < len(t):
        got = clock_phrase(t, i) if clock is None else None
        is_clock = got is not None
        if got is None and part is None:
            got = next((p for s in phrase_starts(t, i, PART_PREFIX) if (p := part_of_day(t, s)) is not None), None)
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
