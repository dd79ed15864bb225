"""The SQL for moments: store a recording's moments with their events, list and fetch moments.
Like :mod:`footage.store.queries`, every function takes a connection.

A moment's score (:func:`footage.events.score.notability`) has a part of its own, stored as
``base_score``, and a rarity that depends on the camera's other moments. The rarity is not
stored with the moment: the triggers of schema 6 keep ``moment_counts`` (moments of visible
recordings by camera and headline kind, and the rarity they give) up to date in the transaction
that writes, replaces or deletes moments or changes a recording's visibility, and
:data:`SCORE_SQL` adds the two when moments are read, so storing a recording costs the same on
the first day of a camera as on the hundredth.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction

from footage.store.database import transaction
from footage.store.filters import Where
from footage.store.records import VISIBLE, IndexedEvent, IndexedMoment, encode_spans
from footage.time import WallClock, utc_from_us
from footage.types import Moment

__all__ = [
    "SCORE_JOIN",
    "SCORE_SQL",
    "MomentFilter",
    "RebuildTarget",
    "StoredMoment",
    "count_moments",
    "get_moment",
    "insert_moments",
    "list_moments",
    "recordings_for_rebuild",
    "replace_moments",
]

#: the score of moment ``m`` (:func:`footage.events.score.notability`): its base score plus the
#: rarity kept beside its camera's counts (joined by :data:`SCORE_JOIN`), to three decimals. Scores
#: are never negative, so this rounds half up like ``round(x, 3)``, exact ties being out of reach of
#: a sum of logarithms; it is cheaper than SQLite's ``round``, which formats and parses text, and
#: lists ordered by score compute it for every moment they sort.
SCORE_SQL = "CAST((m.base_score + COALESCE(mc.rarity, 0.0)) * 1000.0 + 0.5 AS INTEGER) / 1000.0"
#: what :data:`SCORE_SQL` reads: the counts of the moment's camera and headline kind
SCORE_JOIN = "LEFT JOIN moment_counts mc ON mc.camera_id = m.camera_id AND mc.kind = m.kind"


@dataclass(frozen=True)
class StoredMoment:
    """A moment to store: what the rules found (subjects and tracks are the recording's local
    track ids), its wall-clock bounds, the key frame written for it, and its score before rarity
    (:func:`footage.events.score.base_score`)."""

    moment: Moment
    start_utc_us: int
    end_utc_us: int
    keyframe: str | None
    base_score: float = 0.0


def insert_moments(conn: sqlite3.Connection, recording_id: int, camera_id: int, moments: Sequence[StoredMoment]) -> None:
    """Replace the moments of a recording; call inside a transaction, after its tracks are
    stored (local track ids are translated to index ids here)."""
    conn.execute("DELETE FROM moments WHERE recording_id = ?", (recording_id,))
    tracks = conn.execute("SELECT local_id, id, label, first_utc_us, last_utc_us FROM tracks WHERE recording_id = ?",
                          (recording_id,)).fetchall()
    local = {row[0]: row[1] for row in tracks}
    for stored in moments:
        m = stored.moment
        seen = sorted({row[2] for row in tracks if row[3] <= stored.end_utc_us and row[4] >= stored.start_utc_us})
        cursor = conn.execute(
            """INSERT INTO moments (recording_id, camera_id, kind, start_s, end_s, start_utc_us, end_utc_us, people,
                   tracks, description, keyframe, base_score, labels, spans, seen, key_s)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            (recording_id, camera_id, m.kind, m.start_s, m.end_s, stored.start_utc_us, stored.end_utc_us, m.people,
             json.dumps([local[t] for t in m.tracks if t in local]), m.description, stored.keyframe, stored.base_score,
             ",".join(m.labels), encode_spans((e.kind, e.duration_s) for e in m.events), ",".join(seen), m.key_s),
        )
        conn.executemany(
            "INSERT INTO events (moment_id, kind, start_s, end_s, key_s, subjects, tracks, facts)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (cursor.lastrowid, e.kind, e.start_s, e.end_s, e.key_s, json.dumps([local.get(s) for s in e.subjects]),
                 json.dumps([local[t] for t in e.tracks if t in local]),
                 json.dumps(dict(e.facts)))
                for e in m.events
            ],
        )


def replace_moments(conn: sqlite3.Connection, recording_id: int, camera_id: int, moments: Sequence[StoredMoment]) -> None:
    """:func:`insert_moments` in its own transaction (``footage events --rebuild``)."""
    with transaction(conn):
        insert_moments(conn, recording_id, camera_id, moments)


@dataclass(frozen=True)
class MomentFilter:
    """Which moments to list; every field is optional. ``since``/``until`` are a half-open range
    (:mod:`footage.store.filters`): moments still going on at ``since``, started before ``until``.
    ``kind`` matches a moment that contains an event of that kind; ``order`` is ``time`` (oldest
    first), ``latest`` (newest first) or ``score``; ``offset`` skips that many (pages of ``limit``)."""

    camera: str | None = None
    kind: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    min_duration_s: float | None = None
    limit: int | None = None
    offset: int = 0
    order: str = "time"


