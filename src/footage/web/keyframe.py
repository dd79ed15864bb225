"""Where each involved person stands on a moment's key frame, so the moment page can put a
keep-or-blur choice over each of them: pure functions over the overlay boxes of :mod:`views`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from footage.types import box_at

__all__ = ["KeyPerson", "key_box", "people_at_key"]

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


def key_box(rows: Sequence[Row], time_s: float) -> tuple[float, float, float, float] | None:
    """The box at ``time_s`` from rows of (media seconds, x1, y1, x2, y2) sorted by time
    (:func:`footage.types.box_at`): interpolated between the samples either side when they are
    close, else the nearest sample within a couple of seconds, else None."""
    table = np.array(rows, dtype=np.float64).reshape(-1, 5)
    box = box_at(table[:, 0], table[:, 1:], time_s, hold_s=_REACH_S, max_gap_s=2 * _REACH_S)
    return None if box is None else (round(box[0], 4), round(box[1], 4), round(box[2], 4), round(box[3], 4))


def people_at_key(tracks: Sequence[tuple[int, str]], boxes: dict[int, Sequence[Row]], key_s: float) -> tuple[KeyPerson, ...]:
    """The people among ``tracks`` (id, label) with their box at ``key_s``; ``boxes`` maps a
    track id to its overlay rows."""
    return tuple(KeyPerson(track_id, label, key_box(boxes.get(track_id, ()), key_s))
                 for track_id, label in tracks if label == "person")
