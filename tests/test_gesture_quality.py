"""Gestures against the classes of UT-Interaction: the 41 clips (two people shake hands, hug,
kick, point, punch or push; the class is in the file name) indexed as a folder, and for each
class the share of its clips where footage saw each gesture (printed with ``-s``; the README
has the table). A hand meets the other's hand in a handshake and not in a kick or a pointing;
an arm is held out in a pointing and not in a kick."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest

from footage.people.gestures import GESTURES
from support.cli import footage
from support.clips import shared_file

pytestmark = pytest.mark.slow

CLASSES = ("handshake", "hug", "kick", "point", "punch", "push")


@pytest.fixture(scope="module")
def shares(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, float]]:
    """By class, by gesture: the share of the class's clips where the gesture was seen."""
    db = tmp_path_factory.mktemp("ut") / "i.sqlite"
    indexed = footage("index", shared_file("ut_interaction"), "--db", db, "--no-progress")
    assert indexed.returncode == 0, indexed.stderr
    out = footage("tracks", "--db", db, "--format", "json", "--label", "person")
    clips: dict[str, set[str]] = defaultdict(set)
    seen: dict[tuple[str, str], set[str]] = defaultdict(set)
    for track in json.loads(out.stdout):
        name = Path(track["recording"]).stem
        kind = CLASSES[int(name.split("_")[2])]
        clips[kind].add(name)
        for gesture in track["gestures"]:
            seen[(kind, gesture["gesture"])].add(name)
    table = {kind: {g: len(seen[(kind, g)]) / len(clips[kind]) for g in GESTURES} for kind in CLASSES}
    print("\nclass       clips  " + "  ".join(f"{g:>12}" for g in GESTURES))
    for kind in CLASSES:
        print(f"{kind:10}  {len(clips[kind]):5}  " + "  ".join(f"{table[kind][g]:12.2f}" for g in GESTURES))
    assert sum(len(c) for c in clips.values()) >= 40, "every clip has its two people tracked"
    return table


def test_hands_meet_in_a_handshake_and_not_in_a_kick_or_a_pointing(shares: dict[str, dict[str, float]]) -> None:
    assert shares["handshake"]["hand_to_hand"] >= 0.8
    assert (shares["kick"]["hand_to_hand"] + shares["point"]["hand_to_hand"]) / 2 <= 0.2


def test_an_arm_is_held_out_in_a_pointing_and_not_in_a_kick(shares: dict[str, dict[str, float]]) -> None:
    assert shares["point"]["extended_arm"] >= 0.6
    assert shares["kick"]["extended_arm"] <= 0.3
