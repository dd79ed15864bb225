"""Read gestures from the poses of tracked people: an arm raised, an arm held out towards
another person, a hand at another person's hand, a fast throwing swing of the arm.

Every cue is measured in the person's own torso length (shoulders to hips), so it means the same
near the camera and far from it. Each pose is read on its own (``raised_arm``, ``extended_arm``,
``hand_to_hand``) or against the pose looked at just before it (``threw``); the samples of one
gesture close in time join into one :class:`footage.types.Gesture` span.

Pure: the index writer hands over every person's poses (original-frame pixels, pts in the
time base of the tracks) and stores what comes back.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from footage.types import KEYPOINTS, Gesture, Pose, TrackPose

__all__ = ["GESTURES", "GestureParams", "gestures_of", "say_gestures"]

#: every gesture, as stored and searched
GESTURES: tuple[str, ...] = ("raised_arm", "extended_arm", "hand_to_hand", "threw")
_SAID = {"raised_arm": "raised an arm", "extended_arm": "held out an arm", "hand_to_hand": "hand to hand",
         "threw": "threw"}


def say_gestures(gestures: Sequence[Gesture]) -> str:
    """``raised an arm x2, hand to hand`` (empty when there were none)."""
    counts: dict[str, int] = {}
    for gesture in gestures:
        counts[gesture.kind] = counts.get(gesture.kind, 0) + 1
    return ", ".join(f"{_SAID[k]} x{n}" if n > 1 else _SAID[k] for k, n in counts.items())

_ARMS = (("left_shoulder", "left_elbow", "left_wrist"), ("right_shoulder", "right_elbow", "right_wrist"))


@dataclass(frozen=True)
class GestureParams:
    """Thresholds, in torso lengths (shoulders to hips) unless said. ``raise_above``: a wrist
    this far above its shoulder is a raised arm; ``reach``: a wrist this far out sideways from
    its shoulder, between the head and the hips, is an extended arm, ``towards`` another person
    whose box lies on that side within ``towards_heights`` body heights; ``hands_apart``: two
    people's wrists this close (on poses at most ``same_time_s`` apart) are hand to hand;
    ``throw_speed``: a wrist moving this fast (torso lengths a second, between poses at most
    ``throw_window_s`` apart) that ends raised or reaching is a throw; ``join_s``: samples of a
    gesture this close join into one span; ``min_score``: the model's score a keypoint needs."""

    raise_above: float = 0.3
    reach: float = 0.85
    towards_heights: float = 3.0
    hands_apart: float = 0.35
    same_time_s: float = 0.15
    throw_speed: float = 4.0
    throw_window_s: float = 0.5
    join_s: float = 1.2
    min_score: float = 0.3


@dataclass(frozen=True)
class _Body:
    """The parts of one pose the cues read, or None where the model was unsure."""

    torso: float
    height: float
    centre_x: float
    shoulders: tuple[np.ndarray | None, np.ndarray | None]
    wrists: tuple[np.ndarray | None, np.ndarray | None]
    top_y: float
    hip_y: float


def _point(pose: Pose, name: str, min_score: float) -> np.ndarray | None:
    row = pose.keypoints[KEYPOINTS.index(name)]
    return np.array(row[:2], np.float64) if row[2] >= min_score else None


def _body(pose: Pose, min_score: float) -> _Body | None:
    shoulders = tuple(_point(pose, arm[0], min_score) for arm in _ARMS)
    hips = [p for p in (_point(pose, "left_hip", min_score), _point(pose, "right_hip", min_score)) if p is not None]
    seen = [p for p in shoulders if p is not None]
    if not seen or not hips:
        return None
    shoulder, hip = np.mean(seen, axis=0), np.mean(hips, axis=0)
    torso = float(np.hypot(*(hip - shoulder)))
    if torso < 4.0:  # a pose a few pixels tall says nothing about arms
        return None
    x1, y1, x2, y2 = pose.box
    nose = _point(pose, "nose", min_score)
    return _Body(torso, max(y2 - y1, 1.0), (x1 + x2) / 2, shoulders,  # type: ignore[arg-type]
                 tuple(_point(pose, arm[2], min_score) for arm in _ARMS),  # type: ignore[arg-type]
                 float(nose[1]) if nose is not None else float(shoulder[1]) - 0.5 * torso, float(hip[1]))


def _raised(body: _Body, params: GestureParams) -> bool:
    return any(w is not None and s is not None and s[1] - w[1] >= params.raise_above * body.torso
               for s, w in zip(body.shoulders, body.wrists, strict=True))


def _reaching(body: _Body, params: GestureParams) -> list[float]:
    """The sideways direction (-1 left in the picture, +1 right) of each arm held out."""
    out = []
    for s, w in zip(body.shoulders, body.wrists, strict=True):
        if s is None or w is None:
            continue
        if abs(w[0] - s[0]) >= params.reach * body.torso and body.top_y <= w[1] <= body.hip_y:
            out.append(math.copysign(1.0, w[0] - s[0]))
    return out


@dataclass(frozen=True)
class _Sample:
    kind: str
    seconds: float
    pts: int
    confidence: float
    other: int | None = None


