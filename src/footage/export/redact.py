"""What to hide in each frame of a shared clip: pure arithmetic on boxes.

Three sources say where people are:

* the face detector, run on every frame of the clip (its sightings bridged over the frames it
  misses, :mod:`footage.export.flicker`);
* the tracks in the index, sampled a few times a second: a track's box is interpolated between
  its samples (a person is there the whole time between two sightings, even when the scene was
  still and nothing was sampled) and held a little before its first and after its last sample,
  so a head never flickers into view between samples; its head is placed by
  :mod:`footage.export.heads`;
* for ``bodies``, every person-shaped thing the object detector finds on each frame at a lower
  confidence than tracking accepts, so that people the tracker never followed are hidden too.

Each region is pixelated (:mod:`footage.export.pixelate`) into a handful of blocks of its mean
colour; ``blocks`` 1 fills it with one flat colour.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from footage.export.flicker import FlickerParams
from footage.export.heads import HEAD_PLACEMENTS, Box, HeadParams
from footage.geometry import box_iou
from footage.labels import VEHICLES
from footage.types import Float64Array, Track, box_at

__all__ = [
    "REDACTIONS", "Box", "RedactParams", "Region", "TrackPath", "grown", "held_box", "is_kept_face", "people_at",
    "regions_to_hide",
]

#: what ``--redact`` accepts besides ``none``
REDACTIONS = ("faces", "people", "bodies", "plates")


@dataclass(frozen=True)
class RedactParams:
    """Faces are found at ``face_threshold`` on each frame shrunk to ``detect_width`` pixels;
    ``head`` places a person's head (``placement`` names the function); faces grow by
    ``face_grow`` of their size on each side, bodies by ``body_grow``; a track's box is held
    ``hold_s`` before its first and after its last sample; ``blocks`` is how many blocks a
    region is pixelated into across its longer side (``body_blocks`` for a whole body);
    ``flicker`` bridges detections missed for a frame or two."""

    face_threshold: float = 0.5
    detect_width: int = 640
    head: HeadParams = field(default_factory=HeadParams)
    placement: str = "box"
    face_grow: float = 0.3
    body_grow: float = 0.08
    hold_s: float = 0.6
    blocks: int = 5
    body_blocks: int = 6
    flicker: FlickerParams = field(default_factory=FlickerParams)


@dataclass(frozen=True)
class Region:
    """A box to hide and the number of blocks across its longer side (1: one flat colour)."""

    xyxy: Box
    blocks: int


@dataclass(frozen=True, eq=False)
class TrackPath:
    """A stored track placed on a clip: ``id`` is its index id (what ``keep`` names);
    ``shift_s`` turns its media seconds into the clip's (the piece of its own recording decides).

    ``times_s`` (N,) clip seconds, increasing, and ``xyxy`` (N, 4) its boxes: all of its samples,
    even those outside the clip, so a box between two of them is interpolated; the first and
    last boxes are held to the track's first and last sighting, because a person standing still
    in a still scene is sampled rarely but was there the whole time."""

    id: int
    track: Track
    shift_s: float = 0.0

    @cached_property
    def _samples(self) -> tuple[Float64Array, Float64Array]:
        track = self.track
        times = [float(box.pts * track.time_base) + self.shift_s for box in track.boxes]
        boxes = [box.xyxy for box in track.boxes]
        first = float(track.first_pts * track.time_base) + self.shift_s
        last = float(track.last_pts * track.time_base) + self.shift_s
        if boxes and first < times[0]:
            times.insert(0, first)
            boxes.insert(0, boxes[0])
        if boxes and last > times[-1]:
            times.append(last)
            boxes.append(boxes[-1])
        order = np.argsort(times, kind="stable")
        return np.asarray(times, dtype=np.float64)[order], np.asarray(boxes, dtype=np.float64).reshape(-1, 4)[order]

    @property
    def times_s(self) -> Float64Array:
        return self._samples[0]

    @property
    def xyxy(self) -> Float64Array:
        return self._samples[1]


def held_box(path: TrackPath, time_s: float, hold_s: float) -> Box | None:
    """The track's box at ``time_s`` (:func:`footage.types.box_at`): interpolated between the
    samples around it however far apart, the nearest sample within ``hold_s`` outside them."""
    return box_at(path.times_s, path.xyxy, time_s, hold_s=hold_s)


def people_at(paths: Sequence[TrackPath], time_s: float, hold_s: float) -> list[tuple[int, Box]]:
    """(track id, box) of every person track there at ``time_s`` (:func:`held_box`)."""
    return [(p.id, box) for p in paths if p.track.label == "person" and (box := held_box(p, time_s, hold_s)) is not None]


def plate_region(vehicle: Box) -> Box:
    """Where a number plate usually is on a vehicle seen from the front or back: the lower middle
    of its box (there is no plate detector; this covers the usual place)."""
    x1, y1, x2, y2 = vehicle
    width, height = x2 - x1, y2 - y1
    return (x1 + width * 0.15, y1 + height * 0.55, x2 - width * 0.15, y2)


def grown(box: Box, share: float) -> Box:
    """``box`` grown by ``share`` of its width and height on each side."""
    x1, y1, x2, y2 = box
    dx, dy = (x2 - x1) * share, (y2 - y1) * share
    return (x1 - dx, y1 - dy, x2 + dx, y2 + dy)


def _inside(point: tuple[float, float], box: Box) -> bool:
    return box[0] <= point[0] <= box[2] and box[1] <= point[1] <= box[3]


def _is_part_of(box: Box, person: Box) -> bool:
    """Whether a person-shaped ``box`` is ``person`` seen again: much the same box, or mostly
    inside it (the detector's box of part of the person: the upper body, one arm)."""
    width, height = min(box[2], person[2]) - max(box[0], person[0]), min(box[3], person[3]) - max(box[1], person[1])
    inside = max(0.0, width) * max(0.0, height) / max((box[2] - box[0]) * (box[3] - box[1]), 1e-6)
    return box_iou(box, person) >= 0.5 or inside >= 0.6


def is_kept_face(face: Box, people: Sequence[tuple[int, Box]], keep: frozenset[int]) -> bool:
    """A face may stay visible only when its centre lies in kept people and in no one else."""
    centre = ((face[0] + face[2]) / 2, (face[1] + face[3]) / 2)
    holders = {track_id for track_id, box in people if _inside(centre, box)}
    return bool(holders) and holders <= keep


def regions_to_hide(
    time_s: float,
    faces: Iterable[Box],
    paths: Sequence[TrackPath],
    *,
    redact: frozenset[str],
    keep: frozenset[int],
    params: RedactParams,
    size: tuple[int, int],
    bodies: Iterable[Box] = (),
) -> list[Region]:
    """The regions to hide in the ``size`` = (width, height) frame at ``time_s``, as ``redact``
    asks: every face found (unless it lies in a kept person and in no other person); the head
    of every person track not kept (``people``), or its whole box and every person-shaped box in
    ``bodies`` that is not (part of) a kept person (``bodies``); the plate region of every vehicle
    (``plates``)."""
    place = HEAD_PLACEMENTS[params.placement]
    people = people_at(paths, time_s, params.hold_s)
    regions: list[Region] = []
    if "faces" in redact or "bodies" in redact:
        regions.extend(Region(grown(face, params.face_grow), params.blocks) for face in faces
                       if not is_kept_face(face, people, keep))
    if "people" in redact or "bodies" in redact:
        regions.extend(Region(place(box, size, params.head), params.blocks) for track_id, box in people
                       if track_id not in keep)
    if "bodies" in redact:
        kept = [box for track_id, box in people if track_id in keep]
        regions.extend(Region(grown(box, params.body_grow), params.body_blocks) for track_id, box in people
                       if track_id not in keep)
        regions.extend(Region(grown(body, params.body_grow), params.body_blocks) for body in bodies
                       if not any(_is_part_of(body, grown(box, params.body_grow)) for box in kept))
    if "plates" in redact:
        for path in paths:
            if path.track.label in VEHICLES and path.id not in keep and (box := held_box(path, time_s, params.hold_s)):
                regions.append(Region(plate_region(box), params.blocks))
    return regions
