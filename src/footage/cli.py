"""The ``footage`` command. Thin: parse arguments, call the library, print.

Exit status: 0 success; 1 some files failed or were damaged (the rest was indexed); 2 bad usage
or an unusable index; 130 interrupted.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import sys
from collections.abc import Sequence
from dataclasses import asdict
from datetime import datetime
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from footage import render
from footage.config import Settings, load_settings
from footage.detect import detection_device
from footage.errors import FootageError
from footage.events import EVENT_KINDS, analyse
from footage.events.score import with_scores
from footage.ingest.clock import parse_user_time
from footage.ingest.mot import read_mot
from footage.pipeline.index import Spread, index_paths
from footage.pipeline.moments import rebuild_moments
from footage.pipeline.outcome import IndexReport
from footage.pipeline.progress import NullProgress, TqdmProgress
from footage.pipeline.search import search_moments
from footage.store import queries
from footage.store.database import connect, default_db_path
from footage.store.moments import MomentFilter, get_moment, list_moments

if TYPE_CHECKING:
    from footage.live.cameras import CamerasFile
    from footage.store.records import IndexedMoment

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="footage", description="Find the moments that matter in camera footage.")
    parser.add_argument("-v", "--verbose", action="store_true", help="log what each stage does")
    commands = parser.add_subparsers(dest="command", required=True)

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.add_argument("--db", type=Path, default=None, help=f"index file (default {default_db_path()})")
        return sub

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

    tracks = command("tracks", "list tracked objects")
    tracks.add_argument("--camera")
    tracks.add_argument("--label", help="e.g. person, car, backpack; 'all' for every label (default: all, "
                        "except with --format mot, which lists people as MOTChallenge does)")
    tracks.add_argument("--since", help="ISO time: tracks still present at or after it")
    tracks.add_argument("--until", help="ISO time: tracks that started before it")
    tracks.add_argument("--recording", type=Path, help="only this recording")
    tracks.add_argument("--format", choices=("table", "json", "mot"), default="table")

    status = command("status", "cameras, recordings, hours indexed, objects by label, failed files")
    status.add_argument("--format", choices=("table", "json"), default="table")

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

    show = command("show", "one moment: its story, events, tracks and key frame")
    show.add_argument("moment_id", type=int, metavar="EVENT_ID", help="a moment id from `footage events`")
    show.add_argument("--format", choices=("text", "json"), default="text")

    search = command("search", "find moments by describing them in plain words")
    search.add_argument("query", nargs="+", help='e.g. "two people together for more than a minute"')
    search.add_argument("--limit", type=int, default=10, help="at most this many results (default 10)")
    search.add_argument("--camera", help="only this camera")
    search.add_argument("--since", help="ISO time: moments still going on at or after it")
    search.add_argument("--format", choices=("table", "json"), default="table")
    search.add_argument("--config", type=Path, help="settings file (TOML) with a [search] table (docs/search.md)")
    search.add_argument("--no-progress", action="store_true")

    export = command("export", "cut a moment (or a span of a camera) into a clip, faces and people blurred by default")
    export.add_argument("moment_id", type=int, nargs="?", metavar="EVENT_ID", help="a moment id (footage events, search)")
    export.add_argument("--camera", help="with --from and --to: a span of this camera instead of a moment")
    export.add_argument("--from", dest="start", metavar="TIME", help="ISO time the clip starts")
    export.add_argument("--to", dest="end", metavar="TIME", help="ISO time the clip ends")
    export.add_argument("--out", type=Path, help="the clip, .mp4 (default: CAMERA-YYYYMMDD-HHMMSS.mp4 here)")
    export.add_argument("--redact", default="faces,people", help="what to hide: faces, people (heads of tracked "
                        "people), bodies (everyone not kept, head to foot: for bystanders and children), plates, "
                        "comma-separated, or none for an exact stream copy (default faces,people); every frame "
                        "written is searched for faces again and any found is covered")
    export.add_argument("--keep", type=int, nargs="+", default=[], metavar="TRACK_ID",
                        help="people who agreed to be shown: their track ids stay visible (footage show EVENT_ID lists them)")
    export.add_argument("--gif", action="store_true", help="also write a small looping GIF preview beside the clip")
    export.add_argument("--caption", help="a short caption burnt into the bottom of the picture")
    export.add_argument("--pad", type=float, default=3.0, metavar="SECONDS", help="seconds before and after a moment")
    export.add_argument("--format", choices=("table", "json"), default="table")

    share = command("share", "a moment as a folder to upload anywhere: a page, the redacted clip, a poster, its story")
    share.add_argument("moment_id", type=int, metavar="EVENT_ID")
    share.add_argument("--out", type=Path, help="the folder to create (default: share-EVENT_ID here)")
    share.add_argument("--redact", default="faces,people", help="as for export (default faces,people)")
    share.add_argument("--keep", type=int, nargs="+", default=[], metavar="TRACK_ID", help="people who agreed to be shown")
    share.add_argument("--caption", help="a short caption burnt into the clip")

    serve = command("serve", "the review web page: cameras, day timelines, moments, search, indexing jobs")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this computer only; "
                       "any other address needs --token)")
    serve.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    serve.add_argument("--token", help="secret that browsers and scripts must present (default: $FOOTAGE_TOKEN)")
    serve.add_argument("--index-root", type=Path, action="append", default=[], metavar="DIR",
                       help="allow indexing files in DIR from the web page (repeatable)")
    serve.add_argument("--config", type=Path, help="settings file (TOML, see docs/config.md)")

    run = command("run", "record and watch every live camera of a cameras file (docs/live.md) until Ctrl+C")
    run.add_argument("--config", type=Path, default=Path("cameras.toml"),
                     help="cameras file (TOML; default ./cameras.toml)")

    watch = command("watch", "record and watch one live camera until Ctrl+C")
    watch.add_argument("url", metavar="RTSP_URL", help="the camera's stream, rtsp://user:password@host:554/path")
    watch.add_argument("--camera", required=True, help="the camera's name in the index")
    watch.add_argument("--recordings", type=Path, help="folder for the recorded segments "
                       "(default: <index name>-recordings beside the index)")
    watch.add_argument("--segment-s", type=float, help="length of a segment in seconds (default 60)")
    watch.add_argument("--config", type=Path, help="settings file (TOML: docs/config.md, and [live] and [mqtt] of docs/live.md)")

    demo = command("demo", "index the bundled sample clip into a fresh index and show what was found")
    demo.add_argument("--no-progress", action="store_true")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        return int(_COMMANDS[args.command](args))
    except FootageError as exc:
        print(f"footage: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("footage: interrupted; run the same command again to finish", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader went away (footage tracks | head): not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at exit
        return 0


def _db(args: argparse.Namespace) -> Path:
    return Path(args.db) if args.db else default_db_path()


def _cmd_index(args: argparse.Namespace) -> int:
    settings = load_settings(args.config, detect_fps=args.detect_fps)
    user_start = None
    if args.start:
        try:
            user_start = parse_user_time(args.start, settings.zone())
        except ValueError as exc:
            raise FootageError(str(exc)) from exc
    report = _run_index(args.paths, _db(args), settings, camera=args.camera, user_start=user_start,
                        show_progress=not args.no_progress, spread=_spread(args))
    if args.format == "json":
        print(json.dumps([asdict(o) for o in report.outcomes], indent=2))
    else:
        print(_report_table(report))
    _print_problems(report)
    return 1 if report.problems else 0


def _print_problems(report: IndexReport) -> None:
    """One line per file that failed or was damaged, on stderr."""
    for outcome in report.problems:
        print(f"footage: {outcome.status}: {outcome.path}: {outcome.reason}", file=sys.stderr)


def _run_index(
    paths: Sequence[Path],
    db: Path,
    settings: Settings,
    *,
    camera: str | None,
    user_start: datetime | None,
    show_progress: bool,
    spread: Spread | None = None,
) -> IndexReport:
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
        from footage.scale.ray_cluster import RayExecutor

        return Spread(RayExecutor(args.ray), chunk_s=args.chunk_s)
    if args.workers is not None:
        from footage.scale.executors import ProcessExecutor

        if args.workers < 1:
            raise FootageError(f"--workers must be at least 1, got {args.workers}")
        return Spread(ProcessExecutor(args.workers), chunk_s=args.chunk_s)
    return None


def _report_table(report: IndexReport) -> str:
    rows = [
        (o.path.rsplit("/", 1)[-1], o.status, o.tracks, o.moments, round(o.media_s, 1),
         f"{o.speed:.0f}x" if o.wall_s else "", o.reason or "")
        for o in report.outcomes
    ]
    return render.table(("file", "status", "tracks", "moments", "video s", "speed", "note"), rows)


def _cmd_tracks(args: argparse.Namespace) -> int:
    zone = load_settings().zone()
    try:
        where = queries.TrackFilter(
            camera=args.camera,
            label=_label_filter(args.label, args.format),
            since=parse_user_time(args.since, zone) if args.since else None,
            until=parse_user_time(args.until, zone) if args.until else None,
            recording=str(args.recording.resolve()) if args.recording else None,
        )
    except ValueError as exc:
        raise FootageError(str(exc)) from exc
    conn = connect(_db(args), create=False)
    try:
        found = queries.list_tracks(conn, where, with_boxes=args.format == "mot")
    finally:
        conn.close()
    text = {"table": render.tracks_table, "json": render.tracks_json, "mot": render.tracks_mot}[args.format](found)
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


def _cmd_status(args: argparse.Namespace) -> int:
    conn = connect(_db(args), create=False)
    try:
        summary = queries.status_summary(conn)
    finally:
        conn.close()
    print(json.dumps(asdict(summary), indent=2) if args.format == "json" else render.status_text(summary))
    return 0


_DEMO_SEARCH = "someone who stood at the table for more than 15 seconds"


def _cmd_demo(args: argparse.Namespace) -> int:
    clip = Path(str(resources.files("footage.sample").joinpath("one-by-one-person-detection.mp4")))
    db = args.db or default_db_path().with_name("demo.sqlite")
    for leftover in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        leftover.unlink(missing_ok=True)
    shutil.rmtree(db.parent / f"{db.stem}-thumbnails", ignore_errors=True)
    print(f"indexing the sample clip {clip.name} (Intel sample-videos, CC BY 4.0) into {db}")
    report = _run_index([clip], db, load_settings(), camera="sample", user_start=None,
                        show_progress=not args.no_progress)
    print(_report_table(report))
    _print_problems(report)
    conn = connect(db, create=False)
    try:
        print()
        print(render.tracks_table(queries.list_tracks(conn, queries.TrackFilter())))
        print()
        print(render.moments_table(list_moments(conn, MomentFilter())))
        print()
        print(render.status_text(queries.status_summary(conn)))
    finally:
        conn.close()
    print(f'\n$ footage search "{_DEMO_SEARCH}" --limit 3')
    print(render.search_table(search_moments(db, _DEMO_SEARCH, limit=3)))
    print(f"\nlook at it in a browser: footage serve --db {db}")
    return 1 if report.problems else 0


def _cmd_events(args: argparse.Namespace) -> int:
    settings = load_settings(args.config)
    if args.kind is not None and args.kind not in EVENT_KINDS:
        raise FootageError(f"unknown event kind {args.kind!r}; known: {', '.join(EVENT_KINDS)}")
    if args.from_mot is not None:
        return _events_from_mot(args, settings)
    if args.fps is not None:
        raise FootageError("--fps goes with --from-mot")
    zone = settings.zone()
    try:
        where = MomentFilter(
            camera=args.camera, kind=args.kind,
            since=parse_user_time(args.since, zone) if args.since else None,
            until=parse_user_time(args.until, zone) if args.until else None,
            min_duration_s=args.min_duration, limit=args.limit, order=args.sort,
        )
    except ValueError as exc:
        raise FootageError(str(exc)) from exc
    if args.rebuild:
        progress = TqdmProgress() if not args.no_progress else NullProgress()
        report = rebuild_moments(_db(args), settings.events, progress)
        print(f"rebuilt the moments of {report.recordings} recording(s): {report.moments} moment(s)", file=sys.stderr)
        for path in report.missing_files:
            print(f"footage: no key frames for {path}: the file is gone", file=sys.stderr)
    conn = connect(_db(args), create=False)
    try:
        found = list_moments(conn, where)
    finally:
        conn.close()
    print(render.moments_json(found) if args.format == "json" else render.moments_table(found))
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
        print(render.file_moments_json(moments, str(args.from_mot)))
    else:
        print(render.file_moments_table(moments))
    return 0


def _cmd_search(args: argparse.Namespace) -> int:
    settings = load_settings(args.config)
    if args.limit < 1:
        raise FootageError(f"--limit must be at least 1, got {args.limit}")
    try:
        since = parse_user_time(args.since, settings.zone()) if args.since else None
    except ValueError as exc:
        raise FootageError(str(exc)) from exc
    report = search_moments(_db(args), " ".join(args.query), limit=args.limit, camera=args.camera, since=since,
                            settings=settings, show_progress=not args.no_progress)
    if args.format == "json":
        print(render.search_json(report))
        return 0
    print(render.search_table(report))
    for note in report.notes:
        print(f"footage: {note}", file=sys.stderr)
    return 0


def _cmd_show(args: argparse.Namespace) -> int:
    conn = connect(_db(args), create=False)
    try:
        moment = get_moment(conn, args.moment_id)
    finally:
        conn.close()
    if moment is None:
        print(f"footage: no moment {args.moment_id} in the index; `footage events` lists them", file=sys.stderr)
        return 1
    print(render.moment_text(moment, as_json=args.format == "json"))
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    from footage.pipeline.export import ExportRequest, export_clip

    zone = load_settings().zone()
    if (args.moment_id is None) == (args.camera is None):
        raise FootageError("give either an EVENT_ID or --camera NAME --from TIME --to TIME")
    if args.camera is not None and not (args.start and args.end):
        raise FootageError("--camera needs --from and --to")
    if not 0 <= args.pad <= 600:
        raise FootageError(f"--pad must be between 0 and 600 seconds, got {args.pad}")
    try:
        start = parse_user_time(args.start, zone) if args.start else None
        end = parse_user_time(args.end, zone) if args.end else None
    except ValueError as exc:
        raise FootageError(str(exc)) from exc
    redact = _redactions(args.redact)
    report = export_clip(_db(args), ExportRequest(
        moment_id=args.moment_id, camera=args.camera, start_utc=start, end_utc=end, out=args.out, redact=redact,
        keep=frozenset(args.keep), gif=args.gif, caption=args.caption, pad_s=args.pad))
    if args.format == "json":
        print(json.dumps(asdict(report), indent=2, default=str))
        return 0
    copied = "stream copy" if report.mode == "copy" else "re-encoded: MP4 cannot hold its codec"
    hidden = (f"{', '.join(report.redact)} hidden in {report.frames_with_hidden} of {report.frames} frames"
              if report.redact else f"nothing hidden ({copied})")
    began = report.start_utc.astimezone(zone)
    print(f"{report.clip}  {report.duration_s:.1f} s of {report.camera} from {began:%Y-%m-%d %H:%M:%S}; {hidden}; "
          f"{report.wall_s:.1f} s")
    if report.check is not None:
        print(f"{report.clip.name}  face check: {report.check.summary()}")
    print(f"{report.sidecar}  sha256 {report.sha256}")
    if report.gif:
        print(report.gif)
    return 0


def _redactions(text: str) -> frozenset[str]:
    words = {w.strip() for w in text.split(",") if w.strip()}
    return frozenset() if words == {"none"} else frozenset(words)


def _cmd_share(args: argparse.Namespace) -> int:
    from footage.pipeline.export import ExportRequest
    from footage.pipeline.share import share_moment

    folder = args.out or Path.cwd() / f"share-{args.moment_id}"
    request = ExportRequest(redact=_redactions(args.redact), keep=frozenset(args.keep), caption=args.caption)
    report = share_moment(_db(args), args.moment_id, folder, load_settings().zone(), request)
    print(f"{report.folder}/  index.html, clip.mp4 ({report.export.duration_s:.1f} s, "
          f"{', '.join(report.export.redact) or 'nothing'} hidden), poster.jpg: upload the folder as it is")
    if report.export.check is not None:
        print(f"clip.mp4  face check: {report.export.check.summary()}")
    return 0


def _cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from footage.web.app import ServeOptions, create_app

    if not 0 < args.port < 65536:
        raise FootageError(f"--port must be between 1 and 65535, got {args.port}")
    token = args.token or os.environ.get("FOOTAGE_TOKEN") or None
    options = ServeOptions(db_path=_db(args), settings=load_settings(args.config), host=args.host, token=token,
                           index_roots=tuple(args.index_root))
    app = create_app(options)
    _check_listen(args.host, args.port)
    shown = f"[{args.host}]" if ":" in args.host else args.host
    print(f"footage: serving {options.db_path} at http://{shown}:{args.port}/ (Ctrl+C stops)", file=sys.stderr)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return 0


def _cmd_run(args: argparse.Namespace) -> int:
    from footage.live.cameras import load_cameras

    if not args.config.exists():
        raise FootageError(f"no cameras file at {args.config}; write one (see docs/live.md) or pass --config FILE")
    return _run_live(load_cameras(args.config), _db(args))


def _cmd_watch(args: argparse.Namespace) -> int:
    from footage.config import read_toml
    from footage.live.cameras import parse_cameras

    data = read_toml(args.config, "settings") if args.config else {}
    live = dict(data.get("live", {}))
    if args.recordings is not None:
        live["recordings"] = str(args.recordings)
    if args.segment_s is not None:
        live["segment_s"] = args.segment_s
    data = {**data, "live": live, "cameras": {args.camera: {"url": args.url}}}
    return _run_live(parse_cameras(data, str(args.config or "the command line")), _db(args))


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


def _check_listen(host: str, port: int) -> None:
    """Fail with one line, before the server starts, when the port is taken or the address is not
    this computer's (uvicorn would log it and exit with its own status)."""
    import socket

    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    except OSError as exc:
        raise FootageError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc


_COMMANDS = {
    "index": _cmd_index, "tracks": _cmd_tracks, "events": _cmd_events, "show": _cmd_show, "search": _cmd_search,
    "status": _cmd_status, "serve": _cmd_serve, "export": _cmd_export, "share": _cmd_share,
    "demo": _cmd_demo, "run": _cmd_run, "watch": _cmd_watch,
}

if __name__ == "__main__":
    sys.exit(main())
