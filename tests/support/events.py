"""Synthetic tracks for the event-rule tests: positions given as feet on the ground, in pixels."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction

import numpy as np

from footage.events import Analysis, EventParams, analyse
from footage.types import Span, Track, TrackBox

STEP = 0.2  # seconds between samples, as the indexer's default 5 fps
#: the helpers' tracks count time in microseconds
TIME_BASE = Fraction(1, 1_000_000)


def track(
    track_id: int,
    start_s: float,
    end_s: float,
    foot: Callable[[float], tuple[float, float]],
    height: Callable[[float], float] | float = 100.0,
    *,
    label: str = "person",
    aspect: float = 0.4,
    keep: Callable[[int], bool] = lambda n: True,
) -> Track:
    """A track sampled every 0.2 s: ``foot(t)`` is the bottom centre of the box, ``height`` its
    height (a number or a function of time), width ``aspect`` times the height; ``keep(n)``
    drops samples to make a flickering track."""
    times = [t for n, t in enumerate(np.arange(start_s, end_s + 1e-9, STEP)) if keep(n)]
    boxes = []
    for n, t in enumerate(times):
        x, y = foot(t)
        h = height(t) if callable(height) else height
        w = aspect * h
        pts = round(float(t) * 1_000_000)
        boxes.append(TrackBox(n, pts, (float(x - w / 2), float(y - h), float(x + w / 2), float(y)), 1.0))
    return Track(track_id, label, boxes[0].pts, boxes[-1].pts, TIME_BASE, tuple(boxes))


def still(x: float, y: float) -> Callable[[float], tuple[float, float]]:
    return lambda t: (x, y)


def walk(x0: float, y0: float, vx: float, vy: float = 0.0, t0: float = 0.0) -> Callable[[float], tuple[float, float]]:
    return lambda t: (x0 + vx * (t - t0), y0 + vy * (t - t0))


def run(*tracks: Track, span: tuple[float, float] = (0.0, 120.0), **params: float) -> Analysis:
    return analyse(list(tracks), Span(*span), EventParams(**params))  # type: ignore[arg-type]


def kinds(analysis: Analysis) -> list[str]:
    return [e.kind for e in analysis.events]


def of_kind(analysis: Analysis, kind: str) -> list:  # type: ignore[type-arg]
    return [e for e in analysis.events if e.kind == kind]


def car_arriving(track_id: int = 9, stop_at: float = 10.0, leave_at: float = 40.0, end: float = 50.0):  # type: ignore[no-untyped-def]
    """A car (box 100 high) driving in from the left at 60 px/s, standing from ``stop_at`` to
    ``leave_at`` at x = 600, then driving on."""

    def foot(t: float) -> tuple[float, float]:
        if t < stop_at:
            return (600 - 60 * (stop_at - t), 500)
        if t < leave_at:
            return (600, 500)
        return (600 + 60 * (t - leave_at), 500)

    return track(track_id, 2.0, end, foot, 100.0, label="car", aspect=2.0)
