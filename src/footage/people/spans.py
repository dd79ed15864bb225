"""A person's posture over time: the posture of every sampled box of their track, smoothed into
spans ("sitting 12:04:10-12:24:31"), the posture timeline the index stores."""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Sequence

from footage.people.ground import Ground
from footage.people.motion import speed_at
from footage.people.posture import PostureParams, posture_of
from footage.types import Box, Pose, PostureSpan, Track, TrackPose

__all__ = ["longest_posture", "majority_colour", "posture_spans"]

#: a pose is used for the box samples this close to it in time (seconds)
_POSE_NEAR_S = 0.3
#: the posture of a sample is the most common within this many seconds either side
_SMOOTH_S = 0.6
#: a span shorter than this joins its neighbour (a sample or two of a wrong guess)
_MIN_SPAN_S = 1.0


def posture_spans(track: Track, poses: Sequence[TrackPose], ground: Ground | None,
                  params: PostureParams | None = None) -> list[PostureSpan]:
    """The posture spans of a person's ``track`` (empty for anything else): the posture of each
    sampled box, the most common one within :data:`_SMOOTH_S` either side of it, runs of one
    posture shorter than :data:`_MIN_SPAN_S` joined to their neighbour. The spans cover the
    track from its first pts to its last, each ending where the next begins."""
    if track.label != "person" or not track.boxes:
        return []
    times, xyxy = track.times_s, track.xyxy
    pose_times = [float(p.pts * track.time_base) for p in poses]
    said = []
    for i in range(len(times)):
        box: Box = tuple(float(v) for v in xyxy[i])  # type: ignore[assignment]
        upright = ground.upright_height(box[3]) if ground is not None else None
        said.append(posture_of(box, speed_at(times, xyxy, i), upright, _pose_near(poses, pose_times, float(times[i])),
                               params))
    names = []
    for i in range(len(times)):
        lo, hi = bisect.bisect_left(times, times[i] - _SMOOTH_S), bisect.bisect_right(times, times[i] + _SMOOTH_S)
        names.append(Counter(p.name for p in said[lo:hi]).most_common(1)[0][0])
    runs = _runs(names, times.tolist())
    spans = []
    for n, run in enumerate(runs):
        name = Counter(names[i] for i in run).most_common(1)[0][0]
        start_pts = track.first_pts if n == 0 else track.boxes[run[0]].pts
        end_pts = track.last_pts if n + 1 == len(runs) else track.boxes[runs[n + 1][0]].pts
        sure = [said[i].confidence for i in run if said[i].name == name] or [0.5]
        spans.append(PostureSpan(name, start_pts, end_pts, round(sum(sure) / len(sure), 3)))
    return spans


def _runs(names: Sequence[str], times: Sequence[float]) -> list[list[int]]:
    """Sample indices grouped into runs of one name; a run shorter than :data:`_MIN_SPAN_S`
    joins the run before it (the first one, the run after it)."""
    runs: list[list[int]] = []
    for i, name in enumerate(names):
        if runs and names[runs[-1][0]] == name:
            runs[-1].append(i)
        else:
            runs.append([i])

    def short(run: list[int]) -> bool:
        return times[run[-1]] - times[run[0]] < _MIN_SPAN_S

    joined: list[list[int]] = []
    for run in runs:
        if joined and (short(run) or names[joined[-1][0]] == names[run[0]]):
            joined[-1] += run
        elif len(joined) == 1 and short(joined[0]):
            joined[0] = joined[0] + run
        else:
            joined.append(run)
    return joined


def _pose_near(poses: Sequence[TrackPose], pose_times: Sequence[float], time_s: float) -> Pose | None:
    """The pose looked at nearest ``time_s``, if within :data:`_POSE_NEAR_S` of it."""
    k = bisect.bisect_left(pose_times, time_s)
    nearest = min((j for j in (k - 1, k) if 0 <= j < len(poses)), key=lambda j: abs(pose_times[j] - time_s), default=None)
    if nearest is None or abs(pose_times[nearest] - time_s) > _POSE_NEAR_S:
        return None
    return poses[nearest].pose


def majority_colour(names: Sequence[str | None]) -> str | None:
    """The colour read most often (None when none was read)."""
    seen = Counter(n for n in names if n)
    return seen.most_common(1)[0][0] if seen else None


def longest_posture(tracks: Sequence[Track]) -> tuple[str, float] | None:
    """The posture a person (the pieces of their track) spent longest in, with its seconds."""
    total: dict[str, float] = {}
    for track in tracks:
        for span in track.postures:
            total[span.posture] = total.get(span.posture, 0.0) + float((span.end_pts - span.start_pts) * track.time_base)
    if not total:
        return None
    name = max(total, key=total.__getitem__)
    return name, total[name]
