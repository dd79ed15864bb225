"""Grab single frames at given media times, for key frames of moments."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from pathlib import Path

import av
import numpy as np
import numpy.typing as npt

from footage.errors import MediaOpenError

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
    try:
        container = av.open(str(path), metadata_errors="ignore")
    except (av.error.FFmpegError, OSError) as exc:
        raise MediaOpenError(path, f"cannot open it for key frames ({exc})") from exc
    with container:
        stream = container.streams.video[0]
        time_base = stream.time_base
        if time_base is None:
            raise MediaOpenError(path, "video stream has no time base")
        for target in sorted(times_s):
            try:
                found = _frame_at(container, stream, target, float(time_base))
            except av.error.FFmpegError as exc:
                log.warning("%s: no key frame at %.1f s: %s", path, target, exc)
                continue
            if found is None:
                continue
            scale = min(1.0, max_width / found.width)
            width, height = max(2, round(found.width * scale) // 2 * 2), max(2, round(found.height * scale) // 2 * 2)
            image = np.asarray(found.reformat(width=width, height=height, format="rgb24").to_ndarray(), dtype=np.uint8)
            yield target, image, width / found.width


def _frame_at(container: av.container.InputContainer, stream: av.video.stream.VideoStream, target: float,
              time_base: float) -> av.VideoFrame | None:
    container.seek(max(0, int(target / time_base)), stream=stream, backward=True, any_frame=False)
    last = None
    for frame in container.decode(stream):
        last = frame
        if frame.pts is not None and frame.pts * time_base >= target - 1e-6:
            return frame
    return last
