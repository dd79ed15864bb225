"""Does indexing scale with worker processes? ``--workers 2`` against ``--workers 1``.

Indexes the two long 1080p25 recordings that ``../shared/bench/make_corpus.sh`` builds (built
here when missing), side by side in one run, each time into a fresh index, with the real
``footage index`` command in a subprocess:

- ``footage index --workers 1`` (one single-threaded worker process: the baseline);
- ``footage index --workers 2`` (two of them);
- for reference, ``footage index`` as by default (one process, its threads on all cores).

Long recordings are split into chunks of ``--chunk-s`` (default 600 s), so two workers share even
a single file. Prints the x-real-time of each and the ratio ``workers 2 / workers 1`` against
the issue's target (at least 1.7x), checks that both found the same number of tracks and
moments, and writes ``benchmarks/out/scale_speed.json``.

    python benchmarks/scale_speed.py                   # about 4 minutes on 2 cores
    python benchmarks/scale_speed.py --corpus DIR      # a corpus built before
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from contextlib import closing
from pathlib import Path

import av

from footage.cli.render import table

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
OUT = Path(__file__).resolve().parent / "out"
CORPUS_FILES = ("home_day", "street_day")
TARGET = 1.7


def corpus_files(folder: Path) -> list[Path]:
    paths = [folder / f"{name}.mp4" for name in CORPUS_FILES]
    if not all(p.exists() for p in paths):
        print(f"building the corpus in {folder} (several minutes) ...", file=sys.stderr, flush=True)
        subprocess.run(["bash", str(SHARED / "bench" / "make_corpus.sh"), str(folder)], check=True)
    return paths


def duration(path: Path) -> float:
    with av.open(str(path)) as container:
        return float(container.duration or 0) / 1e6


def index(paths: list[Path], db: Path, args: list[str]) -> tuple[float, int, int]:
    """Wall seconds, tracks and moments of one ``footage index`` run."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "footage.cli", "index", *map(str, paths), "--db", str(db), "--camera",
                           "bench", "--no-progress", *args], capture_output=True, text=True)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"footage index {' '.join(args)} failed: {done.stderr.strip()}")
    with closing(sqlite3.connect(db)) as conn:
        tracks = conn.execute("SELECT COUNT(*) FROM tracks").fetchone()[0]
        moments = conn.execute("SELECT COUNT(*) FROM moments").fetchone()[0]
    return wall, int(tracks), int(moments)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--corpus", type=Path, default=Path(tempfile.gettempdir()) / "footage-corpus")
    parser.add_argument("--chunk-s", type=float, default=600.0)
    args = parser.parse_args()
    paths = corpus_files(args.corpus)
    video_s = sum(duration(p) for p in paths)
    runs = {"workers 1": ["--workers", "1"], "workers 2": ["--workers", "2"], "default (one process, threads)": []}
    results = {}
    with tempfile.TemporaryDirectory() as scratch:
        for name, extra in runs.items():
            chunked = [*extra, "--chunk-s", str(args.chunk_s)] if extra else []
            wall, tracks, moments = index(paths, Path(scratch) / f"{len(results)}.sqlite", chunked)
            results[name] = {"wall_s": round(wall, 1), "x_realtime": round(video_s / wall, 1), "tracks": tracks,
                             "moments": moments}
            print(f"{name}: {video_s / wall:.0f}x real time ({wall:.0f} s)", file=sys.stderr, flush=True)
    ratio = results["workers 1"]["wall_s"] / results["workers 2"]["wall_s"]
    print(table(("run", "wall s", "x real time", "tracks", "moments"),
                [(n, r["wall_s"], f"{r['x_realtime']:.0f}x", r["tracks"], r["moments"]) for n, r in results.items()]))
    verdict = "met" if ratio >= TARGET else "MISSED"
    print(f"\n--workers 2 / --workers 1 on {video_s / 60:.0f} min of 1080p25 ({os.cpu_count()} cores): {ratio:.2f}x "
          f"(target >= {TARGET}x: {verdict})")
    same = results["workers 1"]["tracks"] == results["workers 2"]["tracks"] and \
        results["workers 1"]["moments"] == results["workers 2"]["moments"]
    print("same tracks and moments with 1 and 2 workers" if same else "WARNING: the worker counts found different results")
    OUT.mkdir(exist_ok=True)
    (OUT / "scale_speed.json").write_text(json.dumps(
        {"video_s": round(video_s, 1), "cores": os.cpu_count(), "chunk_s": args.chunk_s, "runs": results,
         "ratio_2_over_1": round(ratio, 3), "target": TARGET}, indent=2) + "\n")


if __name__ == "__main__":
    main()
