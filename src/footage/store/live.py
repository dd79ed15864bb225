"""The SQL of live cameras: gaps in recording, each camera's state, the owner's marks that keep a
moment (starred, exported), and what retention reads and removes. Every function takes a
connection and returns frozen records, like the other store modules."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from footage.store.database import transaction
from footage.store.queries import ensure_camera
from footage.store.records import VISIBLE
from footage.time import utc_from_us, utc_to_us

__all__ = [
    "STATES",
    "Gap",
    "LiveStatus",
    "Rehomed",
    "StoredSegment",
    "camera_segments",
    "close_gap",
    "forget_recording",
    "gaps_between",
    "last_recorded_utc",
    "live_statuses",
    "mark_exported",
    "moments_around",
    "open_gap",
    "set_starred",
    "set_state",
]

#: a live camera's states, as the web page and MQTT show them
STATES = ("starting", "recording", "reconnecting", "failed", "stopped")


@dataclass(frozen=True)
class Gap:
    """A time a camera did not record; ``end_utc`` is None while it lasts."""

    id: int
    camera: str
    start_utc: datetime
    end_utc: datetime | None
    reason: str


def open_gap(conn: sqlite3.Connection, camera: str, start_utc: datetime, reason: str) -> int:
    """Record that ``camera`` stopped recording at ``start_utc``; returns the gap's id."""
    camera_id = ensure_camera(conn, camera)
    cursor = conn.execute("INSERT INTO gaps (camera_id, start_utc_us, end_utc_us, reason) VALUES (?, ?, NULL, ?)",
                          (camera_id, utc_to_us(start_utc), reason))
    return int(cursor.lastrowid or 0)


def close_gap(conn: sqlite3.Connection, camera: str, start_utc: datetime, end_utc: datetime, reason: str) -> int:
    """End the camera's open gap (or record a whole one when none is open) at ``end_utc``."""
    camera_id = ensure_camera(conn, camera)
    row = conn.execute("SELECT id FROM gaps WHERE camera_id = ? AND end_utc_us IS NULL ORDER BY start_utc_us DESC LIMIT 1",
                       (camera_id,)).fetchone()
    if row is None:
        cursor = conn.execute("INSERT INTO gaps (camera_id, start_utc_us, end_utc_us, reason) VALUES (?, ?, ?, ?)",
                              (camera_id, utc_to_us(start_utc), utc_to_us(end_utc), reason))
        return int(cursor.lastrowid or 0)
    conn.execute("UPDATE gaps SET end_utc_us = ?, reason = ? WHERE id = ?", (utc_to_us(end_utc), reason, row[0]))
    return int(row[0])


def gaps_between(conn: sqlite3.Connection, camera: str, since: datetime, until: datetime) -> list[Gap]:
    """The camera's gaps that overlap ``[since, until)`` (open ones reach to now), oldest first."""
    rows = conn.execute(
        """SELECT g.id, c.name, g.start_utc_us, g.end_utc_us, g.reason FROM gaps g JOIN cameras c ON c.id = g.camera_id
           WHERE c.name = ? AND g.start_utc_us < ? AND (g.end_utc_us IS NULL OR g.end_utc_us > ?)
           ORDER BY g.start_utc_us""",
        (camera, utc_to_us(until), utc_to_us(since)),
    ).fetchall()
    return [Gap(r[0], r[1], utc_from_us(r[2]), utc_from_us(r[3]) if r[3] is not None else None, r[4]) for r in rows]


@dataclass(frozen=True)
class LiveStatus:
    """A live camera as ``footage run`` last reported it, with its newest moment."""

    camera: str
    state: str
    detail: str
    since_utc: datetime
    updated_utc: datetime
    last_segment_utc: datetime | None
    last_moment_id: int | None
    last_moment_utc: datetime | None
    last_moment_title: str | None


def set_state(conn: sqlite3.Connection, camera: str, state: str, detail: str, now: datetime,
              last_segment_utc: datetime | None = None) -> None:
    """Store the camera's state; ``since`` moves only when the state changes."""
    if state not in STATES:
        raise ValueError(f"unknown live state {state!r}")
    camera_id = ensure_camera(conn, camera)
    now_us = utc_to_us(now)
    segment_us = utc_to_us(last_segment_utc) if last_segment_utc is not None else None
    with transaction(conn):
        conn.execute(
            """INSERT INTO live_status (camera_id, state, detail, since_utc_us, updated_utc_us, last_segment_utc_us)
               VALUES (?, ?, ?, ?, ?, ?)
               ON CONFLICT (camera_id) DO UPDATE SET
                   since_utc_us = CASE WHEN live_status.state = excluded.state THEN live_status.since_utc_us
                                       ELSE excluded.since_utc_us END,
                   state = excluded.state, detail = excluded.detail, updated_utc_us = excluded.updated_utc_us,
                   last_segment_utc_us = COALESCE(excluded.last_segment_utc_us, live_status.last_segment_utc_us)""",
            (camera_id, state, detail, now_us, now_us, segment_us),
        )


