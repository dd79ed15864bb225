"""Merge events into moments: overlapping events about the same subjects are one story."""

from __future__ import annotations

from collections.abc import Sequence

from footage.events.describe import describe, display_names
from footage.events.params import EventParams
from footage.events.subjects import Subject
from footage.types import Event, KeyBox, Moment, box_at

__all__ = ["KIND_ORDER", "merge_into_moments"]

#: event kinds from the most to the least telling; a moment is named after its first kind here
KIND_ORDER: tuple[str, ...] = (
    "handed_over", "played_catch", "adult_with_child", "left_vehicle", "entered_vehicle",
    "vehicle_stopped_near_person", "together", "approached", "sat_or_crouched", "lingered",
    "vehicle_stopped", "vehicle_departed", "appeared", "left",
)
_BOUNDARY = ("appeared", "left")


def _gap(a: Event, b: Event) -> float:
    """Seconds between two events; negative when they overlap."""
    return max(a.start_s, b.start_s) - min(a.end_s, b.end_s)


def _groups(events: Sequence[Event], params: EventParams) -> list[list[int]]:
    """Indices of events that belong together.

    Events other than appearances and departures join when they share a subject and are at most
    ``merge_gap_s`` apart (chains included: A with B, then B with C). Each appearance or
    departure then joins the nearest group about its subject within ``visit_gap_s``, without
    joining groups to each other. One left alone pairs with the subject's other one when the
    visit was at most ``visit_gap_s`` long ("a person appeared; the person left after 25 s")."""
    parent = list(range(len(events)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    stories = [n for n, e in enumerate(events) if e.kind not in _BOUNDARY]
    by_subject: dict[int, list[int]] = {}
    for n in stories:
        for subject in events[n].subjects:
            by_subject.setdefault(subject, []).append(n)
    for members in by_subject.values():
        members.sort(key=lambda n: events[n].start_s)
        for x, i in enumerate(members):
            for j in members[x + 1:]:
                if events[j].start_s - events[i].end_s > params.merge_gap_s:
                    break
                if _gap(events[i], events[j]) <= params.merge_gap_s:
                    parent[root(i)] = root(j)
    alone: dict[int, list[int]] = {}
    for n, event in enumerate(events):
        if event.kind not in _BOUNDARY:
            continue
        subject = event.subjects[0]
        nearest = min(by_subject.get(subject, []), key=lambda m: abs(_gap(event, events[m])), default=None)
        if nearest is not None and _gap(event, events[nearest]) <= params.visit_gap_s:
            parent[n] = root(nearest)
        else:
            alone.setdefault(subject, []).append(n)
    for found in alone.values():
        if len(found) == 2 and _gap(events[found[0]], events[found[1]]) <= params.visit_gap_s:
            parent[found[1]] = found[0]
    groups: dict[int, list[int]] = {}
    for n in range(len(events)):
        groups.setdefault(root(n), []).append(n)
    return list(groups.values())


def merge_into_moments(events: Sequence[Event], subjects: Sequence[Subject], params: EventParams) -> list[Moment]:
    """Moments in time order, each with its headline kind, description and key-frame boxes.

    Labels and tracks come from the events themselves, so events carried from the index (a
    moment continued across the edge of the part found again) need no subject; key boxes are
    drawn for the ``subjects`` given."""
    by_key = {s.key: s for s in subjects}
    moments = []
    for group in _groups(events, params):
        members = [events[n] for n in sorted(group)]  # events come in story order
        headline = min(members, key=lambda e: (KIND_ORDER.index(e.kind), -e.duration_s))
        keys: list[int] = []
        for event in sorted(members, key=lambda e: KIND_ORDER.index(e.kind)):
            keys += [k for k in event.subjects if k not in keys]
        label_of = {k: label for e in members for k, label in zip(e.subjects, e.labels, strict=True)}
        labels = tuple(label_of[k] for k in keys)
        tracks = tuple(sorted({t for e in members for t in e.tracks}))
        moments.append(Moment(
            kind=headline.kind,
            start_s=min(e.start_s for e in members),
            end_s=max(e.end_s for e in members),
            events=tuple(members),
            subjects=tuple(keys),
            labels=labels,
            tracks=tracks,
            description=describe(members, keys, labels,
                                 {k: by_key[k].appearance for k in keys if k in by_key and by_key[k].appearance.wearing()}),
            key_s=headline.key_s,
            key_boxes=_key_boxes([by_key[k] for k in keys if k in by_key], headline.key_s),
            people=sum(1 for label in labels if label == "person"),
        ))
    return sorted(moments, key=lambda m: (m.start_s, m.end_s))


def _key_boxes(subjects: Sequence[Subject], key_s: float) -> tuple[KeyBox, ...]:
    """Where each subject was at the key time (or within 2 s of it), named as in the story."""
    names = display_names([s.key for s in subjects], [s.label for s in subjects])
    boxes = []
    for subject in subjects:
        box = box_at(subject.times_s, subject.xyxy, key_s, hold_s=2.0, max_gap_s=0.0)  # the nearest sample
        if box is not None:
            boxes.append(KeyBox(names[subject.key], subject.label, box))
    return tuple(boxes)
