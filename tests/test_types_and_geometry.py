from fractions import Fraction

import numpy as np
import pytest

from footage.geometry import iou_matrix, nms
from footage.types import Detections, Track, TrackBox, box_at


def _dets(n: int) -> Detections:
    xyxy = np.array([[i * 10, 0, i * 10 + 5, 5] for i in range(n)], np.float32)
    return Detections(xyxy, np.linspace(0.1, 0.9, n, dtype=np.float32), np.arange(n))


def test_detections_select_rows_with_a_mask_and_stay_read_only() -> None:
    dets = _dets(5)
    picked = dets[dets.confidence > 0.5]
    assert len(picked) == 2
    assert picked.track_id.tolist() == [-1, -1]
    with pytest.raises(ValueError):
        picked.xyxy[0, 0] = 1.0


def test_detections_reject_columns_of_different_lengths() -> None:
    with pytest.raises(ValueError, match="confidence has 2 rows, xyxy has 3"):
        Detections(np.zeros((3, 4)), np.zeros(2), np.zeros(3))


def test_with_track_ids_returns_a_new_value() -> None:
    dets = _dets(2)
    tracked = dets.with_track_ids(np.array([7, 8]))
    assert tracked.track_id.tolist() == [7, 8]
    assert dets.track_id.tolist() == [-1, -1]


def test_iou_and_nms() -> None:
    boxes = np.array([[0, 0, 10, 10], [0, 0, 10, 5], [20, 20, 30, 30]], np.float32)
    iou = iou_matrix(boxes, boxes)
    assert iou[0, 1] == pytest.approx(0.5)
    assert iou[0, 2] == 0.0
    kept = nms(boxes, np.array([0.9, 0.8, 0.7], np.float32), iou_threshold=0.45)
    assert kept.tolist() == [0, 2]
    assert iou_matrix(boxes[:0], boxes).shape == (0, 3)


def test_box_at_interpolates_holds_and_takes_the_nearest() -> None:
    times = np.array([1.0, 2.0, 8.0])
    xyxy = np.array([[0, 0, 10, 10], [10, 0, 20, 10], [70, 0, 80, 10]], dtype=np.float64)
    assert box_at(times, xyxy, 1.5, hold_s=0.5) == (5.0, 0.0, 15.0, 10.0)
    assert box_at(times, xyxy, 2.0, hold_s=0.5, max_gap_s=0.0) == (10.0, 0.0, 20.0, 10.0)  # on a sample: exactly it
    assert box_at(times, xyxy, 5.0, hold_s=0.5) == (40.0, 0.0, 50.0, 10.0)  # any gap is interpolated by default
    assert box_at(times, xyxy, 5.0, hold_s=3.0, max_gap_s=4.0) == (70.0, 0.0, 80.0, 10.0)  # a tie: the later
    assert box_at(times, xyxy, 5.0, hold_s=2.0, max_gap_s=4.0) is None  # a long gap, neither sample near
    assert box_at(times, xyxy, 0.6, hold_s=0.5) == (0.0, 0.0, 10.0, 10.0)
    assert box_at(times, xyxy, 0.4, hold_s=0.5) is None and box_at(times[:0], xyxy[:0], 1.0, hold_s=9.0) is None


def test_a_track_reads_its_boxes_as_seconds_and_pixels() -> None:
    boxes = (TrackBox(0, 90, (1.0, 2.0, 3.0, 4.0), 0.9), TrackBox(5, 180, (2.0, 2.0, 4.0, 4.0), 0.8))
    track = Track(3, "person", 90, 450, Fraction(1, 90), boxes)
    assert track.times_s.tolist() == [1.0, 2.0] and track.xyxy.shape == (2, 4)
    assert (track.start_s, track.end_s, track.duration_s) == (1.0, 5.0, 4.0)
    assert not track.times_s.flags.writeable
