"""The pure parts of exporting: which pieces of which recordings make a clip, where people are
between the sampled frames, what is hidden for each choice, and pixelation that leaves nothing
of what it covers (in RGB and in the encoder's YUV 4:2:0)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from fractions import Fraction

import numpy as np
import pytest

from footage.errors import FootageError
from footage.export.heads import HeadParams, head_from_box
from footage.export.pixelate import hide_in_yuv420, pixelate
from footage.export.plan import plan_clip
from footage.export.redact import RedactParams, Region, TrackPath, held_box, regions_to_hide
from footage.stored import CoveringRecording
from footage.types import Track, TrackBox

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
    """A track sampled at the given (seconds, box), placed on a clip that starts where its recording does."""
    boxes = tuple(TrackBox(n, round(t * 1000), box, 0.9) for n, (t, box) in enumerate(samples))
    return TrackPath(track_id, Track(track_id, label, boxes[0].pts, boxes[-1].pts, Fraction(1, 1000), boxes))


WALKER = path(7, "person", [(1.0, (100, 100, 140, 220)), (3.0, (200, 100, 240, 220))])


def test_a_box_is_interpolated_between_samples_and_held_briefly_outside_them() -> None:
    assert held_box(WALKER, 2.0, 0.5) == (150, 100, 190, 220)
    assert held_box(WALKER, 0.6, 0.5) == (100, 100, 140, 220)
    assert held_box(WALKER, 3.4, 0.5) == (200, 100, 240, 220)
    assert held_box(WALKER, 0.4, 0.5) is None and held_box(WALKER, 3.6, 0.5) is None


SIZE = (640, 480)


def regions(time_s: float, faces: list, paths: list, redact: set[str], keep: frozenset[int] = frozenset(),
            bodies: tuple = ()) -> list[tuple[float, float, float, float]]:
    return [r.xyxy for r in regions_to_hide(time_s, faces, paths, redact=frozenset(redact), keep=frozenset(keep),
                                            params=RedactParams(), size=SIZE, bodies=bodies)]


def test_regions_follow_redact_and_keep() -> None:
    params = RedactParams()
    car = path(9, "car", [(0.0, (300, 300, 500, 400)), (5.0, (300, 300, 500, 400))])
    other = path(8, "person", [(0.0, (10, 10, 50, 130)), (5.0, (10, 10, 50, 130))])
    face_of_walker, stray_face = (145, 105, 165, 130), (400, 20, 420, 45)
    everything = {"faces", "people", "plates"}
    assert len(regions(2.0, [face_of_walker, stray_face], [WALKER, other, car], everything)) == 2 + 2 + 1
    kept = regions(2.0, [face_of_walker, stray_face], [WALKER, other, car], everything, keep=frozenset({7}))
    assert len(kept) == 1 + 1 + 1, "the kept person's face and head stay visible; a face in no person is hidden"
    assert regions(2.0, [stray_face], [WALKER], {"faces"}) != []
    assert regions(2.0, [stray_face], [WALKER], {"people"}) == [head_from_box((150, 100, 190, 220), SIZE, params.head)]


def test_bodies_hide_every_person_and_every_person_shaped_box_but_the_kept() -> None:
    other = path(8, "person", [(0.0, (10, 10, 50, 130)), (5.0, (10, 10, 50, 130))])
    untracked = (500, 300, 530, 380)
    kept_again = (151, 101, 191, 221)  # the detector's box of the kept walker
    hidden = regions(2.0, [], [WALKER, other], {"bodies"}, keep=frozenset({7}), bodies=(untracked, kept_again))
    assert len(hidden) == 3, "the other person's head and body and the untracked body; nothing of the kept walker"
    assert all(not (r[0] < 170 < r[2] and r[1] < 160 < r[3]) for r in hidden), "nothing over the kept walker"
    assert len(regions(2.0, [], [WALKER, other], {"bodies"}, bodies=(untracked,))) == 2 + 3  # two heads, three bodies


def test_pixelation_leaves_only_block_means_and_does_not_touch_the_input() -> None:
    rng = np.random.default_rng(1)
    image = rng.integers(0, 255, (120, 160, 3), dtype=np.uint8)
    before = image.copy()
    out = pixelate(image, [Region(b, 4) for b in [(20.5, 10.2, 80.0, 70.0), (-10, -10, 5, 5), (150, 110, 400, 400)]])
    assert np.array_equal(image, before)
    region = out[10:70, 20:80].astype(int)
    assert len(np.unique(region.reshape(-1, 3), axis=0)) <= 16, "at most 4 x 4 blocks of one colour each"
    assert np.abs(region - before[10:70, 20:80].astype(int)).mean() > 40, "noise is gone"
    assert np.array_equal(out[80:100, 90:140], before[80:100, 90:140]), "outside the regions nothing changes"
    flat = pixelate(image, [Region((20, 10, 80, 70), 1)])[10:70, 20:80]
    assert len(np.unique(flat.reshape(-1, 3), axis=0)) == 1, "one block: one flat colour"


def test_pixelation_in_yuv420_makes_aligned_flat_blocks_in_all_three_planes() -> None:
    rng = np.random.default_rng(2)
    width, height = 160, 120
    yuv = rng.integers(16, 235, (height * 3 // 2, width), dtype=np.uint8)
    before = yuv.copy()
    hide_in_yuv420(yuv, width, height, [Region((21.0, 11.0, 61.0, 51.0), 5)])  # odd edges: widened to even
    luma = yuv[:height]
    u_plane = yuv[height:height + height // 4].reshape(height // 2, width // 2)
    assert np.array_equal(luma[:10], before[:10]) and np.array_equal(luma[:, 62:], before[:height, 62:])
    area = luma[10:52, 20:62]
    assert len(np.unique(area)) <= 25 and area.std() < before[10:52, 20:62].std() / 2
    assert len(np.unique(area[:10, :10])) == 1, "one luma block is one value"
    assert len(np.unique(u_plane[5:10, 10:15])) == 1, "the chroma block under it is one value too"


@pytest.mark.parametrize(("box", "expect"), [
    pytest.param((100, 100, 140, 220), "top", id="standing: the top 30 % a little wider"),
    pytest.param((100, 100, 180, 180), "whole", id="squat (sitting, bending, seen from above): the whole box"),
    pytest.param((100, 100, 160, 190), "deeper", id="in between: deeper than a standing head"),
])
def test_the_head_follows_the_shape_of_the_box(box: tuple[float, float, float, float], expect: str) -> None:
    x1, y1, x2, y2 = head_from_box(box, SIZE, HeadParams())
    assert x1 < box[0] and x2 > box[2] and y1 <= box[1]
    depth = (y2 - box[1]) / (box[3] - box[1])
    assert {"top": 0.25 < depth < 0.35, "whole": depth == 1.0, "deeper": 0.35 < depth < 1.0}[expect], depth


def test_the_head_stays_in_the_picture_and_is_never_shallower_than_the_box_is_wide() -> None:
    x1, y1, x2, y2 = head_from_box((600, -5, 650, 300), SIZE, HeadParams())  # cut by the right and top edges
    assert (x1, y1) >= (0, 0) and x2 <= SIZE[0] and y2 > 60
    wide = head_from_box((100, 100, 150, 400), SIZE, HeadParams())  # standing, 6 times as tall as wide
    assert wide[3] - 100 == pytest.approx(0.3 * 300)
