"""Decoded frames as NumPy arrays and back, scaled by FFmpeg's swscale.

A :class:`Scaler` keeps one scaler context across frames (FFmpeg's is costly to set up, and
PyAV's ``frame.to_ndarray`` with a size builds a new one for every frame): keep one per output.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from av.video.frame import VideoFrame
from av.video.reformatter import Interpolation, VideoReformatter
from PIL import Image

__all__ = ["YUV420", "Scaler", "as_yuv420", "bgr", "image", "is_yuv420", "rgb_to_yuv420", "scaled_bgr", "yuv420_frame"]

#: H.264's pictures here: 8-bit 4:2:0
YUV420 = "yuv420p"


class Scaler:
    """Frames scaled (``AREA``: each pixel the mean of those it covers) into one format and size."""

    def __init__(self, format: str, width: int, height: int) -> None:
        self.format, self.width, self.height = format, width, height
        self._reformatter = VideoReformatter()

    def __call__(self, frame: VideoFrame) -> npt.NDArray[np.uint8]:
        small = self._reformatter.reformat(frame, format=self.format, width=self.width, height=self.height,
                                           interpolation="AREA")
        return small.to_ndarray()  # type: ignore[return-value]  # gray, bgr24 and rgb24 are uint8


def bgr(frame: VideoFrame) -> npt.NDArray[np.uint8]:
    """The frame's own pixels as HxWx3 BGR."""
    return frame.to_ndarray(format="bgr24")  # type: ignore[return-value]


def scaled_bgr(frame: VideoFrame, width: int, height: int) -> npt.NDArray[np.uint8]:
    """The frame as HxWx3 BGR of ``width`` x ``height`` (``AREA`` when shrinking)."""
    return frame.reformat(width=width, height=height, format="bgr24",  # type: ignore[return-value]
                          interpolation=Interpolation.AREA).to_ndarray()


def scaled_rgb(frame: VideoFrame, width: int, height: int) -> npt.NDArray[np.uint8]:
    """The frame as HxWx3 RGB of ``width`` x ``height`` (FFmpeg's default interpolation)."""
    return np.asarray(frame.reformat(width=width, height=height, format="rgb24").to_ndarray(), dtype=np.uint8)


def image(frame: VideoFrame, width: int | None = None, height: int | None = None) -> Image.Image:
    """The frame as an RGB PIL image, scaled to ``width`` x ``height`` when given."""
    if width is None or height is None:
        return frame.to_image()
    return frame.reformat(width=width, height=height, format="rgb24").to_image()


def rgb_to_yuv420(rgb: npt.NDArray[np.uint8]) -> npt.NDArray[np.uint8]:
    """An HxWx3 RGB picture (even sides) as a (H * 3 / 2, W) yuv420p array (BT.601, limited range)."""
    picture = VideoFrame.from_ndarray(np.ascontiguousarray(rgb), format="rgb24")
    return picture.reformat(format=YUV420).to_ndarray()  # type: ignore[return-value]


def is_yuv420(frame: VideoFrame, width: int, height: int) -> bool:
    """Whether the frame is already a yuv420p picture of ``width`` x ``height``."""
    return (frame.format.name, frame.width, frame.height) == (YUV420, width, height)


def as_yuv420(frame: VideoFrame, width: int, height: int) -> npt.NDArray[np.uint8]:
    """The frame as a (H * 3 / 2, W) yuv420p array of the even ``width`` x ``height`` (an odd last
    row or column is dropped; other pixel formats are converted)."""
    if not is_yuv420(frame, width, height):
        if (frame.width, frame.height) == (width, height):
            frame = frame.reformat(width=width, height=height, format=YUV420)
        else:
            rgb: npt.NDArray[np.uint8] = frame.to_ndarray(format="rgb24")  # type: ignore[assignment]
            frame = VideoFrame.from_ndarray(np.ascontiguousarray(rgb[:height, :width]), format="rgb24").reformat(
                format=YUV420)
    return frame.to_ndarray()  # type: ignore[return-value]


def yuv420_frame(yuv: npt.NDArray[np.uint8]) -> VideoFrame:
    """A frame to encode from a (H * 3 / 2, W) yuv420p array."""
    return VideoFrame.from_ndarray(yuv, format=YUV420)
