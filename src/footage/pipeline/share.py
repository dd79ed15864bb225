"""A moment as a folder that can be uploaded anywhere: ``index.html`` (a page that plays the clip),
``clip.mp4`` (redacted as asked, faces and people by default) and ``poster.jpg`` (a redacted
frame from the middle of the moment). Nothing in it points outside the folder, and the export's
sidecar (which names the original recording) is left out: the folder is for strangers."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import tzinfo
from importlib import resources
from pathlib import Path

from jinja2 import Environment, select_autoescape

from footage.errors import FootageError
from footage.media.input import open_input
from footage.media.pictures import image
from footage.pipeline.export import ExportReport, ExportRequest, export_clip
from footage.store.database import connect
from footage.store.moments import get_moment

__all__ = ["ShareReport", "share_moment"]


@dataclass(frozen=True)
class ShareReport:
    """The share folder, its page and poster, and the export that made its clip."""

    folder: Path
    page: Path
    poster: Path
    export: ExportReport


def _poster(clip: Path, at_s: float, target: Path) -> None:
    """The frame of the (redacted) clip at ``at_s`` seconds, as JPEG."""
    def unreadable(why: str) -> FootageError:
        return FootageError(f"cannot read back {clip}: {why}")

    picture = None
    with open_input(clip, error=unreadable) as source:
        for frame in source.frames(unreadable):
            picture = frame
            if frame.time is not None and frame.time >= at_s:
                break
    if picture is None:
        raise FootageError(f"{clip} has no frames")
    image(picture).save(target, format="JPEG", quality=85)


def share_moment(db_path: Path, moment_id: int, folder: Path, zone: tzinfo, request: ExportRequest | None = None) -> ShareReport:
    """Write the share folder for a moment into ``folder`` (created; must be empty if it exists).
    ``request`` sets redaction, kept tracks and caption (its moment and output are replaced)."""
    conn = connect(db_path, create=False)
    try:
        moment = get_moment(conn, moment_id)
    finally:
        conn.close()
    if moment is None:
        raise FootageError(f"no moment {moment_id} in the index; `footage events` lists them")
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise FootageError(f"{folder} already exists and is not an empty folder; name a new one")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise FootageError(f"cannot create {folder}: {exc.strerror or exc}") from exc
    try:
        base = request or ExportRequest()
        report = export_clip(db_path, replace(base, moment_id=moment_id, camera=None, out=folder / "clip.mp4", gif=False))
        report.sidecar.unlink()
        poster = folder / "poster.jpg"
        _poster(report.clip, base.pad_s + moment.duration_s / 2, poster)
        start = moment.start_utc.astimezone(zone)
        env = Environment(autoescape=select_autoescape(default=True))
        template = env.from_string(resources.files("footage.export").joinpath("templates/share.html").read_text("utf-8"))
        page = folder / "index.html"
        page.write_text(template.render(
            title=moment.kind.replace("_", " ").capitalize(), when=start.strftime("%A %d %B %Y, %H:%M"),
            camera=moment.camera, length=f"{report.duration_s:.0f} s", description=moment.description,
            clip="clip.mp4", poster="poster.jpg"), encoding="utf-8")
    except BaseException:
        for leftover in folder.iterdir():
            leftover.unlink()
        folder.rmdir()
        raise
    return ShareReport(folder, page, poster, report)
