"""The data that flows through the pipeline, one frozen type per concept.

recording file -> :class:`Frame` -> :class:`Detections` -> tracked :class:`Detections`
(``track_id`` set) -> :class:`Track`, which the event rules read, the index stores and the web
overlay and redaction draw (:func:`box_at` is where a track's box is at any time between its
samples) -> :class:`Event` -> :class:`Moment`, which the index stores. No stage mutates its
input; each returns new values. Event and moment times are float seconds of media time (the
recording's own clock), which is all the rules need; the index adds wall-clock time.
Boxes are always ``xyxy`` float32 pixels of the *original* frame, so they can be drawn on it or
scored against ground truth without knowing the analysis size.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property

import numpy as np
import numpy.typing as npt

__all__ = [
    "KEYPOINTS", "Appearance", "Detections", "Event", "Frame", "Gesture", "KeyBox", "Moment", "Pose", "PostureSpan",
    "RecordingInfo", "ScoreInput", "Span", "Track", "TrackBox", "TrackPose", "box_at",
]

FloatArray = npt.NDArray[np.float32]
IntArray = npt.NDArray[np.int64]
#: float64 arrays: media seconds, and boxes as the event rules and drawing compute with them
Float64Array = npt.NDArray[np.float64]
#: x1, y1, x2, y2 in pixels (of the original frame, or of the frame being redacted)
Box = tuple[float, float, float, float]


@dataclass(frozen=True, eq=False)
class Frame:
    """One decoded frame prepared for analysis.

    ``image`` is HxWx3 uint8 BGR at the analysis size; ``scale`` is original pixels per analysis
    pixel (>= 1 when the frame was shrunk), so ``original = analysis * scale``. ``index`` is the
    0-based decode index in the recording (MOTChallenge frame = index + 1).
    """

    index: int
    pts: int
    time_base: Fraction
    image: npt.NDArray[np.uint8]
    scale: float

    @property
    def seconds(self) -> float:
        return float(self.pts * self.time_base)


@dataclass(frozen=True, eq=False)
class Detections:
    """Columnar detections of one frame.

    ``xyxy`` (N, 4) float32 original-frame pixels; ``confidence`` (N,) float32 in [0, 1];
    ``class_id`` (N,) int64 COCO ids; ``track_id`` (N,) int64, -1 where not tracked.
    Index with a boolean mask or integer array to select rows: ``dets[dets.confidence > 0.5]``.
    """

    xyxy: FloatArray
    confidence: FloatArray
    class_id: IntArray
    track_id: IntArray = field(default_factory=lambda: np.zeros(0, np.int64))

    def __post_init__(self) -> None:
        xyxy = np.asarray(self.xyxy, dtype=np.float32).reshape(-1, 4)
        n = len(xyxy)
        confidence = np.asarray(self.confidence, dtype=np.float32).reshape(-1)
        class_id = np.asarray(self.class_id, dtype=np.int64).reshape(-1)
        track_id = np.asarray(self.track_id, dtype=np.int64).reshape(-1)
        if len(track_id) == 0:  # not given: untracked
            track_id = np.full(n, -1, dtype=np.int64)
        for name, column in (("confidence", confidence), ("class_id", class_id), ("track_id", track_id)):
            if len(column) != n:
                raise ValueError(f"Detections.{name} has {len(column)} rows, xyxy has {n}")
        columns: tuple[tuple[str, npt.NDArray[np.generic]], ...] = (
            ("xyxy", xyxy), ("confidence", confidence), ("class_id", class_id), ("track_id", track_id)
        )
        for name, array in columns:
            array.setflags(write=False)
            object.__setattr__(self, name, array)  # frozen: set once, as read-only arrays

    @classmethod
    def empty(cls) -> Detections:
        return cls(np.zeros((0, 4), np.float32), np.zeros(0, np.float32), np.zeros(0, np.int64))

    def __len__(self) -> int:
        return len(self.xyxy)

    def __getitem__(self, index: npt.NDArray[np.bool_] | npt.NDArray[np.int64] | Sequence[int]) -> Detections:
        return Detections(self.xyxy[index], self.confidence[index], self.class_id[index], self.track_id[index])

    def with_track_ids(self, track_id: IntArray) -> Detections:
        """A copy of these detections carrying the given track ids."""
        return Detections(self.xyxy, self.confidence, self.class_id, track_id)


@dataclass(frozen=True)
class TrackBox:
    """One sampled observation of a track: where it was on decode frame ``index`` at ``pts``."""

    index: int
    pts: int
    xyxy: tuple[float, float, float, float]
    confidence: float


@dataclass(frozen=True)
class PostureSpan:
    """A person's ``posture`` (one of :data:`footage.people.posture.POSTURES`) from ``start_pts``
    to ``end_pts`` (the time base of their track), with the mean confidence of its samples."""

    posture: str
    start_pts: int
    end_pts: int
    confidence: float


@dataclass(frozen=True)
class Gesture:
    """A gesture of a person (one of :data:`footage.people.gestures.GESTURES`) from ``start_pts``
    to ``end_pts`` (the time base of their track), how sure the rule is (0.5-1), and the track
    id (in the same recording) of the ``other`` person it was made to or with (None: no one)."""

    kind: str
    start_pts: int
    end_pts: int
    confidence: float
    other: int | None = None


@dataclass(frozen=True)
class Appearance:
    """What a person wore, as read over their track: the colour named most often for the
    clothing on the torso (``upper``) and on the legs (``lower``), one of
    :data:`footage.people.colours.COLOURS` (None: not read)."""

    upper: str | None = None
    lower: str | None = None

    def wearing(self) -> str:
        """``a red top and blue trousers`` (empty when nothing was read)."""
        parts = [f"a {self.upper} top" if self.upper else "", f"{self.lower} trousers" if self.lower else ""]
        return " and ".join(p for p in parts if p)


@dataclass(frozen=True)
class Track:
    """One object followed through one recording: the one track type from the tracker to the
    rules, the index, the web overlay and redaction.

    ``first_pts``/``last_pts`` bound the time the object was known to be present: the first and
    last observation, extended over stretches where the motion gate saw the scene unchanged.
    ``boxes`` are the sampled observations in time order. The float views the rules and drawing
    read (``times_s``, ``xyxy``) are made once, on first use.
    """

    track_id: int
    label: str
    first_pts: int
    last_pts: int
    time_base: Fraction
    boxes: tuple[TrackBox, ...]
    #: a person's posture over time, where it was read (empty: not read, or not a person)
    postures: tuple[PostureSpan, ...] = ()
    #: what a person wore (nothing read: not looked at, or not a person)
    appearance: Appearance = Appearance()
    #: a person's gestures, in time order (empty: none seen, or their pose was not read)
    gestures: tuple[Gesture, ...] = ()

    @property
    def duration_s(self) -> float:
        return float((self.last_pts - self.first_pts) * self.time_base)

    @cached_property
    def times_s(self) -> Float64Array:
        """(N,) float64 media seconds of the boxes, read-only."""
        times = np.array([float(box.pts * self.time_base) for box in self.boxes], dtype=np.float64)
        times.setflags(write=False)
        return times

    @cached_property
    def xyxy(self) -> Float64Array:
        """(N, 4) float64 original-frame pixels of the boxes, read-only."""
        xyxy = np.array([box.xyxy for box in self.boxes], dtype=np.float64).reshape(-1, 4)
        xyxy.setflags(write=False)
        return xyxy

    @property
    def start_s(self) -> float:
        """Media seconds of the first box."""
        return float(self.times_s[0])

    @property
    def end_s(self) -> float:
        """The last media second the object was known present (>= its last box)."""
        return max(float(self.last_pts * self.time_base), float(self.times_s[-1]))


def box_at(times_s: Float64Array, xyxy: Float64Array, time_s: float, *, hold_s: float,
           max_gap_s: float = math.inf) -> Box | None:
    """Where a tracked object was at ``time_s``, from its samples (``times_s`` (N,) increasing,
    ``xyxy`` (N, 4)): interpolated between the samples either side when they are at most
    ``max_gap_s`` apart (0: never, the nearest sample), else the nearer of them within ``hold_s``
    (the later on a tie: a key time half way between two grid samples rounds up), else None. A
    time on a sample is that sample's box exactly.

    Redaction interpolates across any gap (a person is there the whole time between two
    sightings); the moment page's key frame only across short ones; the rules' key boxes take the
    nearest sample of the subject's grid."""
    after = int(np.searchsorted(times_s, time_s, side="right"))  # first sample later than time_s
    before = after - 1
    if before >= 0 and after < len(times_s) and times_s[after] - times_s[before] <= max_gap_s:
        share = (time_s - times_s[before]) / (times_s[after] - times_s[before])
        return _box(xyxy[before] + (xyxy[after] - xyxy[before]) * share)
    # within the hold as redaction has always measured it: from the sample outwards
    early = before >= 0 and time_s <= times_s[before] + hold_s
    late = after < len(times_s) and time_s >= times_s[after] - hold_s
    if early and late:
        early = time_s - times_s[before] < times_s[after] - time_s
    if early:
        return _box(xyxy[before])
    return _box(xyxy[after]) if late else None


