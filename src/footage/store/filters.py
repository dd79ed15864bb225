"""The one WHERE builder of the index's list queries (moments, tracks, search candidates).

Every list reads only visible recordings (:data:`VISIBLE`). A time range is half-open, as time
ranges are everywhere in footage: ``since`` keeps what is still there at or after it (its end
``>= since``), ``until`` keeps what started before it (its start ``< until``), so that two
adjacent ranges (one day, the next) never both list a thing that starts on their boundary.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from footage.store.records import VISIBLE
from footage.time import utc_to_us

__all__ = ["Where"]

#: the wall-clock (start, end) columns of each table a list reads
_BOUNDS = {"m": ("m.start_utc_us", "m.end_utc_us"), "t": ("t.first_utc_us", "t.last_utc_us")}


class Where:
    """SQL clauses joined by AND, with their parameters in order. ``alias`` is the table being
    filtered: ``m`` (moments: ``start_utc_us``/``end_utc_us``) or ``t`` (tracks:
    ``first_utc_us``/``last_utc_us``); the query joins ``recordings r`` and ``cameras c``."""

    def __init__(self, alias: str) -> None:
        self._start, self._end = _BOUNDS[alias]
        self._alias = alias
        self._clauses = [f"r.status IN {VISIBLE}"]
        self.params: list[object] = []

    @property
    def sql(self) -> str:
        return " AND ".join(self._clauses)

    def add(self, clause: str, *params: object) -> Where:
        """Any clause, with the parameters its ``?`` marks take."""
        self._clauses.append(clause)
        self.params.extend(params)
        return self

    def equal(self, column: str, value: object | None) -> Where:
        """``column = value``, unless ``value`` is None (no filter)."""
        return self if value is None else self.add(f"{column} = ?", value)

    def one_of(self, column: str, values: Sequence[object] | None) -> Where:
        """``column`` is one of ``values``; None is no filter, an empty sequence matches nothing."""
        if values is None:
            return self
        if not values:
            return self.add("0")
        return self.add(f"{column} IN ({','.join('?' * len(values))})", *values)

    def during(self, since: datetime | int | None, until: datetime | int | None) -> Where:
        """Overlapping the half-open wall-clock range [``since``, ``until``): aware datetimes or
        UTC microseconds; None leaves that side open."""
        if since is not None:
            self.add(f"{self._end} >= ?", _us(since))
        if until is not None:
            self.add(f"{self._start} < ?", _us(until))
        return self

    def lasting(self, min_duration_s: float | None) -> Where:
        """At least ``min_duration_s`` of media time long (moments)."""
        if min_duration_s is None:
            return self
        return self.add(f"{self._alias}.end_s - {self._alias}.start_s >= ?", min_duration_s)


def _us(moment: datetime | int) -> int:
    return utc_to_us(moment) if isinstance(moment, datetime) else moment
