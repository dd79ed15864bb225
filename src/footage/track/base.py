"""The Tracker interface and the value it returns for each analysed frame."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from footage.types import Detections

__all__ = ["TrackUpdate", "Tracker"]


@dataclass(frozen=True)
class TrackUpdate:
    """What one frame did to the tracks.

    ``tracked``: the detections matched to a track on this frame, ``track_id`` set, boxes as
    detected. ``confirmed_ids``: the ids among them that have been seen often enough to count.
    ``ended_ids``: tracks that ended on this frame (lost for too long, or never confirmed).
    """

    tracked: Detections
    confirmed_ids: frozenset[int]
    ended_ids: tuple[int, ...]


class Tracker(Protocol):
    """Links detections across frames into tracks. One instance per recording."""

    def update(self, detections: Detections, time_s: float) -> TrackUpdate:
        """Feed the detections of the frame at ``time_s`` (media seconds, increasing)."""
        ...

    def hold(self, time_s: float) -> None:
        """The scene at ``time_s`` is unchanged since the last update (frozen time)."""
        ...

    def visible_ids(self) -> frozenset[int]:
        """Confirmed tracks matched on the latest analysed frame (still believed in view)."""
        ...

    def finish(self) -> tuple[int, ...]:
        """End every remaining track (end of the recording); returns the confirmed ids ended."""
        ...
