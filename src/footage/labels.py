"""What the labels mean, said once: COCO class names as the shipped model orders them, the
default classes worth tracking, which labels are vehicles, and which labels the detector gives
one object by turns (so the tracker and the chunk stitcher treat them as one kind)."""

from __future__ import annotations

from functools import cache
from importlib import resources

__all__ = [
    "DEFAULT_CLASSES", "DRAWN_AS_VEHICLES", "INTERCHANGEABLE", "VEHICLES", "class_group", "coco_class_names", "same_kind",
]

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


#: motor vehicles: the ones the vehicle rules follow (``EventParams.vehicle_labels``) and whose
#: plate region ``--redact plates`` hides
VEHICLES: tuple[str, ...] = ("car", "bus", "truck", "motorbike")

#: COCO's other spelling of ``motorbike`` (the shipped model spells it as Darknet does; other
#: exports of COCO models spell it this way)
_MOTORCYCLE = "motorcycle"

#: what the timeline's lanes and the key frames draw as a vehicle: anything on wheels or afloat
DRAWN_AS_VEHICLES: frozenset[str] = frozenset({*VEHICLES, _MOTORCYCLE, "bicycle", "train", "boat"})

#: labels the detector gives the same object by turns (a van is a car in one second, a truck in
#: the next; a bicycle and a motorbike likewise): a track keeps its id when its label flickers,
#: and two chunks' tracks of one vehicle are joined although their votes named it differently
INTERCHANGEABLE: tuple[frozenset[str], ...] = (
    frozenset({"car", "truck", "bus"}), frozenset({"bicycle", "motorbike", _MOTORCYCLE}),
)


def same_kind(a: str, b: str) -> bool:
    """Whether two labels may name one object (equal, or in one :data:`INTERCHANGEABLE` group)."""
    return a == b or any(a in group and b in group for group in INTERCHANGEABLE)


@cache
def _groups() -> dict[int, int]:
    names = coco_class_names()
    ids = [[names.index(label) for label in group if label in names] for group in INTERCHANGEABLE]
    return {class_id: min(group) for group in ids for class_id in group}


def class_group(class_id: int) -> int:
    """The COCO class id that stands for ``class_id``'s :data:`INTERCHANGEABLE` group (the
    smallest id in it), or ``class_id`` itself: two detections may be one object when their
    groups are equal."""
    return _groups().get(class_id, class_id)
