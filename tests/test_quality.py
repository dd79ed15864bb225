"""Quality gates on the shared real footage (marked slow; CI runs them).

* tracking: ``footage index`` then ``footage tracks --format mot``, scored with py-motmetrics
  against the MOT15 ground truth; must not fall more than 2 points below
  ``quality_baseline.json``, and PETS09-S2L1 must meet the targets (MOTA 0.75, IDF1 0.70);
* the motion gate and keyframe skipping lose no track: every real clip gives the same tracks,
  start and end within a second, with the gate on as with every sample analysed.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from support.cli import footage
from support.mot import score_mot

pytestmark = pytest.mark.slow

BASELINE = json.loads((Path(__file__).parent / "quality_baseline.json").read_text())
TOLERANCE = 0.02
SEQUENCES = {
    "pets09_s2l1": "pets09_s2l1/vtest.avi",
    "tud_campus": "tud_campus/TUD-Campus_mp4v.mp4",
}
TARGETS = {"pets09_s2l1": {"mota": 0.75, "idf1": 0.70}}


@pytest.mark.parametrize("sequence", list(SEQUENCES))
def test_tracking_quality_on_ground_truth(sequence: str, shared_footage: Path, tmp_path: Path) -> None:
    clip = shared_footage / SEQUENCES[sequence]
    db = tmp_path / "index.sqlite"
    assert footage("index", str(clip), "--db", str(db), "--no-progress").returncode == 0
    mot = footage("tracks", "--db", str(db), "--recording", str(clip), "--format", "mot")
    assert mot.returncode == 0, mot.stderr
    score = score_mot(shared_footage / sequence.split("/")[0] / "gt" / "gt.txt", mot.stdout)
    print(f"{sequence}: {score}")
    baseline = BASELINE[sequence]
    assert score.mota >= baseline["mota"] - TOLERANCE, f"MOTA fell: {score.mota:.4f} < {baseline['mota']}"
    assert score.idf1 >= baseline["idf1"] - TOLERANCE, f"IDF1 fell: {score.idf1:.4f} < {baseline['idf1']}"
    for metric, target in TARGETS.get(sequence, {}).items():
        assert getattr(score, metric) >= target, f"{metric} {getattr(score, metric):.4f} below target {target}"


GATE_CLIPS = [
    "pets09_s2l1/vtest.avi",
    "tud_campus/TUD-Campus_mp4v.mp4",
    "intel_sample_videos/one-by-one-person-detection.mp4",
    "intel_sample_videos/car-detection.mp4",
    "traffic/video.avi",
]


def _tracks(clip: Path, db: Path, *extra: str) -> list[dict]:
    assert footage("index", str(clip), "--db", str(db), "--no-progress", *extra).returncode == 0
    return json.loads(footage("tracks", "--db", str(db), "--format", "json").stdout)


@pytest.mark.parametrize("relative", GATE_CLIPS)
def test_motion_gate_loses_no_track(relative: str, shared_footage: Path, tmp_path: Path) -> None:
    clip = shared_footage / relative
    ungated_config = tmp_path / "ungated.toml"
    ungated_config.write_text("[ingest]\nmotion_gate = false\n")
    gated = _tracks(clip, tmp_path / "gated.sqlite")
    ungated = _tracks(clip, tmp_path / "ungated.sqlite", "--config", str(ungated_config))
    assert len(gated) == len(ungated)
    unmatched = list(gated)
    for track in ungated:
        match = next(
            (g for g in unmatched if g["label"] == track["label"]
             and abs(g["first_s"] - track["first_s"]) <= 1.0 and abs(g["last_s"] - track["last_s"]) <= 1.0),
            None,
        )
        assert match is not None, f"track lost with the gate on: {track}"
        unmatched.remove(match)
