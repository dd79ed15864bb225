"""A moment that runs across several recordings, played as one clip.

A camera's consecutive recordings form one timeline, so a moment (with the moment page's preroll
before it and as much after it) can cover 2..N files. :func:`moment_plan` plans that wall-clock
span over the recordings exactly as an export does (:func:`footage.export.plan.plan_clip`);
:func:`stitched_video` joins the pieces by stream copy (:func:`footage.export.copy.copy_pieces`,
re-encoding only when the pieces cannot be copied) into ``cache_dir/{key}.mp4``, beside the
index like the browser copies of :mod:`footage.web.playable`, and hands it on to
:func:`~footage.web.playable.playable_video` (which serves an H.264 MP4 as it is).

Clip time: piece ``p`` shows media second ``t`` of its recording at ``p.clip_start_s + t - p.start_s``
(:func:`clip_seconds`); a wall-clock time maps through the piece that recorded it
(:func:`clip_seconds_at`). The copy is remade when a recording is newer than it, and a plan that
changes (other pieces, other spans) has another key.
"""

from __future__ import annotations

import hashlib
import logging
import os
import sqlite3
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from footage.errors import FootageError, MediaNotFoundError, StreamCopyError
from footage.export.copy import Piece, copy_pieces
from footage.export.decode import clip_frames
from footage.export.encode import EncodeOptions, write_clip
from footage.export.plan import ClipPlan, plan_clip
from footage.store.clips import covering_recordings
from footage.store.database import moment_clip_stem
from footage.store.records import IndexedMoment
from footage.stored import CoveringRecording
from footage.web.playable import PlayableVideo, playable_video

__all__ = ["MomentSpan", "clip_seconds", "clip_seconds_at", "moment_plan", "stitched_key", "stitched_video"]

log = logging.getLogger(__name__)

_locks: dict[str, threading.Lock] = {}
_locks_guard = threading.Lock()
_EPS_S = 1e-3


@dataclass(frozen=True)
class MomentSpan:
    """The plan of a moment's clip and the recordings it was cut from, by id."""

    plan: ClipPlan
    recordings: dict[int, CoveringRecording]


def moment_plan(conn: sqlite3.Connection, moment: IndexedMoment, pad_s: float) -> MomentSpan | None:
    """The moment with ``pad_s`` seconds either side, planned over the camera's recordings; None
    when it lies in one recording (the page plays that file itself) or none covers it."""
    pad = timedelta(seconds=pad_s)
    start, end = moment.start_utc - pad, moment.end_utc + pad
    recordings = covering_recordings(conn, moment.camera, start, end)
    if len(recordings) < 2:
        return None
    try:
        plan = plan_clip(moment.camera, start, end, recordings)
    except FootageError:
        return None
    return MomentSpan(plan, {r.recording_id: r for r in recordings}) if len(plan.pieces) > 1 else None


def clip_seconds(plan: ClipPlan, recording_id: int, media_s: float) -> float | None:
    """Where media second ``media_s`` of ``recording_id`` is in the clip; None outside its pieces."""
    for piece in plan.pieces:
        if piece.recording_id == recording_id and piece.start_s - _EPS_S <= media_s <= piece.end_s + _EPS_S:
            return round(piece.clip_start_s + media_s - piece.start_s, 3)
    return None


def clip_seconds_at(span: MomentSpan, when: datetime) -> float:
    """Where the wall-clock time ``when`` is in the clip: in the piece that recorded it, else (an
    unrecorded gap, or outside the clip) the nearest piece boundary."""
    position = 0.0
    for piece in span.plan.pieces:
        recording = span.recordings[piece.recording_id]
        media_s = (when - recording.start_utc).total_seconds()
        if media_s < piece.start_s:
            return round(piece.clip_start_s if piece is not span.plan.pieces[0] else 0.0, 3)
        if media_s <= piece.end_s:
            return round(piece.clip_start_s + media_s - piece.start_s, 3)
        position = piece.clip_start_s + piece.duration_s
    return round(position, 3)


def stitched_key(moment_id: int, plan: ClipPlan) -> str:
    """The cache name of a moment's clip: its id and a digest of the pieces it is made of."""
    spans = ";".join(f"{p.path}|{p.start_s:.6f}|{p.end_s:.6f}" for p in plan.pieces)
    return f"{moment_clip_stem(moment_id)}-{hashlib.sha256(spans.encode()).hexdigest()[:16]}"


def stitched_video(plan: ClipPlan, cache_dir: Path, key: str) -> PlayableVideo:
    """The clip of ``plan`` as a browser plays it, made once into ``cache_dir/{key}.mp4``.

    Raises :class:`~footage.errors.MediaNotFoundError` when a recording is gone, and
    :class:`FootageError` (or a ``MediaError``) when the clip cannot be made or written."""
    cache_dir = Path(cache_dir)
    target = cache_dir / f"{key}.mp4"
    with _lock_for(target):
        newest = max(_mtime_ns(Path(p.path)) for p in plan.pieces)
        if not (target.is_file() and target.stat().st_mtime_ns >= newest):
            try:
                cache_dir.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise FootageError(f"cannot write the moment's clip into {cache_dir}: {exc.strerror or exc}") from exc
            _make(plan, target)
            os.utime(target, ns=(newest, newest))
    return playable_video(target, cache_dir, f"{key}-browser")


def _make(plan: ClipPlan, target: Path) -> None:
    try:
        copy_pieces([Piece(Path(p.path), p.start_s, p.end_s) for p in plan.pieces], target)
        log.info("joined %d pieces into %s", len(plan.pieces), target)
        return
    except StreamCopyError as exc:  # pieces a copy cannot join: re-encode them, hiding nothing
        log.info("cannot copy the pieces into %s (%s): re-encoding", target, exc)
    part = target.with_name(f"{target.stem}.{os.getpid()}-{threading.get_ident()}.part.mp4")
    try:
        write_clip(((s, frame, []) for s, frame in clip_frames(plan.pieces)), part, EncodeOptions())
        os.replace(part, target)
    except OSError as exc:
        raise FootageError(f"cannot write {target}: {exc.strerror or exc}") from exc
    finally:
        part.unlink(missing_ok=True)


def _mtime_ns(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except FileNotFoundError:
        raise MediaNotFoundError(path, "the recording is gone from disk since it was indexed") from None


def _lock_for(target: Path) -> threading.Lock:
    with _locks_guard:
        return _locks.setdefault(str(target.resolve()), threading.Lock())
