"""Index recordings: the one loop every caller goes through (``footage index``, the web page's
indexing jobs, the live supervisor, the library).

discover the files -> probe each once (:mod:`footage.pipeline.register`; the durations size the
progress bar) -> for each, just before its analysis, register it as ``indexing`` and plan its
chunks (:mod:`footage.scale.chunks`) -> an executor analyses them
(:func:`footage.pipeline.analyse.analyse_chunk`) -> this thread, the one index writer, stitches
and stores each recording as soon as its last chunk is back (:mod:`footage.pipeline.writer`).

The executor is this process by default (the detector loaded once, one whole-file chunk per
recording, decoding and detection threads using the machine's cores), or, with a
:class:`Spread`, worker processes or a Ray cluster (:mod:`footage.pipeline.executors`,
:mod:`footage.pipeline.ray_cluster`), where recordings are cut into overlapping chunks. A
recording becomes visible only when all its tracks are written in one transaction, so indexing
is safe to interrupt.
"""

from __future__ import annotations

import logging
import math
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from footage.config import Settings
from footage.detect import load_detector
from footage.detect.base import Detector
from footage.errors import MediaError
from footage.ingest.discover import Discovered, discover
from footage.pipeline.analyse import ChunkResult, whole
from footage.pipeline.executors import ChunkTask, Executor, InProcessExecutor
from footage.pipeline.outcome import FileOutcome, IndexReport
from footage.pipeline.progress import NullProgress, Progress
from footage.pipeline.register import Probe, Registered, probe_recording, register_recording
from footage.pipeline.writer import write_recording
from footage.scale.chunks import Chunk, plan_chunks
from footage.store import queries
from footage.store.database import connect, thumbnail_dir

__all__ = ["Spread", "index_paths"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Spread:
    """Index in chunks of about ``chunk_s`` seconds (overlapping by ``overlap_s``, so no track
    is cut) on ``executor`` (worker processes or a Ray cluster)."""

    executor: Executor
    chunk_s: float = 600.0
    overlap_s: float = 5.0


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
    conn: sqlite3.Connection | None = None,
    live: bool = False,
) -> IndexReport:
    """Index every recording under ``paths`` into the index at ``db_path``: in this process with
    ``detector`` (loaded from ``settings`` when None), or, with ``spread``, in chunks on its
    executor. ``conn``: the caller's open connection to that index (the live supervisor's
    writer), else one is opened for the run. ``live``: the paths are a camera's newest segments,
    so moments going on at the end are stored as ongoing. Never raises for a bad file: its outcome says what
    went wrong."""
    own = conn is None
    conn = connect(db_path) if conn is None else conn
    try:
        return _index(list(discover(paths)), conn=conn, thumbnails=thumbnail_dir(db_path), detector=detector,
                      settings=settings, camera=camera, user_start=user_start, progress=progress or NullProgress(),
                      spread=spread, live=live)
    finally:
        if own:
            conn.close()


def _index(found: list[Discovered], *, conn: sqlite3.Connection, thumbnails: Path, detector: Detector | None,
           settings: Settings, camera: str | None, user_start: datetime | None, progress: Progress,
           spread: Spread | None, live: bool) -> IndexReport:
    outcomes: dict[int, FileOutcome] = {}
    probes: dict[int, Probe] = {}
    for key, item in enumerate(found):
        if item.problem is not None:
            outcomes[key] = FileOutcome(str(item.path), "failed", item.problem)
            continue
        probed = probe_recording(item.path, conn=conn, settings=settings, camera=_camera_name(item.path, camera))
        if isinstance(probed, FileOutcome):
            outcomes[key] = probed
        else:
            probes[key] = probed
    progress.start_batch(sum(p.duration_s for p in probes.values()), len(found))
    executor = spread.executor if spread is not None else InProcessExecutor(detector or load_detector(settings.detect))
    writer = _Writer(conn, settings, thumbnails, progress, outcomes, live=live)

    def tasks() -> Iterator[ChunkTask]:
        for key, probe in probes.items():
            ready = register_recording(probe, conn=conn, settings=settings, user_start=user_start)
            if isinstance(ready, FileOutcome):
                outcomes[key] = ready
                continue
            chunks = (plan_chunks(ready.duration_s, spread.chunk_s, spread.overlap_s) if spread is not None
                      else (whole(),))
            writer.expect(key, ready, chunks)
            yield from (ChunkTask(key, str(ready.path), chunk, settings) for chunk in chunks)

    if spread is not None:
        log.info("indexing %d file(s) on %s", len(probes), executor.describe())
    try:
        executor.run(tasks(), writer)
    except KeyboardInterrupt:
        writer.interrupted()
        raise
    progress.end_batch()
    return IndexReport(tuple(outcomes[key] for key in range(len(found))))


class _Writer:
    """The executor's listener: gathers each recording's chunk results, stores the recording
    when the last is back, and moves the progress bars (frame by frame for work done in this
    process, chunk by chunk for work done elsewhere)."""

    def __init__(self, conn: sqlite3.Connection, settings: Settings, thumbnails: Path, progress: Progress,
                 outcomes: dict[int, FileOutcome], *, live: bool) -> None:
        self.conn, self.settings, self.thumbnails, self.progress = conn, settings, thumbnails, progress
        self.live = live
        self.outcomes = outcomes
        self.pending: dict[int, Registered] = {}
        self.expected: Counter[int] = Counter()
        self.whole: set[int] = set()
        self.back: Counter[int] = Counter()
        self.results: defaultdict[int, list[ChunkResult]] = defaultdict(list)
        self.failures: dict[int, str] = {}
        self.showing: int | None = None

    def expect(self, key: int, recording: Registered, chunks: tuple[Chunk, ...]) -> None:
        self.pending[key] = recording
        self.expected[key] = len(chunks)
        if len(chunks) == 1:
            self.whole.add(key)

    def started(self, task: ChunkTask) -> None:
        if self.showing != task.key:
            self.showing = task.key
            self.progress.start_file(self.pending[task.key].path.name, self.pending[task.key].duration_s)

    def advanced(self, task: ChunkTask, media_s: float) -> None:
        self.progress.advance(media_s)

    def done(self, task: ChunkTask, result: ChunkResult | BaseException) -> None:
        key, recording = task.key, self.pending[task.key]
        self.back[key] += 1
        if isinstance(result, BaseException):
            self.failures.setdefault(key, _failure(result, whole=key in self.whole))
        else:
            self.results[key].append(result)
        if self.showing != key:
            duration_s = recording.duration_s if recording.duration_s > 0 else math.inf
            self.progress.add(max(0.0, min(task.chunk.own_end_s, duration_s) - task.chunk.own_start_s))
        if self.back[key] < self.expected[key]:
            return
        del self.pending[key]
        if key in self.failures:
            queries.set_status(self.conn, recording.recording_id, "failed", self.failures[key])
            self.outcomes[key] = FileOutcome(str(recording.path), "failed", self.failures[key])
        else:
            self.outcomes[key] = write_recording(self.conn, recording, self.results.pop(key), self.settings,
                                                 self.thumbnails, live=self.live)
        if self.showing == key:
            self.progress.end_file()
            self.showing = None

    def interrupted(self) -> None:
        """Mark every registered recording not yet stored as interrupted."""
        for recording in self.pending.values():
            queries.set_status(self.conn, recording.recording_id, "interrupted", "stopped by the user")


def _failure(exc: BaseException, *, whole: bool) -> str:
    """Why a recording failed: a whole file's media error as it is, else which chunk failed."""
    if whole and isinstance(exc, MediaError):
        return exc.reason
    said = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return f"a chunk failed: {said}"
