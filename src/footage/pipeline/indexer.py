"""Index recordings: file -> sampled frames -> detections -> tracks -> moments -> the index.

This module wires the stages together and owns the bookkeeping that makes indexing safe to
interrupt: a recording is registered as ``indexing`` before work starts and becomes visible only
when all its tracks are written in one transaction.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from footage.config import Settings
from footage.detect import load_detector
from footage.detect.base import Detector
from footage.errors import FootageError, MediaError
from footage.events import Span
from footage.events.score import scores
from footage.ingest.clock import wall_clock_start
from footage.ingest.discover import discover
from footage.ingest.fingerprint import fingerprint
from footage.ingest.source import PyAVSource
from footage.pipeline.analyse import ChunkResult, analyse_chunk, whole
from footage.pipeline.moments import find_moments, trajectory
from footage.pipeline.progress import NullProgress, Progress
from footage.scale.executors import Executor
from footage.scale.stitch import stitch
from footage.store import queries
from footage.store.database import connect, thumbnail_dir
from footage.store.moments import rescore_camera
from footage.store.thumbnails import write_thumbnail
from footage.time import WallClock
from footage.track.recorder import FinishedTrack

__all__ = [
    "FileOutcome", "IndexReport", "Prepared", "Spread", "index_paths", "index_recording", "prepare_recording", "store_recording",
]

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
class Spread:
    """Index in chunks of about ``chunk_s`` seconds (overlapping by ``overlap_s``, so no track
    is cut) on ``executor`` (worker processes or a Ray cluster)."""

    executor: Executor
    chunk_s: float = 600.0
    overlap_s: float = 5.0


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
    detector: Detector | None,
    settings: Settings,
    camera: str | None = None,
    user_start: datetime | None = None,
    progress: Progress | None = None,
    spread: Spread | None = None,
) -> IndexReport:
    """Index every recording under ``paths`` into the index at ``db_path``: in this process with
    ``detector`` (loaded from ``settings`` when None), or, with ``spread``, in chunks on its
    executor (worker processes or a Ray cluster)."""
    progress = progress or NullProgress()
    conn = connect(db_path)
    try:
        found = list(discover(paths))
        outcomes: list[FileOutcome] = []
        durations = {d.path: _quick_duration(d.path) for d in found if d.problem is None}
        progress.start_batch(sum(durations.values()), len(found))
        if spread is not None:
            from footage.scale.batch import index_batch

            outcomes = index_batch(found, conn=conn, settings=settings, camera_of=lambda p: _camera_name(p, camera),
                                   user_start=user_start, thumbnails=thumbnail_dir(db_path), executor=spread.executor,
                                   progress=progress, chunk_s=spread.chunk_s, overlap_s=spread.overlap_s)
            progress.end_batch()
            return IndexReport(tuple(outcomes))
        detector = detector or load_detector(settings.detect)
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


@dataclass(frozen=True)
class Prepared:
    """A recording registered as ``indexing``, ready for its chunks to be analysed."""

    path: Path
    camera: str
    camera_id: int
    recording_id: int
    clock: WallClock
    duration_s: float
    started: float


def prepare_recording(path: Path, *, conn: sqlite3.Connection, settings: Settings, camera: str,
                      user_start: datetime | None) -> Prepared | FileOutcome:
    """Register ``path`` for indexing, or say why it needs none (already indexed, a copy of an
    indexed file) or cannot be (unreadable, not a video)."""
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
        with PyAVSource(path, settings.ingest) as source:
            info = source.info
    except MediaError as exc:
        queries.record_failure(conn, camera_id=camera_id, path=str(path), size_bytes=stat.st_size,
                               mtime_ns=stat.st_mtime_ns, content_hash=content_hash, error=exc.reason)
        return FileOutcome(str(path), "failed", exc.reason)
    start_utc, clock_source = wall_clock_start(
        path, user_start=user_start, creation_time=info.creation_utc, mtime_s=stat.st_mtime,
        duration_s=info.duration_s, zone=settings.zone(), now=datetime.now(UTC),
    )
    clock = WallClock(start_utc, 0, info.time_base, clock_source)
    recording_id = queries.begin_recording(
        conn, camera_id=camera_id, info=info, mtime_ns=stat.st_mtime_ns, content_hash=content_hash,
        clock=clock, settings=settings.as_dict(),
    )
    return Prepared(path, camera, camera_id, recording_id, clock, info.duration_s, started)


def store_recording(conn: sqlite3.Connection, prepared: Prepared, results: Sequence[ChunkResult], settings: Settings,
                    thumbnails: Path) -> FileOutcome:
    """Stitch the analysed chunks of a recording (in order) and write its tracks, pictures and
    moments in one transaction; the recording becomes visible."""
    results = sorted(results, key=lambda r: r.chunk.index)
    looks = {r.chunk.index: r.last_sample_s for r in results if r.last_sample_s is not None}
    finished = list(results[0].tracks) if len(results) == 1 else stitch([(r.chunk, r.tracks) for r in results], last_looks=looks)
    damage = next((r.damage for r in results if r.damage is not None), None)
    firsts = [r.first_s for r in results if r.first_s is not None]
    span = Span(min(firsts) if firsts else 0.0, max(r.last_s for r in results))
    folder = thumbnails / str(prepared.recording_id)
    stored = [_store_track(f, prepared.clock, folder) for f in finished]
    found = [trajectory(t.track_id, t.label, t.boxes, t.last_pts, t.time_base) for t in (f.track for f in finished)]
    moments = find_moments(prepared.path, found, span, prepared.clock, settings.events, folder)
    status = "done" if damage is None else "damaged"
    queries.finish_recording(conn, prepared.recording_id, camera_id=prepared.camera_id, tracks=stored, status=status,
                             error=damage, first_s=span.start_s, indexed_s=span.end_s, moments=moments)
    rescore_camera(conn, prepared.camera_id, scores)
    return FileOutcome(str(prepared.path), "indexed" if damage is None else "damaged", damage, len(stored), len(moments),
                       span.end_s, time.perf_counter() - prepared.started)


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
    """Index one file in this process. Never raises for a bad file: the outcome says what went wrong."""
    progress = progress or NullProgress()
    prepared = prepare_recording(path, conn=conn, settings=settings, camera=camera, user_start=user_start)
    if isinstance(prepared, FileOutcome):
        return prepared
    try:
        result = analyse_chunk(prepared.path, whole(), settings, detector, on_progress=progress.advance)
    except KeyboardInterrupt:
        queries.set_status(conn, prepared.recording_id, "interrupted", "stopped by the user")
        raise
    except MediaError as exc:
        queries.set_status(conn, prepared.recording_id, "failed", exc.reason)
        return FileOutcome(str(prepared.path), "failed", exc.reason)
    return store_recording(conn, prepared, [result], settings, thumbnails)


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
