"""Chunk plans and stitching of per-chunk tracks (pure, synthetic tracks).

Each scenario simulates what a single pass and what chunked passes would see of the same moving
objects (a box every 0.2 s), then checks that stitching the chunks gives the single pass back.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, replace
from fractions import Fraction
from itertools import pairwise

import numpy as np
import pytest

from footage.scale.chunks import Chunk, plan_chunks
from footage.scale.stitch import stitch
from footage.track.recorder import FinishedTrack
from footage.types import Track, TrackBox

TB = Fraction(1, 1000)
STEP_MS = 200
WHOLE = Chunk(0, 0.0, math.inf, 0.0, math.inf)


@dataclass(frozen=True)
class Walker:
    """A box of 60x120 px moving right at ``vx`` px/s, present during [start_s, end_s)."""

    label: str
    start_s: float
    end_s: float
    x0: float = 100.0
    y0: float = 100.0
    vx: float = 40.0

    def xyxy(self, t: float) -> tuple[float, float, float, float]:
        x = self.x0 + self.vx * t
        return (x, self.y0, x + 60.0, self.y0 + 120.0)


def observe(
    walkers: list[Walker],
    chunk: Chunk,
    *,
    offset_ms: int = 0,
    ids: list[int] | None = None,
    confidence: float = 0.8,
    min_boxes: int = 3,
) -> list[FinishedTrack]:
    """What a chunk's analysis would return: each walker sampled every 0.2 s inside the chunk."""
    ids = ids or list(range(1, len(walkers) + 1))
    end_ms = 1_000_000 if math.isinf(chunk.end_s) else round(chunk.end_s * 1000)
    found = []
    for track_id, walker in zip(ids, walkers, strict=True):
        lo, hi = max(round(chunk.start_s * 1000), round(walker.start_s * 1000)), min(end_ms, round(walker.end_s * 1000))
        pts = [p for p in range(offset_ms, hi, STEP_MS) if p >= lo]
        if len(pts) < min_boxes:
            continue
        boxes = tuple(TrackBox(p // STEP_MS, p, walker.xyxy(p / 1000), confidence) for p in pts)
        track = Track(track_id, walker.label, pts[0], pts[-1], TB, boxes)
        found.append(FinishedTrack(track, confidence, None))
    return sorted(found, key=lambda f: f.track.first_pts)


def chunked(walkers: list[Walker], chunks: tuple[Chunk, ...], **kwargs: object) -> list[tuple[Chunk, list[FinishedTrack]]]:
    return [(chunk, observe(walkers, chunk, **kwargs)) for chunk in chunks]  # type: ignore[arg-type]


def summary(tracks: list[FinishedTrack]) -> list[tuple[str, int, int, tuple[int, ...]]]:
    return [(f.track.label, f.track.first_pts, f.track.last_pts, tuple(b.pts for b in f.track.boxes)) for f in tracks]


def assert_no_duplicate_pts(tracks: list[FinishedTrack]) -> None:
    for f in tracks:
        pts = [b.pts for b in f.track.boxes]
        assert pts == sorted(set(pts)), f"track {f.track.track_id} has repeated or unordered boxes"


# plan_chunks ------------------------------------------------------------------------------------


def test_plan_splits_a_long_recording_into_overlapping_chunks() -> None:
    chunks = plan_chunks(600.0, 120.0, 5.0)
    assert [c.index for c in chunks] == [0, 1, 2, 3, 4]
    assert [c.own_start_s for c in chunks] == [0.0, 120.0, 240.0, 360.0, 480.0]
    assert [c.start_s for c in chunks] == [0.0, 115.0, 235.0, 355.0, 475.0]
    assert [c.end_s for c in chunks] == [120.0, 240.0, 360.0, 480.0, math.inf]
    assert chunks[-1].own_end_s == math.inf
    assert chunks[1].overlap_s == 5.0


def test_plan_makes_about_equal_chunks() -> None:
    chunks = plan_chunks(250.0, 60.0, 2.0)  # 4 chunks of 62.5 s
    assert len(chunks) == 4
    assert [c.own_start_s for c in chunks] == [0.0, 62.5, 125.0, 187.5]


@pytest.mark.parametrize("duration_s", [1.0, 60.0, 100.0, 180.0, 0.0, -3.0, math.nan, math.inf])
def test_plan_does_not_split_short_or_unknown_recordings(duration_s: float) -> None:
    assert plan_chunks(duration_s, 120.0, 5.0) == (Chunk(0, 0.0, math.inf, 0.0, math.inf),)


def test_plan_splits_just_past_one_and_a_half_chunks() -> None:
    assert len(plan_chunks(181.0, 120.0, 5.0)) == 2


def test_own_ranges_partition_the_recording_for_many_durations() -> None:
    rng = random.Random(8)
    for _ in range(500):
        chunk_s = rng.uniform(1.0, 600.0)
        overlap_s = rng.uniform(0.0, chunk_s * 0.99)
        duration_s = rng.uniform(0.0, chunk_s * 40)
        chunks = plan_chunks(duration_s, chunk_s, overlap_s)
        assert [c.index for c in chunks] == list(range(len(chunks)))
        assert chunks[0].own_start_s == 0.0 and chunks[0].start_s == 0.0
        assert chunks[-1].own_end_s == math.inf and chunks[-1].end_s == math.inf
        for earlier, later in pairwise(chunks):
            assert earlier.own_end_s == later.own_start_s  # no gap, no overlap
            assert earlier.own_start_s < earlier.own_end_s
        for chunk in chunks:
            assert chunk.start_s == max(0.0, chunk.own_start_s - overlap_s)
            assert chunk.end_s == chunk.own_end_s
        if len(chunks) > 1:
            assert duration_s > chunk_s * 1.5
            lengths = [c.own_end_s - c.own_start_s for c in chunks[:-1]] + [duration_s - chunks[-1].own_start_s]
            assert all(0.75 * chunk_s - 1e-9 <= n <= 1.5 * chunk_s + 1e-9 for n in lengths), lengths
        else:
            assert not duration_s > chunk_s * 1.5


@pytest.mark.parametrize(
    ("chunk_s", "overlap_s", "message"),
    [(0.0, 0.0, "chunk_s"), (-5.0, 0.0, "chunk_s"), (math.nan, 0.0, "chunk_s"), (10.0, -1.0, "overlap_s"),
     (10.0, 10.0, "overlap_s"), (10.0, 12.0, "overlap_s")],
)
def test_plan_rejects_bad_sizes(chunk_s: float, overlap_s: float, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        plan_chunks(1000.0, chunk_s, overlap_s)


# stitch -----------------------------------------------------------------------------------------

TWO = plan_chunks(20.0, 10.0, 3.0)  # own [0, 10) and [10, inf); the second reads from 7 s
THREE = plan_chunks(30.0, 10.0, 3.0)  # boundaries at 10 s and 20 s


def test_the_scenario_chunks_are_what_the_tests_assume() -> None:
    assert [(c.start_s, c.own_start_s) for c in TWO] == [(0.0, 0.0), (7.0, 10.0)]
    assert [(c.start_s, c.own_start_s) for c in THREE] == [(0.0, 0.0), (7.0, 10.0), (17.0, 20.0)]


def test_a_person_crossing_a_boundary_becomes_one_track() -> None:
    walkers = [Walker("person", 4.0, 16.0)]
    results = chunked(walkers, TWO)
    assert len(results[0][1]) == 1 and len(results[1][1]) == 1
    stitched = stitch(results)
    assert len(stitched) == 1
    assert_no_duplicate_pts(stitched)
    assert summary(stitched) == summary(observe(walkers, WHOLE))
    assert stitched[0].track.track_id == 1


def test_a_person_across_three_chunks_becomes_one_track() -> None:
    walkers = [Walker("person", 2.0, 28.0)]
    results = chunked(walkers, THREE)
    assert all(len(tracks) == 1 for _, tracks in results)
    stitched = stitch(results)
    assert len(stitched) == 1
    assert_no_duplicate_pts(stitched)
    assert summary(stitched) == summary(observe(walkers, WHOLE))


def test_joining_works_when_chunks_sample_different_frames() -> None:
    walkers = [Walker("person", 2.0, 28.0), Walker("car", 12.0, 25.0, y0=400.0, vx=-30.0, x0=900.0)]
    results = [(chunk, observe(walkers, chunk, offset_ms=100 * chunk.index)) for chunk in THREE]
    stitched = stitch(results)
    single = observe(walkers, WHOLE)
    assert len(stitched) == len(single) == 2
    assert_no_duplicate_pts(stitched)
    for got, want in zip(stitched, single, strict=True):
        assert got.track.label == want.track.label
        assert abs(got.track.first_pts - want.track.first_pts) <= STEP_MS
        assert abs(got.track.last_pts - want.track.last_pts) <= STEP_MS
        gaps = np.diff([b.pts for b in got.track.boxes])
        assert gaps.min() > 0 and gaps.max() <= STEP_MS + 100


@pytest.mark.parametrize("min_iou", [0.5, 0.1])  # at 0.1 the swapped pairs pass the threshold too: best first wins
def test_two_people_side_by_side_are_not_swapped(min_iou: float) -> None:
    left = Walker("person", 5.0, 15.0, x0=100.0, y0=100.0)
    right = Walker("person", 5.0, 15.0, x0=140.0, y0=110.0)  # overlapping boxes, IoU with `left` about 0.2
    earlier = observe([left, right], TWO[0], ids=[1, 2])
    later = observe([left, right], TWO[1], ids=[2, 1])  # the later tracker numbered them the other way
    stitched = stitch([(TWO[0], earlier), (TWO[1], later)], min_iou=min_iou)
    assert len(stitched) == 2
    assert_no_duplicate_pts(stitched)
    for f in stitched:
        walker = left if f.track.boxes[0].xyxy[1] == left.y0 else right
        assert all(b.xyxy == walker.xyxy(b.pts / 1000) for b in f.track.boxes), "boxes of two people were mixed"
        assert f.track.first_pts == 5000 and f.track.last_pts == 14800


def test_a_track_seen_only_in_the_overlap_by_the_later_chunk_is_dropped() -> None:
    earlier_view = observe([Walker("person", 7.5, 9.5)], TWO[0])
    ghost = observe([Walker("dog", 7.5, 9.5, y0=500.0)], TWO[1])  # only the later chunk saw it, wholly before 10 s
    stitched = stitch([(TWO[0], earlier_view), (TWO[1], ghost)])
    assert summary(stitched) == summary(earlier_view)


def test_an_object_inside_the_overlap_seen_by_both_chunks_is_counted_once() -> None:
    walkers = [Walker("person", 7.5, 9.5)]
    stitched = stitch(chunked(walkers, TWO))
    assert summary(stitched) == summary(observe(walkers, WHOLE))


def test_an_unmatched_later_track_that_continues_past_the_boundary_is_kept_whole() -> None:
    walkers = [Walker("person", 9.5, 14.0)]  # the earlier chunk sees two boxes: too few to keep
    results = chunked(walkers, TWO)
    assert results[0][1] == []
    stitched = stitch(results)
    assert len(stitched) == 1
    assert stitched[0].track.first_pts == 9600  # starts in the overlap, kept whole
    assert summary(stitched) == summary(observe(walkers, WHOLE))


def test_different_labels_are_never_joined() -> None:
    earlier = observe([Walker("person", 4.0, 16.0)], TWO[0])
    later = observe([Walker("dog", 4.0, 16.0)], TWO[1])  # exactly the same boxes
    stitched = stitch([(TWO[0], earlier), (TWO[1], later)])
    assert sorted(f.track.label for f in stitched) == ["dog", "person"]
    dog = next(f for f in stitched if f.track.label == "dog")
    assert dog.track.first_pts == 7000  # kept whole: it continues past the boundary


def test_a_poor_overlap_is_not_joined() -> None:
    earlier = observe([Walker("person", 4.0, 16.0)], TWO[0])
    later = observe([Walker("person", 4.0, 16.0, x0=140.0)], TWO[1])  # IoU 0.2 with the earlier boxes
    assert len(stitch([(TWO[0], earlier), (TWO[1], later)])) == 2
    assert len(stitch([(TWO[0], earlier), (TWO[1], later)], min_iou=0.1)) == 1


def test_one_common_time_is_not_enough_to_join() -> None:
    walkers = [Walker("person", 4.0, 16.0)]
    earlier = observe(walkers, TWO[0])
    later = observe(walkers, TWO[1])
    boxes = earlier[0].track.boxes[:-14]  # the track ends there (not a still scene that keeps it present)
    short_earlier = [replace(earlier[0], track=replace(earlier[0].track, boxes=boxes, last_pts=boxes[-1].pts))]
    assert short_earlier[0].track.boxes[-1].pts == 7000  # one box inside the overlap window
    assert len(stitch([(TWO[0], short_earlier), (TWO[1], later)])) == 2


def test_an_object_present_through_a_still_overlap_is_one_track() -> None:
    # a parked car: boxes only while the scene moved; in the still overlap, presence alone
    walkers = [Walker("car", 0.0, 16.0, vx=0.0)]
    earlier, later = observe(walkers, TWO[0]), observe(walkers, TWO[1])
    window_start = TWO[1].start_s
    e = earlier[0].track
    before = tuple(b for b in e.boxes if float(b.pts * e.time_base) < window_start - 1.0)  # no boxes in the overlap
    earlier = [replace(earlier[0], track=replace(e, boxes=before))]  # last_pts still at the chunk's end
    lt = later[0].track
    first_two = lt.boxes[:2]  # the later chunk saw it as it started, then the scene was still
    later = [replace(later[0], track=replace(lt, boxes=first_two))]
    (joined,) = stitch([(TWO[0], earlier), (TWO[1], later)])
    assert joined.track.first_pts == e.first_pts and joined.track.last_pts == lt.last_pts


def test_a_joined_track_weights_confidence_and_keeps_the_better_thumbnail() -> None:
    walkers = [Walker("person", 4.0, 16.0)]
    earlier, later = observe(walkers, TWO[0], confidence=0.6), observe(walkers, TWO[1], confidence=0.9)
    earlier_thumb, later_thumb = np.zeros((4, 4, 3), np.uint8), np.ones((4, 4, 3), np.uint8)
    earlier = [replace(earlier[0], thumbnail=earlier_thumb)]
    later = [replace(later[0], thumbnail=later_thumb)]
    (joined,) = stitch([(TWO[0], earlier), (TWO[1], later)])
    before, after = 30, 30  # boxes 4.0..9.8 s from the earlier chunk, 10.0..15.8 s from the later one
    assert len(joined.track.boxes) == before + after
    assert joined.confidence == pytest.approx((0.6 * before + 0.9 * after) / (before + after))
    assert joined.thumbnail is later_thumb
    (kept,) = stitch([(TWO[0], earlier), (TWO[1], [replace(later[0], thumbnail=None)])])
    assert kept.thumbnail is earlier_thumb


def test_ids_are_renumbered_by_start() -> None:
    walkers = [
        Walker("person", 12.0, 25.0), Walker("car", 1.0, 8.0, y0=400.0), Walker("person", 6.0, 22.0, y0=250.0),
        Walker("dog", 18.0, 29.0, y0=600.0), Walker("person", 0.0, 3.0, y0=700.0),
    ]
    results = [(chunk, observe(walkers, chunk, ids=[10, 3, 7, 1, 5])) for chunk in THREE]
    stitched = stitch(list(reversed(results)))  # chunk order does not matter
    assert [f.track.track_id for f in stitched] == [1, 2, 3, 4, 5]
    starts = [f.track.first_pts for f in stitched]
    assert starts == sorted(starts)
    assert summary(stitched) == summary(observe(walkers, WHOLE))
    assert_no_duplicate_pts(stitched)


def test_a_single_chunk_is_returned_unchanged_except_for_ids() -> None:
    tracks = observe([Walker("person", 5.0, 9.0), Walker("car", 1.0, 3.0, y0=400.0)], WHOLE, ids=[7, 3])
    stitched = stitch([(WHOLE, tracks)])
    assert stitched == [replace(f, track=replace(f.track, track_id=i)) for i, f in enumerate(tracks, start=1)]
    assert stitch([]) == []


def test_chunks_that_do_not_meet_are_rejected() -> None:
    walkers = [Walker("person", 2.0, 28.0)]
    results = chunked(walkers, THREE)
    with pytest.raises(ValueError, match="do not meet"):
        stitch([results[0], results[2]])
