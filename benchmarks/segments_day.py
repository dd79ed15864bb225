"""Does storing a live camera's segment cost the same on the 1,440th minute of the day as on the first?

A live camera writes a one-minute segment a minute and the supervisor indexes each as soon as it
closes. This benchmark stores a day of them, 1,440 segments of one camera, into a fresh index and
times each segment's store step:

1. Generated rows (``--seed``): each segment gets 0-6 tracks (boxes every 1/5 s) and 0-5 moments
   of the kinds a street camera sees (mostly ``appeared``/``left``, now and then a relation),
   written through the functions :func:`footage.pipeline.writer.write_recording` calls
   (``begin_recording``, then ``finish_recording`` with the tracks and moments and each moment's
   base score), so the schema, indexes, full-text and count triggers are the real ones.
2. ``--real N`` (default 2): the first N and the last N segments are real one-minute cuts of the
   bundled sample clip, indexed end to end by :func:`footage.pipeline.index.index_paths` (decode,
   detect, track, moments, store), to show that the whole step stays flat too. Their wall time is
   mostly detection; they are reported apart and left out of the per-hundred table.
3. ``--mode both`` (default) runs the day twice, each on its own fresh index: ``incremental``
   (this code: scores computed on read from stored base scores and per-camera counts) and
   ``rescore`` (what footage did before schema 6: after every segment, read every visible moment of
   the camera and rewrite every score; reproduced here with the old query and
   :func:`footage.events.score.scores`, writing into a scratch column).

Prints, per mode, the median cost per segment of the first, middle and last hundred generated
segments, their ratio last/first (flat is about 1.0), and the time to list the camera's 50 most
notable moments at the end of the day (the median is robust to other processes on the
machine taking the CPU now and then); writes everything to ``benchmarks/out/segments_day.json``.

    python benchmarks/segments_day.py                   # both modes, 2 real segments at each end
    python benchmarks/segments_day.py --real 0 --mode incremental   # store part only, a few seconds
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import closing
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from fractions import Fraction
from importlib import resources
from pathlib import Path

from footage.config import Settings
from footage.detect import Detector, load_detector
from footage.events.score import base_score, scores
from footage.pipeline.index import index_paths
from footage.store import queries
from footage.store.database import connect
from footage.store.moments import MomentFilter, StoredMoment, list_moments
from footage.store.records import IndexedTrack
from footage.time import WallClock
from footage.types import Event, Moment, RecordingInfo, ScoreInput, Track, TrackBox

SEGMENTS = 1440
SEGMENT_S = 60.0
TIME_BASE = Fraction(1, 90_000)
CAMERA = "street"
DAY = datetime(2026, 6, 1, tzinfo=UTC)
OUT = Path(__file__).parent / "out" / "segments_day.json"
#: kinds a street camera sees, with how often (passers-by dominate)
KINDS = (("appeared", 40), ("left", 30), ("lingered", 10), ("approached", 6), ("together", 5),
         ("vehicle_stopped", 4), ("vehicle_departed", 3), ("handed_over", 1), ("sat_or_crouched", 1))


#: a generated segment: its tracks, moments, clock and stream information
Segment = tuple[list[IndexedTrack], list[StoredMoment], WallClock, RecordingInfo]


@dataclass
class Run:
    mode: str
    store_ms: list[float] = field(default_factory=list)
    moments: int = 0
    real: list[dict[str, object]] = field(default_factory=list)
    top50_ms: float = 0.0


def _segment(rng: random.Random, n: int) -> Segment:
    start = DAY + timedelta(minutes=n)
    clock = WallClock(start, 0, TIME_BASE, "filename")
    info = RecordingInfo(f"/cameras/{CAMERA}/{start:%Y-%m-%d/%H%M%S}.mp4", 7_000_000 + n, SEGMENT_S, 1920, 1080, "h264",
                         TIME_BASE, Fraction(25), None)
    tracks: list[IndexedTrack] = []
    for local in range(1, rng.randint(0, 6) + 1):
        first = rng.uniform(0, SEGMENT_S - 2)
        last = min(SEGMENT_S, first + rng.uniform(1, 40))
        pts = [round(t / TIME_BASE) for t in _steps(first, last)]
        x, y = rng.uniform(0, 1700), rng.uniform(0, 800)
        boxes = tuple(TrackBox(i * 5, p, (x + i, y, x + i + 120, y + 260), 0.8) for i, p in enumerate(pts))
        track = Track(local, rng.choice(("person", "person", "car")), pts[0], pts[-1], TIME_BASE, boxes)
        tracks.append(IndexedTrack(track, clock.us_at(track.first_pts), clock.us_at(track.last_pts), 0.8, None))
    moments: list[StoredMoment] = []
    for _ in range(rng.randint(0, 5) if tracks else 0):
        kind = rng.choices([k for k, _ in KINDS], [w for _, w in KINDS])[0]
        subjects = tuple(sorted(rng.sample([t.track.track_id for t in tracks], min(len(tracks), rng.choice((1, 1, 2))))))
        start_s = rng.uniform(0, SEGMENT_S - 1)
        end_s = min(SEGMENT_S, start_s + rng.uniform(1, 30))
        labels = tuple("person" for _ in subjects)
        event = Event(kind, start_s, end_s, subjects, labels, subjects, start_s)
        moment = Moment(kind, start_s, end_s, (event,), subjects, labels, subjects, f"someone {kind}", start_s, (),
                        len(subjects))
        moments.append(StoredMoment(moment, clock.us_at_seconds(start_s), clock.us_at_seconds(end_s), None,
                                    base_score(moment.kinds, moment.duration_s, moment.people)))
    return tracks, moments, clock, info


def _steps(first: float, last: float) -> list[float]:
    count = max(2, int((last - first) * 5) + 1)
    return [first + (last - first) * i / (count - 1) for i in range(count)]


def _store(conn: sqlite3.Connection, camera_id: int, n: int, segment: Segment) -> int:
    """One generated segment stored as the index writer stores a recording; returns its moments."""
    tracks, moments, clock, info = segment
    recording_id = queries.begin_recording(conn, camera_id=camera_id, info=info, mtime_ns=n, content_hash=f"{n:08x}",
                                           clock=clock, settings={})
    queries.finish_recording(conn, recording_id, camera_id=camera_id, tracks=tracks, status="done", error=None,
                             first_s=0.0, indexed_s=SEGMENT_S, moments=moments)
    return len(moments)


def _full_rescore(conn: sqlite3.Connection, camera_id: int) -> None:
    """What ``store.moments.rescore_camera`` did after every recording before schema 6."""
    rows = conn.execute(
        """SELECT m.id, m.kind, m.end_s - m.start_s, m.people, (SELECT group_concat(e.kind) FROM events e
                  WHERE e.moment_id = m.id) FROM moments m JOIN recordings r ON r.id = m.recording_id
           WHERE m.camera_id = ? AND r.status IN ('done', 'damaged')""",
        (camera_id,),
    ).fetchall()
    inputs = [ScoreInput(row[1], tuple((row[4] or row[1]).split(",")), float(row[2]), int(row[3])) for row in rows]
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany("UPDATE moments SET old_score = ? WHERE id = ?",
                     [(value, row[0]) for value, row in zip(scores(inputs), rows, strict=True)])
    conn.execute("COMMIT")


def _sample_clip() -> Path:
    return Path(str(resources.files("footage.sample").joinpath("one-by-one-person-detection.mp4")))


def _real_segments(folder: Path, count: int) -> list[Path]:
    """``count`` different one-minute cuts of the bundled sample clip (each starts elsewhere, so
    none is a copy of another)."""
    paths = []
    for k in range(count):
        path = folder / CAMERA / f"real-{k}.mp4"
        path.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(["ffmpeg", "-v", "error", "-y", "-ss", str(15 * k), "-i", str(_sample_clip()), "-t", str(SEGMENT_S),
                        "-c", "copy", str(path)], check=True)
        paths.append(path)
    return paths


def run_day(mode: str, real: list[Path], detector: Detector | None, seed: int, folder: Path) -> Run:
    db = folder / f"{mode}.sqlite"
    result = Run(mode)
    rng = random.Random(seed)
    ends = len(real) // 2
    with closing(connect(db)) as conn:
        camera_id = queries.ensure_camera(conn, CAMERA)
        if mode == "rescore":
            conn.execute("ALTER TABLE moments ADD COLUMN old_score REAL")
        for n in range(SEGMENTS):
            real_index = n if n < ends else (n - (SEGMENTS - ends) + ends if n >= SEGMENTS - ends else None)
            segment = _segment(rng, n)  # generated outside the timed part, the same rows in every mode
            started = time.perf_counter()
            if real_index is not None and detector is not None:
                report = index_paths([real[real_index]], db_path=db, conn=conn, detector=detector, settings=Settings(),
                                     camera=CAMERA, user_start=DAY + timedelta(minutes=n))
                moments = report.outcomes[0].moments
            else:
                moments = _store(conn, camera_id, n, segment)
            if mode == "rescore":
                _full_rescore(conn, camera_id)
            elapsed_ms = (time.perf_counter() - started) * 1000
            result.moments += moments
            if real_index is not None and detector is not None:
                result.real.append({"segment": n + 1, "ms": round(elapsed_ms, 1), "moments": moments})
            else:
                result.store_ms.append(elapsed_ms)
        started = time.perf_counter()
        list_moments(conn, MomentFilter(camera=CAMERA, order="score", limit=50))
        result.top50_ms = (time.perf_counter() - started) * 1000
    return result


def _hundreds(values: list[float]) -> dict[str, float]:
    middle = len(values) // 2 - 50
    first, mid, last = values[:100], values[middle:middle + 100], values[-100:]
    summary = {"first_ms": statistics.median(first), "middle_ms": statistics.median(mid), "last_ms": statistics.median(last)}
    summary["last_over_first"] = summary["last_ms"] / summary["first_ms"]
    return {k: round(v, 3) for k, v in summary.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--mode", choices=("incremental", "rescore", "both"), default="both")
    parser.add_argument("--real", type=int, default=2, help="real segments indexed end to end at each end of the day")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=1,
                        help="store the day this many times per mode and keep each segment's fastest time")
    args = parser.parse_args(argv)
    modes = ("incremental", "rescore") if args.mode == "both" else (args.mode,)
    runs: list[Run] = []
    with tempfile.TemporaryDirectory(prefix="segments-day-") as tmp:
        folder = Path(tmp)
        real = _real_segments(folder / "real", 2 * args.real) if args.real > 0 else []
        detector = load_detector(Settings().detect) if real else None
        for mode in modes:
            print(f"{mode}: storing {SEGMENTS} one-minute segments ...", file=sys.stderr, flush=True)
            run = run_day(mode, real, detector, args.seed, folder / f"{mode}-0")
            for repeat in range(1, args.repeats):  # the same rows again; real segments only once
                again = run_day(mode, [], None, args.seed, folder / f"{mode}-{repeat}")
                run.store_ms = [min(a, b) for a, b in zip(run.store_ms, again.store_ms[len(real) // 2:], strict=False)]
            runs.append(run)
    rows: list[dict[str, object]] = []
    print(f"\ncost per segment of one camera's day ({SEGMENTS} one-minute segments), "
          "median ms over each hundred generated segments")
    print(f"{'mode':<12} {'first 100':>10} {'middle 100':>11} {'last 100':>10} {'last/first':>11} {'moments':>8} "
          f"{'top 50':>8}  real segments (ms: first ... last)")
    for run in runs:
        summary = _hundreds(run.store_ms)
        real_ms = " ".join(f"{r['ms']:.0f}" for r in run.real)
        print(f"{run.mode:<12} {summary['first_ms']:>10.2f} {summary['middle_ms']:>11.2f} {summary['last_ms']:>10.2f} "
              f"{summary['last_over_first']:>11.2f} {run.moments:>8} {run.top50_ms:>7.1f}  {real_ms}")
        rows.append({"mode": run.mode, **summary, "moments": run.moments, "top50_ms": round(run.top50_ms, 2),
                     "real": run.real, "per_segment_ms": [round(v, 3) for v in run.store_ms]})
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps({"segments": SEGMENTS, "seed": args.seed, "runs": rows}, indent=2))
    print(f"\nwritten to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
