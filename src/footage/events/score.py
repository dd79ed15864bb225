"""How notable a moment is: what happened, for how long, with how many people, and how rare
that is on this camera."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import replace

from footage.types import Moment, ScoreInput

__all__ = ["KIND_WEIGHT", "notability", "scores", "with_scores"]

#: what a kind is worth before duration, people and rarity; relations between people first
KIND_WEIGHT: Mapping[str, float] = {
    "handed_over": 3.0, "played_catch": 3.0, "adult_with_child": 2.5,
    "left_vehicle": 2.0, "entered_vehicle": 2.0, "vehicle_stopped_near_person": 2.0, "together": 2.0,
    "approached": 1.5, "sat_or_crouched": 1.5, "lingered": 1.0, "vehicle_stopped": 1.0,
    "vehicle_departed": 0.5, "appeared": 0.0, "left": 0.0,
}


def notability(kinds: tuple[str, ...], duration_s: float, people: int, kind_count: int, camera_count: int) -> float:
    """``weight of the best kind + log2(1 + minutes) + 0.5 per extra person + rarity``, where
    rarity is ``log2((moments on the camera + 1) / (moments of this headline kind + 1))``: a
    catch on a street where people only walk by scores above the hundredth passer-by."""
    weight = max((KIND_WEIGHT[k] for k in kinds), default=0.0)
    rarity = math.log2((camera_count + 1) / (kind_count + 1))
    return round(weight + math.log2(1 + duration_s / 60) + 0.5 * max(0, people - 1) + rarity, 3)


def scores(moments: Sequence[ScoreInput]) -> list[float]:
    """The notability of each of a camera's moments; rarity is counted among these moments."""
    counts = Counter(m.kind for m in moments)
    return [notability(m.kinds, m.duration_s, m.people, counts[m.kind], len(moments)) for m in moments]


def with_scores(moments: Sequence[Moment]) -> list[Moment]:
    """The moments (of one camera, or one file) with ``score`` set."""
    inputs = [ScoreInput(m.kind, m.kinds, m.duration_s, m.people) for m in moments]
    return [replace(m, score=score) for m, score in zip(moments, scores(inputs), strict=True)]
