"""COCO class names as the shipped model orders them, and the default classes worth tracking."""

from __future__ import annotations

from functools import cache
from importlib import resources

__all__ = ["DEFAULT_CLASSES", "coco_class_names"]

#: classes indexed by default: people, vehicles, animals and the small objects that pass between
#: people (bags, balls, food and drink). Darknet spelling, as in ``coco_classes.txt``.
DEFAULT_CLASSES: tuple[str, ...] = (
    "person", "bicycle", "car", "motorbike", "bus", "truck",
    "cat", "dog", "horse",
    "backpack", "umbrella", "handbag", "suitcase",
    "frisbee", "sports ball", "kite", "skateboard",
    "bottle", "cup", "banana", "apple", "sandwich", "orange", "pizza", "donut", "cake",
)


@cache
def coco_class_names() -> tuple[str, ...]:
    """The 80 class names of the shipped YOLOX model, in output order."""
    text = resources.files("footage.detect.models").joinpath("coco_classes.txt").read_text("utf-8")
    return tuple(line.strip() for line in text.splitlines() if line.strip())
