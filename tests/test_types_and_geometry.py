import numpy as np
import pytest

from footage.geometry import iou_matrix, nms
from footage.types import Detections


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
