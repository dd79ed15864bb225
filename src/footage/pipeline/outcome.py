"""What indexing says about each path it was given, and about the whole run."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["FileOutcome", "IndexReport"]


@dataclass(frozen=True)
class FileOutcome:
    """What happened to one path: ``status`` is ``indexed``, ``skipped`` (already in the index),
    ``damaged`` (indexed up to a fault), or ``failed``; ``reason`` says why for the last three.
    ``moments``: the moments of the camera's timeline that touch the file; ``started`` and
    ``ended``: the ids of moments that began, and of moments that ended, as it was stored;
    ``linked``: how many of its tracks continue a track of the recording before it;
    ``timeline_s``: the wall time spent linking it and finding the moments it changed."""

    path: str
    status: str
    reason: str | None = None
    tracks: int = 0
    moments: int = 0
    media_s: float = 0.0
    wall_s: float = 0.0
    started: tuple[int, ...] = ()
    ended: tuple[int, ...] = ()
    linked: int = 0
    timeline_s: float = 0.0

    @property
    def speed(self) -> float:
        """Seconds of video per wall-clock second."""
        return self.media_s / self.wall_s if self.wall_s > 0 else 0.0


@dataclass(frozen=True)
class IndexReport:
    outcomes: tuple[FileOutcome, ...]

    @property
    def problems(self) -> tuple[FileOutcome, ...]:
        return tuple(o for o in self.outcomes if o.status in ("failed", "damaged"))
