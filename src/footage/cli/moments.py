"""``footage events`` and ``footage show``: the moments in the index (or in a MOTChallenge track
file), and one moment in full."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from footage.cli.args import AddCommand, db_path, user_time
from footage.cli.render import file_moments_json, file_moments_table, moment_text, moments_json, moments_table
from footage.config import Settings, load_settings
from footage.errors import FootageError
from footage.events import EVENT_KINDS, analyse
from footage.events.score import with_scores
from footage.ingest.mot import read_mot
from footage.pipeline.moments import rebuild_moments
from footage.pipeline.progress import NullProgress, TqdmProgress
from footage.store.database import connect
from footage.store.moments import MomentFilter, get_moment, list_moments
from footage.store.queries import TrackFilter, list_tracks

__all__ = ["register"]


def register(command: AddCommand) -> None:
    events = command("events", "list moments (events merged per story); --rebuild after changing thresholds")
    events.add_argument("--kind", help=f"only moments with an event of this kind: {', '.join(EVENT_KINDS)}")
    events.add_argument("--camera")
    events.add_argument("--since", help="ISO time: moments still going on at or after it")
    events.add_argument("--until", help="ISO time: moments that started before it")
    events.add_argument("--min-duration", type=float, metavar="SECONDS", help="only moments lasting at least this")
    events.add_argument("--sort", choices=("time", "score"), default="time", help="by start time, or most notable first")
    events.add_argument("--limit", type=int, help="at most this many moments")
    events.add_argument("--format", choices=("table", "json"), default="table")
    events.add_argument("--rebuild", action="store_true", help="run the event rules again over the whole index")
    events.add_argument("--config", type=Path, help="settings file (TOML) with an [events] table (docs/events.md)")
    events.add_argument("--from-mot", type=Path, metavar="FILE",
                        help="apply the rules to a MOTChallenge track file (e.g. gt/gt.txt) instead of the index")
    events.add_argument("--fps", type=float, help="frame rate of the --from-mot file's frame numbers")
    events.add_argument("--no-progress", action="store_true")
    events.set_defaults(run=_cmd_events)

    show = command("show", "one moment: its story, events, tracks and key frame")
    show.add_argument("moment_id", type=int, metavar="EVENT_ID", help="a moment id from `footage events`")
    show.add_argument("--format", choices=("text", "json"), default="text")
    show.set_defaults(run=_cmd_show)


def _cmd_events(args: argparse.Namespace) -> int:
    settings = load_settings(args.config)
    if args.kind is not None and args.kind not in EVENT_KINDS:
        raise FootageError(f"unknown event kind {args.kind!r}; known: {', '.join(EVENT_KINDS)}")
    if args.from_mot is not None:
        return _events_from_mot(args, settings)
    if args.fps is not None:
        raise FootageError("--fps goes with --from-mot")
    zone = settings.zone()
    where = MomentFilter(
        camera=args.camera, kind=args.kind, since=user_time(args.since, zone), until=user_time(args.until, zone),
        min_duration_s=args.min_duration, limit=args.limit, order=args.sort,
    )
    if args.rebuild:
        progress = TqdmProgress() if not args.no_progress else NullProgress()
        report = rebuild_moments(db_path(args), settings.events, progress, settings)
        print(f"rebuilt the moments of {report.recordings} recording(s): {report.moments} moment(s)", file=sys.stderr)
        for path in report.missing_files:
            print(f"footage: no key frames for {path}: the file is gone", file=sys.stderr)
    conn = connect(db_path(args), create=False)
    try:
        found = list_moments(conn, where)
    finally:
        conn.close()
    print(moments_json(found) if args.format == "json" else moments_table(found))
    return 0


def _events_from_mot(args: argparse.Namespace, settings: Settings) -> int:
    if args.fps is None:
        raise FootageError("--from-mot needs --fps: the frame rate its frame numbers count")
    if args.rebuild:
        raise FootageError("--from-mot does not touch the index; leave out --rebuild")
    tracks, span = read_mot(args.from_mot, args.fps)
    moments = [
        m for m in with_scores(analyse(tracks, span, settings.events).moments)
        if (args.kind is None or args.kind in m.kinds) and (args.min_duration is None or m.duration_s >= args.min_duration)
    ]
    if args.sort == "score":
        moments.sort(key=lambda m: -m.score)
    moments = moments[: args.limit] if args.limit else moments
    if args.format == "json":
        print(file_moments_json(moments, str(args.from_mot)))
    else:
        print(file_moments_table(moments))
    return 0


def _cmd_show(args: argparse.Namespace) -> int:
    conn = connect(db_path(args), create=False)
    try:
        moment = get_moment(conn, args.moment_id)
        people = list_tracks(conn, TrackFilter(ids=tuple(t for t, _ in moment.tracks))) if moment is not None else []
    finally:
        conn.close()
    if moment is None:
        print(f"footage: no moment {args.moment_id} in the index; `footage events` lists them", file=sys.stderr)
        return 1
    print(moment_text(moment, people, as_json=args.format == "json"))
    return 0
