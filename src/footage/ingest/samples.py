"""What the reader yields (:class:`Sample`) and what it counts while reading (:class:`DecodeStats`)."""

from __future__ import annotations

from dataclasses import dataclass

from footage.types import Frame

__all__ = ["DecodeStats", "Sample"]


@dataclass(frozen=True, eq=False)
class Sample:
    """One sampled instant: ``frame`` is set when the scene changed and must be analysed."""

    index: int
    pts: int
    time_s: float
    frame: Frame | None


@dataclass
class DecodeStats:
    """What the reader did, for benchmarks and the ``--verbose`` log."""

    packets: int = 0
    decoded_frames: int = 0
    keyframe_probes: int = 0
    replayed_gops: int = 0
    size_wakes: int = 0
    analysed_frames: int = 0
    unchanged_samples: int = 0
    bad_packets: int = 0
    damaged_frames: int = 0
    first_damage_s: float | None = None
    last_time_s: float = 0.0

    def note_damage(self, time_s: float, *, undecodable: bool = False) -> None:
        """Count a damaged frame (``undecodable``: a packet the decoder rejected outright)."""
        if undecodable:
            self.bad_packets += 1
        else:
            self.damaged_frames += 1
        if self.first_damage_s is None:
            self.first_damage_s = time_s
