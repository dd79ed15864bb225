"""Thresholds of the event rules. Every one is explained, with the reason for its default, in
``docs/events.md``; distances are in body heights (people) or vehicle sizes (the square root of
the box area), so the rules work at any distance from the camera."""

from __future__ import annotations

from dataclasses import dataclass

from footage.labels import VEHICLES

__all__ = ["EventParams"]


@dataclass(frozen=True)
class EventParams:
    """Thresholds of the rules in :mod:`footage.events`."""

    # how tracks are prepared
    step_s: float = 0.2
    smooth_s: float = 1.0
    link_gap_s: float = 3.0
    link_distance: float = 1.0
    edge_s: float = 1.0
    min_present_s: float = 1.0
    # one object
    linger_s: float = 10.0
    linger_radius: float = 0.5
    stop_s: float = 10.0
    stop_radius: float = 0.25
    moved_distance: float = 1.0
    sit_ratio: float = 0.75
    sit_s: float = 3.0
    sit_aspect: float = 1.2
    # two people
    near_distance: float = 1.5
    far_distance: float = 3.0
    together_s: float = 10.0
    gap_s: float = 2.0
    approach_within_s: float = 20.0
    approach_hold_s: float = 3.0
    child_ratio: float = 0.75
    ground_tolerance: float = 0.15
    # people and vehicles
    vehicle_near: float = 2.0
    door_margin: float = 0.5
    # objects between people
    hold_distance: float = 0.3
    hold_s: float = 0.6
    catch_flight_s: float = 4.0
    catch_passes: int = 3
    # moments
    merge_gap_s: float = 2.0
    visit_gap_s: float = 60.0
    vehicle_labels: tuple[str, ...] = VEHICLES
    object_labels: tuple[str, ...] = (
        "backpack", "umbrella", "handbag", "suitcase", "bottle", "cup", "banana", "apple", "sandwich",
        "orange", "pizza", "donut", "cake", "frisbee", "sports ball", "kite", "skateboard",
    )
    ball_labels: tuple[str, ...] = ("sports ball", "frisbee")

    def __post_init__(self) -> None:
        for name in ("step_s", "linger_s", "stop_s", "together_s", "near_distance", "far_distance"):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} must be positive")
        if self.far_distance <= self.near_distance:
            raise ValueError("far_distance must be larger than near_distance")
