"""Index recordings: file -> sampled frames -> detections -> tracks -> moments -> the index.

This module wires the stages together and owns the bookkeeping that makes indexing safe to
interrupt: a recording is registered as ``indexing`` before work starts and becomes visible only
when all its tracks are written in one transaction.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from footage.config import Settings
from footage.detect.base import Detector
from footage.errors import FootageError, MediaError
from footage.events import Span
from footage.events.score import scores
from footage.ingest.clock import wall_clock_start
from footage.ingest.discover import discover
from footage.ingest.fingerprint import fingerprint
from footage.ingest.pyav_source import PyAVSource
from footage.pipeline.moments import find_moments, trajectory
from footage.pipeline.ordered import detect_in_order
from footage.pipeline.prefetch import prefetch
from footage.pipeline.progress import NullProgress, Progress
from footage.store import queries
from footage.store.database import connect, thumbnail_dir
from footage.store.moments import rescore_camera
from footage.store.thumbnails import write_thumbnail
from footage.time import WallClock
from footage.track.bytetrack import ByteTracker
from footage.track.recorder import FinishedTrack, TrackRecorder

__all__ = ["FileOutcome", "IndexReport", "index_paths", "index_recording"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FileOutcome:
    """What happened to one path: ``status`` is ``indexed``, ``skipped`` (already in the index),
    ``damaged`` (indexed up to a fault), or ``failed``; ``reason`` says why for the last three."""

    path: str
    status: str
    reason: str | None = None
    tracks: int = 0
    moments: int = 0
    media_s: float = 0.0
    wall_s: float = 0.0

    @property
    def speed(self) -> float:
        """Seconds of video per wall-clock second."""
        return self.media_s / self.wall_s if self.wall_s > 0 else 0.0


@dataclass(frozen=True)
class IndexReport:
    outcomes: tuple[FileOutcome, ...]

    @property
    def problems(self) -> tuple[FileOutcome, ...]:
        return tuple(o for o in self.outcomes if o.status in ("failed", "damaged"))


def _camera_name(path: Path, camera: str | None) -> str:
    """The camera a file belongs to: as given, else the name of its folder."""
    return camera or path.parent.name or "camera"


def index_paths(
    paths: Iterable[Path | str],
    *,
    db_path: Path,
    detector: Detector,
    settings: Settings,
    camera: str | None = None,
    user_start: datetime | None = None,
    progress: Progress | None = None,
) -> IndexReport:
    """Index every recording under ``paths`` into the index at ``db_path``."""
    progress = progress or NullProgress()
    conn = connect(db_path)
    try:
        found = list(discover(paths))
        outcomes: list[FileOutcome] = []
        durations = {d.path: _quick_duration(d.path) for d in found if d.problem is None}
        progress.start_batch(sum(durations.values()), len(found))
        for item in found:
            if item.problem is not None:
                outcome = FileOutcome(str(item.path), "failed", item.problem)
            else:
                progress.start_file(item.path.name, durations[item.path])
                outcome = index_recording(
                    item.path, conn=conn, detector=detector, settings=settings,
                    camera=_camera_name(item.path, camera), user_start=user_start,
                    thumbnails=thumbnail_dir(db_path), progress=progress,
                )
                progress.end_file()
            outcomes.append(outcome)
        progress.end_batch()
        return IndexReport(tuple(outcomes))
    finally:
        conn.close()


def _quick_duration(path: Path) -> float:
    try:
        with PyAVSource(path) as source:
            return source.info.duration_s
    except FootageError:
        return 0.0


def index_recording(
    path: Path,
    *,
    conn: sqlite3.Connection,
    detector: Detector,
    settings: Settings,
    camera: str,
    user_start: datetime | None,
    thumbnails: Path,
    progress: Progress | None = None,
) -> FileOutcome:
    """Index one file. Never raises for a bad file: the outcome says what went wrong."""
    progress = progress or NullProgress()
    started = time.perf_counter()
    path = Path(path).resolve()
    camera_id = queries.ensure_camera(conn, camera)
    try:
        stat = path.stat()
    except OSError as exc:
        return _unreadable(path, exc)
    existing = queries.find_recording(conn, str(path))
    if (
        existing is not None
        and existing.status in queries.VISIBLE
        and existing.size_bytes == stat.st_size
        and existing.mtime_ns == stat.st_mtime_ns
    ):
        return FileOutcome(str(path), "skipped", "already indexed")
    try:
        content_hash = fingerprint(path)
    except OSError as exc:
        return _unreadable(path, exc)
    copy = queries.find_indexed_copy(conn, content_hash)
    if copy is not None and copy.path != str(path):
        return FileOutcome(str(path), "skipped", f"same content as {copy.path}, already indexed")

    try:
        source = PyAVSource(path, settings.ingest)
    except MediaError as exc:
        queries.record_failure(conn, camera_id=camera_id, path=str(path), size_bytes=stat.st_size,
                               mtime_ns=stat.st_mtime_ns, content_hash=content_hash, error=exc.reason)
        return FileOutcome(str(path), "failed", exc.reason)

    with source:
        info = source.info
        start_utc, clock_source = wall_clock_start(
            path, user_start=user_start, creation_time=info.creation_utc, mtime_s=stat.st_mtime,
            duration_s=info.duration_s, zone=settings.zone(), now=datetime.now(UTC),
        )
        clock = WallClock(start_utc, 0, info.time_base, clock_source)
        recording_id = queries.begin_recording(
            conn, camera_id=camera_id, info=info, mtime_ns=stat.st_mtime_ns, content_hash=content_hash,
            clock=clock, settings=settings.as_dict(),
        )
        tracker = ByteTracker(settings.track, step_s=1.0 / settings.ingest.detect_fps)
        recorder = TrackRecorder(detector.class_names, info.time_base,
                                 min_confidence=settings.keep.min_track_confidence,
                                 min_boxes=settings.keep.min_track_boxes)
        status, reason = "done", None
        first_s: float | None = None
        try:
            samples = prefetch(source.samples())
            for sample, detections in detect_in_order(samples, detector.detect, workers=settings.detect.workers):
                first_s = sample.time_s if first_s is None else first_s
                if sample.frame is None or detections is None:  # the scene is unchanged
                    tracker.hold(sample.time_s)
                    recorder.still_present(tracker.visible_ids(), sample.pts)
                else:
                    recorder.add(sample.frame, tracker.update(detections, sample.time_s))
                progress.advance(sample.time_s)
        except MediaError as exc:
            status, reason = "damaged", exc.reason
        except KeyboardInterrupt:
            queries.set_status(conn, recording_id, "interrupted", "stopped by the user")
            raise
        tracker.finish()
        finished = recorder.finish()
        folder = thumbnails / str(recording_id)
        stored = [_store_track(f, clock, folder) for f in finished]
        span = Span(first_s or 0.0, source.stats.last_time_s)
        found = [trajectory(t.track_id, t.label, t.boxes, t.last_pts, t.time_base) for t in (f.track for f in finished)]
        moments = find_moments(path, found, span, clock, settings.events, folder)
        queries.finish_recording(conn, recording_id, camera_id=camera_id, tracks=stored, status=status,
                                 error=reason, first_s=span.start_s, indexed_s=span.end_s, moments=moments)
        rescore_camera(conn, camera_id, scores)
        log.info("%s: %s", path, source.stats)
    return FileOutcome(str(path), "indexed" if status == "done" else status, reason, len(stored), len(moments),
                       source.stats.last_time_s, time.perf_counter() - started)


def _unreadable(path: Path, exc: OSError) -> FileOutcome:
    return FileOutcome(str(path), "failed", f"cannot read it ({exc.strerror or exc})")


def _store_track(finished: FinishedTrack, clock: WallClock, folder: Path) -> queries.StoredTrack:
    track = finished.track
    thumbnail = None
    if finished.thumbnail is not None:
        target = folder / f"{track.track_id}.jpg"
        write_thumbnail(finished.thumbnail, target)
        thumbnail = str(target)
    return queries.StoredTrack(track, clock.us_at(track.first_pts), clock.us_at(track.last_pts),
                               finished.confidence, thumbnail)
