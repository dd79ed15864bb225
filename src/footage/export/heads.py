"""Where a person's head is: the one place that decides it, pure arithmetic.

Today a person is a box: the tracker's, interpolated between its samples. The head is in the top
part of a standing person's box, but not every box is a standing person:

* a **squat box** (about as wide as it is tall) is someone sitting, crouching or bending, a
  person seen from above (the head in the middle of the blob), or a person whose lower half is
  hidden behind something or cut off by the bottom of the picture: the head can be anywhere in
  the upper part, so the region reaches further down, and covers the whole box when the box is
  no taller than it is wide;
* a box **cut by a side or the top of the picture** holds only part of the person; the region
  keeps to what is in the picture and is never narrower than the box;
* a **narrow box** still gets a head at least as tall as the box is wide.

A head placement is any function ``(person box, frame width and height, params) -> head box``
(:data:`HeadPlacement`). Keypoints from a pose model (nose, eyes, ears) will place the head more
closely; they will come in as another placement, chosen by name from :data:`HEAD_PLACEMENTS`,
without changing anything that uses a placement.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from footage.types import Box

__all__ = ["HEAD_PLACEMENTS", "Box", "HeadParams", "HeadPlacement", "head_from_box"]


@dataclass(frozen=True)
class HeadParams:
    """``head_fraction`` of a standing person's box height, from its top, is the head region,
    widened by ``widen`` of the box width on each side and raised by ``lift`` of the height. A
    box at least ``standing_ratio`` times as tall as wide is a standing person; one no taller
    than ``squat_ratio`` times its width is covered whole; in between the region's depth is
    interpolated. The region is never shallower than ``min_depth_of_width`` times the box width."""

    head_fraction: float = 0.3
    widen: float = 0.1
    lift: float = 0.03
    standing_ratio: float = 2.0
    squat_ratio: float = 1.0
    min_depth_of_width: float = 0.6


#: where the head of a person in ``box`` is, in a frame ``size`` = (width, height) pixels
HeadPlacement = Callable[[Box, tuple[int, int], HeadParams], Box]


def head_from_box(person: Box, size: tuple[int, int], params: HeadParams) -> Box:
    """The head region of a person known only by a box, clipped to the picture."""
    x1, y1, x2, y2 = person
    width, height = max(x2 - x1, 1e-6), max(y2 - y1, 1e-6)
    ratio = height / width
    span = params.standing_ratio - params.squat_ratio
    standing = min(1.0, max(0.0, (ratio - params.squat_ratio) / span)) if span > 0 else 1.0
    fraction = 1.0 - standing * (1.0 - params.head_fraction)  # 1 when squat, head_fraction when standing
    depth = min(height, max(fraction * height, params.min_depth_of_width * width))
    widen = width * params.widen
    frame_w, frame_h = size
    return (max(0.0, x1 - widen), max(0.0, y1 - height * params.lift),
            min(float(frame_w), x2 + widen), min(float(frame_h), y1 + depth))


#: head placements by name
HEAD_PLACEMENTS: dict[str, HeadPlacement] = {"box": head_from_box}
