"""The SQL of a camera's timeline: the recordings and tracks around a time, the links between the
pieces of an object in consecutive recordings, and the moments of a part of the timeline, saved
in place so a growing moment keeps its id. Like the other store modules, every function takes a
connection (and none opens a transaction: the index writer holds one around a recording)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction

from footage.store.database import batches
from footage.store.people import NOBODY, people_of
from footage.store.records import VISIBLE, decode_boxes
from footage.time import WallClock, utc_from_us
from footage.types import Appearance, Track

__all__ = [
    "TRUSTED_CLOCKS",
    "MomentRow",
    "StoredEvent",
    "StoredSpan",
    "TimelineRecording",
    "TimelineTrack",
    "chain_heads",
    "close_ongoing",
    "delete_moments",
    "events_of",
    "link_tracks",
    "moments_near",
    "overlapping",
    "recording",
    "recordings_near",
    "save_moment",
    "set_key",
    "set_keyframe",
    "track_spans",
    "tracks_in",
    "unlink_boundary",
]

#: clock sources precise enough to join files on (a modification time is not)
TRUSTED_CLOCKS = ("user", "filename", "container")


@dataclass(frozen=True)
class TimelineRecording:
    """A visible recording as the timeline sees it: wall-clock bounds (microseconds, end
    exclusive), its clock, the media times of its first and last analysed frames."""

    id: int
    camera_id: int
    path: str
    start_us: int
    end_us: int
    clock: WallClock
    first_s: float
    last_s: float
    status: str

    @property
    def trusted(self) -> bool:
        return self.clock.source in TRUSTED_CLOCKS

    def us_at_seconds(self, media_s: float) -> int:
        return self.clock.us_at_seconds(media_s)

    def media_s(self, utc_us: int) -> float:
        """Media time in this recording of a wall-clock time (past its end for a later one)."""
        return float(self.clock.start_pts * self.clock.time_base) + (utc_us - self.start_us) / 1e6


_RECORDING_COLUMNS = """r.id, r.camera_id, r.path, r.start_utc_us, r.end_utc_us, r.start_pts, r.time_base_num,
    r.time_base_den, r.clock_source, COALESCE(r.first_s, 0), r.indexed_s, r.status"""


def _recording(row: sqlite3.Row | tuple) -> TimelineRecording:  # type: ignore[type-arg]
    clock = WallClock(utc_from_us(row[3]), row[5] or 0, Fraction(row[6], row[7]), row[8] or "unknown")
    return TimelineRecording(row[0], row[1], row[2], row[3], row[4], clock, float(row[9]), float(row[10]), row[11])


def recording(conn: sqlite3.Connection, recording_id: int) -> TimelineRecording | None:
    """One recording, visible or not, if it has a wall-clock start."""
    row = conn.execute(f"SELECT {_RECORDING_COLUMNS} FROM recordings r WHERE r.id = ? AND r.start_utc_us IS NOT NULL",
                       (recording_id,)).fetchone()
    return _recording(row) if row else None


def recordings_near(conn: sqlite3.Connection, camera_id: int, lo_us: int, hi_us: int) -> list[TimelineRecording]:
    """The camera's visible recordings that overlap ``[lo_us, hi_us]``, oldest first."""
    rows = conn.execute(
        f"""SELECT {_RECORDING_COLUMNS} FROM recordings r
            WHERE r.camera_id = ? AND r.status IN {VISIBLE} AND r.end_utc_us >= ? AND r.start_utc_us <= ?
            ORDER BY r.start_utc_us, r.id""", (camera_id, lo_us, hi_us)).fetchall()
    return [_recording(r) for r in rows]


