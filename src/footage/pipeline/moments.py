"""Rebuild every moment of the index (``footage events --rebuild``): the rules run again over
each stretch of each camera (:mod:`footage.pipeline.timeline`), as when it was indexed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from footage.config import Settings
from footage.events import EventParams
from footage.pipeline.progress import NullProgress, Progress
from footage.pipeline.timeline import camera_stretches, rederive_stretch
from footage.store.database import connect, thumbnail_dir, transaction
from footage.store.timeline import recording

__all__ = ["RebuildReport", "rebuild_moments"]


@dataclass(frozen=True)
class RebuildReport:
    recordings: int
    moments: int
    missing_files: tuple[str, ...]


def rebuild_moments(db_path: Path, params: EventParams, progress: Progress | None = None,
                    settings: Settings | None = None) -> RebuildReport:
    """Run the rules again over every stretch of every camera in the index (after thresholds
    changed), each stretch in one transaction. Key frames are re-read from the video files; a
    moment whose file is gone keeps no key frame. Moments keep their ids where they are the same
    moment (:mod:`footage.timeline.matching`); scores follow by themselves."""
    progress = progress or NullProgress()
    settings = replace(settings or Settings(), events=params)
    conn = connect(db_path, create=False)
    try:
        parts = [stretch for _, stretch in camera_stretches(conn, settings)]
        progress.start_batch(sum(s.hours * 3600 for s in parts), sum(len(s.recordings) for s in parts))
        total, count, missing = 0, 0, []
        for stretch in parts:
            names = [found.path for r in stretch.recordings if (found := recording(conn, r.id)) is not None]
            progress.start_file(Path(names[0]).name, stretch.hours * 3600)
            missing += [name for name in names if not Path(name).exists()]
            with transaction(conn):
                total += rederive_stretch(conn, stretch, settings, thumbnail_dir(db_path)).moments
            count += len(names)
            progress.end_file()
        progress.end_batch()
        return RebuildReport(count, total, tuple(missing))
    finally:
        conn.close()
