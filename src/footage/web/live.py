"""Live cameras on the cameras page: what ``footage run`` last said about each camera (recording,
reconnecting after an error, failed, ...), since when, its last segment and newest moment.

A report older than :data:`STALE_AFTER` is not trusted: ``footage run`` reports on each camera
every ``heartbeat_s`` (10 s) while it runs, so silence means it is not running, and the badge says
"no word since" rather than a "recording" that is no longer true. :func:`live_camera` is that
decision, pure; :func:`live_view` reads the index.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from footage.store.live import LiveStatus, live_statuses
from footage.web.templating import clock
from footage.web.views import camera_url

__all__ = ["STALE_AFTER", "LastMoment", "LiveCamera", "is_stale", "live_camera", "live_view"]

#: how long without a report before a camera's state is shown as unknown
STALE_AFTER = timedelta(minutes=2)


@dataclass(frozen=True)
class LastMoment:
    """A live camera's newest moment, and its page."""

    id: int
    title: str
    start: datetime
    url: str


@dataclass(frozen=True)
class LiveCamera:
    """A live camera's badge. ``state`` is what the recorder last reported (one of
    :data:`footage.store.live.STATES`); ``stale`` when that report is older than
    :data:`STALE_AFTER`; ``label`` is what the badge says (the state, or ``no word since
    HH:MM:SS`` when stale); ``detail`` the recorder's words (the last error while reconnecting);
    ``since`` when the state began, ``updated`` the last report."""

    camera: str
    state: str
    stale: bool
    label: str
    detail: str
    since: datetime
    updated: datetime
    last_segment: datetime | None
    last_moment: LastMoment | None
    url: str


def is_stale(status: LiveStatus, now: datetime) -> bool:
    """Whether the recorder has been silent too long to trust its report. A camera reported
    "stopped" expects no further word, so it is never stale."""
    return status.state != "stopped" and now - status.updated_utc > STALE_AFTER


def live_camera(status: LiveStatus, zone: tzinfo, now: datetime) -> LiveCamera:
    """The badge of one camera's report at ``now`` (aware), with times in ``zone``."""
    stale = is_stale(status, now)
    updated = status.updated_utc.astimezone(zone)
    label = status.state
    if stale:
        label = f"no word since {clock(updated, with_day=updated.date() != now.astimezone(zone).date())}"
    last_moment = None
    if status.last_moment_id is not None and status.last_moment_utc is not None:
        last_moment = LastMoment(status.last_moment_id, status.last_moment_title or f"moment {status.last_moment_id}",
                                 status.last_moment_utc.astimezone(zone), f"/moments/{status.last_moment_id}")
    return LiveCamera(
        camera=status.camera, state=status.state, stale=stale, label=label, detail=status.detail,
        since=status.since_utc.astimezone(zone), updated=updated,
        last_segment=status.last_segment_utc.astimezone(zone) if status.last_segment_utc is not None else None,
        last_moment=last_moment, url=camera_url(status.camera),
    )


def live_view(conn: sqlite3.Connection, zone: tzinfo, now: datetime) -> tuple[LiveCamera, ...]:
    """Every camera ``footage run`` has reported on, by name."""
    return tuple(live_camera(status, zone, now) for status in live_statuses(conn))
