"""Give the moments found again in a part of the timeline the ids of the stored moments they
continue (pure), so that a moment that grows as segments arrive keeps one id, its star and its
share links."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["Known", "match_moments"]


@dataclass(frozen=True)
class Known:
    """A stored moment, or one just found: wall-clock bounds (microseconds) and track ids."""

    start_us: int
    end_us: int
    tracks: frozenset[int]
    id: int = 0


def match_moments(stored: Sequence[Known], found: Sequence[Known]) -> list[int | None]:
    """For each found moment, the id of the stored one it is (or None for a new moment): they
    overlap in time, or touch, and share a track; pairs sharing more tracks, then overlapping
    longer, are matched first, one to one."""
    scored = []
    for n, new in enumerate(found):
        for old in stored:
            shared = len(new.tracks & old.tracks)
            overlap = min(new.end_us, old.end_us) - max(new.start_us, old.start_us)
            if shared and overlap >= 0:
                scored.append((-shared, -overlap, n, old.id))
    ids: list[int | None] = [None] * len(found)
    taken: set[int] = set()
    for _, _, n, old_id in sorted(scored):
        if ids[n] is None and old_id not in taken:
            ids[n] = old_id
            taken.add(old_id)
    return ids
