"""Where chunks are analysed: this process (:class:`InProcessExecutor`, the default), local worker
processes, or (in :mod:`footage.pipeline.ray_cluster`) a Ray cluster. Each executor analyses every
task and reports each once, in the order they finish, to its :class:`Listener` in the calling
thread (the index writer); a task whose worker died is run again elsewhere, so nothing is lost or
counted twice. Tasks are read from an iterable: this process takes one at a time (so a recording
is registered just before it is analysed), a pool takes them all up front.
"""

from __future__ import annotations

import dataclasses
import logging
import multiprocessing
import os
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Protocol

from footage.config import DetectParams, Settings
from footage.detect import load_detector
from footage.detect.base import Detector
from footage.errors import MediaError
from footage.pipeline.analyse import ChunkResult, analyse_chunk
from footage.scale.chunks import Chunk

__all__ = [
    "ChunkTask", "Executor", "InProcessExecutor", "Listener", "ProcessExecutor", "WorkerLostError", "for_one_core", "run_task",
]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ChunkTask:
    """Analyse ``chunk`` of the recording at ``path`` (the ``key``-th of the batch)."""

    key: int
    path: str
    chunk: Chunk
    settings: Settings


class WorkerLostError(RuntimeError):
    """A task's worker died on every attempt."""


class Listener(Protocol):
    """Hears what an executor does: ``done`` once per task, with its result or what went wrong;
    ``started`` and ``advanced`` (media seconds read so far) only from an executor that analyses
    in this process, so that progress can be shown frame by frame."""

    def started(self, task: ChunkTask) -> None: ...
    def advanced(self, task: ChunkTask, media_s: float) -> None: ...
    def done(self, task: ChunkTask, result: ChunkResult | BaseException) -> None: ...


class Executor(Protocol):
    """Runs chunk tasks; ``describe`` names where, for the log; ``local`` when on this machine."""

    local: bool

    def describe(self) -> str: ...
    def run(self, tasks: Iterable[ChunkTask], listener: Listener) -> None: ...


class InProcessExecutor:
    """Each task in this process, one after the other, with ``detector`` (loaded once, by the
    caller) and the settings as given: decoding ahead in a thread and the detection threads of
    ``settings.detect`` use the machine's cores. A :class:`MediaError` (a file that cannot be
    opened) is reported to the listener; anything else, an interrupt included, is raised."""

    local = True

    def __init__(self, detector: Detector) -> None:
        self.detector = detector

    def describe(self) -> str:
        return "this process"

    def run(self, tasks: Iterable[ChunkTask], listener: Listener) -> None:
        for task in tasks:
            listener.started(task)
            try:
                result = analyse_chunk(Path(task.path), task.chunk, task.settings, self.detector,
                                       on_progress=partial(listener.advanced, task))
            except MediaError as exc:
                listener.done(task, exc)
            else:
                listener.done(task, result)


_detectors: dict[DetectParams, Detector] = {}


def run_task(task: ChunkTask) -> ChunkResult:
    """What a worker process does: analyse one chunk with the settings of a worker that has one
    core of its own (:func:`for_one_core`; the detector is loaded once per worker process)."""
    settings = for_one_core(task.settings)
    params = settings.detect
    if params not in _detectors:
        _detectors[params] = load_detector(params)
    return analyse_chunk(Path(task.path), task.chunk, settings, _detectors[params], overlap_decoding=False)


def for_one_core(settings: Settings) -> Settings:
    """Settings for a worker that has one core of its own: one decoder thread, one detection
    thread, one onnxruntime thread, and (in :func:`run_task`) no decoding ahead: the workers,
    not threads, use the machine's cores."""
    detect = dataclasses.replace(settings.detect, threads=1, workers=1)
    return dataclasses.replace(settings.with_ingest(decoder_threads=1), detect=detect)


class ProcessExecutor:
    """``workers`` processes on this machine. A worker killed mid-task (out of memory, ``kill``)
    breaks the pool: the tasks not finished are run again in a new pool, up to ``attempts``
    times each."""

    local = True

    def __init__(self, workers: int, attempts: int = 3) -> None:
        if workers < 1:
            raise ValueError(f"--workers must be at least 1, got {workers}")
        self.workers = workers
        self.attempts = attempts

    def describe(self) -> str:
        return f"{self.workers} worker process(es) on this machine ({os.cpu_count()} cores)"

    def run(self, tasks: Iterable[ChunkTask], listener: Listener) -> None:
        done = listener.done
        pending = dict(enumerate(tasks))
        tries: Counter[int] = Counter()
        while pending:
            context = multiprocessing.get_context("spawn")  # no fork of a process with threads
            with ProcessPoolExecutor(self.workers, mp_context=context) as pool:
                futures: dict[Future[ChunkResult], int] = {pool.submit(run_task, task): n for n, task in pending.items()}
                try:
                    for future in as_completed(futures):
                        self._report(future, futures[future], pending, done)
                except BrokenProcessPool:
                    for future, n in futures.items():  # keep what finished before the break
                        if n in pending and future.done() and not isinstance(future.exception(), BrokenProcessPool):
                            self._report(future, n, pending, done)
                    for n in list(pending):
                        tries[n] += 1
                        if tries[n] >= self.attempts:
                            done(pending.pop(n), WorkerLostError(f"its worker died {tries[n]} times"))
                    log.warning("a worker process died; running its %d unfinished chunk(s) again", len(pending))

    @staticmethod
    def _report(future: Future[ChunkResult], n: int, pending: dict[int, ChunkTask],
                done: Callable[[ChunkTask, ChunkResult | BaseException], None]) -> None:
        exc = future.exception()
        if isinstance(exc, BrokenProcessPool):
            raise exc
        task = pending.pop(n)
        done(task, exc if exc is not None else future.result())
