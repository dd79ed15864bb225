"""The JSON routes under ``/api/``: one per page, returning the same view record the page shows
(the pages in :mod:`footage.web.pages` use these functions as their dependencies). No SQL here:
each route asks :mod:`views`, :mod:`day`, :mod:`found`, :mod:`live`, :mod:`stars`, :mod:`shares` or
the job runner."""

from __future__ import annotations

import shutil
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Response
from fastapi.responses import FileResponse
from pydantic import AfterValidator, BaseModel, BeforeValidator, Field, StrictBool
from starlette.background import BackgroundTask

from footage.errors import RequestError
from footage.events import EVENT_KINDS
from footage.store.moments import MomentFilter
from footage.web import shares as links
from footage.web.context import MAX_ID, Connection, Id, State
from footage.web.day import DayView, day_view
from footage.web.found import SearchView, search_view
from footage.web.jobs import JobView
from footage.web.live import STALE_AFTER, LiveCamera, live_view
from footage.web.shares import DEFAULT_DAYS, MAX_DAYS, ShareChoice, ShareView
from footage.web.stars import KEPT_NOTE, Star, star_moment
from footage.web.timeline import ZOOM_LADDER_S
from footage.web.views import CameraCard, MomentDetail, MomentPage, cameras_view, moment_detail, moments_view

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["api"])

CameraName = Annotated[str, Path(min_length=1, max_length=200, description="camera name, as on the cameras page")]
Day = Annotated[date | None, Query(description="local calendar day, YYYY-MM-DD (default: the camera's latest with footage)")]
#: the moment list's filter form sends an unset field as ``name=``: that means "any", not a bad value
_BLANK_IS_ANY = BeforeValidator(lambda value: None if value == "" else value)
TrackId = Annotated[int, Field(ge=1, le=MAX_ID)]


def _printable(text: str) -> str:
    if not text.isprintable():
        raise ValueError("a caption is one line of printable text")
    return text


Caption = Annotated[str, Field(min_length=1, max_length=120), AfterValidator(_printable)]


@router.get("/cameras", summary="Cameras: hours indexed and latest moments")
def cameras(state: State, conn: Connection) -> tuple[CameraCard, ...]:
    return cameras_view(conn, state.zone, state.options.settings.web)


@router.get("/live", summary="Live cameras: state (recording, reconnecting, ...), last segment, newest moment",
            description=f"What `footage run` last reported on each camera. A report older than {STALE_AFTER.seconds // 60} min "
                        "is stale (the recorder is not running): `stale` is true and `label` says `no word since` "
                        "its time.")
def live(state: State, conn: Connection) -> tuple[LiveCamera, ...]:
    return live_view(conn, state.zone, datetime.now(UTC))


@router.get("/cameras/{camera}/timeline", summary="A camera's day: activity strip and moments")
def timeline(
    state: State, conn: Connection, camera: CameraName, day: Day = None,
    at: Annotated[time | None, Query(description="local time at the centre of a zoomed view, HH:MM[:SS]")] = None,
    span: Annotated[int, Query(description=f"seconds shown: one of {', '.join(map(str, ZOOM_LADDER_S))}")] = ZOOM_LADDER_S[0],
) -> DayView:
    return day_view(conn, camera, state.zone, state.options.settings.web, day=_checked(day), at=at, span_s=span)


@router.get("/moments", summary="Moments, newest first, with filters")
def moments(
    state: State, conn: Connection,
    camera: Annotated[Annotated[str, Field(max_length=200)] | None, _BLANK_IS_ANY, Query()] = None,
    kind: Annotated[str | None, _BLANK_IS_ANY, Query(description=f"one of {', '.join(EVENT_KINDS)}")] = None,
    day: Annotated[date | None, _BLANK_IS_ANY, Query(description="local calendar day, YYYY-MM-DD")] = None,
    min_duration: Annotated[Annotated[float, Field(ge=0, le=1e7)] | None, _BLANK_IS_ANY, Query(description="seconds")] = None,
    offset: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
) -> MomentPage:
    if kind is not None and kind not in EVENT_KINDS:
        raise RequestError(f"unknown kind {kind!r}; known: {', '.join(EVENT_KINDS)}", 400)
    since = until = None
    if day is not None:
        start = datetime.combine(_checked(day) or day, time(0), tzinfo=state.zone)
        since, until = start.astimezone(UTC), (start + timedelta(days=1)).astimezone(UTC)
    where = MomentFilter(camera=camera, kind=kind, since=since, until=until, min_duration_s=min_duration,
                         limit=state.options.settings.web.page_size, offset=offset, order="latest")
    return moments_view(conn, where, day.isoformat() if day else None, state.zone)


@router.get("/moments/{moment_id}", summary="One moment: events, people and objects, playback")
def moment(state: State, conn: Connection, moment_id: Id) -> MomentDetail:
    return moment_detail(conn, moment_id, state.zone, state.options.settings.web)


