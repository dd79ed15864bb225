"""How often the pose of a tracked person is looked at while indexing (``[pose]`` in settings)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["PoseParams"]


@dataclass(frozen=True)
class PoseParams:
    """``docs/config.md`` says what each does and why its default is what it is."""

    enabled: bool = True
    model: str = "movenet"
    every_s: float = 1.0
    moving_every_s: float = 2.0
    moving_speed: float = 0.4
    min_height_px: float = 24.0
    near_every_s: float = 0.4
    near_gap: float = 1.0

    def __post_init__(self) -> None:
        if not 0 < self.near_every_s <= self.every_s <= self.moving_every_s:
            raise ValueError("pose: need 0 < near_every_s <= every_s <= moving_every_s")
        if self.near_gap < 0:
            raise ValueError("pose.near_gap must not be negative")
        if self.min_height_px < 0 or self.moving_speed < 0:
            raise ValueError("pose.min_height_px and pose.moving_speed must not be negative")

    def due_near(self, last_s: float, now_s: float) -> bool:
        """Whether a person near another, last looked at ``last_s``, is due another look at
        ``now_s``: on a shared grid of ``near_every_s``, so the people of a pair are looked at on
        the same frames (a hand meeting a hand needs both poses at once)."""
        return int(now_s // self.near_every_s) != int(last_s // self.near_every_s)

    def due(self, since_s: float, speed: float) -> bool:
        """Whether a person last looked at ``since_s`` ago, who has moved at ``speed`` body
        heights a second since, is due another look: every ``every_s``, but only every
        ``moving_every_s`` while they walk faster than ``moving_speed`` (a walker's posture is
        walking, so their pose is needed only for what they wear)."""
        if since_s < self.every_s - 1e-6:
            return False
        return speed < self.moving_speed or since_s >= self.moving_every_s - 1e-6
