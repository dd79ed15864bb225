"""``footage index``, ``footage tracks`` and ``footage status``: put recordings into the index, and
list what it holds. The one call into the indexing pipeline is :func:`run_index` (the demo uses it too)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import asdict, replace
from datetime import datetime
from pathlib import Path

from footage.cli.args import AddCommand, db_path, user_time
from footage.cli.render import status_text, table, tracks_json, tracks_mot, tracks_table
from footage.config import Settings, load_settings
from footage.detect import detection_device
from footage.errors import FootageError
from footage.pipeline.index import Spread, index_paths
from footage.pipeline.outcome import IndexReport
from footage.pipeline.progress import NullProgress, TqdmProgress
from footage.pipeline.timeline import camera_stretches
from footage.pose import pose_state
from footage.store import queries
from footage.store.database import connect
from footage.time import utc_from_us

__all__ = ["print_problems", "register", "report_table", "run_index"]


def register(command: AddCommand) -> None:
    index = command("index", "index recordings: files or whole folders (recursive)")
    index.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    index.add_argument("--camera", help="camera name (default: the name of each file's folder)")
    index.add_argument("--detect-fps", type=float, default=None, help="frames analysed per second of video (default 5)")
    index.add_argument("--start", help="wall-clock start of the recording(s), ISO-8601 (default: from the file)")
    index.add_argument("--config", type=Path, help="settings file (TOML, see docs/config.md)")
    index.add_argument("--no-progress", action="store_true", help="no progress bars")
    index.add_argument("--format", choices=("table", "json"), default="table")
    index.add_argument("--workers", type=int, help="analyse in N worker processes on this machine, long recordings "
                       "split into chunks (docs/scale.md)")
    index.add_argument("--ray", metavar="ADDRESS", help="analyse on the Ray cluster at ADDRESS (host:port, or auto for "
                       "the one this machine is part of); needs pip install 'footage[ray]'")
    index.add_argument("--chunk-s", type=float, default=600.0, help="with --workers or --ray: split recordings longer "
                       "than this into chunks of about this many seconds (default 600)")
    index.set_defaults(run=_cmd_index)

    tracks = command("tracks", "list tracked objects")
    tracks.add_argument("--camera")
    tracks.add_argument("--label", help="e.g. person, car, backpack; 'all' for every label (default: all, "
                        "except with --format mot, which lists people as MOTChallenge does)")
    tracks.add_argument("--since", help="ISO time: tracks still present at or after it")
    tracks.add_argument("--until", help="ISO time: tracks that started before it")
    tracks.add_argument("--recording", type=Path, help="only this recording")
    tracks.add_argument("--format", choices=("table", "json", "mot"), default="table")
    tracks.set_defaults(run=_cmd_tracks)

    status = command("status", "cameras, recordings, hours indexed, objects by label, failed files")
    status.add_argument("--format", choices=("table", "json"), default="table")
    status.add_argument("--config", type=Path, help="settings file (TOML, see docs/config.md): how files join into stretches")
    status.set_defaults(run=_cmd_status)


def _cmd_index(args: argparse.Namespace) -> int:
    settings = load_settings(args.config, detect_fps=args.detect_fps)
    user_start = user_time(args.start, settings.zone())
    report = run_index(args.paths, db_path(args), settings, camera=args.camera, user_start=user_start,
                       show_progress=not args.no_progress, spread=_spread(args))
    if args.format == "json":
        print(json.dumps([asdict(o) for o in report.outcomes], indent=2))
    else:
        print(report_table(report))
    print_problems(report)
    return 1 if report.problems else 0


def print_problems(report: IndexReport) -> None:
    """One line per file that failed or was damaged, on stderr."""
    for outcome in report.problems:
        print(f"footage: {outcome.status}: {outcome.path}: {outcome.reason}", file=sys.stderr)


def run_index(
    paths: Sequence[Path],
    db: Path,
    settings: Settings,
    *,
    camera: str | None,
    user_start: datetime | None,
    show_progress: bool,
    spread: Spread | None = None,
) -> IndexReport:
    """Index ``paths`` into ``db``, saying first where detection runs (with progress bars)."""
    progress = TqdmProgress() if show_progress else NullProgress()
    if show_progress:
        if spread is None or spread.executor.local:
            where = spread.executor.describe() if spread is not None else "this process"
            print(f"footage: detecting on {detection_device()}, in {where}", file=sys.stderr)
        else:  # each node uses its own GPU when it has one (its workers log which)
            print(f"footage: detecting on {spread.executor.describe()}", file=sys.stderr)
    return index_paths(paths, db_path=db, detector=None, settings=settings, camera=camera,
                       user_start=user_start, progress=progress, spread=spread)


def _spread(args: argparse.Namespace) -> Spread | None:
    """How ``--workers``/``--ray`` spread indexing (None: in this process, as by default)."""
    if args.workers is not None and args.ray is not None:
        raise FootageError("choose --workers (this machine) or --ray (a cluster), not both")
    if args.chunk_s <= 10:
        raise FootageError(f"--chunk-s must be more than 10 seconds, got {args.chunk_s}")
    if args.ray is not None:
        from footage.pipeline.ray_cluster import RayExecutor

        return Spread(RayExecutor(args.ray), chunk_s=args.chunk_s)
    if args.workers is not None:
        from footage.pipeline.executors import ProcessExecutor

        if args.workers < 1:
            raise FootageError(f"--workers must be at least 1, got {args.workers}")
        return Spread(ProcessExecutor(args.workers), chunk_s=args.chunk_s)
    return None


def report_table(report: IndexReport) -> str:
    """The index report as a table, one row per file."""
    rows = [
        (o.path.rsplit("/", 1)[-1], o.status, o.tracks, o.moments, round(o.media_s, 1),
         f"{o.speed:.0f}x" if o.wall_s else "", o.reason or "")
        for o in report.outcomes
    ]
    return table(("file", "status", "tracks", "moments", "video s", "speed", "note"), rows)


def _cmd_tracks(args: argparse.Namespace) -> int:
    zone = load_settings().zone()
    where = queries.TrackFilter(
        camera=args.camera,
        label=_label_filter(args.label, args.format),
        since=user_time(args.since, zone),
        until=user_time(args.until, zone),
        recording=str(args.recording.resolve()) if args.recording else None,
    )
    conn = connect(db_path(args), create=False)
    try:
        found = queries.list_tracks(conn, where, with_boxes=args.format == "mot")
    finally:
        conn.close()
    text = {"table": tracks_table, "json": tracks_json, "mot": tracks_mot}[args.format](found)
    if text:
        print(text)
    return 0


def _label_filter(label: str | None, output_format: str) -> str | None:
    """MOTChallenge scores people only, so ``--format mot`` lists people unless told otherwise."""
    if label == "all":
        return None
    if label is None and output_format == "mot":
        return "person"
    return label


def _iso(utc_us: int) -> str:
    return utc_from_us(utc_us).isoformat(timespec="seconds").replace("+00:00", "Z")


def _cmd_status(args: argparse.Namespace) -> int:
    conn = connect(db_path(args), create=False)
    try:
        summary = queries.status_summary(conn)
        settings = load_settings(args.config)
        found = camera_stretches(conn, settings)
        summary = replace(summary, stretches=tuple(
            (name, _iso(s.start_us), _iso(s.end_us), round(s.hours, 3), len(s.recordings)) for name, s in found),
            pose=pose_state(settings.pose))
    finally:
        conn.close()
    print(json.dumps(asdict(summary), indent=2) if args.format == "json" else status_text(summary))
    return 0
