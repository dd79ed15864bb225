"""Find the moments of a recording and make them ready for the index; rebuild them all.

The rules themselves are pure (:mod:`footage.events`); this module feeds them the tracks of a
recording, writes key frames, and hands the result to the store.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from footage.events import EventParams, analyse
from footage.events.score import base_score
from footage.pipeline.keyframes import write_keyframes
from footage.pipeline.progress import NullProgress, Progress
from footage.store import moments as stored_moments
from footage.store.database import connect, thumbnail_dir
from footage.store.moments import StoredMoment
from footage.store.queries import TrackFilter, list_tracks
from footage.time import WallClock
from footage.types import Moment, Span, Track

__all__ = ["RebuildReport", "find_moments", "rebuild_moments"]


def find_moments(
    recording: Path,
    tracks: Sequence[Track],
    span: Span,
    clock: WallClock,
    params: EventParams,
    keyframe_folder: Path,
) -> list[StoredMoment]:
    """The moments of one recording with wall-clock times and key frames written to disk."""
    moments: list[Moment] = list(analyse(tracks, span, params).moments)
    keyframes = write_keyframes(recording, moments, keyframe_folder)
    return [
        StoredMoment(m, clock.us_at_seconds(m.start_s), clock.us_at_seconds(m.end_s), keyframe,
                     base_score(m.kinds or (m.kind,), m.duration_s, m.people))
        for m, keyframe in zip(moments, keyframes, strict=True)
    ]


@dataclass(frozen=True)
class RebuildReport:
    recordings: int
    moments: int
    missing_files: tuple[str, ...]


def rebuild_moments(db_path: Path, params: EventParams, progress: Progress | None = None) -> RebuildReport:
    """Run the rules again over every recording in the index (after thresholds changed). Each
    recording's moments are replaced in one transaction; key frames are re-read from the video
    files, and a recording whose file is gone keeps its moments without key frames. Scores follow
    by themselves: the index keeps the counts their rarity is made of."""
    progress = progress or NullProgress()
    conn = connect(db_path, create=False)
    try:
        recordings = stored_moments.recordings_for_rebuild(conn)
        progress.start_batch(sum(r.last_s for r in recordings), len(recordings))
        total, missing = 0, []
        for rec in recordings:
            progress.start_file(Path(rec.path).name, rec.last_s)
            stored = list_tracks(conn, TrackFilter(recording=rec.path), with_boxes=True)
            tracks = [t.track for t in stored]
            if not Path(rec.path).exists():
                missing.append(rec.path)
            found = find_moments(Path(rec.path), tracks, Span(rec.first_s, rec.last_s), rec.clock, params,
                                 thumbnail_dir(db_path) / str(rec.recording_id))
            stored_moments.replace_moments(conn, rec.recording_id, rec.camera_id, found)
            total += len(found)
            progress.end_file()
        progress.end_batch()
        return RebuildReport(len(recordings), total, tuple(missing))
    finally:
        conn.close()
