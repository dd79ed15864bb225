"""The timeline page of one camera: a day (or a zoomed part of it) with the activity strip, the
recorded stretches, the gaps in live recording and the moments as marks. Built from the index; the arithmetic is in
:mod:`footage.web.timeline`."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from urllib.parse import urlencode

from footage.config import WebParams
from footage.errors import RequestError
from footage.store import review
from footage.store.live import gaps_between
from footage.store.moments import MomentFilter, list_moments
from footage.store.records import IndexedMoment
from footage.store.search import camera_names
from footage.web.timeline import (
    ZOOM_LADDER_S,
    ActivityBin,
    Window,
    activity,
    day_window,
    days_with_footage,
    gap_bands,
    lanes,
    placed,
    zoom,
)
from footage.web.views import MomentCard, camera_url, moment_card

__all__ = ["DayView", "GapMark", "Mark", "day_view"]

_ALL_TIME = (datetime(1970, 1, 1, tzinfo=UTC), datetime(9999, 1, 1, tzinfo=UTC))


@dataclass(frozen=True)
class Mark:
    """A moment on the strip: ``left`` and ``width`` are fractions (0-1) of the strip; ``lane`` is
    its row (moments that overlap in time get different rows)."""

    left: float
    width: float
    lane: int
    moment: MomentCard


@dataclass(frozen=True)
class GapMark:
    """A time the camera did not record (``footage run`` lost the stream), on the strip:
    ``left`` and ``width`` are fractions (0-1) of it; ``end`` is None while the gap lasts (the band
    then reaches to now)."""

    left: float
    width: float
    start: datetime
    end: datetime | None
    reason: str


@dataclass(frozen=True)
class DayView:
    """A camera's timeline between ``start`` and ``end`` (a whole day, or zoomed in): activity
    slices, the recorded stretches as (left, width) fractions, the gaps in recording, the moments, and the links to zoom
    and to move to the days before and after that have footage."""

    camera: str
    day: date
    start: datetime
    end: datetime
    span_s: int
    bins: tuple[ActivityBin, ...]
    recorded: tuple[tuple[float, float], ...]
    gaps: tuple[GapMark, ...]
    marks: tuple[Mark, ...]
    days: tuple[date, ...]
    zoom_in_url: str | None
    zoom_out_url: str | None
    earlier_url: str | None
    later_url: str | None
    previous_day_url: str | None
    next_day_url: str | None


def day_view(
    conn: sqlite3.Connection, camera: str, zone: tzinfo, params: WebParams, *,
    day: date | None = None, at: time | None = None, span_s: int = ZOOM_LADDER_S[0], now: datetime | None = None,
) -> DayView:
    """The timeline of ``camera`` on ``day`` (default: its latest day with footage), ``span_s``
    long (one of :data:`ZOOM_LADDER_S`) around the local time ``at`` (default: noon, or the day).
    Without ``at``, zooming in goes to where the moments (or the recordings) are. A gap still open
    reaches to ``now`` (default: the clock's).
    Raises :class:`RequestError` for an unknown camera (404) or a span not on the ladder (400)."""
    if camera not in camera_names(conn):
        raise RequestError(f"no camera named {camera!r} in the index", 404)
    if span_s not in ZOOM_LADDER_S:
        raise RequestError(f"span must be one of {', '.join(map(str, ZOOM_LADDER_S))} seconds, got {span_s}", 400)
    spans = review.recorded_spans(conn, camera, *_ALL_TIME)
    days = days_with_footage([(s.start_utc, s.end_utc) for s in spans], zone)
    day = day or (days[-1] if days else datetime.now(zone).date())
    whole = day_window(day, zone)
    center = datetime.combine(day, at or time(12), tzinfo=zone).astimezone(UTC)
    window = zoom(whole, center, span_s)
    seen = review.seen_spans(conn, camera, window.start_utc, window.end_utc)
    recorded = [(s.start_utc, s.end_utc) for s in review.recorded_spans(conn, camera, window.start_utc, window.end_utc)]
    moments = list_moments(conn, MomentFilter(camera=camera, since=window.start_utc, until=window.end_utc))
    places = [placed(window, m.start_utc, m.end_utc) for m in moments]
    gaps = gaps_between(conn, camera, window.start_utc, window.end_utc)
    bands = gap_bands(window, [(g.start_utc, g.end_utc, g.reason) for g in gaps], now or datetime.now(UTC))
    earlier_days = [d for d in days if d < day]
    later_days = [d for d in days if d > day]

    def link(target_day: date, target: datetime | None, span: int) -> str:
        query: dict[str, object] = {"day": target_day.isoformat(), "span": span}
        if target is not None and span < ZOOM_LADDER_S[0]:
            query["at"] = target.astimezone(zone).strftime("%H:%M:%S")
        return f"{camera_url(camera)}?{urlencode(query)}"

    middle = window.at(0.5) if at is not None else _focus(window, moments, recorded)
    step = ZOOM_LADDER_S.index(span_s)
    shift = timedelta(seconds=span_s * 0.75)
    zoomed = window.span_s < whole.span_s
    return DayView(
        camera=camera, day=day, start=window.start_utc.astimezone(zone), end=window.end_utc.astimezone(zone),
        span_s=span_s, bins=activity(window, params.timeline_bins, [(s.label, s.first_utc, s.last_utc) for s in seen],
                                     recorded),
        recorded=tuple(placed(window, start, end, min_width=0.0) for start, end in recorded),
        gaps=tuple(GapMark(b.left, b.width, b.start_utc.astimezone(zone), None if b.open else b.end_utc.astimezone(zone),
                           b.reason) for b in bands),
        marks=tuple(Mark(left, width, lane, moment_card(m, zone))
                    for (left, width), lane, m in zip(places, lanes(places), moments, strict=True)),
        days=days,
        zoom_in_url=link(day, middle, ZOOM_LADDER_S[step + 1]) if step + 1 < len(ZOOM_LADDER_S) else None,
        zoom_out_url=link(day, middle, ZOOM_LADDER_S[step - 1]) if step > 0 else None,
        earlier_url=link(day, middle - shift, span_s) if zoomed and window.start_utc > whole.start_utc else None,
        later_url=link(day, middle + shift, span_s) if zoomed and window.end_utc < whole.end_utc else None,
        previous_day_url=link(earlier_days[-1], None, ZOOM_LADDER_S[0]) if earlier_days else None,
        next_day_url=link(later_days[0], None, ZOOM_LADDER_S[0]) if later_days else None,
    )


def _focus(window: Window, moments: list[IndexedMoment], recorded: list[tuple[datetime, datetime]]) -> datetime:
    """Where to zoom in when the user has not picked a time: the middle of the moments in view,
    else of the recorded stretches, else of the window."""
    spans = [(m.start_utc, m.end_utc) for m in moments] or recorded
    if not spans:
        return window.at(0.5)
    first = max(min(start for start, _ in spans), window.start_utc)
    last = min(max(end for _, end in spans), window.end_utc)
    return first + (last - first) / 2
