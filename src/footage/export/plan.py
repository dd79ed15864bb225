"""Which parts of which recordings make a clip: pure arithmetic on wall-clock spans.

A request names a wall-clock span on one camera (a moment with a few seconds either side, or
``--from``/``--to``). Each recording covers ``[start_utc + first_s, start_utc + last_s]``, where
``start_utc`` is the wall-clock time of media second 0. The plan is the recordings' pieces that
fall inside the span, in time order; a span that two files share is cut across the boundary.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from footage.errors import FootageError
from footage.stored import CoveringRecording

__all__ = ["ClipPlan", "PlannedPiece", "plan_clip"]


@dataclass(frozen=True)
class PlannedPiece:
    """``start_s``..``end_s`` (media seconds) of one recording; ``clip_start_s`` is where it
    begins in the clip."""

    recording_id: int
    path: str
    start_s: float
    end_s: float
    clip_start_s: float

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s


@dataclass(frozen=True)
class ClipPlan:
    """The pieces of a clip and the wall-clock span they were cut for (the asked-for span,
    clipped to what was recorded). ``gaps_s`` is the unrecorded time inside it, left out."""

    camera: str
    start_utc: datetime
    end_utc: datetime
    pieces: tuple[PlannedPiece, ...]
    gaps_s: float

    @property
    def duration_s(self) -> float:
        return sum(p.duration_s for p in self.pieces)


def plan_clip(camera: str, start_utc: datetime, end_utc: datetime, recordings: Sequence[CoveringRecording]) -> ClipPlan:
    """The pieces of ``recordings`` inside [start_utc, end_utc). Raises :class:`FootageError`
    when the span is empty or no recording covers any of it."""
    if end_utc <= start_utc:
        raise FootageError(f"the clip must end after it starts ({start_utc.isoformat()} .. {end_utc.isoformat()})")
    pieces: list[PlannedPiece] = []
    clip_s = 0.0
    covered_until = start_utc  # recordings that overlap in time: the later one goes on where the earlier ended
    for rec in sorted(recordings, key=lambda r: r.utc_at(r.first_s)):
        begin = max(rec.first_s, (max(start_utc, covered_until) - rec.start_utc).total_seconds())
        end = min(rec.last_s, (end_utc - rec.start_utc).total_seconds())
        if end - begin <= 1e-6:
            continue
        pieces.append(PlannedPiece(rec.recording_id, rec.path, round(begin, 6), round(end, 6), round(clip_s, 6)))
        clip_s += end - begin
        covered_until = rec.utc_at(end)
    if not pieces:
        raise FootageError(f"no recording of camera {camera!r} covers {start_utc.isoformat()} .. {end_utc.isoformat()}")
    by_id = {r.recording_id: r for r in recordings}
    first = by_id[pieces[0].recording_id].utc_at(pieces[0].start_s)
    last = by_id[pieces[-1].recording_id].utc_at(pieces[-1].end_s)
    gaps = (last - first).total_seconds() - clip_s
    return ClipPlan(camera, first, last, tuple(pieces), round(max(0.0, gaps), 6))
