"""``footage serve``: the review web page. The web app (and FastAPI) is imported when it runs."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from footage.cli.args import AddCommand, db_path
from footage.config import load_settings
from footage.errors import FootageError

__all__ = ["register"]


def register(command: AddCommand) -> None:
    serve = command("serve", "the review web page: cameras, day timelines, moments, search, indexing jobs")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this computer only; "
                       "any other address needs --token)")
    serve.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    serve.add_argument("--token", help="secret that browsers and scripts must present (default: $FOOTAGE_TOKEN)")
    serve.add_argument("--index-root", type=Path, action="append", default=[], metavar="DIR",
                       help="allow indexing files in DIR from the web page (repeatable)")
    serve.add_argument("--config", type=Path, help="settings file (TOML, see docs/config.md)")
    serve.set_defaults(run=_cmd_serve)


def _cmd_serve(args: argparse.Namespace) -> int:
    from footage.web.context import ServeOptions
    from footage.web.server import serve

    if not 0 < args.port < 65536:
        raise FootageError(f"--port must be between 1 and 65535, got {args.port}")
    token = args.token or os.environ.get("FOOTAGE_TOKEN") or None
    options = ServeOptions(db_path=db_path(args), settings=load_settings(args.config), host=args.host, token=token,
                           index_roots=tuple(args.index_root))

    def announce(url: str) -> None:
        print(f"footage: serving {options.db_path} at {url} (Ctrl+C stops)", file=sys.stderr)

    serve(options, args.port, announce)
    return 0
