"""Prepare tracks for the rules: join the pieces of an object split by an occlusion into one
subject, and resample every subject onto one time grid so that two subjects can be compared
sample by sample."""

from __future__ import annotations

import bisect
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from footage.events.params import EventParams
from footage.types import Appearance, Event, Track
from footage.types import Float64Array as FloatArray

__all__ = ["Subject", "about", "apart", "feet", "link_fragments", "make_subjects", "scale_of"]


def scale_of(label: str, xyxy: FloatArray) -> FloatArray:
    """The yardstick distances are measured in: body height for a person, the square root of
    the box area for anything else. ``xyxy`` (N, 4) -> (N,)."""
    width = np.maximum(xyxy[:, 2] - xyxy[:, 0], 1.0)
    height = np.maximum(xyxy[:, 3] - xyxy[:, 1], 1.0)
    return height if label == "person" else np.sqrt(width * height)  # type: ignore[no-any-return]


def feet(xyxy: FloatArray) -> FloatArray:
    """(N, 2) the bottom centre of each box (N, 4): where the object touches the ground."""
    return np.stack([(xyxy[:, 0] + xyxy[:, 2]) / 2, xyxy[:, 3]], axis=1)


@dataclass(frozen=True, eq=False)
class Subject:
    """One object, possibly made of several tracks, sampled every ``step_s`` seconds.

    Sample ``i`` is at time ``(k0 + i) * step_s``; ``xyxy`` (n, 4) is the smoothed box there.
    ``key`` is the first track's id and names the subject in events.
    """

    key: int
    label: str
    track_ids: tuple[int, ...]
    k0: int
    step_s: float
    xyxy: FloatArray
    #: a person's posture over time, as read while indexing: (posture, start_s, end_s)
    postures: tuple[tuple[str, float, float], ...] = ()
    #: what the person wore (as read on the longest of its tracks where it was read)
    appearance: Appearance = field(default_factory=Appearance)

    @property
    def k1(self) -> int:
        """Grid index one past the last sample."""
        return self.k0 + len(self.xyxy)

    @property
    def start_s(self) -> float:
        return self.k0 * self.step_s

    @property
    def end_s(self) -> float:
        return (self.k1 - 1) * self.step_s

    @cached_property
    def times_s(self) -> FloatArray:
        return np.asarray((self.k0 + np.arange(len(self.xyxy))) * self.step_s, dtype=np.float64)

    @cached_property
    def foot(self) -> FloatArray:
        """(n, 2) the bottom centre of the box: where the object touches the ground."""
        return feet(self.xyxy)

    @cached_property
    def centre(self) -> FloatArray:
        return np.stack([(self.xyxy[:, 0] + self.xyxy[:, 2]) / 2, (self.xyxy[:, 1] + self.xyxy[:, 3]) / 2], axis=1)

    @cached_property
    def height(self) -> FloatArray:
        return np.maximum(self.xyxy[:, 3] - self.xyxy[:, 1], 1.0)  # type: ignore[no-any-return]

    @cached_property
    def width(self) -> FloatArray:
        return np.maximum(self.xyxy[:, 2] - self.xyxy[:, 0], 1.0)  # type: ignore[no-any-return]

    @cached_property
    def scale(self) -> FloatArray:
        return scale_of(self.label, self.xyxy)

    def index_at(self, k: int) -> int | None:
        """The sample index at grid index ``k``, or None when the subject is not there."""
        return k - self.k0 if self.k0 <= k < self.k1 else None


def apart(a: Subject, i: FloatArray | int | slice, b: Subject, j: FloatArray | int | slice) -> FloatArray:
    """Where ``a`` (at its samples ``i``) stands relative to ``b`` (at ``j``): feet offset (..., 2)
    in the mean body height of the two."""
    scale = (a.height[i] + b.height[j]) / 2
    return (a.foot[i] - b.foot[j]) / np.asarray(scale)[..., None]  # type: ignore[no-any-return]


def about(kind: str, who: Sequence[Subject], start_s: float, end_s: float, key_s: float, **facts: float) -> Event:
    """An event of ``kind`` about the subjects ``who`` (in the order the kind defines)."""
    return Event(kind, start_s, end_s, tuple(s.key for s in who), tuple(s.label for s in who),
                 tuple(t for s in who for t in s.track_ids), key_s, tuple(sorted(facts.items())))


#: a tracker sometimes starts a new track on an object shortly before giving up the old one
_OVERLAP_S = 2.0


