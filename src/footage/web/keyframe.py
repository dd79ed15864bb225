"""Where each involved person stands on a moment's key frame, so the moment page can put a
keep-or-blur choice over each of them: pure functions over the overlay boxes of :mod:`views`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["KeyPerson", "box_at", "people_at_key"]

#: how far (seconds) a sampled box may lie from the key time and still place a person
_REACH_S = 2.0

Row = tuple[float, float, float, float, float]


@dataclass(frozen=True)
class KeyPerson:
    """An involved track on the key frame: ``box`` is (x1, y1, x2, y2) as fractions (0-1) of the
    picture's width and height, or None when it was not in view near the key time."""

    track_id: int
    label: str
    box: tuple[float, float, float, float] | None


def box_at(rows: Sequence[Row], time_s: float) -> tuple[float, float, float, float] | None:
    """The box at ``time_s`` from rows of (media seconds, x1, y1, x2, y2) sorted by time:
    interpolated between the samples either side when they are close, else the nearest sample
    within a couple of seconds, else None."""
    before = next((r for r in reversed(rows) if r[0] <= time_s), None)
    after = next((r for r in rows if r[0] > time_s), None)
    if before is not None and after is not None and after[0] - before[0] <= 2 * _REACH_S:
        f = (time_s - before[0]) / (after[0] - before[0])
        return _corners(tuple(b + (a - b) * f for b, a in zip(before, after, strict=True)))
    near = [r for r in (before, after) if r is not None and abs(r[0] - time_s) <= _REACH_S]
    return _corners(min(near, key=lambda r: abs(r[0] - time_s))) if near else None


def _corners(row: Sequence[float]) -> tuple[float, float, float, float]:
    return (round(row[1], 4), round(row[2], 4), round(row[3], 4), round(row[4], 4))


def people_at_key(tracks: Sequence[tuple[int, str]], boxes: dict[int, Sequence[Row]], key_s: float) -> tuple[KeyPerson, ...]:
    """The people among ``tracks`` (id, label) with their box at ``key_s``; ``boxes`` maps a
    track id to its overlay rows."""
    return tuple(KeyPerson(track_id, label, box_at(boxes.get(track_id, ()), key_s))
                 for track_id, label in tracks if label == "person")
