"""Share links and clip downloads of the review app: thin adapters around the export pipeline
(:func:`footage.pipeline.share.share_moment`, :func:`footage.pipeline.export.export_clip`) and the
store (:mod:`footage.store.shares`). No SQL and no FastAPI here.

A share link is a random token (``secrets.token_urlsafe(24)``: 32 URL-safe characters, 192 bits)
naming a folder ``<index>-shares/<token>/`` that holds exactly ``index.html``, ``clip.mp4``
(redacted as the user chose) and ``poster.jpg``. Whoever has the link may see those three files,
and nothing else, until it expires or is revoked; revoking deletes the folder.
"""

from __future__ import annotations

import re
import secrets
import shutil
import sqlite3
import tempfile
import time
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, tzinfo
from pathlib import Path

from footage.errors import FootageError, RequestError
from footage.export.redact import REDACTIONS
from footage.pipeline.export import ExportRequest, export_clip
from footage.pipeline.share import share_moment
from footage.store.database import connect, shares_dir
from footage.store.moments import get_moment
from footage.store.shares import Share, create_share, delete_share, get_share, list_shares, revoke_share

__all__ = [
    "DEFAULT_DAYS", "MAX_DAYS", "NOT_FOUND", "SHARE_FILES", "ShareChoice", "ShareView", "create_link", "export_download",
    "is_token", "redactions", "revoke_link", "share_file", "share_views",
]

DEFAULT_DAYS = 7
MAX_DAYS = 365
#: the files a share link serves, by the name in its URL ("" is the page), with their types
SHARE_FILES = {"": ("index.html", "text/html; charset=utf-8"), "clip.mp4": ("clip.mp4", "video/mp4"),
               "poster.jpg": ("poster.jpg", "image/jpeg")}
#: one answer for a wrong, expired or revoked link, so the answer does not tell which
NOT_FOUND = "This share link does not work: it is wrong, has expired or was revoked."
_TOKEN = re.compile(r"[A-Za-z0-9_-]{32}")
#: a download's temporary folder older than this was left by an interrupted download
_STALE_S = 86_400.0


def is_token(text: str) -> bool:
    """Whether ``text`` has the shape of a share token (checked before any database lookup)."""
    return _TOKEN.fullmatch(text) is not None


def redactions(values: list[str] | None) -> frozenset[str]:
    """What to hide from query values like ``faces,people`` (several values add up); ``none`` or
    only empty values hide nothing; no value at all means faces and people. Raises
    :class:`RequestError` (400) for anything else."""
    if values is None:
        return frozenset({"faces", "people"})
    chosen = {part.strip() for value in values for part in value.split(",")} - {"", "none"}
    unknown = chosen - set(REDACTIONS)
    if unknown:
        raise RequestError(f"cannot redact {', '.join(sorted(unknown))}; choose from {', '.join(REDACTIONS)}, none", 400)
    return frozenset(chosen)


@dataclass(frozen=True)
class ShareChoice:
    """What the user chose: track ids to leave visible, what to hide, how many days the link
    works, and an optional caption burnt into the clip."""

    keep: frozenset[int] = frozenset()
    redact: frozenset[str] = frozenset({"faces", "people"})
    days: int = DEFAULT_DAYS
    caption: str | None = None


@dataclass(frozen=True)
class ShareView:
    """A share link as the pages and ``/api/shares`` show it. ``state`` is live, expired or revoked;
    ``url`` is the public page (a path on this server)."""

    token: str
    url: str
    moment_id: int
    moment_url: str
    created: datetime
    expires: datetime
    revoked: datetime | None
    state: str
    keep: tuple[int, ...]
    redact: tuple[str, ...]
    #: what the check of the clip found, when the link was just made (e.g. "checked 70 frames ...")
    check: str | None = None


def _view(share: Share, zone: tzinfo, now: datetime) -> ShareView:
    state = "revoked" if share.revoked_utc is not None else "live" if share.live(now) else "expired"
    return ShareView(share.token, f"/s/{share.token}/", share.moment_id, f"/moments/{share.moment_id}",
                     share.created_utc.astimezone(zone), share.expires_utc.astimezone(zone),
                     share.revoked_utc.astimezone(zone) if share.revoked_utc else None, state, share.keep, share.redact)


def _asked(exc: FootageError) -> FootageError:
    """The export's own refusals (a track to keep that is not in the clip, a bad caption) are the
    request's fault: 400. Media, store and request errors keep their meaning."""
    return RequestError(str(exc), 400) if type(exc) is FootageError else exc