def live_statuses(conn: sqlite3.Connection) -> list[LiveStatus]:
    """Every camera that ``footage run`` or ``footage watch`` has reported on, by name."""
    rows = conn.execute(
        """SELECT c.name, s.state, s.detail, s.since_utc_us, s.updated_utc_us, s.last_segment_utc_us,
                  m.id, m.start_utc_us, m.description
           FROM live_status s JOIN cameras c ON c.id = s.camera_id
           LEFT JOIN moments m ON m.id = (SELECT id FROM moments WHERE camera_id = s.camera_id
                                          ORDER BY start_utc_us DESC LIMIT 1)
           ORDER BY c.name"""
    ).fetchall()
    return [
        LiveStatus(r[0], r[1], r[2], utc_from_us(r[3]), utc_from_us(r[4]), utc_from_us(r[5]) if r[5] is not None else None,
                   r[6], utc_from_us(r[7]) if r[7] is not None else None, r[8])
        for r in rows
    ]


def set_starred(conn: sqlite3.Connection, moment_id: int, starred: bool) -> bool:
    """Star or unstar a moment; False when there is no such moment."""
    cursor = conn.execute("UPDATE moments SET starred = ? WHERE id = ?", (int(starred), moment_id))
    return cursor.rowcount > 0


def mark_exported(conn: sqlite3.Connection, moment_ids: Iterable[int], when: datetime) -> None:
    """Note that moments were exported or shared (retention keeps their recordings)."""
    conn.executemany("UPDATE moments SET exported_utc_us = ? WHERE id = ?", [(utc_to_us(when), i) for i in moment_ids])


#: where a recording ends on the wall clock (``r.end_utc_us``, or its start plus what was indexed)
_END_US = "COALESCE(r.end_utc_us, r.start_utc_us + CAST(r.indexed_s * 1e6 AS INTEGER))"


@dataclass(frozen=True)
class StoredSegment:
    """A camera's recording as retention sees it; ``kept`` when a starred or exported moment of
    the camera starts in it or runs through any part of it (a moment can span several files)."""

    recording_id: int
    path: str
    start_utc: datetime | None
    size_bytes: int
    kept: bool


def camera_segments(conn: sqlite3.Connection, camera: str) -> list[StoredSegment]:
    """Every recording of ``camera`` in the index (any status), oldest first."""
    rows = conn.execute(
        f"""SELECT r.id, r.path, r.start_utc_us, r.size_bytes,
                  EXISTS (SELECT 1 FROM moments m WHERE (m.starred != 0 OR m.exported_utc_us IS NOT NULL)
                          AND (m.recording_id = r.id
                               OR (m.camera_id = r.camera_id AND r.start_utc_us IS NOT NULL
                                   AND m.start_utc_us < {_END_US} AND m.end_utc_us > r.start_utc_us)))
           FROM recordings r JOIN cameras c ON c.id = r.camera_id
           WHERE c.name = ? ORDER BY r.start_utc_us, r.id""",
        (camera,),
    ).fetchall()
    return [StoredSegment(r[0], r[1], utc_from_us(r[2]) if r[2] is not None else None, int(r[3]), bool(r[4]))
            for r in rows]


def last_recorded_utc(conn: sqlite3.Connection, camera: str) -> datetime | None:
    """When the camera's newest indexed recording ends (None before any)."""
    row = conn.execute(
        """SELECT MAX(r.start_utc_us + CAST(r.indexed_s * 1e6 AS INTEGER)) FROM recordings r
           JOIN cameras c ON c.id = r.camera_id WHERE c.name = ? AND r.start_utc_us IS NOT NULL""",
        (camera,),
    ).fetchone()
    return utc_from_us(row[0]) if row is not None and row[0] is not None else None


