"""Read tracks from a MOTChallenge file (``frame,id,left,top,width,height,conf,...``), such as
the ground truth shipped with PETS09-S2L1 and TUD-Campus, so the event rules can run on them."""

from __future__ import annotations

from collections import defaultdict
from fractions import Fraction
from pathlib import Path

from footage.errors import TrackFileError
from footage.types import Span, Track, TrackBox

__all__ = ["read_mot"]


def read_mot(path: Path, fps: float, *, label: str = "person") -> tuple[list[Track], Span]:
    """Tracks of every id in the file, frame ``n`` (1-based) at pts ``n - 1`` in a time base of
    ``1 / fps`` (so at ``(n - 1) / fps`` seconds), and the span from frame 1 to the last frame.
    Rows with confidence 0 (MOT16+ "ignore") are skipped; so are rows whose class column (8th,
    MOT16+) is present and not 1 (pedestrian)."""
    if fps <= 0:
        raise TrackFileError(f"--fps must be positive, got {fps}")
    try:
        lines = Path(path).read_text("utf-8").splitlines()
    except OSError as exc:
        raise TrackFileError(f"cannot read track file {path}: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise TrackFileError(f"{path} is not a text file") from exc
    rows: dict[int, list[tuple[int, float, float, float, float, float]]] = defaultdict(list)
    last_frame = 0
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        fields = line.replace(" ", "").split(",")
        try:
            frame, track_id = int(float(fields[0])), int(float(fields[1]))
            left, top, width, height = (float(v) for v in fields[2:6])
            confidence = float(fields[6]) if len(fields) > 6 else 1.0
            cls = int(float(fields[7])) if len(fields) > 7 and float(fields[7]) >= 0 and len(fields) == 9 else 1
        except (ValueError, IndexError) as exc:
            raise TrackFileError(f"{path} line {number}: not MOTChallenge (frame,id,left,top,width,height,...)") from exc
        if frame < 1 or width <= 0 or height <= 0:
            raise TrackFileError(f"{path} line {number}: frame must be >= 1 and the box non-empty")
        last_frame = max(last_frame, frame)
        if confidence == 0 or cls != 1:
            continue
        rows[track_id].append((frame - 1, left, top, left + width, top + height, confidence))
    if not rows:
        raise TrackFileError(f"{path}: no tracks in it")
    time_base = 1 / Fraction(fps)  # exact: float(pts * time_base) is (n - 1) / fps to the last bit
    tracks = []
    for track_id, found in sorted(rows.items()):
        boxes = tuple(TrackBox(pts, pts, (x1, y1, x2, y2), confidence)
                      for pts, x1, y1, x2, y2, confidence in sorted(found, key=lambda row: row[:5]))
        tracks.append(Track(track_id, label, boxes[0].pts, boxes[-1].pts, time_base, boxes))
    return tracks, Span(0.0, (last_frame - 1) / fps)
