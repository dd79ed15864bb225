"""Look at the pose of tracked people while a recording is analysed, and read the colours of
their clothing there (the pose model at the I/O edge, :mod:`footage.people` for the rest)."""

from __future__ import annotations

import numpy as np

from footage.people.colours import clothing_colour, frame_light
from footage.pose.base import PoseEstimator
from footage.pose.params import PoseParams
from footage.types import Box, Detections, Frame, Pose, TrackPose

__all__ = ["PoseLooker"]


class PoseLooker:
    """Decides, frame by frame, whose pose to look at (:meth:`PoseParams.due`, and
    :meth:`PoseParams.due_near` for people near another; none smaller than ``min_height_px`` at
    the analysis size), runs the model on them and reads their clothing colours."""

    def __init__(self, estimator: PoseEstimator, params: PoseParams, person_class: int) -> None:
        self._estimator, self._params, self._person = estimator, params, person_class
        #: by track id: when the person was last looked at, and where their feet were then
        self._last: dict[int, tuple[float, float, float]] = {}

    def _due(self, now: float, track_id: int, box: np.ndarray, near: bool) -> bool:
        last = self._last.get(track_id)
        if last is None:
            return True
        when, x, y = last
        height = max(float(box[3] - box[1]), 1.0)
        since = now - when
        speed = float(np.hypot((box[0] + box[2]) / 2 - x, box[3] - y)) / height / max(since, 1e-6)
        if near and speed < self._params.moving_speed:  # with someone, not walking past them
            return self._params.due_near(when, now)
        return self._params.due(since, speed)

    def look(self, frame: Frame, tracked: Detections) -> dict[int, TrackPose]:
        """The poses of the people due for a look on ``frame``, by track id."""
        now = frame.seconds
        people = [row for row in range(len(tracked))
                  if tracked.class_id[row] == self._person and tracked.track_id[row] >= 0
                  and (tracked.xyxy[row, 3] - tracked.xyxy[row, 1]) / frame.scale >= self._params.min_height_px]
        near = _near_others(tracked.xyxy[people], self._params.near_gap)
        rows = [row for row, close in zip(people, near, strict=True)
                if self._due(now, int(tracked.track_id[row]), tracked.xyxy[row], close)]
        if not rows:
            return {}
        boxes: list[Box] = [tuple(float(v) for v in tracked.xyxy[row]) for row in rows]  # type: ignore[misc]
        poses = self._estimator.estimate(frame, boxes)
        rgb = np.ascontiguousarray(frame.image[:, :, ::-1])
        light = frame_light(rgb)
        found = {}
        for row, box, pose in zip(rows, boxes, poses, strict=True):
            track_id = int(tracked.track_id[row])
            self._last[track_id] = (now, (box[0] + box[2]) / 2, box[3])
            small_box: Box = tuple(v / frame.scale for v in box)  # type: ignore[assignment]
            small_pose = Pose(pose.keypoints * np.array([1 / frame.scale, 1 / frame.scale, 1], np.float32), small_box)
            found[track_id] = TrackPose(frame.pts, pose, clothing_colour(rgb, small_box, small_pose, "upper", light),
                                        clothing_colour(rgb, small_box, small_pose, "lower", light))
        return found


def _near_others(xyxy: np.ndarray, gap: float) -> list[bool]:
    """For each person box (N, 4): whether another lies within ``gap`` body heights of it (the
    space between the boxes, in the taller one's height)."""
    if len(xyxy) < 2:
        return [False] * len(xyxy)
    height = xyxy[:, 3] - xyxy[:, 1]
    dx = np.maximum(0.0, np.maximum(xyxy[:, None, 0], xyxy[None, :, 0]) - np.minimum(xyxy[:, None, 2], xyxy[None, :, 2]))
    dy = np.maximum(0.0, np.maximum(xyxy[:, None, 1], xyxy[None, :, 1]) - np.minimum(xyxy[:, None, 3], xyxy[None, :, 3]))
    close = np.hypot(dx, dy) <= gap * np.maximum(height[:, None], height[None, :])
    np.fill_diagonal(close, False)
    return [bool(v) for v in close.any(axis=1)]
