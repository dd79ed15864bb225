"""Retention: delete a camera's oldest segments when it is over its limits, never a kept one.

A camera may be limited by age (``days``: segments that started longer ago go) and by size
(``gb``: while its segments take more than that, the oldest go). A segment holding any part of a
moment the owner starred or exported is *kept* (all the files of a moment that spans several):
it is never deleted, though its bytes still count towards the size limit, and it is reported so
the owner knows why a camera stays over its limit. A moment that starts in a deleted segment and
goes on into one that stays is kept in that one, from where it starts (the store re-homes it).

:func:`plan_retention` decides (pure); :func:`enforce_retention` is the thin adapter that lists
the camera's closed segment files (never a ``.part`` file still being written; the files set aside
in ``damaged/`` too, whatever their name, which are never kept), asks the index which are kept,
deletes what the plan says with their index rows and pictures, and removes date folders left empty.
"""

from __future__ import annotations

import contextlib
import logging
import math
import shutil
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path

from footage.errors import ConfigError
from footage.ingest.clock import start_from_path
from footage.live.layout import DAMAGED_FOLDER, PART_SUFFIX, safe_camera_name
from footage.store import live as store_live
from footage.store import timeline as store_timeline
from footage.store.database import cached_copies, thumbnail_dir

__all__ = [
    "BYTES_PER_GB",
    "RetentionParams",
    "RetentionPlan",
    "RetentionReport",
    "SegmentFile",
    "enforce_retention",
    "plan_retention",
]

log = logging.getLogger(__name__)

#: ``gb`` counts decimal gigabytes, as disks are sold
BYTES_PER_GB = 1_000_000_000
#: a moment's cached clip may reach this far (s) beyond the moment (the review page's preroll is seconds)
_CLIP_MARGIN_S = 3600.0

@dataclass(frozen=True)
class RetentionParams:
    """A camera's limits: ``days`` of age and ``gb`` (10^9 bytes) of size; 0 means no limit."""

    days: float = 0.0
    gb: float = 0.0

    def __post_init__(self) -> None:
        for name, value, unit in (("days", self.days, "days"), ("gb", self.gb, "gigabytes")):
            if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or value < 0:
                raise ConfigError(f"retention {name} must be a number of {unit} >= 0 (0 means no limit), not {value!r}")

    @property
    def limited(self) -> bool:
        """Whether either limit is set."""
        return self.days > 0 or self.gb > 0


@dataclass(frozen=True)
class SegmentFile:
    """A segment file as retention sees it; ``kept`` when the owner starred or exported a moment in it."""

    path: Path
    start_utc: datetime
    size_bytes: int
    kept: bool


@dataclass(frozen=True)
class RetentionPlan:
    """What to delete (oldest first), the kept segments that are over a limit yet stay, and the
    bytes left afterwards."""

    delete: tuple[SegmentFile, ...]
    kept_over_limit: tuple[SegmentFile, ...]
    bytes_after: int


