"""The SQL of search: candidate moments for a query, and full-text similarity of descriptions.

The store filters (camera, time, minimum length) and gathers what ranking needs; it does not
rank. Descriptions are indexed with SQLite FTS5 (Porter stemming, so "walks" finds "walked"),
kept in step with ``moments`` by triggers (schema migration 3).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

from footage.store.database import batches
from footage.store.filters import Where
from footage.store.moments import SCORE_JOIN, SCORE_SQL
from footage.store.records import decode_spans
from footage.stored import Candidate, TrackLook
from footage.time import utc_from_us

__all__ = ["CandidateQuery", "camera_names", "find_candidates", "text_similarity"]


@dataclass(frozen=True)
class CandidateQuery:
    """Which moments search should look at. The filters are hard (``since_us``/``until_us`` in
    UTC microseconds, a half-open range, ``min_duration_s`` a lower bound on the whole moment). A moment is a
    candidate when it has an event of one of ``kinds``, a track of one of ``labels``, a track of
    one of ``nearby_labels`` in view while it lasted, or is among ``extra_ids`` (full-text or
    embedding hits); with none of these given, every moment that passes the filters is.

    At most ``limit`` are returned: first those that have the most of ``exact`` (groups of kinds
    or labels, one group per thing the query names, a group counting when any of it is present),
    then the most notable."""

    cameras: tuple[str, ...] = ()
    since_us: int | None = None
    until_us: int | None = None
    min_duration_s: float | None = None
    kinds: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    nearby_labels: tuple[str, ...] = ()
    extra_ids: tuple[int, ...] = ()
    exact_kinds: tuple[tuple[str, ...], ...] = ()
    exact_labels: tuple[tuple[str, ...], ...] = ()
    #: colour names (one group per colour the query names), postures and gestures some track
    #: of the moment should have had; they widen and order the candidates like ``exact``
    colours: tuple[tuple[str, ...], ...] = ()
    postures: tuple[str, ...] = ()
    gestures: tuple[str, ...] = ()
    limit: int = 500


def camera_names(conn: sqlite3.Connection) -> list[str]:
    """Every camera in the index."""
    return [row[0] for row in conn.execute("SELECT name FROM cameras ORDER BY name")]


def _has(column: str, values: Sequence[str], params: list[object], *, kind: bool = False) -> str:
    """SQL true when the comma-separated ``column`` holds one of ``values`` (a span is
    ``kind:seconds``)."""
    if not values:
        return "0"
    params += [f"%,{value}{':' if kind else ','}%" for value in values]
    return "(" + " OR ".join(f"(',' || m.{column} || ',') LIKE ?" for _ in values) + ")"


def _worn(colours: Sequence[str], params: list[object]) -> str:
    """SQL true when one of the moment's tracks wore one of ``colours`` (top or trousers)."""
    marks = ",".join("?" * len(colours))
    params += [*colours, *colours]
    return (f"EXISTS (SELECT 1 FROM json_each(m.tracks) j JOIN tracks wt ON wt.id = j.value "
            f"WHERE wt.upper_colour IN ({marks}) OR wt.lower_colour IN ({marks}))")


def _during(table: str, column: str, names: Sequence[str], params: list[object]) -> str:
    """SQL true when one of the moment's tracks had a span of ``table`` (postures or gestures)
    whose ``column`` is one of ``names`` while it lasted."""
    params += list(names)
    return (f"EXISTS (SELECT 1 FROM json_each(m.tracks) j JOIN {table} ps ON ps.track_id = j.value "
            f"WHERE ps.{column} IN ({','.join('?' * len(names))}) "
            f"AND ps.end_utc_us >= m.start_utc_us AND ps.start_utc_us <= m.end_utc_us)")


def _looks(conn: sqlite3.Connection, rows: Sequence[sqlite3.Row]) -> dict[int, tuple[TrackLook, ...]]:
    """By moment id: how each of its tracks looked (colours, and postures during the moment)."""
    wanted = {t for row in rows for t in json.loads(row["tracks"])}
    tracks: dict[int, tuple[str, str | None, str | None]] = {}
    spans: dict[tuple[str, int], list[tuple[str, int, int]]] = {}
    for chunk, marks in batches(wanted):
        for t in conn.execute(f"SELECT id, label, upper_colour, lower_colour FROM tracks WHERE id IN ({marks})", chunk):
            tracks[t[0]] = (t[1], t[2], t[3])
        for table, column in (("postures", "posture"), ("gestures", "kind")):
            for p in conn.execute(f"SELECT track_id, {column}, start_utc_us, end_utc_us FROM {table} "
                                  f"WHERE track_id IN ({marks})", chunk):
                spans.setdefault((table, p[0]), []).append((p[1], p[2], p[3]))

    def held(table: str, track: int, row: sqlite3.Row) -> frozenset[str]:
        return frozenset(name for name, lo, hi in spans.get((table, track), ())
                         if hi >= row["start_utc_us"] and lo <= row["end_utc_us"])

    return {
        row["id"]: tuple(TrackLook(*tracks[t], held("postures", t, row), held("gestures", t, row))
                         for t in json.loads(row["tracks"]) if t in tracks)
        for row in rows
    }


