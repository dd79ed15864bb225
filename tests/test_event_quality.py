"""Event quality gate on PETS09-S2L1 (marked slow; CI runs it): events found in the video,
matched against the events of the ground-truth tracks, must not fall below
``event_quality_baseline.json`` by more than one matched event per kind.
``python benchmarks/event_quality.py`` prints the full table."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from footage.events import EventParams
from footage.events.scoring import score_tracks
from footage.ingest.mot import read_mot
from footage.store.database import connect
from footage.store.queries import TrackFilter, list_tracks
from support.cli import footage

pytestmark = pytest.mark.slow

BASELINE = json.loads((Path(__file__).parent / "event_quality_baseline.json").read_text())


def test_events_in_video_agree_with_ground_truth_events(shared_footage: Path, tmp_path: Path) -> None:
    clip = shared_footage / "pets09_s2l1" / "vtest.avi"
    db = tmp_path / "index.sqlite"
    assert footage("index", str(clip), "--db", str(db), "--no-progress").returncode == 0
    truth, span = read_mot(shared_footage / "pets09_s2l1" / "gt" / "gt.txt", fps=10.0)
    conn = connect(db, create=False)
    stored = list_tracks(conn, TrackFilter(recording=str(clip.resolve()), label="person"), with_boxes=True)
    conn.close()
    found = [t.track for t in stored]
    scores = {s.kind: s for s in score_tracks(truth, found, span, EventParams(), fps=10.0)}
    print({k: (s.reference, s.found, s.matched) for k, s in scores.items()})
    for kind, expected in BASELINE["pets09_s2l1"].items():
        got = scores[kind]
        assert got.reference == expected["reference"], f"{kind}: the ground-truth events changed; update the baseline"
        assert got.matched >= expected["matched"] - 1, f"{kind}: {got.matched} matched, baseline {expected['matched']}"
        assert got.found <= expected["found"] + 2, f"{kind}: {got.found} found, baseline {expected['found']}"
