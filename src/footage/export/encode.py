"""Write a redacted clip: take decoded frames with the regions to hide in each, pixelate them in
the decoder's own YUV 4:2:0 picture, burn in an optional caption, and encode H.264 into an MP4
(video only, no metadata from the sources), optionally with a small looping GIF beside it.

The clip is encoded in independent pieces (:class:`SegmentedClip`), so that fixing a few frames
re-encodes only the pieces that hold them. The caller names the files (temporary names, renamed
once the clip has been checked): this module only writes them.
"""

from __future__ import annotations

import math
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt
from PIL import Image, ImageDraw, ImageFont

from footage.errors import FootageError
from footage.export.pixelate import hide_in_yuv420
from footage.export.redact import Region
from footage.media.h264 import EncodedPacket, X264Session, write_h264_mp4
from footage.media.input import VideoFrame
from footage.media.pictures import as_yuv420, image, is_yuv420, rgb_to_yuv420, yuv420_frame

__all__ = ["EncodeOptions", "EncodeReport", "SegmentedClip", "partial_name", "write_clip"]

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


class _Caption:
    """A caption band rendered once, pasted into the bottom rows of every picture."""

    def __init__(self, text: str, width: int, height: int) -> None:
        size = max(14, height // 24)
        self.rows = min(height, 2 * size + (2 * size) % 2)
        band = Image.new("RGB", (width, self.rows), (0, 0, 0))
        ImageDraw.Draw(band).text((size, size // 2), text, fill=(255, 255, 255), font=ImageFont.load_default(size=size))
        yuv = rgb_to_yuv420(np.asarray(band))
        self.luma = yuv[: self.rows]
        self.chroma = (yuv[self.rows: self.rows + self.rows // 4].reshape(self.rows // 2, width // 2),
                       yuv[self.rows + self.rows // 4:].reshape(self.rows // 2, width // 2))

    def paste(self, yuv: npt.NDArray[np.uint8], width: int, height: int) -> None:
        yuv[height - self.rows: height] = self.luma
        for offset, chroma in ((height, self.chroma[0]), (height + height // 4, self.chroma[1])):
            plane = yuv[offset: offset + height // 4].reshape(height // 2, width // 2)
            plane[(height - self.rows) // 2:] = chroma


def _picture(frame: VideoFrame, width: int, height: int, regions: Sequence[Region],
             caption: _Caption | None) -> VideoFrame:
    """The frame to encode: the decoded one itself when nothing changes, else a new yuv420p one
    (H.264 wants even sizes: an odd last row or column is dropped)."""
    if not regions and caption is None and is_yuv420(frame, width, height):
        return frame
    yuv = as_yuv420(frame, width, height)
    if regions:
        hide_in_yuv420(yuv, width, height, regions)
    if caption is not None:
        caption.paste(yuv, width, height)
    return yuv420_frame(yuv)


@dataclass
class _Segment:
    """One independently encoded piece: frames ``first`` .. ``first + count - 1`` of the clip,
    its packets as (offset, size, pts ms, dts ms, keyframe) in the file ``data``."""

    first: int
    count: int
    data: Path
    hidden: int = 0
    regions: int = 0
    packets: list[tuple[int, int, int, int, bool]] = field(default_factory=list)


class SegmentedClip:
    """A clip encoded as independent pieces of about ``segment_s`` seconds, each by its own x264
    session (its first frame an IDR frame, no B-frames, nothing carried from one piece to the
    next), kept as raw H.264 in ``folder`` until :meth:`write` muxes them into one MP4.

    So a piece can be encoded again (:meth:`redo`) without changing one byte of any other, and a
    check of the clip need only look again at the frames of the pieces that changed.
    """

    def __init__(self, folder: Path, options: EncodeOptions, segment_s: float = 2.0) -> None:
        self.folder, self.options, self.segment_s = folder, options, segment_s
        self.segments: list[_Segment] = []
        self.times_ms: list[int] = []
        #: the GIF's pictures by frame, made when their piece is encoded (again)
        self.previews: dict[int, Image.Image] = {}
        self._preview_frames: set[int] = set()
        self.width = self.height = 0
        self._caption: _Caption | None = None

    @property
    def frames(self) -> int:
        return len(self.times_ms)

    def segment_of(self, frame: int) -> int:
        """The piece holding ``frame`` (0-based)."""
        return next(i for i, s in enumerate(self.segments) if s.first <= frame < s.first + s.count)

    def encode(self, frames: Iterable[tuple[float, VideoFrame, Sequence[Region]]], duration_s: float = 0.0) -> None:
        """Encode every frame of the clip (clip seconds, decoded frame, regions to hide), cutting a
        new piece every ``segment_s``; previews for a GIF are kept when ``options.gif`` is set.
        Raises :class:`FootageError` when no frame comes."""
        step_s = max(1.0 / self.options.gif_fps, duration_s / self.options.gif_frames)
        next_preview_s, start_s = 0.0, -math.inf
        batch: list[tuple[VideoFrame, Sequence[Region]]] = []
        for clip_s, frame, regions in frames:
            if not self.times_ms:
                self.width, self.height = frame.width - frame.width % 2, frame.height - frame.height % 2
                self._caption = _Caption(self.options.caption, self.width, self.height) if self.options.caption else None
            if clip_s - start_s >= self.segment_s - 1e-6 and batch:
                self._encode_segment(len(self.segments), self.frames - len(batch), batch)
                batch = []
            if not batch:
                start_s = clip_s
            index = self.frames
            self.times_ms.append(max(self.times_ms[-1] + 1 if self.times_ms else 0, round(clip_s * 1000)))
            if self.options.gif is not None and clip_s >= next_preview_s:
                self._preview_frames.add(index)
                next_preview_s = clip_s + step_s
            batch.append((frame, regions))
        if batch:
            self._encode_segment(len(self.segments), self.frames - len(batch), batch)
        if not self.times_ms:
            raise FootageError("no frame of the recordings lies in the span asked for")

    def redo(self, frames: Iterable[tuple[float, VideoFrame, Sequence[Region]]], segments: set[int]) -> None:
        """Encode the pieces ``segments`` again from ``frames`` (every frame of the clip in order,
        as :meth:`encode` had them; only those of the pieces named are used)."""
        wanted = {i: self.segments[i] for i in segments}
        batches: dict[int, list[tuple[VideoFrame, Sequence[Region]]]] = {i: [] for i in wanted}
        last = max(s.first + s.count for s in wanted.values()) if wanted else 0
        for index, (_, frame, regions) in enumerate(frames):
            if index >= last:
                break
            piece = self.segment_of(index)
            if piece in batches:
                batches[piece].append((frame, regions))
                if len(batches[piece]) == wanted[piece].count:
                    self._encode_segment(piece, wanted[piece].first, batches.pop(piece))
        if batches:
            raise FootageError(f"the recordings gave fewer frames on a second reading than the {self.frames} "
                               "written; they changed during the export")

    def _encode_segment(self, number: int, first: int, batch: list[tuple[VideoFrame, Sequence[Region]]]) -> None:
        segment = _Segment(first, len(batch), self.folder / f"{number:06d}.h264")
        encoder = X264Session(self.width, self.height, preset=self.options.preset, crf=self.options.crf)
        with segment.data.open("wb") as data:
            def keep(packets: list[EncodedPacket]) -> None:
                for packet in packets:
                    segment.packets.append((data.tell(), len(packet.data), packet.pts, packet.dts, packet.keyframe))
                    data.write(packet.data)

            for offset, (frame, regions) in enumerate(batch):
                index = first + offset
                picture = _picture(frame, self.width, self.height, regions, self._caption)
                if regions:
                    segment.hidden += 1
                    segment.regions += len(regions)
                if index in self._preview_frames:
                    small_h = max(2, round(self.height * self.options.gif_width / self.width))
                    self.previews[index] = image(picture, self.options.gif_width, small_h)
                keep(encoder.encode(picture, self.times_ms[index]))
            keep(encoder.finish())
        if number < len(self.segments):
            self.segments[number] = segment
        else:
            self.segments.append(segment)

    def _packets(self) -> Iterator[EncodedPacket]:
        """The pieces' packets in order, read back from their files."""
        for segment in self.segments:
            payload = segment.data.read_bytes()
            for offset, size, pts, dts, key in segment.packets:
                yield EncodedPacket(payload[offset: offset + size], pts, dts, key)

    def write(self, path: Path) -> EncodeReport:
        """Mux the pieces into the MP4 at ``path`` (and write the GIF at ``options.gif``)."""
        write_h264_mp4(path, self.width, self.height, self._packets())
        gif = self.options.gif
        if gif is not None and self.previews:
            pictures = [self.previews[i] for i in sorted(self.previews)]
            pictures[0].save(gif, format="GIF", save_all=True, append_images=pictures[1:], loop=0,
                             duration=round(1000 / self.options.gif_fps), optimize=True)
        return EncodeReport(self.frames, sum(s.hidden for s in self.segments), sum(s.regions for s in self.segments),
                            round(self.times_ms[-1] / 1000, 3))


def write_clip(frames: Iterable[tuple[float, VideoFrame, Sequence[Region]]], path: Path, options: EncodeOptions,
               duration_s: float = 0.0) -> EncodeReport:
    """Encode ``frames`` (clip seconds, decoded frame, regions to hide in it) into the MP4 at
    ``path`` (and a GIF at ``options.gif`` previewing about ``duration_s`` seconds), in one go.
    Raises :class:`FootageError` when no frame comes; an :class:`OSError` when a file cannot be
    written."""
    with tempfile.TemporaryDirectory(prefix=f".{path.stem}-", dir=path.parent) as folder:
        clip = SegmentedClip(Path(folder), options)
        clip.encode(frames, duration_s)
        return clip.write(path)
