"""Rules about people and vehicles: a vehicle stopped by a person; a person got out of a
stationary vehicle, or into one."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np

from footage.events.params import EventParams
from footage.events.runs import Run
from footage.events.single import arrived, parked
from footage.events.subjects import Subject, about
from footage.types import Event, Span
from footage.types import Float64Array as FloatArray

__all__ = ["people_and_vehicle", "point_to_box"]


def point_to_box(points: FloatArray, xyxy: FloatArray) -> FloatArray:
    """Distance from each point (n, 2) to each box (n, 4), 0 inside the box."""
    dx = np.maximum(np.maximum(xyxy[:, 0] - points[:, 0], points[:, 0] - xyxy[:, 2]), 0)
    dy = np.maximum(np.maximum(xyxy[:, 1] - points[:, 1], points[:, 1] - xyxy[:, 3]), 0)
    return np.hypot(dx, dy)  # type: ignore[no-any-return]


def people_and_vehicle(vehicle: Subject, people: Sequence[Subject], span: Span, params: EventParams) -> Iterator[Event]:
    """For one vehicle and everyone present with it:

    - ``vehicle_stopped_near_person``: the vehicle came to a stop (it moved ``moved_distance``
      sizes first) and within ``stop_s`` of stopping a person's feet were within
      ``vehicle_near`` vehicle sizes of its box;
    - ``left_vehicle``: a person first seen (after the recording started) with their feet in the
      vehicle's box widened by ``door_margin`` sizes, while the vehicle stood still;
    - ``entered_vehicle``: a person last seen there (before the recording ended), likewise.
    """
    stops = parked(vehicle, params)
    window = round(params.stop_s / params.step_s)
    for i0, i1 in stops:
        if not arrived(vehicle, i0, params):
            continue
        k_stop = vehicle.k0 + i0
        for person in people:
            k0, k1 = max(person.k0, k_stop), min(person.k1, k_stop + window, vehicle.k0 + i1)
            if k1 <= k0:
                continue
            near = point_to_box(person.foot[k0 - person.k0:k1 - person.k0], vehicle.xyxy[k0 - vehicle.k0:k1 - vehicle.k0])
            closest = float((near / vehicle.scale[k0 - vehicle.k0:k1 - vehicle.k0]).min())
            if closest <= params.vehicle_near:
                start = vehicle.times_s[i0]
                end = float(min(vehicle.times_s[i1 - 1], person.end_s))
                yield about("vehicle_stopped_near_person", (vehicle, person), float(start), max(end, float(start)),
                             float(start) + 1.0, distance=closest, stopped_s=float(vehicle.times_s[i1 - 1] - start))
    for person in people:
        if person.start_s > span.start_s + params.edge_s and _at_door(vehicle, stops, person, 0, params):
            yield about("left_vehicle", (vehicle, person), person.start_s, person.start_s, person.start_s)
        if person.end_s < span.end_s - params.edge_s and _at_door(vehicle, stops, person, len(person.xyxy) - 1, params):
            yield about("entered_vehicle", (vehicle, person), person.end_s, person.end_s, person.end_s)


def _at_door(vehicle: Subject, stops: list[Run], person: Subject, i: int, params: EventParams) -> bool:
    """Whether the person's sample ``i`` has their feet at the vehicle while it stood still."""
    v = vehicle.index_at(person.k0 + i)
    if v is None or not any(a <= v < b for a, b in stops):
        return False
    margin = params.door_margin * vehicle.scale[v]
    box = vehicle.xyxy[v] + np.array([-margin, -margin, margin, margin])
    return bool(point_to_box(person.foot[i:i + 1], box[None])[0] == 0)
