"""Rank candidate moments against a parsed query, and merge near-duplicates.

Pure: the store hands over candidates (moments that pass the query's camera, date and hard
filters, with their labels, the labels of other objects seen meanwhile and their events'
lengths) and the text similarity its full-text index computed; this module decides.

A moment's rank is a weighted sum, each part in 0..1 (weights in :class:`SearchParams`):

- structured match: how well it has every object the query names (its own tracks fully, an
  object merely seen at the time partly), how many people, and what happened (the best fit of
  its event kinds to each relation word, the event long enough when a duration is asked for),
  what they wore, the postures they were in and the gestures they made (read on its tracks
  while indexing; a colour near the one asked for fits partly, as footage reads dark clothes
  on small people darker);
- text similarity between the query's words and the moment's description;
- semantic similarity from an embedding model, when one is configured;
- notability (:mod:`footage.events.score`), as a tie-breaker.

A moment that lacks a named object, or misses the duration, is not a result; neither is one
whose structured match is below ``min_match`` unless the embedding model vouches for it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import tzinfo

from footage.search.durations import DurationBound
from footage.search.params import SearchParams
from footage.search.query import ColourTerm, ObjectTerm, ParsedQuery
from footage.search.words import KindSense
from footage.stored import Candidate

__all__ = ["Ranked", "colour_fit", "gesture_fit", "merge_duplicates", "posture_fit", "rank"]

_OBJECT_WEIGHT = 1.0
_KIND_WEIGHT = 1.5
_LOOK_WEIGHT = 1.0
#: a posture near the one asked for (a person seated low is often read crouching)
_NEAR_POSTURES = {("sitting", "crouching"): 0.6, ("crouching", "sitting"): 0.6}


@dataclass(frozen=True)
class Ranked:
    """A result: the candidate, its rank score, the structured match alone (None when the query
    named nothing structured), the embedding similarity (None without a model), and the ids of
    near-duplicates merged into it."""

    candidate: Candidate
    score: float
    match: float | None
    semantic: float | None = None
    merged: tuple[int, ...] = ()


def _meets(bound: DurationBound, seconds: float) -> bool:
    return (bound.min_s is None or seconds >= bound.min_s) and (bound.max_s is None or seconds < bound.max_s)


def object_fit(term: ObjectTerm, c: Candidate, nearby_fit: float) -> float:
    """1.0 when the moment's own tracks include the object (as many as asked for), less for a
    class the detector confuses with it or for an object only seen at the same time; 0 if absent."""
    fits = [term.sense.labels.get(label, 0.0) for label in c.labels]
    own = max(fits, default=0.0)
    if own > 0 and term.count > 1 and not term.is_person:  # people are counted together, by structured_match
        own *= min(1.0, sum(f > 0 for f in fits) / term.count)
    seen = nearby_fit * max((term.sense.labels.get(label, 0.0) for label in c.nearby), default=0.0)
    return max(own, seen)


def kind_fit(sense: KindSense, c: Candidate, duration: DurationBound | None) -> float:
    """The best fit of the moment's event kinds to a relation word; with a duration, only
    events lasting that long count."""
    return max(
        (sense.kinds.get(kind, 0.0) for kind, seconds in c.spans if duration is None or _meets(duration, seconds)),
        default=0.0,
    )


def colour_fit(term: ColourTerm, c: Candidate) -> float:
    """How well the colour fits the moment's tracks of the thing that had it: a person's top,
    trousers or either (clothes named without a part), a vehicle's body; 0 where none matches
    or none was read."""
    fits = []
    for look in c.looks:
        if term.labels.get(look.label, 0.0) == 0.0:
            continue
        read = {"upper": (look.upper,), "lower": (look.lower,), "any": (look.upper, look.lower),
                "body": (look.upper,)}[term.part]
        fits += [term.fits.get(name, 0.0) for name in read if name]
    return max(fits, default=0.0)


def posture_fit(posture: str, c: Candidate) -> float:
    """1.0 when someone in the moment was in ``posture`` while it lasted, less for a near one."""
    held = {p for look in c.looks if look.label == "person" for p in look.postures}
    return max((1.0 if p == posture else _NEAR_POSTURES.get((posture, p), 0.0) for p in held), default=0.0)


def gesture_fit(gesture: str, c: Candidate) -> float:
    """1.0 when someone in the moment made ``gesture`` while it lasted, else 0."""
    return 1.0 if any(gesture in look.gestures for look in c.looks if look.label == "person") else 0.0


def structured_match(query: ParsedQuery, c: Candidate, nearby_fit: float) -> float | None:
    """The weighted share of the query's objects, relations, colours and postures the moment
    has; None when the query names no object or relation; 0.0 when a named object, colour or
    posture is missing or the duration is not met."""
    if query.duration is not None and not query.kinds and not _meets(query.duration, c.duration_s):
        return 0.0
    if not query.objects and not query.kinds:
        return None
    crowd = min(1.0, c.people / query.people) if query.people > 1 else 1.0  # "an officer and a boy": two people
    object_fits = [object_fit(term, c, nearby_fit) * (crowd if term.is_person else 1.0) for term in query.objects]
    if any(fit == 0.0 for fit in object_fits):
        return 0.0
    kind_fits = [kind_fit(sense, c, query.duration) for sense in query.kinds]
    if query.duration is not None and query.kinds and max(kind_fits) == 0.0:
        return 0.0
    look_fits = [colour_fit(term, c) for term in query.colours] + [posture_fit(p, c) for p in query.postures]
    look_fits += [gesture_fit(g, c) for g in query.gestures]
    if any(fit == 0.0 for fit in look_fits):  # nobody wore it, was in that posture or made that gesture
        return 0.0
    total = _OBJECT_WEIGHT * len(object_fits) + _KIND_WEIGHT * len(kind_fits) + _LOOK_WEIGHT * len(look_fits)
    return (_OBJECT_WEIGHT * sum(object_fits) + _KIND_WEIGHT * sum(kind_fits) + _LOOK_WEIGHT * sum(look_fits)) / total


def rank(
    query: ParsedQuery,
    candidates: Sequence[Candidate],
    params: SearchParams,
    zone: tzinfo,
    text: Mapping[int, float] | None = None,
    semantic: Mapping[int, float] | None = None,
) -> list[Ranked]:
    """The candidates that answer the query, best first (not yet merged or cut). ``text`` and
    ``semantic`` map moment ids to similarities (0..1); ``semantic`` is None without a model."""
    text = text or {}
    top_notability = max((c.notability for c in candidates), default=0.0) or 1.0
    understood = 0.5 + 0.5 * query.understood_ratio  # words not understood lower every score
    results: list[Ranked] = []
    for c in candidates:
        if query.when is not None and not query.when.overlaps(c.start_utc, c.end_utc, zone):
            continue
        match = structured_match(query, c, params.nearby_fit)
        similar = None if semantic is None else semantic.get(c.moment_id, 0.0)
        worded = text.get(c.moment_id, 0.0)
        vouched = similar is not None and similar >= params.min_semantic
        if match is None:
            # nothing structured asked: text or the model must find it, unless only filters were given
            if query.words and worded == 0 and not vouched:
                continue
        elif match < params.min_match and not (vouched and match > 0):
            continue
        score = understood * (
            params.structure_weight * (match or 0.0)
            + params.text_weight * worded
            + params.semantic_weight * (similar or 0.0)
            + params.notability_weight * max(c.notability, 0.0) / top_notability
        )
        results.append(Ranked(c, round(score, 4), None if match is None else round(match, 4),
                              None if similar is None else round(similar, 4)))
    results.sort(key=lambda r: (-r.score, -r.candidate.notability, r.candidate.start_utc, r.candidate.moment_id))
    return results


def _same_story(a: Candidate, b: Candidate, gap_s: float) -> bool:
    """Two moments of one recording, at most ``gap_s`` apart, about some of the same objects
    (the rules split one visit in two when a track broke off), show the same thing."""
    if a.recording != b.recording or a.start_s > b.end_s + gap_s or b.start_s > a.end_s + gap_s:
        return False
    return bool(set(a.tracks) & set(b.tracks))


def merge_duplicates(ranked: Sequence[Ranked], gap_s: float) -> list[Ranked]:
    """Fold each result into a better-ranked one that shows the same story; the kept result
    lists the ids folded into it."""
    kept: list[Ranked] = []
    by_recording: dict[str, list[int]] = {}
    for result in ranked:
        same = by_recording.setdefault(result.candidate.recording, [])
        for n in same:
            if _same_story(kept[n].candidate, result.candidate, gap_s):
                kept[n] = replace(kept[n], merged=(*kept[n].merged, result.candidate.moment_id))
                break
        else:
            same.append(len(kept))
            kept.append(result)
    return kept
