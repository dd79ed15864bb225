"""A camera as one timeline, on the corpus: one-minute segments against the same footage as one file.

``home_day`` of the corpus (``../shared/bench/make_corpus.sh``; 25 minutes of 1080p) is cut by
stream copy at its keyframes into segments of about a minute, each remuxed with its exact start in
the container and named with it to the second, as ``footage run`` writes them, and indexed with
that exact start, as ``footage run`` indexes them (a name holds whole seconds, and MP4 keeps the
container's time in whole seconds too). Then:

1. **Same moments** (``--quality``, default on): the segments indexed as a folder and the whole
   file indexed alone; prints objects (a track followed across files counts once), track pieces and
   moments of each, and every moment of one without a moment of the same kind in the other that
   starts and ends within one sampled frame (0.2 s).
2. **Segmented against whole** (``--rounds N``, default 2): ``footage index`` of the folder of
   segments and of the whole file, timed side by side in one run, alternating, each on a fresh
   index; prints the ratio segmented / whole (the issue's target: within 10 %).
3. **Flat cost per segment** (``--hours H``, default 2): a camera's history of ``H`` hours of
   one-minute segments (the corpus cycled, each copy remuxed so its content and clock are its own)
   indexed one segment at a time into one index, as the live supervisor does; prints the median
   wall time of a segment, and of its timeline step (linking, re-deriving moments), over the first
   and the last 20 segments, and their ratio last / first (flat is about 1.0).

Writes everything to ``benchmarks/out/timeline_day.json``.

    python benchmarks/timeline_day.py --corpus /tmp/corpus
    python benchmarks/timeline_day.py --corpus /tmp/corpus --rounds 0 --hours 0    # quality only
"""

from __future__ import annotations

import argparse
import csv
import json
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from footage.config import Settings
from footage.detect import load_detector
from footage.pipeline.index import index_paths

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))
from support.segments import Found, found_in, unmatched  # noqa: E402

START = datetime(2026, 11, 20, 0, 0, 0, tzinfo=UTC)
SETTINGS = Settings(timezone="UTC")


def _name(at: datetime) -> str:
    return f"{at:%Y%m%d_%H%M%S}.mp4"


def _split(source: Path, work: Path, segment_s: int) -> list[tuple[Path, float, float]]:
    """Stream-copy ``source`` into pieces of about ``segment_s`` (at its keyframes); each piece
    with its start in ``source`` and its duration, exact."""
    listing = work / "pieces.csv"
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-i", str(source), "-an", "-c", "copy", "-f", "segment",
                    "-segment_time", str(segment_s), "-reset_timestamps", "1", "-segment_list", str(listing),
                    str(work / "piece%04d.mp4")], check=True)
    with listing.open() as rows:
        return [(work / name, float(start), float(end) - float(start)) for name, start, end in csv.reader(rows)]


