"""Collect per-frame tracker output into finished :class:`Track` values (pure; no I/O).

Besides the boxes, it remembers for every track the best view of it for a thumbnail (the most
confident, largest box not cut by the frame edge) and extends a track's presence over stretches
where the motion gate saw the scene unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from statistics import median

import numpy as np
import numpy.typing as npt

from footage.track.base import TrackUpdate
from footage.types import Frame, Track, TrackBox, TrackPose

__all__ = ["FinishedTrack", "TrackRecorder"]


@dataclass(frozen=True)
class FinishedTrack:
    """A track that passed the quality filter, with its median confidence, best crop (HxWx3
    uint8 BGR at analysis size, or None) and the poses looked at (a person's, in time order)."""

    track: Track
    confidence: float
    thumbnail: npt.NDArray[np.uint8] | None
    poses: tuple[TrackPose, ...] = ()


@dataclass
class _Building:
    boxes: list[TrackBox] = field(default_factory=list)
    class_votes: dict[int, float] = field(default_factory=dict)
    confirmed: bool = False
    last_present_pts: int = 0
    best_score: float = -1.0
    best_crop: npt.NDArray[np.uint8] | None = None
    poses: list[TrackPose] = field(default_factory=list)


class TrackRecorder:
    """Accumulates tracks of one recording.

    ``min_confidence``: a track whose median detection confidence is lower is dropped as a false
    positive (a sign or a shadow that the detector half-believes on every frame);
    ``min_boxes``: fewer sampled boxes than this is noise.
    """

    def __init__(self, class_names: tuple[str, ...], time_base: Fraction, *, min_confidence: float, min_boxes: int) -> None:
        self._class_names = class_names
        self._time_base = time_base
        self._min_confidence = min_confidence
        self._min_boxes = min_boxes
        self._building: dict[int, _Building] = {}
        self._finished: list[FinishedTrack] = []

    def add(self, frame: Frame, update: TrackUpdate) -> None:
        """Record the tracked detections of an analysed frame and close the tracks that ended."""
        tracked = update.tracked
        for row in range(len(tracked)):
            track_id = int(tracked.track_id[row])
            building = self._building.setdefault(track_id, _Building())
            xyxy = tuple(float(v) for v in tracked.xyxy[row])
            confidence = float(tracked.confidence[row])
            building.boxes.append(TrackBox(frame.index, frame.pts, xyxy, confidence))  # type: ignore[arg-type]
            cls = int(tracked.class_id[row])
            building.class_votes[cls] = building.class_votes.get(cls, 0.0) + confidence
            building.confirmed = building.confirmed or track_id in update.confirmed_ids
            building.last_present_pts = frame.pts
            self._consider_thumbnail(building, frame, tracked.xyxy[row], confidence)
        for track_id in update.ended_ids:
            self._close(track_id)

    def add_poses(self, poses: dict[int, TrackPose]) -> None:
        """Record the poses looked at on a frame, by track id (after :meth:`add` of that frame)."""
        for track_id, pose in poses.items():
            building = self._building.get(track_id)
            if building is not None:
                building.poses.append(pose)

    def still_present(self, track_ids: frozenset[int], pts: int) -> None:
        """The scene at ``pts`` is unchanged: the given tracks are still there."""
        for track_id in track_ids:
            building = self._building.get(track_id)
            if building is not None:
                building.last_present_pts = max(building.last_present_pts, pts)

    def finish(self) -> list[FinishedTrack]:
        """Close every open track and return all kept tracks, ordered by start."""
        for track_id in list(self._building):
            self._close(track_id)
        return sorted(self._finished, key=lambda f: (f.track.first_pts, f.track.track_id))

    def _close(self, track_id: int) -> None:
        building = self._building.pop(track_id, None)
        if building is None or not building.confirmed or len(building.boxes) < self._min_boxes:
            return
        confidence = median(box.confidence for box in building.boxes)
        if confidence < self._min_confidence:
            return
        label = self._class_names[max(building.class_votes, key=building.class_votes.__getitem__)]
        track = Track(
            track_id=track_id,
            label=label,
            first_pts=building.boxes[0].pts,
            last_pts=max(building.last_present_pts, building.boxes[-1].pts),
            time_base=self._time_base,
            boxes=tuple(building.boxes),
        )
        self._finished.append(FinishedTrack(track, confidence, building.best_crop, tuple(building.poses)))

    @staticmethod
    def _consider_thumbnail(building: _Building, frame: Frame, xyxy: npt.NDArray[np.float32], confidence: float) -> None:
        height, width = frame.image.shape[:2]
        x1, y1, x2, y2 = (xyxy / frame.scale).tolist()
        touches_edge = x1 <= 1 or y1 <= 1 or x2 >= width - 1 or y2 >= height - 1
        score = confidence * float(np.sqrt(max(x2 - x1, 1) * max(y2 - y1, 1))) * (0.5 if touches_edge else 1.0)
        if score <= building.best_score:
            return
        pad_x, pad_y = 0.15 * (x2 - x1) + 4, 0.15 * (y2 - y1) + 4
        left, top = int(max(0, x1 - pad_x)), int(max(0, y1 - pad_y))
        right, bottom = int(min(width, x2 + pad_x)), int(min(height, y2 + pad_y))
        if right - left < 2 or bottom - top < 2:
            return
        building.best_score = score
        building.best_crop = frame.image[top:bottom, left:right].copy()
