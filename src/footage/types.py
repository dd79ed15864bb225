"""The data that flows through the pipeline, one frozen type per concept.

recording file -> :class:`Frame` -> :class:`Detections` -> tracked :class:`Detections`
(``track_id`` set) -> :class:`Track`. No stage mutates its input; each returns new values.
Boxes are always ``xyxy`` float32 pixels of the *original* frame, so they can be drawn on it or
scored against ground truth without knowing the analysis size.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np
import numpy.typing as npt

__all__ = ["Detections", "Frame", "RecordingInfo", "Track", "TrackBox"]

FloatArray = npt.NDArray[np.float32]
IntArray = npt.NDArray[np.int64]


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
class Track:
    """One object followed through one recording.

    ``first_pts``/``last_pts`` bound the time the object was known to be present: the first and
    last observation, extended over stretches where the motion gate saw the scene unchanged.
    ``boxes`` are the sampled observations in time order.
    """

    track_id: int
    label: str
    first_pts: int
    last_pts: int
    time_base: Fraction
    boxes: tuple[TrackBox, ...]

    @property
    def duration_s(self) -> float:
        return float((self.last_pts - self.first_pts) * self.time_base)


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
