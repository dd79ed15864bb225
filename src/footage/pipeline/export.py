"""Export a clip wired together: find the span (a moment with a few seconds either side, or a
camera and two times), plan its pieces over the recordings, then either copy the stream (no
redaction: as fast as the disk) or re-encode it with faces and people hidden, and write the
sidecar JSON that says what the clip is and what was hidden."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypeVar

from footage.errors import FootageError, RequestError, StreamCopyError
from footage.export.copy import Piece, copy_pieces
from footage.export.decode import clip_frames
from footage.export.encode import EncodeOptions, partial_name, write_clip
from footage.export.plan import ClipPlan, plan_clip
from footage.export.redact import REDACTIONS, RedactParams, Region, TrackPath, regions_to_hide
from footage.export.verify import VerifyParams
from footage.media.input import VideoFrame
from footage.pipeline.redacted import RedactionCheck, RedactionJob, write_redacted
from footage.store.clips import covering_recordings, linked_pieces
from footage.store.database import connect
from footage.store.live import mark_exported
from footage.store.moments import MomentFilter, get_moment, list_moments
from footage.store.queries import TrackFilter, list_tracks
from footage.store.records import IndexedTrack

__all__ = ["ExportReport", "ExportRequest", "export_clip"]


@dataclass(frozen=True)
class ExportRequest:
    """A moment (``moment_id``, padded by ``pad_s`` each side) or a camera and a wall-clock span;
    what to hide (``redact``: faces, people, bodies, plates; empty: a stream copy) and which
    track ids to leave visible (``keep``); how to hide (``params``) and how hard to check the
    clip for faces afterwards (``verify``)."""

    moment_id: int | None = None
    camera: str | None = None
    start_utc: datetime | None = None
    end_utc: datetime | None = None
    out: Path | None = None
    redact: frozenset[str] = frozenset({"faces", "people"})
    keep: frozenset[int] = frozenset()
    gif: bool = False
    caption: str | None = None
    pad_s: float = 3.0
    params: RedactParams = field(default_factory=RedactParams)
    verify: VerifyParams = field(default_factory=VerifyParams)


@dataclass(frozen=True)
class ExportReport:
    """What was written: the clip, its sidecar and GIF, the span, what was hidden, and what the
    check of the written clip found (``check``; None when nothing is hidden or only plates)."""

    clip: Path
    sidecar: Path
    gif: Path | None
    camera: str
    start_utc: datetime
    end_utc: datetime
    duration_s: float
    mode: str
    redact: tuple[str, ...]
    kept: tuple[int, ...]
    frames: int
    frames_with_hidden: int
    regions: int
    sha256: str
    wall_s: float
    check: RedactionCheck | None = None


def _span(conn: sqlite3.Connection, request: ExportRequest) -> tuple[str, datetime, datetime, str | None]:
    if request.moment_id is not None:
        moment = get_moment(conn, request.moment_id)
        if moment is None:
            raise RequestError(f"no moment {request.moment_id} in the index; `footage events` lists them", 404)
        pad = timedelta(seconds=request.pad_s)
        return moment.camera, moment.start_utc - pad, moment.end_utc + pad, moment.description
    if request.camera is None or request.start_utc is None or request.end_utc is None:
        raise FootageError("name a moment id, or a camera with --from and --to")
    return request.camera, request.start_utc, request.end_utc, None


def _paths(tracks: list[IndexedTrack], plan: ClipPlan) -> list[TrackPath]:
    """Each track with boxes placed on the clip (the piece of its own recording decides the shift)."""
    pieces = {piece.path: piece for piece in reversed(plan.pieces)}  # the first piece of a recording
    return [TrackPath(t.id, t.track, pieces[t.recording].clip_start_s - pieces[t.recording].start_s)
            for t in tracks if t.recording in pieces and t.track.boxes]


def _default_out(camera: str, start: datetime) -> Path:
    safe = "".join(c if c.isalnum() or c in "-_" else "-" for c in camera).strip("-") or "camera"
    return Path.cwd() / f"{safe}-{start.strftime('%Y%m%d-%H%M%S')}.mp4"


def export_clip(db_path: Path, request: ExportRequest) -> ExportReport:
    """Write the clip, its sidecar ``CLIP.json`` (and ``CLIP.gif``). Raises :class:`FootageError`
    (one line) for an unknown moment, a span no recording covers, a recording gone from disk, a
    track to keep that is not in the clip, or an output that cannot be written; nothing partial
    is left behind."""
    started = time.perf_counter()
    unknown = request.redact - set(REDACTIONS)
    if unknown:
        raise FootageError(f"cannot redact {', '.join(sorted(unknown))}; choose from faces, people, bodies, plates, none")
    conn = connect(db_path, create=False)
    try:
        camera, start, end, description = _span(conn, request)
        plan = plan_clip(camera, start, end, covering_recordings(conn, camera, start, end))
        # ``until`` is exclusive: a track first seen on the clip's very last instant is still hidden
        until = plan.end_utc + timedelta(microseconds=1)
        tracks = list_tracks(conn, TrackFilter(camera=camera, since=plan.start_utc, until=until), with_boxes=True)
        # a person kept is kept in every file of the clip: their pieces there are linked tracks
        keep = linked_pieces(conn, request.keep) & {t.id for t in tracks} | request.keep
    finally:
        conn.close()
    missing = request.keep - {t.id for t in tracks}
    if missing:
        raise FootageError(f"track(s) {', '.join(map(str, sorted(missing)))} are not in this clip; "
                           f"tracks in it: {', '.join(str(t.id) for t in tracks if t.track.label == 'person') or 'none'}")
    request = replace(request, keep=keep)
    out = Path(request.out) if request.out else _default_out(camera, plan.start_utc)
    if out.suffix.lower() != ".mp4":
        raise FootageError(f"the clip is an MP4 file: name it .mp4, not {out.name}")
    sidecar, gif = out.with_suffix(".json"), out.with_suffix(".gif") if request.gif else None
    check: RedactionCheck | None = None
    if request.redact:
        job = RedactionJob(request.redact, request.keep, tuple(_paths(tracks, plan)), request.params, request.verify)
        if {"faces", "people", "bodies"} & request.redact:
            encoded, check = _written(out, gif, lambda part, gif_part: write_redacted(
                plan.pieces, part, out, job, EncodeOptions(caption=request.caption, gif=gif_part), plan.duration_s))
        else:  # plates only: nothing about faces was promised
            encoded = _written(out, gif, lambda part, gif_part: write_clip(
                _plain(plan, job), part, EncodeOptions(caption=request.caption, gif=gif_part), plan.duration_s))
        frames, hidden, regions, mode = encoded.frames, encoded.frames_with_hidden, encoded.regions, "redacted"
    else:
        if request.caption or request.gif:
            raise FootageError("--caption and --gif re-encode the clip; they need a redaction (the default)")
        try:
            copied = copy_pieces([Piece(Path(p.path), p.start_s, p.end_s) for p in plan.pieces], out)
            frames, hidden, regions, mode = copied.frames, 0, 0, "copy"
        except StreamCopyError:  # a codec MP4 cannot hold, or pieces that differ: re-encode, hiding nothing
            encoded = _written(out, None, lambda part, _gif: write_clip(
                ((s, f, []) for s, f in clip_frames(plan.pieces)), part, EncodeOptions()))
            frames, hidden, regions, mode = encoded.frames, 0, 0, "re-encoded"
    digest = _sha256(out)
    report = ExportReport(out, sidecar, gif, camera, plan.start_utc, plan.end_utc, round(plan.duration_s, 3), mode,
                          tuple(sorted(request.redact)), tuple(sorted(request.keep)), frames, hidden, regions, digest,
                          round(time.perf_counter() - started, 3), check)
    _write_sidecar(report, plan, description, request.moment_id)
    _mark_exported(db_path, request.moment_id, camera, plan.start_utc, plan.end_utc)
    return report


W = TypeVar("W")


def _written(out: Path, gif: Path | None, write: Callable[[Path, Path | None], W]) -> W:
    """Run ``write`` on temporary names beside ``out`` (and ``gif``) and rename them when it
    returns; nothing is left behind when it raises."""
    partial, gif_partial = partial_name(out), partial_name(gif) if gif else None
    try:
        result = write(partial, gif_partial)
        os.replace(partial, out)
        if gif and gif_partial:
            os.replace(gif_partial, gif)
        return result
    except OSError as exc:
        raise FootageError(f"cannot write {out}: {exc.strerror or exc}") from exc
    finally:
        for leftover in (partial, gif_partial):
            if leftover is not None:
                with contextlib.suppress(FileNotFoundError, NotADirectoryError):  # never made: no folder there
                    leftover.unlink()


def _plain(plan: ClipPlan, job: RedactionJob) -> Iterator[tuple[float, VideoFrame, list[Region]]]:
    """The frames with only vehicles' plate regions hidden (no face detector runs)."""
    for clip_s, frame in clip_frames(plan.pieces):
        yield clip_s, frame, regions_to_hide(clip_s, (), job.paths, redact=job.redact, keep=job.keep,
                                             params=job.params, size=(frame.width, frame.height))


