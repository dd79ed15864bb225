"""The decoding side of redacting: the frames of a clip's pieces in order (from the recordings),
the frames of a written clip (to check it), and a frame shrunk for a detector.

Errors are footage's: a recording that is gone or unreadable is a :class:`MediaError`; a written
clip that cannot be decoded back is a :class:`FootageError` naming it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from footage.errors import CorruptMediaError, FootageError
from footage.export.plan import PlannedPiece
from footage.media.input import VideoFrame, open_input
from footage.media.pictures import scaled_bgr

__all__ = ["clip_frames", "shrunk_bgr", "written_frames"]


def clip_frames(pieces: Sequence[PlannedPiece]) -> Iterator[tuple[float, VideoFrame]]:
    """Every frame of the pieces in order, with its time in the clip (seconds)."""
    for piece in pieces:
        with open_input(Path(piece.path)) as source:
            source.use_threads()
            time_base = source.time_base
            frames = source.frames(_decoding_failed(Path(piece.path)), seek_pts=int(piece.start_s / time_base))
            for frame in frames:
                seconds = float(frame.pts * time_base) if frame.pts is not None else piece.start_s
                if seconds < piece.start_s - 1e-3:
                    continue
                if seconds >= piece.end_s - 1e-6:
                    break
                yield piece.clip_start_s + seconds - piece.start_s, frame


def _decoding_failed(path: Path) -> Callable[[str], CorruptMediaError]:
    return lambda why: CorruptMediaError(path, f"decoding failed: {why}")


def written_frames(clip: Path, shown_as: Path | None = None) -> Iterator[tuple[float, VideoFrame]]:
    """Every frame of a clip footage wrote, in presentation order, with its time (seconds).
    Raises :class:`FootageError` naming ``shown_as`` (default ``clip``) when it cannot be read."""
    name = shown_as or clip
    with open_input(clip, error=lambda why: FootageError(f"cannot check {name}: {why}")) as source:
        source.use_threads()
        time_base = source.time_base
        for frame in source.frames(lambda why: FootageError(f"cannot check {name}: decoding it back failed ({why})")):
            yield (float(frame.pts * time_base) if frame.pts is not None else 0.0), frame


def shrunk_bgr(frame: VideoFrame, width: int) -> tuple[npt.NDArray[np.uint8], float]:
    """The frame as HxWx3 BGR at most ``width`` pixels wide (never enlarged unless ``width`` asks
    for more than the frame has, then enlarged), and the frame's pixels per pixel of it."""
    height = max(2, round(frame.height * width / frame.width))
    return scaled_bgr(frame, width, height), frame.width / width
