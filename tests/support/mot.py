"""Score MOTChallenge track files against ground truth with py-motmetrics.

Only the frames the tracker processed are scored (a tracker that samples 5 frames a second is
not charged with misses on the frames it never looked at), as the shared footage README says.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

if not hasattr(np, "asfarray"):  # motmetrics 1.4 calls np.asfarray, which NumPy 2 removed
    np.asfarray = lambda a, dtype=np.float64: np.asarray(a, dtype=dtype)  # type: ignore[attr-defined]

import motmetrics
import pandas as pd


@dataclass(frozen=True)
class MotScore:
    mota: float
    idf1: float
    id_switches: int
    false_positives: int
    misses: int
    frames: int


def score_mot(gt_path: Path, result_text: str) -> MotScore:
    """MOTA and IDF1 (IoU >= 0.5 matching) of MOTChallenge ``result_text`` against ``gt_path``,
    on the frames that appear in the result."""
    rows = [line.split(",") for line in result_text.strip().splitlines() if line.strip()]
    result = pd.DataFrame(
        [(int(r[0]), int(r[1]), float(r[2]), float(r[3]), float(r[4]), float(r[5]), float(r[6])) for r in rows],
        columns=["FrameId", "Id", "X", "Y", "Width", "Height", "Confidence"],
    ).set_index(["FrameId", "Id"])
    processed = set(result.index.get_level_values(0))
    gt = motmetrics.io.loadtxt(str(gt_path), fmt="mot15-2D")
    gt = gt[gt.index.get_level_values(0).isin(processed)]
    accumulator = motmetrics.utils.compare_to_groundtruth(gt, result, "iou", distth=0.5)
    summary = motmetrics.metrics.create().compute(
        accumulator, metrics=["mota", "idf1", "num_switches", "num_false_positives", "num_misses"], name="run"
    )
    row = summary.loc["run"]
    return MotScore(float(row["mota"]), float(row["idf1"]), int(row["num_switches"]),
                    int(row["num_false_positives"]), int(row["num_misses"]), len(processed))
