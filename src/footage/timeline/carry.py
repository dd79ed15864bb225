"""Join the events found again in a bounded part of the timeline to the stored events beyond its
edges (pure).

A camera that is never quiet (a parked car, a person always in view) has no quiet time to stop
at, so the part found again is cut at ``lookback_s`` around a new recording
(:class:`footage.timeline.params.TimelineParams`), and the rules are given ``reach_s`` more
(:func:`footage.timeline.window.settle_us`). Near a cut they see only half of what goes on: a
person who has lingered for an hour seems to arrive at the cut. So within ``reach_s`` of a cut
the events stored before stand (they were found with both sides in view) and the ones found
again there are dropped; an event found again that runs across the reach continues a stored
one of the same kind about the same subjects that it overlaps, and keeps its start (or end, at
the upper cut) and key time.

All times are timeline seconds (:mod:`footage.timeline.clock`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from footage.types import Event

__all__ = ["carry_events", "stored_names"]


#: how far apart (seconds) an event found again and a stored one may be and still be one: a
#: sample or two, as the smoothing moves an edge
_TOUCH_S = 1.0


def _continues(frozen: Event, found: Event) -> bool:
    """Whether ``found`` is ``frozen`` seen again: same kind and subjects, overlapping."""
    return (frozen.kind == found.kind and frozen.subjects == found.subjects
            and frozen.start_s <= found.end_s + _TOUCH_S and found.start_s <= frozen.end_s + _TOUCH_S)


def stored_names(frozen: Sequence[Event], found: Sequence[Event],
                 pieces_of: Mapping[int, frozenset[int]]) -> dict[int, int]:
    """The names the stored events give the objects found again, where those differ.

    An object is named by its first track, and the part found again may not reach back to it:
    an object the rules joined across an occlusion before the cut is found again from its piece
    after the occlusion. ``pieces_of`` gives the index tracks of each subject found again; a
    stored event's tracks are the pieces of its subjects. A subject found again is the stored
    subject of an event of the same kind, in the same place among its subjects, whose pieces it
    shares, when no stored event names it already."""
    named = {k for e in frozen for k in e.subjects}
    votes: dict[int, dict[int, int]] = {}
    for new in found:
        for old in frozen:
            if new.kind != old.kind or len(new.subjects) != len(old.subjects) or new.subjects == old.subjects:
                continue
            pieces = set(old.tracks)
            for mine, theirs in zip(new.subjects, old.subjects, strict=True):
                if mine not in named and mine != theirs and pieces_of.get(mine, frozenset()) & pieces:
                    votes.setdefault(mine, {}).setdefault(theirs, 0)
                    votes[mine][theirs] += 1
    names: dict[int, int] = {}
    for mine, counts in sorted(votes.items()):
        theirs = max(counts, key=lambda k: (counts[k], -k))
        if theirs not in names.values():
            names[mine] = theirs
    return names


def _grown(found: Event, start_s: float, end_s: float, key_s: float) -> Event:
    facts = dict(found.facts)
    if "duration_s" in facts:
        facts["duration_s"] = end_s - start_s
    return replace(found, start_s=start_s, end_s=end_s, key_s=key_s, facts=tuple(sorted(facts.items())))


def carry_events(frozen: Sequence[Event], found: Sequence[Event], lo_cut_s: float | None, hi_cut_s: float | None,
                 reach_s: float) -> list[Event]:
    """The events of the part found again, joined with ``frozen`` (the stored events of the
    moments that cross a cut). ``lo_cut_s``/``hi_cut_s``: where the part was cut (None where it
    reached a quiet time or the stretch's edge, and nothing is carried)."""
    lo = lo_cut_s + reach_s if lo_cut_s is not None else None
    hi = hi_cut_s - reach_s if hi_cut_s is not None else None

    def before(e: Event) -> bool:
        return lo is not None and e.end_s < lo

    def after(e: Event) -> bool:
        return hi is not None and e.start_s > hi

    kept = [e for e in frozen if before(e) or after(e)]
    joined = []
    for event in found:
        if before(event) or after(event):
            continue
        start_s, end_s, key_s = event.start_s, event.end_s, event.key_s
        for old in frozen:
            if (before(old) or after(old)) or not _continues(old, event):
                continue
            if lo_cut_s is not None and lo is not None and old.start_s < lo_cut_s and event.start_s <= lo:
                start_s, key_s = min(start_s, old.start_s), old.key_s  # it was cut short at the lower cut
            if hi_cut_s is not None and hi is not None and old.end_s > hi_cut_s and event.end_s >= hi:
                end_s = max(end_s, old.end_s)
        joined.append(_grown(event, start_s, end_s, key_s) if (start_s, end_s) != (event.start_s, event.end_s)
                      else event)
    for old in kept:
        if any(_continues(old, e) and e.start_s <= old.start_s and e.end_s >= old.end_s for e in joined):
            continue  # swallowed by an event it continues
        joined.append(old)
    return joined
