"""Moment scores read from the index: computed from each moment's stored base score and the
per-camera counts that triggers keep, they equal what rescoring every moment of the camera gives
(``footage.events.score.scores``) after each recording, after re-indexing, hiding and deleting a
recording, and after migrating an index written before schema 6."""

from __future__ import annotations

import random
import re
import sqlite3
import subprocess
from contextlib import closing
from datetime import UTC, datetime, timedelta
from fractions import Fraction
from pathlib import Path

from footage.config import Settings
from footage.detect import Detector
from footage.events.score import KIND_WEIGHT, base_score, scores
from footage.pipeline.index import index_paths
from footage.pipeline.moments import rebuild_moments
from footage.store import queries
from footage.store.database import connect
from footage.store.live import forget_recording
from footage.store.moments import MomentFilter, StoredMoment, list_moments, replace_moments
from footage.store.schema import MIGRATIONS, migrate
from footage.store.search import CandidateQuery, find_candidates
from footage.time import WallClock
from footage.types import Event, Moment, RecordingInfo, ScoreInput

START = datetime(2026, 5, 1, tzinfo=UTC)
TIME_BASE = Fraction(1, 90_000)
KINDS = sorted(KIND_WEIGHT)


def _moment(rng: random.Random, start_s: float) -> Moment:
    kinds = rng.sample(KINDS, rng.choice((1, 1, 2, 3)))
    length = rng.uniform(0.5, 300.0)
    events = tuple(Event(kind, start_s, start_s + length * rng.uniform(0.3, 1.0), (1,), ("person",), (1,), start_s)
                   for kind in kinds)
    return Moment(kind=kinds[0], start_s=start_s, end_s=start_s + length, events=events, subjects=(1,),
                  labels=("person",), tracks=(), description=f"{kinds[0]} for {length:.0f} s", key_s=start_s,
                  key_boxes=(), people=rng.randint(0, 4))


class _Camera:
    """Recordings of one camera written as the indexer writes them, with the moments each holds."""

    def __init__(self, conn: sqlite3.Connection, name: str) -> None:
        self.conn, self.name = conn, name
        self.camera_id = queries.ensure_camera(conn, name)
        self.visible: dict[int, list[Moment]] = {}

    def record(self, n: int, moments: list[Moment], *, path: str | None = None) -> int:
        path = path or f"/cameras/{self.name}/{n:05d}.mp4"
        start = START + timedelta(minutes=n)
        info = RecordingInfo(path, 1000 + n, 60.0, 640, 360, "h264", TIME_BASE, Fraction(25), None)
        clock = WallClock(start, 0, TIME_BASE, "filename")
        recording_id = queries.begin_recording(self.conn, camera_id=self.camera_id, info=info, mtime_ns=n,
                                               content_hash=f"{self.name}-{n}-{len(moments)}", clock=clock, settings={})
        stored = [StoredMoment(m, clock.us_at_seconds(m.start_s), clock.us_at_seconds(m.end_s), None,
                               base_score(m.kinds, m.duration_s, m.people)) for m in moments]
        queries.finish_recording(self.conn, recording_id, camera_id=self.camera_id, tracks=[], status="done", error=None,
                                 first_s=0.0, indexed_s=60.0, moments=stored)
        self.visible = {k: v for k, v in self.visible.items() if self._exists(k)}
        self.visible[recording_id] = moments
        return recording_id

    def _exists(self, recording_id: int) -> bool:
        return self.conn.execute("SELECT 1 FROM recordings WHERE id = ?", (recording_id,)).fetchone() is not None

    def expected(self) -> dict[tuple[float, str], float]:
        """What the old full rescore gives every visible moment, by (start time, kind)."""
        moments = [m for ms in self.visible.values() for m in ms]
        values = scores([ScoreInput(m.kind, m.kinds, m.duration_s, m.people) for m in moments])
        return {(m.start_s, m.kind): value for m, value in zip(moments, values, strict=True)}

    def read(self) -> dict[tuple[float, str], float]:
        return {(m.start_s, m.kind): m.score for m in list_moments(self.conn, MomentFilter(camera=self.name))}


def _timeline(rng: random.Random, n: int) -> list[Moment]:
    return [_moment(rng, 60.0 * n + 0.01 * i) for i in range(rng.randint(0, 4))]


def test_scores_after_each_recording_equal_a_full_rescore(tmp_path: Path) -> None:
    rng = random.Random(7)
    with closing(connect(tmp_path / "index.sqlite")) as conn:
        street, yard = _Camera(conn, "street"), _Camera(conn, "yard")
        for n in range(60):
            camera = street if rng.random() < 0.7 else yard
            camera.record(n, _timeline(rng, n))
            assert street.read() == street.expected()
            assert yard.read() == yard.expected()
        best = list_moments(conn, MomentFilter(camera="street", order="score"))
        assert [m.score for m in best] == sorted((m.score for m in best), reverse=True)


