"""What the index hands back: frozen records read from the database, and the box and span
encodings. (What search ranks and export cuts, the store hands over as :mod:`footage.stored`.)"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import numpy.typing as npt

from footage.time import utc_from_us
from footage.types import KEYPOINTS, Track, TrackBox, TrackPose

__all__ = [
    "BOX_DTYPE", "POSE_DTYPE", "VISIBLE", "IndexStatus", "IndexedEvent", "IndexedMoment", "IndexedTrack", "RecordingRecord",
    "decode_boxes", "decode_poses", "decode_spans", "encode_boxes", "encode_poses", "encode_spans",
]

#: recordings whose tracks and moments count: fully indexed, or indexed up to damage
VISIBLE = ("done", "damaged")

#: one sampled box as stored in ``tracks.boxes``: little-endian, 32 bytes a box
BOX_DTYPE = np.dtype([("index", "<i8"), ("pts", "<i8"), ("xyxy", "<f4", (4,)), ("confidence", "<f4")])


def encode_boxes(boxes: tuple[TrackBox, ...]) -> bytes:
    array = np.zeros(len(boxes), dtype=BOX_DTYPE)
    for row, box in enumerate(boxes):
        array[row] = (box.index, box.pts, box.xyxy, box.confidence)
    return array.tobytes()


#: one pose as stored in ``tracks.poses``: its pts and the 17 keypoints (x, y, score), half
#: floats (a pixel or two at 2000 px, plenty to draw a skeleton), 110 bytes a pose
POSE_DTYPE = np.dtype([("pts", "<i8"), ("keypoints", "<f2", (len(KEYPOINTS), 3))])


def encode_poses(poses: Iterable[TrackPose]) -> bytes:
    found = list(poses)
    array = np.zeros(len(found), dtype=POSE_DTYPE)
    for row, pose in enumerate(found):
        array[row] = (pose.pts, pose.pose.keypoints)
    return array.tobytes()


def decode_poses(blob: bytes) -> list[tuple[int, npt.NDArray[np.float32]]]:
    """The poses :func:`encode_poses` wrote: (pts, (17, 3) float32 keypoints) each."""
    return [(int(row["pts"]), row["keypoints"].astype(np.float32)) for row in np.frombuffer(blob, dtype=POSE_DTYPE)]


def encode_spans(spans: Iterable[tuple[str, float]]) -> str:
    """``moments.spans``: the longest event of each kind, ``"together:34.2,lingered:12.0"``."""
    longest: dict[str, float] = {}
    for kind, seconds in spans:
        longest[kind] = max(longest.get(kind, 0.0), seconds)
    return ",".join(f"{kind}:{seconds:.2f}" for kind, seconds in sorted(longest.items()))


def decode_spans(text: str) -> tuple[tuple[str, float], ...]:
    """The pairs :func:`encode_spans` wrote."""
    pairs = (part.rsplit(":", 1) for part in text.split(",") if part)
    return tuple((kind, float(seconds)) for kind, seconds in pairs)


def decode_boxes(blob: bytes) -> tuple[TrackBox, ...]:
    array = np.frombuffer(blob, dtype=BOX_DTYPE)
    return tuple(
        TrackBox(int(r["index"]), int(r["pts"]), tuple(float(v) for v in r["xyxy"]), float(r["confidence"]))  # type: ignore[arg-type]
        for r in array
    )


@dataclass(frozen=True)
class IndexedTrack:
    """A track with what only the index adds to it: the wall-clock time of its first and last
    pts, its median confidence and its thumbnail's path; once read back, its ``id`` (unique in
    the index; ``track.track_id`` is its id within its recording), camera, recording and
    ``box_count``. Listed without boxes, ``track.boxes`` is empty and ``box_count`` says how
    many are stored."""

    track: Track
    first_utc_us: int
    last_utc_us: int
    confidence: float
    thumbnail: str | None
    id: int = 0
    camera: str = ""
    recording: str = ""
    #: the poses looked at, when storing (not read back in listings)
    poses: tuple[TrackPose, ...] = ()
    box_count: int = 0

    @property
    def first_utc(self) -> datetime:
        return utc_from_us(self.first_utc_us)

    def utc_us_at(self, pts: int) -> int:
        """The wall clock (microseconds) of ``pts`` of the track: its first pts is at ``first_utc_us``."""
        return self.first_utc_us + round((pts - self.track.first_pts) * self.track.time_base * 1_000_000)

    @property
    def last_utc(self) -> datetime:
        return utc_from_us(self.last_utc_us)

    @property
    def duration_s(self) -> float:
        return (self.last_utc_us - self.first_utc_us) / 1e6


@dataclass(frozen=True)
class RecordingRecord:
    id: int
    camera: str
    path: str
    status: str
    error: str | None
    duration_s: float | None
    start_utc: datetime | None
    clock_source: str | None
    content_hash: str | None
    size_bytes: int
    mtime_ns: int


@dataclass(frozen=True)
class IndexStatus:
    """Totals for ``footage status``."""

    cameras: tuple[tuple[str, int, float], ...]  # name, recordings indexed, hours indexed
    recordings: int
    hours: float
    objects_by_label: tuple[tuple[str, int], ...]
    failed: tuple[tuple[str, str, str], ...]  # path, status, reason
    #: camera, first and last wall-clock time (ISO, UTC), hours recorded, recordings; oldest first
    stretches: tuple[tuple[str, str, str, float, int], ...] = ()
    #: how indexing sees people now: the pose model, or why there is none
    pose: str = ""


@dataclass(frozen=True)
class IndexedEvent:
    """One event of a stored moment; ``subjects`` are track ids in the index."""

    kind: str
    start_utc: datetime
    end_utc: datetime
    start_s: float
    end_s: float
    subjects: tuple[int, ...]
    facts: tuple[tuple[str, float], ...]


@dataclass(frozen=True)
class IndexedMoment:
    """A moment as stored. ``start_s``/``end_s`` are media time in ``recording``; ``tracks``
    pairs each track id with its label; ``events`` is filled by :func:`get_moment` only;
    ``key_s`` is the media time its key frame shows (None in indexes older than schema 4);
    ``starred`` when the owner starred it (retention keeps its recording); ``ongoing`` while it
    is still going on at the end of a live camera's newest segment (it may grow)."""

    id: int
    camera: str
    recording: str
    kind: str
    kinds: tuple[str, ...]
    start_utc: datetime
    end_utc: datetime
    start_s: float
    end_s: float
    people: int
    tracks: tuple[tuple[int, str], ...]
    description: str
    keyframe: str | None
    score: float
    events: tuple[IndexedEvent, ...] = ()
    key_s: float | None = None
    starred: bool = False
    ongoing: bool = False

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s
