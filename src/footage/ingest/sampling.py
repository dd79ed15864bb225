"""Which decoded frames to analyse: about ``fps`` a second, on media time, never drifting."""

from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = ["Sampler"]


@dataclass
class Sampler:
    """Takes a frame whenever media time reaches the next sampling instant.

    Instants are ``start + k / fps``; after a gap the next instant jumps forward instead of taking a
    burst of frames. ``tolerance_s`` (half a source frame) keeps a 25 fps source sampled at 5 fps on
    exactly every 5th frame despite rounding in the timestamps.
    """

    fps: float
    tolerance_s: float = 0.02
    next_s: float | None = None

    def take(self, time_s: float) -> bool:
        """True when the frame at ``time_s`` should be analysed."""
        if self.next_s is not None and time_s + self.tolerance_s < self.next_s:
            return False
        interval = 1.0 / self.fps
        base = time_s if self.next_s is None else self.next_s
        steps = math.floor((time_s + self.tolerance_s - base) / interval) + 1
        self.next_s = base + steps * interval
        return True

    def restart(self, time_s: float) -> None:
        """Sample from ``time_s`` on (after jumping back to replay a stretch)."""
        self.next_s = time_s