def test_hiding_reindexing_and_forgetting_a_recording_update_the_counts(tmp_path: Path) -> None:
    rng = random.Random(11)
    with closing(connect(tmp_path / "index.sqlite")) as conn:
        camera = _Camera(conn, "gate")
        ids = [camera.record(n, _timeline(rng, n) or [_moment(rng, 60.0 * n)]) for n in range(12)]
        forget_recording(conn, ids[3])  # what retention does with a deleted segment
        del camera.visible[ids[3]]
        assert camera.read() == camera.expected()
        queries.set_status(conn, ids[5], "interrupted", "stopped")  # no longer visible
        hidden = camera.visible.pop(ids[5])
        assert camera.read() == camera.expected()
        queries.set_status(conn, ids[5], "done", None)
        camera.visible[ids[5]] = hidden
        assert camera.read() == camera.expected()
        again = [_moment(rng, 60.0 * 7 + 0.5), _moment(rng, 60.0 * 7 + 0.6)]  # the file changed: indexed again
        camera.record(7, again, path="/cameras/gate/00007.mp4")
        assert camera.read() == camera.expected()
        rebuilt = [_moment(rng, 60.0 * 8 + 0.3)]  # `footage events --rebuild` replaces a recording's moments
        replace_moments(conn, ids[8], camera.camera_id,
                        [StoredMoment(m, 0, 0, None, base_score(m.kinds, m.duration_s, m.people)) for m in rebuilt])
        camera.visible[ids[8]] = rebuilt
        assert camera.read() == camera.expected()
        total = conn.execute("SELECT SUM(moments) FROM moment_counts WHERE camera_id = ?", (camera.camera_id,)).fetchone()[0]
        assert total == sum(len(ms) for ms in camera.visible.values())


def test_search_reads_the_same_scores(tmp_path: Path) -> None:
    rng = random.Random(3)
    with closing(connect(tmp_path / "index.sqlite")) as conn:
        camera = _Camera(conn, "porch")
        for n in range(20):
            camera.record(n, _timeline(rng, n))
        listed = {m.id: m.score for m in list_moments(conn, MomentFilter())}
        found = find_candidates(conn, CandidateQuery())
        assert {c.moment_id: c.notability for c in found} == listed
        assert [c.notability for c in found] == sorted(listed.values(), reverse=True)


def test_an_index_of_schema_5_is_migrated_to_the_same_scores(tmp_path: Path) -> None:
    rng = random.Random(5)
    db = tmp_path / "old.sqlite"
    raw = sqlite3.connect(db, isolation_level=None)
    for script in MIGRATIONS[:5]:
        raw.executescript(script)
    raw.execute("PRAGMA user_version = 5")
    raw.execute("INSERT INTO cameras (name, created_utc_us) VALUES ('lane', 0)")
    moments: list[tuple[int, Moment]] = []
    for n in range(15):
        status = "done" if n % 5 else "failed"
        cursor = raw.execute("INSERT INTO recordings (camera_id, path, size_bytes, mtime_ns, status, updated_utc_us, "
                             "start_utc_us) VALUES (1, ?, 1, 1, ?, 0, 0)", (f"/lane/{n}.mp4", status))
        for m in _timeline(rng, n):
            moment_id = raw.execute(
                "INSERT INTO moments (recording_id, camera_id, kind, start_s, end_s, start_utc_us, end_utc_us, people, "
                "tracks, description, score) VALUES (?, 1, ?, ?, ?, 0, 0, ?, '[]', '', -1)",
                (cursor.lastrowid, m.kind, m.start_s, m.end_s, m.people)).lastrowid
            raw.executemany(
                "INSERT INTO events (moment_id, kind, start_s, end_s, subjects, facts) VALUES (?, ?, ?, ?, '[]', '{}')",
                [(moment_id, e.kind, e.start_s, e.end_s) for e in m.events])
            if status == "done":
                moments.append((int(moment_id or 0), m))
    raw.close()
    values = scores([ScoreInput(m.kind, m.kinds, m.duration_s, m.people) for _, m in moments])
    expected = {moment_id: value for (moment_id, _), value in zip(moments, values, strict=True)}
    with closing(connect(db)) as conn:
        assert {m.id: m.score for m in list_moments(conn, MomentFilter())} == expected
        assert migrate(conn) == len(MIGRATIONS)


def test_the_weights_frozen_in_migration_6_are_the_weights_of_today() -> None:
    pairs = re.findall(r"\('(\w+)', ([0-9.]+)\)", MIGRATIONS[5])
    assert {kind: float(weight) for kind, weight in pairs} == dict(KIND_WEIGHT)


def test_indexing_real_files_one_by_one_scores_as_a_full_rescore(tmp_path: Path, sample_clip: Path, ffmpeg: str,
                                                                  detector: Detector) -> None:
    first = tmp_path / "hall" / "first.mp4"
    first.parent.mkdir()
    subprocess.run([ffmpeg, "-v", "error", "-i", str(sample_clip), "-t", "70", "-c", "copy", str(first)], check=True)
    db = tmp_path / "index.sqlite"
    for path in (first, sample_clip):
        report = index_paths([path], db_path=db, detector=detector, settings=Settings(), camera="hall")
        assert report.outcomes[0].status == "indexed"
        with closing(connect(db)) as conn:
            assert _scores_read(conn) == _full_rescore(conn)
    rebuild_moments(db, Settings().events)
    with closing(connect(db)) as conn:
        assert _scores_read(conn) == _full_rescore(conn)
        assert len(_scores_read(conn)) > 2


def _scores_read(conn: sqlite3.Connection) -> dict[int, float]:
    return {m.id: m.score for m in list_moments(conn, MomentFilter(camera="hall"))}


def _full_rescore(conn: sqlite3.Connection) -> dict[int, float]:
    """What ``rescore_camera`` wrote before schema 6: every visible moment rescored together."""
    rows = conn.execute(
        """SELECT m.id, m.kind, m.end_s - m.start_s, m.people, (SELECT group_concat(e.kind) FROM events e
                  WHERE e.moment_id = m.id) FROM moments m JOIN recordings r ON r.id = m.recording_id
           WHERE r.status IN ('done', 'damaged')"""
    ).fetchall()
    inputs = [ScoreInput(row[1], tuple((row[4] or row[1]).split(",")), float(row[2]), int(row[3])) for row in rows]
    return {row[0]: value for row, value in zip(rows, scores(inputs), strict=True)}
