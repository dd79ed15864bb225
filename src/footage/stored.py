"""What the index hands to the stages after it: the candidate moments search ranks and the
recordings an export cuts. Defined below all three (the store fills them in; search and export
read them), so the store imports neither stage and neither stage imports the store."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

__all__ = ["Candidate", "CoveringRecording", "TrackLook"]


@dataclass(frozen=True)
class CoveringRecording:
    """A recording of the camera as the index knows it: ``start_utc`` is media second 0;
    ``first_s`` and ``last_s`` bound what was decoded (media seconds)."""

    recording_id: int
    path: str
    start_utc: datetime
    first_s: float
    last_s: float

    def utc_at(self, seconds: float) -> datetime:
        return self.start_utc + timedelta(seconds=seconds)


@dataclass(frozen=True)
class TrackLook:
    """How one track of a candidate moment looked: its label, the colours read on it (a
    person's top and trousers; None: not read), and the postures it was in and the gestures it
    made while the moment lasted."""

    label: str
    upper: str | None
    lower: str | None
    postures: frozenset[str]
    gestures: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Candidate:
    """A stored moment as search sees it. ``labels`` are its own tracks' labels (repeated per
    track), ``nearby`` the labels of every track of the recording in view during it (its own
    included), ``spans`` the longest event of each kind it contains (seconds)."""

    moment_id: int
    camera: str
    recording: str
    kind: str
    start_utc: datetime
    end_utc: datetime
    start_s: float
    end_s: float
    people: int
    labels: tuple[str, ...]
    nearby: frozenset[str]
    spans: tuple[tuple[str, float], ...]
    tracks: tuple[int, ...]
    description: str
    keyframe: str | None
    notability: float
    #: the moment's own tracks, as search matches colours and postures against them
    looks: tuple[TrackLook, ...] = ()

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s
