"""How indexing shares the CPU cores: decoding runs in one thread, detection beside it.

On 2 cores one decoder thread beside one-thread detections overlapped best (street_day: 8.8 s
against 12.3 s with both at 2 threads, see ``docs/config.md``), so by default the decoder takes
half the cores and the detectors share the other half.
"""

from __future__ import annotations

import os

__all__ = ["decoder_threads", "detector_threads"]


def _cores() -> int:
    return os.cpu_count() or 2


def decoder_threads() -> int:
    """FFmpeg decoder threads when not set: half the cores, at least one."""
    return max(1, _cores() // 2)


def detector_threads(workers: int = 1) -> int:
    """onnxruntime threads per detection when not set: the cores the decoder leaves, shared
    among ``workers`` detections running side by side, at least one."""
    return max(1, (_cores() - decoder_threads()) // max(1, workers))
