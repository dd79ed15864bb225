"""Join the tracks of independently analysed chunks into the tracks of the whole recording (pure).

Chunk ``k + 1`` re-reads the overlap window ``[start_s, own_start_s)`` that chunk ``k`` owns, so
at each boundary ``b`` (the later chunk's ``own_start_s``):

* a track of the earlier side and one of the later chunk that follow the same object through the
  window (same label, or car/truck/bus alike; mean IoU of their boxes at the same times >= ``min_iou``, at least two
  common times; one-to-one, best score first) become one track: the earlier boxes before ``b``,
  the later boxes from ``b`` on. The earlier side is everything stitched so far, so an object
  present in three chunks becomes one track;
* an unmatched later track whose boxes all lie before ``b`` is a duplicate view of what the
  earlier chunk owns and is dropped;
* an earlier track still present at ``b`` and a later one that begins in the overlap or soon
  after ``b``, where the first one was, are joined too (an object in a still scene, where only
  presence is recorded, or one the later tracker confirmed late);
* an unmatched later track that continues past ``b`` is kept whole (the earlier chunk did not see
  it long enough to track it); earlier tracks are never cut.

Track ids are local to a chunk; the result is renumbered 1..n in order of start.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping, Sequence
from dataclasses import replace
from fractions import Fraction
from itertools import pairwise
from statistics import median

from footage.geometry import box_iou
from footage.labels import same_kind
from footage.scale.chunks import Chunk
from footage.track.recorder import FinishedTrack
from footage.types import Track

__all__ = ["bridge_pairs", "stitch"]

_EPSILON_S = 1e-6


def stitch(chunks: Sequence[tuple[Chunk, Sequence[FinishedTrack]]], *, min_iou: float = 0.5,
           last_looks: Mapping[int, float] | None = None) -> list[FinishedTrack]:
    """The tracks of the whole recording from per-chunk results, with new ids 1..n by start.

    ``chunks`` pairs each planned :class:`Chunk` with the finished tracks its analysis produced
    (in any order of chunks; their own ranges must be contiguous). ``last_looks`` gives, by chunk
    index, the media time of the chunk's last sample (in a still scene it can fall a few seconds
    before the chunk's end); without it, the chunk's end.
    """
    ordered = sorted(chunks, key=lambda pair: pair[0].index)
    _check_contiguous([chunk for chunk, _ in ordered])
    if not ordered:
        return []
    tolerance_s = _sample_interval_s([f for _, tracks in ordered for f in tracks]) / 2 + _EPSILON_S
    stitched = list(ordered[0][1])
    for (before, _), (chunk, tracks) in pairwise(ordered):
        last_look = min(chunk.own_start_s, (last_looks or {}).get(before.index, chunk.own_start_s))
        stitched = _stitch_boundary(stitched, list(tracks), chunk, tolerance_s, min_iou, last_look)
    return _renumber(stitched)


def _check_contiguous(chunks: Sequence[Chunk]) -> None:
    for earlier, later in pairwise(chunks):
        if earlier.index == later.index:
            raise ValueError(f"chunk {later.index} is given twice")
        if earlier.own_end_s != later.own_start_s:
            raise ValueError(
                f"chunks {earlier.index} and {later.index} do not meet: own ranges end at {earlier.own_end_s} "
                f"and start at {later.own_start_s} (is a chunk's result missing?)"
            )


def _stitch_boundary(
    earlier: list[FinishedTrack], later: list[FinishedTrack], chunk: Chunk, tolerance_s: float, min_iou: float,
    last_look: float,
) -> list[FinishedTrack]:
    window = (chunk.start_s, chunk.own_start_s)
    later = [_in_time_base(f, earlier[0].track.time_base) for f in later] if earlier else later
    earlier_ids = [i for i, f in enumerate(earlier) if len(_times_in(f.track, window)) >= 2]
    later_ids = [j for j, f in enumerate(later) if len(_times_in(f.track, window)) >= 2]
    scored: list[tuple[float, int, int]] = []
    for i in earlier_ids:
        for j in later_ids:
            if not same_kind(earlier[i].track.label, later[j].track.label):
                continue
            score = _match_score(earlier[i].track, later[j].track, window, tolerance_s)
            if score is not None and score >= min_iou:
                scored.append((score, i, j))
    joined: dict[int, FinishedTrack] = {}
    used_later: set[int] = set()
    for _score, i, j in sorted(scored, key=lambda s: (-s[0], s[1], s[2])):
        if i not in joined and j not in used_later:
            joined[i] = _join(earlier[i], later[j], chunk.own_start_s)
            used_later.add(j)
    _bridge(earlier, later, chunk, tolerance_s, min_iou, last_look, joined, used_later)
    result = [joined.get(i, f) for i, f in enumerate(earlier)]
    for j, f in enumerate(later):
        if j not in used_later and _continues_past(f.track, chunk.own_start_s):
            result.append(f)
    return result


def _bridge(earlier: list[FinishedTrack], later: list[FinishedTrack], chunk: Chunk, tolerance_s: float, min_iou: float,
            last_look: float, joined: dict[int, FinishedTrack], used_later: set[int]) -> None:
    """Join what the overlap's boxes could not: an earlier track still present at the boundary
    and a later track that begins in the overlap or soon after it, where the first one was. This
    is an object in a still scene (the motion gate samples no boxes there, only presence), or one
    the later chunk's tracker confirmed a little late (two detections of one object)."""
    boundary = chunk.own_start_s
    last_sample = last_look - 2 * tolerance_s - 1e-6  # present at the earlier chunk's last look
    ends = {i: f.track for i, f in enumerate(earlier)
            if i not in joined and f.track.boxes and _seconds(f.track, f.track.last_pts) >= last_sample}
    starts = {j: f.track for j, f in enumerate(later)
              if j not in used_later and f.track.boxes
              and chunk.start_s <= _seconds(f.track, f.track.boxes[0].pts) <= boundary + chunk.overlap_s
              and _continues_past(f.track, boundary)}
    for i, j in bridge_pairs(ends, starts, min_iou=min_iou):
        joined[i] = _join(earlier[i], later[j], boundary)
        used_later.add(j)


