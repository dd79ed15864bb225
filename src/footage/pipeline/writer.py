"""The index writer's part of indexing: stitch the analysed chunks of a recording (in order) and
write its tracks, pictures and moments in one transaction, so a recording is either complete in
the index or not visible at all. Moment scores need no pass over the camera afterwards: the store
keeps the counts that rarity is made of (:mod:`footage.store.moments`)."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Sequence
from pathlib import Path

from footage.config import Settings
from footage.pipeline.analyse import ChunkResult
from footage.pipeline.moments import find_moments
from footage.pipeline.outcome import FileOutcome
from footage.pipeline.register import Registered
from footage.scale.stitch import stitch
from footage.store import queries
from footage.store.records import IndexedTrack
from footage.store.thumbnails import write_thumbnail
from footage.time import WallClock
from footage.track.recorder import FinishedTrack
from footage.types import Span

__all__ = ["write_recording"]


def write_recording(conn: sqlite3.Connection, recording: Registered, results: Sequence[ChunkResult], settings: Settings,
                    thumbnails: Path) -> FileOutcome:
    """Store the analysed chunks of ``recording``; it becomes visible (``done``, or ``damaged``
    when decoding broke off part-way)."""
    results = sorted(results, key=lambda r: r.chunk.index)
    looks = {r.chunk.index: r.last_sample_s for r in results if r.last_sample_s is not None}
    finished = list(results[0].tracks) if len(results) == 1 else stitch([(r.chunk, r.tracks) for r in results], last_looks=looks)
    damage = next((r.damage for r in results if r.damage is not None), None)
    firsts = [r.first_s for r in results if r.first_s is not None]
    span = Span(min(firsts) if firsts else 0.0, max(r.last_s for r in results))
    folder = thumbnails / str(recording.recording_id)
    stored = [_store_track(f, recording.clock, folder) for f in finished]
    found = [f.track for f in finished]
    moments = find_moments(recording.path, found, span, recording.clock, settings.events, folder)
    status = "done" if damage is None else "damaged"
    queries.finish_recording(conn, recording.recording_id, camera_id=recording.camera_id, tracks=stored, status=status,
                             error=damage, first_s=span.start_s, indexed_s=span.end_s, moments=moments)
    return FileOutcome(str(recording.path), "indexed" if damage is None else "damaged", damage, len(stored), len(moments),
                       span.end_s, time.perf_counter() - recording.started)


def _store_track(finished: FinishedTrack, clock: WallClock, folder: Path) -> IndexedTrack:
    track = finished.track
    thumbnail = None
    if finished.thumbnail is not None:
        target = folder / f"{track.track_id}.jpg"
        write_thumbnail(finished.thumbnail, target)
        thumbnail = str(target)
    return IndexedTrack(track, clock.us_at(track.first_pts), clock.us_at(track.last_pts), finished.confidence, thumbnail)
