"""Open the index database: one SQLite file in WAL mode, migrated on open.

Thumbnails and other files the index writes live in folders beside the database file.
"""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from platformdirs import user_data_path

from footage.errors import StoreError
from footage.store.schema import migrate

__all__ = ["cached_copies", "connect", "default_db_path", "moment_clip_stem", "playable_dir", "shares_dir", "thumbnail_dir",
           "transaction"]


#: ids per ``IN (...)`` list: far below SQLite's limit on parameters (32,766)
BATCH = 500


def batches(ids: Iterable[int]) -> Iterator[tuple[list[int], str]]:
    """``ids`` (sorted, without repeats) in lists of at most :data:`BATCH`, each with the
    ``?, ?, ...`` marks of its ``IN (...)``."""
    found = sorted(set(ids))
    for start in range(0, len(found), BATCH):
        chunk = found[start:start + BATCH]
        yield chunk, ",".join("?" * len(chunk))


def default_db_path() -> Path:
    """``index.sqlite`` in the user's data directory (``~/.local/share/footage`` on Linux)."""
    return user_data_path("footage", appauthor=False) / "index.sqlite"


def thumbnail_dir(db_path: Path) -> Path:
    """Where track thumbnails of the index at ``db_path`` are written."""
    return db_path.parent / f"{db_path.stem}-thumbnails"


def playable_dir(db_path: Path) -> Path:
    """Where browser-playable copies of recordings (remuxed or transcoded) are cached."""
    return db_path.parent / f"{db_path.stem}-playable"


def moment_clip_stem(moment_id: int) -> str:
    """How the cached clip of a moment joined from several recordings is named (in :func:`playable_dir`)."""
    return f"moment-{moment_id}"


def cached_copies(db_path: Path, recording_ids: Iterable[int] = (), moment_ids: Iterable[int] = ()) -> list[Path]:
    """The cached browser copies of these recordings (``{id}.mp4``) and clips of these moments
    (``moment-{id}-*.mp4``, their browser copies included) that exist."""
    folder = playable_dir(db_path)
    found = [folder / f"{r}.mp4" for r in recording_ids]
    found = [p for p in found if p.is_file()]
    for moment_id in moment_ids:
        found.extend(p for p in sorted(folder.glob(f"{moment_clip_stem(moment_id)}-*.mp4")) if p.is_file())
    return found


def shares_dir(db_path: Path) -> Path:
    """Where the review app writes share links' folders (one per token: page, clip, poster)."""
    return db_path.parent / f"{db_path.stem}-shares"


def connect(db_path: Path, *, create: bool = True) -> sqlite3.Connection:
    """A connection in autocommit mode (transactions are explicit), WAL, foreign keys on,
    schema migrated. Raises :class:`StoreError` with a readable reason on failure."""
    db_path = Path(db_path)
    if not create and not db_path.exists():
        raise StoreError(f"no index at {db_path}; run `footage index PATH` first")
    try:
        db_path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(db_path, isolation_level=None, timeout=30.0, check_same_thread=False)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
        _ensure_log2(conn)
        migrate(conn)
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"cannot use index {db_path}: {exc}") from exc
    except OSError as exc:
        raise StoreError(f"cannot create index {db_path}: {exc.strerror or exc}") from exc
    return conn


def _ensure_log2(conn: sqlite3.Connection) -> None:
    """Moment scores are computed in SQL with ``log2``; an SQLite built without its math
    functions gets Python's (the same C function)."""
    try:
        conn.execute("SELECT log2(2)")
    except sqlite3.OperationalError:
        conn.create_function("log2", 1, math.log2, deterministic=True)


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """``BEGIN IMMEDIATE`` ... ``COMMIT``, rolled back on any exception."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
