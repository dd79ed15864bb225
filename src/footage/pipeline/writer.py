"""The index writer's part of indexing: stitch the analysed chunks of a recording (in order) and
write its tracks and pictures, link it into its camera's timeline and find the moments it
changes, all in one transaction, so a recording is either complete in the index or not visible
at all. Moment scores need no pass over the camera afterwards: the store
keeps the counts that rarity is made of (:mod:`footage.store.moments`)."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from footage.config import Settings
from footage.people.gestures import gestures_of
from footage.people.ground import Ground, learn_ground
from footage.people.spans import majority_colour, posture_spans
from footage.pipeline.analyse import ChunkResult
from footage.pipeline.outcome import FileOutcome
from footage.pipeline.register import Registered
from footage.pipeline.timeline import continue_timeline
from footage.scale.stitch import stitch
from footage.store import queries
from footage.store.database import transaction
from footage.store.records import IndexedTrack
from footage.store.thumbnails import write_thumbnail
from footage.time import WallClock
from footage.track.recorder import FinishedTrack
from footage.types import Appearance, Gesture, Span

__all__ = ["write_recording"]


def write_recording(conn: sqlite3.Connection, recording: Registered, results: Sequence[ChunkResult], settings: Settings,
                    thumbnails: Path, *, live: bool = False) -> FileOutcome:
    """Store the analysed chunks of ``recording`` and carry its camera's timeline on over it
    (:mod:`footage.pipeline.timeline`); it becomes visible (``done``, or ``damaged`` when
    decoding broke off part-way) with the moments it changes. ``live``: it is a camera's
    latest segment, so moments going on at its end are ongoing."""
    results = sorted(results, key=lambda r: r.chunk.index)
    looks = {r.chunk.index: r.last_sample_s for r in results if r.last_sample_s is not None}
    finished = list(results[0].tracks) if len(results) == 1 else stitch([(r.chunk, r.tracks) for r in results], last_looks=looks)
    damage = next((r.damage for r in results if r.damage is not None), None)
    firsts = [r.first_s for r in results if r.first_s is not None]
    span = Span(min(firsts) if firsts else 0.0, max(r.last_s for r in results))
    folder = thumbnails / str(recording.recording_id)
    ground = learn_ground([f.track for f in finished], recording.height)
    posed = {f.track.track_id: f.poses for f in finished if f.poses}
    gestures = gestures_of(posed, finished[0].track.time_base) if posed else {}
    stored = [_store_track(f, recording.clock, folder, ground, gestures.get(f.track.track_id, ())) for f in finished]
    status = "done" if damage is None else "damaged"
    end_s = span.end_s if damage is not None or recording.duration_s <= 0 else max(span.end_s, recording.duration_s)
    with transaction(conn):
        queries.store_recording(conn, recording.recording_id, camera_id=recording.camera_id, tracks=stored, status=status,
                                error=damage, first_s=span.start_s, indexed_s=span.end_s,
                                end_utc_us=recording.clock.us_at_seconds(end_s))
        began = time.perf_counter()
        change = continue_timeline(conn, recording.recording_id, settings, thumbnails, live=live)
        timeline_s = time.perf_counter() - began
    return FileOutcome(str(recording.path), "indexed" if damage is None else "damaged", damage, len(stored), change.touching,
                       span.end_s, time.perf_counter() - recording.started, change.started, change.ended, change.linked,
                       timeline_s)


def _store_track(finished: FinishedTrack, clock: WallClock, folder: Path, ground: Ground | None,
                 gestures: tuple[Gesture, ...]) -> IndexedTrack:
    track = finished.track
    thumbnail = None
    if finished.thumbnail is not None:
        target = folder / f"{track.track_id}.jpg"
        write_thumbnail(finished.thumbnail, target)
        thumbnail = str(target)
    wore = Appearance(majority_colour([p.upper for p in finished.poses]), majority_colour([p.lower for p in finished.poses]))
    track = replace(track, postures=tuple(posture_spans(track, finished.poses, ground)), appearance=wore, gestures=gestures)
    return IndexedTrack(track, clock.us_at(track.first_pts), clock.us_at(track.last_pts), finished.confidence, thumbnail,
                        poses=finished.poses)
