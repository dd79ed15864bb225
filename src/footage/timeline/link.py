"""Follow objects across the boundary between two recordings of one stretch (pure).

Each recording is analysed on its own, so an object in view when one file ends and the next
begins has a track in each. Inside one file, the chunk stitcher joins such pieces by the boxes
they share in an overlap both chunks read; two files share no frame, so the pieces are joined
the way the stitcher joins what an overlap could not: the one seen at the end of the earlier
file, moved on at its recent speed, overlaps the one seen at the start of the later file
(:func:`footage.scale.stitch.bridge_pairs`).
"""

from __future__ import annotations

from collections.abc import Sequence

from footage.scale.stitch import bridge_pairs
from footage.timeline.params import TimelineParams
from footage.types import Track

__all__ = ["link_boundary"]

_VELOCITY_S = 1.0


def link_boundary(earlier: Sequence[Track], later: Sequence[Track], *, earlier_end_s: float, later_start_s: float,
                  params: TimelineParams) -> list[tuple[int, int]]:
    """Pairs ``(i, j)``: track ``earlier[i]`` of the earlier recording goes on as ``later[j]`` of
    the later one. Tracks are on the timeline clock; ``earlier_end_s`` is the time of the earlier
    recording's last analysed frame, ``later_start_s`` that of the later one's first."""
    within = params.link_within_s
    ends = {i: t for i, t in enumerate(earlier) if t.boxes and t.end_s >= earlier_end_s - within}
    starts = {j: t for j, t in enumerate(later) if t.boxes and t.start_s <= later_start_s + within}
    return bridge_pairs(ends, starts, min_iou=params.link_iou, velocity_s=_VELOCITY_S)
