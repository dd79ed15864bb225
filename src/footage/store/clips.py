"""The SQL behind exports: the recordings of a camera that cover a span of wall-clock time."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from footage.store.records import VISIBLE
from footage.stored import CoveringRecording
from footage.time import utc_from_us, utc_to_us

__all__ = ["covering_recordings"]


def covering_recordings(conn: sqlite3.Connection, camera: str, since: datetime, until: datetime) -> list[CoveringRecording]:
    """Visible recordings of ``camera`` with decoded video somewhere in [since, until), by start."""
    rows = conn.execute(
        f"""SELECT r.id, r.path, r.start_utc_us, COALESCE(r.first_s, 0), r.indexed_s FROM recordings r
            JOIN cameras c ON c.id = r.camera_id
            WHERE c.name = ? AND r.status IN {VISIBLE} AND r.start_utc_us IS NOT NULL
              AND r.start_utc_us + CAST(COALESCE(r.first_s, 0) * 1e6 AS INTEGER) < ?
              AND r.start_utc_us + CAST(r.indexed_s * 1e6 AS INTEGER) > ?
            ORDER BY r.start_utc_us, r.id""",
        (camera, utc_to_us(until), utc_to_us(since)),
    ).fetchall()
    return [CoveringRecording(int(r[0]), r[1], utc_from_us(r[2]), float(r[3]), float(r[4])) for r in rows]
