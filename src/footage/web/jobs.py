"""Indexing jobs started from the web page: a queue, one worker thread, and snapshots of progress.

The index has one writer, so one daemon worker thread runs the jobs one at a time, in the order
they were submitted, each through :func:`footage.pipeline.index.index_paths`. What the page
shows of a job is a :class:`JobView`, a frozen snapshot: the worker publishes a new snapshot
(``dataclasses.replace``) under a lock whenever progress is reported, and request handlers only
ever read whole snapshots, so they never see a half-updated job and never wait on indexing.

Which paths may be indexed is decided by :func:`allowed_path`: only files and folders inside the
roots the server was started with (``footage serve --index-root DIR``), after resolving symlinks
and ``..``. Relative paths are taken relative to the first root.
"""

from __future__ import annotations

import dataclasses
import itertools
import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from footage.config import Settings
from footage.detect import Detector, load_detector
from footage.errors import FootageError, RequestError
from footage.pipeline.index import index_paths
from footage.pipeline.outcome import IndexReport
from footage.pipeline.progress import Progress

__all__ = ["JobRunner", "JobView", "allowed_path"]

log = logging.getLogger(__name__)

MAX_PATH_CHARS = 4096
MAX_CAMERA_CHARS = 100
KEEP_FINISHED = 100
FINISHED = ("done", "failed")


def allowed_path(text: str, roots: Sequence[Path]) -> Path:
    """The resolved server-side file or folder named by ``text``, if it lies inside one of ``roots``.

    Raises :class:`RequestError` 403 when no roots are configured or the path is outside them,
    400 when ``text`` is empty, too long or contains NUL, 404 when it does not exist."""
    if not roots:
        raise RequestError("indexing from the web page is off; start `footage serve --index-root DIR`", 403)
    text = text.strip()
    if not text or len(text) > MAX_PATH_CHARS or "\0" in text:
        raise RequestError(f"name a file or folder on the server (up to {MAX_PATH_CHARS} characters, no NUL)", 400)
    try:
        resolved_roots = [Path(root).resolve() for root in roots]
        path = (resolved_roots[0] / text).resolve()  # an absolute ``text`` replaces the root
        inside = any(path.is_relative_to(root) for root in resolved_roots)
        exists = inside and path.exists()
    except (OSError, RuntimeError, ValueError) as exc:  # a name too long for the OS, a symlink loop
        raise RequestError(f"cannot use that path: {exc}", 400) from exc
    if not inside:  # checked before existence so that nothing outside the roots can be probed
        raise RequestError(f"{text} is outside the folders this server may index", 403)
    if not exists:
        raise RequestError(f"no such file or folder: {text}", 404)
    return path


def _clean_camera(text: str | None) -> str | None:
    """A camera name as typed, stripped; blank means "name it after the folder" (None)."""
    name = (text or "").strip()
    if not name:
        return None
    if len(name) > MAX_CAMERA_CHARS or not name.isprintable():
        raise RequestError(f"a camera name is 1 to {MAX_CAMERA_CHARS} printable characters", 400)
    return name


@dataclass(frozen=True)
class JobView:
    """A snapshot of one indexing job. Times in seconds of video (``media_s``, ``media_done_s``),
    ``speed`` in seconds of video per wall-clock second, datetimes aware UTC."""

    id: int
    paths: tuple[str, ...]
    camera: str | None
    created_utc: datetime
    state: str = "queued"  # queued | running | done | failed
    files: int = 0
    files_done: int = 0
    media_s: float = 0.0
    media_done_s: float = 0.0
    current: str | None = None
    speed: float = 0.0
    indexed: int = 0
    skipped: int = 0
    problems: int = 0
    moments: int = 0
    error: str | None = None
    started_utc: datetime | None = None
    finished_utc: datetime | None = None

    @property
    def finished(self) -> bool:
        return self.state in FINISHED

    @property
    def percent(self) -> float:
        """0-100, by seconds of video; 100 once done."""
        if self.state == "done":
            return 100.0
        return min(100.0, 100.0 * self.media_done_s / self.media_s) if self.media_s > 0 else 0.0


def _outcome_counts(report: IndexReport) -> dict[str, int]:
    statuses = [o.status for o in report.outcomes]
    return {"files": len(statuses), "files_done": len(statuses), "indexed": statuses.count("indexed"),
            "skipped": statuses.count("skipped"), "problems": len(report.problems),
            "moments": sum(o.moments for o in report.outcomes)}


def _to_forget(views: Iterable[JobView], keep: int) -> list[int]:
    """Ids of finished jobs beyond the ``keep`` newest; queued and running jobs are kept."""
    finished = sorted((v.id for v in views if v.finished), reverse=True)
    return finished[keep:]


def _one_line(text: str) -> str:
    return " ".join(text.split())[:500]


