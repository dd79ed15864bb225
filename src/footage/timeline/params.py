"""Settings of the camera timeline (the ``[timeline]`` table of the settings file, see
docs/config.md)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["TimelineParams"]


@dataclass(frozen=True)
class TimelineParams:
    """How recordings of one camera join into stretches, and how an object crossing from one
    file into the next is recognised.

    ``join_gap_s``: the most time between the end of one recording and the start of the next
    for them to be one stretch (recorders lose a frame or two between segments; NVR exports are
    cut on the second). A longer gap, a damaged file or a clock taken from the file's
    modification time breaks the stretch. ``overlap_s``: how far a recording may start before
    the previous one ends and still continue it (file names hold whole seconds); more is an
    overlap in time (a clock jump, or the same footage twice) and the later file is refused.
    ``link_within_s``: an object is followed across a boundary when it was seen in the last
    ``link_within_s`` of one file and is seen in the first ``link_within_s`` of the next, where it
    was heading (``link_iou``: the overlap of its last box, moved on at its recent speed, with the
    first box in the next file). ``lookback_s``: how far before and after a new recording the
    moments are found again; what lies further is kept as found before, and a moment going on
    across that edge is continued from its stored events (:mod:`footage.timeline.carry`), so the
    cost of a segment does not grow with the camera's history."""

    join_gap_s: float = 2.0
    overlap_s: float = 1.0
    link_within_s: float = 1.0
    link_iou: float = 0.3
    lookback_s: float = 120.0

    def __post_init__(self) -> None:
        for name in ("join_gap_s", "overlap_s", "link_within_s", "lookback_s"):
            if getattr(self, name) < 0:
                raise ValueError(f"timeline.{name} must not be negative")
        if not 0 < self.link_iou <= 1:
            raise ValueError("timeline.link_iou must be in (0, 1]")
