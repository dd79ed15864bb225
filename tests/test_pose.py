"""The pose model: real keypoints on a real person, and clear errors for a bad model file."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import pytest

from footage.detect.yolox import OnnxDetector
from footage.errors import ConfigError, ModelError
from footage.pose import PoseEstimator, load_pose_estimator
from footage.pose.movenet import MoveNet
from footage.types import Frame


@pytest.fixture(scope="module")
def person_frame(sample_clip: Path) -> tuple[Frame, tuple[float, float, float, float]]:
    with av.open(str(sample_clip)) as container:
        for i, decoded in enumerate(container.decode(video=0)):
            if i == 300:  # 30 s in: a person stands at the table
                image = decoded.to_ndarray(format="bgr24", width=640, height=360)
                break
    frame = Frame(300, 300, decoded.time_base, image, 768 / 640)
    found = OnnxDetector(classes=["person"]).detect(frame)
    return frame, tuple(float(v) for v in found.xyxy[found.confidence.argmax()])  # type: ignore[return-value]


def test_movenet_finds_the_body_of_a_standing_person(person_frame: tuple[Frame, tuple[float, ...]]) -> None:
    frame, box = person_frame
    estimator = load_pose_estimator()
    assert isinstance(estimator, PoseEstimator)
    (pose,) = estimator.estimate(frame, [box])  # type: ignore[list-item]
    x1, y1, x2, y2 = box
    sure = pose.keypoints[pose.keypoints[:, 2] > 0.3]
    assert len(sure) >= 8  # most of the body is seen
    height = y2 - y1
    assert (sure[:, 0] > x1 - 0.2 * height).all() and (sure[:, 0] < x2 + 0.2 * height).all()
    nose, hip, ankle = (pose.point(name) for name in ("nose", "left_hip", "left_ankle"))
    assert nose is not None and hip is not None and ankle is not None
    assert nose[1] < hip[1] < ankle[1]  # head above hips above feet: upright
    assert pose.box == box


def test_several_people_at_once_come_back_in_order(person_frame: tuple[Frame, tuple[float, ...]]) -> None:
    frame, box = person_frame
    elsewhere = (10.0, 10.0, 60.0, 120.0)
    poses = MoveNet().estimate(frame, [box, elsewhere])  # type: ignore[list-item]
    assert [p.box for p in poses] == [box, elsewhere]
    assert np.median(poses[0].keypoints[:, 2]) > np.median(poses[1].keypoints[:, 2])  # nobody in the corner


def test_a_missing_or_damaged_model_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="pose model file not found"):
        MoveNet(tmp_path / "nothing.onnx")
    broken = tmp_path / "broken.onnx"
    broken.write_text("not a model")
    with pytest.raises(ModelError, match="cannot load pose model") as caught:
        MoveNet(broken)
    assert "\n" not in str(caught.value)  # one line
    with pytest.raises(ConfigError, match="unknown pose model"):
        load_pose_estimator("openpose")
