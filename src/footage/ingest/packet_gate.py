"""Notice motion from packet sizes alone, without decoding anything.

While a scene is still, an IP camera's P-frames only encode sensor noise and are small and steady
(a few hundred bytes at 1080p). Something moving makes them several times larger at once. This
gate keeps the median size of recent still P-frames and calls a packet suspicious when it is far
above it. It only ever *wakes* the reader early; a quiet packet proves nothing, which is why the
reader still probes a keyframe every ``probe_interval_s``.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from statistics import median_low

__all__ = ["PacketSizeGate"]


@dataclass
class PacketSizeGate:
    """``factor`` x median + ``min_bytes`` is the size above which a P-frame is suspicious;
    ``window`` recent still P-frames form the median; fewer than ``warmup`` give no verdict."""

    factor: float = 3.0
    min_bytes: int = 1000
    window: int = 75
    warmup: int = 12
    _sizes: deque[int] = field(default_factory=deque)
    _threshold: float | None = None

    def suspicious(self, size: int, *, follows_keyframe: bool = False) -> bool:
        """Record a still P-frame's size; True when it is suspiciously large (then it is not
        added to the still baseline). The P-frame right after a keyframe is never judged:
        encoders spend several times the usual bits on it to settle the reference picture."""
        if follows_keyframe:
            return False
        if self._threshold is not None and size > self._threshold:
            return True
        self._sizes.append(size)
        if len(self._sizes) > self.window:
            self._sizes.popleft()
        if len(self._sizes) >= self.warmup and (self._threshold is None or len(self._sizes) % 8 == 0):
            self._threshold = self.factor * median_low(self._sizes) + self.min_bytes
        return False

    def forget(self) -> None:
        """Start a new baseline (after activity the still scene may look different)."""
        self._sizes.clear()
        self._threshold = None
