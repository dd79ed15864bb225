"""The FastAPI app factory: one app over one index.

``create_app(ServeOptions(...))`` (options from :mod:`footage.web.context`) builds the state the
routes share, registers the routers (:mod:`pages`, :mod:`api`, :mod:`media`, :mod:`public`), the
security rules of :mod:`security`, and the error handlers that turn footage's errors into 4xx
answers (a page for browsers, ``{"detail": ...}`` for ``/api/`` and media), so a bad request never
becomes a 500.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware

from footage.errors import FootageError, MediaError, MediaNotFoundError, QueryError, RequestError, StoreError
from footage.pipeline.embeddings import load_embedder
from footage.store.database import connect, playable_dir, thumbnail_dir
from footage.web import api, media, pages, public, security
from footage.web.context import ServeOptions, WebState
from footage.web.jobs import JobRunner
from footage.web.stars import KEPT_NOTE
from footage.web.templating import add_filters

__all__ = ["create_app"]

log = logging.getLogger(__name__)


def create_app(options: ServeOptions) -> FastAPI:
    """The review app. Raises :class:`FootageError` when the index is missing or unusable, or
    when the address needs a token that is not set."""
    security.check_bind(options.host, options.token)
    connect(options.db_path, create=False).close()  # fail now, with a clear message, not on the first page
    roots = (*options.index_roots, *(Path(p) for p in options.settings.web.index_roots))
    package = resources.files("footage.web")
    templates = Jinja2Templates(directory=str(package / "templates"))
    add_filters(templates.env)
    templates.env.globals["kept_note"] = KEPT_NOTE
    state = WebState(
        options=options, zone=options.settings.zone(), templates=templates,
        jobs=JobRunner(options.db_path, options.settings, roots), embedder=load_embedder(options.settings.search),
        thumbnails=thumbnail_dir(options.db_path).resolve(), playable=playable_dir(options.db_path),
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        state.jobs.close()

    app = FastAPI(title="footage", version="1", lifespan=lifespan, docs_url=None, redoc_url=None,
                  description="Review the moments footage found: cameras, day timelines, moments, search, indexing jobs. "
                              "Every page has a JSON twin under /api/.")
    app.state.web = state
    app.include_router(pages.router)
    app.include_router(api.router)
    app.include_router(media.router)
    app.include_router(public.router)
    app.mount("/static", StaticFiles(directory=str(package / "static")), name="static")
    _add_security(app, options)
    _add_error_handlers(app, templates)
    return app


#: reachable without logging in: the log-in page, the app's own scripts and styles, and share
#: links (``/s/TOKEN/...``), whose routes answer only the files of a link that works
_OPEN_PATHS = ("/login", "/static/", "/s/")
_HEADERS = {
    "X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY", "Referrer-Policy": "same-origin",
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; media-src 'self'; style-src 'self' 'unsafe-inline'; "
                               "object-src 'none'; "
                               "frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
}


def _wants_json(path: str) -> bool:
    return path.startswith(("/api/", "/media/", "/openapi.json"))


def _add_security(app: FastAPI, options: ServeOptions) -> None:
    token = options.token

    @app.middleware("http")
    async def guard(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        path = request.url.path
        if request.method not in ("GET", "HEAD", "OPTIONS") and not security.same_origin(
                request.headers.get("origin"), request.headers.get("host")):
            response: Response = JSONResponse({"detail": "cross-site request refused"}, status_code=403)
        elif path.startswith(_OPEN_PATHS) or security.authorized(
                token, request.headers.get("authorization"), request.cookies.get(security.COOKIE)):
            response = await call_next(request)
        elif _wants_json(path):
            response = JSONResponse({"detail": "log in first: send Authorization: Bearer TOKEN"}, status_code=401,
                                    headers={"WWW-Authenticate": "Bearer"})
        else:
            wanted = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            response = RedirectResponse(f"/login?{urlencode({'next': wanted})}", status_code=303)
        for name, value in _HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(security.allowed_hosts(token, options.host)))


def _status(exc: FootageError) -> int:
    if isinstance(exc, RequestError):
        return exc.status
    if isinstance(exc, MediaError):
        return 404 if isinstance(exc, MediaNotFoundError) else 422
    if isinstance(exc, StoreError):
        return 503
    return 400 if isinstance(exc, QueryError) else 422


def _add_error_handlers(app: FastAPI, templates: Jinja2Templates) -> None:
    def answer(request: Request, status: int, message: str) -> Response:
        if request.url.path.startswith("/s/"):  # strangers with a share link see nothing of the app
            return PlainTextResponse(message, status_code=status)
        if _wants_json(request.url.path):
            return JSONResponse({"detail": message}, status_code=status)
        context: dict[str, Any] = {"status": status, "message": message}
        return templates.TemplateResponse(request, "error.html", context, status_code=status)

    @app.exception_handler(FootageError)
    async def footage_error(request: Request, exc: FootageError) -> Response:
        status = _status(exc)
        if status >= 500:
            log.warning("%s: %s", request.url.path, exc)
        return answer(request, status, str(exc))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        if _wants_json(request.url.path):
            return JSONResponse({"detail": jsonable_encoder(exc.errors())}, status_code=422)
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'][1:])}: {e['msg']}" for e in exc.errors())
        return answer(request, 422, f"bad request: {problems}")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        return answer(request, exc.status_code, str(exc.detail))