def _box(row: Float64Array) -> Box:
    return (float(row[0]), float(row[1]), float(row[2]), float(row[3]))


@dataclass(frozen=True)
class Span:
    """The stretch of a recording that was analysed, in media seconds. Tracks that touch its ends
    were already there when it started, or still there when it ended: they did not appear or
    leave."""

    start_s: float
    end_s: float


@dataclass(frozen=True)
class KeyBox:
    """A box to draw on a key frame: the subject's name in the description and where it was."""

    name: str
    label: str
    xyxy: tuple[float, float, float, float]


#: the 17 body keypoints of a :class:`Pose`, in the COCO order pose models use
KEYPOINTS: tuple[str, ...] = (
    "nose", "left_eye", "right_eye", "left_ear", "right_ear", "left_shoulder", "right_shoulder",
    "left_elbow", "right_elbow", "left_wrist", "right_wrist", "left_hip", "right_hip", "left_knee",
    "right_knee", "left_ankle", "right_ankle",
)


@dataclass(frozen=True, eq=False)
class Pose:
    """Where the body of one person is: ``keypoints`` (17, 3) float32, one row per name of
    :data:`KEYPOINTS`: x and y in original-frame pixels and the model's score (0-1) that the
    point is where it says. ``box`` is the person box the pose was found in."""

    keypoints: FloatArray
    box: Box

    def __post_init__(self) -> None:
        keypoints = np.asarray(self.keypoints, dtype=np.float32)
        if keypoints.shape != (len(KEYPOINTS), 3):
            raise ValueError(f"Pose.keypoints has shape {keypoints.shape}, expected ({len(KEYPOINTS)}, 3)")
        keypoints.setflags(write=False)
        object.__setattr__(self, "keypoints", keypoints)

    def point(self, name: str, min_score: float = 0.0) -> tuple[float, float] | None:
        """Where keypoint ``name`` is, or None when the model is less sure than ``min_score``."""
        x, y, score = self.keypoints[KEYPOINTS.index(name)]
        return (float(x), float(y)) if score >= min_score else None


