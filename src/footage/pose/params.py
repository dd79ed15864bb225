"""How often the pose of a tracked person is looked at while indexing (``[pose]`` in settings)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["PoseParams"]


@dataclass(frozen=True)
class PoseParams:
    """``docs/config.md`` says what each does and why its default is what it is."""

    enabled: bool = True
    model: str = "movenet"
    every_s: float = 0.5
    min_height_px: float = 24.0

    def __post_init__(self) -> None:
        if self.every_s <= 0:
            raise ValueError("pose.every_s must be positive")
        if self.min_height_px < 0:
            raise ValueError("pose.min_height_px must not be negative")