def _place(piece: Path, at: datetime, folder: Path, tag: int) -> Path:
    """A copy of ``piece`` starting at ``at``: named to the second, exact in the container."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / _name(at)
    stamp = at.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-i", str(piece), "-c", "copy", "-metadata", f"creation_time={stamp}",
                    "-metadata", f"comment=copy {tag}", str(target)], check=True)
    return target


def _segments(pieces: list[tuple[Path, float, float]], folder: Path, count: int) -> list[tuple[Path, datetime]]:
    """``count`` consecutive segments cycling through the pieces; the first round at the times
    the pieces have in the whole file (which starts at :data:`START`), the next ones after it."""
    at, made = START, []
    for n in range(count):
        piece, offset, seconds = pieces[n % len(pieces)]
        if n < len(pieces):
            at = START + timedelta(seconds=offset)
        made.append((_place(piece, at, folder, n), at))
        at += timedelta(seconds=seconds)
    return made


def _index(paths: list[tuple[Path, datetime]], db: Path, detector: object) -> tuple[float, list[object]]:
    """Index each file with its exact start, as ``footage run`` indexes the segments it records
    (a name holds whole seconds; a stream-copied segment starts at a keyframe, between them)."""
    began, outcomes = time.perf_counter(), []
    for path, start in paths:
        report = index_paths([path], db_path=db, detector=detector, settings=SETTINGS, camera="home",  # type: ignore[arg-type]
                             user_start=start)
        outcomes += report.outcomes
    return time.perf_counter() - began, outcomes


def _describe(found: Found) -> dict[str, object]:
    kinds: dict[str, int] = {}
    for kind, _, _ in found.moments:
        kinds[kind] = kinds.get(kind, 0) + 1
    return {"objects": found.objects, "pieces": found.pieces, "moments": len(found.moments), "by_kind": kinds}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=Path("/tmp/corpus"))
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--hours", type=float, default=2.0)
    parser.add_argument("--no-quality", dest="quality", action="store_false")
    args = parser.parse_args()
    source = args.corpus / "home_day.mp4"
    if not source.is_file():
        print(f"no {source}: build the corpus with bash ../shared/bench/make_corpus.sh {args.corpus}", file=sys.stderr)
        return 2
    detector = load_detector(SETTINGS.detect)
    out: dict[str, object] = {}
    with tempfile.TemporaryDirectory(prefix="timeline-day-") as scratch:
        work = Path(scratch)
        (work / "pieces").mkdir()
        pieces = _split(source, work / "pieces", 60)
        day = _segments(pieces, work / "segments", len(pieces))
        whole_dir = work / "whole"
        whole_dir.mkdir()
        whole = whole_dir / _name(START)
        subprocess.run(["ffmpeg", "-v", "error", "-y", "-i", str(source), "-an", "-c", "copy", str(whole)], check=True)
        print(f"home_day: {len(day)} segments of about a minute")
        if args.quality:
            _index(day, work / "q-segments.sqlite", detector)
            _index([(whole, START)], work / "q-whole.sqlite", detector)
            seg, one = found_in(work / "q-segments.sqlite", START), found_in(work / "q-whole.sqlite", START)
            differ = unmatched(one, seg, 0.2 + 1e-3)
            out["quality"] = {"whole": _describe(one), "segments": _describe(seg), "unmatched": differ}
            print(f"whole file: {_describe(one)}\nsegments:   {_describe(seg)}")
            print("moments that differ:" if differ else "every moment the same (kind, start and end within 0.2 s)")
            for line in differ:
                print("  " + line)
        if args.rounds:
            times: dict[str, list[float]] = {"segments": [], "whole": []}
            for n in range(args.rounds):
                for name, paths in (("segments", day), ("whole", [(whole, START)])):
                    seconds, _ = _index(paths, work / f"r{n}-{name}.sqlite", detector)
                    times[name].append(seconds)
            ratio = min(times["segments"]) / min(times["whole"])
            out["speed"] = {**times, "ratio": ratio}
            print(f"footage index, best of {args.rounds}: segments {min(times['segments']):.1f} s, "
                  f"whole file {min(times['whole']):.1f} s: segmented / whole = {ratio:.3f}")
        if args.hours > 0:
            count = max(40, round(args.hours * 60))
            history = _segments(pieces, work / "history", count)
            db, walls, steps = work / "history.sqlite", [], []
            for path in history:  # each one a run of its own, as the live supervisor indexes them
                _, outcomes = _index([path], db, detector)
                walls.append(outcomes[0].wall_s)  # type: ignore[attr-defined]
                steps.append(outcomes[0].timeline_s)  # type: ignore[attr-defined]
            first, last = slice(0, 20), slice(count - 20, count)
            flat = {
                "segments": count,
                "segment_s": [statistics.median(walls[first]), statistics.median(walls[last])],
                "timeline_s": [statistics.median(steps[first]), statistics.median(steps[last])],
            }
            flat["segment_ratio"] = flat["segment_s"][1] / flat["segment_s"][0]
            flat["timeline_ratio"] = flat["timeline_s"][1] / max(flat["timeline_s"][0], 1e-9)
            out["flat"] = flat
            print(f"{count} one-minute segments, one at a time: median segment {flat['segment_s'][0]:.3f} s first 20, "
                  f"{flat['segment_s'][1]:.3f} s last 20 (ratio {flat['segment_ratio']:.2f}); timeline step "
                  f"{flat['timeline_s'][0] * 1000:.1f} ms -> {flat['timeline_s'][1] * 1000:.1f} ms "
                  f"(ratio {flat['timeline_ratio']:.2f})")
    target = REPO / "benchmarks" / "out" / "timeline_day.json"
    target.parent.mkdir(exist_ok=True)
    target.write_text(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
