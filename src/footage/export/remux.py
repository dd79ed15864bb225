"""The PyAV side of a stream copy: open a recording, read its packets in decode order from a
keyframe, write the packets a :class:`~footage.export.span_cut.SpanCut` keeps into one MP4 with
shifted times, and cut the finished file's presentation back to what was asked for.

:mod:`footage.export.copy` decides what to copy; this module moves the bytes and translates
PyAV's errors into footage's.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import av.error

from footage.errors import CorruptMediaError, FootageError, MediaNotFoundError, MediaOpenError, StreamCopyError
from footage.export.edit_list import set_presentation_duration
from footage.export.span_cut import SpanCut, with_decode_times

__all__ = ["Mp4Copy", "Source", "open_source"]


@dataclass(frozen=True, eq=False)
class Source:
    """A recording opened for copying: its first video stream."""

    path: Path
    container: av.container.InputContainer
    stream: av.video.stream.VideoStream

    @property
    def time_base(self) -> Fraction:
        return self.stream.time_base or Fraction(1, 90_000)

    @property
    def end_s(self) -> float | None:
        """Where the recording ends in its media seconds, when the container says."""
        stream, container = self.stream, self.container
        if stream.duration is not None:
            return float(((stream.start_time or 0) + stream.duration) * self.time_base)
        if container.duration is not None:
            return ((container.start_time or 0) + container.duration) / av.time_base
        return None

    def describe(self) -> str:
        """Codec and frame size, e.g. ``h264 1920x1080``."""
        return f"{self.stream.codec_context.name} {self.stream.width}x{self.stream.height}"


def open_source(path: Path, stack: ExitStack) -> Source:
    """Open ``path`` (closed with ``stack``). Raises :class:`MediaNotFoundError` or :class:`MediaOpenError`."""
    if not path.exists():
        raise MediaNotFoundError(path, "no such file")
    if path.is_file() and path.stat().st_size == 0:
        raise MediaOpenError(path, "empty file (0 bytes)")
    try:
        container = av.open(str(path), metadata_errors="ignore")
    except (av.error.FFmpegError, UnicodeDecodeError, ValueError) as exc:
        reason = str(getattr(exc, "strerror", None) or exc).strip() or type(exc).__name__
        raise MediaOpenError(path, f"cannot open as video ({reason})") from exc
    stack.callback(container.close)
    if not container.streams.video:
        raise MediaOpenError(path, "no video stream in the file")
    return Source(path, container, container.streams.video[0])


class Mp4Copy:
    """An MP4 at ``part`` being written by stream copy, video only, with times in ticks of
    ``1 / timescale``; ``end`` is where the shown frames written so far end. Error messages name
    ``out``, where the file will be once complete. Call :meth:`close` to finish, :meth:`abort` on failure."""

    def __init__(self, part: Path, out: Path, template: Source, timescale: int) -> None:
        self.part, self.out, self.timescale = part, out, timescale
        self.end = 0
        self.frames = 0
        self._last_dts: int | None = None
        options = {
            "movflags": "+faststart",  # index first, so browsers play while downloading
            "use_editlist": "1",  # always one edit, so the presentation can be cut back in close()
            "movie_timescale": str(timescale),  # the edit and durations as exact as the samples
            "video_track_timescale": str(timescale),
            "fflags": "+bitexact",  # no encoder name or creation time
        }
        self._output = av.open(str(part), "w", format="mp4", options=options)
        try:
            self._stream = self._output.add_stream_from_template(template.stream)
        except ValueError as exc:
            self.abort()
            raise StreamCopyError(template.path, f"an MP4 cannot hold its {template.describe()} video") from exc
        self._stream.time_base = Fraction(1, timescale)

    def copy(self, source: Source, start_pts: int, end_pts: int, *, may_lead: bool) -> SpanCut[av.Packet]:
        """Write the frames of ``source`` in ``[start_pts, end_pts)`` after what was written before;
        returns the cut that chose them. Only with ``may_lead`` may the copy begin before the span:
        one edit list hides frames at the start of a clip, not in its middle."""
        cut = SpanCut[av.Packet](start_pts, end_pts)
        rate = source.stream.average_rate or source.stream.guessed_rate
        frame_ticks = round(1 / (rate * source.time_base)) if rate else 0
        timed = ((packet, *_times(source, packet)) for packet in _packets_from_keyframe(source, cut.start_pts))
        for packet, pts, dts in with_decode_times(timed, max(1, frame_ticks)):
            packet.dts = dts
            self._mux(source, cut, cut.push(packet, pts, dts, packet.duration or frame_ticks), may_lead)
            if cut.finished:
                break
        self._mux(source, cut, cut.finish(), may_lead)
        if cut.zero_pts is not None and cut.end_shown_pts is not None:
            self.end += round((cut.end_shown_pts - cut.zero_pts) * source.time_base * self.timescale)
            self.frames += cut.frames
        return cut

    def _mux(self, source: Source, cut: SpanCut[av.Packet], packets: list[av.Packet], may_lead: bool) -> None:
        if packets and cut.lead_pts > 0 and not may_lead:
            raise StreamCopyError(source.path, "a later piece does not start at a keyframe; only the first piece can")
        scale = source.time_base * self.timescale
        for packet in packets:
            pts, dts = _times(source, packet)
            zero = cut.zero_pts if cut.zero_pts is not None else pts
            out_dts = self.end + round(((pts if dts is None else dts) - zero) * scale)
            if self._last_dts is not None and out_dts <= self._last_dts:
                raise StreamCopyError(source.path, "its frames overlap the previous piece in decode order")
            self._last_dts = out_dts
            packet.time_base = Fraction(1, self.timescale)
            packet.pts, packet.dts = self.end + round((pts - zero) * scale), out_dts
            packet.duration = round((packet.duration or 0) * scale)
            packet.stream = self._stream
            try:
                self._output.mux(packet)
            except av.error.FFmpegError as exc:
                if isinstance(exc, OSError):
                    raise  # a write error: the caller says it cannot write the file
                raise StreamCopyError(source.path, f"the MP4 muxer refused a packet ({exc})") from exc

    def close(self) -> None:
        """Finish the file and cut its presentation to the ``end`` of the shown frames."""
        try:
            self._output.close()
        except av.error.FFmpegError as exc:
            if isinstance(exc, OSError):
                raise
            raise FootageError(f"cannot write {self.out}: {exc}") from exc
        _cut_presentation(self.part, self.out, self.end)

    def abort(self) -> None:
        """Close without caring whether the file is complete (the caller deletes it)."""
        with contextlib.suppress(av.error.FFmpegError, OSError):
            self._output.close()


def _times(source: Source, packet: av.Packet) -> tuple[int, int | None]:
    pts = packet.pts if packet.pts is not None else packet.dts
    if pts is None:
        raise StreamCopyError(source.path, "a packet has no timestamp")
    return pts, packet.dts


def _packets_from_keyframe(source: Source, start_pts: int) -> Iterator[av.Packet]:
    """Packets in decode order from the last keyframe at or before ``start_pts`` (from the first
    keyframe when the span starts before it). Seeking goes by decode time, and some demuxers land
    between keyframes, so it steps back until the keyframe found is early enough."""
    floor = source.stream.start_time or 0
    second = step = max(1, round(1 / source.time_base))
    target = start_pts
    while True:
        # decode times start before the first frame's pts (B-frames): "the start" is a second earlier
        at_start = target <= floor - second
        try:
            source.container.seek(target, stream=source.stream, backward=True)
        except av.error.FFmpegError as exc:
            raise StreamCopyError(source.path, f"cannot seek in it ({exc})") from exc
        packets = _demux(source)
        keyframe = next((packet for packet in packets if packet.is_keyframe and packet.pts is not None), None)
        found_pts = keyframe.pts if keyframe is not None else None
        if keyframe is not None and found_pts is not None and (found_pts <= start_pts or at_start):
            yield keyframe
            yield from packets
            return
        if at_start:
            raise CorruptMediaError(source.path, "no keyframe in the recording")
        target = min(target, found_pts if found_pts is not None else target) - step
        step *= 2


def _demux(source: Source) -> Iterator[av.Packet]:
    iterator = source.container.demux(source.stream)
    while True:
        try:
            packet = next(iterator)
        except (StopIteration, av.error.EOFError):
            return
        except av.error.FFmpegError as exc:
            raise CorruptMediaError(source.path, f"read error ({exc.strerror or exc})") from exc
        if packet.size == 0 and packet.dts is None:
            continue  # the flush packet PyAV appends at the end
        yield packet


def _cut_presentation(part: Path, out: Path, duration: int) -> None:
    """Rewrite the ``moov`` box of ``part`` in place to present ``duration`` movie ticks."""
    size_of_file = part.stat().st_size
    with part.open("r+b") as file:
        position = 0
        while position + 8 <= size_of_file:
            file.seek(position)
            header = file.read(16)
            size, kind = int.from_bytes(header[:4], "big"), header[4:8]
            if size == 1:
                size = int.from_bytes(header[8:16], "big")
            elif size == 0:
                size = size_of_file - position
            if kind == b"moov":
                file.seek(position)
                try:
                    moov = set_presentation_duration(file.read(size), duration)
                except ValueError as exc:
                    raise FootageError(f"cannot write {out}: unexpected MP4 layout ({exc})") from exc
                file.seek(position)
                file.write(moov)
                return
            if size < 8:
                break
            position += size
    raise FootageError(f"cannot write {out}: the muxer wrote no moov box")
