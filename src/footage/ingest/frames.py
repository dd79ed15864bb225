"""Grab single frames at given media times, for key frames of moments."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from footage.errors import CorruptMediaError, MediaOpenError
from footage.media.input import Input, VideoFrame, open_input
from footage.media.pictures import scaled_rgb

__all__ = ["grab_frames"]

log = logging.getLogger(__name__)


def grab_frames(
    path: Path | str, times_s: Sequence[float], *, max_width: int = 1280
) -> Iterator[tuple[float, npt.NDArray[np.uint8], float]]:
    """For each time (in media seconds), the first frame at or after it (or the last frame of
    the file), as HxWx3 uint8 RGB no wider than ``max_width``, with the factor original pixels
    were scaled by. Seeks to the keyframe before each time and decodes forward. A time that
    cannot be decoded is skipped with a log line; a file that cannot be opened raises
    :class:`MediaOpenError`."""
    with open_input(path, error=lambda why: MediaOpenError(path, f"cannot open it for key frames ({why})")) as source:
        for target in sorted(times_s):
            try:
                found = _frame_at(source, target)
            except CorruptMediaError as exc:
                log.warning("%s: no key frame at %.1f s: %s", path, target, exc.reason)
                continue
            if found is None:
                continue
            scale = min(1.0, max_width / found.width)
            width, height = max(2, round(found.width * scale) // 2 * 2), max(2, round(found.height * scale) // 2 * 2)
            yield target, scaled_rgb(found, width, height), width / found.width


def _frame_at(source: Input, target: float) -> VideoFrame | None:
    time_base = float(source.time_base)
    last = None
    for frame in source.frames(lambda why: CorruptMediaError(source.path, why), seek_pts=max(0, int(target / time_base))):
        last = frame
        if frame.pts is not None and frame.pts * time_base >= target - 1e-6:
            return frame
    return last
