"""Small building blocks over sampled series: runs of true samples, and stays in one place."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from footage.types import Float64Array as FloatArray

__all__ = ["bridge", "runs", "stays"]

Run = tuple[int, int]  # sample indices [start, stop)


def runs(mask: npt.NDArray[np.bool_]) -> list[Run]:
    """Maximal stretches of true samples as ``(start, stop)`` index pairs."""
    padded = np.concatenate([[False], np.asarray(mask, dtype=bool), [False]])
    edges = np.flatnonzero(padded[1:] != padded[:-1])
    return [(int(a), int(b)) for a, b in zip(edges[::2], edges[1::2], strict=True)]


def bridge(found: list[Run], max_gap: int) -> list[Run]:
    """Join runs separated by at most ``max_gap`` false samples (a flicker is not a break)."""
    joined: list[Run] = []
    for start, stop in found:
        if joined and start - joined[-1][1] <= max_gap:
            joined[-1] = (joined[-1][0], stop)
        else:
            joined.append((start, stop))
    return joined


def stays(points: FloatArray, radius: FloatArray, min_len: int) -> list[Run]:
    """Stretches of at least ``min_len`` samples during which a moving point stays within
    ``radius[i]`` of where it was at the stretch's first sample ``i`` (the stay-point rule of
    GPS trajectory mining). ``points`` (n, 2), ``radius`` (n,)."""
    found: list[Run] = []
    n = len(points)
    i = 0
    while i < n:
        j = _first_outside(points, i, float(radius[i]))
        if j - i >= min_len:
            found.append((i, j))
            i = j
        else:
            i += 1
    return found


def _first_outside(points: FloatArray, anchor: int, radius: float, chunk: int = 256) -> int:
    """The first index after ``anchor`` farther than ``radius`` from it, or ``len(points)``."""
    start = anchor + 1
    while start < len(points):
        part = points[start:start + chunk]
        outside = np.flatnonzero(np.hypot(*(part - points[anchor]).T) > radius)
        if len(outside):
            return start + int(outside[0])
        start += chunk
    return len(points)
