"""Bridging what a detector sees on some frames and not others (pure), and the check's own
arithmetic: which widths it looks at and which patches a face it finds becomes."""

from __future__ import annotations

import pytest

from footage.export.flicker import FlickerParams, bridged, bridged_stream
from footage.export.verify import Finding, VerifyParams, check_widths, fixes

PARAMS = FlickerParams()


def face(x: float, y: float = 100.0, size: float = 20.0) -> tuple[float, float, float, float]:
    return (x, y, x + size, y + size)


def test_a_face_missed_for_two_frames_is_covered_where_it_was_between_the_sightings() -> None:
    window = [[face(100)], [], [], [face(130)]]  # seen on frames 0 and 3, walking right
    assert bridged(window, 0, 1, PARAMS) == [pytest.approx(face(110))]
    assert bridged(window, 0, 2, PARAMS) == [pytest.approx(face(120))]


def test_a_face_is_held_a_couple_of_frames_beyond_its_last_sighting_moving_on() -> None:
    window = [[face(100)], [face(105)], [], [], []]
    assert bridged(window, 0, 2, PARAMS) == [pytest.approx(face(110))]
    assert bridged(window, 0, 3, PARAMS) == [pytest.approx(face(115))]
    assert bridged(window, 0, 4, PARAMS) == [], "held only FlickerParams.hold frames"


def test_a_gap_longer_than_max_gap_is_not_bridged_and_far_or_unlike_boxes_are_not_linked() -> None:
    long_gap = [[face(100)], [], [], [], [], [], [], [face(100)]]
    assert bridged(long_gap, 0, 3, PARAMS) == [] and bridged(long_gap, 0, 4, PARAMS) == [], "beyond either end's hold"
    far = [[face(100)], [], [face(400)]]
    assert sorted(bridged(far, 0, 1, PARAMS)) == sorted([face(100), face(400)]), "two faces held, nothing between"
    unlike = [[face(100, size=10)], [], [face(100, size=60)]]
    assert len(bridged(unlike, 0, 1, PARAMS)) == 2


def test_the_stream_gives_every_item_once_in_order_with_its_bridged_boxes() -> None:
    seen = [[face(100)], [], [face(110)], [], [], [], [], [], [], []]
    out = list(bridged_stream(((i, [boxes]) for i, boxes in enumerate(seen)), PARAMS))
    assert [item for item, _ in out] == list(range(len(seen)))
    covered = [len(kinds[0]) for _, kinds in out]
    assert covered[:5] == [1, 1, 1, 1, 1] and covered[5:] == [0] * 5


def test_the_check_looks_at_the_redaction_width_and_larger_ones() -> None:
    params = VerifyParams()
    assert check_widths(1920, 640, params) == (640, 1920), "the redaction's width and the frame's own"
    assert check_widths(768, 640, params) == (640, 768, 960), "and enlarged where the frame is small"
    assert check_widths(384, 640, params) == (384, 576)
    assert check_widths(4000, 1600, VerifyParams(max_width=1920)) == (1600, 1920)


def test_a_face_found_becomes_a_flat_patch_on_its_frame_and_a_few_either_side_growing_each_pass() -> None:
    params = VerifyParams(fix_frames=2, fix_grow=0.5)
    found = [Finding(1, 0.04, (100.0, 100.0, 120.0, 120.0), 0.5)]
    first, second = fixes(found, 10, params, 1), fixes(found, 10, params, 2)
    assert sorted(first) == [0, 1, 2, 3], "clipped at the clip's first frame"
    patch = first[1][0]
    assert patch.blocks == 1 and patch.xyxy == (90.0, 90.0, 130.0, 130.0)
    assert second[1][0].xyxy == (80.0, 80.0, 140.0, 140.0) and sorted(second) == [0, 1, 2, 3, 4, 5]
    assert [params.watch_at(n) for n in (1, 2, 3, 4)] == pytest.approx([0.3, 0.2, 0.1, 0.1])
