"""The SQL behind the review pages: cameras at a glance, what a camera recorded and saw over a
span of time, one recording or track by id (for the media the pages show). Like the other store
modules, every function takes a connection and returns frozen records."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from footage.store.records import VISIBLE
from footage.time import utc_from_us, utc_to_us

__all__ = [
    "CameraTotals",
    "PlaybackRecording",
    "RecordedSpan",
    "SeenSpan",
    "camera_totals",
    "get_recording",
    "keyframe_of_moment",
    "recorded_spans",
    "recording_of_moment",
    "seen_spans",
    "thumbnail_of_track",
]


@dataclass(frozen=True)
class CameraTotals:
    """One camera: visible recordings, hours of video indexed, moments, and the wall-clock span
    its recordings cover (None before anything is indexed)."""

    name: str
    recordings: int
    hours: float
    moments: int
    first_utc: datetime | None
    last_utc: datetime | None


def camera_totals(conn: sqlite3.Connection) -> list[CameraTotals]:
    """Every camera, by name."""
    rows = conn.execute(
        f"""SELECT c.name, COUNT(r.id), COALESCE(SUM(r.indexed_s), 0) / 3600.0, MIN(r.start_utc_us),
                   MAX(r.start_utc_us + CAST(r.indexed_s * 1e6 AS INTEGER)),
                   (SELECT COUNT(*) FROM moments m JOIN recordings mr ON mr.id = m.recording_id
                    WHERE m.camera_id = c.id AND mr.status IN {VISIBLE})
            FROM cameras c LEFT JOIN recordings r ON r.camera_id = c.id AND r.status IN {VISIBLE}
            GROUP BY c.id ORDER BY c.name"""
    ).fetchall()
    return [
        CameraTotals(row[0], int(row[1]), float(row[2]), int(row[5]),
                     utc_from_us(row[3]) if row[3] is not None else None,
                     utc_from_us(row[4]) if row[4] is not None else None)
        for row in rows
    ]


@dataclass(frozen=True)
class RecordedSpan:
    """The wall-clock time one visible recording covers (its analysed part)."""

    recording_id: int
    start_utc: datetime
    end_utc: datetime


def recorded_spans(conn: sqlite3.Connection, camera: str, since: datetime, until: datetime) -> list[RecordedSpan]:
    """Recordings of ``camera`` overlapping [since, until), by start time."""
    rows = conn.execute(
        f"""SELECT r.id, r.start_utc_us + CAST(COALESCE(r.first_s, 0) * 1e6 AS INTEGER) AS first_us,
                   r.start_utc_us + CAST(r.indexed_s * 1e6 AS INTEGER) AS last_us
            FROM recordings r JOIN cameras c ON c.id = r.camera_id
            WHERE c.name = ? AND r.status IN {VISIBLE} AND r.start_utc_us IS NOT NULL
              AND r.start_utc_us < ? AND r.start_utc_us + CAST(r.indexed_s * 1e6 AS INTEGER) >= ?
            ORDER BY first_us, r.id""",
        (camera, utc_to_us(until), utc_to_us(since)),
    ).fetchall()
    return [RecordedSpan(int(row[0]), utc_from_us(row[1]), utc_from_us(row[2])) for row in rows]


@dataclass(frozen=True)
class SeenSpan:
    """When one tracked object was in view."""

    label: str
    first_utc: datetime
    last_utc: datetime


def seen_spans(conn: sqlite3.Connection, camera: str, since: datetime, until: datetime) -> list[SeenSpan]:
    """Tracks of ``camera`` in view at some time in [since, until), by first sighting."""
    rows = conn.execute(
        f"""SELECT t.label, t.first_utc_us, t.last_utc_us FROM tracks t
            JOIN recordings r ON r.id = t.recording_id JOIN cameras c ON c.id = t.camera_id
            WHERE c.name = ? AND r.status IN {VISIBLE} AND t.first_utc_us < ? AND t.last_utc_us >= ?
            ORDER BY t.first_utc_us, t.id""",
        (camera, utc_to_us(until), utc_to_us(since)),
    ).fetchall()
    return [SeenSpan(row[0], utc_from_us(row[1]), utc_from_us(row[2])) for row in rows]


@dataclass(frozen=True)
class PlaybackRecording:
    """What the player needs of a visible recording: the file and its picture size."""

    id: int
    camera: str
    path: str
    width: int
    height: int
    codec: str
    start_utc: datetime


_PLAYBACK_SELECT = """SELECT r.id, c.name, r.path, r.width, r.height, r.codec, r.start_utc_us FROM recordings r
    JOIN cameras c ON c.id = r.camera_id"""


def get_recording(conn: sqlite3.Connection, recording_id: int) -> PlaybackRecording | None:
    """A visible recording by id, or None (unknown, failed, or being indexed)."""
    row = conn.execute(f"{_PLAYBACK_SELECT} WHERE r.id = ? AND r.status IN {VISIBLE}", (recording_id,)).fetchone()
    return _playback(row)


def recording_of_moment(conn: sqlite3.Connection, moment_id: int) -> PlaybackRecording | None:
    """The visible recording a moment was found in, or None."""
    row = conn.execute(f"{_PLAYBACK_SELECT} JOIN moments m ON m.recording_id = r.id WHERE m.id = ? AND r.status IN {VISIBLE}",
                       (moment_id,)).fetchone()
    return _playback(row)


def _playback(row: sqlite3.Row | None) -> PlaybackRecording | None:
    if row is None:
        return None
    return PlaybackRecording(int(row[0]), row[1], row[2], int(row[3] or 0), int(row[4] or 0), row[5] or "",
                             utc_from_us(row[6] or 0))


def keyframe_of_moment(conn: sqlite3.Connection, moment_id: int) -> str | None:
    """The key frame file of a visible moment, or None."""
    row = conn.execute(f"""SELECT m.keyframe FROM moments m JOIN recordings r ON r.id = m.recording_id
                           WHERE m.id = ? AND r.status IN {VISIBLE}""", (moment_id,)).fetchone()
    return row[0] if row else None


def thumbnail_of_track(conn: sqlite3.Connection, track_id: int) -> str | None:
    """The thumbnail file of a visible track, or None."""
    row = conn.execute(f"""SELECT t.thumbnail FROM tracks t JOIN recordings r ON r.id = t.recording_id
                           WHERE t.id = ? AND r.status IN {VISIBLE}""", (track_id,)).fetchone()
    return row[0] if row else None
