"""A redacted clip wired together, and checked before anyone sees it.

1. **Redact**: decode the pieces' frames (a worker thread also shrinks each frame and runs the
   face detector on it, and for ``bodies`` the object detector), bridge the sightings over the
   frames the detectors miss, decide each frame's regions from them and from the tracks, and
   encode. Each frame's regions are remembered.
2. **Check**: decode the written clip and look for faces on every frame, at a lower threshold
   and at more widths than step 1 (:mod:`footage.export.verify`). A face found that belongs to
   no kept person is a leak.
3. **Fix**: the remembered regions plus a flat patch over each leak and near miss (and a few
   frames either side; more each pass) are encoded again from the recordings, only in the
   pieces of about 2 s that hold a leak (:class:`~footage.export.encode.SegmentedClip`: the
   other pieces keep every byte, and so the check they passed), and those pieces are checked
   again; after
   :attr:`VerifyParams.max_passes` clips the export fails with one line.

The clip is written under a temporary name; only a clip whose last check found nothing is
renamed to the name asked for.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import numpy as np
import numpy.typing as npt

from footage.detect.faces import YuNetFaceDetector, load_face_detector
from footage.errors import FootageError
from footage.export.decode import clip_frames, shrunk_bgr, written_frames
from footage.export.encode import EncodeOptions, EncodeReport, SegmentedClip
from footage.export.flicker import bridged_stream
from footage.export.plan import PlannedPiece
from footage.export.redact import Box, RedactParams, Region, TrackPath, is_kept_face, people_at, regions_to_hide
from footage.export.verify import CheckResult, VerifyParams, check_views, fixes, views
from footage.media.input import VideoFrame
from footage.pipeline.prefetch import prefetch
from footage.types import Frame

__all__ = ["RedactionCheck", "RedactionJob", "write_redacted"]

#: lowest score of a person-shaped box that ``bodies`` hides (tracking starts tracks at 0.6)
BODY_THRESHOLD = 0.2


@dataclass(frozen=True)
class RedactionJob:
    """What to hide (``redact``), whom to leave visible (``keep``: track ids), the tracks'
    ``paths`` in clip seconds, and the parameters of redaction and of the check."""

    redact: frozenset[str]
    keep: frozenset[int]
    paths: tuple[TrackPath, ...]
    params: RedactParams
    verify: VerifyParams


@dataclass(frozen=True)
class RedactionCheck:
    """What the check did: every one of ``frames`` decoded from the written clip and searched
    for faces at ``widths`` (pixels) and ``threshold``; ``passes`` clips written (1: the first
    was clean); ``found`` faces found by each check in turn (the last is 0); ``frames_fixed``
    frames that got a patch after a check."""

    frames: int
    widths: tuple[int, ...]
    threshold: float
    passes: int
    found: tuple[int, ...]
    frames_fixed: int

    def summary(self) -> str:
        """One line for people, e.g. ``checked 70 frames at 640, 960 px: no face left``."""
        line = f"checked {self.frames} frames at {', '.join(map(str, self.widths))} px: no face left"
        fixed = sum(self.found)
        if fixed:
            line += f" ({fixed} found and covered on {self.frames_fixed} frames, {self.passes} passes)"
        return line


def _sighted(pieces: Sequence[PlannedPiece], faces: YuNetFaceDetector | None, bodies: Callable[..., list[Box]] | None,
             width: int) -> Iterator[tuple[tuple[float, VideoFrame], list[list[Box]]]]:
    """Each frame with the faces and person-shaped boxes seen on it (full-frame pixels)."""
    for clip_s, frame in clip_frames(pieces):
        small, scale = shrunk_bgr(frame, min(width, frame.width))
        seen_faces = [] if faces is None else [_as_box(b) for b in faces.detect(small).xyxy * scale]
        seen_bodies = [] if bodies is None else bodies(small, scale)
        yield (clip_s, frame), [seen_faces, seen_bodies]


def _as_box(row: npt.NDArray[np.float32]) -> Box:
    return (float(row[0]), float(row[1]), float(row[2]), float(row[3]))


def _body_finder() -> Callable[[npt.NDArray[np.uint8], float], list[Box]]:
    from footage.detect.yolox import OnnxDetector

    detector = OnnxDetector(classes=("person",), score_threshold=BODY_THRESHOLD)

    def find(small: npt.NDArray[np.uint8], scale: float) -> list[Box]:
        found = detector.detect(Frame(0, 0, Fraction(1, 1), small, scale))
        return [_as_box(b) for b in found.xyxy]

    return find


def _first_pass(pieces: Sequence[PlannedPiece], job: RedactionJob, clip: SegmentedClip, plan: list[list[Region]],
                duration_s: float) -> None:
    """Redact and encode, remembering each frame's regions in ``plan``."""
    faces = load_face_detector(score_threshold=job.params.face_threshold, input_width=job.params.detect_width) \
        if {"faces", "bodies"} & job.redact else None
    bodies = _body_finder() if "bodies" in job.redact else None
    sighted = prefetch(_sighted(pieces, faces, bodies, job.params.detect_width), depth=4)

    def frames() -> Iterator[tuple[float, VideoFrame, list[Region]]]:
        for (clip_s, frame), (seen_faces, seen_bodies) in bridged_stream(sighted, job.params.flicker):
            regions = regions_to_hide(clip_s, seen_faces, job.paths, redact=job.redact, keep=job.keep,
                                      params=job.params, size=(frame.width, frame.height), bodies=seen_bodies)
            plan.append(regions)
            yield clip_s, frame, regions

    clip.encode(frames(), duration_s)


