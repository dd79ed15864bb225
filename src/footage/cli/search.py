"""``footage search``: moments found by describing them in plain words."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from footage.cli.args import AddCommand, db_path, user_time
from footage.cli.render import search_json, search_table
from footage.config import load_settings
from footage.errors import FootageError
from footage.pipeline.search import search_moments

__all__ = ["register"]


def register(command: AddCommand) -> None:
    search = command("search", "find moments by describing them in plain words")
    search.add_argument("query", nargs="+", help='e.g. "two people together for more than a minute"')
    search.add_argument("--limit", type=int, default=10, help="at most this many results (default 10)")
    search.add_argument("--camera", help="only this camera")
    search.add_argument("--since", help="ISO time: moments still going on at or after it")
    search.add_argument("--format", choices=("table", "json"), default="table")
    search.add_argument("--config", type=Path, help="settings file (TOML) with a [search] table (docs/search.md)")
    search.add_argument("--no-progress", action="store_true")
    search.set_defaults(run=_cmd_search)


def _cmd_search(args: argparse.Namespace) -> int:
    settings = load_settings(args.config)
    if args.limit < 1:
        raise FootageError(f"--limit must be at least 1, got {args.limit}")
    since = user_time(args.since, settings.zone())
    report = search_moments(db_path(args), " ".join(args.query), limit=args.limit, camera=args.camera, since=since,
                            settings=settings, show_progress=not args.no_progress)
    if args.format == "json":
        print(search_json(report))
        return 0
    print(search_table(report))
    for note in report.notes:
        print(f"footage: {note}", file=sys.stderr)
    return 0
