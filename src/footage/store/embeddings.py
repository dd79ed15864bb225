"""The SQL for embedding vectors: float32 blobs, one per moment, model and source (the
description's ``text`` vector, the key frame's ``image`` vector)."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from footage.store.database import transaction
from footage.store.records import VISIBLE

__all__ = ["Unembedded", "load", "save", "unembedded"]


@dataclass(frozen=True)
class Unembedded:
    """A moment that has no vector of ``source`` for the model yet."""

    moment_id: int
    source: str
    description: str
    keyframe: str | None


def unembedded(conn: sqlite3.Connection, model: str, sources: Sequence[str]) -> list[Unembedded]:
    """Visible moments lacking a vector of each of ``sources`` ("text", "image") for ``model``;
    an image vector needs a key frame."""
    found: list[Unembedded] = []
    for source in sources:
        keyframe_needed = "AND m.keyframe IS NOT NULL" if source == "image" else ""
        rows = conn.execute(
            f"""SELECT m.id, m.description, m.keyframe FROM moments m JOIN recordings r ON r.id = m.recording_id
                WHERE r.status IN {VISIBLE} {keyframe_needed} AND NOT EXISTS
                    (SELECT 1 FROM embeddings v WHERE v.moment_id = m.id AND v.model = ? AND v.source = ?)
                ORDER BY m.id""",
            (model, source),
        ).fetchall()
        found += [Unembedded(row[0], source, row[1], row[2]) for row in rows]
    return found


def save(conn: sqlite3.Connection, model: str, rows: Sequence[tuple[int, str, np.ndarray]]) -> None:
    """Store ``(moment_id, source, vector)`` rows for ``model`` in one transaction."""
    with transaction(conn):
        conn.executemany(
            "INSERT OR REPLACE INTO embeddings (moment_id, model, source, vector) VALUES (?, ?, ?, ?)",
            [(moment_id, model, source, np.asarray(vector, dtype="<f4").tobytes()) for moment_id, source, vector in rows],
        )


def load(conn: sqlite3.Connection, model: str) -> tuple[np.ndarray, np.ndarray]:
    """Moment ids (one per vector, repeated for text and image) and the vectors as a matrix."""
    rows = conn.execute(
        f"""SELECT v.moment_id, v.vector FROM embeddings v JOIN moments m ON m.id = v.moment_id
            JOIN recordings r ON r.id = m.recording_id WHERE v.model = ? AND r.status IN {VISIBLE}""",
        (model,),
    ).fetchall()
    if not rows:
        return np.zeros(0, dtype=np.int64), np.zeros((0, 0), dtype=np.float32)
    ids = np.array([row[0] for row in rows], dtype=np.int64)
    return ids, np.stack([np.frombuffer(row[1], dtype="<f4") for row in rows])
