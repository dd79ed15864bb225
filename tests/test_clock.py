from datetime import UTC, datetime, timedelta, timezone
from fractions import Fraction
from pathlib import Path

import pytest

from footage.ingest.clock import parse_user_time, start_from_container, start_from_path, wall_clock_start
from footage.time import WallClock, utc_from_us, utc_to_us

BERLIN_WINTER = timezone(timedelta(hours=1))
NOW = datetime(2026, 11, 21, tzinfo=UTC)


@pytest.mark.parametrize(
    "name",
    [
        "20261120_153000.mp4",
        "20261120153000.mp4",
        "2026-11-20 15-30-00.mkv",
        "2026-11-20_15-30-00.mp4",
        "2026-11-20T15:30:00.mp4",
        "ch01_20261120153000.mp4",
        "RecM01_20261120_153000_153100_6D28900_1A2B3C.mp4",
        "192.168.1.64_01_20261120153000123.mp4",
        "IMG_20261120_153000.mov",
        "front door 2026.11.20 15.30.00.avi",
    ],
)
def test_camera_file_names_give_the_start(name: str) -> None:
    assert start_from_path(Path("/sd/DCIM") / name, UTC) == datetime(2026, 11, 20, 15, 30, tzinfo=UTC)


def test_dahua_export_takes_the_date_from_the_folder() -> None:
    path = Path("/nvr/2026-11-20/001/dav/15/15.30.00-15.31.00[M][0@0][0].dav")
    assert start_from_path(path, UTC) == datetime(2026, 11, 20, 15, 30, tzinfo=UTC)


def test_file_name_times_are_local_to_the_camera() -> None:
    found = start_from_path(Path("20261120_153000.mp4"), BERLIN_WINTER)
    assert found == datetime(2026, 11, 20, 14, 30, tzinfo=UTC)


@pytest.mark.parametrize("name", ["vtest.avi", "clip_12345678.mp4", "20261340_153000.mp4", "20261120_256100.mp4"])
def test_names_without_a_valid_time_give_none(name: str) -> None:
    assert start_from_path(Path(name), UTC) is None


def test_container_time_is_used_only_when_plausible() -> None:
    assert start_from_container("2018-04-19T22:46:00.000000Z", NOW) == datetime(2018, 4, 19, 22, 46, tzinfo=UTC)
    assert start_from_container("1970-01-01T00:00:00.000000Z", NOW) is None
    assert start_from_container("1904-01-01T00:00:00Z", NOW) is None
    assert start_from_container("2030-01-01T00:00:00Z", NOW) is None
    assert start_from_container("garbage", NOW) is None
    assert start_from_container(None, NOW) is None


def test_order_of_evidence() -> None:
    common = dict(mtime_s=NOW.timestamp(), duration_s=60.0, zone=UTC, now=NOW)
    user = datetime(2026, 1, 1, tzinfo=UTC)
    named = Path("20261120_153000.mp4")
    assert wall_clock_start(named, user_start=user, creation_time="2025-01-01T00:00:00Z", **common) == (user, "user")
    assert wall_clock_start(named, user_start=None, creation_time="2025-01-01T00:00:00Z", **common)[1] == "filename"
    plain = Path("clip.mp4")
    assert wall_clock_start(plain, user_start=None, creation_time="2025-01-01T00:00:00Z", **common)[1] == "container"
    start, source = wall_clock_start(plain, user_start=None, creation_time=None, **common)
    assert (start, source) == (NOW - timedelta(seconds=60), "file-mtime")


def test_user_time_without_offset_is_read_in_the_zone() -> None:
    assert parse_user_time("2026-11-20T15:30:00", BERLIN_WINTER) == datetime(2026, 11, 20, 14, 30, tzinfo=UTC)
    assert parse_user_time("2026-11-20T15:30:00Z", BERLIN_WINTER) == datetime(2026, 11, 20, 15, 30, tzinfo=UTC)
    with pytest.raises(ValueError, match="ISO-8601"):
        parse_user_time("yesterday", UTC)


def test_wall_clock_is_exact_for_fractional_time_bases() -> None:
    start = datetime(2026, 11, 20, 15, 30, tzinfo=UTC)
    clock = WallClock(start, start_pts=0, time_base=Fraction(1, 90_000), source="user")
    # 29.97 fps frame 1799 at 3003 ticks of 1/90000 s: 5402397/90000 s = 60.02663333... s
    assert clock.utc_at(1799 * 3003) == start + timedelta(microseconds=60_026_633)
    assert utc_from_us(utc_to_us(start)) == start
    with pytest.raises(ValueError):
        WallClock(datetime(2026, 1, 1), 0, Fraction(1, 1000), "user")
