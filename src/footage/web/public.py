"""Share links, served to anyone who has one, without logging in (``/s/`` is an open path of the
app's guard). Each route answers one of three fixed files of a link that works (its page, its
clip with byte ranges, its poster) and nothing else; a wrong, expired or revoked token gets the
same 404 whatever the reason. The page may use its own inline styles, never scripts."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Path
from fastapi.responses import FileResponse, RedirectResponse

from footage.web.context import State
from footage.web.shares import share_file

__all__ = ["SHARE_HEADERS", "router"]

router = APIRouter(prefix="/s", tags=["share links"])

#: a share page is a stranger's view: no scripts, nothing from elsewhere, no token in a Referer,
#: nothing kept in caches once the link is revoked
SHARE_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; media-src 'self'; "
                               "base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    "Referrer-Policy": "no-referrer", "Cache-Control": "no-store", "X-Robots-Tag": "noindex, nofollow",
}
Token = Annotated[str, Path(description="the share link's token (32 URL-safe characters)")]
_NOT_FOUND = {404: {"description": "a wrong, expired or revoked link (the same answer for each)"}}


def _send(state: State, token: str, name: str) -> FileResponse:
    path, media_type = share_file(state.options.db_path, token, name, datetime.now(UTC))
    return FileResponse(path, media_type=media_type, headers=SHARE_HEADERS)


@router.get("/{token}", response_class=RedirectResponse, status_code=307, responses=_NOT_FOUND,  # type: ignore[arg-type]
            summary="A share link: on to its page (the page's files are named relative to it)")
def link(state: State, token: Token) -> RedirectResponse:
    share_file(state.options.db_path, token, "", datetime.now(UTC))
    return RedirectResponse(f"/s/{token}/", status_code=307, headers=SHARE_HEADERS)


@router.get("/{token}/", response_class=FileResponse, responses=_NOT_FOUND,  # type: ignore[arg-type]
            summary="A share link's page: the moment's redacted clip, its time and description")
def page(state: State, token: Token) -> FileResponse:
    return _send(state, token, "")


@router.get("/{token}/clip.mp4", response_class=FileResponse, responses=_NOT_FOUND,  # type: ignore[arg-type]
            summary="A share link's clip (H.264 MP4, byte ranges served)")
def clip(state: State, token: Token) -> FileResponse:
    return _send(state, token, "clip.mp4")


@router.get("/{token}/poster.jpg", response_class=FileResponse, responses=_NOT_FOUND,  # type: ignore[arg-type]
            summary="A share link's poster (a redacted frame of the clip)")
def poster(state: State, token: Token) -> FileResponse:
    return _send(state, token, "poster.jpg")