def gestures_of(poses: Mapping[int, Sequence[TrackPose]], time_base: Fraction,
                params: GestureParams | None = None) -> dict[int, tuple[Gesture, ...]]:
    """The gestures of each person (by track id) from the poses looked at on them (each
    person's in time order; all tracks of one recording, in ``time_base``)."""
    params = params or GestureParams()
    bodies = {tid: [(float(p.pts * time_base), p, _body(p.pose, params.min_score)) for p in found]
              for tid, found in poses.items()}
    out = {}
    for tid, mine in bodies.items():
        samples: list[_Sample] = []
        for n, (seconds, look, body) in enumerate(mine):
            if body is None:
                continue
            if _raised(body, params):
                samples.append(_Sample("raised_arm", seconds, look.pts, 0.8))
            for side in _reaching(body, params):
                samples.append(_Sample("extended_arm", seconds, look.pts, 0.7,
                                       _towards(tid, body, side, seconds, bodies, params)))
            samples += _hands_met(tid, body, seconds, look.pts, bodies, params)
            if n > 0:
                samples += _throw(mine[n - 1], (seconds, look, body), params)
        out[tid] = _joined(samples, poses[tid], time_base, params)
    return out


_Looked = tuple[float, TrackPose, "_Body | None"]


def _others_at(tid: int, seconds: float, bodies: Mapping[int, Sequence[_Looked]], window: float) -> list[tuple[int, _Body]]:
    """The other people with a pose looked at within ``window`` of ``seconds``: the nearest each."""
    found = []
    for other, looks in bodies.items():
        if other == tid or not looks or looks[0][0] > seconds + window or looks[-1][0] < seconds - window:
            continue
        k = bisect.bisect_left(looks, seconds, key=lambda look: look[0])
        near: list[tuple[float, _Body]] = []
        for j in (k - 1, k):
            body = looks[j][2] if 0 <= j < len(looks) else None
            if body is not None and abs(looks[j][0] - seconds) <= window:
                near.append((abs(looks[j][0] - seconds), body))
        if near:
            found.append((other, min(near, key=lambda item: item[0])[1]))
    return found


def _towards(tid: int, body: _Body, side: float, seconds: float, bodies: Mapping[int, Sequence[_Looked]],
             params: GestureParams) -> int | None:
    """The nearest other person on the side the arm points to, within ``towards_heights``."""
    best = None
    for other, them in _others_at(tid, seconds, bodies, 1.0):
        dx = them.centre_x - body.centre_x
        if dx * side > 0 and abs(dx) <= params.towards_heights * body.height and (best is None or abs(dx) < best[0]):
            best = (abs(dx), other)
    return best[1] if best else None


def _hands_met(tid: int, body: _Body, seconds: float, pts: int, bodies: Mapping[int, Sequence[_Looked]],
               params: GestureParams) -> list[_Sample]:
    found = []
    for other, them in _others_at(tid, seconds, bodies, params.same_time_s):
        limit = params.hands_apart * (body.torso + them.torso) / 2
        gaps = [float(np.hypot(*(a - b))) for a in body.wrists if a is not None for b in them.wrists if b is not None]
        if gaps and min(gaps) <= limit:
            found.append(_Sample("hand_to_hand", seconds, pts, round(0.5 + 0.5 * (1 - min(gaps) / limit), 3), other))
    return found


def _throw(before: _Looked, after: _Looked, params: GestureParams) -> list[_Sample]:
    (t0, _, b0), (t1, look, b1) = before, after
    if b0 is None or b1 is None or not 0 < t1 - t0 <= params.throw_window_s:
        return []
    for w0, w1 in zip(b0.wrists, b1.wrists, strict=True):
        if w0 is None or w1 is None:
            continue
        speed = float(np.hypot(*(w1 - w0))) / ((b0.torso + b1.torso) / 2) / (t1 - t0)
        if speed >= params.throw_speed and (_raised(b0, params) or _raised(b1, params) or _reaching(b1, params)):
            return [_Sample("threw", t1, look.pts, round(min(1.0, 0.5 * speed / params.throw_speed), 3))]
    return []


def _joined(samples: Sequence[_Sample], poses: Sequence[TrackPose], time_base: Fraction,
            params: GestureParams) -> tuple[Gesture, ...]:
    """Samples of one kind (and one other person) at most ``join_s`` apart, as one span each; a
    span of one sample lasts from the pose before it to the pose after it, halfway each side."""
    pts_all = [p.pts for p in poses]
    spans: list[list[_Sample]] = []
    for sample in sorted(samples, key=lambda s: (s.kind, s.other is None, s.other or 0, s.seconds)):
        before = spans[-1][-1] if spans else None
        if before is not None and (before.kind, before.other) == (sample.kind, sample.other) \
                and sample.seconds - before.seconds <= params.join_s:
            spans[-1].append(sample)
        else:
            spans.append([sample])
    out = []
    for span in spans:
        first, last = pts_all.index(span[0].pts), pts_all.index(span[-1].pts)
        start = (pts_all[first - 1] + pts_all[first]) // 2 if first > 0 else pts_all[first]
        end = (pts_all[last] + pts_all[last + 1]) // 2 if last + 1 < len(pts_all) else pts_all[last]
        limit = round(params.join_s / 2 / time_base)  # never wider than half the join each side
        out.append(Gesture(span[0].kind, max(start, span[0].pts - limit), min(end, span[-1].pts + limit),
                           round(sum(s.confidence for s in span) / len(span), 3), span[0].other))
    return tuple(sorted(out, key=lambda g: (g.start_pts, g.kind)))
