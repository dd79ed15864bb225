"""The check that makes redaction a guarantee: decode the clip as written and look for faces on
every frame, harder than the redaction itself looked.

The redaction runs the face detector once per frame, at its own width and threshold
(:class:`~footage.export.redact.RedactParams`). The check runs it on the decoded clip at a lower
``threshold`` and at every width of :func:`check_widths`: the redaction's, the frame's own (where
anyone checking the clip would look), and for a small frame an enlarged one (small faces), so a
face the redaction missed by a little, or one that survived the encoder, is found. Each face
found becomes a flat patch over it and the frames either side (:func:`fixes`), and the clip is
written again, until a check finds nothing or ``max_passes`` clips have been written: then the
export fails rather than write a clip that shows a face.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from PIL import Image

from footage.export.decode import shrunk_bgr
from footage.export.redact import Box, Region, grown
from footage.media.input import VideoFrame
from footage.media.pictures import bgr

__all__ = ["CheckResult", "Finding", "VerifyParams", "check_views", "check_widths", "fixes", "views"]


@dataclass(frozen=True)
class VerifyParams:
    """The check: faces scoring at least ``threshold`` at the widths of :func:`check_widths`
    (``enlarge`` times the redaction's width for a frame narrower than that; nothing wider than
    ``max_width``) are leaks. Near misses, scoring ``watch_threshold`` or more, are not, but
    when a leak makes the clip be written again they are covered too: re-encoding moves scores
    a little, and a face just under the threshold in one pass may be just over it in the next.

    A face found is covered, grown by ``fix_grow`` of its size on each side, on its frame and
    ``fix_frames`` either side. Each later pass covers more: the patches grow by ``fix_grow``
    and reach ``fix_frames`` further, and the near-miss score falls by ``watch_step`` (not
    below ``watch_floor``). At most ``max_passes`` clips are written."""

    threshold: float = 0.4
    watch_threshold: float = 0.3
    watch_step: float = 0.1
    watch_floor: float = 0.1
    enlarge: float = 1.5
    max_width: int = 1920
    fix_grow: float = 0.5
    fix_frames: int = 3
    max_passes: int = 8

    def watch_at(self, attempt: int) -> float:
        """The near-miss score covered when clip ``attempt`` + 1 is written."""
        return max(self.watch_floor, self.watch_threshold - self.watch_step * (attempt - 1))


@dataclass(frozen=True)
class Finding:
    """A face the check found: on ``frame`` (0-based, presentation order) at ``clip_s``,
    ``xyxy`` in the clip's pixels, with the detector's ``confidence``."""

    frame: int
    clip_s: float
    xyxy: Box
    confidence: float


@dataclass(frozen=True)
class CheckResult:
    """One check of a written clip: how many ``frames`` it searched, at which ``widths``, and
    what it found (leaks and near misses, :class:`VerifyParams`)."""

    frames: int
    widths: tuple[int, ...]
    findings: tuple[Finding, ...]

    def leaks(self, params: VerifyParams) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.confidence >= params.threshold)

    def to_cover(self, params: VerifyParams, attempt: int) -> tuple[Finding, ...]:
        """Leaks and near misses to patch before writing clip ``attempt`` + 1."""
        return tuple(f for f in self.findings if f.confidence >= params.watch_at(attempt))


def check_widths(frame_width: int, detect_width: int, params: VerifyParams) -> tuple[int, ...]:
    """The widths (pixels, even) a frame ``frame_width`` wide is checked at: the redaction's own
    ``detect_width`` (never wider than the frame), the frame's own width, and, when ``enlarge``
    times the redaction's width is wider than the frame, that too (faces too small to be found
    at the frame's size); none above ``max_width``."""
    base = min(frame_width, detect_width)
    widths = {base, frame_width}
    if round(base * params.enlarge) > frame_width:
        widths.add(round(base * params.enlarge))
    return tuple(sorted({min(params.max_width, w) - min(params.max_width, w) % 2 for w in widths if w >= 32}))


def fixes(findings: Iterable[Finding], frames: int, params: VerifyParams, attempt: int) -> dict[int, list[Region]]:
    """Flat patches over each face found, on its frame and ``fix_frames`` either side, keyed by
    frame. ``attempt`` 1 is the first rewrite; each later one grows the patches further, in
    space and in time."""
    patches: dict[int, list[Region]] = {}
    reach = params.fix_frames * attempt
    for finding in findings:
        patch = Region(grown(finding.xyxy, params.fix_grow * attempt), 1)
        for frame in range(max(0, finding.frame - reach), min(frames, finding.frame + reach + 1)):
            patches.setdefault(frame, []).append(patch)
    return patches


#: a face detector for the check: a BGR image -> (xyxy (N, 4) in its pixels, confidence (N,))
FaceFinder = Callable[[npt.NDArray[np.uint8]], tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]]
#: whether a face found at (clip seconds, box) may stay: it belongs to a kept person
MayStay = Callable[[float, Box], bool]


#: one decoded frame of the clip at each check width: (frame number, clip seconds,
#: [(BGR image, clip pixels per its pixel)])
Views = tuple[int, float, list[tuple[npt.NDArray[np.uint8], float]]]


def views(frames: Iterable[tuple[int, float, VideoFrame]], detect_width: int, params: VerifyParams) -> Iterator[Views]:
    """Each frame of a decoded clip at every width of :func:`check_widths`: at its own width the
    very pixels decoded, narrower ones averaged down from those, wider ones enlarged by FFmpeg."""
    widths: tuple[int, ...] = ()
    for index, clip_s, frame in frames:
        widths = widths or check_widths(frame.width, detect_width, params)
        own = bgr(frame)
        images = []
        for width in widths:
            if width == frame.width:
                images.append((own, 1.0))
            elif width < frame.width:
                height = max(2, round(frame.height * width / frame.width))
                images.append((np.asarray(Image.fromarray(own).resize((width, height), Image.Resampling.BOX)),
                               frame.width / width))
            else:
                images.append(shrunk_bgr(frame, width))
        yield index, clip_s, images


def check_views(frames: Iterable[Views], find: FaceFinder, may_stay: MayStay) -> CheckResult:
    """Look for faces on every frame of a written clip (:func:`views` of its decoded frames)."""
    count = 0
    widths: tuple[int, ...] = ()
    found: list[Finding] = []
    for index, clip_s, images in frames:
        widths = widths or tuple(image.shape[1] for image, _ in images)
        for image, scale in images:
            xyxy, confidence = find(image)
            for box, score in zip(xyxy * scale, confidence, strict=True):
                face = (float(box[0]), float(box[1]), float(box[2]), float(box[3]))
                if not may_stay(clip_s, face):
                    found.append(Finding(index, clip_s, face, float(score)))
        count += 1
    return CheckResult(count, widths, tuple(found))
