"""Reading MOTChallenge files, matching events against a reference, and notability scores."""

from __future__ import annotations

from pathlib import Path

import pytest

from footage.errors import TrackFileError
from footage.events.describe import say_duration
from footage.events.score import notability
from footage.events.scoring import match_events
from footage.ingest.mot import read_mot
from footage.types import Event


def test_read_mot_skips_ignored_rows_and_counts_time_from_frame_one(tmp_path: Path) -> None:
    path = tmp_path / "gt.txt"
    path.write_text("1,7,10,20,30,60,1,-1,-1,-1\n3,7,12,20,30,60,1,-1,-1,-1\n5,8,0,0,10,10,0,-1,-1,-1\n")
    tracks, span = read_mot(path, fps=2.0)
    assert [t.track_id for t in tracks] == [7]
    assert list(tracks[0].times_s) == [0.0, 1.0]
    assert tuple(tracks[0].xyxy[0]) == (10, 20, 40, 80)
    assert (span.start_s, span.end_s) == (0.0, 2.0)


@pytest.mark.parametrize("text", ["1,2,3\n", "0,1,10,10,5,5,1\n", "1,1,10,10,-5,5,1\n", "a,b,c,d,e,f,g\n"])
def test_read_mot_rejects_what_is_not_motchallenge(tmp_path: Path, text: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_text(text)
    with pytest.raises(TrackFileError, match="line 1"):
        read_mot(path, fps=10.0)


def _event(kind: str, start: float, end: float, *subjects: int) -> Event:
    return Event(kind, start, end, subjects, ("person",) * len(subjects), subjects, start)


def test_events_match_on_kind_people_and_half_the_time() -> None:
    reference = [_event("together", 0, 20, 1, 2), _event("lingered", 5, 25, 3)]
    found = [
        _event("together", 8, 30, 12, 11),  # overlaps 12 s of the shorter (20 s): a match
        _event("lingered", 40, 60, 13),  # same person, another time: no match
        _event("lingered", 6, 20, 14),  # a person that is nobody in the reference
    ]
    scores = {s.kind: s for s in match_events(reference, found, {11: 1, 12: 2, 13: 3})}
    assert (scores["together"].precision, scores["together"].recall) == (1.0, 1.0)
    assert (scores["lingered"].reference, scores["lingered"].found, scores["lingered"].matched) == (1, 2, 0)


def test_rarer_longer_and_busier_moments_score_higher() -> None:
    common = notability(("together",), 60, 2, kind_count=50, camera_count=60)
    rare = notability(("together",), 60, 2, kind_count=1, camera_count=60)
    longer = notability(("together",), 600, 2, kind_count=50, camera_count=60)
    busier = notability(("together",), 60, 4, kind_count=50, camera_count=60)
    assert rare > common and longer > common and busier > common
    assert notability(("played_catch",), 60, 2, 5, 60) > notability(("lingered",), 60, 1, 5, 60)


@pytest.mark.parametrize(("seconds", "words"), [(42, "42 s"), (180, "3 min"), (200, "3 min 20 s"), (3900, "1 h 5 min")])
def test_durations_read_naturally(seconds: float, words: str) -> None:
    assert say_duration(seconds) == words
