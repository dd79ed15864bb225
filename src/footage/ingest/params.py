"""How a recording is read (the ``[ingest]`` settings)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["SourceParams"]


@dataclass(frozen=True)
class SourceParams:
    """How a recording is read; ``docs/config.md`` gives the meaning of each and why."""

    detect_fps: float = 5.0
    analysis_width: int = 640
    motion_gate: bool = True
    motion_width: int = 96
    motion_pixel_threshold: int = 12
    motion_min_fraction: float = 0.0008
    still_after_s: float = 4.0
    keyframe_skipping: bool = True
    probe_interval_s: float = 8.0
    packet_size_wake: bool = True
    skip_loop_filter: bool = True
    decoder_threads: int = 0
