"""Time and duration constraints read out of query tokens: days, hours, DST, used positions, overlaps."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

import pytest

from footage.search.durations import find_duration
from footage.search.tokens import tokenize
from footage.search.when import When, find_when

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 11, 22, 10, 0, tzinfo=BERLIN)  # a Sunday


def when_of(query: str, now: datetime = NOW, zone: tzinfo = BERLIN) -> When:
    found, _ = find_when(tokenize(query), now, zone)
    assert found is not None, query
    return found


def local(moment: datetime | None, zone: tzinfo = BERLIN) -> str:
    assert moment is not None
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M")


@pytest.mark.parametrize(("query", "start", "end", "label"), [
    ("yesterday evening", "2026-11-21 17:00", "2026-11-21 21:00", "yesterday 17:00-21:00"),
    ("evening yesterday", "2026-11-21 17:00", "2026-11-21 21:00", "yesterday 17:00-21:00"),
    ("last tuesday between 3 and 5 pm", "2026-11-17 15:00", "2026-11-17 17:00", "Tue 17 Nov 2026 15:00-17:00"),
    ("this morning", "2026-11-22 06:00", "2026-11-22 12:00", "today 06:00-12:00"),
    ("on 26 september 2017 around 5 pm", "2017-09-26 16:00", "2017-09-26 18:00", "Tue 26 Sep 2017 16:00-18:00"),
    ("tonight", "2026-11-22 18:00", "2026-11-23 06:00", "tonight 18:00-06:00"),
    ("last night", "2026-11-21 21:00", "2026-11-22 06:00", "last night 21:00-06:00"),
    ("last night at 2am", "2026-11-22 01:30", "2026-11-22 02:30", "last night 01:30-02:30"),
    ("this evening at 8", "2026-11-22 19:30", "2026-11-22 20:30", "today 19:30-20:30"),
    ("at 8 in the evening yesterday", "2026-11-21 19:30", "2026-11-21 20:30", "yesterday 19:30-20:30"),
    ("tuesday night", "2026-11-17 21:00", "2026-11-18 06:00", "Tue 17 Nov 2026 21:00-06:00"),
    ("yesterday after 10pm", "2026-11-21 22:00", "2026-11-22 00:00", "yesterday 22:00-24:00"),
    ("before 9am on 2026-11-20", "2026-11-20 00:00", "2026-11-20 09:00", "Fri 20 Nov 2026 00:00-09:00"),
    ("since 6pm", "2026-11-21 18:00", "2026-11-22 10:00", "since yesterday 18:00"),
])
def test_a_day_with_hours_is_one_concrete_interval(query: str, start: str, end: str, label: str) -> None:
    found = when_of(query)
    assert (local(found.start_utc), local(found.end_utc), found.label) == (start, end, label)
    assert found.day_start_min is None and found.day_end_min is None
    assert found.zone_name == "Europe/Berlin"


@pytest.mark.parametrize(("query", "start", "end", "label"), [
    ("today", "2026-11-22 00:00", "2026-11-23 00:00", "today"),
    ("yesterday", "2026-11-21 00:00", "2026-11-22 00:00", "yesterday"),
    ("the day before yesterday", "2026-11-20 00:00", "2026-11-21 00:00", "the day before yesterday"),
    ("tuesday", "2026-11-17 00:00", "2026-11-18 00:00", "Tue 17 Nov 2026"),
    ("on sunday", "2026-11-22 00:00", "2026-11-23 00:00", "Sun 22 Nov 2026"),  # a plain weekday includes today
    ("last sunday", "2026-11-15 00:00", "2026-11-16 00:00", "Sun 15 Nov 2026"),  # "last" does not
    ("this week", "2026-11-16 00:00", "2026-11-22 10:00", "since Mon 16 Nov 00:00"),
    ("last week", "2026-11-09 00:00", "2026-11-16 00:00", "Mon 9 Nov - Sun 15 Nov 2026"),
    ("this month", "2026-11-01 00:00", "2026-11-22 10:00", "since Sun 1 Nov 00:00"),
    ("last month", "2026-10-01 00:00", "2026-11-01 00:00", "Oct 2026"),
    ("in the last 2 hours", "2026-11-22 08:00", "2026-11-22 10:00", "last 2 h"),
    ("in the past 3 days", "2026-11-19 10:00", "2026-11-22 10:00", "last 3 days"),
    ("past hour", "2026-11-22 09:00", "2026-11-22 10:00", "last 1 h"),
    ("last 30 minutes", "2026-11-22 09:30", "2026-11-22 10:00", "last 30 min"),
    ("2026-11-20", "2026-11-20 00:00", "2026-11-21 00:00", "Fri 20 Nov 2026"),
    ("20 november", "2026-11-20 00:00", "2026-11-21 00:00", "Fri 20 Nov 2026"),
    ("november 20", "2026-11-20 00:00", "2026-11-21 00:00", "Fri 20 Nov 2026"),
    ("nov 20th", "2026-11-20 00:00", "2026-11-21 00:00", "Fri 20 Nov 2026"),
    ("the 20th of november", "2026-11-20 00:00", "2026-11-21 00:00", "Fri 20 Nov 2026"),
    ("26 september 2017", "2017-09-26 00:00", "2017-09-27 00:00", "Tue 26 Sep 2017"),
    ("sep 26 2017", "2017-09-26 00:00", "2017-09-27 00:00", "Tue 26 Sep 2017"),
    ("September 26, 2017", "2017-09-26 00:00", "2017-09-27 00:00", "Tue 26 Sep 2017"),
    ("december 25", "2025-12-25 00:00", "2025-12-26 00:00", "Thu 25 Dec 2025"),  # no year: not in the future
    ("in 2017", "2017-01-01 00:00", "2018-01-01 00:00", "2017"),
    ("in november", "2026-11-01 00:00", "2026-12-01 00:00", "Nov 2026"),
    ("since monday", "2026-11-16 00:00", "2026-11-22 10:00", "since Mon 16 Nov 00:00"),
])
def test_a_day_alone_covers_whole_local_days(query: str, start: str, end: str, label: str) -> None:
    found = when_of(query)
    assert (local(found.start_utc), local(found.end_utc), found.label) == (start, end, label)
    assert found.day_start_min is None


@pytest.mark.parametrize(("query", "window"), [
    ("between 3 and 5 pm", (900, 1020)),
    ("in the morning", (360, 720)),
    ("afternoon", (720, 1020)),
    ("in the evening", (1020, 1260)),
    ("at night", (1260, 360)),
    ("at noon", (690, 750)),
    ("midnight", (1410, 30)),
    ("from 3 to 5pm", (900, 1020)),
    ("3-5pm", (900, 1020)),
    ("between 15:00 and 17:30", (900, 1050)),
    ("between 9 and 5pm", (540, 1020)),
    ("from 10pm to 2", (1320, 120)),
    ("at 5pm", (990, 1050)),
    ("3 pm", (870, 930)),
    ("around 5 pm", (960, 1080)),
    ("at 17:00", (990, 1050)),
    ("at 5:30", (300, 360)),  # colon times are 24-hour
    ("5 o'clock", (990, 1050)),  # 1-6 without am/pm are afternoon hours
    ("at 9", (510, 570)),  # 7-11 are morning hours
    ("after 6 pm", (1080, 1440)),
    ("before 9am", (0, 540)),
])
def test_hours_alone_repeat_every_day(query: str, window: tuple[int, int]) -> None:
    found = when_of(query)
    assert (found.day_start_min, found.day_end_min) == window
    assert found.start_utc is None and found.end_utc is None
    start, end = window
    assert found.label == f"every day {start // 60:02d}:{start % 60:02d}-{end // 60:02d}:{end % 60:02d}"


def test_hours_with_a_longer_range_keep_both() -> None:
    found = when_of("last week in the evening")
    assert (local(found.start_utc), local(found.end_utc)) == ("2026-11-09 00:00", "2026-11-16 00:00")
    assert (found.day_start_min, found.day_end_min) == (1020, 1260)
    assert found.overlaps(_at("2026-11-10 18:00"), _at("2026-11-10 18:05"), BERLIN)
    assert not found.overlaps(_at("2026-11-10 12:00"), _at("2026-11-10 12:05"), BERLIN)
    assert not found.overlaps(_at("2026-11-18 18:00"), _at("2026-11-18 18:05"), BERLIN)


@pytest.mark.parametrize("query", [
    "red car", "two people", "3 cars at the gate", "after 3 cars", "for 10 minutes", "between 5 and 10 minutes",
    "after 10 minutes", "31 february", "2026-13-40", "between two and three people", "",
])
def test_nothing_recognised_is_none(query: str) -> None:
    assert find_when(tokenize(query), NOW, BERLIN) == (None, frozenset())


@pytest.mark.parametrize(("query", "used"), [
    ("person with a bag in the morning", ["in", "the", "morning"]),
    ("two people for 10 minutes at 5pm", ["at", "5pm"]),
    ("car on tuesday near the gate", ["on", "tuesday"]),
    ("3 people the day before yesterday", ["the", "day", "before", "yesterday"]),
    ("last tuesday between 3 and 5 pm with a dog", ["last", "tuesday", "between", "3", "and", "5", "pm"]),
    ("a van in the last 2 hours", ["in", "the", "last", "2", "hours"]),
])
def test_used_positions_are_the_phrase_and_its_glue_words(query: str, used: list[str]) -> None:
    tokens = tokenize(query)
    _, positions = find_when(tokens, NOW, BERLIN)
    assert [tokens[i] for i in sorted(positions)] == used


def test_when_and_duration_split_a_query_between_them() -> None:
    tokens = tokenize("two people for 10 minutes at 5pm")
    _, when_used = find_when(tokens, NOW, BERLIN)
    bound, duration_used = find_duration(tokens)
    assert when_used == {5, 6} and duration_used == {2, 3, 4}
    assert bound is not None and bound.min_s == 480


@pytest.mark.parametrize(("query", "start_utc", "end_utc"), [
    ("2026-03-29", "2026-03-28 23:00", "2026-03-29 22:00"),  # spring forward: a 23-hour day
    ("2026-10-25", "2026-10-24 22:00", "2026-10-25 23:00"),  # fall back: a 25-hour day
    ("29 march in the evening", "2026-03-29 15:00", "2026-03-29 19:00"),  # summer time already
    ("march 28 in the evening", "2026-03-28 16:00", "2026-03-28 20:00"),  # still winter time
])
def test_days_are_local_across_dst(query: str, start_utc: str, end_utc: str) -> None:
    found = when_of(query)
    assert (local(found.start_utc, UTC), local(found.end_utc, UTC)) == (start_utc, end_utc)


def test_relative_days_cross_dst() -> None:
    now = datetime(2026, 3, 30, 12, 0, tzinfo=BERLIN)  # a Monday, the day after the change
    assert local(when_of("yesterday evening", now).start_utc, UTC) == "2026-03-29 15:00"
    last_week = when_of("last week", now)
    assert (local(last_week.start_utc, UTC), local(last_week.end_utc, UTC)) == ("2026-03-22 23:00", "2026-03-29 22:00")


def test_daily_window_follows_local_time_across_dst() -> None:
    evening = when_of("in the evening")  # 17:00-21:00 local: 16:00 UTC in winter, 15:00 UTC in summer
    assert evening.overlaps(_utc("2026-03-30 15:30"), _utc("2026-03-30 15:31"), BERLIN)
    assert not evening.overlaps(_utc("2026-03-28 15:30"), _utc("2026-03-28 15:31"), BERLIN)
    assert evening.overlaps(_utc("2026-03-28 16:30"), _utc("2026-03-28 16:31"), BERLIN)


def test_utc_zone() -> None:
    found = when_of("yesterday evening", datetime(2026, 11, 22, 10, 0, tzinfo=UTC), UTC)
    assert (found.start_utc, found.end_utc) == (_utc("2026-11-21 17:00"), _utc("2026-11-21 21:00"))
    assert found.zone_name == "UTC"


def _at(text: str, zone: tzinfo = BERLIN) -> datetime:
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=zone).astimezone(UTC)


def _utc(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=UTC)


@pytest.mark.parametrize(("start", "end", "expected"), [
    ("2026-11-20 23:00", "2026-11-20 23:10", True),
    ("2026-11-20 03:00", "2026-11-20 03:00", True),  # a moment
    ("2026-11-20 12:00", "2026-11-20 12:30", False),
    ("2026-11-20 20:50", "2026-11-20 21:05", True),  # runs into the window
    ("2026-11-20 23:50", "2026-11-21 00:10", True),  # spans midnight inside the window
    ("2026-11-20 05:55", "2026-11-20 06:10", True),
    ("2026-11-20 06:00", "2026-11-20 06:30", False),  # the end is exclusive
    ("2026-11-20 07:00", "2026-11-21 08:00", True),  # longer than a day
])
def test_overlaps_a_wrapping_night_window(start: str, end: str, expected: bool) -> None:
    night = when_of("at night")
    assert (night.day_start_min, night.day_end_min) == (1260, 360)
    assert night.overlaps(_at(start), _at(end), BERLIN) is expected


def test_overlaps_date_ranges_and_windows() -> None:
    afternoon = when_of("between 3 and 5 pm")
    assert afternoon.overlaps(_at("2026-11-01 16:50"), _at("2026-11-01 17:10"), BERLIN)
    assert not afternoon.overlaps(_at("2026-11-01 23:50"), _at("2026-11-02 00:10"), BERLIN)
    today = when_of("today")
    assert today.overlaps(_at("2026-11-21 23:50"), _at("2026-11-22 00:10"), BERLIN)  # a moment spanning midnight
    assert not today.overlaps(_at("2026-11-21 22:00"), _at("2026-11-21 23:00"), BERLIN)
    assert not today.overlaps(_at("2026-11-23 00:00"), _at("2026-11-23 00:10"), BERLIN)
    assert today.overlaps(_at("2026-11-22 00:00"), _at("2026-11-22 00:00"), BERLIN)


@pytest.mark.parametrize(("query", "min_s", "max_s", "label", "used"), [
    ("for more than 10 minutes", 600, None, ">= 10 min", 5),
    ("over 10 min", 600, None, ">= 10 min", 3),
    ("longer than half an hour", 1800, None, ">= 30 min", 5),
    ("at least 5 minutes", 300, None, ">= 5 min", 4),
    ("less than a minute", None, 60, "< 1 min", 4),
    ("under 30 seconds", None, 30, "< 30 s", 3),
    ("shorter than 2 min", None, 120, "< 2 min", 4),
    ("no more than 2 minutes", None, 120, "< 2 min", 5),
    ("for 20 minutes", 960, None, ">= 16 min", 3),  # a plain "for N" is at least 0.8 N
    ("for forty five minutes", 2160, None, ">= 36 min", 4),
    ("for 1.5 hours", 4320, None, ">= 1 h 12 min", 3),
    ("for an hour and a half", 4320, None, ">= 1 h 12 min", 6),
    ("loitering 10min", 480, None, ">= 8 min", 1),
    ("for minutes", 120, None, ">= 2 min", 2),
    ("for several minutes", 120, None, ">= 2 min", 3),
    ("for a few minutes", 120, None, ">= 2 min", 4),
    ("for a long time", 300, None, ">= 5 min", 4),
    ("a long while", 300, None, ">= 5 min", 3),
    ("for hours", 3600, None, ">= 1 h", 2),
    ("between 5 and 10 minutes", 300, 600, "5-10 min", 5),
    ("5-10 min", 300, 600, "5-10 min", 3),
])
def test_durations(query: str, min_s: float | None, max_s: float | None, label: str, used: int) -> None:
    tokens = tokenize(query)
    bound, positions = find_duration(tokens)
    assert bound is not None
    assert (bound.min_s, bound.max_s, bound.label) == (min_s, max_s, label)
    assert len(positions) == used and max(positions) == len(tokens) - 1


@pytest.mark.parametrize("query", [
    "two people", "between 3 and 5 pm", "in the last 2 hours", "5 m from the door", "10 minutes ago", "a second person",
])
def test_no_duration(query: str) -> None:
    assert find_duration(tokenize(query)) == (None, frozenset())


def test_random_tokens_never_raise() -> None:
    vocab = ("at", "around", "between", "and", "from", "to", "after", "before", "since", "last", "past", "this",
             "the", "of", "on", "in", "for", "more", "than", "under", "a", "an", "half", "few", "long", "time",
             "today", "yesterday", "tonight", "night", "morning", "evening", "noon", "midnight", "tuesday", "week",
             "month", "year", "day", "days", "november", "feb", "may", "0", "3", "5", "12", "13", "24", "25", "31",
             "99", "2017", "9999", "0000", "5pm", "13pm", "0am", "5:30", "24:00", "25:61", "9.99", "20th", "0th",
             "2026-02-30", "2026-11-20", "10min", "0s", "1.5", "minutes", "hours", "seconds", "o'clock", "pm", "am",
             "p", "m", "five", "forty", "since", "99999999999999", "", "-", "ago")
    rng = random.Random(7)
    zones = (BERLIN, UTC, ZoneInfo("America/New_York"))
    for k in range(3000):
        tokens = [rng.choice(vocab) for _ in range(rng.randint(0, 8))]
        now = NOW + timedelta(days=rng.randint(-4000, 4000), minutes=rng.randint(0, 1440))
        zone = zones[k % 3]
        found, used = find_when(tokens, now, zone)
        assert all(0 <= i < len(tokens) for i in used)
        if found is not None:
            assert used and isinstance(found.label, str)
            found.overlaps(now, now + timedelta(hours=1), zone)
        bound, used = find_duration(tokens)
        assert all(0 <= i < len(tokens) for i in used)
        assert (bound is None) == (not used)
