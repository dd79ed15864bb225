"""Cut a real clip into segments the way a recorder writes them, for the timeline tests: one
H.264 encode with a keyframe at every segment boundary, split by stream copy, each piece named
with its wall-clock start (``20261120_153010.mp4``, read in UTC), beside the same encode whole."""

from __future__ import annotations

import sqlite3
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

__all__ = ["START", "Cut", "Found", "cut", "found_in", "unmatched"]

#: the wall-clock start of every cut clip
START = datetime(2026, 11, 20, 15, 30, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Cut:
    whole: Path
    segments: tuple[Path, ...]


def _name(at: datetime) -> str:
    return f"{at:%Y%m%d_%H%M%S}.mp4"


def cut(source: Path, folder: Path, segment_s: int, ffmpeg: str = "ffmpeg") -> Cut:
    """``folder/whole/<start>.mp4`` and ``folder/segments/<start + k * segment_s>.mp4``."""
    whole_dir, parts_dir, work = folder / "whole", folder / "segments", folder / "work"
    for made in (whole_dir, parts_dir, work):
        made.mkdir(parents=True, exist_ok=True)
    whole = whole_dir / _name(START)
    subprocess.run([ffmpeg, "-v", "error", "-y", "-i", str(source), "-an", "-c:v", "libx264", "-preset", "veryfast",
                    "-bf", "0", "-pix_fmt", "yuv420p", "-force_key_frames", f"expr:gte(t,n_forced*{segment_s})",
                    str(whole)], check=True)
    subprocess.run([ffmpeg, "-v", "error", "-y", "-i", str(whole), "-c", "copy", "-f", "segment",
                    "-segment_time", str(segment_s), "-reset_timestamps", "1", str(work / "part%03d.mp4")], check=True)
    segments = []
    for k, part in enumerate(sorted(work.glob("part*.mp4"))):
        target = parts_dir / _name(START + timedelta(seconds=k * segment_s))
        part.rename(target)
        segments.append(target)
    return Cut(whole, tuple(segments))


@dataclass(frozen=True)
class Found:
    """What an index holds: objects (a track followed across files counts once), track pieces,
    and moments as (kind, start, end) in seconds after an origin (:data:`START`)."""

    objects: int
    pieces: int
    moments: tuple[tuple[str, float, float], ...]


def found_in(db: Path, origin: datetime = START) -> Found:
    conn = sqlite3.connect(db)
    try:
        objects = conn.execute("SELECT COUNT(*) FROM tracks WHERE previous_id IS NULL").fetchone()[0]
        pieces = conn.execute("SELECT COUNT(*) FROM tracks").fetchone()[0]
        origin_us = origin.timestamp() * 1e6
        rows = conn.execute("SELECT kind, start_utc_us, end_utc_us FROM moments ORDER BY start_utc_us, kind").fetchall()
    finally:
        conn.close()
    return Found(int(objects), int(pieces), tuple((k, (a - origin_us) / 1e6, (b - origin_us) / 1e6) for k, a, b in rows))


def unmatched(expected: Found, got: Found, tolerance_s: float) -> list[str]:
    """The moments of one index without a moment of the same kind in the other starting and
    ending within ``tolerance_s``, both ways, described."""
    left = list(got.moments)
    missing = []
    for kind, start, end in expected.moments:
        match = next((m for m in left if m[0] == kind and abs(m[1] - start) <= tolerance_s
                      and abs(m[2] - end) <= tolerance_s), None)
        if match is None:
            missing.append(f"only in the whole file: {kind} {start:.1f}-{end:.1f} s")
        else:
            left.remove(match)
    return missing + [f"only in the segments: {k} {a:.1f}-{b:.1f} s" for k, a, b in left]
