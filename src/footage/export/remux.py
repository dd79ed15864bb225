"""A stream copy into one MP4: read a recording's packets in decode order from a keyframe, write
the packets a :class:`~footage.export.span_cut.SpanCut` keeps with shifted times, and cut the
finished file's presentation back to what was asked for (:mod:`footage.media.edit_list`).

:mod:`footage.export.copy` decides what to copy; this module decides each packet's times, and
:mod:`footage.media` moves the bytes (its errors become footage's there).
"""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path

from footage.errors import CorruptMediaError, FootageError, StreamCopyError
from footage.export.span_cut import SpanCut, with_decode_times
from footage.media.edit_list import cut_presentation
from footage.media.errors import ffmpeg_errors
from footage.media.input import Input, Packet
from footage.media.output import Mp4Output

__all__ = ["Mp4Copy"]


class Mp4Copy:
    """An MP4 at ``part`` being written by stream copy, video only, with times in ticks of
    ``1 / timescale``; ``end`` is where the shown frames written so far end. Error messages name
    ``out``, where the file will be once complete. Call :meth:`close` to finish, :meth:`abort` on failure."""

    def __init__(self, part: Path, out: Path, template: Input, timescale: int) -> None:
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
        self._output = Mp4Output(part, options)
        try:
            self._output.copy_stream_of(template, time_base=Fraction(1, timescale))
        except ValueError as exc:
            self.abort()
            raise StreamCopyError(template.path, f"an MP4 cannot hold its {template.describe()} video") from exc

    def copy(self, source: Input, start_pts: int, end_pts: int, *, may_lead: bool) -> SpanCut[Packet]:
        """Write the frames of ``source`` in ``[start_pts, end_pts)`` after what was written before;
        returns the cut that chose them. Only with ``may_lead`` may the copy begin before the span:
        one edit list hides frames at the start of a clip, not in its middle."""
        cut = SpanCut[Packet](start_pts, end_pts)
        rate = source.frame_rate
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

    def _mux(self, source: Input, cut: SpanCut[Packet], packets: list[Packet], may_lead: bool) -> None:
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
            # a write error is the caller's to report (it cannot write the file)
            with ffmpeg_errors(lambda why: StreamCopyError(source.path, f"the MP4 muxer refused a packet ({why})"),
                           os_errors="propagate"):
                self._output.mux(packet)

    def close(self) -> None:
        """Finish the file and cut its presentation to the ``end`` of the shown frames."""
        with ffmpeg_errors(lambda why: FootageError(f"cannot write {self.out}: {why}"), os_errors="propagate"):
            self._output.close()
        cut_presentation(self.part, self.out, self.end)

    def abort(self) -> None:
        """Close without caring whether the file is complete (the caller deletes it)."""
        self._output.abort()


def _times(source: Input, packet: Packet) -> tuple[int, int | None]:
    pts = packet.pts if packet.pts is not None else packet.dts
    if pts is None:
        raise StreamCopyError(source.path, "a packet has no timestamp")
    return pts, packet.dts


def _packets_from_keyframe(source: Input, start_pts: int) -> Iterator[Packet]:
    """Packets in decode order from the last keyframe at or before ``start_pts`` (from the first
    keyframe when the span starts before it). Seeking goes by decode time, and some demuxers land
    between keyframes, so it steps back until the keyframe found is early enough."""
    floor = source.start_pts
    second = step = max(1, round(1 / source.time_base))
    target = start_pts
    while True:
        # decode times start before the first frame's pts (B-frames): "the start" is a second earlier
        at_start = target <= floor - second
        source.seek(target, error=lambda why: StreamCopyError(source.path, f"cannot seek in it ({why})"))
        packets = source.packets()
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