def link_fragments(tracks: Sequence[Track], params: EventParams) -> list[tuple[Track, ...]]:
    """Chains of tracks that are one object: a track that ends and a track of the same label
    that starts within ``link_gap_s`` after it (or up to 2 s before its end) where the first was
    heading, within ``link_distance`` yardsticks. Closest pairs are joined first; each track
    joins at most one before and one after."""
    order = sorted(range(len(tracks)), key=lambda i: tracks[i].start_s)
    starts = [tracks[i].start_s for i in order]
    candidates: list[tuple[float, int, int]] = []
    for a, first in enumerate(tracks):
        lo = bisect.bisect_left(starts, first.end_s - _OVERLAP_S)
        hi = bisect.bisect_right(starts, first.end_s + params.link_gap_s)
        for b in order[lo:hi]:
            second = tracks[b]
            if a == b or first.label != second.label or second.start_s <= first.start_s:
                continue
            cost = _link_cost(first, second)
            if cost <= params.link_distance:
                candidates.append((cost, a, b))
    after: dict[int, int] = {}
    before: dict[int, int] = {}
    for _, a, b in sorted(candidates):
        if a not in after and b not in before:
            after[a], before[b] = b, a
    chains = []
    for start in range(len(tracks)):
        if start in before:
            continue
        chain = [start]
        while chain[-1] in after:
            chain.append(after[chain[-1]])
        chains.append(tuple(tracks[i] for i in chain))
    return chains


def _link_cost(first: Track, second: Track) -> float:
    """How far (in yardsticks) ``second`` starts from where ``first`` was heading."""
    last = first.xyxy[-1]
    recent = first.times_s >= first.times_s[-1] - 1.0
    velocity = np.zeros(2)
    if recent.sum() >= 2:
        t = first.times_s[recent]
        if t[-1] > t[0]:
            recent_feet = feet(first.xyxy[recent])
            velocity = (recent_feet[-1] - recent_feet[0]) / (t[-1] - t[0])
    predicted = feet(last[None])[0] + velocity * (second.start_s - float(first.times_s[-1]))
    scale = float(scale_of(first.label, last[None])[0])
    return float(np.linalg.norm(feet(second.xyxy[:1])[0] - predicted) / scale)


def make_subjects(tracks: Sequence[Track], params: EventParams) -> list[Subject]:
    """Link fragments, resample each chain onto the grid and smooth it; drop flickers shorter
    than ``min_present_s``."""
    subjects = []
    for chain in link_fragments(tracks, params):
        start, end = chain[0].start_s, max(t.end_s for t in chain)
        if end - start < params.min_present_s:
            continue
        times, boxes = _joined(chain)
        k0 = math.ceil(start / params.step_s - 1e-9)
        k1 = max(k0 + 1, math.floor(end / params.step_s + 1e-9) + 1)
        grid = (k0 + np.arange(k1 - k0)) * params.step_s
        resampled = np.stack([np.interp(grid, times, boxes[:, c]) for c in range(4)], axis=1)
        window = max(1, round(params.smooth_s / params.step_s)) | 1  # odd
        subjects.append(Subject(
            key=chain[0].track_id, label=chain[0].label, track_ids=tuple(t.track_id for t in chain),
            k0=k0, step_s=params.step_s, xyxy=_median_filter(resampled, window),
            postures=tuple((p.posture, float(p.start_pts * t.time_base), float(p.end_pts * t.time_base))
                           for t in chain for p in t.postures),
            appearance=max(chain, key=lambda t: (t.appearance != Appearance(), len(t.boxes))).appearance,
        ))
    return subjects


def _joined(chain: Sequence[Track]) -> tuple[FloatArray, FloatArray]:
    """The samples of a chain in time order; where two pieces overlap the later one wins."""
    times, boxes = [], []
    for piece, following in zip(chain, [*chain[1:], None], strict=True):
        keep = piece.times_s < following.start_s if following is not None else np.ones(len(piece.times_s), bool)
        times.append(piece.times_s[keep])
        boxes.append(piece.xyxy[keep])
    return np.concatenate(times), np.concatenate(boxes)


def _median_filter(values: FloatArray, window: int) -> FloatArray:
    """Running median along axis 0 over ``window`` samples, edges padded with the end values."""
    if window <= 1 or len(values) < 2:
        return values
    half = window // 2
    padded = np.pad(values, ((half, half), (0, 0)), mode="edge")
    return np.median(sliding_window_view(padded, window, axis=0), axis=-1)  # type: ignore[no-any-return]
