"""Every SQL statement footage runs against the index. Functions take a connection; the write
functions that must be all-or-nothing open their own transaction."""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction

from footage.store.database import transaction
from footage.store.filters import Where
from footage.store.moments import StoredMoment, insert_moments
from footage.store.people import NOBODY, insert_people, people_of
from footage.store.records import VISIBLE, IndexedTrack, IndexStatus, RecordingRecord, decode_boxes, encode_boxes, encode_poses
from footage.time import WallClock, utc_from_us, utc_to_us
from footage.types import Appearance, RecordingInfo, Track

__all__ = [
    "VISIBLE",
    "TrackFilter",
    "begin_recording",
    "ensure_camera",
    "find_indexed_copy",
    "find_recording",
    "finish_recording",
    "list_tracks",
    "record_failure",
    "set_status",
    "status_summary",
    "store_recording",
    "transaction",
]

def _now_us() -> int:
    return time.time_ns() // 1000


def ensure_camera(conn: sqlite3.Connection, name: str) -> int:
    """The id of camera ``name``, created on first use."""
    conn.execute("INSERT OR IGNORE INTO cameras (name, created_utc_us) VALUES (?, ?)", (name, _now_us()))
    return int(conn.execute("SELECT id FROM cameras WHERE name = ?", (name,)).fetchone()[0])


def _recording(row: sqlite3.Row) -> RecordingRecord:
    return RecordingRecord(
        id=row["id"], camera=row["camera"], path=row["path"], status=row["status"], error=row["error"],
        duration_s=row["duration_s"],
        start_utc=utc_from_us(row["start_utc_us"]) if row["start_utc_us"] is not None else None,
        clock_source=row["clock_source"], content_hash=row["content_hash"],
        size_bytes=row["size_bytes"], mtime_ns=row["mtime_ns"],
    )


_RECORDING_SELECT = "SELECT r.*, c.name AS camera FROM recordings r JOIN cameras c ON c.id = r.camera_id"


def find_recording(conn: sqlite3.Connection, path: str) -> RecordingRecord | None:
    """The recording stored for ``path`` (any status), or None."""
    row = conn.execute(f"{_RECORDING_SELECT} WHERE r.path = ?", (path,)).fetchone()
    return _recording(row) if row else None


def find_indexed_copy(conn: sqlite3.Connection, content_hash: str) -> RecordingRecord | None:
    """An indexed recording with this content (the same file copied elsewhere)."""
    row = conn.execute(
        f"{_RECORDING_SELECT} WHERE r.content_hash = ? AND r.status IN {VISIBLE} LIMIT 1", (content_hash,)
    ).fetchone()
    return _recording(row) if row else None


def begin_recording(
    conn: sqlite3.Connection,
    *,
    camera_id: int,
    info: RecordingInfo,
    mtime_ns: int,
    content_hash: str,
    clock: WallClock,
    settings: dict[str, object],
) -> int:
    """Register ``info.path`` as being indexed (status ``indexing``), replacing any earlier,
    unfinished attempt and its tracks. Returns the recording id."""
    with transaction(conn):
        conn.execute("DELETE FROM recordings WHERE path = ?", (info.path,))
        cursor = conn.execute(
            """INSERT INTO recordings (camera_id, path, content_hash, size_bytes, mtime_ns, duration_s,
                   width, height, codec, time_base_num, time_base_den, frame_rate, start_utc_us,
                   start_pts, clock_source, status, settings, updated_utc_us)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'indexing', ?, ?)""",
            (camera_id, info.path, content_hash, info.size_bytes, mtime_ns, info.duration_s, info.width,
             info.height, info.codec, info.time_base.numerator, info.time_base.denominator,
             str(info.frame_rate) if info.frame_rate else None, utc_to_us(clock.start_utc), clock.start_pts,
             clock.source, json.dumps(settings, sort_keys=True), _now_us()),
        )
    return int(cursor.lastrowid or 0)


def record_failure(
    conn: sqlite3.Connection, *, camera_id: int, path: str, size_bytes: int, mtime_ns: int,
    content_hash: str | None, error: str,
) -> None:
    """Remember a file that could not be indexed at all, so ``footage status`` lists it."""
    with transaction(conn):
        conn.execute("DELETE FROM recordings WHERE path = ?", (path,))
        conn.execute(
            """INSERT INTO recordings (camera_id, path, content_hash, size_bytes, mtime_ns, status, error,
                   updated_utc_us) VALUES (?, ?, ?, ?, ?, 'failed', ?, ?)""",
            (camera_id, path, content_hash, size_bytes, mtime_ns, error, _now_us()),
        )


def finish_recording(
    conn: sqlite3.Connection,
    recording_id: int,
    *,
    camera_id: int,
    tracks: Sequence[IndexedTrack],
    status: str,
    error: str | None,
    first_s: float,
    indexed_s: float,
    moments: Sequence[StoredMoment] = (),
    end_utc_us: int | None = None,
) -> None:
    """Store all tracks and moments of a recording and its final status in one transaction, so a
    recording is either complete in the index or not visible at all. ``first_s`` and
    ``indexed_s`` are the media times of the first and last analysed frames; ``end_utc_us`` is
    where the recording ends on the wall clock (by default, its last analysed frame)."""
    with transaction(conn):
        store_recording(conn, recording_id, camera_id=camera_id, tracks=tracks, status=status, error=error,
                        first_s=first_s, indexed_s=indexed_s, end_utc_us=end_utc_us)
        insert_moments(conn, recording_id, camera_id, moments)