class StarRequest(BaseModel):
    """Star a moment, or take its star away."""

    starred: StrictBool = Field(description=f"true to star the moment, false to unstar it. {KEPT_NOTE}.")


@router.post("/moments/{moment_id}/star", summary="Star or unstar a moment (starred moments are kept from retention)",
             responses={404: {"description": "no such moment"}})
def star(conn: Connection, moment_id: Id, body: StarRequest) -> Star:
    return star_moment(conn, moment_id, body.starred)


@router.get("/search", summary="Moments matching a plain-language description")
def search(
    state: State, conn: Connection, q: Annotated[str, Query(max_length=500, description='e.g. "two people together"')],
    camera: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> SearchView:
    settings = state.options.settings
    return search_view(conn, q, camera=camera, limit=limit, params=settings.search, zone=state.zone,
                       embedder=state.embedder)


class JobRequest(BaseModel):
    """Index a file or folder on the server (inside the folders the server allows)."""

    path: str = Field(min_length=1, max_length=4096, description="a file or folder on the server")
    camera: str | None = Field(default=None, max_length=100, description="camera name (default: each file's folder)")


@router.get("/jobs", summary="Indexing jobs, newest first, with progress")
def jobs(state: State) -> tuple[JobView, ...]:
    return state.jobs.jobs()


@router.post("/jobs", status_code=202, summary="Start indexing a folder on the server")
def start_job(state: State, job: JobRequest) -> JobView:
    return state.jobs.submit(job.path, job.camera)


@router.get("/jobs/{job_id}", summary="One indexing job")
def job(state: State, job_id: Annotated[int, Path(ge=1, le=MAX_ID)]) -> JobView:
    return state.jobs.get(job_id)


Redaction = Literal["faces", "people", "bodies", "plates"]


class ShareRequest(BaseModel):
    """Make a share link for a moment. Everyone is hidden unless listed in ``keep`` (people who
    agreed to be shown); ``redact`` empty shares the clip as recorded."""

    keep: tuple[TrackId, ...] = Field(default=(), max_length=100, description="track ids left visible")
    redact: tuple[Redaction, ...] = Field(default=("faces", "people"), max_length=4, description="what to hide")
    days: int = Field(default=DEFAULT_DAYS, ge=1, le=MAX_DAYS, description="how many days the link works")
    caption: Caption | None = Field(default=None, description="a short caption burnt into the clip")


@router.post("/moments/{moment_id}/shares", status_code=201, summary="Make a share link: the moment's clip, redacted")
def create_share(state: State, conn: Connection, moment_id: Id, body: ShareRequest) -> ShareView:
    choice = ShareChoice(frozenset(body.keep), frozenset(body.redact), body.days, body.caption)
    with state.exporting:
        return links.create_link(conn, state.options.db_path, moment_id, choice, state.zone, datetime.now(UTC))


@router.get("/shares", summary="Share links, newest first, live or not")
def shares(state: State, conn: Connection) -> tuple[ShareView, ...]:
    return links.share_views(conn, state.options.db_path, state.zone, datetime.now(UTC))


@router.delete("/shares/{token}", status_code=204, response_class=Response, summary="Revoke a share link (its folder is deleted)")
def revoke(state: State, conn: Connection, token: Annotated[str, Path(max_length=100)]) -> Response:
    links.revoke_link(conn, state.options.db_path, token, datetime.now(UTC))
    return Response(status_code=204)


_MP4 = {200: {"content": {"video/mp4": {}}, "description": "the clip, as a download"},
        400: {"description": "a bad choice (a track to keep that is not in the clip)"}, 404: {"description": "no such moment"}}


@router.get("/moments/{moment_id}/export", response_class=FileResponse, responses=_MP4,  # type: ignore[arg-type]
            summary="Download the moment's clip, faces and people hidden unless kept")
def export(
    state: State, moment_id: Id,
    keep: Annotated[list[TrackId] | None, Query(max_length=100, description="track ids left visible")] = None,
    redact: Annotated[list[Annotated[str, Field(max_length=100)]] | None,
                      Query(max_length=10, description="faces, people, bodies, plates (comma-separated); none")] = None,
    caption: Annotated[Caption | None, _BLANK_IS_ANY, Query(description="a short caption burnt into the clip")] = None,
) -> FileResponse:
    choice = ShareChoice(frozenset(keep or ()), links.redactions(redact), caption=caption)
    with state.exporting:
        clip, folder, check = links.export_download(state.options.db_path, moment_id, choice)
    headers = {"Cache-Control": "no-store"} | ({"X-Footage-Check": check} if check else {})
    return FileResponse(clip, media_type="video/mp4", filename=clip.name, headers=headers,
                        background=BackgroundTask(shutil.rmtree, folder, ignore_errors=True))


def _checked(day: date | None) -> date | None:
    """Days the clock can hold with a day to spare on each side."""
    if day is not None and not date(1971, 1, 1) <= day <= date(9998, 12, 31):
        raise RequestError(f"day {day.isoformat()} is out of range", 400)
    return day

