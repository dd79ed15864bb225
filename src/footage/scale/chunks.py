"""Split a recording into overlapping time chunks that can be analysed independently (pure).

Every chunk is *authoritative* for its own range ``[own_start_s, own_end_s)``; the own ranges
partition ``[0, duration)`` with no gap and no overlap, and the last one ends at ``math.inf`` so
that a file whose real end lies past its probed duration is still fully owned. A chunk *reads*
``[start_s, end_s)``: it starts ``overlap_s`` before its own range (so a tracker has warmed up and
a track crossing the boundary is seen by both chunks) and ends where its own range ends (the next
chunk re-reads the overlap). :func:`footage.scale.stitch.stitch` joins the results.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = ["Chunk", "plan_chunks"]


@dataclass(frozen=True)
class Chunk:
    """One piece of a recording: analyse media time ``[start_s, end_s)``, own ``[own_start_s, own_end_s)``.

    ``start_s = max(0, own_start_s - overlap_s)`` and ``end_s = own_end_s``; the last chunk has
    ``end_s = own_end_s = math.inf`` (read to the end of the file).
    """

    index: int
    start_s: float
    end_s: float
    own_start_s: float
    own_end_s: float

    @property
    def overlap_s(self) -> float:
        """Seconds read before the own range (shared with the previous chunk)."""
        return self.own_start_s - self.start_s


def plan_chunks(duration_s: float, chunk_s: float, overlap_s: float) -> tuple[Chunk, ...]:
    """Plan about-equal chunks of about ``chunk_s`` seconds, each re-reading ``overlap_s`` before its start.

    A recording no longer than ``1.5 * chunk_s`` (not worth splitting) or of unknown duration (0,
    negative or not finite) is one chunk. Otherwise it is cut into ``round(duration_s / chunk_s)``
    chunks of equal length (each between 0.75 and 1.5 times ``chunk_s``).
    """
    if not (math.isfinite(chunk_s) and chunk_s > 0):
        raise ValueError(f"chunk_s must be a positive number of seconds, got {chunk_s!r}")
    if not (math.isfinite(overlap_s) and 0 <= overlap_s < chunk_s):
        raise ValueError(f"overlap_s must be at least 0 and less than chunk_s ({chunk_s!r}), got {overlap_s!r}")
    if not math.isfinite(duration_s) or duration_s <= chunk_s * 1.5:
        return (Chunk(0, 0.0, math.inf, 0.0, math.inf),)
    count = max(2, round(duration_s / chunk_s))
    own_starts = [duration_s * i / count for i in range(count)]
    own_ends = [*own_starts[1:], math.inf]
    return tuple(
        Chunk(index, max(0.0, own_start - overlap_s), own_end, own_start, own_end)
        for index, (own_start, own_end) in enumerate(zip(own_starts, own_ends, strict=True))
    )