def bridge_pairs(ends: Mapping[int, Track], starts: Mapping[int, Track], *, min_iou: float,
                 velocity_s: float = 0.0) -> list[tuple[int, int]]:
    """Which track that ends continues as which track that starts, one to one, best first:
    pairs ``(i, j)`` of the same kind where the last box of ``ends[i]`` and the first box of
    ``starts[j]`` overlap by at least ``min_iou``. With ``velocity_s``, the last box is first
    moved on to the time of the first one at the speed it had over its last ``velocity_s``
    seconds (an object walking across a file boundary, where no sample is shared). Both
    mappings' tracks must count time in one time base."""
    scored = []
    for i, end in ends.items():
        for j, start in starts.items():
            if not same_kind(end.label, start.label):
                continue
            last = _moved_on(end, _seconds(start, start.boxes[0].pts), velocity_s) if velocity_s > 0 else end.boxes[-1].xyxy
            scored.append((box_iou(last, start.boxes[0].xyxy), i, j))
    pairs: list[tuple[int, int]] = []
    taken_i: set[int] = set()
    taken_j: set[int] = set()
    for score, i, j in sorted(scored, key=lambda s: (-s[0], s[1], s[2])):
        if score >= min_iou and i not in taken_i and j not in taken_j:
            pairs.append((i, j))
            taken_i.add(i)
            taken_j.add(j)
    return pairs


def _moved_on(track: Track, at_s: float, velocity_s: float) -> tuple[float, float, float, float]:
    """The track's last box moved to time ``at_s`` at the speed of its last ``velocity_s``
    seconds (no further than one second ahead: a guess, not a forecast)."""
    last = track.boxes[-1]
    last_s = _seconds(track, last.pts)
    since = [box for box in track.boxes if last_s - velocity_s <= _seconds(track, box.pts) < last_s]
    if not since:
        return last.xyxy
    first = since[0]
    span_s = last_s - _seconds(track, first.pts)
    ahead_s = min(max(at_s - last_s, 0.0), 1.0)
    return tuple(b + (b - a) / span_s * ahead_s for a, b in zip(first.xyxy, last.xyxy, strict=True))  # type: ignore[return-value]


