"""Score events found in tracked video against events found in ground-truth tracks.

Two events match when they are of the same kind, involve the same people (each found track is
mapped to the ground-truth identity it covers most) and overlap in time by at least half of the
shorter one (instants count as one second long). Matching is one-to-one, best overlap first.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from footage.events import EventParams, analyse
from footage.geometry import iou_matrix
from footage.types import Event, Span, Track
from footage.types import Float64Array as FloatArray

__all__ = ["KindScore", "identity_map", "match_events", "score_tracks"]


def identity_map(
    found: Mapping[int, Sequence[Track]],
    truth: Mapping[int, Sequence[Track]],
    *,
    fps: float,
    min_iou: float = 0.5,
) -> dict[int, int]:
    """For each found subject (key -> its tracks), the ground-truth subject whose boxes it
    overlaps (IoU >= ``min_iou`` on the same frame) most often; subjects that overlap none are
    left out. Frames are matched by ``round(time * fps)``."""
    by_frame: dict[int, list[tuple[int, FloatArray]]] = {}
    for key, tracks in truth.items():
        for track in tracks:
            for t, box in zip(track.times_s, track.xyxy, strict=True):
                by_frame.setdefault(round(t * fps), []).append((key, box))
    mapping = {}
    for key, tracks in found.items():
        votes: Counter[int] = Counter()
        for track in tracks:
            for t, box in zip(track.times_s, track.xyxy, strict=True):
                candidates = by_frame.get(round(t * fps), [])
                if not candidates:
                    continue
                overlaps = iou_matrix(box[None].astype(np.float32), np.array([c[1] for c in candidates], np.float32))[0]
                best = int(np.argmax(overlaps))
                if overlaps[best] >= min_iou:
                    votes[candidates[best][0]] += 1
        if votes:
            mapping[key] = votes.most_common(1)[0][0]
    return mapping


@dataclass(frozen=True)
class KindScore:
    """Counts for one event kind: reference events, found events, and those that match."""

    kind: str
    reference: int
    found: int
    matched: int

    @property
    def precision(self) -> float | None:
        return self.matched / self.found if self.found else None

    @property
    def recall(self) -> float | None:
        return self.matched / self.reference if self.reference else None


def _overlap(a: Event, b: Event) -> float:
    def bounds(e: Event) -> tuple[float, float]:
        middle = (e.start_s + e.end_s) / 2
        return (min(e.start_s, middle - 0.5), max(e.end_s, middle + 0.5))

    (a0, a1), (b0, b1) = bounds(a), bounds(b)
    return max(0.0, min(a1, b1) - max(a0, b0)) / min(a1 - a0, b1 - b0)


def match_events(
    reference: Iterable[Event],
    found: Iterable[Event],
    identity: Mapping[int, int],
    *,
    min_overlap: float = 0.5,
) -> list[KindScore]:
    """Precision and recall counts per kind. ``identity`` maps the found events' subjects (the
    keys) to reference subjects; a found event with an unmapped subject can only be a false
    positive."""
    reference, found = list(reference), list(found)
    scores = []
    for kind in sorted({e.kind for e in reference} | {e.kind for e in found}):
        refs = [e for e in reference if e.kind == kind]
        mine = [e for e in found if e.kind == kind]
        pairs = []
        for i, ref in enumerate(refs):
            people = frozenset(ref.subjects)
            for j, event in enumerate(mine):
                mapped = frozenset(identity.get(s, -1 - s) for s in event.subjects)
                if mapped == people:
                    overlap = _overlap(ref, event)
                    if overlap >= min_overlap:
                        pairs.append((overlap, i, j))
        used_ref: set[int] = set()
        used_mine: set[int] = set()
        for _, i, j in sorted(pairs, reverse=True):
            if i not in used_ref and j not in used_mine:
                used_ref.add(i)
                used_mine.add(j)
        scores.append(KindScore(kind, len(refs), len(mine), len(used_ref)))
    return scores


def score_tracks(
    truth: Sequence[Track], found: Sequence[Track], span: Span, params: EventParams, *, fps: float
) -> list[KindScore]:
    """Run the rules on ground-truth tracks and on tracks found in the video, map found subjects
    to true ones, and match their events (see the module docstring)."""
    reference, mine = analyse(truth, span, params), analyse(found, span, params)
    true_tracks = {t.track_id: t for t in truth}
    found_tracks = {t.track_id: t for t in found}
    identity = identity_map(
        {s.key: [found_tracks[i] for i in s.track_ids] for s in mine.subjects},
        {s.key: [true_tracks[i] for i in s.track_ids] for s in reference.subjects},
        fps=fps,
    )
    return match_events(reference.events, mine.events, identity)
