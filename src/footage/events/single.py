"""Rules about one object at a time: it appeared or left; a vehicle stopped or drove off; a
person lingered, or sat down or crouched."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import numpy.typing as npt

from footage.events.params import EventParams
from footage.events.runs import Run, runs, stays
from footage.events.subjects import Subject, about
from footage.types import Event, Span

__all__ = ["appearances", "arrived", "lingering", "parked", "sitting", "sitting_by_box", "vehicle_stops"]


def appearances(subject: Subject, span: Span, params: EventParams) -> Iterator[Event]:
    """``appeared`` when the subject comes into view after the recording started, ``left`` when
    it goes before the recording ended; both carry ``present_s``, the time it was in view."""
    present = subject.end_s - subject.start_s
    if subject.start_s > span.start_s + params.edge_s:
        yield about("appeared", (subject,), subject.start_s, subject.start_s,
                     min(subject.start_s + 1.0, subject.end_s), present_s=present)
    if subject.end_s < span.end_s - params.edge_s:
        yield about("left", (subject,), subject.end_s, subject.end_s, max(subject.end_s - 1.0, subject.start_s),
                     present_s=present)


def lingering(person: Subject, params: EventParams) -> Iterator[Event]:
    """``lingered``: the person's feet stayed within ``linger_radius`` body heights of one spot
    for at least ``linger_s``."""
    min_len = round(params.linger_s / params.step_s)
    for i0, i1 in stays(person.foot, params.linger_radius * person.height, min_len):
        start, end = float(person.times_s[i0]), float(person.times_s[i1 - 1])
        yield about("lingered", (person,), start, end, (start + end) / 2, duration_s=end - start)


def sitting(person: Subject, params: EventParams) -> Iterator[Event]:
    """``sat_or_crouched``: the person's posture, as read while indexing (the pose, and the
    height against the ground line: :mod:`footage.people.posture`), was sitting or crouching for
    at least ``sit_s``. Where no posture was read, the box heuristic of :func:`sitting_by_box`."""
    if not person.postures:
        yield from sitting_by_box(person, params)
        return
    low = sorted((start, end, name) for name, start, end in person.postures if name in ("sitting", "crouching"))
    joined: list[list[float]] = []  # start, end, seconds of it crouching
    for start, end, name in low:
        crouching = end - start if name == "crouching" else 0.0
        if joined and start - joined[-1][1] <= 2 * params.step_s:
            joined[-1][1] = max(joined[-1][1], end)
            joined[-1][2] += crouching
        else:
            joined.append([start, end, crouching])
    for start, end, crouching in joined:
        if end - start >= params.sit_s:
            yield about("sat_or_crouched", (person,), start, end, (start + end) / 2, duration_s=end - start,
                        crouched_share=crouching / (end - start))


def sitting_by_box(person: Subject, params: EventParams) -> Iterator[Event]:
    """``sat_or_crouched`` from box geometry alone: while the person stays in one place, the box
    is markedly shorter than when they walked in (height <= ``sit_ratio`` of it) for at least
    ``sit_s``. A person who is already seated when first seen has no standing height to compare
    with: then a box at most ``sit_aspect`` times as high as it is wide counts as seated. See
    docs/events.md for when it is fooled."""
    min_len = max(1, round(params.sit_s / params.step_s))
    before = max(1, round(3.0 / params.step_s))
    for i0, i1 in stays(person.foot, params.linger_radius * person.height, min_len):
        walked_in = person.height[max(0, i0 - before):i0]
        standing = float(np.median(walked_in)) if len(walked_in) >= before // 2 else None
        if standing is not None:
            low = person.height[i0:i1] <= params.sit_ratio * standing
        else:
            low = person.height[i0:i1] <= params.sit_aspect * person.width[i0:i1]
        for a, b in runs(low):
            if b - a >= min_len:
                start, end = float(person.times_s[i0 + a]), float(person.times_s[i0 + b - 1])
                seated = person.height[i0 + a:i0 + b]
                shape = (float(np.median(seated) / standing) if standing else 0.0,
                         float(np.median(seated / person.width[i0 + a:i0 + b])))
                yield about("sat_or_crouched", (person,), start, end, (start + end) / 2, duration_s=end - start,
                             height_ratio=shape[0], aspect=shape[1])


def parked(vehicle: Subject, params: EventParams) -> list[Run]:
    """The vehicle's stretches of at least ``stop_s`` within ``stop_radius`` sizes of one spot."""
    return stays(vehicle.foot, params.stop_radius * vehicle.scale, round(params.stop_s / params.step_s))


def _moved_away(vehicle: Subject, anchor: int, part: slice, params: EventParams) -> npt.NDArray[np.bool_]:
    """For each sample in ``part``: is the vehicle ``moved_distance`` sizes from sample ``anchor``?"""
    away = np.hypot(*(vehicle.foot[part] - vehicle.foot[anchor]).T)
    return away >= params.moved_distance * vehicle.scale[anchor]  # type: ignore[no-any-return]


def arrived(vehicle: Subject, i0: int, params: EventParams) -> bool:
    """Whether the vehicle moved at least ``moved_distance`` sizes before sample ``i0`` (else it
    was parked when first seen)."""
    return bool(_moved_away(vehicle, i0, slice(0, i0), params).any())


def vehicle_stops(vehicle: Subject, params: EventParams) -> Iterator[Event]:
    """``vehicle_stopped``: the vehicle moved at least ``moved_distance`` vehicle sizes, then
    stayed within ``stop_radius`` sizes of one spot for at least ``stop_s``. ``vehicle_departed``:
    after such a stop (or parked since it was first seen) it moved ``moved_distance`` away."""
    times = vehicle.times_s
    for i0, i1 in parked(vehicle, params):
        stopped = float(times[i1 - 1] - times[i0])
        if arrived(vehicle, i0, params):
            yield about("vehicle_stopped", (vehicle,), float(times[i0]), float(times[i1 - 1]),
                         min(float(times[i0]) + 2.0, float(times[i1 - 1])), stopped_s=stopped)
        moved_out = np.flatnonzero(_moved_away(vehicle, i1 - 1, slice(i1, None), params))
        if len(moved_out):
            gone = float(times[i1 + int(moved_out[0])])
            yield about("vehicle_departed", (vehicle,), float(times[i1 - 1]), gone, float(times[i1 - 1]),
                         stopped_s=stopped)
