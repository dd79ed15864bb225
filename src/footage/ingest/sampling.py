"""Which decoded frames to analyse: about ``fps`` a second, on media time, never drifting."""

from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = ["Sampler"]


@dataclass
class Sampler:
    """Takes a frame whenever media time reaches the next sampling instant.

    Instants are ``anchor + k / fps`` (``anchor``: the first frame, or the last :meth:`restart`);
    after a gap the next instant jumps forward instead of taking a burst of frames. ``tolerance_s``
    (half a source frame) keeps a 25 fps source sampled at 5 fps on exactly every 5th frame despite
    rounding in the timestamps.

    Whether a frame is taken depends only on the anchor, its own time and the instant last reached
    (the same sum for every frame, never added up), so a sampler restarted at a file's first frame
    time and fed the frames of a stretch from any keyframe on takes exactly the frames a whole-file
    read takes there: reading a file in windows samples the same frames.
    """

    fps: float
    tolerance_s: float = 0.02
    anchor_s: float | None = None
    #: ``k`` of the next sampling instant
    step: int = 0

    def take(self, time_s: float) -> bool:
        """True when the frame at ``time_s`` should be analysed."""
        if self.anchor_s is None:
            self.anchor_s = time_s
        reached = math.floor((time_s + self.tolerance_s - self.anchor_s) * self.fps)  # last instant at or before
        if reached < self.step:
            return False
        self.step = reached + 1
        return True

    def restart(self, time_s: float) -> None:
        """Sample on the grid ``time_s + k / fps`` from ``time_s`` on (after jumping back to replay a
        stretch, or to join the grid of a whole-file read part-way through)."""
        self.anchor_s, self.step = time_s, 0
