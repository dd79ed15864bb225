"""Moments: pure rules that turn the tracks of one recording into events, and events into
moments. No I/O here; ``footage.pipeline.moments`` reads tracks from the index and stores what
these functions return.

tracks (:class:`footage.types.Track`) -> :func:`~footage.events.subjects.make_subjects` (join
pieces split by occlusions, resample, smooth) -> rules per subject, per pair of people, per vehicle and per object ->
:func:`~footage.events.moments.merge_into_moments`. Every kind is defined in ``docs/events.md``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from footage.events.moments import KIND_ORDER, merge_into_moments
from footage.events.objects import catches, handovers
from footage.events.pairs import approaches, child_with_adult, overlapping_pairs, together
from footage.events.params import EventParams
from footage.events.single import appearances, lingering, sitting, vehicle_stops
from footage.events.subjects import Subject, make_subjects
from footage.events.vehicles import people_and_vehicle
from footage.types import Event, Moment, Span, Track

__all__ = ["EVENT_KINDS", "Analysis", "EventParams", "analyse", "find_events", "story_order"]

#: every kind of event, most telling first
EVENT_KINDS = KIND_ORDER


@dataclass(frozen=True)
class Analysis:
    """What the rules found in one recording: the subjects (tracks joined and resampled), their
    events, and the moments those make."""

    subjects: tuple[Subject, ...]
    events: tuple[Event, ...]
    moments: tuple[Moment, ...]


def _overlapping(subject: Subject, others: Sequence[Subject]) -> list[Subject]:
    return [o for o in others if o.k0 < subject.k1 and subject.k0 < o.k1]


def story_order(event: Event) -> tuple[float, int, int, tuple[int, ...]]:
    """Time order; at the same time an appearance comes first and a departure last."""
    place = 0 if event.kind == "appeared" else 2 if event.kind == "left" else 1
    return (event.start_s, place, KIND_ORDER.index(event.kind), event.subjects)


def find_events(subjects: Sequence[Subject], span: Span, params: EventParams) -> list[Event]:
    """Every event among the (prepared) subjects of one recording, in time order."""
    people = [s for s in subjects if s.label == "person"]
    vehicles = [s for s in subjects if s.label in params.vehicle_labels]
    things = [s for s in subjects if s.label in params.object_labels]
    events: list[Event] = []
    for subject in subjects:
        if subject.label not in params.object_labels:
            events += appearances(subject, span, params)
    for person in people:
        events += lingering(person, params)
        events += sitting(person, params)
    for vehicle in vehicles:
        events += vehicle_stops(vehicle, params)
        events += people_and_vehicle(vehicle, _overlapping(vehicle, people), span, params)
    for pair in overlapping_pairs(people, min_len=2):
        for event, run in together(pair, params):
            events.append(event)
            events += child_with_adult(pair, run, params)
        events += approaches(pair, params)
    for thing in things:
        events += handovers(thing, _overlapping(thing, people), params)
    events += catches([t for t in things if t.label in params.ball_labels], people, params)
    return sorted(events, key=story_order)


def analyse(tracks: Sequence[Track], span: Span, params: EventParams | None = None) -> Analysis:
    """Events and moments of one recording's tracks. ``span`` is the analysed stretch."""
    params = params or EventParams()
    subjects = make_subjects(tracks, params)
    events = find_events(subjects, span, params)
    return Analysis(tuple(subjects), tuple(events), tuple(merge_into_moments(events, subjects, params)))
