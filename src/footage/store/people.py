"""The SQL of what the index knows about people beyond their boxes: each person's posture spans
and gestures (written with their track, read back the same way for listings and for the
timeline's rules) and the poses looked at (for drawing skeletons)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from footage.store.database import batches
from footage.store.records import IndexedTrack, decode_poses
from footage.types import Gesture, PostureSpan

__all__ = ["NOBODY", "PersonDetails", "insert_people", "people_of", "poses_of"]


@dataclass(frozen=True)
class PersonDetails:
    """A person's posture spans and gestures, each in time order."""

    postures: tuple[PostureSpan, ...] = ()
    gestures: tuple[Gesture, ...] = ()


#: what is known of a track with no posture spans or gestures stored
NOBODY = PersonDetails()


def insert_people(conn: sqlite3.Connection, ids: Mapping[int, int], tracks: Sequence[IndexedTrack]) -> None:
    """Store the posture spans and gestures of ``tracks`` (just inserted: ``ids`` maps their
    local ids to index ids), inside the caller's transaction."""
    conn.executemany(
        """INSERT INTO postures (track_id, posture, start_pts, end_pts, start_utc_us, end_utc_us, confidence)
           VALUES (?, ?, ?, ?, ?, ?, ?)""",
        [(ids[s.track.track_id], span.posture, span.start_pts, span.end_pts, s.utc_us_at(span.start_pts),
          s.utc_us_at(span.end_pts), span.confidence) for s in tracks for span in s.track.postures])
    conn.executemany(
        """INSERT INTO gestures (track_id, kind, start_pts, end_pts, start_utc_us, end_utc_us, confidence, other_local_id)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
        [(ids[s.track.track_id], g.kind, g.start_pts, g.end_pts, s.utc_us_at(g.start_pts), s.utc_us_at(g.end_pts),
          g.confidence, g.other) for s in tracks for g in s.track.gestures])


def people_of(conn: sqlite3.Connection, track_ids: Iterable[int]) -> dict[int, PersonDetails]:
    """The posture spans and gestures of the given tracks (index ids); tracks with neither are left out."""
    postures: dict[int, list[PostureSpan]] = {}
    gestures: dict[int, list[Gesture]] = {}
    for chunk, marks in batches(track_ids):
        for row in conn.execute(f"""SELECT track_id, posture, start_pts, end_pts, confidence FROM postures
                                    WHERE track_id IN ({marks}) ORDER BY track_id, start_pts""", chunk):
            postures.setdefault(row[0], []).append(PostureSpan(row[1], row[2], row[3], row[4]))
        for row in conn.execute(f"""SELECT track_id, kind, start_pts, end_pts, confidence, other_local_id FROM gestures
                                    WHERE track_id IN ({marks}) ORDER BY track_id, start_pts, kind""", chunk):
            gestures.setdefault(row[0], []).append(Gesture(row[1], row[2], row[3], row[4], row[5]))
    return {t: PersonDetails(tuple(postures.get(t, ())), tuple(gestures.get(t, ()))) for t in {*postures, *gestures}}


def poses_of(conn: sqlite3.Connection, track_ids: Iterable[int]) -> dict[int, list[tuple[int, npt.NDArray[np.float32]]]]:
    """The poses looked at on the given tracks (index ids): (pts, (17, 3) keypoints) each, in time order."""
    found = {}
    for chunk, marks in batches(track_ids):
        for track_id, blob in conn.execute(f"SELECT id, poses FROM tracks WHERE id IN ({marks}) AND poses IS NOT NULL",
                                           chunk):
            found[track_id] = decode_poses(blob)
    return found