def moments_around(conn: sqlite3.Connection, recording_id: int, margin_s: float) -> list[int]:
    """The moments of the recording's camera within ``margin_s`` of its wall-clock span (those
    whose clips, with some seconds either side, may hold a part of it), and its own."""
    margin_us = int(margin_s * 1e6)
    rows = conn.execute(
        f"""SELECT m.id FROM moments m JOIN recordings r ON r.id = ?
            WHERE m.recording_id = r.id OR (m.camera_id = r.camera_id AND r.start_utc_us IS NOT NULL
                  AND m.start_utc_us - ? < {_END_US} AND m.end_utc_us + ? > r.start_utc_us)
            ORDER BY m.id""",
        (recording_id, margin_us, margin_us),
    ).fetchall()
    return [int(r[0]) for r in rows]


@dataclass(frozen=True)
class Rehomed:
    """A moment that began in a forgotten recording and now begins in ``recording_id``, the
    first one left that it runs into; ``keyframe`` is its picture (the caller may move it)."""

    moment_id: int
    recording_id: int
    keyframe: str | None


def forget_recording(conn: sqlite3.Connection, recording_id: int) -> list[Rehomed]:
    """Remove a recording with its tracks and moments from the index (its file is the caller's).

    A moment that starts in it but goes on into a later recording of the camera still in the
    index is kept, re-homed there (:func:`_rehome`) rather than deleted; those are returned."""
    with transaction(conn):
        rehomed = _rehome(conn, recording_id)
        conn.execute("DELETE FROM moments WHERE recording_id = ?", (recording_id,))
        conn.execute("DELETE FROM tracks WHERE recording_id = ?", (recording_id,))
        conn.execute("DELETE FROM recordings WHERE id = ?", (recording_id,))
    return rehomed


def _rehome(conn: sqlite3.Connection, recording_id: int) -> list[Rehomed]:
    """Move the moments that start in ``recording_id`` and run on into a later visible recording
    of the camera to the first such one: the start is clipped to that recording's start, the
    media times (``start_s``, ``end_s``, ``key_s``, the events') are shifted into its media time
    (none earlier than the new start), and the forgotten recording's track pieces are dropped
    from ``tracks``; a key frame from the forgotten recording goes too (``keyframe`` NULL). Call
    inside a transaction, before the recording's rows go."""
    old = conn.execute(f"SELECT camera_id, start_utc_us, {_END_US} FROM recordings r WHERE id = ?", (recording_id,)).fetchone()
    if old is None or old[1] is None:
        return []
    camera_id, old_start_us, old_end_us = int(old[0]), int(old[1]), old[2]
    gone = {int(r[0]) for r in conn.execute("SELECT id FROM tracks WHERE recording_id = ?", (recording_id,))}
    moments = conn.execute("SELECT id, start_utc_us, end_utc_us, tracks, keyframe, key_s FROM moments WHERE recording_id = ?",
                           (recording_id,)).fetchall()
    rehomed = []
    for moment_id, start_us, end_us, tracks, keyframe, key_s in moments:
        if old_end_us is not None and start_us >= old_end_us:
            continue  # not a moment of this file's time (stored by hand, or an old index): it goes with it
        target = conn.execute(
            f"""SELECT r.id, r.start_utc_us FROM recordings r
                WHERE r.camera_id = ? AND r.id != ? AND r.status IN {VISIBLE} AND r.start_utc_us IS NOT NULL
                  AND r.start_utc_us > ? AND r.start_utc_us < ? AND {_END_US} > ?
                ORDER BY r.start_utc_us, r.id LIMIT 1""",
            (camera_id, recording_id, old_start_us, end_us, start_us),
        ).fetchone()
        if target is None:
            continue
        new_id, new_start_us = int(target[0]), int(target[1])
        shift_s = (new_start_us - old_start_us) / 1e6
        begin_us = max(int(start_us), new_start_us)
        begin_s = (begin_us - new_start_us) / 1e6
        if key_s is not None and key_s < shift_s:
            keyframe = None  # it shows the forgotten recording: it goes with it
        conn.execute(
            """UPDATE moments SET recording_id = ?, start_utc_us = ?, start_s = ?, end_s = end_s - ?,
                   key_s = CASE WHEN key_s IS NULL THEN NULL ELSE MAX(key_s - ?, ?) END, tracks = ?, keyframe = ?
               WHERE id = ?""",
            (new_id, begin_us, begin_s, shift_s, shift_s, begin_s,
             json.dumps([t for t in json.loads(tracks) if t not in gone]), keyframe, moment_id),
        )
        conn.execute("UPDATE events SET start_s = MAX(start_s - ?, ?), end_s = MAX(end_s - ?, ?) WHERE moment_id = ?",
                     (shift_s, begin_s, shift_s, begin_s, moment_id))
        rehomed.append(Rehomed(int(moment_id), new_id, keyframe))
    return rehomed
