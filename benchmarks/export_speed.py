"""How fast does ``footage export`` cut and redact 60 s of 1080p video with people in view?

1. Makes a 1080p recording with people in it: the bundled Intel sample clip (people walking to a
   table, 768x432, 10 fps) scaled to 1920x1080 at 25 frames a second (each frame repeated, as a
   25 fps camera would record the scene) with the ``ffmpeg`` command, ``--seconds`` long (default
   60), H.264 with an IP-camera-like GOP of 2 s and no B-frames. Indexes it (not timed).
2. Times, in one run, side by side:
   - ``footage export --redact none`` (a stream copy) of the whole span, against real time:
     target at least 100x;
   - ``footage export`` with the default redaction (every face found by YuNet on every frame and
     every tracked person's head pixelated, re-encoded with x264), and the face check of the
     written clip (decoded again and searched for faces on every frame at two widths; each leak
     covered and the clip written again until none is left), against real time: target at
     least 1x.
   Each is timed around ``footage.pipeline.export.export_clip`` in this process (planning, model
   loading, cutting or re-encoding, SHA-256, sidecar; not Python's start-up), best of
   ``--repeats``; the whole ``footage export`` command is timed once too, for reference.
3. Prints the two ratios and writes ``benchmarks/out/export_speed.json``.

Run: ``python benchmarks/export_speed.py`` (about 6 minutes on the 2-core machine).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from importlib import resources
from pathlib import Path

from footage.pipeline.export import ExportRequest, export_clip

OUT = Path(__file__).resolve().parent / "out"


def footage(*args: str) -> float:
    """Run a footage command; return its wall time in seconds."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "footage.cli", *args], capture_output=True, text=True)
    took = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"footage {' '.join(args)} failed: {done.stderr.strip()}")
    return took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args()
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        raise SystemExit("the ffmpeg command is needed (apt-get install ffmpeg)")
    sample = Path(str(resources.files("footage.sample").joinpath("one-by-one-person-detection.mp4")))
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        clip, db = folder / "shop.mp4", folder / "index.sqlite"
        subprocess.run([ffmpeg, "-v", "error", "-stream_loop", "-1", "-i", str(sample), "-t", str(args.seconds),
                        "-vf", "scale=1920:1080,fps=25", "-an", "-c:v", "libx264", "-preset", "veryfast", "-bf", "0", "-g", "50",
                        "-keyint_min", "50", "-sc_threshold", "0", "-pix_fmt", "yuv420p", str(clip)], check=True)
        footage("index", str(clip), "--db", str(db), "--camera", "shop", "--start", "2026-11-20T10:00:00", "--no-progress")
        span = ["--camera", "shop", "--from", "2026-11-20T10:00:00", "--to", f"2026-11-20T10:{int(args.seconds) // 60:02d}:"
                f"{int(args.seconds) % 60:02d}"]
        start, end = datetime(2026, 11, 20, 10, tzinfo=UTC), datetime(2026, 11, 20, 10, tzinfo=UTC) + timedelta(
            seconds=args.seconds)
        command_copy = footage("export", *span, "--db", str(db), "--redact", "none", "--out", str(folder / "copy.mp4"))

        def export(name: str, redact: frozenset[str]) -> float:
            request = ExportRequest(camera="shop", start_utc=start, end_utc=end, out=folder / name, redact=redact)
            started = time.perf_counter()
            export_clip(db, request)
            return time.perf_counter() - started

        copy = min(export("copy.mp4", frozenset()) for _ in range(args.repeats))
        redacted = min(export("redacted.mp4", frozenset({"faces", "people"})) for _ in range(args.repeats))
        sidecar = json.loads((folder / "redacted.json").read_text())
    results = {
        "seconds_of_video": args.seconds, "resolution": "1920x1080",
        "copy_command_wall_s": round(command_copy, 2), "copy_wall_s": round(copy, 3),
        "copy_x_real_time": round(args.seconds / copy, 1),
        "redacted_wall_s": round(redacted, 2), "redacted_x_real_time": round(args.seconds / redacted, 2),
        "frames": sidecar["redaction"]["frames"],
        "frames_with_hidden_regions": sidecar["redaction"]["frames_with_hidden_regions"],
        "check": sidecar["check"],
    }
    OUT.mkdir(exist_ok=True)
    (OUT / "export_speed.json").write_text(json.dumps(results, indent=2) + "\n")
    print(f"the whole `footage export --redact none` command, Python start-up included: {command_copy:.2f} s")
    print(f"{args.seconds:.0f} s of 1080p with people in view ({results['frames_with_hidden_regions']} of "
          f"{results['frames']} frames had something hidden)")
    check = sidecar["check"]
    print(f"face check: {check['summary']}; faces found by each check: {check['faces_found_per_pass']}")
    for name, ratio, target in (("stream copy (--redact none)", args.seconds / copy, 100.0),
                                ("redacted (faces, people)", args.seconds / redacted, 1.0)):
        verdict = "PASS" if ratio >= target else "MISSED"
        print(f"{name:30s} {ratio:8.1f}x real time   target >= {target:g}x   {verdict}")


if __name__ == "__main__":
    main()
