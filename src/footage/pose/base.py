"""The PoseEstimator interface: a frame and the boxes of the people in it in, their poses out."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

from footage.types import Box, Frame, Pose

__all__ = ["PoseEstimator"]


@runtime_checkable
class PoseEstimator(Protocol):
    """Finds the body keypoints of people already found by the detector. Implementations keep
    no per-recording state."""

    #: the model's name, as ``footage status`` shows it
    name: str

    def estimate(self, frame: Frame, boxes: Sequence[Box]) -> list[Pose]:
        """One pose per box (original-frame pixels), in the order given."""
        ...
