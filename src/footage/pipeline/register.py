"""Register recordings before they are analysed: probe each file once (its duration feeds the
progress bar, its stream information the index), then, just before its analysis, decide whether
it needs any (already indexed, a copy of an indexed file) and enter it as ``indexing``.

Registering as late as possible matters: a copy is recognised only once the file it copies is
visible, so files indexed one after the other in this process find the copies among them.
"""

from __future__ import annotations

import os
import sqlite3
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from footage.config import Settings
from footage.errors import MediaError
from footage.ingest.clock import wall_clock_start
from footage.ingest.fingerprint import fingerprint
from footage.ingest.source import PyAVSource
from footage.pipeline.outcome import FileOutcome
from footage.store import queries, timeline
from footage.store.timeline import TRUSTED_CLOCKS
from footage.time import WallClock
from footage.types import RecordingInfo

__all__ = ["Probe", "Registered", "probe_recording", "register_recording"]


@dataclass(frozen=True)
class Probe:
    """A file opened once: its stat, and its stream information or why it cannot be read."""

    path: Path
    camera: str
    camera_id: int
    stat: os.stat_result
    info: RecordingInfo | None
    problem: str | None = None

    @property
    def duration_s(self) -> float:
        return self.info.duration_s if self.info is not None else 0.0


@dataclass(frozen=True)
class Registered:
    """A recording registered as ``indexing``, ready for its chunks to be analysed."""

    path: Path
    camera: str
    camera_id: int
    recording_id: int
    clock: WallClock
    duration_s: float
    started: float
    #: frame height in pixels (0: not known)
    height: int = 0


def probe_recording(path: Path, *, conn: sqlite3.Connection, settings: Settings, camera: str) -> Probe | FileOutcome:
    """Open ``path`` once for its stream information, or say why it needs no indexing (already
    indexed, unchanged) or cannot be read at all."""
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
        with PyAVSource(path, settings.ingest) as source:
            info = source.info
    except MediaError as exc:
        return Probe(path, camera, camera_id, stat, None, exc.reason)
    return Probe(path, camera, camera_id, stat, info)


def register_recording(probe: Probe, *, conn: sqlite3.Connection, settings: Settings,
                       user_start: datetime | None) -> Registered | FileOutcome:
    """Enter a probed file as ``indexing``, or say why not: a copy of an indexed file, unreadable,
    not a video (remembered as failed, so ``footage status`` lists it)."""
    started = time.perf_counter()
    path, stat = probe.path, probe.stat
    try:
        content_hash = fingerprint(path)
    except OSError as exc:
        return _unreadable(path, exc)
    copy = queries.find_indexed_copy(conn, content_hash)
    if copy is not None and copy.path != str(path):
        return FileOutcome(str(path), "skipped", f"same content as {copy.path}, already indexed")
    info = probe.info
    if info is None:
        reason = probe.problem or "not a video"
        queries.record_failure(conn, camera_id=probe.camera_id, path=str(path), size_bytes=stat.st_size,
                               mtime_ns=stat.st_mtime_ns, content_hash=content_hash, error=reason)
        return FileOutcome(str(path), "failed", reason)
    start_utc, clock_source = wall_clock_start(
        path, user_start=user_start, creation_time=info.creation_utc, mtime_s=stat.st_mtime,
        duration_s=info.duration_s, zone=settings.zone(), now=datetime.now(UTC),
    )
    clock = WallClock(start_utc, 0, info.time_base, clock_source)
    clash = _overlap(conn, probe, clock, settings)
    if clash is not None:
        queries.record_failure(conn, camera_id=probe.camera_id, path=str(path), size_bytes=stat.st_size,
                               mtime_ns=stat.st_mtime_ns, content_hash=content_hash, error=clash)
        return FileOutcome(str(path), "failed", clash)
    recording_id = queries.begin_recording(
        conn, camera_id=probe.camera_id, info=info, mtime_ns=stat.st_mtime_ns, content_hash=content_hash,
        clock=clock, settings=settings.as_dict(),
    )
    return Registered(path, probe.camera, probe.camera_id, recording_id, clock, info.duration_s, started, info.height)


def _overlap(conn: sqlite3.Connection, probe: Probe, clock: WallClock, settings: Settings) -> str | None:
    """Why a file must not join its camera's timeline: it overlaps an indexed recording of the
    camera in time by more than ``timeline.overlap_s`` (a clock that jumped, or the same footage
    copied under another name). Only clocks that can be trusted are compared."""
    if clock.source not in TRUSTED_CLOCKS or probe.info is None or probe.info.duration_s <= 0:
        return None
    start_us = clock.us_at_seconds(0.0)
    end_us = clock.us_at_seconds(probe.info.duration_s)
    other = timeline.overlapping(conn, probe.camera_id, start_us, end_us, path=str(probe.path))
    if other is None:
        return None
    shared_s = (min(end_us, other.end_us) - max(start_us, other.start_us)) / 1e6
    if shared_s <= settings.timeline.overlap_s:
        return None
    return (f"overlaps {Path(other.path).name} by {shared_s:.1f} s of camera {probe.camera}'s time "
            "(a clock jump, or the same footage twice): not indexed")


def _unreadable(path: Path, exc: OSError) -> FileOutcome:
    return FileOutcome(str(path), "failed", f"cannot read it ({exc.strerror or exc})")