_MOMENT_SELECT = f"""SELECT m.*, {SCORE_SQL} AS score, r.path, c.name AS camera,
           (SELECT group_concat(DISTINCT e.kind) FROM events e WHERE e.moment_id = m.id) AS kinds
    FROM moments m JOIN recordings r ON r.id = m.recording_id JOIN cameras c ON c.id = m.camera_id {SCORE_JOIN}"""


_ORDERS = {"time": "m.start_utc_us, m.id", "latest": "m.start_utc_us DESC, m.id DESC", "score": "score DESC, m.start_utc_us"}


def list_moments(conn: sqlite3.Connection, where: MomentFilter) -> list[IndexedMoment]:
    """Moments of visible recordings matching ``where``, in ``where.order``."""
    clauses, params = _moment_clauses(where)
    limit = f" LIMIT {int(where.limit)} OFFSET {max(0, int(where.offset))}" if where.limit else ""
    rows = conn.execute(f"{_MOMENT_SELECT} WHERE {clauses} ORDER BY {_ORDERS[where.order]}{limit}", params).fetchall()
    labels = _labels(conn, {t for row in rows for t in json.loads(row["tracks"])})
    return [_moment(row, labels) for row in rows]


def count_moments(conn: sqlite3.Connection, where: MomentFilter) -> int:
    """How many moments :func:`list_moments` would list without a limit."""
    clauses, params = _moment_clauses(where)
    return int(conn.execute(f"SELECT COUNT(*) FROM ({_MOMENT_SELECT} WHERE {clauses})", params).fetchone()[0])


def _moment_clauses(where: MomentFilter) -> tuple[str, list[object]]:
    found = (Where("m").equal("c.name", where.camera)
             .during(where.since, where.until)
             .lasting(where.min_duration_s))
    if where.kind is not None:
        found.add("EXISTS (SELECT 1 FROM events e WHERE e.moment_id = m.id AND e.kind = ?)", where.kind)
    return found.sql, found.params


def get_moment(conn: sqlite3.Connection, moment_id: int) -> IndexedMoment | None:
    """One moment with its events, or None."""
    row = conn.execute(f"{_MOMENT_SELECT} WHERE m.id = ? AND r.status IN {VISIBLE}", (moment_id,)).fetchone()
    if row is None:
        return None
    events = tuple(
        IndexedEvent(
            kind=e["kind"],
            start_utc=utc_from_us(row["start_utc_us"] + round((e["start_s"] - row["start_s"]) * 1e6)),
            end_utc=utc_from_us(row["start_utc_us"] + round((e["end_s"] - row["start_s"]) * 1e6)),
            start_s=e["start_s"], end_s=e["end_s"],
            subjects=tuple(s for s in json.loads(e["subjects"]) if s is not None),
            facts=tuple(sorted(json.loads(e["facts"]).items())),
        )
        for e in conn.execute("SELECT * FROM events WHERE moment_id = ? ORDER BY start_s, id", (moment_id,))
    )
    moment = _moment(row, _labels(conn, set(json.loads(row["tracks"]))))
    return IndexedMoment(**{**moment.__dict__, "events": events})


def _labels(conn: sqlite3.Connection, track_ids: set[int]) -> dict[int, str]:
    if not track_ids:
        return {}
    marks = ",".join("?" * len(track_ids))
    return dict(conn.execute(f"SELECT id, label FROM tracks WHERE id IN ({marks})", sorted(track_ids)).fetchall())


def _moment(row: sqlite3.Row, labels: dict[int, str]) -> IndexedMoment:
    return IndexedMoment(
        id=row["id"], camera=row["camera"], recording=row["path"], kind=row["kind"],
        kinds=tuple(sorted(set((row["kinds"] or row["kind"]).split(",")))),
        start_utc=utc_from_us(row["start_utc_us"]), end_utc=utc_from_us(row["end_utc_us"]),
        start_s=row["start_s"], end_s=row["end_s"], people=row["people"],
        tracks=tuple((t, labels.get(t, "?")) for t in json.loads(row["tracks"])),
        description=row["description"], keyframe=row["keyframe"], score=row["score"], key_s=row["key_s"],
        starred=bool(row["starred"]), ongoing=bool(row["ongoing"]),
    )


@dataclass(frozen=True)
class RebuildTarget:
    """A visible recording with what rebuilding its moments needs besides its tracks."""

    recording_id: int
    camera_id: int
    path: str
    clock: WallClock
    first_s: float
    last_s: float


def recordings_for_rebuild(conn: sqlite3.Connection) -> list[RebuildTarget]:
    """Every visible recording, oldest first (read its tracks with ``list_tracks``)."""
    rows = conn.execute(
        f"""SELECT id, camera_id, path, start_utc_us, start_pts, time_base_num, time_base_den, clock_source,
                   COALESCE(first_s, 0) AS first_s, indexed_s
            FROM recordings WHERE status IN {VISIBLE} ORDER BY start_utc_us, id"""
    ).fetchall()
    return [
        RebuildTarget(
            r["id"], r["camera_id"], r["path"],
            WallClock(utc_from_us(r["start_utc_us"]), r["start_pts"] or 0, Fraction(r["time_base_num"], r["time_base_den"]),
                      r["clock_source"] or "unknown"),
            float(r["first_s"]), float(r["indexed_s"]),
        )
        for r in rows
    ]