def store_recording(
    conn: sqlite3.Connection,
    recording_id: int,
    *,
    camera_id: int,
    tracks: Sequence[IndexedTrack],
    status: str,
    error: str | None,
    first_s: float,
    indexed_s: float,
    end_utc_us: int | None = None,
) -> None:
    """:func:`finish_recording` without moments, inside the caller's transaction (the index
    writer then finds the moments of the camera's timeline around it)."""
    conn.execute("DELETE FROM tracks WHERE recording_id = ?", (recording_id,))
    conn.executemany(
        """INSERT INTO tracks (recording_id, camera_id, local_id, label, first_pts, last_pts,
               first_utc_us, last_utc_us, confidence, box_count, boxes, thumbnail, upper_colour, lower_colour, poses)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [
            (recording_id, camera_id, s.track.track_id, s.track.label, s.track.first_pts, s.track.last_pts,
             s.first_utc_us, s.last_utc_us, s.confidence, len(s.track.boxes), encode_boxes(s.track.boxes),
             s.thumbnail, s.track.appearance.upper, s.track.appearance.lower, encode_poses(s.poses) if s.poses else None)
            for s in tracks
        ],
    )
    ids = dict(conn.execute("SELECT local_id, id FROM tracks WHERE recording_id = ?", (recording_id,)).fetchall())
    insert_people(conn, ids, tracks)
    conn.execute(
        """UPDATE recordings SET status = ?, error = ?, first_s = ?, indexed_s = ?, updated_utc_us = ?,
               end_utc_us = COALESCE(?, start_utc_us + CAST(1000000 * ? AS INTEGER)) WHERE id = ?""",
        (status, error, first_s, indexed_s, _now_us(), end_utc_us, indexed_s, recording_id),
    )


def set_status(conn: sqlite3.Connection, recording_id: int, status: str, error: str | None) -> None:
    """Change a recording's status (used when indexing is interrupted)."""
    conn.execute(
        "UPDATE recordings SET status = ?, error = ?, updated_utc_us = ? WHERE id = ?",
        (status, error, _now_us(), recording_id),
    )


@dataclass(frozen=True)
class TrackFilter:
    """Which tracks to list; every field is optional. Times are aware datetimes, a half-open range
    (:mod:`footage.store.filters`): tracks still there at ``since``, started before ``until``;
    ``ids`` picks tracks by their index id."""

    camera: str | None = None
    label: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    recording: str | None = None
    ids: tuple[int, ...] | None = None


def list_tracks(conn: sqlite3.Connection, where: TrackFilter, *, with_boxes: bool = False) -> list[IndexedTrack]:
    """Tracks of visible recordings matching ``where``, by start time then id; their boxes only
    ``with_boxes`` (reading them costs)."""
    found = (Where("t").equal("c.name", where.camera).equal("t.label", where.label)
             .during(where.since, where.until)
             .equal("r.path", where.recording).one_of("t.id", where.ids))
    boxes = ", t.boxes" if with_boxes else ""
    rows = conn.execute(
        f"""SELECT t.id, t.local_id, t.label, t.first_pts, t.last_pts, t.first_utc_us, t.last_utc_us,
                   t.confidence, t.box_count, t.thumbnail, r.path, r.time_base_num, r.time_base_den,
                   c.name AS camera, t.upper_colour, t.lower_colour{boxes}
            FROM tracks t JOIN recordings r ON r.id = t.recording_id JOIN cameras c ON c.id = t.camera_id
            WHERE {found.sql} ORDER BY t.first_utc_us, t.id""",
        found.params,
    ).fetchall()
    people = people_of(conn, (row["id"] for row in rows))
    return [
        IndexedTrack(
            Track(row["local_id"], row["label"], row["first_pts"], row["last_pts"],
                  Fraction(row["time_base_num"], row["time_base_den"]), decode_boxes(row["boxes"]) if with_boxes else (),
                  people.get(row["id"], NOBODY).postures, Appearance(row["upper_colour"], row["lower_colour"]),
                  people.get(row["id"], NOBODY).gestures),
            row["first_utc_us"], row["last_utc_us"], row["confidence"], row["thumbnail"],
            id=row["id"], camera=row["camera"], recording=row["path"], box_count=row["box_count"],
        )
        for row in rows
    ]


def status_summary(conn: sqlite3.Connection) -> IndexStatus:
    """Cameras with their recordings and hours, objects by label (an object followed across
    files counts once), and files with problems."""
    cameras = conn.execute(
        f"""SELECT c.name, COUNT(r.id), COALESCE(SUM(r.indexed_s), 0) / 3600.0
            FROM cameras c LEFT JOIN recordings r ON r.camera_id = c.id AND r.status IN {VISIBLE}
            GROUP BY c.id ORDER BY c.name"""
    ).fetchall()
    labels = conn.execute(
        f"""SELECT t.label, COUNT(*) FROM tracks t JOIN recordings r ON r.id = t.recording_id
            WHERE r.status IN {VISIBLE} AND t.previous_id IS NULL GROUP BY t.label ORDER BY COUNT(*) DESC, t.label"""
    ).fetchall()
    failed = conn.execute(
        "SELECT path, status, COALESCE(error, '') FROM recordings WHERE status NOT IN ('done') ORDER BY path"
    ).fetchall()
    return IndexStatus(
        cameras=tuple((r[0], int(r[1]), float(r[2])) for r in cameras),
        recordings=sum(int(r[1]) for r in cameras),
        hours=sum(float(r[2]) for r in cameras),
        objects_by_label=tuple((r[0], int(r[1])) for r in labels),
        failed=tuple((r[0], r[1], r[2]) for r in failed),
    )
