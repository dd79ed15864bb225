"""A cheap motion gate: does this low-resolution grey frame differ from the last analysed one?

Frames are shrunk (by FFmpeg's area filter, which also averages away sensor noise) to a few
thousand pixels before they get here. A pixel has changed when its grey level moved by more than
``pixel_threshold``; the scene has changed when more than ``min_changed_fraction`` of the pixels
did. The reference is the last frame that was *analysed*, not the previous one, so slow changes
add up until they trigger.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = ["MotionGate", "changed_fraction"]


def changed_fraction(a: npt.NDArray[np.uint8], b: npt.NDArray[np.uint8], pixel_threshold: int) -> float:
    """Fraction of pixels whose grey level differs by more than ``pixel_threshold``."""
    if a.shape != b.shape:
        raise ValueError(f"motion frames differ in shape: {a.shape} vs {b.shape}")
    diff = np.abs(a.astype(np.int16) - b.astype(np.int16))
    return float(np.count_nonzero(diff > pixel_threshold)) / diff.size


@dataclass
class MotionGate:
    """Remembers the last analysed frame and says whether a new one differs from it."""

    pixel_threshold: int = 12
    min_changed_fraction: float = 0.0008
    reference: npt.NDArray[np.uint8] | None = None
    _second_look: bool = False
    _looking_again: bool = False

    def changed(self, grey: npt.NDArray[np.uint8]) -> bool:
        """True when ``grey`` should be analysed: always for the first frame, whenever it differs
        from the reference, and once more right after an analysed change. The second look lets
        the tracker confirm an object that appears and then stands still (a car that parks, or a
        scene that never changes at all), which one detection alone would not."""
        self._looking_again = False
        if self.reference is None:
            return True
        if changed_fraction(self.reference, grey, self.pixel_threshold) > self.min_changed_fraction:
            return True
        if self._second_look:
            self._second_look, self._looking_again = False, True
            return True
        return False

    @property
    def looking_again(self) -> bool:
        """True when the last ``changed`` answer was a second look, not a change."""
        return self._looking_again

    def accept(self, grey: npt.NDArray[np.uint8]) -> None:
        """Call after analysing ``grey``. A change becomes the new reference and earns a second
        look; a second look keeps the reference, so change is still measured from it."""
        if not self._looking_again:
            self.reference = grey
            self._second_look = True