def find_candidates(conn: sqlite3.Connection, query: CandidateQuery) -> list[Candidate]:
    """The candidate moments, with their labels, co-present labels and event lengths."""
    found = Where("m").one_of("c.name", query.cameras or None).during(query.since_us, query.until_us)
    found.lasting(query.min_duration_s)
    params = found.params
    widen: list[str] = []
    if query.kinds:
        widen.append(_has("spans", query.kinds, params, kind=True))
    if query.labels:
        widen.append(_has("labels", query.labels, params))
    if query.nearby_labels:
        widen.append(_has("seen", query.nearby_labels, params))
    widen += [_worn(group, params) for group in query.colours]
    if query.postures:
        widen.append(_during("postures", "posture", query.postures, params))
    if query.gestures:
        widen.append(_during("gestures", "kind", query.gestures, params))
    if query.extra_ids:
        widen.append("m.id IN (SELECT value FROM json_each(?))")
        params.append(json.dumps(list(query.extra_ids)))
    if widen:
        found.add("(" + " OR ".join(widen) + ")")
    priority_params: list[object] = []
    priority = [f"CASE WHEN {_has('spans', group, priority_params, kind=True)} THEN 1 ELSE 0 END"
                for group in query.exact_kinds]
    priority += [f"CASE WHEN {_has('labels', group, priority_params)} THEN 1 ELSE 0 END" for group in query.exact_labels]
    priority += [f"CASE WHEN {_worn(group, priority_params)} THEN 1 ELSE 0 END" for group in query.colours]
    priority += [f"CASE WHEN {_during('postures', 'posture', (p,), priority_params)} THEN 1 ELSE 0 END"
                 for p in query.postures]
    priority += [f"CASE WHEN {_during('gestures', 'kind', (g,), priority_params)} THEN 1 ELSE 0 END"
                 for g in query.gestures]
    order = f"{' + '.join(priority)} DESC, " if priority else ""
    rows = conn.execute(
        f"""SELECT m.id, c.name AS camera, r.path, m.kind, m.start_utc_us, m.end_utc_us, m.start_s, m.end_s, m.people,
                   m.labels, m.spans, m.seen, m.tracks, m.description, m.keyframe,
                   {SCORE_SQL} AS score
            FROM moments m JOIN recordings r ON r.id = m.recording_id JOIN cameras c ON c.id = m.camera_id {SCORE_JOIN}
            WHERE {found.sql} ORDER BY {order}score DESC, m.id LIMIT ?""",
        [*params, *priority_params, query.limit],
    ).fetchall()
    looks = _looks(conn, rows)
    return [
        Candidate(
            moment_id=row["id"], camera=row["camera"], recording=row["path"], kind=row["kind"],
            start_utc=utc_from_us(row["start_utc_us"]), end_utc=utc_from_us(row["end_utc_us"]),
            start_s=row["start_s"], end_s=row["end_s"], people=row["people"],
            labels=tuple(label for label in row["labels"].split(",") if label),
            nearby=frozenset(label for label in row["seen"].split(",") if label),
            spans=decode_spans(row["spans"]), tracks=tuple(json.loads(row["tracks"])),
            description=row["description"], keyframe=row["keyframe"], notability=row["score"], looks=looks[row["id"]],
        )
        for row in rows
    ]


def text_similarity(conn: sqlite3.Connection, words: Sequence[str], limit: int) -> dict[int, float]:
    """Moment id -> how well its description matches any of ``words`` (BM25 from FTS5, scaled so
    the best match is 1.0), for the ``limit`` best matches."""
    terms = [word.replace('"', "") for word in words if word.replace('"', "").strip()]
    if not terms:
        return {}
    match = " OR ".join(f'"{term}"' for term in terms)
    rows = conn.execute(
        "SELECT rowid, bm25(moments_text) AS rank FROM moments_text WHERE moments_text MATCH ? ORDER BY rank LIMIT ?",
        (match, limit),
    ).fetchall()
    best = min((row[1] for row in rows), default=0.0)
    if best >= 0:
        return {row[0]: 1.0 for row in rows}
    return {row[0]: row[1] / best for row in rows}
