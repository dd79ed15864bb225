"""The values the event rules read and write.

tracks of one recording -> :class:`Trajectory` -> (linked, resampled) subjects -> :class:`Event`
-> :class:`Moment`. Times are float seconds of media time (the recording's own clock), which is
all the rules need; the index adds wall-clock time when it stores a moment.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = ["Event", "KeyBox", "Moment", "Span", "Trajectory"]

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class Trajectory:
    """One track as the rules see it.

    ``times_s`` (N,) float64 media seconds, increasing; ``xyxy`` (N, 4) float64 pixels of the
    original frame; ``end_s`` >= ``times_s[-1]`` is the last time the object was known present
    (the motion gate can extend a track over a still scene without new boxes).
    """

    track_id: int
    label: str
    times_s: FloatArray
    xyxy: FloatArray
    end_s: float

    def __post_init__(self) -> None:
        times = np.asarray(self.times_s, dtype=np.float64).reshape(-1)
        xyxy = np.asarray(self.xyxy, dtype=np.float64).reshape(-1, 4)
        if len(times) == 0 or len(times) != len(xyxy):
            raise ValueError(f"track {self.track_id}: {len(times)} times for {len(xyxy)} boxes")
        if np.any(np.diff(times) < 0):
            raise ValueError(f"track {self.track_id}: times go backwards")
        for name, array in (("times_s", times), ("xyxy", xyxy)):
            array.setflags(write=False)
            object.__setattr__(self, name, array)
        object.__setattr__(self, "end_s", max(float(self.end_s), float(times[-1])))

    @property
    def start_s(self) -> float:
        return float(self.times_s[0])


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
