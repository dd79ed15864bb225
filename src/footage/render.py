"""Turn results into text for people (aligned tables) and for scripts (JSON, MOTChallenge)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime

from footage.store.records import IndexedTrack, IndexStatus

__all__ = ["iso", "status_text", "table", "tracks_json", "tracks_mot", "tracks_table"]


def iso(moment: datetime) -> str:
    """UTC ISO-8601 with milliseconds and a Z, e.g. ``2026-11-20T15:30:00.200Z``."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A plain aligned text table; numbers right-aligned."""
    cells = [[str(h) for h in headers]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    numeric = [all(isinstance(row[i], int | float) for row in rows) and rows for i in range(len(headers))]
    lines = []
    for n, row in enumerate(cells):
        parts = [c.rjust(w) if numeric[i] else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True))]
        lines.append("  ".join(parts).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _duration(seconds: float) -> str:
    seconds = max(0, round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def tracks_table(tracks: Sequence[IndexedTrack]) -> str:
    if not tracks:
        return "no tracks match"
    rows = [
        (t.id, t.label, t.camera, t.first_utc.strftime("%Y-%m-%d %H:%M:%S"), _duration(t.duration_s),
         round(t.confidence, 2), t.recording.rsplit("/", 1)[-1])
        for t in tracks
    ]
    return table(("id", "label", "camera", "first seen (UTC)", "present", "conf", "recording"), rows)


def tracks_json(tracks: Sequence[IndexedTrack]) -> str:
    return json.dumps(
        [
            {
                "id": t.id, "label": t.label, "camera": t.camera, "recording": t.recording,
                "first_utc": iso(t.first_utc), "last_utc": iso(t.last_utc),
                "first_s": float(t.first_pts * t.time_base), "last_s": float(t.last_pts * t.time_base),
                "duration_s": round(t.duration_s, 3), "confidence": round(t.confidence, 4),
                "boxes": t.box_count, "thumbnail": t.thumbnail,
            }
            for t in tracks
        ],
        indent=2,
    )


def tracks_mot(tracks: Sequence[IndexedTrack]) -> str:
    """MOTChallenge lines ``frame,id,left,top,width,height,conf,-1,-1,-1`` sorted by frame;
    frame is the 1-based decode index, id the track's id within its recording."""
    lines = []
    for track in tracks:
        for box in track.boxes or ():
            x1, y1, x2, y2 = box.xyxy
            fields = f"{x1:.2f},{y1:.2f},{x2 - x1:.2f},{y2 - y1:.2f},{box.confidence:.4f}"
            lines.append((box.index + 1, track.local_id, f"{box.index + 1},{track.local_id},{fields},-1,-1,-1"))
    lines.sort(key=lambda item: (item[0], item[1]))
    return "\n".join(line for _, _, line in lines)


def status_text(status: IndexStatus) -> str:
    parts = [f"{status.recordings} recording(s), {status.hours:.2f} hours indexed"]
    if status.cameras:
        parts.append(table(("camera", "recordings", "hours"), [(n, c, round(h, 2)) for n, c, h in status.cameras]))
    if status.objects_by_label:
        parts.append(table(("objects", "tracks"), list(status.objects_by_label)))
    if status.failed:
        parts.append("files with problems:\n" + "\n".join(f"  {s}: {p}: {r}" for p, s, r in status.failed))
    return "\n\n".join(parts)
