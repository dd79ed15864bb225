"""Retention: the pure plan (age and size limits, kept segments, order), and the adapter on real
segment files laid out as the recorder writes them, indexed into a real SQLite index by the real
indexer, with moments starred or exported through the store."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import closing, contextmanager
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path

import pytest

from footage.config import Settings
from footage.detect import Detector
from footage.errors import ConfigError
from footage.live.layout import partial_path, safe_camera_name, segment_path
from footage.live.retention import (
    BYTES_PER_GB,
    RetentionParams,
    RetentionPlan,
    SegmentFile,
    enforce_retention,
    plan_retention,
)
from footage.pipeline.index import index_paths
from footage.store import live as store_live
from footage.store.database import connect, thumbnail_dir
from footage.store.moments import MomentFilter, list_moments
from support.clips import h264

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)

# ---------------------------------------------------------------- the plan (pure)


def seg(name: str, age: timedelta, size: int = 100, kept: bool = False) -> SegmentFile:
    return SegmentFile(Path(name), NOW - age, size, kept)


def names(segments: tuple[SegmentFile, ...]) -> list[str]:
    return [s.path.name for s in segments]


DAY = timedelta(days=1)
SEGMENTS = [seg("a", 5 * DAY), seg("b", 4 * DAY, kept=True), seg("c", 3 * DAY), seg("d", 2 * DAY), seg("e", DAY / 2)]


def test_params_default_to_no_limits_and_reject_bad_values() -> None:
    params = RetentionParams()
    assert (params.days, params.gb, params.limited) == (0.0, 0.0, False)
    assert isinstance(params.days, float) and isinstance(params.gb, float)
    assert RetentionParams(days=7).limited and RetentionParams(gb=0.5).limited
    for bad in ({"days": -1.0}, {"gb": -0.1}, {"days": float("nan")}, {"gb": float("inf")}, {"days": True}):
        with pytest.raises(ConfigError, match=r"retention (days|gb) must be"):
            RetentionParams(**bad)  # type: ignore[arg-type]


def test_zero_limits_delete_nothing() -> None:
    plan = plan_retention(SEGMENTS, RetentionParams(), NOW)
    assert plan == RetentionPlan((), (), 500)


def test_age_limit_deletes_unkept_segments_that_started_before_it_oldest_first() -> None:
    plan = plan_retention(SEGMENTS, RetentionParams(days=2.5), NOW)
    assert names(plan.delete) == ["a", "c"]
    assert names(plan.kept_over_limit) == ["b"]
    assert plan.bytes_after == 300
    assert names(plan_retention(SEGMENTS, RetentionParams(days=1.0), NOW).delete) == ["a", "c", "d"]
    assert plan_retention(SEGMENTS, RetentionParams(days=10.0), NOW).delete == ()
    assert plan_retention(SEGMENTS, RetentionParams(days=1e12), NOW).delete == ()  # beyond the calendar


def test_size_limit_deletes_oldest_unkept_until_under_it_and_kept_bytes_count() -> None:
    plan = plan_retention(SEGMENTS, RetentionParams(gb=250 / BYTES_PER_GB), NOW)
    assert names(plan.delete) == ["a", "c", "d"]  # b is kept: its 100 bytes count, so d goes too
    assert names(plan.kept_over_limit) == ["b"]
    assert plan.bytes_after == 200
    exact = plan_retention(SEGMENTS, RetentionParams(gb=300 / BYTES_PER_GB), NOW)
    assert (names(exact.delete), names(exact.kept_over_limit), exact.bytes_after) == (["a", "c"], ["b"], 300)
    assert names(exact.delete) == names(plan_retention(SEGMENTS, RetentionParams(gb=399 / BYTES_PER_GB), NOW).delete)


def test_both_limits_age_first_then_size() -> None:
    segments = [*SEGMENTS, seg("f", DAY / 4, size=1000)]
    plan = plan_retention(segments, RetentionParams(days=3.5, gb=1250 / BYTES_PER_GB), NOW)
    assert names(plan.delete) == ["a", "c", "d"]  # a by age; then c, d by size
    assert names(plan.kept_over_limit) == ["b"]
    assert plan.bytes_after == 1200


def test_kept_segments_are_never_deleted_even_when_the_limit_cannot_be_met() -> None:
    kept = [seg(n, (i + 2) * DAY, size=400, kept=True) for i, n in enumerate("xyz")]
    plan = plan_retention(kept, RetentionParams(days=1.0, gb=100 / BYTES_PER_GB), NOW)
    assert plan.delete == ()
    assert names(plan.kept_over_limit) == ["z", "y", "x"]  # oldest first, each once
    assert plan.bytes_after == 1200


def test_plan_is_deterministic_whatever_the_input_order() -> None:
    tied = [seg("t2", 3 * DAY), seg("t1", 3 * DAY), *SEGMENTS]
    expected = plan_retention(tied, RetentionParams(gb=350 / BYTES_PER_GB), NOW)
    assert names(expected.delete) == ["a", "c", "t1", "t2"]  # c, t1 and t2 started together: by path
    rng = random.Random(3)
    for _ in range(5):
        shuffled = tied[:]
        rng.shuffle(shuffled)
        assert plan_retention(iter(shuffled), RetentionParams(gb=350 / BYTES_PER_GB), NOW) == expected


def test_plan_needs_an_aware_now() -> None:
    with pytest.raises(ValueError, match="aware"):
        plan_retention(SEGMENTS, RetentionParams(days=1.0), NOW.replace(tzinfo=None))


# ---------------------------------------------------------------- the adapter (real files, real index)

CAMERA = "front door"
SETTINGS = Settings(timezone="Europe/Berlin")


@pytest.fixture(scope="module")
def pieces(tmp_path_factory: pytest.TempPathFactory, ffmpeg: str, sample_clip: Path) -> dict[int, Path]:
    """Small, distinct H.264 pieces of the sample clip by start offset (s); each has one person
    track, and those at 20 and 40 s give a moment."""
    folder = tmp_path_factory.mktemp("pieces")
    made = {}
    for offset in (0, 20, 40, 60, 100):
        out = folder / f"piece_{offset}.mp4"
        subprocess.run([ffmpeg, "-v", "error", "-y", "-ss", str(offset), "-i", str(sample_clip), "-an",
                        "-vf", "scale=320:-2", *h264(8, gop=25), str(out)], check=True)
        made[offset] = out
    return made


def lay_out(root: Path, piece: Path, age: timedelta, zone: tzinfo) -> Path:
    target = segment_path(root, CAMERA, NOW - age, zone)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(piece, target)
    return target


def index(db: Path, paths: list[Path], detector: Detector) -> dict[Path, store_live.StoredSegment]:
    report = index_paths(paths, db_path=db, detector=detector, settings=SETTINGS, camera=CAMERA)
    assert [o.status for o in report.outcomes] == ["indexed"] * len(paths), report
    with closing(connect(db)) as conn:
        return {Path(s.path): s for s in store_live.camera_segments(conn, CAMERA)}


def moment_of(db: Path, path: Path) -> int:
    with closing(connect(db)) as conn:
        found = [m.id for m in list_moments(conn, MomentFilter(camera=CAMERA)) if Path(m.recording) == path.resolve()]
    assert found, f"the sample clip piece {path.name} gave no moment"
    return found[0]


def test_age_limit_deletes_old_segments_with_their_rows_and_pictures_and_keeps_starred_and_exported(
        tmp_path: Path, pieces: dict[int, Path], detector: Detector) -> None:
    zone = SETTINGS.zone()
    root, db = tmp_path / "recordings", tmp_path / "index" / "index.sqlite"
    exported = lay_out(root, pieces[20], 4 * DAY, zone)
    starred = lay_out(root, pieces[40], 3 * DAY, zone)
    old = lay_out(root, pieces[0], 2 * DAY, zone)                      # alone in its date folder
    recent = lay_out(root, pieces[60], timedelta(minutes=10), zone)
    stored = index(db, [exported, starred, old, recent], detector)
    assert all((thumbnail_dir(db) / str(s.recording_id)).is_dir() for s in stored.values())
    damaged = root / safe_camera_name(CAMERA) / "damaged" / partial_path(segment_path(root, CAMERA, NOW - 5 * DAY, zone)).name
    damaged.parent.mkdir()
    shutil.copy(pieces[100], damaged)  # set aside as repair does: under its .part name, never written again
    writing_old = partial_path(segment_path(root, CAMERA, NOW - 6 * DAY, zone))
    writing_old.parent.mkdir(parents=True)
    writing_old.write_bytes(b"\0" * 1000)
    writing_now = partial_path(segment_path(root, CAMERA, NOW - timedelta(minutes=1), zone))
    writing_now.write_bytes(b"\0" * 1000)
    freed = old.stat().st_size + damaged.stat().st_size
    with closing(connect(db)) as conn:
        assert store_live.set_starred(conn, moment_of(db, starred), True)
        store_live.mark_exported(conn, [moment_of(db, exported)], NOW - DAY)

        report = enforce_retention(conn, db, root, CAMERA, RetentionParams(days=1.0), NOW, zone)

        assert (report.deleted, report.freed_bytes, report.kept_over_limit, report.failed) == (2, freed, 2, 0)
        assert not old.exists() and not old.parent.exists() and not damaged.exists()
        assert exported.exists() and starred.exists() and recent.exists()
        assert writing_old.exists() and writing_now.exists()
        left = {Path(s.path) for s in store_live.camera_segments(conn, CAMERA)}
        assert left == {p.resolve() for p in (exported, starred, recent)}
        assert not (thumbnail_dir(db) / str(stored[old.resolve()].recording_id)).exists()
        assert all((thumbnail_dir(db) / str(stored[p.resolve()].recording_id)).is_dir() for p in (exported, starred, recent))
        assert moment_of(db, starred) and moment_of(db, exported)  # their moments are still there

        again = enforce_retention(conn, db, root, CAMERA, RetentionParams(days=1.0), NOW, zone)
        assert (again.deleted, again.freed_bytes, again.kept_over_limit) == (0, 0, 2)


def test_size_limit_deletes_the_oldest_unkept_segment_and_leaves_missing_files_to_others(
        tmp_path: Path, pieces: dict[int, Path], detector: Detector) -> None:
    zone = SETTINGS.zone()
    root, db = tmp_path / "recordings", tmp_path / "index.sqlite"
    starred = lay_out(root, pieces[20], timedelta(hours=3), zone)
    oldest_unkept = lay_out(root, pieces[0], timedelta(hours=2), zone)
    middle = lay_out(root, pieces[60], timedelta(hours=1), zone)
    newest = lay_out(root, pieces[100], timedelta(minutes=5), zone)
    vanished = lay_out(root, pieces[40], timedelta(hours=4), zone)
    stored = index(db, [starred, oldest_unkept, middle, newest, vanished], detector)
    vanished.unlink()
    writing = partial_path(segment_path(root, CAMERA, NOW - timedelta(minutes=1), zone))
    writing.write_bytes(b"\0" * 10_000_000)  # big, but still being written: neither counted nor touched
    sizes = {p: p.stat().st_size for p in (starred, oldest_unkept, middle, newest)}
    limit = sizes[starred] + sizes[middle] + sizes[newest] + min(sizes.values()) // 2
    with closing(connect(db)) as conn:
        assert store_live.set_starred(conn, moment_of(db, starred), True)

        report = enforce_retention(conn, db, root, CAMERA, RetentionParams(gb=limit / BYTES_PER_GB), NOW, zone)

        assert (report.deleted, report.freed_bytes, report.kept_over_limit) == (1, sizes[oldest_unkept], 1)
        assert not oldest_unkept.exists() and starred.exists() and middle.exists() and newest.exists() and writing.exists()
        left = {Path(s.path) for s in store_live.camera_segments(conn, CAMERA)}
        assert left == {p.resolve() for p in (starred, middle, newest, vanished)}  # the vanished file's row is not ours
        assert not (thumbnail_dir(db) / str(stored[oldest_unkept.resolve()].recording_id)).exists()


def test_no_limits_or_no_folder_touch_nothing(tmp_path: Path, pieces: dict[int, Path]) -> None:
    zone = SETTINGS.zone()
    root, db = tmp_path / "recordings", tmp_path / "index.sqlite"
    old = lay_out(root, pieces[0], 400 * DAY, zone)
    with closing(connect(db)) as conn:
        assert enforce_retention(conn, db, root, CAMERA, RetentionParams(), NOW, zone).deleted == 0
        assert enforce_retention(conn, db, root, "another camera", RetentionParams(days=1.0), NOW, zone).deleted == 0
    assert old.exists()


def test_unindexed_segments_go_too_and_only_past_date_folders_left_empty_are_removed(
        tmp_path: Path, pieces: dict[int, Path]) -> None:
    zone = SETTINGS.zone()
    root, db = tmp_path / "recordings", tmp_path / "index.sqlite"
    yesterday = lay_out(root, pieces[0], DAY, zone)
    today = lay_out(root, pieces[20], timedelta(minutes=30), zone)
    with closing(connect(db)) as conn:
        report = enforce_retention(conn, db, root, CAMERA, RetentionParams(gb=1 / BYTES_PER_GB), NOW, zone)
    assert (report.deleted, report.kept_over_limit) == (2, 0)
    assert not yesterday.exists() and not yesterday.parent.exists()
    assert not today.exists() and today.parent.is_dir()  # the recorder may be about to write into it


@contextmanager
def undeletable(path: Path) -> Iterator[None]:
    """Make ``path`` impossible to delete: immutable (root) or its folder read-only (others)."""
    if os.geteuid() == 0:
        chattr = shutil.which("chattr")
        if chattr is None or subprocess.run([chattr, "+i", str(path)], capture_output=True).returncode != 0:
            pytest.skip("running as root without a working chattr: cannot make a file undeletable")
        try:
            yield
        finally:
            subprocess.run([chattr, "-i", str(path)], check=True)
    else:
        path.parent.chmod(0o555)
        try:
            yield
        finally:
            path.parent.chmod(0o755)


def test_a_file_that_cannot_be_deleted_is_logged_and_skipped(
        tmp_path: Path, pieces: dict[int, Path], caplog: pytest.LogCaptureFixture) -> None:
    zone = SETTINGS.zone()
    root, db = tmp_path / "recordings", tmp_path / "index.sqlite"
    stuck = lay_out(root, pieces[0], 3 * DAY, zone)
    gone = lay_out(root, pieces[20], 2 * DAY, zone)
    freed = gone.stat().st_size
    with undeletable(stuck), closing(connect(db)) as conn:
        report = enforce_retention(conn, db, root, CAMERA, RetentionParams(days=1.0), NOW, zone)
        assert (report.deleted, report.failed, report.freed_bytes) == (1, 1, freed)
        assert stuck.exists() and not gone.exists()
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert len(warnings) == 1 and warnings[0].startswith(f"retention: cannot delete {stuck} (")
