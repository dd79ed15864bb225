"""Write a redacted clip: take decoded frames with the regions to hide in each, pixelate them in
the decoder's own YUV 4:2:0 picture, burn in an optional caption, and encode H.264 into an MP4
(video only, no metadata from the sources), optionally with a small looping GIF beside it.

The caller names the files (temporary names, renamed once the clip has been checked): this
module only writes them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import numpy.typing as npt
from av.video.frame import PictureType
from PIL import Image, ImageDraw, ImageFont

from footage.errors import FootageError
from footage.export.pixelate import hide_in_yuv420
from footage.export.redact import Region

__all__ = ["EncodeOptions", "EncodeReport", "partial_name", "write_clip"]

#: H.264 wants even sizes; the encoder's pictures are 4:2:0
_PIX_FMT = "yuv420p"


@dataclass(frozen=True)
class EncodeOptions:
    """x264 ``preset`` and ``crf``; ``caption`` burnt into the bottom of the picture; ``gif``
    also writes a looping preview ``gif_width`` px wide at ``gif_fps`` frames a second, at most
    ``gif_frames`` frames."""

    preset: str = "superfast"
    crf: int = 23
    caption: str | None = None
    gif: Path | None = None
    gif_width: int = 320
    gif_fps: float = 5.0
    gif_frames: int = 60


@dataclass(frozen=True)
class EncodeReport:
    """What was written: ``frames``, how many had something hidden, how many regions in all,
    and the clip's length in seconds (to its last frame)."""

    frames: int
    frames_with_hidden: int
    regions: int
    duration_s: float


def partial_name(path: Path) -> Path:
    """Where a file is written before it is complete (same folder, hidden)."""
    return path.with_name(f".{path.stem}.part{path.suffix}")


def _yuv_of_rgb(rgb: npt.NDArray[np.uint8]) -> npt.NDArray[np.uint8]:
    """An HxWx3 RGB picture (even sides) as a (H * 3 / 2, W) yuv420p array (BT.601, limited range)."""
    picture = av.VideoFrame.from_ndarray(np.ascontiguousarray(rgb), format="rgb24")
    yuv: npt.NDArray[np.uint8] = picture.reformat(format=_PIX_FMT).to_ndarray()  # type: ignore[assignment]
    return yuv


class _Caption:
    """A caption band rendered once, pasted into the bottom rows of every picture."""

    def __init__(self, text: str, width: int, height: int) -> None:
        size = max(14, height // 24)
        self.rows = min(height, 2 * size + (2 * size) % 2)
        band = Image.new("RGB", (width, self.rows), (0, 0, 0))
        ImageDraw.Draw(band).text((size, size // 2), text, fill=(255, 255, 255), font=ImageFont.load_default(size=size))
        yuv = _yuv_of_rgb(np.asarray(band))
        self.luma = yuv[: self.rows]
        self.chroma = (yuv[self.rows: self.rows + self.rows // 4].reshape(self.rows // 2, width // 2),
                       yuv[self.rows + self.rows // 4:].reshape(self.rows // 2, width // 2))

    def paste(self, yuv: npt.NDArray[np.uint8], width: int, height: int) -> None:
        yuv[height - self.rows: height] = self.luma
        for offset, chroma in ((height, self.chroma[0]), (height + height // 4, self.chroma[1])):
            plane = yuv[offset: offset + height // 4].reshape(height // 2, width // 2)
            plane[(height - self.rows) // 2:] = chroma


def _even_yuv(frame: av.VideoFrame, width: int, height: int) -> npt.NDArray[np.uint8]:
    """The frame as a yuv420p array of the even ``width`` x ``height`` (an odd last row or column
    is dropped; other pixel formats are converted)."""
    if frame.format.name != _PIX_FMT or frame.width != width or frame.height != height:
        frame = frame.reformat(width=width, height=height, format=_PIX_FMT) if (frame.width, frame.height) == (
            width, height) else _cropped(frame, width, height)
    yuv: npt.NDArray[np.uint8] = frame.to_ndarray()  # type: ignore[assignment]
    return yuv


def _cropped(frame: av.VideoFrame, width: int, height: int) -> av.VideoFrame:
    rgb: npt.NDArray[np.uint8] = frame.to_ndarray(format="rgb24")  # type: ignore[assignment]
    return av.VideoFrame.from_ndarray(np.ascontiguousarray(rgb[:height, :width]), format="rgb24").reformat(format=_PIX_FMT)


def write_clip(frames: Iterable[tuple[float, av.VideoFrame, Sequence[Region]]], path: Path, options: EncodeOptions,
               gif: Path | None = None, duration_s: float = 0.0) -> EncodeReport:
    """Encode ``frames`` (clip seconds, decoded frame, regions to hide in it) into the MP4 at
    ``path`` (and a GIF at ``gif`` previewing about ``duration_s`` seconds). Raises
    :class:`FootageError` when no frame comes; an :class:`OSError` when a file cannot be written."""
    count = hidden_frames = regions = 0
    last_pts = -1
    preview: list[Image.Image] = []
    next_preview_s, clip_s = 0.0, 0.0
    preview_step_s = max(1.0 / options.gif_fps, duration_s / options.gif_frames)
    caption: _Caption | None = None
    with av.open(str(path), mode="w", format="mp4", options={"movflags": "+faststart"}) as output:
        stream = None
        width = height = 0
        for clip_s, frame, boxes in frames:
            if stream is None:
                width, height = frame.width - frame.width % 2, frame.height - frame.height % 2
                stream = output.add_stream("libx264", rate=Fraction(25))
                stream.width, stream.height, stream.pix_fmt = width, height, _PIX_FMT
                stream.codec_context.time_base = Fraction(1, 1000)
                # a53cc off: closed captions a camera put in its frames' side data stay out of the clip
                stream.options = {"preset": options.preset, "crf": str(options.crf), "a53cc": "0"}
                caption = _Caption(options.caption, width, height) if options.caption else None
            picture = frame
            if boxes or caption is not None or (frame.format.name, frame.width, frame.height) != (_PIX_FMT, width, height):
                yuv = _even_yuv(frame, width, height)
                if boxes:
                    hide_in_yuv420(yuv, width, height, boxes)
                    hidden_frames += 1
                    regions += len(boxes)
                if caption is not None:
                    caption.paste(yuv, width, height)
                picture = av.VideoFrame.from_ndarray(yuv, format=_PIX_FMT)
            if gif is not None and clip_s >= next_preview_s:
                small_h = max(2, round(height * options.gif_width / width))
                preview.append(picture.reformat(width=options.gif_width, height=small_h, format="rgb24").to_image())
                next_preview_s = clip_s + preview_step_s
            pts = max(last_pts + 1, round(clip_s * 1000))
            picture.pts, picture.time_base, last_pts = pts, Fraction(1, 1000), pts
            picture.pict_type = PictureType.NONE  # a decoded frame's own type would force x264's choice
            output.mux(stream.encode(picture))
            count += 1
        if stream is None:
            raise FootageError("no frame of the recordings lies in the span asked for")
        output.mux(stream.encode(None))
    if gif is not None and preview:
        preview[0].save(gif, format="GIF", save_all=True, append_images=preview[1:], loop=0,
                        duration=round(1000 / options.gif_fps), optimize=True)
    return EncodeReport(count, hidden_frames, regions, round(clip_s, 3))