def plan_retention(segments: Iterable[SegmentFile], params: RetentionParams, now: datetime) -> RetentionPlan:
    """Delete every unkept segment that started more than ``params.days`` before ``now``; then,
    while the segments left (kept ones included) take more than ``params.gb``, the oldest unkept
    ones. Oldest first (ties by path), so the same segments always give the same plan."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    ordered = sorted(segments, key=lambda s: (s.start_utc, str(s.path)))
    doomed: set[int] = set()
    over: dict[int, SegmentFile] = {}
    cutoff = _cutoff(now, params.days)
    if cutoff is not None:
        for i, segment in enumerate(ordered):
            if segment.start_utc >= cutoff:
                break
            if segment.kept:
                over[i] = segment
            else:
                doomed.add(i)
    total = sum(s.size_bytes for i, s in enumerate(ordered) if i not in doomed)
    if params.gb > 0:
        limit = int(params.gb * BYTES_PER_GB)
        for i, segment in enumerate(ordered):
            if total <= limit:
                break
            if i in doomed:
                continue
            if segment.kept:
                over[i] = segment
            else:
                doomed.add(i)
                total -= segment.size_bytes
    return RetentionPlan(tuple(ordered[i] for i in sorted(doomed)), tuple(over[i] for i in sorted(over)), total)


def _cutoff(now: datetime, days: float) -> datetime | None:
    """Segments that started before this are too old; None without an age limit (or one longer
    than the calendar reaches)."""
    if days <= 0:
        return None
    try:
        return now - timedelta(days=days)
    except OverflowError:
        return None


@dataclass(frozen=True)
class RetentionReport:
    """What :func:`enforce_retention` did: segments deleted and the bytes freed, kept segments
    over a limit, and segments it could not delete (logged)."""

    deleted: int
    freed_bytes: int
    kept_over_limit: int
    failed: int = 0


def enforce_retention(conn: sqlite3.Connection, db_path: Path, root: Path, camera: str, params: RetentionParams,
                      now: datetime, zone: tzinfo) -> RetentionReport:
    """Apply ``params`` to the segments of ``camera`` under ``root`` (named in ``zone``): delete
    the planned files, forget their recordings and remove their pictures from the index at
    ``db_path``, and remove date folders left empty. A file that cannot be deleted is logged and
    skipped; recordings whose files are already gone are left alone."""
    if not params.limited:
        return RetentionReport(0, 0, 0)
    folder = Path(root) / safe_camera_name(camera)
    stored = {_resolved(Path(s.path)): s for s in store_live.camera_segments(conn, camera)}
    files = [_segment_file(path, zone, stored) for path in _segment_paths(folder)]
    plan = plan_retention((f for f in files if f is not None), params, now)
    today = f"{now.astimezone(zone):%Y-%m-%d}"
    deleted = freed = failed = 0
    for segment in plan.delete:
        record = stored.get(_resolved(segment.path))
        try:
            segment.path.unlink()
        except FileNotFoundError:
            continue
        except OSError as exc:
            log.warning("retention: cannot delete %s (%s)", segment.path, exc.strerror or exc)
            failed += 1
            continue
        deleted += 1
        freed += segment.size_bytes
        if record is not None:
            # cached browser copies hold its pictures too: its own, and clips of moments joined across it
            copies = cached_copies(db_path, [record.recording_id],
                                   store_live.moments_around(conn, record.recording_id, _CLIP_MARGIN_S))
            rehomed = store_live.forget_recording(conn, record.recording_id)
            _move_keyframes(conn, thumbnail_dir(db_path), record.recording_id, rehomed)
            shutil.rmtree(thumbnail_dir(db_path) / str(record.recording_id), ignore_errors=True)
            for copy in copies:
                with contextlib.suppress(OSError):  # a cache: what cannot go now is remade or pruned later
                    copy.unlink()
        parent = segment.path.parent
        if parent.parent == folder and parent.name not in (DAMAGED_FOLDER, today):
            _remove_if_empty(parent)
    return RetentionReport(deleted, freed, len(plan.kept_over_limit), failed)


def _move_keyframes(conn: sqlite3.Connection, pictures: Path, recording_id: int,
                    rehomed: Iterable[store_live.Rehomed]) -> None:
    """A moment kept in a later recording keeps its key frame: the picture moves from the deleted
    recording's picture folder (about to go) into the folder of the one it now starts in."""
    folder = _resolved(pictures / str(recording_id))
    for moment in rehomed:
        if moment.keyframe is None or _resolved(Path(moment.keyframe)).parent != folder:
            continue
        target = pictures / str(moment.recording_id) / Path(moment.keyframe).name
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(moment.keyframe, target)
        except OSError:
            store_timeline.set_keyframe(conn, moment.moment_id, None)
            continue
        store_timeline.set_keyframe(conn, moment.moment_id, str(target))


def _segment_paths(folder: Path) -> list[Path]:
    """The closed segments in the camera's date folders (``*.mp4``: never a ``.part`` file, which
    may still be written, nor a ``.repair`` being made) and every file set aside in ``damaged/``
    (:func:`footage.live.repair.salvage` moves a ``.part`` there as it is; nothing writes to it)."""
    if not folder.is_dir():
        return []
    found: list[Path] = []
    for child in sorted(folder.iterdir()):
        if not child.is_dir() or child.name.startswith("."):
            continue
        if child.name == DAMAGED_FOLDER:
            candidates = list(child.iterdir())
        else:
            candidates = [p for p in child.glob("*.mp4") if not p.name.endswith(PART_SUFFIX)]
        found.extend(p for p in candidates if p.is_file() and not p.is_symlink() and not p.name.startswith("."))
    return sorted(found)


def _segment_file(path: Path, zone: tzinfo, stored: dict[Path, store_live.StoredSegment]) -> SegmentFile | None:
    """The file as retention sees it, or None when it vanished while being listed."""
    try:
        stat = path.stat()
    except OSError:
        return None
    start = start_from_path(path, zone) or datetime.fromtimestamp(stat.st_mtime, UTC)
    record = stored.get(_resolved(path))
    kept = record is not None and record.kept and path.parent.name != DAMAGED_FOLDER
    return SegmentFile(path, start, stat.st_size, kept)


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except OSError:
        return path.absolute()


def _remove_if_empty(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not empty (or already gone): nothing to tidy
        folder.rmdir()
