"""Index a batch of recordings with an executor: every recording registered and split into
chunks here, the chunks analysed wherever the executor runs them, and each recording stitched
and written here, by the one index writer, as soon as its last chunk is back."""

from __future__ import annotations

import logging
import math
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

from footage.config import Settings
from footage.ingest.discover import Discovered
from footage.pipeline.analyse import ChunkResult
from footage.pipeline.indexer import FileOutcome, Prepared, prepare_recording, store_recording
from footage.pipeline.progress import Progress
from footage.scale.chunks import plan_chunks
from footage.scale.executors import ChunkTask, Executor, for_one_core
from footage.store import queries

__all__ = ["index_batch"]

log = logging.getLogger(__name__)


def _own_seconds(task: ChunkTask, duration_s: float) -> float:
    return max(0.0, min(task.chunk.own_end_s, duration_s) - task.chunk.own_start_s)


def index_batch(found: Sequence[Discovered], *, conn: sqlite3.Connection, settings: Settings, camera_of: Callable[[Path], str],
                user_start: datetime | None, thumbnails: Path, executor: Executor, progress: Progress,
                chunk_s: float, overlap_s: float) -> list[FileOutcome]:
    """Index ``found`` with ``executor``; the outcomes in the order of ``found``."""
    outcomes: dict[int, FileOutcome] = {}
    prepared: dict[int, Prepared] = {}
    tasks: list[ChunkTask] = []
    worker_settings = for_one_core(settings)
    for key, item in enumerate(found):
        if item.problem is not None:
            outcomes[key] = FileOutcome(str(item.path), "failed", item.problem)
            continue
        ready = prepare_recording(item.path, conn=conn, settings=settings, camera=camera_of(item.path), user_start=user_start)
        if isinstance(ready, FileOutcome):
            outcomes[key] = ready
            continue
        prepared[key] = ready
        tasks += [ChunkTask(key, str(ready.path), chunk, worker_settings)
                  for chunk in plan_chunks(ready.duration_s, chunk_s, overlap_s)]
    expected = Counter(task.key for task in tasks)
    back: Counter[int] = Counter()
    results: defaultdict[int, list[ChunkResult]] = defaultdict(list)
    failures: dict[int, str] = {}
    log.info("%d recording(s) in %d chunk(s) on %s", len(prepared), len(tasks), executor.describe())

    def done(task: ChunkTask, result: ChunkResult | BaseException) -> None:
        back[task.key] += 1
        if isinstance(result, BaseException):
            said = str(result).splitlines()[0] if str(result) else type(result).__name__
            failures.setdefault(task.key, f"a chunk failed: {said}")
        else:
            results[task.key].append(result)
        ready = prepared[task.key]
        progress.add(_own_seconds(task, ready.duration_s if ready.duration_s > 0 else math.inf))
        if back[task.key] < expected[task.key]:
            return
        if task.key in failures:
            queries.set_status(conn, ready.recording_id, "failed", failures[task.key])
            outcomes[task.key] = FileOutcome(str(ready.path), "failed", failures[task.key])
        else:
            outcomes[task.key] = store_recording(conn, ready, results.pop(task.key), settings, thumbnails)

    try:
        executor.run(tasks, done)
    except KeyboardInterrupt:
        for key, ready in prepared.items():
            if key not in outcomes:
                queries.set_status(conn, ready.recording_id, "interrupted", "stopped by the user")
        raise
    return [outcomes[key] for key in range(len(found))]
