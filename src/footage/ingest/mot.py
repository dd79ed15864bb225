"""Read tracks from a MOTChallenge file (``frame,id,left,top,width,height,conf,...``), such as
the ground truth shipped with PETS09-S2L1 and TUD-Campus, so the event rules can run on them."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import numpy as np

from footage.errors import TrackFileError
from footage.events.types import Span, Trajectory

__all__ = ["read_mot"]


def read_mot(path: Path, fps: float, *, label: str = "person") -> tuple[list[Trajectory], Span]:
    """Trajectories of every id in the file, frame ``n`` (1-based) at ``(n - 1) / fps`` seconds,
    and the span from frame 1 to the last frame. Rows with confidence 0 (MOT16+ "ignore") are
    skipped; so are rows whose class column (8th, MOT16+) is present and not 1 (pedestrian)."""
    if fps <= 0:
        raise TrackFileError(f"--fps must be positive, got {fps}")
    try:
        lines = Path(path).read_text("utf-8").splitlines()
    except OSError as exc:
        raise TrackFileError(f"cannot read track file {path}: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise TrackFileError(f"{path} is not a text file") from exc
    rows: dict[int, list[tuple[float, float, float, float, float]]] = defaultdict(list)
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
        rows[track_id].append(((frame - 1) / fps, left, top, left + width, top + height))
    if not rows:
        raise TrackFileError(f"{path}: no tracks in it")
    tracks = []
    for track_id, found in sorted(rows.items()):
        array = np.array(sorted(found))
        tracks.append(Trajectory(track_id, label, array[:, 0], array[:, 1:], float(array[-1, 0])))
    return tracks, Span(0.0, (last_frame - 1) / fps)
