"""How fast a person moves, in body heights a second: a yardstick that means the same near the
camera and far from it (a walk is about 0.75 across the view, less along it)."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = ["speed_at", "walking_boxes"]

Floats = npt.NDArray[np.float64]


def speed_at(times_s: Floats, xyxy: Floats, i: int, half_window_s: float = 0.5) -> float | None:
    """The speed of the feet (bottom centre of the box) around sample ``i``, over the samples
    within ``half_window_s`` each side, in heights of box ``i`` a second; None when they span
    less than 0.4 of a second (a track of one or two samples)."""
    lo = int(np.searchsorted(times_s, times_s[i] - half_window_s))
    hi = min(len(times_s) - 1, int(np.searchsorted(times_s, times_s[i] + half_window_s, side="right")) - 1)
    span = float(times_s[hi] - times_s[lo])
    if span < 0.4 - 1e-6:
        return None
    centre = (xyxy[:, 0] + xyxy[:, 2]) / 2
    moved = float(np.hypot(centre[hi] - centre[lo], xyxy[hi, 3] - xyxy[lo, 3]))
    return moved / span / max(float(xyxy[i, 3] - xyxy[i, 1]), 1.0)


def walking_boxes(times_s: Floats, xyxy: Floats, frame_height: float, min_speed: float = 0.4) -> list[int]:
    """The samples of a person's track where they walk (at least ``min_speed`` heights a second)
    with the whole body in the frame (the box touches neither the top nor the bottom edge):
    upright people, whose heights teach :func:`footage.people.ground.fit_ground`."""
    found = []
    for i in range(len(times_s)):
        speed = speed_at(times_s, xyxy, i)
        if speed is not None and speed >= min_speed and xyxy[i, 1] > 2 and xyxy[i, 3] < frame_height - 2:
            found.append(i)
    return found
