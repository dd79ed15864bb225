"""The Detector interface: a frame in, detections in original-frame pixels out."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from footage.types import Detections, Frame

__all__ = ["Detector"]


@runtime_checkable
class Detector(Protocol):
    """Finds objects in frames. Implementations must not keep per-recording state."""

    #: class names indexed by ``Detections.class_id``
    class_names: tuple[str, ...]
    #: human-readable device the model runs on, e.g. ``"CPU"`` or ``"CUDA"``
    device: str

    def detect(self, frame: Frame) -> Detections:
        """Detections in ``frame``, boxes in original-frame pixels."""
        ...