def _seconds(track: Track, pts: int) -> float:
    return float(pts * track.time_base)


def _times_in(track: Track, window: tuple[float, float]) -> list[float]:
    return [t for box in track.boxes if window[0] <= (t := _seconds(track, box.pts)) < window[1]]


def _continues_past(track: Track, boundary_s: float) -> bool:
    """Whether the object is still there at the boundary: a box, or presence (in a still scene
    the track's ``last_pts`` runs on without boxes)."""
    return _seconds(track, track.last_pts) >= boundary_s or any(_seconds(track, box.pts) >= boundary_s for box in track.boxes)


def _sample_interval_s(tracks: Sequence[FinishedTrack]) -> float:
    """The typical time between consecutive boxes of a track (0 when no track has two boxes)."""
    gaps = [
        _seconds(f.track, b.pts) - _seconds(f.track, a.pts)
        for f in tracks
        for a, b in pairwise(f.track.boxes)
        if b.pts > a.pts
    ]
    return float(median(gaps)) if gaps else 0.0


def _match_score(earlier: Track, later: Track, window: tuple[float, float], tolerance_s: float) -> float | None:
    """Mean IoU over the times both tracks have a box in the window, or None with fewer than 2 such times."""
    early_boxes = [(t, box) for box in earlier.boxes if window[0] <= (t := _seconds(earlier, box.pts)) < window[1]]
    early_times = [t for t, _ in early_boxes]
    ious: list[float] = []
    for box in later.boxes:
        t = _seconds(later, box.pts)
        if not window[0] <= t < window[1]:
            continue
        at = bisect.bisect_left(early_times, t)
        near = min((k for k in (at - 1, at) if 0 <= k < len(early_times)), key=lambda k: abs(early_times[k] - t), default=None)
        if near is not None and abs(early_times[near] - t) <= tolerance_s:
            ious.append(box_iou(early_boxes[near][1].xyxy, box.xyxy))
    return sum(ious) / len(ious) if len(ious) >= 2 else None


def _join(earlier: FinishedTrack, later: FinishedTrack, boundary_s: float) -> FinishedTrack:
    before = tuple(box for box in earlier.track.boxes if _seconds(earlier.track, box.pts) < boundary_s)
    after = tuple(box for box in later.track.boxes if _seconds(later.track, box.pts) >= boundary_s)
    track = replace(
        earlier.track,
        label=earlier.track.label if len(before) >= len(after) else later.track.label,
        last_pts=max(earlier.track.last_pts, later.track.last_pts),
        boxes=before + after,
    )
    weight = len(before) + len(after)
    confidence = (earlier.confidence * len(before) + later.confidence * len(after)) / weight if weight else earlier.confidence
    best, other = (later, earlier) if later.confidence > earlier.confidence else (earlier, later)
    thumbnail = best.thumbnail if best.thumbnail is not None else other.thumbnail
    poses = tuple(p for p in earlier.poses if _seconds(earlier.track, p.pts) < boundary_s) + \
        tuple(p for p in later.poses if _seconds(later.track, p.pts) >= boundary_s)
    return FinishedTrack(track, confidence, thumbnail, poses)


def _in_time_base(finished: FinishedTrack, time_base: Fraction) -> FinishedTrack:
    """The same track with its pts expressed in ``time_base`` (a no-op when it already is)."""
    track = finished.track
    if track.time_base == time_base:
        return finished

    def convert(pts: int) -> int:
        return round(pts * track.time_base / time_base)

    boxes = tuple(replace(box, pts=convert(box.pts)) for box in track.boxes)
    converted = replace(
        track, first_pts=convert(track.first_pts), last_pts=convert(track.last_pts), time_base=time_base, boxes=boxes
    )
    return replace(finished, track=converted, poses=tuple(replace(p, pts=convert(p.pts)) for p in finished.poses))


def _renumber(tracks: Sequence[FinishedTrack]) -> list[FinishedTrack]:
    def start(f: FinishedTrack) -> tuple[float, float]:
        return _seconds(f.track, f.track.first_pts), _seconds(f.track, f.track.last_pts)

    ordered = sorted(tracks, key=start)
    return [replace(f, track=replace(f.track, track_id=number)) for number, f in enumerate(ordered, start=1)]