def _planned(pieces: Sequence[PlannedPiece], plan: list[list[Region]]) -> Iterator[tuple[float, VideoFrame, list[Region]]]:
    """The pieces' frames once more, each with its regions from ``plan``."""
    for index, (clip_s, frame) in enumerate(prefetch(clip_frames(pieces), depth=4)):
        if index >= len(plan):
            return
        yield clip_s, frame, plan[index]


def _check(path: Path, shown_as: Path, finder: YuNetFaceDetector, job: RedactionJob,
           only: set[int] | None) -> tuple[int, CheckResult]:
    """Decode the written clip and search the frames (all, or those numbered in ``only``) for
    faces. Returns how many frames the clip has, and what the check found."""
    decoded = 0

    def find(image: npt.NDArray[np.uint8]) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]:
        found = finder.detect(image)
        return found.xyxy, found.confidence

    def may_stay(clip_s: float, face: Box) -> bool:
        return bool(job.keep) and is_kept_face(face, people_at(job.paths, clip_s, job.params.hold_s), job.keep)

    def chosen() -> Iterator[tuple[int, float, VideoFrame]]:
        nonlocal decoded
        for index, (clip_s, frame) in enumerate(written_frames(path, shown_as)):
            decoded += 1
            if only is None or index in only:
                yield index, clip_s, frame

    result = check_views(prefetch(views(chosen(), job.params.detect_width, job.verify), depth=4), find, may_stay)
    return decoded, result


def write_redacted(pieces: Sequence[PlannedPiece], path: Path, shown_as: Path, job: RedactionJob,
                   options: EncodeOptions, duration_s: float) -> tuple[EncodeReport, RedactionCheck]:
    """Write the redacted clip to ``path`` (a temporary name; errors name ``shown_as``) and check
    it until no face is left. Raises :class:`FootageError` when a face survives every pass or
    the written clip cannot be decoded; the caller removes ``path`` then."""
    plan: list[list[Region]] = []
    with tempfile.TemporaryDirectory(prefix=f".{path.stem}-pieces-", dir=path.parent) as folder:
        clip = SegmentedClip(Path(folder), options)
        _first_pass(pieces, job, clip, plan, duration_s)
        report = clip.write(path)
        # the check has the cores to itself but for decoding: the detector takes them all
        finder = YuNetFaceDetector(score_threshold=job.verify.watch_floor, input_width=job.verify.max_width,
                                   threads=os.cpu_count() or 2)
        found: list[int] = []
        fixed: set[int] = set()
        changed: set[int] | None = None  # frames of pieces encoded again since the last check; None: all
        widths: tuple[int, ...] = ()
        for attempt in range(1, job.verify.max_passes + 1):
            decoded, result = _check(path, shown_as, finder, job, changed)
            if decoded != report.frames:
                raise FootageError(f"cannot check {shown_as}: {decoded} frames decode from it, {report.frames} were written")
            widths = widths or result.widths
            leaks = result.leaks(job.verify)
            found.append(len(leaks))
            if not leaks:
                return report, RedactionCheck(report.frames, widths, job.verify.threshold, attempt, tuple(found), len(fixed))
            if attempt == job.verify.max_passes:
                raise FootageError(f"the redacted clip would still show a face ({len(leaks)} found, the first "
                                   f"{leaks[0].clip_s:.2f} s in) after {attempt} passes; no clip was written")
            # near misses matter only in the pieces a leak makes us encode again: the others keep
            # every byte, and so the check they passed
            leaking = {clip.segment_of(f.frame) for f in leaks}
            cover = [f for f in result.to_cover(job.verify, attempt) if clip.segment_of(f.frame) in leaking]
            patched = fixes(cover, len(plan), job.verify, attempt)
            for frame, patches in patched.items():
                plan[frame] = [*plan[frame], *patches]
                fixed.add(frame)
            redone = {clip.segment_of(frame) for frame in patched}
            clip.redo(_planned(pieces, plan), redone)
            report = clip.write(path)
            changed = {f for piece in redone for f in range(clip.segments[piece].first,
                                                             clip.segments[piece].first + clip.segments[piece].count)}
    raise AssertionError("unreachable: the loop returns or raises")  # pragma: no cover
