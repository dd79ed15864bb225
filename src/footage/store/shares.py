"""Share links: a moment's redacted copy in a folder, served without login to whoever holds the
token until it expires or is revoked. Functions take a connection and return frozen records."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime

from footage.time import utc_from_us, utc_to_us

__all__ = ["Share", "create_share", "delete_share", "get_share", "list_shares", "revoke_share"]


@dataclass(frozen=True)
class Share:
    """One share link. ``folder`` is the share's folder, relative to the index's shares folder;
    ``keep`` the track ids left visible; ``redact`` what was hidden (faces, people, bodies, plates)."""

    token: str
    moment_id: int
    folder: str
    created_utc: datetime
    expires_utc: datetime
    revoked_utc: datetime | None = None
    keep: tuple[int, ...] = ()
    redact: tuple[str, ...] = ()

    def live(self, now: datetime) -> bool:
        """Whether the link still works at ``now`` (aware): not revoked and not expired."""
        return self.revoked_utc is None and now < self.expires_utc


def create_share(conn: sqlite3.Connection, share: Share) -> None:
    """Store a new share (its moment must exist: a foreign key)."""
    conn.execute(
        """INSERT INTO shares (token, moment_id, folder, created_utc_us, expires_utc_us, revoked_utc_us, keep, redact)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
        (share.token, share.moment_id, share.folder, utc_to_us(share.created_utc), utc_to_us(share.expires_utc),
         utc_to_us(share.revoked_utc) if share.revoked_utc else None, json.dumps(list(share.keep)),
         ",".join(share.redact)),
    )


def get_share(conn: sqlite3.Connection, token: str, now: datetime) -> Share | None:
    """The share with ``token`` if it works at ``now``: None when unknown, revoked or expired."""
    row = conn.execute("SELECT * FROM shares WHERE token = ? AND revoked_utc_us IS NULL AND expires_utc_us > ?",
                       (token, utc_to_us(now))).fetchone()
    return _share(row) if row is not None else None


def list_shares(conn: sqlite3.Connection) -> list[Share]:
    """Every share, live or not, newest first."""
    rows = conn.execute("SELECT * FROM shares ORDER BY created_utc_us DESC, token").fetchall()
    return [_share(row) for row in rows]


def revoke_share(conn: sqlite3.Connection, token: str, now: datetime) -> Share | None:
    """Mark a share revoked at ``now``; returns it as it was, or None when unknown or already revoked."""
    row = conn.execute("SELECT * FROM shares WHERE token = ? AND revoked_utc_us IS NULL", (token,)).fetchone()
    if row is None:
        return None
    conn.execute("UPDATE shares SET revoked_utc_us = ? WHERE token = ? AND revoked_utc_us IS NULL", (utc_to_us(now), token))
    return _share(row)


def delete_share(conn: sqlite3.Connection, token: str) -> None:
    """Forget a share altogether (one whose folder could not be written)."""
    conn.execute("DELETE FROM shares WHERE token = ?", (token,))


def _share(row: sqlite3.Row) -> Share:
    return Share(
        token=row["token"], moment_id=int(row["moment_id"]), folder=row["folder"],
        created_utc=utc_from_us(row["created_utc_us"]), expires_utc=utc_from_us(row["expires_utc_us"]),
        revoked_utc=utc_from_us(row["revoked_utc_us"]) if row["revoked_utc_us"] is not None else None,
        keep=tuple(int(t) for t in json.loads(row["keep"] or "[]")),
        redact=tuple(r for r in (row["redact"] or "").split(",") if r),
    )