def overlapping(conn: sqlite3.Connection, camera_id: int, start_us: int, end_us: int, *,
                path: str) -> TimelineRecording | None:
    """The visible recording of the camera with a trusted clock (other than the one at ``path``)
    that overlaps ``(start_us, end_us)`` the most, if any does."""
    row = conn.execute(
        f"""SELECT {_RECORDING_COLUMNS} FROM recordings r
            WHERE r.camera_id = ? AND r.status IN {VISIBLE} AND r.path <> ? AND r.clock_source IN {TRUSTED_CLOCKS}
              AND r.end_utc_us > ? AND r.start_utc_us < ?
            ORDER BY MIN(r.end_utc_us, ?) - MAX(r.start_utc_us, ?) DESC LIMIT 1""",
        (camera_id, path, start_us, end_us, end_us, start_us)).fetchone()
    return _recording(row) if row else None


def track_spans(conn: sqlite3.Connection, recording_ids: Sequence[int], lo_us: int, hi_us: int) -> list[tuple[int, int]]:
    """``(first_us, last_us)`` of the tracks of the given recordings that overlap ``[lo_us, hi_us]``."""
    ids = sorted(set(recording_ids))
    if not ids:
        return []
    rows = conn.execute(
        f"""SELECT t.first_utc_us, t.last_utc_us FROM tracks t
            WHERE t.recording_id IN ({",".join("?" * len(ids))}) AND t.last_utc_us >= ? AND t.first_utc_us <= ?""",
        (*ids, lo_us, hi_us)).fetchall()
    return [(int(a), int(b)) for a, b in rows]


@dataclass(frozen=True)
class TimelineTrack:
    """A stored track with its boxes (media time of its recording) and its link."""

    id: int
    recording_id: int
    previous_id: int | None
    track: Track


def tracks_in(conn: sqlite3.Connection, recording_ids: Iterable[int], lo_us: int | None = None,
              hi_us: int | None = None) -> list[TimelineTrack]:
    """The tracks (with boxes) of the given recordings, within ``[lo_us, hi_us]`` when given."""
    ids = sorted(set(recording_ids))
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    clause, params = "", list(ids)
    if lo_us is not None and hi_us is not None:
        clause, params = " AND t.last_utc_us >= ? AND t.first_utc_us <= ?", [*ids, lo_us, hi_us]
    rows = conn.execute(
        f"""SELECT t.id, t.recording_id, t.previous_id, t.local_id, t.label, t.first_pts, t.last_pts, t.boxes,
                   r.time_base_num, r.time_base_den, t.upper_colour, t.lower_colour
            FROM tracks t JOIN recordings r ON r.id = t.recording_id
            WHERE t.recording_id IN ({marks}){clause} ORDER BY t.first_utc_us, t.id""", params).fetchall()
    people = people_of(conn, (r[0] for r in rows))
    return [TimelineTrack(r[0], r[1], r[2], Track(r[3], r[4], r[5], r[6], Fraction(r[8], r[9]), decode_boxes(r[7]),
                                                  people.get(r[0], NOBODY).postures, Appearance(r[10], r[11]),
                                                  people.get(r[0], NOBODY).gestures))
            for r in rows]


def unlink_boundary(conn: sqlite3.Connection, earlier_id: int, later_id: int) -> None:
    """Forget the links into recording ``later_id``'s tracks and out of ``earlier_id``'s (before
    the boundary between the two is linked again: either may have had another neighbour)."""
    conn.execute("UPDATE tracks SET previous_id = NULL WHERE recording_id = ? AND previous_id IS NOT NULL", (later_id,))
    conn.execute("""UPDATE tracks SET previous_id = NULL
                    WHERE previous_id IN (SELECT id FROM tracks WHERE recording_id = ?)""", (earlier_id,))


def link_tracks(conn: sqlite3.Connection, links: Sequence[tuple[int, int]]) -> None:
    """Store ``(earlier_track_id, later_track_id)``: the later piece continues the earlier one."""
    conn.executemany("UPDATE tracks SET previous_id = ? WHERE id = ?", [(a, b) for a, b in links])


@dataclass(frozen=True)
class StoredSpan:
    """A stored moment as matching sees it."""

    id: int
    start_us: int
    end_us: int
    tracks: frozenset[int]
    ongoing: bool
    keyframe: str | None
    key_us: int | None
    recording_id: int
    description: str
    seen: frozenset[str] = frozenset()
    kind: str = ""


