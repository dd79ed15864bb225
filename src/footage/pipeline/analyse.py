"""Analyse one stretch of a recording: sampled frames -> detections -> tracks (no index, no I/O
besides reading the video), so that any process, or any machine of a cluster, can do it.

:func:`analyse_chunk` is what a worker runs; the index writer stitches the chunks of a recording
(:mod:`footage.scale.stitch`) and stores them (:mod:`footage.pipeline.writer`).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from footage.config import Settings
from footage.detect.base import Detector
from footage.errors import MediaError
from footage.ingest.source import PyAVSource
from footage.pipeline.ordered import detect_in_order
from footage.pipeline.people import PoseLooker
from footage.pipeline.prefetch import prefetch
from footage.pose import shared_pose_estimator
from footage.scale.chunks import Chunk
from footage.track.bytetrack import ByteTracker
from footage.track.recorder import FinishedTrack, TrackRecorder

__all__ = ["ChunkResult", "analyse_chunk", "whole"]


@dataclass(frozen=True)
class ChunkResult:
    """The tracks found in ``chunk`` of a recording: the media time of its first sample, of the
    last frame read (``last_s``) and of the last sample looked at (``last_sample_s``; in a still
    scene the reader looks only every few seconds), and, when decoding broke off, why (what
    decoded before stays valid)."""

    chunk: Chunk
    tracks: tuple[FinishedTrack, ...]
    first_s: float | None
    last_s: float
    last_sample_s: float | None = None
    damage: str | None = None


def whole() -> Chunk:
    """The one chunk of a recording read in one go."""
    return Chunk(0, 0.0, math.inf, 0.0, math.inf)


def analyse_chunk(path: Path, chunk: Chunk, settings: Settings, detector: Detector,
                  on_progress: Callable[[float], None] | None = None, *, overlap_decoding: bool = True) -> ChunkResult:
    """Decode ``chunk`` of ``path``, detect and track in it. Raises :class:`MediaError` when the
    file cannot be opened; damage part-way through ends the chunk early with ``damage`` set.
    ``overlap_decoding`` decodes ahead in a second thread while frames are detected (the
    one-process default); a worker that has one core of its own does one after the other."""
    with PyAVSource(path, settings.ingest) as source:
        tracker = ByteTracker(settings.track, step_s=1.0 / settings.ingest.detect_fps)
        recorder = TrackRecorder(detector.class_names, source.info.time_base,
                                 min_confidence=settings.keep.min_track_confidence, min_boxes=settings.keep.min_track_boxes)
        looker = _pose_looker(settings, detector)
        first_s: float | None = None
        last_sample_s: float | None = None
        damage: str | None = None
        start = chunk.start_s if chunk.start_s > 0 else None
        end = chunk.end_s if math.isfinite(chunk.end_s) else None
        try:
            samples = source.samples(start, end)
            samples = prefetch(samples) if overlap_decoding else samples
            for sample, detections in detect_in_order(samples, detector.detect, workers=settings.detect.workers):
                first_s = sample.time_s if first_s is None else first_s
                last_sample_s = sample.time_s
                if sample.frame is None or detections is None:  # the scene is unchanged
                    tracker.hold(sample.time_s)
                    recorder.still_present(tracker.visible_ids(), sample.pts)
                else:
                    update = tracker.update(detections, sample.time_s)
                    recorder.add(sample.frame, update)
                    if looker is not None:
                        recorder.add_poses(looker.look(sample.frame, update.tracked))
                if on_progress is not None:
                    on_progress(sample.time_s)
        except MediaError as exc:
            damage = exc.reason
        tracker.finish()
        return ChunkResult(chunk, tuple(recorder.finish()), first_s, source.stats.last_time_s, last_sample_s, damage)


def _pose_looker(settings: Settings, detector: Detector) -> PoseLooker | None:
    """Who looks at people's poses in this chunk: None with pose off, no pose model, or a
    detector that finds no people."""
    if not settings.pose.enabled or "person" not in detector.class_names:
        return None
    estimator = shared_pose_estimator(settings.pose.model)
    if estimator is None:
        return None
    return PoseLooker(estimator, settings.pose, detector.class_names.index("person"))
