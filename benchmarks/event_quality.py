"""How well do the events found in video agree with the events of the ground-truth tracks?

For each shared clip with MOTChallenge ground truth (PETS09-S2L1, TUD-Campus):

1. the reference: ``footage events --from-mot gt/gt.txt`` (the same rules on the annotated
   person tracks), with frame N at (N - 1) / fps where fps is the container's frame rate, so
   both sides count seconds the same way;
2. the found events: the clip indexed from its video with the default settings, events read
   back from the index's tracks;
3. each found subject is mapped to the ground-truth person it overlaps most (IoU >= 0.5), and
   events are matched one to one: same kind, same people, overlapping by at least half of the
   shorter event (:mod:`footage.events.scoring`).

Prints precision and recall per kind and writes ``benchmarks/out/event_quality.json``.

    python benchmarks/event_quality.py                    # index into a temporary folder
    python benchmarks/event_quality.py --db index.sqlite  # reuse an index that holds the clips
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from dataclasses import asdict
from pathlib import Path

from footage.cli.render import table
from footage.config import load_settings
from footage.events.scoring import KindScore, score_tracks
from footage.ingest.mot import read_mot
from footage.store.database import connect
from footage.store.queries import TrackFilter, list_tracks

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared" / "footage"

#: clip folder, video inside it, frames per second of the container (= of the ground truth's
#: frame numbers as the index sees them)
CLIPS = (("pets09_s2l1", "vtest.avi", 10.0), ("tud_campus", "TUD-Campus_mp4v.mp4", 25.0))


def score_clip(db: Path, folder: str, video: str, fps: float) -> list[KindScore]:
    """Per-kind counts for one clip already in the index at ``db``."""
    params = load_settings().events
    truth, span = read_mot(SHARED / folder / "gt" / "gt.txt", fps)
    conn = connect(db, create=False)
    try:
        stored = list_tracks(conn, TrackFilter(recording=str((SHARED / folder / video).resolve()), label="person"),
                             with_boxes=True)
    finally:
        conn.close()
    if not stored:
        raise SystemExit(f"{video} is not in {db}; index it first")
    found = [t.track for t in stored]
    return score_tracks(truth, found, span, params, fps=fps)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, help="an index that already holds the clips")
    args = parser.parse_args()
    if not SHARED.is_dir():
        print(f"needs the shared footage at {SHARED}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as scratch:
        db = args.db or Path(scratch) / "index.sqlite"
        if args.db is None:
            videos = [str(SHARED / folder / video) for folder, video, _ in CLIPS]
            subprocess.run([sys.executable, "-m", "footage.cli", "index", *videos, "--db", str(db), "--no-progress"],
                           check=True, stdout=subprocess.DEVNULL)
        results = {folder: score_clip(db, folder, video, fps) for folder, video, fps in CLIPS}
    rows = []
    for folder, scores in results.items():
        for s in scores:
            rows.append((folder, s.kind, s.reference, s.found, s.matched,
                         "-" if s.precision is None else f"{s.precision:.2f}", "-" if s.recall is None else f"{s.recall:.2f}"))
    print(table(("clip", "kind", "reference", "found", "matched", "precision", "recall"), rows))
    out = REPO / "benchmarks" / "out"
    out.mkdir(exist_ok=True)
    data = {folder: [asdict(s) | {"precision": s.precision, "recall": s.recall} for s in scores]
            for folder, scores in results.items()}
    (out / "event_quality.json").write_text(json.dumps(data, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
