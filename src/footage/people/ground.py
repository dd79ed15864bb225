"""How tall an upright person is at each place in a camera's view, learned from the people who
walk through it.

A fixed camera looking down at a flat floor sees a person smaller the further away they stand,
and further away is higher in the picture: the upright height of a person is, to a good
approximation, a straight line in the image row of their feet (the ground plane's horizon is
where that line reaches zero; see Hoiem, Efros and Hebert, "Putting Objects in Perspective",
CVPR 2006). People who walk are upright, so the boxes of walking tracks give the line with no
calibration. A seated person's box is then about 0.7 of that height, a crouching one about 0.6,
one lying down far less (:mod:`footage.people.posture`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from footage.people.motion import walking_boxes
from footage.types import Track

__all__ = ["Ground", "fit_ground", "learn_ground"]

Floats = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Ground:
    """Upright height in pixels = ``slope`` * foot row + ``offset``, learned from ``samples``
    boxes whose feet spanned rows ``low_y`` to ``high_y`` (trusted a little beyond)."""

    slope: float
    offset: float
    samples: int
    low_y: float
    high_y: float

    def upright_height(self, foot_y: float) -> float | None:
        """The height of an upright person with feet at row ``foot_y``, where the line is known."""
        reach = 0.25 * (self.high_y - self.low_y) + 20.0
        if not self.low_y - reach <= foot_y <= self.high_y + reach:
            return None
        height = self.slope * foot_y + self.offset
        return height if height > 4.0 else None


def fit_ground(foot_y: Floats, height: Floats, *, min_samples: int = 30) -> Ground | None:
    """The line through the (foot row, height) of upright people, robust to the odd box that is
    not one (a person half hidden, two people in one box): least squares, then again without the
    points further than three robust deviations from it. None with fewer than ``min_samples``
    points. Where the feet hardly change row (a camera looking straight along a corridor floor
    at one distance) the line is flat: the median height."""
    y, h = np.asarray(foot_y, np.float64), np.asarray(height, np.float64)
    if len(y) < min_samples:
        return None
    keep = np.ones(len(y), bool)
    slope, offset = 0.0, float(np.median(h))
    for _ in range(3):
        spread = np.percentile(y[keep], 90) - np.percentile(y[keep], 10)
        if spread < 0.5 * np.median(h[keep]):
            slope, offset = 0.0, float(np.median(h[keep]))
        else:
            slope, offset = (float(v) for v in np.polyfit(y[keep], h[keep], 1))
        residual = h - (slope * y + offset)
        deviation = 1.4826 * float(np.median(np.abs(residual[keep]))) + 1e-6
        keep = np.abs(residual) <= 3 * deviation
        if keep.sum() < min_samples:
            return None
    return Ground(slope, offset, int(keep.sum()), float(np.percentile(y[keep], 2)), float(np.percentile(y[keep], 98)))


def learn_ground(tracks: Sequence[Track], frame_height: float) -> Ground | None:
    """The ground line of a view from its tracks: the boxes of the people walking through it,
    whole in the frame (``frame_height`` pixels tall; 0: not known)."""
    feet, heights = [], []
    for track in tracks:
        if track.label == "person":
            xyxy = track.xyxy
            for i in walking_boxes(track.times_s, xyxy, frame_height or float("inf")):
                feet.append(xyxy[i, 3])
                heights.append(xyxy[i, 3] - xyxy[i, 1])
    return fit_ground(np.array(feet), np.array(heights))