def create_link(conn: sqlite3.Connection, db_path: Path, moment_id: int, choice: ShareChoice, zone: tzinfo,
                now: datetime) -> ShareView:
    """Make a share link: store it, then write its folder (the redacted clip takes a while). A
    failure leaves neither row nor folder. Raises :class:`RequestError` (404 unknown moment, 400
    a bad choice)."""
    if not 1 <= choice.days <= MAX_DAYS:
        raise RequestError(f"a share link works for 1 to {MAX_DAYS} days, not {choice.days}", 400)
    if get_moment(conn, moment_id) is None:
        raise RequestError(f"no moment {moment_id} in the index", 404)
    _prune(conn, db_path, now)
    token = secrets.token_urlsafe(24)
    share = Share(token, moment_id, token, now, now + timedelta(days=choice.days), None, tuple(sorted(choice.keep)),
                  tuple(sorted(choice.redact)))
    create_share(conn, share)  # first, so that pruning never takes the folder for a stray one
    request = ExportRequest(redact=choice.redact, keep=choice.keep, caption=choice.caption or None)
    try:
        made = share_moment(db_path, moment_id, shares_dir(db_path) / token, zone, request)
    except FootageError as exc:
        delete_share(conn, token)
        raise _asked(exc) from exc
    except BaseException:
        delete_share(conn, token)
        raise
    check = made.export.check
    return replace(_view(share, zone, now), check=check.summary() if check else None)


def share_views(conn: sqlite3.Connection, db_path: Path, zone: tzinfo, now: datetime) -> tuple[ShareView, ...]:
    """Every share link, newest first (folders of links that no longer work are deleted on the way)."""
    _prune(conn, db_path, now)
    return tuple(_view(share, zone, now) for share in list_shares(conn))


def revoke_link(conn: sqlite3.Connection, db_path: Path, token: str, now: datetime) -> None:
    """Stop a link working and delete its folder. Raises :class:`RequestError` (404) for a token
    that is unknown or already revoked."""
    share = revoke_share(conn, token, now) if is_token(token) else None
    if share is None:
        raise RequestError(f"no share link {token[:40]!r} to revoke", 404)
    _remove(shares_dir(db_path), share.folder)


def share_file(db_path: Path, token: str, name: str, now: datetime) -> tuple[Path, str]:
    """The file a share URL names and its media type: one of :data:`SHARE_FILES` of a link that
    works at ``now``. Raises :class:`RequestError` (404, :data:`NOT_FOUND`) for anything else; a
    token of the wrong shape is refused before the index is opened."""
    if not is_token(token) or name not in SHARE_FILES:
        raise RequestError(NOT_FOUND, 404)
    conn = connect(db_path, create=False)
    try:
        share = get_share(conn, token, now)
    finally:
        conn.close()
    if share is None:
        raise RequestError(NOT_FOUND, 404)
    file_name, media_type = SHARE_FILES[name]
    folder = shares_dir(db_path).resolve()
    path = (folder / share.folder / file_name).resolve()
    if not path.is_relative_to(folder) or not path.is_file():
        raise RequestError(NOT_FOUND, 404)
    return path, media_type


def export_download(db_path: Path, moment_id: int, choice: ShareChoice) -> tuple[Path, Path, str | None]:
    """Export the moment's clip as chosen into a new temporary folder beside the index; returns
    (the clip, the folder, what the check of the clip found), the caller deletes the folder
    once the clip is sent. Folders an
    interrupted download left behind are deleted after a day."""
    prefix = f".{db_path.stem}-export-"
    for stale in db_path.parent.glob(prefix + "*"):
        if stale.is_dir() and not stale.is_symlink() and time.time() - stale.stat().st_mtime > _STALE_S:
            shutil.rmtree(stale, ignore_errors=True)
    folder = Path(tempfile.mkdtemp(prefix=prefix, dir=db_path.parent))
    try:
        report = export_clip(db_path, ExportRequest(moment_id=moment_id, out=folder / f"moment-{moment_id}.mp4",
                                                    redact=choice.redact, keep=choice.keep, caption=choice.caption or None))
    except FootageError as exc:
        shutil.rmtree(folder, ignore_errors=True)
        raise _asked(exc) from exc
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return report.clip, folder, report.check.summary() if report.check else None


def _prune(conn: sqlite3.Connection, db_path: Path, now: datetime) -> None:
    """Delete the folders of links that no longer work, and token-named folders no link names
    (their moment was re-indexed, which forgets its links)."""
    root = shares_dir(db_path)
    if not root.is_dir():
        return
    working = {share.folder for share in list_shares(conn) if share.live(now)}
    for child in root.iterdir():
        if is_token(child.name) and child.name not in working:
            _remove(root, child.name)


def _remove(root: Path, folder: str) -> None:
    target = root / folder
    if is_token(folder) and target.is_dir() and not target.is_symlink():
        shutil.rmtree(target, ignore_errors=True)
