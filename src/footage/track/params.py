"""Tracker settings (the ``[track]`` table of the settings file, see docs/config.md), apart from
the tracker so that reading settings does not load SciPy's assignment solver."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ByteTrackParams"]


@dataclass(frozen=True)
class ByteTrackParams:
    """Tracker thresholds; see ``docs/config.md`` for why each default is what it is."""

    high_threshold: float = 0.5
    low_threshold: float = 0.1
    new_track_threshold: float = 0.6
    match_iou: float = 0.2
    low_match_iou: float = 0.4
    tentative_match_iou: float = 0.3
    min_hits: int = 2
    lost_buffer_s: float = 4.0
    box_buffer: float = 0.4
