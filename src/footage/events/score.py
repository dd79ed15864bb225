"""How notable a moment is: what happened, for how long, with how many people, and how rare
that is on this camera.

The score is two parts: :func:`base_score`, which depends on the moment alone, and
:func:`rarity`, which depends on how many moments the camera has and how many of them share the
moment's headline kind. The index stores the first and keeps the counts of the second up to date
as recordings come and go, so it computes ``round(base + rarity, 3)`` when moments are read
(:mod:`footage.store.moments`) instead of rescoring a camera's history after every recording.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import replace

from footage.types import Moment, ScoreInput

__all__ = ["KIND_WEIGHT", "base_score", "notability", "rarity", "scores", "with_scores"]

#: what a kind is worth before duration, people and rarity; relations between people first
KIND_WEIGHT: Mapping[str, float] = {
    "handed_over": 3.0, "played_catch": 3.0, "adult_with_child": 2.5,
    "left_vehicle": 2.0, "entered_vehicle": 2.0, "vehicle_stopped_near_person": 2.0, "together": 2.0,
    "approached": 1.5, "sat_or_crouched": 1.5, "lingered": 1.0, "vehicle_stopped": 1.0,
    "vehicle_departed": 0.5, "appeared": 0.0, "left": 0.0,
}


def base_score(kinds: tuple[str, ...], duration_s: float, people: int) -> float:
    """What a moment scores before rarity: ``weight of the best kind + log2(1 + minutes) + 0.5
    per extra person`` (not rounded: the rounding comes after rarity is added)."""
    weight = max((KIND_WEIGHT[k] for k in kinds), default=0.0)
    return weight + math.log2(1 + duration_s / 60) + 0.5 * max(0, people - 1)


def rarity(kind_count: int, camera_count: int) -> float:
    """``log2((moments on the camera + 1) / (moments of this headline kind + 1))``: a catch on a
    street where people only walk by scores above the hundredth passer-by."""
    return math.log2((camera_count + 1) / (kind_count + 1))


def notability(kinds: tuple[str, ...], duration_s: float, people: int, kind_count: int, camera_count: int) -> float:
    """``base_score + rarity``, to three decimals."""
    return round(base_score(kinds, duration_s, people) + rarity(kind_count, camera_count), 3)


def scores(moments: Sequence[ScoreInput]) -> list[float]:
    """The notability of each of a camera's moments; rarity is counted among these moments."""
    counts = Counter(m.kind for m in moments)
    return [notability(m.kinds, m.duration_s, m.people, counts[m.kind], len(moments)) for m in moments]


def with_scores(moments: Sequence[Moment]) -> list[Moment]:
    """The moments (of one camera, or one file) with ``score`` set."""
    inputs = [ScoreInput(m.kind, m.kinds, m.duration_s, m.people) for m in moments]
    return [replace(m, score=score) for m, score in zip(moments, scores(inputs), strict=True)]
