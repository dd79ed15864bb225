"""The index's one filter builder: every list (tracks, moments, search candidates) reads a time
range as half-open, [since, until), so adjacent ranges never both list a thing on their edge."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from fractions import Fraction
from pathlib import Path

import pytest

from footage.store.database import connect
from footage.store.filters import Where
from footage.store.moments import MomentFilter, StoredMoment, count_moments, list_moments
from footage.store.queries import TrackFilter, begin_recording, ensure_camera, finish_recording, list_tracks
from footage.store.records import IndexedTrack
from footage.store.search import CandidateQuery, find_candidates
from footage.time import WallClock, utc_to_us
from footage.types import Event, Moment, RecordingInfo, Track, TrackBox

START = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
TIME_BASE = Fraction(1, 1000)


def test_where_builds_half_open_ranges_in_parameter_order() -> None:
    where = Where("m").equal("c.name", "door").during(START, 5).lasting(2.0).one_of("m.id", (3, 4))
    assert where.sql == ("r.status IN ('done', 'damaged') AND c.name = ? AND m.end_utc_us >= ? AND m.start_utc_us < ?"
                         " AND m.end_s - m.start_s >= ? AND m.id IN (?,?)")
    assert where.params == ["door", utc_to_us(START), 5, 2.0, 3, 4]
    assert Where("t").during(None, 7).sql.endswith("t.first_utc_us < ?")
    assert Where("t").one_of("t.id", ()).sql.endswith(" AND 0")
    assert Where("t").equal("t.label", None).one_of("t.id", None).sql == "r.status IN ('done', 'damaged')"


@pytest.fixture
def index(tmp_path: Path):  # type: ignore[no-untyped-def]
    """One recording from START with a person track and a moment over its first 10 seconds."""
    conn = connect(tmp_path / "index.sqlite")
    camera_id = ensure_camera(conn, "door")
    clock = WallClock(START, 0, TIME_BASE, "user")
    info = RecordingInfo("/clips/door.mp4", 1, 60.0, 640, 480, "h264", TIME_BASE, Fraction(10), None)
    recording_id = begin_recording(conn, camera_id=camera_id, info=info, mtime_ns=0, content_hash="x", clock=clock,
                                   settings={})
    boxes = tuple(TrackBox(i, i * 1000, (10.0, 10.0, 50.0, 150.0), 0.9) for i in range(11))
    track = Track(1, "person", 0, 10_000, TIME_BASE, boxes)
    event = Event("lingered", 0.0, 10.0, (1,), ("person",), (1,), 5.0)
    moment = Moment("lingered", 0.0, 10.0, (event,), (1,), ("person",), (1,), "a person lingered", 5.0, (), 1, 0.5)
    finish_recording(conn, recording_id, camera_id=camera_id,
                     tracks=[IndexedTrack(track, clock.us_at(0), clock.us_at(10_000), 0.9, None)],
                     status="done", error=None, first_s=0.0, indexed_s=60.0,
                     moments=[StoredMoment(moment, clock.us_at_seconds(0.0), clock.us_at_seconds(10.0), None)])
    yield conn
    conn.close()


def test_until_is_exclusive_and_since_inclusive_everywhere(index) -> None:  # type: ignore[no-untyped-def]
    end = START + timedelta(seconds=10)
    for since, until, listed in ((None, START, False), (None, START + timedelta(microseconds=1), True),
                                 (end, None, True), (end + timedelta(microseconds=1), None, False)):
        assert bool(list_tracks(index, TrackFilter(since=since, until=until))) is listed
        assert bool(list_moments(index, MomentFilter(since=since, until=until))) is listed
        assert count_moments(index, MomentFilter(since=since, until=until)) == int(listed)
        query = CandidateQuery(since_us=utc_to_us(since) if since else None, until_us=utc_to_us(until) if until else None)
        assert bool(find_candidates(index, query)) is listed


def test_the_other_filters(index) -> None:  # type: ignore[no-untyped-def]
    assert [t.track.label for t in list_tracks(index, TrackFilter(camera="door", label="person"))] == ["person"]
    assert not list_tracks(index, TrackFilter(camera="yard"))
    assert not list_tracks(index, TrackFilter(ids=()))
    assert not list_moments(index, MomentFilter(kind="together"))
    assert list_moments(index, MomentFilter(kind="lingered", min_duration_s=10.0))
    assert not list_moments(index, MomentFilter(min_duration_s=10.5))
    assert find_candidates(index, CandidateQuery(cameras=("door",)))
    assert not find_candidates(index, CandidateQuery(cameras=("yard",)))
