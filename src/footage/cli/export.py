"""``footage export`` and ``footage share``: a moment (or a span of a camera) cut into a clip, and
a moment as a folder to upload. The export pipeline is imported when one of them runs."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from pathlib import Path

from footage.cli.args import AddCommand, db_path, user_time
from footage.config import load_settings
from footage.errors import FootageError

__all__ = ["register"]


def register(command: AddCommand) -> None:
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
    export.set_defaults(run=_cmd_export)

    share = command("share", "a moment as a folder to upload anywhere: a page, the redacted clip, a poster, its story")
    share.add_argument("moment_id", type=int, metavar="EVENT_ID")
    share.add_argument("--out", type=Path, help="the folder to create (default: share-EVENT_ID here)")
    share.add_argument("--redact", default="faces,people", help="as for export (default faces,people)")
    share.add_argument("--keep", type=int, nargs="+", default=[], metavar="TRACK_ID", help="people who agreed to be shown")
    share.add_argument("--caption", help="a short caption burnt into the clip")
    share.set_defaults(run=_cmd_share)


def _cmd_export(args: argparse.Namespace) -> int:
    from footage.pipeline.export import ExportRequest, export_clip

    zone = load_settings().zone()
    if (args.moment_id is None) == (args.camera is None):
        raise FootageError("give either an EVENT_ID or --camera NAME --from TIME --to TIME")
    if args.camera is not None and not (args.start and args.end):
        raise FootageError("--camera needs --from and --to")
    if not 0 <= args.pad <= 600:
        raise FootageError(f"--pad must be between 0 and 600 seconds, got {args.pad}")
    start, end = user_time(args.start, zone), user_time(args.end, zone)
    report = export_clip(db_path(args), ExportRequest(
        moment_id=args.moment_id, camera=args.camera, start_utc=start, end_utc=end, out=args.out,
        redact=_redactions(args.redact), keep=frozenset(args.keep), gif=args.gif, caption=args.caption, pad_s=args.pad))
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
    report = share_moment(db_path(args), args.moment_id, folder, load_settings().zone(), request)
    print(f"{report.folder}/  index.html, clip.mp4 ({report.export.duration_s:.1f} s, "
          f"{', '.join(report.export.redact) or 'nothing'} hidden), poster.jpg: upload the folder as it is")
    if report.export.check is not None:
        print(f"clip.mp4  face check: {report.export.check.summary()}")
    return 0
