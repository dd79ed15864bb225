"""A person's posture over time: the posture of every sampled box of their track, smoothed into
spans ("sitting 12:04:10-12:24:31"), the posture timeline the index stores."""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Sequence

from footage.people.ground import Ground
from footage.people.motion import speed_at
from footage.people.posture import PostureParams, posture_of
from footage.types import Box, PostureSpan, Track, TrackPose

__all__ = ["majority_colour", "posture_spans"]

#: a pose is used for the box samples this close to it in time (seconds)
_POSE_NEAR_S = 0.3
#: the posture of a sample is the most common within this many seconds either side
_SMOOTH_S = 0.6
#: a span shorter than this joins its neighbour (a sample or two of a wrong guess)
_MIN_SPAN_S = 1.0


def posture_spans(track: Track, poses: Sequence[TrackPose], ground: Ground | None,
                  params: PostureParams | None = None) -> list[PostureSpan]:
    """The posture spans of a person's ``track`` (empty for anything else)."""
    if track.label != "person" or not track.boxes:
        return []
    times, xyxy = track.times_s, track.xyxy
    pose_times = [float(p.pts * track.time_base) for p in poses]
    said = []
    for i in range(len(times)):
        box: Box = tuple(float(v) for v in xyxy[i])  # type: ignore[assignment]
        near = bisect.bisect_left(pose_times, times[i])
        pose = next((poses[k].pose for k in sorted((near - 1, near), key=lambda k: abs(pose_times[k] - times[i])
                                                   if 0 <= k < len(poses) else 1e9)
                     if 0 <= k < len(poses) and abs(pose_times[k] - times[i]) <= _POSE_NEAR_S), None)
        upright = ground.upright_height(box[3]) if ground is not None else None
        said.append(posture_of(box, speed_at(times, xyxy, i), upright, pose, params))
    names = []
    for i in range(len(times)):
        lo, hi = bisect.bisect_left(times, times[i] - _SMOOTH_S), bisect.bisect_right(times, times[i] + _SMOOTH_S)
        names.append(Counter(p.name for p in said[lo:hi]).most_common(1)[0][0])
    runs: list[list[int]] = []
    for i, name in enumerate(names):
        if runs and names[runs[-1][0]] == name:
            runs[-1].append(i)
        else:
            runs.append([i])
    merged: list[list[int]] = []
    for run in runs:
        short = times[run[-1]] - times[run[0]] < _MIN_SPAN_S
        if merged and (short or names[merged[-1][0]] == names[run[0]]):
            merged[-1] += run
        elif len(merged) == 1 and times[merged[0][-1]] - times[merged[0][0]] < _MIN_SPAN_S:
            merged[0] += run  # a short first run joins the one after it
            for i in merged[0]:
                names[i] = names[run[0]]
        else:
            merged.append(run)
    spans = []
    for n, run in enumerate(merged):
        name = Counter(names[i] for i in run).most_common(1)[0][0]
        end = merged[n + 1][0] if n + 1 < len(merged) else run[-1]
        start_pts = track.first_pts if n == 0 else track.boxes[run[0]].pts
        end_pts = track.last_pts if n + 1 == len(merged) else track.boxes[end].pts
        sure = [said[i].confidence for i in run if said[i].name == name]
        spans.append(PostureSpan(name, start_pts, end_pts, round(sum(sure) / len(sure), 3)))
    return spans


def majority_colour(names: Sequence[str | None]) -> str | None:
    """The colour read most often (None when none was read)."""
    seen = Counter(n for n in names if n)
    return seen.most_common(1)[0][0] if seen else None
