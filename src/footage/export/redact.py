"""What to hide in each frame of a shared clip, and hiding it: pure NumPy.

Two sources say where people are: the face detector, run on every frame of the clip, and the
tracks in the index, sampled a few times a second. A track's box is interpolated between its
samples (a person is there the whole time between two sightings, even when the scene was still
and nothing was sampled), and held a little before its first and after its last sample, so a head
never flickers into view between samples. The head region is the top of a person's box.

Regions are pixelated into a handful of large blocks, each filled with its mean colour: nothing
of the face survives, unlike a light blur that can be partly undone.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = [
    "REDACTIONS", "Box", "RedactParams", "TrackPath", "box_at", "head_region", "pixelate", "plate_region", "regions_to_hide",
]

#: what ``--redact`` accepts besides ``none``
REDACTIONS = ("faces", "people", "plates")

Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class RedactParams:
    """``head_fraction`` of a person's box height, from its top, is the head region, widened by
    ``widen`` of the box width on each side; faces grow by ``face_grow`` of their size on each
    side; a track's box is held ``hold_s`` before its first and after its last sample;
    ``blocks`` is how many blocks a region is pixelated into across its longer side."""

    head_fraction: float = 0.3
    widen: float = 0.1
    face_grow: float = 0.3
    hold_s: float = 0.6
    blocks: int = 5


@dataclass(frozen=True)
class TrackPath:
    """Where one tracked object was: ``times_s`` (N,) media seconds of the clip, increasing;
    ``xyxy`` (N, 4) float boxes in the pixels of the frames being redacted."""

    track_id: int
    label: str
    times_s: npt.NDArray[np.float64]
    xyxy: npt.NDArray[np.float64]


def box_at(path: TrackPath, time_s: float, hold_s: float) -> Box | None:
    """The track's box at ``time_s``: interpolated between the samples around it, the nearest
    sample within ``hold_s`` outside them, else None."""
    times = path.times_s
    if len(times) == 0 or time_s < times[0] - hold_s or time_s > times[-1] + hold_s:
        return None
    after = int(np.searchsorted(times, time_s))
    if after == 0:
        return _box(path.xyxy[0])
    if after == len(times):
        return _box(path.xyxy[-1])
    t0, t1 = times[after - 1], times[after]
    share = 0.0 if t1 == t0 else (time_s - t0) / (t1 - t0)
    return _box(path.xyxy[after - 1] + (path.xyxy[after] - path.xyxy[after - 1]) * share)


def _box(row: npt.NDArray[np.float64]) -> Box:
    return (float(row[0]), float(row[1]), float(row[2]), float(row[3]))


def head_region(person: Box, params: RedactParams) -> Box:
    """The top of a person's box, a little wider than the box."""
    x1, y1, x2, y2 = person
    widen = (x2 - x1) * params.widen
    return (x1 - widen, y1 - (y2 - y1) * 0.03, x2 + widen, y1 + (y2 - y1) * params.head_fraction)


def plate_region(vehicle: Box) -> Box:
    """Where a number plate usually is on a vehicle seen from the front or back: the lower middle
    of its box (there is no plate detector; this covers the usual place)."""
    x1, y1, x2, y2 = vehicle
    width, height = x2 - x1, y2 - y1
    return (x1 + width * 0.15, y1 + height * 0.55, x2 - width * 0.15, y2)


def _grown(box: Box, share: float) -> Box:
    x1, y1, x2, y2 = box
    dx, dy = (x2 - x1) * share, (y2 - y1) * share
    return (x1 - dx, y1 - dy, x2 + dx, y2 + dy)


def _inside(point: tuple[float, float], box: Box) -> bool:
    return box[0] <= point[0] <= box[2] and box[1] <= point[1] <= box[3]


def regions_to_hide(
    time_s: float,
    faces: Iterable[Box],
    paths: Sequence[TrackPath],
    *,
    redact: frozenset[str],
    keep: frozenset[int],
    params: RedactParams,
    vehicles: frozenset[str] = frozenset({"car", "bus", "truck", "motorbike"}),
) -> list[Box]:
    """The boxes to pixelate in the frame at ``time_s``: every face found (unless it lies in a
    kept person and in no other person), the head of every person track not kept, and the plate
    region of every vehicle, as ``redact`` asks."""
    people = [(p.track_id, box) for p in paths if p.label == "person" and (box := box_at(p, time_s, params.hold_s))]
    regions: list[Box] = []
    if "faces" in redact:
        for face in faces:
            centre = ((face[0] + face[2]) / 2, (face[1] + face[3]) / 2)
            holders = {track_id for track_id, box in people if _inside(centre, box)}
            if not holders or not holders <= keep:
                regions.append(_grown(face, params.face_grow))
    if "people" in redact:
        regions.extend(head_region(box, params) for track_id, box in people if track_id not in keep)
    if "plates" in redact:
        for path in paths:
            if path.label in vehicles and path.track_id not in keep and (box := box_at(path, time_s, params.hold_s)):
                regions.append(plate_region(box))
    return regions


def pixelate(image: npt.NDArray[np.uint8], regions: Iterable[Box], blocks: int) -> npt.NDArray[np.uint8]:
    """A copy of the HxWxC ``image`` with each region (clipped to the picture) replaced by about
    ``blocks`` blocks across its longer side, each block its mean colour. The input is unchanged."""
    out = image.copy()
    height, width = image.shape[:2]
    for x1, y1, x2, y2 in regions:
        left, top = max(0, int(np.floor(x1))), max(0, int(np.floor(y1)))
        right, bottom = min(width, int(np.ceil(x2))), min(height, int(np.ceil(y2)))
        if right - left < 1 or bottom - top < 1:
            continue
        step = max(4, int(np.ceil(max(right - left, bottom - top) / blocks)))
        for y in range(top, bottom, step):
            for x in range(left, right, step):
                cell = out[y:min(y + step, bottom), x:min(x + step, right)]
                cell[...] = cell.reshape(-1, cell.shape[-1]).mean(axis=0).astype(np.uint8)
    return out
