"""The PyAV side of redacting: the frames of a clip's pieces in order (from the recordings), the
frames of a written clip (to check it), and a frame shrunk for a detector.

Errors are footage's: a recording that is gone or unreadable is a :class:`MediaError`; a written
clip that cannot be decoded back is a :class:`FootageError` naming it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import ExitStack
from pathlib import Path

import av
import av.error
import numpy as np
import numpy.typing as npt
from av.video.reformatter import Interpolation

from footage.errors import CorruptMediaError, FootageError
from footage.export.plan import PlannedPiece
from footage.export.remux import open_source

__all__ = ["clip_frames", "shrunk_bgr", "written_frames"]


def clip_frames(pieces: Sequence[PlannedPiece]) -> Iterator[tuple[float, av.VideoFrame]]:
    """Every frame of the pieces in order, with its time in the clip (seconds)."""
    for piece in pieces:
        with ExitStack() as stack:
            source = open_source(Path(piece.path), stack)
            container, stream, time_base = source.container, source.stream, source.time_base
            stream.thread_type = "AUTO"
            try:
                container.seek(int(piece.start_s / time_base), stream=stream, backward=True)
                for frame in container.decode(stream):
                    seconds = float(frame.pts * time_base) if frame.pts is not None else piece.start_s
                    if seconds < piece.start_s - 1e-3:
                        continue
                    if seconds >= piece.end_s - 1e-6:
                        break
                    yield piece.clip_start_s + seconds - piece.start_s, frame
            except av.error.FFmpegError as exc:
                raise CorruptMediaError(piece.path, f"decoding failed: {exc}") from exc


def written_frames(clip: Path, shown_as: Path | None = None) -> Iterator[tuple[float, av.VideoFrame]]:
    """Every frame of a clip footage wrote, in presentation order, with its time (seconds).
    Raises :class:`FootageError` naming ``shown_as`` (default ``clip``) when it cannot be read."""
    name = shown_as or clip
    try:
        with av.open(str(clip)) as container:
            if not container.streams.video:
                raise FootageError(f"cannot check {name}: it has no video")
            stream = container.streams.video[0]
            stream.thread_type = "AUTO"
            time_base = stream.time_base
            for frame in container.decode(stream):
                yield (float(frame.pts * time_base) if frame.pts is not None and time_base else 0.0), frame
    except av.error.FFmpegError as exc:
        raise FootageError(f"cannot check {name}: decoding it back failed ({exc})") from exc


def shrunk_bgr(frame: av.VideoFrame, width: int) -> tuple[npt.NDArray[np.uint8], float]:
    """The frame as HxWx3 BGR at most ``width`` pixels wide (never enlarged unless ``width`` asks
    for more than the frame has, then enlarged), and the frame's pixels per pixel of it."""
    height = max(2, round(frame.height * width / frame.width))
    image: npt.NDArray[np.uint8] = frame.reformat(width=width, height=height, format="bgr24",  # type: ignore[assignment]
                                                  interpolation=Interpolation.AREA).to_ndarray()
    return image, frame.width / width
