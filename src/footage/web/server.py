"""Serving the review app over HTTP: check that the address can be listened on, then run uvicorn
until stopped."""

from __future__ import annotations

import socket
from collections.abc import Callable

import uvicorn

from footage.errors import FootageError
from footage.web.app import create_app
from footage.web.context import ServeOptions

__all__ = ["check_listen", "serve"]


def serve(options: ServeOptions, port: int, announce: Callable[[str], None]) -> None:
    """Build the app over ``options``, check the address, tell ``announce`` the URL it is served
    at, and serve until Ctrl+C. Raises :class:`FootageError` before serving when it cannot."""
    app = create_app(options)
    check_listen(options.host, port)
    shown = f"[{options.host}]" if ":" in options.host else options.host
    announce(f"http://{shown}:{port}/")
    uvicorn.run(app, host=options.host, port=port, log_level="warning")


def check_listen(host: str, port: int) -> None:
    """Fail with one line, before the server starts, when the port is taken or the address is not
    this computer's (uvicorn would log it and exit with its own status)."""
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    except OSError as exc:
        raise FootageError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc
