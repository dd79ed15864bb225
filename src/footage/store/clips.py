"""The SQL behind exports: the recordings of a camera that cover a span of wall-clock time, and the
pieces (one per recording) of the tracked objects an export leaves visible."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from datetime import datetime

from footage.store.records import VISIBLE
from footage.stored import CoveringRecording
from footage.time import utc_from_us, utc_to_us

__all__ = ["covering_recordings", "linked_pieces"]


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


def linked_pieces(conn: sqlite3.Connection, track_ids: Iterable[int]) -> frozenset[int]:
    """``track_ids`` with every track linked to them through ``previous_id``, either way and
    transitively: each piece of the same object in the camera's other recordings."""
    found: set[int] = set()
    todo = set(track_ids)
    while todo:
        found |= todo
        marks = ",".join("?" * len(todo))
        rows = conn.execute(f"""SELECT previous_id FROM tracks WHERE id IN ({marks}) AND previous_id IS NOT NULL
                                UNION SELECT id FROM tracks WHERE previous_id IN ({marks})""",
                            [*todo, *todo]).fetchall()
        todo = {int(r[0]) for r in rows} - found
    return frozenset(found)
