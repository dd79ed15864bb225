"""``footage demo``: index the bundled sample clip into a fresh index and show what was found."""

from __future__ import annotations

import argparse
import shutil
from importlib import resources
from pathlib import Path

from footage.cli.args import AddCommand
from footage.cli.index import print_problems, report_table, run_index
from footage.cli.render import moments_table, search_table, status_text, tracks_table
from footage.config import load_settings
from footage.pipeline.search import search_moments
from footage.store import queries
from footage.store.database import connect, default_db_path
from footage.store.moments import MomentFilter, list_moments

__all__ = ["register"]

_DEMO_SEARCH = "someone who stood at the table for more than 15 seconds"


def register(command: AddCommand) -> None:
    demo = command("demo", "index the bundled sample clip into a fresh index and show what was found")
    demo.add_argument("--no-progress", action="store_true")
    demo.set_defaults(run=_cmd_demo)


def _cmd_demo(args: argparse.Namespace) -> int:
    clip = Path(str(resources.files("footage.sample").joinpath("one-by-one-person-detection.mp4")))
    db = args.db or default_db_path().with_name("demo.sqlite")
    for leftover in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        leftover.unlink(missing_ok=True)
    shutil.rmtree(db.parent / f"{db.stem}-thumbnails", ignore_errors=True)
    print(f"indexing the sample clip {clip.name} (Intel sample-videos, CC BY 4.0) into {db}")
    report = run_index([clip], db, load_settings(), camera="sample", user_start=None,
                       show_progress=not args.no_progress)
    print(report_table(report))
    print_problems(report)
    conn = connect(db, create=False)
    try:
        print()
        print(tracks_table(queries.list_tracks(conn, queries.TrackFilter())))
        print()
        print(moments_table(list_moments(conn, MomentFilter())))
        print()
        print(status_text(queries.status_summary(conn)))
    finally:
        conn.close()
    print(f'\n$ footage search "{_DEMO_SEARCH}" --limit 3')
    print(search_table(search_moments(db, _DEMO_SEARCH, limit=3)))
    print(f"\nlook at it in a browser: footage serve --db {db}")
    return 1 if report.problems else 0