def moments_near(conn: sqlite3.Connection, camera_id: int, lo_us: int, hi_us: int) -> list[StoredSpan]:
    """The camera's stored moments that overlap ``[lo_us, hi_us]``."""
    rows = conn.execute(
        """SELECT m.id, m.start_utc_us, m.end_utc_us, m.tracks, m.ongoing, m.keyframe, m.key_s, m.start_s,
                  m.recording_id, m.description, m.seen, m.kind
           FROM moments m WHERE m.camera_id = ? AND m.end_utc_us >= ? AND m.start_utc_us <= ?""",
        (camera_id, lo_us, hi_us)).fetchall()
    return [StoredSpan(r[0], r[1], r[2], frozenset(json.loads(r[3])), bool(r[4]), r[5],
                       r[1] + round((r[6] - r[7]) * 1e6) if r[6] is not None else None, r[8], r[9],
                       frozenset(filter(None, (r[10] or "").split(","))), r[11]) for r in rows]


@dataclass(frozen=True)
class MomentRow:
    """A moment ready for the ``moments`` table: times in media seconds of ``recording_id``
    (the recording it starts in; a moment that goes on into later files ends past its end),
    track and subject ids of the index."""

    recording_id: int
    camera_id: int
    kind: str
    start_s: float
    end_s: float
    start_utc_us: int
    end_utc_us: int
    people: int
    tracks: tuple[int, ...]
    description: str
    base_score: float
    labels: str
    spans: str
    seen: str
    key_s: float
    ongoing: bool
    #: kind, start_s, end_s, key_s, subjects, the tracks of the subjects, facts
    events: tuple[tuple[str, float, float, float, tuple[int, ...], tuple[int, ...], dict[str, float]], ...]


_MOMENT_FIELDS = ("recording_id", "camera_id", "kind", "start_s", "end_s", "start_utc_us", "end_utc_us", "people",
                  "tracks", "description", "base_score", "labels", "spans", "seen", "key_s", "ongoing")


def _values(row: MomentRow) -> list[object]:
    values = [getattr(row, name) for name in _MOMENT_FIELDS]
    values[_MOMENT_FIELDS.index("tracks")] = json.dumps(list(row.tracks))
    values[_MOMENT_FIELDS.index("ongoing")] = int(row.ongoing)
    return values


def save_moment(conn: sqlite3.Connection, moment_id: int | None, row: MomentRow) -> int:
    """Insert a moment, or rewrite stored moment ``moment_id`` in place (its star, export mark
    and share links stay; its embeddings, now stale, go). Returns its id."""
    if moment_id is None:
        marks = ", ".join("?" * len(_MOMENT_FIELDS))
        cursor = conn.execute(f"INSERT INTO moments ({', '.join(_MOMENT_FIELDS)}) VALUES ({marks})", _values(row))
        moment_id = int(cursor.lastrowid or 0)
    else:
        sets = ", ".join(f"{name} = ?" for name in _MOMENT_FIELDS)
        conn.execute(f"UPDATE moments SET {sets} WHERE id = ?", [*_values(row), moment_id])
        conn.execute("DELETE FROM events WHERE moment_id = ?", (moment_id,))
        conn.execute("DELETE FROM embeddings WHERE moment_id = ?", (moment_id,))
    conn.executemany(
        "INSERT INTO events (moment_id, kind, start_s, end_s, key_s, subjects, tracks, facts) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [(moment_id, kind, start, end, key, json.dumps(list(subjects)), json.dumps(list(tracks)), json.dumps(facts))
         for kind, start, end, key, subjects, tracks, facts in row.events])
    return moment_id


