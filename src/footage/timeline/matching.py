"""Give the moments found again in a part of the timeline the ids of the stored moments they
continue (pure), so that a moment that grows as segments arrive keeps one id, its star and its
share links."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["Known", "keeps_key", "match_moments"]


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


#: how far a grown moment's key time may move, as a share of its length, before its key frame is
#: drawn again
KEY_DRIFT = 0.25


def keeps_key(old_key_us: int, new_key_us: int, start_us: int, end_us: int) -> bool:
    """Whether a moment that grew keeps the key frame drawn before: the old key time is still
    inside it and within :data:`KEY_DRIFT` of its length from the new one. A moment that grows
    by a minute a segment would otherwise be drawn again every minute (its middle moves); this
    way a long one is drawn a few times in all."""
    return start_us <= old_key_us <= end_us and abs(new_key_us - old_key_us) <= KEY_DRIFT * (end_us - start_us)
