"""``footage run`` and ``footage watch``: record and watch live cameras until Ctrl+C. The live
package is imported when one of them runs."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from footage.cli.args import AddCommand, db_path
from footage.errors import FootageError

if TYPE_CHECKING:
    from footage.live.cameras import CamerasFile
    from footage.store.records import IndexedMoment

__all__ = ["register"]


def register(command: AddCommand) -> None:
    run = command("run", "record and watch every live camera of a cameras file (docs/live.md) until Ctrl+C")
    run.add_argument("--config", type=Path, default=Path("cameras.toml"),
                     help="cameras file (TOML; default ./cameras.toml)")
    run.set_defaults(run=_cmd_run)

    watch = command("watch", "record and watch one live camera until Ctrl+C")
    watch.add_argument("url", metavar="RTSP_URL", help="the camera's stream, rtsp://user:password@host:554/path")
    watch.add_argument("--camera", required=True, help="the camera's name in the index")
    watch.add_argument("--recordings", type=Path, help="folder for the recorded segments "
                       "(default: <index name>-recordings beside the index)")
    watch.add_argument("--segment-s", type=float, help="length of a segment in seconds (default 60)")
    watch.add_argument("--config", type=Path, help="settings file (TOML: docs/config.md, and [live] and [mqtt] of docs/live.md)")
    watch.set_defaults(run=_cmd_watch)


def _cmd_run(args: argparse.Namespace) -> int:
    from footage.live.cameras import load_cameras

    if not args.config.exists():
        raise FootageError(f"no cameras file at {args.config}; write one (see docs/live.md) or pass --config FILE")
    return _run_live(load_cameras(args.config), db_path(args))


def _cmd_watch(args: argparse.Namespace) -> int:
    from footage.config import override_table, read_toml
    from footage.live.cameras import parse_cameras

    data = read_toml(args.config, "settings") if args.config else {}
    recordings = str(args.recordings) if args.recordings is not None else None
    data = override_table(data, "live", recordings=recordings, segment_s=args.segment_s)
    data["cameras"] = {args.camera: {"url": args.url}}  # the one camera named on the command line
    return _run_live(parse_cameras(data, str(args.config or "the command line")), db_path(args))


def _run_live(config: CamerasFile, db: Path) -> int:
    from footage.live.supervisor import run_until_signalled

    logging.getLogger("footage.live").setLevel(logging.INFO)
    names = ", ".join(c.name for c in config.cameras)
    print(f"footage: recording {names} into {config.live.recordings_root(db)}, index {db} (Ctrl+C stops)",
          file=sys.stderr)

    def show(moment: IndexedMoment) -> None:
        print(f"#{moment.id}  {moment.start_utc.astimezone():%Y-%m-%d %H:%M:%S}  {moment.camera}  {moment.kind}  "
              f"{moment.description}", flush=True)

    run_until_signalled(config, db, show)
    return 0