class _JobProgress(Progress):
    """Turns the indexer's progress calls into new snapshots of one job."""

    def __init__(self, publish: Callable[..., None]) -> None:
        self._publish = publish
        self._started = time.perf_counter()
        self._files_done = 0
        self._done_s = self._file_s = self._position_s = 0.0  # finished files; current file: length, position

    def _progress(self, media_done_s: float) -> dict[str, float]:
        elapsed = time.perf_counter() - self._started
        return {"media_done_s": media_done_s, "speed": media_done_s / elapsed if elapsed > 0 else 0.0}

    def start_batch(self, total_s: float, files: int) -> None:
        self._publish(files=files, media_s=total_s)

    def start_file(self, name: str, duration_s: float) -> None:
        self._file_s, self._position_s = max(duration_s, 0.0), 0.0
        self._publish(current=name)

    def advance(self, media_s: float) -> None:
        position = min(max(self._position_s, media_s), self._file_s)
        if position > self._position_s:
            self._position_s = position
            self._publish(**self._progress(self._done_s + position))

    def end_file(self) -> None:
        self._done_s += self._file_s
        self._files_done += 1
        self._publish(current=None, files_done=self._files_done, **self._progress(self._done_s))


class JobRunner:
    """Runs indexing jobs into the index at ``db_path``, one at a time, on one daemon thread.

    ``detector_factory`` (default: :func:`load_detector` with ``settings.detect``) is called on the
    first job and its detector reused; if it raises, that job fails and the next job tries again."""

    def __init__(self, db_path: Path, settings: Settings, roots: Sequence[Path],
                 detector_factory: Callable[[], Detector] | None = None) -> None:
        self._db_path = Path(db_path)
        self._settings = settings
        self._roots = tuple(Path(root) for root in roots)
        self._factory = detector_factory or (lambda: load_detector(settings.detect))
        self._detector: Detector | None = None
        self._ids = itertools.count(1)
        self._views: dict[int, JobView] = {}
        self._pending: deque[int] = deque()
        self._closing = False
        self._changed = threading.Condition()
        self._worker = threading.Thread(target=self._work, name="footage-index-jobs", daemon=True)
        self._worker.start()

    @property
    def roots(self) -> tuple[Path, ...]:
        """The folders whose files may be indexed (empty: indexing from the web is off)."""
        return self._roots

    def submit(self, path_text: str, camera: str | None = None) -> JobView:
        """Queue indexing of the file or folder ``path_text``; returns the queued job at once."""
        path = allowed_path(path_text, self._roots)
        name = _clean_camera(camera)
        with self._changed:
            if self._closing:
                raise RequestError("the server is shutting down; indexing is not accepted now", 503)
            view = JobView(id=next(self._ids), paths=(str(path),), camera=name, created_utc=datetime.now(UTC))
            self._views[view.id] = view
            self._pending.append(view.id)
            self._changed.notify_all()
        return view

    def jobs(self) -> tuple[JobView, ...]:
        """Every job still remembered, newest first."""
        with self._changed:
            return tuple(sorted(self._views.values(), key=lambda v: v.id, reverse=True))

    def get(self, job_id: int) -> JobView:
        """The job's latest snapshot; :class:`RequestError` 404 if there is no such job."""
        with self._changed:
            return self._view(job_id)

    def wait(self, job_id: int, timeout: float | None = None) -> JobView:
        """The job once it is done or failed, or as it is after ``timeout`` seconds."""
        with self._changed:
            self._view(job_id)
            self._changed.wait_for(lambda: job_id not in self._views or self._views[job_id].finished, timeout)
            return self._view(job_id)

    def close(self, timeout: float = 5.0) -> None:
        """Stop taking jobs and let the worker finish the job it is on (waiting up to ``timeout``
        seconds for it); jobs still queued are marked failed."""
        with self._changed:
            self._closing = True
            while self._pending:
                self._update(self._pending.popleft(), state="failed", error="not run: the server shut down",
                             finished_utc=datetime.now(UTC))
            self._changed.notify_all()
        self._worker.join(timeout)

    def _view(self, job_id: int) -> JobView:
        try:
            return self._views[job_id]
        except KeyError:
            raise RequestError(f"no indexing job {job_id}", 404) from None

    def _update(self, job_id: int, **changes: Any) -> None:
        """Publish a new snapshot of a job; the caller holds the lock."""
        self._views[job_id] = dataclasses.replace(self._views[job_id], **changes)
        if self._views[job_id].finished:
            for old in _to_forget(self._views.values(), KEEP_FINISHED):
                del self._views[old]
            self._changed.notify_all()

    def _work(self) -> None:
        while True:
            with self._changed:
                self._changed.wait_for(lambda: self._closing or bool(self._pending))
                if self._closing:
                    return
                job = self._views[self._pending.popleft()]
                self._update(job.id, state="running", started_utc=datetime.now(UTC))
            self._run(job)

    def _run(self, job: JobView) -> None:
        def publish(**changes: Any) -> None:
            with self._changed:
                self._update(job.id, **changes)

        outcome: dict[str, Any]
        try:
            if self._detector is None:
                self._detector = self._factory()
            report = index_paths([Path(p) for p in job.paths], db_path=self._db_path, detector=self._detector,
                                 settings=self._settings, camera=job.camera, progress=_JobProgress(publish))
        except FootageError as exc:
            outcome = {"state": "failed", "error": _one_line(str(exc))}
        except Exception as exc:  # the worker loop must outlive any one job
            log.exception("indexing job %d (%s) failed unexpectedly", job.id, ", ".join(job.paths))
            outcome = {"state": "failed", "error": _one_line(f"unexpected error: {type(exc).__name__}: {exc}")}
        else:  # the last frame may fall short of the container's duration: done is all of it
            outcome = {"state": "done", "media_done_s": self.get(job.id).media_s, **_outcome_counts(report)}
        publish(current=None, finished_utc=datetime.now(UTC), **outcome)
