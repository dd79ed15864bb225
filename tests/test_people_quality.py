"""Posture and clothing colour against people labelled by eye (``tests/data/postures.md``): the
figures are printed (``-s``) and kept from dropping by ``tests/people_quality_baseline.json``
(more than two points below it fails). The issue's targets (posture accuracy 0.85, sitting
recall 0.8 at precision 0.9, upper colour 0.8) are in the README with what is measured."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from footage.people.colours import clothing_colour
from footage.people.posture import posture_of
from footage.types import Pose
from support.people import Labelled, labelled_people

pytestmark = pytest.mark.slow

BASELINE = Path(__file__).with_name("people_quality_baseline.json")
TOLERANCE = 0.02


@pytest.fixture(scope="module")
def people(tmp_path_factory: pytest.TempPathFactory) -> list[Labelled]:
    return labelled_people(tmp_path_factory.mktemp("people"))


def _in_analysis_pixels(person: Labelled) -> tuple[tuple[float, float, float, float], Pose]:
    box = tuple(v / person.scale for v in person.box)
    keypoints = np.array(person.pose.keypoints) * np.array([1 / person.scale, 1 / person.scale, 1.0], np.float32)
    return box, Pose(keypoints, box)  # type: ignore[arg-type]


def _measured(people: list[Labelled]) -> dict[str, float]:
    said = [posture_of(p.box, p.speed, p.upright_height, p.pose).name for p in people]
    truth = [p.posture for p in people]
    sitting = [(t == "sitting", s == "sitting") for t, s in zip(truth, said, strict=True)]
    hits = sum(1 for t, s in sitting if t and s)
    confusion = Counter(zip(truth, said, strict=True))
    print("\nposture (truth -> said):", dict(sorted(confusion.items())))
    colours = {}
    for part in ("upper", "lower"):
        pairs = []
        for p in people:
            truth_colour = getattr(p, part)
            if truth_colour and truth_colour != "unknown":
                box, pose = _in_analysis_pixels(p)
                pairs.append((truth_colour, clothing_colour(p.rgb, box, pose, part, p.light)))
        colours[part] = sum(1 for t, s in pairs if t == s) / len(pairs)
        print(f"{part} colour: {colours[part]:.3f} of {len(pairs)};",
              "most confused:", Counter((t, s) for t, s in pairs if t != s).most_common(5))
    figures = {
        "posture_accuracy": sum(1 for t, s in zip(truth, said, strict=True) if t == s) / len(people),
        "sitting_recall": hits / max(1, sum(1 for t, _ in sitting if t)),
        "sitting_precision": hits / max(1, sum(1 for _, s in sitting if s)),
        "upper_colour": colours["upper"],
        "lower_colour": colours["lower"],
    }
    print(f"{len(people)} people:", {k: round(v, 3) for k, v in figures.items()})
    return figures


def test_the_labelled_set_is_large_and_covers_the_clips(people: list[Labelled]) -> None:
    assert len(people) >= 150
    assert {p.clip.split("/")[0] for p in people} >= {"pets09_s2l1", "tud_campus", "caviar", "meva_gym",
                                                     "ut_interaction", "surv_fight"}
    assert sum(1 for p in people if p.posture == "sitting") >= 20
    assert sum(1 for p in people if p.upper and p.upper != "unknown") >= 60


def test_posture_and_colour_hold_their_baseline(people: list[Labelled]) -> None:
    figures = _measured(people)
    baseline = json.loads(BASELINE.read_text())
    dropped = {k: (round(v, 3), baseline[k]) for k, v in figures.items() if v < baseline[k] - TOLERANCE}
    assert not dropped, f"fell below the baseline (measured, baseline): {dropped}"


def test_walkers_are_never_found_sitting(people: list[Labelled]) -> None:
    """PETS09-S2L1 and TUD-Campus: everyone walks or stands."""
    walkers = [p for p in people if p.clip.startswith(("pets09", "tud_campus"))]
    said = Counter(posture_of(p.box, p.speed, p.upright_height, p.pose).name for p in walkers)
    assert said["sitting"] == said["crouching"] == said["lying"] == 0, said