def _mark_exported(db_path: Path, moment_id: int | None, camera: str, start: datetime, end: datetime) -> None:
    """Keep what was exported from retention: the moment, or every moment in an exported span."""
    conn = connect(db_path, create=False)
    try:
        ids = [moment_id] if moment_id is not None else [
            m.id for m in list_moments(conn, MomentFilter(camera=camera, since=start, until=end))]
        mark_exported(conn, ids, datetime.now(UTC))
    finally:
        conn.close()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as clip:
        for block in iter(lambda: clip.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _write_sidecar(report: ExportReport, plan: ClipPlan, description: str | None, moment_id: int | None) -> None:
    data = {
        "clip": report.clip.name, "sha256": report.sha256, "created_utc": datetime.now(UTC).isoformat(),
        "camera": report.camera, "moment": moment_id, "description": description,
        "start_utc": report.start_utc.isoformat(), "end_utc": report.end_utc.isoformat(),
        "duration_s": report.duration_s, "unrecorded_gap_s": plan.gaps_s,
        "source": [{"recording": Path(p.path).name, "start_s": p.start_s, "end_s": p.end_s} for p in plan.pieces],
        "redaction": {"mode": report.mode, "hidden": list(report.redact), "kept_tracks": list(report.kept),
                      "frames": report.frames, "frames_with_hidden_regions": report.frames_with_hidden,
                      "regions": report.regions, "method": "pixelated into blocks of their mean colour"},
        "check": None if report.check is None else {
            "frames_checked": report.check.frames, "widths_px": list(report.check.widths),
            "threshold": report.check.threshold, "detector": "YuNet face detector on every decoded frame of this clip",
            "passes": report.check.passes, "faces_found_per_pass": list(report.check.found),
            "frames_fixed": report.check.frames_fixed, "faces_left": 0, "summary": report.check.summary()},
        "stripped": ["audio", "container metadata (location, device, creation time, original file name)"],
    }
    partial = partial_name(report.sidecar)
    try:
        partial.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
        partial.replace(report.sidecar)
    except OSError as exc:
        report.clip.unlink(missing_ok=True)
        partial.unlink(missing_ok=True)
        raise FootageError(f"cannot write {report.sidecar}: {exc.strerror or exc}") from exc

