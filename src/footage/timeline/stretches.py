"""Join a camera's recordings into stretches of continuous recording (pure)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["Stretch", "TimedRecording", "continues", "stretches"]


@dataclass(frozen=True)
class TimedRecording:
    """What joining needs of a recording: its wall-clock bounds (microseconds since the Unix
    epoch, end exclusive), whether its clock can be trusted to the second (a file name, the
    container, the user; not a modification time) and whether it broke off damaged."""

    id: int
    start_us: int
    end_us: int
    trusted: bool = True
    damaged: bool = False


@dataclass(frozen=True)
class Stretch:
    """Recordings that follow one another with no real gap, in time order."""

    recordings: tuple[TimedRecording, ...]

    @property
    def start_us(self) -> int:
        return self.recordings[0].start_us

    @property
    def end_us(self) -> int:
        return max(r.end_us for r in self.recordings)

    @property
    def hours(self) -> float:
        return sum(r.end_us - r.start_us for r in self.recordings) / 3.6e9


def continues(earlier: TimedRecording, later: TimedRecording, *, join_gap_us: int, overlap_us: int) -> bool:
    """Whether ``later`` carries on where ``earlier`` stopped: both clocks trusted, ``earlier``
    not damaged, and ``later`` starting between ``overlap_us`` before and ``join_gap_us`` after
    the end of ``earlier``."""
    if not (earlier.trusted and later.trusted) or earlier.damaged:
        return False
    return earlier.end_us - overlap_us <= later.start_us <= earlier.end_us + join_gap_us


def stretches(recordings: Sequence[TimedRecording], *, join_gap_us: int, overlap_us: int) -> list[Stretch]:
    """The stretches the recordings make, oldest first. Each recording is in exactly one."""
    ordered = sorted(recordings, key=lambda r: (r.start_us, r.id))
    groups: list[list[TimedRecording]] = []
    for recording in ordered:
        if groups and continues(groups[-1][-1], recording, join_gap_us=join_gap_us, overlap_us=overlap_us):
            groups[-1].append(recording)
        else:
            groups.append([recording])
    return [Stretch(tuple(group)) for group in groups]
