"""Name a person's posture at one moment: standing, walking, sitting, crouching or lying.

Three cues, strongest first:

* **Height against the ground line** (:mod:`footage.people.ground`): where the camera has seen
  people walk, it knows how tall an upright person is where this one's feet are. Body
  proportions (stature 1, seated on a chair about 0.7 from head to feet, squatting about 0.6)
  put a box under ``seated_ratio`` of that height, held still, at sitting, and one under
  ``crouch_ratio`` at crouching. This works on people far too small for a pose model. A child is
  low too, but walks: a moving low box is a person walking.
* **Pose** (:class:`footage.types.Pose`): a thigh far from the line of the torso (a person
  seated on a chair or the floor holds the thigh near level) is sitting; a torso lying near
  level is lying.
* **Box shape and motion**: a box wider than it is tall is someone lying (or the box is not a
  person); otherwise a person moving faster than ``walk_speed`` body heights a second (about a
  quarter of a metre a second) is walking, else standing.

Pure: the caller measures the speed, finds the upright height and runs the pose model.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from footage.types import Box, Pose

__all__ = ["POSTURES", "Posture", "PostureParams", "posture_of"]

#: every posture, as stored and searched
POSTURES: tuple[str, ...] = ("standing", "walking", "sitting", "crouching", "lying")


@dataclass(frozen=True)
class PostureParams:
    """The thresholds of :func:`posture_of`. ``walk_speed``: body heights a second (0.15, about a
    quarter of a metre a second: slower is shifting on the spot, and a walk seen along the view
    moves that little); ``still_speed``: a low box moving faster is a child walking, not a person
    seated; ``seated_ratio``, ``crouch_ratio``: of the upright height where the feet are (seated
    on a chair about 0.7, squatting about 0.6 of stature); ``lying_aspect``: a box less tall than
    this times its width; ``thigh_angle``, ``torso_lying_angle``: degrees from vertical of the
    hip-to-knee and shoulder-to-hip lines; ``min_score``: the pose model's score a keypoint
    needs to count."""

    walk_speed: float = 0.15
    seated_ratio: float = 0.8
    crouch_ratio: float = 0.62
    still_speed: float = 0.4
    lying_aspect: float = 0.9
    thigh_angle: float = 45.0
    torso_lying_angle: float = 60.0
    min_score: float = 0.3

    def __post_init__(self) -> None:
        if not 0 < self.crouch_ratio < self.seated_ratio < 1:
            raise ValueError("posture: need 0 < crouch_ratio < seated_ratio < 1")
        for name in ("walk_speed", "still_speed", "lying_aspect", "min_score"):
            if getattr(self, name) < 0:
                raise ValueError(f"posture.{name} must not be negative")


@dataclass(frozen=True)
class Posture:
    """A posture with how sure the rule is (0.5-1: how far the cue is past its threshold) and
    which cue decided it: ``ground``, ``pose`` or ``box``."""

    name: str
    confidence: float
    cue: str


def _sure(margin: float) -> float:
    """0.5 at a threshold, towards 1 far past it (``margin`` as a fraction of the threshold)."""
    return round(0.5 + 0.5 * min(1.0, abs(margin) * 4), 3)


def _angle_from_vertical(dx: float, dy: float) -> float:
    return math.degrees(math.atan2(abs(dx), dy))


def _middle(pose: Pose, a: str, b: str, min_score: float) -> tuple[float, float] | None:
    points = [p for p in (pose.point(a, min_score), pose.point(b, min_score)) if p is not None]
    if not points:
        return None
    return sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points)


def _from_pose(pose: Pose, params: PostureParams) -> Posture | None:
    shoulders = _middle(pose, "left_shoulder", "right_shoulder", params.min_score)
    hips = _middle(pose, "left_hip", "right_hip", params.min_score)
    if shoulders is None or hips is None:
        return None
    torso = _angle_from_vertical(hips[0] - shoulders[0], hips[1] - shoulders[1])
    if torso >= params.torso_lying_angle:
        return Posture("lying", _sure((torso - params.torso_lying_angle) / params.torso_lying_angle), "pose")
    knees = _middle(pose, "left_knee", "right_knee", params.min_score)
    if knees is None:
        return None
    thigh = _angle_from_vertical(knees[0] - hips[0], knees[1] - hips[1])
    if thigh >= params.thigh_angle:
        return Posture("sitting", _sure((thigh - params.thigh_angle) / params.thigh_angle), "pose")
    return None


def posture_of(box: Box, speed: float | None, upright_height: float | None, pose: Pose | None,
               params: PostureParams | None = None) -> Posture:
    """The posture of a person in ``box`` (pixels) moving at ``speed`` body heights a second
    (None: not known), where an upright person would be ``upright_height`` pixels tall (None:
    the camera has not learned it there), with ``pose`` where the pose model ran."""
    params = params or PostureParams()
    x1, y1, x2, y2 = box
    height, width = max(y2 - y1, 1.0), max(x2 - x1, 1.0)
    moving = speed or 0.0
    if upright_height:
        ratio = height / upright_height
        if ratio < params.seated_ratio and moving < params.still_speed:
            if ratio < params.crouch_ratio:
                return Posture("crouching", _sure((params.crouch_ratio - ratio) / params.crouch_ratio), "ground")
            return Posture("sitting", _sure((params.seated_ratio - ratio) / params.seated_ratio), "ground")
    elif pose is not None:
        found = _from_pose(pose, params)
        if found is not None:
            return found
    if height / width < params.lying_aspect:
        return Posture("lying", _sure((params.lying_aspect - height / width) / params.lying_aspect), "box")
    if moving >= params.walk_speed:
        return Posture("walking", _sure((moving - params.walk_speed) / params.walk_speed), "box")
    return Posture("standing", _sure((params.walk_speed - moving) / params.walk_speed) if speed is not None else 0.5,
                   "box")
