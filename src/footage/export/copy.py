"""Cut an exact span out of one or more consecutive recordings by stream copy into one MP4 (the
export path without redaction). Nothing is decoded or encoded, so it runs at the speed of the disk.

Exactness, with integer timestamps throughout:

* **start**: a copy must begin at a keyframe, so it starts at the last one at or before the span.
  Those lead frames get negative times, which FFmpeg's MP4 muxer hides with an edit list: the
  span's first frame is shown at time 0.
* **end**: packets shown after the span are dropped, except a reference frame that B-frames of
  the span need to be decoded (:mod:`footage.export.span_cut`); the presentation is then cut
  back to the span (:mod:`footage.media.edit_list`).
* **pieces** (a moment running across two recordings) are joined, each piece's times shifted to
  follow the previous one.

Only the video stream is copied, with no metadata from the sources (titles, places, dates, device
and handler names). The file appears at ``out`` complete or not at all.
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from footage.errors import FootageError, StreamCopyError
from footage.export.remux import Mp4Copy
from footage.media.input import Input, open_input

__all__ = ["CopyReport", "Piece", "StreamCopyError", "copy_pieces"]

_INT32_MAX = 2**31 - 1


@dataclass(frozen=True)
class Piece:
    """A stretch of one recording in its own media seconds (``pts * time_base`` of its video stream,
    as the index stores them): the frames with ``start_s <= t < end_s``. A span reaching past the
    end of the recording stops at its last frame."""

    path: Path
    start_s: float
    end_s: float


@dataclass(frozen=True)
class CopyReport:
    """What :func:`copy_pieces` wrote: ``frames`` shown over ``duration_s`` seconds. The copy began
    ``keyframe_lead_s`` seconds before the first piece's span (at a keyframe); an edit list hides
    that lead, so playback starts exactly at the span."""

    path: Path
    duration_s: float
    frames: int
    keyframe_lead_s: float


def copy_pieces(pieces: Sequence[Piece], out: Path) -> CopyReport:
    """Copy ``pieces`` in order into the MP4 ``out`` (video only, metadata stripped, faststart).

    Written to ``.NAME.part.mp4`` beside ``out`` and renamed; on any failure that file is removed.
    Raises :class:`~footage.errors.MediaNotFoundError` or :class:`~footage.errors.MediaOpenError`
    for a missing or unreadable recording, :class:`StreamCopyError` (a ``MediaError``) when only a
    re-encode can make the clip, and :class:`~footage.errors.FootageError` for a span outside its
    recording or an ``out`` that cannot be written.
    """
    if not pieces:
        raise FootageError("nothing to export: no pieces given")
    out = Path(out)
    part = out.with_name(f".{out.stem}.part.mp4")
    with ExitStack() as stack:
        sources = [stack.enter_context(open_input(Path(piece.path))) for piece in pieces]
        spans = [_span(piece, source) for piece, source in zip(pieces, sources, strict=True)]
        _check_joinable(sources)
        _check_folder(out)
        try:
            report = _write(sources, spans, part, out)
            os.replace(part, out)
        except OSError as exc:
            part.unlink(missing_ok=True)
            raise FootageError(f"cannot write {out}: {exc.strerror or exc}") from exc
        except BaseException:
            part.unlink(missing_ok=True)
            raise
    return report


def _span(piece: Piece, source: Input) -> tuple[int, int]:
    """The piece as ``[start_pts, end_pts)`` of its stream; a span outside the recording is an error."""
    start_s, end_s = piece.start_s, piece.end_s
    if not (math.isfinite(start_s) and math.isfinite(end_s)) or end_s <= start_s:
        raise FootageError(f"{source.path}: the span {start_s:.3f}-{end_s:.3f} s does not end after it starts")
    recording_end_s = source.end_s
    if recording_end_s is not None and start_s >= recording_end_s:
        reason = f"the span starts at {start_s:.3f} s, after the recording ends ({recording_end_s:.3f} s)"
        raise FootageError(f"{source.path}: {reason}")
    return _ticks(start_s, source.time_base), _ticks(end_s, source.time_base)


def _ticks(seconds: float, time_base: Fraction) -> int:
    # the index stores pts * time_base as a float; rounding gives that exact pts back
    return round(Fraction(seconds) / time_base)


def _check_joinable(sources: Sequence[Input]) -> None:
    first = sources[0]
    for number, source in enumerate(sources[1:], start=2):
        if source.describe() != first.describe():
            reason = f"piece {number} is {source.describe()}, piece 1 {first.describe()}; a stream copy cannot join them"
            raise StreamCopyError(source.path, reason)
        if source.extradata != first.extradata:
            reason = f"piece {number} was encoded with other settings than piece 1; a stream copy cannot join them"
            raise StreamCopyError(source.path, reason)


def _check_folder(out: Path) -> None:
    folder = out.parent
    if not folder.is_dir():
        raise FootageError(f"cannot write {out}: the folder {folder} does not exist")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise FootageError(f"cannot write {out}: the folder {folder} is not writable")
    if out.is_dir():
        raise FootageError(f"cannot write {out}: it is a folder")


def _write(sources: Sequence[Input], spans: Sequence[tuple[int, int]], part: Path, out: Path) -> CopyReport:
    """Copy the spans into ``part``; returns the report for ``out``."""
    # a timescale every source's ticks convert to exactly
    timescale = math.lcm(*(source.time_base.denominator for source in sources))
    timescale = timescale if timescale <= _INT32_MAX else 90_000
    mp4 = Mp4Copy(part, out, sources[0], timescale)
    lead_s = Fraction(0)
    try:
        for number, (source, (start_pts, end_pts)) in enumerate(zip(sources, spans, strict=True), start=1):
            cut = mp4.copy(source, start_pts, end_pts, may_lead=number == 1)
            if cut.frames == 0:
                span = f"{float(start_pts * source.time_base):.3f}-{float(end_pts * source.time_base):.3f} s"
                raise FootageError(f"{source.path}: no frame in the span {span}")
            if number < len(sources) and cut.hidden_tail:
                raise StreamCopyError(source.path, f"piece {number} ends inside a run of B-frames; only the last piece can")
            if number == 1:
                lead_s = cut.lead_pts * source.time_base
    except BaseException:
        mp4.abort()
        raise
    mp4.close()
    return CopyReport(out, float(Fraction(mp4.end, timescale)), mp4.frames, float(lead_s))
