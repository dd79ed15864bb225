"""Rules about small objects between people: something handed from one person to another, and
a ball going back and forth."""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from footage.events.params import EventParams
from footage.events.runs import runs
from footage.events.subjects import Subject, about, apart
from footage.events.vehicles import point_to_box
from footage.types import Event

__all__ = ["Hold", "catches", "handovers", "holds"]


@dataclass(frozen=True)
class Hold:
    """An object at one person from ``start_s`` to ``end_s`` (grid samples ``k0`` to ``k1``)."""

    person: Subject
    start_s: float
    end_s: float
    k0: int
    k1: int


def holds(thing: Subject, people: Sequence[Subject], params: EventParams, *, min_len: int) -> list[Hold]:
    """Stretches of at least ``min_len`` samples during which the object's centre is within
    ``hold_distance`` body heights of one person's box (inside it counts as 0), that person
    being the nearest. The object is in flight, on the ground or put down between holds."""
    if not people:
        return []
    n = len(thing.xyxy)
    distance = np.full((n, len(people)), np.inf)
    for column, person in enumerate(people):
        k0, k1 = max(thing.k0, person.k0), min(thing.k1, person.k1)
        if k1 <= k0:
            continue
        t, p = slice(k0 - thing.k0, k1 - thing.k0), slice(k0 - person.k0, k1 - person.k0)
        distance[t, column] = point_to_box(thing.centre[t], person.xyxy[p]) / person.height[p]
    nearest = np.argmin(distance, axis=1)
    holder = np.where(distance[np.arange(n), nearest] <= params.hold_distance, nearest, -1)
    found = []
    for column in np.unique(holder[holder >= 0]):
        for i, j in runs(holder == column):
            if j - i >= min_len:
                found.append(Hold(people[int(column)], float(thing.times_s[i]), float(thing.times_s[j - 1]),
                                  thing.k0 + i, thing.k0 + j))
    return sorted(found, key=lambda h: h.start_s)


def _near(a: Subject, b: Subject, k: int, params: EventParams) -> bool:
    """Whether the two are within ``near_distance`` at grid index ``k``."""
    i, j = a.index_at(k), b.index_at(k)
    if i is None or j is None:
        return False
    return bool(np.hypot(*apart(a, i, b, j)) <= params.near_distance)


def handovers(thing: Subject, people: Sequence[Subject], params: EventParams) -> Iterator[Event]:
    """``handed_over``: the object was held by one person for ``hold_s``, then by another for
    ``hold_s`` within ``gap_s``, and the two were near each other (``near_distance``) when it
    changed hands. Named giver, receiver, object."""
    found = holds(thing, people, params, min_len=max(1, round(params.hold_s / params.step_s)))
    for before, after in itertools.pairwise(found):
        giver, receiver = before.person, after.person
        if giver is receiver or after.start_s - before.end_s > params.gap_s:
            continue
        if _near(giver, receiver, before.k1 - 1, params) or _near(giver, receiver, after.k0, params):
            yield about("handed_over", (giver, receiver, thing), before.end_s, after.start_s, after.start_s,
                        held_before_s=before.end_s - before.start_s)


def catches(balls: Sequence[Subject], people: Sequence[Subject], params: EventParams) -> Iterator[Event]:
    """``played_catch``: a ball (any track of ``ball_labels``) went from one person to the other
    and back, at least ``catch_passes`` times between the same two people, each flight taking at
    most ``catch_flight_s``. A touch of one sample counts as a catch: a ball is in hand briefly."""
    touches = sorted((h for ball in balls for h in holds(ball, people, params, min_len=1)), key=lambda h: h.start_s)
    chain: list[Hold] = []
    for touch in touches:
        if chain and touch.person is chain[-1].person:
            chain[-1] = Hold(touch.person, chain[-1].start_s, touch.end_s, chain[-1].k0, touch.k1)
            continue
        pair = {chain[0].person, chain[1].person} if len(chain) >= 2 else None
        flight = touch.start_s - chain[-1].end_s if chain else 0.0
        if chain and flight <= params.catch_flight_s and (pair is None or touch.person in pair):
            chain.append(touch)
            continue
        yield from _catch_event(chain, params)
        chain = [touch] if not chain or flight > params.catch_flight_s else [chain[-1], touch]
    yield from _catch_event(chain, params)


def _catch_event(chain: list[Hold], params: EventParams) -> Iterator[Event]:
    passes = len(chain) - 1
    if passes < params.catch_passes:
        return
    a, b = chain[0].person, chain[1].person
    start, end = chain[0].end_s, chain[-1].start_s
    yield about("played_catch", (a, b), start, end, (start + end) / 2, passes=float(passes))