@dataclass(frozen=True)
class StoredEvent:
    """A stored event of a moment, on the wall clock (microseconds), with the label of each
    subject (the stored label of the track that names it) and every track of its subjects."""

    moment_id: int
    kind: str
    start_us: int
    end_us: int
    key_us: int
    subjects: tuple[int, ...]
    labels: tuple[str, ...]
    tracks: tuple[int, ...]
    facts: dict[str, float]


def events_of(conn: sqlite3.Connection, moment_ids: Iterable[int]) -> list[StoredEvent]:
    """The events of the given moments. An event's media times are of its moment's recording,
    so its wall clock is the moment's, moved on by the difference; one stored without a key time
    has its middle."""
    ids = sorted(set(moment_ids))
    if not ids:
        return []
    rows = conn.execute(
        f"""SELECT e.moment_id, e.kind, m.start_utc_us + CAST(round((e.start_s - m.start_s) * 1e6) AS INTEGER),
                   m.start_utc_us + CAST(round((e.end_s - m.start_s) * 1e6) AS INTEGER),
                   m.start_utc_us + CAST(round((COALESCE(e.key_s, (e.start_s + e.end_s) / 2) - m.start_s) * 1e6)
                                         AS INTEGER),
                   e.subjects, e.facts, e.tracks
            FROM events e JOIN moments m ON m.id = e.moment_id
            WHERE e.moment_id IN ({",".join("?" * len(ids))}) ORDER BY e.moment_id, e.start_s, e.id""", ids).fetchall()
    subjects = [tuple(int(k) for k in json.loads(r[5]) if k is not None) for r in rows]
    wanted = sorted({k for keys in subjects for k in keys})
    labels: dict[int, str] = {}
    for chunk, marks in batches(wanted):
        labels.update(conn.execute(f"SELECT id, label FROM tracks WHERE id IN ({marks})", chunk).fetchall())
    return [StoredEvent(r[0], r[1], int(r[2]), int(r[3]), int(r[4]), keys,
                        tuple(labels.get(k, "object") for k in keys), tuple(json.loads(r[7]) if r[7] else keys),
                        json.loads(r[6]))
            for r, keys in zip(rows, subjects, strict=True)]


def chain_heads(conn: sqlite3.Connection, track_ids: Iterable[int]) -> dict[int, int]:
    """For each given track, the first piece of the object it belongs to: the track its chain of
    ``previous_id`` links starts at, however far back (the id that names the object in events)."""
    heads: dict[int, int] = {}
    for chunk, marks in batches(track_ids):
        rows = conn.execute(
            f"""WITH RECURSIVE back(track_id, at, previous) AS (
                    SELECT id, id, previous_id FROM tracks WHERE id IN ({marks})
                    UNION
                    SELECT back.track_id, t.id, t.previous_id FROM back JOIN tracks t ON t.id = back.previous)
                SELECT track_id, at FROM back WHERE previous IS NULL""", chunk).fetchall()
        heads.update((int(a), int(b)) for a, b in rows)
    return heads


def set_key(conn: sqlite3.Connection, moment_id: int, key_s: float) -> None:
    """Set a moment's key time (media seconds of its recording), keeping its key frame."""
    conn.execute("UPDATE moments SET key_s = ? WHERE id = ?", (key_s, moment_id))


def set_keyframe(conn: sqlite3.Connection, moment_id: int, path: str | None) -> None:
    conn.execute("UPDATE moments SET keyframe = ? WHERE id = ?", (path, moment_id))


def delete_moments(conn: sqlite3.Connection, ids: Iterable[int]) -> None:
    conn.executemany("DELETE FROM moments WHERE id = ?", [(i,) for i in ids])


def close_ongoing(conn: sqlite3.Connection, camera_id: int) -> list[int]:
    """End the camera's ongoing moments (it stopped recording); returns their ids."""
    ids = [int(r[0]) for r in conn.execute("SELECT id FROM moments WHERE camera_id = ? AND ongoing = 1", (camera_id,))]
    conn.execute("UPDATE moments SET ongoing = 0 WHERE camera_id = ? AND ongoing = 1", (camera_id,))
    return ids
