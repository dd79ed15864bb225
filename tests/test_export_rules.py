"""The pure parts of exporting: which pieces of which recordings make a clip, where heads are
between the sampled frames, and pixelation that leaves nothing of what it covers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from footage.errors import FootageError
from footage.export.plan import CoveringRecording, plan_clip
from footage.export.redact import RedactParams, TrackPath, box_at, head_region, pixelate, regions_to_hide

T0 = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)


def rec(rid: int, start_s: float, length_s: float, first_s: float = 0.0) -> CoveringRecording:
    """A recording starting ``start_s`` after T0 (wall clock), ``length_s`` long."""
    return CoveringRecording(rid, f"/cam/{rid}.mp4", T0 + timedelta(seconds=start_s), first_s, length_s)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def test_a_span_inside_one_recording_is_one_piece() -> None:
    plan = plan_clip("door", at(10), at(25), [rec(1, 0, 60)])
    assert [(p.recording_id, p.start_s, p.end_s, p.clip_start_s) for p in plan.pieces] == [(1, 10, 25, 0)]
    assert plan.duration_s == 15 and plan.gaps_s == 0


def test_a_span_across_two_recordings_is_cut_at_the_boundary() -> None:
    plan = plan_clip("door", at(50), at(70), [rec(2, 60, 60), rec(1, 0, 60)])
    assert [(p.recording_id, p.start_s, p.end_s, p.clip_start_s) for p in plan.pieces] == [(1, 50, 60, 0), (2, 0, 10, 10)]
    assert plan.start_utc == at(50) and plan.end_utc == at(70)


def test_overlapping_recordings_do_not_repeat_time() -> None:
    plan = plan_clip("door", at(50), at(70), [rec(1, 0, 60), rec(2, 55, 60)])
    assert [(p.recording_id, p.start_s, p.end_s) for p in plan.pieces] == [(1, 50, 60), (2, 5, 15)]
    assert plan.duration_s == 20


def test_a_gap_between_recordings_is_left_out_and_counted() -> None:
    plan = plan_clip("door", at(50), at(90), [rec(1, 0, 60), rec(2, 70, 60)])
    assert plan.duration_s == 30 and plan.gaps_s == pytest.approx(10)


def test_the_span_is_clipped_to_what_was_recorded() -> None:
    plan = plan_clip("door", at(-5), at(3), [rec(1, 0, 60, first_s=0.5)])
    assert plan.pieces[0].start_s == 0.5 and plan.start_utc == at(0.5)


@pytest.mark.parametrize("span", [(at(100), at(110)), (at(20), at(20)), (at(30), at(20))])
def test_a_span_nothing_covers_is_refused(span: tuple[datetime, datetime]) -> None:
    with pytest.raises(FootageError):
        plan_clip("door", *span, [rec(1, 0, 60)])


def path(track_id: int, label: str, samples: list[tuple[float, tuple[float, float, float, float]]]) -> TrackPath:
    return TrackPath(track_id, label, np.array([t for t, _ in samples]), np.array([b for _, b in samples], dtype=float))


WALKER = path(7, "person", [(1.0, (100, 100, 140, 220)), (3.0, (200, 100, 240, 220))])


def test_a_box_is_interpolated_between_samples_and_held_briefly_outside_them() -> None:
    assert box_at(WALKER, 2.0, 0.5) == (150, 100, 190, 220)
    assert box_at(WALKER, 0.6, 0.5) == (100, 100, 140, 220)
    assert box_at(WALKER, 3.4, 0.5) == (200, 100, 240, 220)
    assert box_at(WALKER, 0.4, 0.5) is None and box_at(WALKER, 3.6, 0.5) is None


def test_the_head_region_is_the_top_of_the_box_a_little_wider() -> None:
    x1, y1, x2, y2 = head_region((100, 100, 140, 220), RedactParams())
    assert x1 < 100 and x2 > 140 and y1 <= 100 and 125 < y2 < 145


def test_regions_follow_redact_and_keep() -> None:
    params = RedactParams()
    car = path(9, "car", [(0.0, (300, 300, 500, 400)), (5.0, (300, 300, 500, 400))])
    other = path(8, "person", [(0.0, (10, 10, 50, 130)), (5.0, (10, 10, 50, 130))])
    face_of_walker, stray_face = (145, 105, 165, 130), (400, 20, 420, 45)
    everything = frozenset({"faces", "people", "plates"})
    regions = regions_to_hide(2.0, [face_of_walker, stray_face], [WALKER, other, car], redact=everything, keep=frozenset(),
                              params=params)
    assert len(regions) == 2 + 2 + 1  # two faces, two heads, one plate
    kept = regions_to_hide(2.0, [face_of_walker, stray_face], [WALKER, other, car], redact=everything,
                           keep=frozenset({7}), params=params)
    assert len(kept) == 1 + 1 + 1, "the kept person's face and head stay visible; a face in no person is hidden"
    assert regions_to_hide(2.0, [stray_face], [WALKER], redact=frozenset({"faces"}), keep=frozenset(), params=params) != []
    assert regions_to_hide(2.0, [stray_face], [WALKER], redact=frozenset({"people"}), keep=frozenset(), params=params) \
        == [head_region((150, 100, 190, 220), params)]


def test_pixelation_leaves_only_block_means_and_does_not_touch_the_input() -> None:
    rng = np.random.default_rng(1)
    image = rng.integers(0, 255, (120, 160, 3), dtype=np.uint8)
    before = image.copy()
    out = pixelate(image, [(20.5, 10.2, 80.0, 70.0), (-10, -10, 5, 5), (150, 110, 400, 400)], blocks=4)
    assert np.array_equal(image, before)
    region = out[10:70, 20:80].astype(int)
    assert len(np.unique(region.reshape(-1, 3), axis=0)) <= 16, "at most 4 x 4 blocks of one colour each"
    assert np.abs(region - before[10:70, 20:80].astype(int)).mean() > 40, "noise is gone"
    assert np.array_equal(out[80:100, 90:140], before[80:100, 90:140]), "outside the regions nothing changes"
