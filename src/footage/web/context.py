"""What every route may use, and how a route asks for it: the serve options, the state built once
by :func:`footage.web.app.create_app`, and one index connection per request, as FastAPI
dependencies. Routers import this module; only the app factory imports the routers, so no route
module imports the app."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import tzinfo
from pathlib import Path as FilePath
from typing import Annotated

from fastapi import Depends, Path, Request
from fastapi.templating import Jinja2Templates

from footage.config import Settings
from footage.search.semantic import Embedder
from footage.store.database import connect
from footage.web.jobs import JobRunner

__all__ = ["MAX_ID", "Connection", "Id", "ServeOptions", "State", "WebState", "open_connection", "web_state"]


@dataclass(frozen=True)
class ServeOptions:
    """How to serve: the index file, settings, the address bound (it decides whether a token is
    needed), the token, and extra folders that may be indexed from the jobs page."""

    db_path: FilePath
    settings: Settings = field(default_factory=Settings)
    host: str = "127.0.0.1"
    token: str | None = None
    index_roots: tuple[FilePath, ...] = ()


@dataclass(frozen=True)
class WebState:
    """What every request handler may use; built once by :func:`~footage.web.app.create_app`.
    ``exporting`` is held while a clip is re-encoded for a download or a share link: one at a time."""

    options: ServeOptions
    zone: tzinfo
    templates: Jinja2Templates
    jobs: JobRunner
    embedder: Embedder | None
    thumbnails: FilePath
    playable: FilePath
    exporting: threading.Lock = field(default_factory=threading.Lock)


def web_state(request: Request) -> WebState:
    """A dependency: the app's :class:`WebState`."""
    state: WebState = request.app.state.web
    return state


def open_connection(request: Request) -> Iterator[sqlite3.Connection]:
    """A dependency: one connection to the index per request, closed after it."""
    conn = connect(web_state(request).options.db_path, create=False)
    try:
        yield conn
    finally:
        conn.close()


#: ids are SQLite integers; anything larger cannot name a row
MAX_ID = 2**62
State = Annotated[WebState, Depends(web_state)]
Connection = Annotated[sqlite3.Connection, Depends(open_connection)]
Id = Annotated[int, Path(ge=1, le=MAX_ID)]
