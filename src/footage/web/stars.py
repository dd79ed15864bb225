"""The owner's star on a moment: a starred moment is kept (retention never deletes its recording).
The star is read into each :class:`~footage.web.views.MomentCard` and set here."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from footage.errors import RequestError
from footage.store.live import set_starred

__all__ = ["KEPT_NOTE", "Star", "star_moment"]

#: what the star buttons say about it (their title text)
KEPT_NOTE = "Starred moments are never deleted by retention"


@dataclass(frozen=True)
class Star:
    """A moment's star after a change."""

    id: int
    starred: bool
    url: str


def star_moment(conn: sqlite3.Connection, moment_id: int, starred: bool) -> Star:
    """Star or unstar a moment. Raises :class:`RequestError` (404) for an id the index does not have."""
    if not set_starred(conn, moment_id, starred):
        raise RequestError(f"no moment {moment_id} in the index", 404)
    return Star(moment_id, starred, f"/moments/{moment_id}")
