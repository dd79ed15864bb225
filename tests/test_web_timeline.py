"""The web app's pure decisions, without a server: the day timeline's arithmetic
(:mod:`footage.web.timeline`: local days across DST changes, zooming, activity per slice, where
moments sit on the strip, which days have footage), who may use the pages
(:mod:`footage.web.security`) and the template filters that print times and lengths."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from footage.errors import FootageError
from footage.web import security
from footage.web.templating import clock, duration, percent
from footage.web.timeline import (
    ZOOM_LADDER_S,
    Window,
    activity,
    day_window,
    days_with_footage,
    group_of,
    lanes,
    placed,
    zoom,
)

BERLIN = ZoneInfo("Europe/Berlin")
T0 = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)


def at(seconds: float) -> datetime:
    """``seconds`` after T0."""
    return T0 + timedelta(seconds=seconds)


@pytest.fixture
def thousand_seconds() -> Window:
    """A window of 1000 s starting at T0 (ten slices of 100 s when split in ten)."""
    return Window(T0, at(1000))


# ---- days and zooming -----------------------------------------------------------------------------

@pytest.mark.parametrize(("day", "hours"), [
    (date(2026, 3, 29), 23),  # clocks go forward at 02:00
    (date(2026, 10, 25), 25),  # clocks go back at 03:00
    (date(2026, 6, 1), 24),
])
def test_a_day_runs_from_local_midnight_to_local_midnight(day: date, hours: int) -> None:
    window = day_window(day, BERLIN)
    assert window.span_s == hours * 3600
    assert window.start_utc.tzinfo is UTC
    for edge, expected_day in ((window.start_utc, day), (window.end_utc, day + timedelta(days=1))):
        local = edge.astimezone(BERLIN)
        assert (local.date(), local.hour, local.minute) == (expected_day, 0, 0)


def test_zoom_centres_the_window_on_the_time_asked() -> None:
    day = day_window(date(2026, 6, 1), BERLIN)
    centre = day.at(0.5)
    window = zoom(day, centre, 7200)
    assert window.span_s == 7200
    assert window.at(0.5) == centre


@pytest.mark.parametrize("fraction", [0.0, 0.01, 0.99, 1.0])
def test_zoom_keeps_the_window_inside_the_day(fraction: float) -> None:
    day = day_window(date(2026, 10, 25), BERLIN)  # 25 hours
    for span_s in ZOOM_LADDER_S[1:]:
        window = zoom(day, day.at(fraction), span_s)
        assert window.span_s == span_s
        assert day.start_utc <= window.start_utc < window.end_utc <= day.end_utc
    assert zoom(day, day.at(0.0), 600).start_utc == day.start_utc
    assert zoom(day, day.at(1.0), 600).end_utc == day.end_utc


@pytest.mark.parametrize("day", [date(2026, 3, 29), date(2026, 6, 1), date(2026, 10, 25)])
def test_the_one_day_span_shows_the_whole_day_even_across_a_dst_change(day: date) -> None:
    whole = day_window(day, BERLIN)  # 23, 24 and 25 hours
    for fraction in (0.0, 0.2, 0.5, 1.0):
        assert zoom(whole, whole.at(fraction), ZOOM_LADDER_S[0]) == whole
        assert zoom(whole, whole.at(fraction), 30 * 3600) == whole


# ---- activity on the strip ------------------------------------------------------------------------

@pytest.mark.parametrize(("label", "group"), [
    ("person", "people"), ("car", "vehicles"), ("bus", "vehicles"), ("truck", "vehicles"),
    ("motorcycle", "vehicles"), ("bicycle", "vehicles"), ("dog", "other"), ("backpack", "other"), ("", "other"),
])
def test_group_of(label: str, group: str) -> None:
    assert group_of(label) == group


def test_activity_counts_people_vehicles_and_other_objects_per_slice(thousand_seconds: Window) -> None:
    seen = [
        ("person", at(50), at(250)),  # slices 0, 1 and 2
        ("person", at(120), at(130)),  # slice 1
        ("car", at(410), at(420)),  # slice 4
        ("truck", at(480), at(520)),  # slices 4 and 5
        ("dog", at(999), at(1500)),  # slice 9, running past the window
    ]
    bins = activity(thousand_seconds, 10, seen, [])
    assert len(bins) == 10
    assert [b.people for b in bins] == [1, 2, 1, 0, 0, 0, 0, 0, 0, 0]
    assert [b.vehicles for b in bins] == [0, 0, 0, 0, 2, 1, 0, 0, 0, 0]
    assert [b.other for b in bins] == [0, 0, 0, 0, 0, 0, 0, 0, 0, 1]
    assert [(b.start_utc, b.end_utc) for b in bins] == [(at(100 * i), at(100 * (i + 1))) for i in range(10)]


def test_objects_seen_outside_the_window_are_ignored(thousand_seconds: Window) -> None:
    seen = [("person", at(-500), at(-1)), ("car", at(1001), at(2000)), ("dog", at(5000), at(6000))]
    bins = activity(thousand_seconds, 10, seen, [(at(-100), at(-50)), (at(1200), at(1300))])
    assert all((b.people, b.vehicles, b.other, b.recorded) == (0, 0, 0, 0.0) for b in bins)


def test_the_recorded_fraction_of_each_slice(thousand_seconds: Window) -> None:
    recorded = [(at(-300), at(100)), (at(300), at(400)), (at(550), at(600)), (at(700), at(730)), (at(770), at(800))]
    fractions = [b.recorded for b in activity(thousand_seconds, 10, [], recorded)]
    assert fractions == pytest.approx([1.0, 0.0, 0.0, 1.0, 0.0, 0.5, 0.0, 0.6, 0.0, 0.0])


def test_a_slice_covered_by_overlapping_recordings_is_at_most_fully_recorded(thousand_seconds: Window) -> None:
    bins = activity(thousand_seconds, 10, [], [(at(0), at(100)), (at(0), at(100))])
    assert bins[0].recorded == 1.0


# ---- placing moments ------------------------------------------------------------------------------

def test_placed_gives_fractions_of_the_window(thousand_seconds: Window) -> None:
    assert placed(thousand_seconds, at(250), at(500)) == pytest.approx((0.25, 0.25))


@pytest.mark.parametrize(("start", "end", "expected"), [
    (-100, 100, (0.0, 0.1)),  # begins before the window
    (900, 1200, (0.9, 0.1)),  # ends after it
    (-100, 1200, (0.0, 1.0)),  # covers it
])
def test_placed_clips_to_the_window(thousand_seconds: Window, start: float, end: float,
                                    expected: tuple[float, float]) -> None:
    assert placed(thousand_seconds, at(start), at(end)) == pytest.approx(expected)


def test_a_short_moment_gets_the_minimum_width_and_stays_on_the_strip(thousand_seconds: Window) -> None:
    assert placed(thousand_seconds, at(500), at(500.1)) == pytest.approx((0.5, 0.004))
    assert placed(thousand_seconds, at(500), at(500.1), min_width=0.02) == pytest.approx((0.5, 0.02))
    left, width = placed(thousand_seconds, at(999.9), at(1000))
    assert width == pytest.approx(0.004)
    assert left + width == pytest.approx(1.0)
    assert placed(thousand_seconds, at(300), at(300), min_width=0.0) == (0.3, 0.0)


def test_overlapping_marks_get_different_lanes() -> None:
    assert lanes([]) == ()
    assert lanes([(0.0, 0.1), (0.2, 0.1), (0.5, 0.1)]) == (0, 0, 0)  # apart: all on the top row
    assert lanes([(0.0, 0.3), (0.1, 0.3), (0.2, 0.3), (0.35, 0.1)]) == (0, 1, 2, 0)
    assert lanes([(0.0, 0.5)] * 5, most=3) == (0, 1, 2, 2, 2)


# ---- days with footage ----------------------------------------------------------------------------

def test_a_recording_across_local_midnight_touches_two_days() -> None:
    # 21:30-22:30 UTC on 1 June is 23:30-00:30 in Berlin (summer time, +2)
    span = (datetime(2026, 6, 1, 21, 30, tzinfo=UTC), datetime(2026, 6, 1, 22, 30, tzinfo=UTC))
    assert days_with_footage([span], BERLIN) == (date(2026, 6, 1), date(2026, 6, 2))
    assert days_with_footage([span], UTC) == (date(2026, 6, 1),)


def test_days_with_footage_are_sorted_and_unique() -> None:
    spans = [
        (datetime(2026, 6, 5, 8, tzinfo=UTC), datetime(2026, 6, 5, 9, tzinfo=UTC)),
        (datetime(2026, 6, 1, 8, tzinfo=UTC), datetime(2026, 6, 3, 9, tzinfo=UTC)),  # three days long
        (datetime(2026, 6, 5, 10, tzinfo=UTC), datetime(2026, 6, 5, 11, tzinfo=UTC)),
    ]
    assert days_with_footage(spans, BERLIN) == (date(2026, 6, 1), date(2026, 6, 2), date(2026, 6, 3), date(2026, 6, 5))
    assert days_with_footage([], BERLIN) == ()


# ---- security decisions ---------------------------------------------------------------------------

@pytest.mark.parametrize(("host", "loopback"), [
    ("127.0.0.1", True), ("::1", True), ("[::1]", True), ("localhost", True), ("127.1.2.3", True),
    ("0.0.0.0", False), ("::", False), ("192.168.1.2", False), ("10.0.0.1", False), ("example", False),
    ("localhost.example", False), ("", False),
])
def test_is_loopback(host: str, loopback: bool) -> None:
    assert security.is_loopback(host) is loopback


def test_check_bind() -> None:
    security.check_bind("127.0.0.1", None)
    security.check_bind("0.0.0.0", "correct horse battery")
    with pytest.raises(FootageError, match="--token"):
        security.check_bind("0.0.0.0", None)
    with pytest.raises(FootageError, match="12 characters"):
        security.check_bind("127.0.0.1", "short")


def test_allowed_hosts() -> None:
    assert security.allowed_hosts("correct horse battery") == ("*",)
    assert set(security.allowed_hosts(None)) == {"127.0.0.1", "localhost", "::1", "[::1]"}
    assert "127.1.2.3" in security.allowed_hosts(None, "127.1.2.3")  # served there, named there
    assert "[::1]" in security.allowed_hosts(None, "::1")


TOKEN = "correct horse battery"


@pytest.mark.parametrize(("token", "authorization", "cookie", "passes"), [
    (None, None, None, True),  # no token set: open (on loopback only)
    (None, "Bearer whatever", "whatever", True),
    (TOKEN, None, None, False),
    (TOKEN, f"Bearer {TOKEN}", None, True),
    (TOKEN, f"bearer {TOKEN}", None, True),
    (TOKEN, f"Bearer  {TOKEN} ", None, True),
    (TOKEN, "Bearer correct horse", None, False),
    (TOKEN, f"Bearer {TOKEN}x", None, False),
    (TOKEN, f"Basic {TOKEN}", None, False),
    (TOKEN, None, security.session_value(TOKEN), True),
    (TOKEN, None, TOKEN, False),  # the cookie holds a keyed hash, never the token
    (TOKEN, None, security.session_value("another long token"), False),
    (TOKEN, "Bearer wrong token here", security.session_value(TOKEN), False),
])
def test_authorized(token: str | None, authorization: str | None, cookie: str | None, passes: bool) -> None:
    assert security.authorized(token, authorization, cookie) is passes


def test_session_value_is_a_stable_keyed_hash_not_the_token() -> None:
    value = security.session_value(TOKEN)
    assert value == security.session_value(TOKEN)
    assert TOKEN not in value
    assert value != security.session_value(TOKEN + "!")
    assert len(value) == 64 and int(value, 16) >= 0


@pytest.mark.parametrize(("origin", "host", "same"), [
    (None, "127.0.0.1:8000", True),  # not sent by a browser form or script
    ("http://127.0.0.1:8000", "127.0.0.1:8000", True),
    ("http://LOCALHOST:8000", "localhost:8000", True),
    ("http://127.0.0.1:9000", "127.0.0.1:8000", False),
    ("http://evil.example", "127.0.0.1:8000", False),
    ("http://127.0.0.1:8000.evil.example", "127.0.0.1:8000", False),
    ("null", "127.0.0.1:8000", False),
    ("http://127.0.0.1:8000", None, False),
])
def test_same_origin(origin: str | None, host: str | None, same: bool) -> None:
    assert security.same_origin(origin, host) is same


@pytest.mark.parametrize(("target", "expected"), [
    ("/", "/"),
    ("/moments?x=1", "/moments?x=1"),
    ("/cameras/front%20door?day=2026-06-01", "/cameras/front%20door?day=2026-06-01"),
    ("//evil", "/"),
    ("https://evil", "/"),
    ("\\\\evil", "/"),
    ("/\\evil", "/"),
    ("evil", "/"),
    ("", "/"),
    (None, "/"),
])
def test_safe_next(target: str | None, expected: str) -> None:
    assert security.safe_next(target) == expected


# ---- template filters -----------------------------------------------------------------------------

def test_clock() -> None:
    moment = datetime(2026, 11, 21, 17, 3, 12, tzinfo=BERLIN)
    assert clock(moment) == "17:03:12"
    assert clock(moment, with_day=True) == "Sat 21 Nov 17:03:12"
    assert clock(None) == "-"


@pytest.mark.parametrize(("seconds", "shown"), [
    (0, "0.0 s"), (9.46, "9.5 s"), (45, "45 s"), (59.4, "59 s"), (59.6, "1 min 00 s"), (200, "3 min 20 s"),
    (3599, "59 min 59 s"), (3600, "1 h 00 min"), (7500, "2 h 05 min"), (90000, "25 h 00 min"),
])
def test_duration(seconds: float, shown: str) -> None:
    assert duration(seconds) == shown


@pytest.mark.parametrize(("fraction", "shown"), [(0.0, "0.000%"), (0.12345, "12.345%"), (1.0, "100.000%"), (0.004, "0.400%")])
def test_percent(fraction: float, shown: str) -> None:
    assert percent(fraction) == shown