@dataclass(frozen=True)
class TrackPose:
    """A tracked person's pose at ``pts`` (the time base of their track), and the colours of the
    clothing on the torso (``upper``) and legs (``lower``) read there (None: not read)."""

    pts: int
    pose: Pose
    upper: str | None = None
    lower: str | None = None


@dataclass(frozen=True)
class Event:
    """One thing that happened.

    ``subjects`` are the ids of the objects involved, in the order the kind defines (the mover
    first for ``approached``, the giver first for ``handed_over``, the adult first for
    ``adult_with_child``, the vehicle first for vehicle relations); each id is the first track of
    a subject, and ``tracks`` lists every track of those subjects (an object split by an
    occlusion has several). ``facts`` are named numbers the description is written from.
    ``key_s`` is the time that shows it best.
    """

    kind: str
    start_s: float
    end_s: float
    subjects: tuple[int, ...]
    labels: tuple[str, ...]
    tracks: tuple[int, ...]
    key_s: float
    facts: tuple[tuple[str, float], ...] = ()

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s

    def fact(self, name: str, default: float = 0.0) -> float:
        return dict(self.facts).get(name, default)


@dataclass(frozen=True)
class Moment:
    """Overlapping events about the same subjects, told as one story.

    ``kind`` is the most telling of its events' kinds; ``description`` one line made from their
    facts; ``key_boxes`` the subjects in view at ``key_s``; ``people`` how many persons take part.
    ``score`` is set by :func:`footage.events.score.scores` from all the camera's moments,
    since rarity depends on them (0 until then).
    """

    kind: str
    start_s: float
    end_s: float
    events: tuple[Event, ...]
    subjects: tuple[int, ...]
    labels: tuple[str, ...]
    tracks: tuple[int, ...]
    description: str
    key_s: float
    key_boxes: tuple[KeyBox, ...]
    people: int
    score: float = 0.0

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s

    @property
    def kinds(self) -> tuple[str, ...]:
        return tuple(sorted({e.kind for e in self.events}))


@dataclass(frozen=True)
class ScoreInput:
    """What a moment's score depends on: its headline kind, all its kinds, duration, people."""

    kind: str
    kinds: tuple[str, ...]
    duration_s: float
    people: int


@dataclass(frozen=True)
class RecordingInfo:
    """What the container says about a recording, read before decoding."""

    path: str
    size_bytes: int
    duration_s: float
    width: int
    height: int
    codec: str
    time_base: Fraction
    frame_rate: Fraction | None
    creation_utc: str | None
