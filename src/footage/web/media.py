"""Media routes: recordings as video (byte ranges, so the browser can seek), a moment that runs
across recordings as one clip joined from them (:mod:`footage.web.stitched`), key frames and
thumbnails. A request names a recording, moment or track by id, never by path: the file is the one
the index records for it, and key frames and thumbnails must also lie inside the index's own
folder, so no crafted request can read any other file."""

from __future__ import annotations

from pathlib import Path as FilePath

from fastapi import APIRouter
from fastapi.responses import FileResponse

from footage.errors import MediaNotFoundError, RequestError
from footage.store import review
from footage.store.moments import get_moment
from footage.web.context import Connection, Id, State
from footage.web.playable import playable_video
from footage.web.stitched import moment_plan, stitched_key, stitched_video

__all__ = ["router"]

router = APIRouter(prefix="/media", tags=["media"])

_VIDEO = {200: {"content": {"video/mp4": {}, "video/webm": {}}, "description": "the video (byte ranges served)"},
          206: {"description": "part of the video"}, 404: {"description": "unknown recording, or its file is gone"}}
_JPEG = {200: {"content": {"image/jpeg": {}}}, 404: {"description": "unknown id, or no picture"}}


@router.get("/recordings/{recording_id}/video", response_class=FileResponse, responses=_VIDEO,  # type: ignore[arg-type]
            summary="A recording as a browser can play it")
def video(state: State, conn: Connection, recording_id: Id) -> FileResponse:
    recording = review.get_recording(conn, recording_id)
    if recording is None:
        raise RequestError(f"no recording {recording_id} in the index", 404)
    path = FilePath(recording.path)
    if not path.is_file():
        raise MediaNotFoundError(path, "the recording is gone from disk since it was indexed")
    playable = playable_video(path, state.playable, str(recording_id))
    return FileResponse(playable.path, media_type=playable.media_type, headers={"Cache-Control": "private, max-age=3600"})


@router.get("/moments/{moment_id}/video", response_class=FileResponse, responses=_VIDEO,  # type: ignore[arg-type]
            summary="A moment with its preroll as one video, joined from every recording it runs across")
def moment_video(state: State, conn: Connection, moment_id: Id) -> FileResponse:
    moment = get_moment(conn, moment_id)
    recording = review.recording_of_moment(conn, moment_id)
    if moment is None or recording is None:
        raise RequestError(f"no moment {moment_id} in the index", 404)
    span = moment_plan(conn, moment, state.options.settings.web.preroll_s)
    if span is None:  # it lies in one recording: that file, as the recording's own route serves it
        return video(state, conn, recording.id)
    playable = stitched_video(span.plan, state.playable, stitched_key(moment_id, span.plan))
    return FileResponse(playable.path, media_type=playable.media_type, headers={"Cache-Control": "private, max-age=3600"})


@router.get("/moments/{moment_id}/keyframe.jpg", response_class=FileResponse, responses=_JPEG,  # type: ignore[arg-type]
            summary="A moment's key frame, its subjects boxed")
def keyframe(state: State, conn: Connection, moment_id: Id) -> FileResponse:
    return _picture(state.thumbnails, review.keyframe_of_moment(conn, moment_id), f"moment {moment_id}")


@router.get("/tracks/{track_id}/thumbnail.jpg", response_class=FileResponse, responses=_JPEG,  # type: ignore[arg-type]
            summary="A tracked object's thumbnail")
def thumbnail(state: State, conn: Connection, track_id: Id) -> FileResponse:
    return _picture(state.thumbnails, review.thumbnail_of_track(conn, track_id), f"track {track_id}")


def _picture(folder: FilePath, stored: str | None, what: str) -> FileResponse:
    """The stored picture, only if it is a file inside the index's picture folder."""
    if stored is None:
        raise RequestError(f"no picture for {what}", 404)
    path = FilePath(stored).resolve()
    if not path.is_relative_to(folder) or not path.is_file():
        raise RequestError(f"no picture for {what}", 404)
    return FileResponse(path, media_type="image/jpeg", headers={"Cache-Control": "private, max-age=86400"})
