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

    def __post_init__(self) -> None:
        if not 0 < self.every_s <= self.moving_every_s:
            raise ValueError("pose: need 0 < every_s <= moving_every_s")
        if self.min_height_px < 0 or self.moving_speed < 0:
            raise ValueError("pose.min_height_px and pose.moving_speed must not be negative")

    def due(self, since_s: float, speed: float) -> bool:
        """Whether a person last looked at ``since_s`` ago, who has moved at ``speed`` body
        heights a second since, is due another look: every ``every_s``, but only every
        ``moving_every_s`` while they walk faster than ``moving_speed`` (a walker's posture is
        walking, so their pose is needed only for what they wear)."""
        if since_s < self.every_s - 1e-6:
            return False
        return speed < self.moving_speed or since_s >= self.moving_every_s - 1e-6
