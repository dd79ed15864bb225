"""Re-encode a clip with regions hidden: decode the pieces' frames with PyAV, ask which regions to
hide in each, pixelate them, burn in an optional caption, encode H.264 into an MP4 (video only,
no metadata from the sources), and optionally a small looping GIF. Written to temporary names and
renamed, so a failure leaves nothing behind."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import av.error
import numpy as np
import numpy.typing as npt
from PIL import Image, ImageDraw, ImageFont

from footage.errors import CorruptMediaError, FootageError
from footage.export.plan import PlannedPiece
from footage.export.redact import Box, pixelate
from footage.export.remux import open_source
from footage.pipeline.prefetch import prefetch

__all__ = ["EncodeOptions", "EncodeReport", "encode_clip", "partial_name"]

#: which regions to hide in a frame: (clip seconds, the frame shrunk to ``detect_width`` as HxWx3
#: BGR, full width / that width) -> boxes in the pixels of the full frame
HideFn = Callable[[float, npt.NDArray[np.uint8], float], Sequence[Box]]


@dataclass(frozen=True)
class EncodeOptions:
    """``blocks`` across each hidden region; x264 ``preset`` and ``crf``; ``caption`` burnt into
    the bottom of the picture; ``gif`` also writes a looping preview ``gif_width`` px wide at
    ``gif_fps`` frames a second."""

    blocks: int = 5
    detect_width: int = 640
    preset: str = "superfast"
    crf: int = 23
    caption: str | None = None
    gif: Path | None = None
    gif_width: int = 320
    gif_fps: float = 5.0
    gif_frames: int = 60


@dataclass(frozen=True)
class EncodeReport:
    frames: int
    frames_with_hidden: int
    regions: int
    duration_s: float


def partial_name(path: Path) -> Path:
    """Where a file is written before it is complete (same folder, hidden)."""
    return path.with_name(f".{path.stem}.part{path.suffix}")


def _frames(pieces: Sequence[PlannedPiece]) -> Iterator[tuple[float, av.VideoFrame]]:
    """Every frame of the pieces in order, with its time in the clip."""
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


def _with_regions(pieces: Sequence[PlannedPiece], hide: HideFn, width: int) -> Iterator[tuple[float, av.VideoFrame, list[Box]]]:
    """Each frame with the regions to hide in it (this runs in a worker thread, beside encoding)."""
    for clip_s, frame in _frames(pieces):
        small_width = min(width, frame.width)
        small_height = max(2, round(frame.height * small_width / frame.width))
        small: npt.NDArray[np.uint8] = frame.reformat(width=small_width, height=small_height,  # type: ignore[assignment]
                                                      format="bgr24").to_ndarray()
        yield clip_s, frame, list(hide(clip_s, small, frame.width / small_width))


def _caption(image: npt.NDArray[np.uint8], text: str) -> npt.NDArray[np.uint8]:
    picture = Image.fromarray(image)
    pen = ImageDraw.Draw(picture)
    size = max(14, picture.height // 24)
    font = ImageFont.load_default(size=size)
    band = size * 2
    pen.rectangle((0, picture.height - band, picture.width, picture.height), fill=(0, 0, 0))
    pen.text((size, picture.height - band + size // 2), text, fill=(255, 255, 255), font=font)
    return np.asarray(picture)


def encode_clip(pieces: Sequence[PlannedPiece], out: Path, hide: HideFn, options: EncodeOptions) -> EncodeReport:
    """Write the redacted clip to ``out`` (and ``options.gif``). Raises :class:`MediaError` for a
    recording that is gone or unreadable, :class:`FootageError` when ``out`` cannot be written."""
    partial, gif_partial = partial_name(out), partial_name(options.gif) if options.gif else None
    try:
        report = _encode(pieces, partial, gif_partial, hide, options)
        os.replace(partial, out)
        if options.gif and gif_partial:
            os.replace(gif_partial, options.gif)
        return report
    except OSError as exc:
        raise FootageError(f"cannot write {out}: {exc.strerror or exc}") from exc
    finally:
        for leftover in (partial, gif_partial):
            if leftover is not None:
                with contextlib.suppress(FileNotFoundError, NotADirectoryError):  # never made: no folder there
                    leftover.unlink()


def _encode(pieces: Sequence[PlannedPiece], partial: Path, gif: Path | None, hide: HideFn,
            options: EncodeOptions) -> EncodeReport:
    frames = hidden_frames = regions = 0
    last_pts = -1
    preview: list[Image.Image] = []
    next_preview_s = 0.0
    preview_step_s = max(1.0 / options.gif_fps, sum(p.duration_s for p in pieces) / options.gif_frames)
    clip_s = 0.0
    with av.open(str(partial), mode="w", format="mp4", options={"movflags": "+faststart"}) as output:
        stream = None
        for clip_s, frame, boxes in prefetch(_with_regions(pieces, hide, options.detect_width), depth=6):
            image: npt.NDArray[np.uint8] = frame.to_ndarray(format="rgb24")  # type: ignore[assignment]
            height, width = image.shape[0] - image.shape[0] % 2, image.shape[1] - image.shape[1] % 2
            image = image[:height, :width]
            if stream is None:
                stream = output.add_stream("libx264", rate=Fraction(25))
                stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
                stream.codec_context.time_base = Fraction(1, 1000)
                stream.options = {"preset": options.preset, "crf": str(options.crf)}
            if boxes:
                image = pixelate(image, boxes, options.blocks)
                hidden_frames += 1
                regions += len(boxes)
            if options.caption:
                image = _caption(image, options.caption)
            if gif is not None and clip_s >= next_preview_s:
                small = Image.fromarray(image)
                preview.append(small.resize((options.gif_width, max(2, round(height * options.gif_width / width)))))
                next_preview_s = clip_s + preview_step_s
            picture = av.VideoFrame.from_ndarray(np.ascontiguousarray(image, dtype=np.uint8), format="rgb24")
            pts = max(last_pts + 1, round(clip_s * 1000))
            picture.pts, picture.time_base, last_pts = pts, Fraction(1, 1000), pts
            output.mux(stream.encode(picture))
            frames += 1
        if stream is None:
            raise FootageError("no frame of the recordings lies in the span asked for")
        output.mux(stream.encode(None))
    if gif is not None and preview:
        preview[0].save(gif, format="GIF", save_all=True, append_images=preview[1:], loop=0,
                        duration=round(1000 / options.gif_fps), optimize=True)
    return EncodeReport(frames, hidden_frames, regions, round(clip_s, 3))
