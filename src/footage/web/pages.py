"""The HTML pages. Each renders the record its JSON twin in :mod:`footage.web.api` returns (the
API functions are the pages' dependencies), plus the login, the index form and the star buttons'
form (for a browser without JavaScript)."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Form, Path, Query, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from footage.events import EVENT_KINDS
from footage.store.search import camera_names
from footage.web import api, security
from footage.web.context import Connection, Id, State
from footage.web.day import DayView
from footage.web.live import LiveCamera
from footage.web.shares import ShareView
from footage.web.views import CameraCard, MomentDetail, MomentPage

__all__ = ["router"]

router = APIRouter(tags=["pages"], default_response_class=HTMLResponse)


def _render(request: Request, template: str, **context: Any) -> HTMLResponse:
    state = request.app.state.web
    return state.templates.TemplateResponse(request, template, {"zone": state.zone, **context})


@router.get("/", summary="Cameras overview page, with each live camera's state")
def cameras_page(request: Request, cameras: Annotated[tuple[CameraCard, ...], Depends(api.cameras)],
                 live: Annotated[tuple[LiveCamera, ...], Depends(api.live)]) -> HTMLResponse:
    return _render(request, "cameras.html", cameras=cameras, live={camera.camera: camera for camera in live})


@router.get("/cameras/{camera}", summary="Timeline page of a camera")
def timeline_page(request: Request, view: Annotated[DayView, Depends(api.timeline)]) -> HTMLResponse:
    return _render(request, "timeline.html", view=view)


@router.get("/moments", summary="Moment list page")
def moments_page(request: Request, page: Annotated[MomentPage, Depends(api.moments)], conn: Connection) -> HTMLResponse:
    return _render(request, "moments.html", page=page, kinds=EVENT_KINDS, cameras=camera_names(conn))


@router.get("/moments/{moment_id}", summary="Moment page: key frame, video, people and objects")
def moment_page(request: Request, detail: Annotated[MomentDetail, Depends(api.moment)]) -> HTMLResponse:
    return _render(request, "moment.html", detail=detail, overlays=jsonable_encoder(detail.overlays))


@router.post("/moments/{moment_id}/star", summary="Star or unstar a moment (form), then back to the page it was on")
def star_form(request: Request, conn: Connection, moment_id: Id, starred: Annotated[bool, Form()]) -> Response:
    api.star(conn, moment_id, api.StarRequest(starred=starred))
    return RedirectResponse(_back(request.headers.get("referer"), f"/moments/{moment_id}"), status_code=303)


def _back(referer: str | None, default: str) -> str:
    """The path (and query) of the page a form was sent from, else ``default``."""
    if not referer:
        return default
    parts = urlsplit(referer)
    return security.safe_next(parts.path + (f"?{parts.query}" if parts.query else ""))


@router.get("/search", summary="Search page")
def search_page(
    request: Request, state: State, conn: Connection,
    q: Annotated[str, Query(max_length=500)] = "", camera: Annotated[str | None, Query(max_length=200)] = None,
) -> HTMLResponse:
    if not q.strip():
        return _render(request, "search.html", view=None, q="")
    return _render(request, "search.html", view=api.search(state, conn, q, camera), q=q)


@router.get("/jobs", summary="Indexing jobs page, with the form to index a folder")
def jobs_page(request: Request, state: State) -> HTMLResponse:
    return _render(request, "jobs.html", jobs=state.jobs.jobs(), roots=state.jobs.roots)


@router.post("/jobs", summary="Start indexing a folder (form)")
def jobs_form(state: State, path: Annotated[str, Form(max_length=4096)],
              camera: Annotated[str, Form(max_length=100)] = "") -> Response:
    state.jobs.submit(path, camera.strip() or None)
    return RedirectResponse("/jobs", status_code=303)


@router.get("/shares", summary="Share links page: which moment, until when, revoke")
def shares_page(request: Request, shares: Annotated[tuple[ShareView, ...], Depends(api.shares)]) -> HTMLResponse:
    return _render(request, "shares.html", shares=shares)


@router.post("/shares/{token}/revoke", summary="Revoke a share link (form)")
def revoke_form(state: State, conn: Connection, token: Annotated[str, Path(max_length=100)]) -> Response:
    api.revoke(state, conn, token)
    return RedirectResponse("/shares", status_code=303)


@router.get("/login", summary="Log-in page (only when a token is set)")
def login_page(request: Request, next: Annotated[str, Query(max_length=2000)] = "/") -> HTMLResponse:
    return _render(request, "login.html", next=security.safe_next(next), failed=False)


@router.post("/login", summary="Log in with the token")
def login(request: Request, state: State, token: Annotated[str, Form(max_length=1000)],
          next: Annotated[str, Form(max_length=2000)] = "/") -> Response:
    expected = state.options.token
    if expected is None:
        return RedirectResponse(security.safe_next(next), status_code=303)
    if not security.authorized(expected, f"Bearer {token}", None):
        page = _render(request, "login.html", next=security.safe_next(next), failed=True)
        page.status_code = 401
        return page
    response = RedirectResponse(security.safe_next(next), status_code=303)
    response.set_cookie(security.COOKIE, security.session_value(expected), httponly=True, samesite="strict",
                        secure=request.url.scheme == "https")
    return response

