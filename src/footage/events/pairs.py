"""Rules about two people: one walked up to the other; they stayed together; one of them is a
child with an adult. Distances are between the feet (box bottom centres), in the mean body
height of the two, so the same numbers hold near and far from the camera."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from footage.events.params import EventParams
from footage.events.runs import Run, bridge, runs
from footage.events.subjects import Subject, about, apart
from footage.types import Event
from footage.types import Float64Array as FloatArray

__all__ = ["Pair", "approaches", "child_with_adult", "overlapping_pairs", "together"]


@dataclass(frozen=True, eq=False)
class Pair:
    """Two subjects over the grid samples where both are present: ``a`` and ``b`` index their
    own samples, ``times_s`` the shared ones."""

    first: Subject
    second: Subject
    k0: int
    k1: int

    @cached_property
    def a(self) -> slice:
        return slice(self.k0 - self.first.k0, self.k1 - self.first.k0)

    @cached_property
    def b(self) -> slice:
        return slice(self.k0 - self.second.k0, self.k1 - self.second.k0)

    @cached_property
    def times_s(self) -> FloatArray:
        return self.first.times_s[self.a]

    @cached_property
    def offset(self) -> FloatArray:
        """(n, 2) where the first stands relative to the second, in mean body heights."""
        return apart(self.first, self.a, self.second, self.b)

    @cached_property
    def distance(self) -> FloatArray:
        """Feet apart, in mean body heights, per shared sample."""
        return np.hypot(*self.offset.T)  # type: ignore[no-any-return]

    def moved(self, who: Subject, i: int, j: int) -> float:
        """How far ``who`` moved between shared samples ``i`` and ``j``, in its body heights."""
        s = self.a if who is self.first else self.b
        start = s.start or 0
        foot, height = who.foot[start + i], who.height[start + i]
        return float(np.hypot(*(who.foot[start + j] - foot)) / height)


def overlapping_pairs(subjects: Sequence[Subject], min_len: int) -> Iterator[Pair]:
    """Every pair of subjects present together for at least ``min_len`` samples."""
    ordered = sorted(subjects, key=lambda s: s.k0)
    for n, first in enumerate(ordered):
        for second in ordered[n + 1:]:
            if second.k0 >= first.k1:
                break
            k0, k1 = second.k0, min(first.k1, second.k1)
            if k1 - k0 >= min_len:
                yield Pair(first, second, k0, k1)


def _near_runs(pair: Pair, params: EventParams) -> list[Run]:
    return bridge(runs(pair.distance <= params.near_distance), round(params.gap_s / params.step_s))


def together(pair: Pair, params: EventParams) -> Iterator[tuple[Event, Run]]:
    """``together``: feet within ``near_distance`` for at least ``together_s``, breaks of up to
    ``gap_s`` bridged. People passing each other are near for a second or two and do not count.
    Yields each event with its sample run, which :func:`child_with_adult` looks into."""
    min_len = round(params.together_s / params.step_s)
    for i, j in _near_runs(pair, params):
        if j - i >= min_len:
            start, end = float(pair.times_s[i]), float(pair.times_s[j - 1])
            yield about("together", (pair.first, pair.second), start, end, (start + end) / 2,
                         duration_s=end - start, closest=float(pair.distance[i:j].min())), (i, j)


def approaches(pair: Pair, params: EventParams) -> Iterator[Event]:
    """``approached``: the two were at least ``far_distance`` apart, then within
    ``near_distance`` at most ``approach_within_s`` later, and stayed near for
    ``approach_hold_s`` without passing each other (where one stands relative to the other moved
    less than ``near_distance`` in that time: someone walking past goes from one side to the
    other). The one who moved more is the mover, named first; ``mutual`` is 1 when the other
    moved at least half as far."""
    hold = round(params.approach_hold_s / params.step_s)
    within = round(params.approach_within_s / params.step_s)
    distance = pair.distance
    for i, j in _near_runs(pair, params):
        if i == 0 or j - i < hold:
            continue
        if np.hypot(*(pair.offset[i:i + hold] - pair.offset[i]).T).max() >= params.near_distance:
            continue  # passing by
        far = np.flatnonzero(distance[max(0, i - within):i] >= params.far_distance)
        if not len(far):
            continue
        f = max(0, i - within) + int(far[-1])
        moved = {s: pair.moved(s, f, i) for s in (pair.first, pair.second)}
        mover, other = sorted((pair.first, pair.second), key=lambda s: -moved[s])
        start, end = float(pair.times_s[f]), float(pair.times_s[i])
        yield about("approached", (mover, other), start, end, end, from_distance=float(distance[f]),
                     to_distance=float(distance[i]), mutual=float(moved[other] >= 0.5 * moved[mover]))


def child_with_adult(pair: Pair, run: Run, params: EventParams) -> Iterator[Event]:
    """``adult_with_child``: during a ``together`` run, at the samples where both stand on the
    same ground line (feet within ``ground_tolerance`` body heights vertically, so at the same
    distance from the camera), one box is at most ``child_ratio`` as tall as the other, in the
    median over at least a third of the run. The adult is named first."""
    i, j = run
    a = pair.first.height[pair.a][i:j]
    b = pair.second.height[pair.b][i:j]
    ground_gap = np.abs(pair.first.foot[pair.a][i:j, 1] - pair.second.foot[pair.b][i:j, 1])
    level = ground_gap <= params.ground_tolerance * (a + b) / 2
    if level.sum() < max(3, (j - i) / 3):
        return
    ratio = float(np.median(a[level] / b[level]))
    if ratio <= params.child_ratio:
        adult, child = pair.second, pair.first
    elif ratio >= 1 / params.child_ratio:
        adult, child, ratio = pair.first, pair.second, 1 / ratio
    else:
        return
    start, end = float(pair.times_s[i]), float(pair.times_s[j - 1])
    yield about("adult_with_child", (adult, child), start, end, (start + end) / 2, duration_s=end - start,
                 height_ratio=ratio)
