"""The YuNet face detector on real photographs shipped with scikit-image, and on the shared footage.

Reference boxes were measured by eye on the images. The decoder was checked once against OpenCV's
``cv2.FaceDetectorYN`` (same boxes, landmarks and scores to 1e-4 px); OpenCV is not a dependency.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest
from PIL import Image

from footage.detect.faces import Faces, YuNetFaceDetector, default_face_model_path, load_face_detector
from footage.detect.yolox import default_model_path
from footage.errors import ModelError
from footage.geometry import iou_matrix
from support.clips import shared_file

skdata = pytest.importorskip("skimage.data", reason="scikit-image (test extra) ships the sample photos")

#: the astronaut's face in skimage.data.astronaut() (512x512), hairline to chin, ear to ear
ASTRONAUT_FACE = np.array([[175, 58, 270, 170]], np.float32)
#: the cameraman's face (profile, grayscale) in skimage.data.camera() (512x512)
CAMERAMAN_FACE = np.array([[195, 112, 260, 198]], np.float32)


def bgr(rgb: npt.NDArray[np.uint8]) -> npt.NDArray[np.uint8]:
    return np.ascontiguousarray(rgb[:, :, ::-1])


@pytest.fixture(scope="module")
def faces() -> YuNetFaceDetector:
    return load_face_detector()


@pytest.fixture(scope="module")
def astronaut() -> npt.NDArray[np.uint8]:
    return bgr(skdata.astronaut())


def camera_frame(astronaut: npt.NDArray[np.uint8], offset: tuple[int, int]) -> npt.NDArray[np.uint8]:
    """The astronaut enlarged 3x, as much as fits pasted into a grey 1920x1080 frame at ``offset``."""
    big = np.asarray(Image.fromarray(astronaut).resize((1536, 1536), Image.Resampling.BICUBIC))
    frame = np.full((1080, 1920, 3), 100, np.uint8)
    x, y = offset
    frame[y:, x:] = big[: 1080 - y, : 1920 - x]
    return frame


def test_one_face_on_the_astronaut(faces: YuNetFaceDetector, astronaut: npt.NDArray[np.uint8]) -> None:
    found = faces.detect(astronaut)
    assert len(found) == 1
    assert found.confidence[0] > 0.8
    assert iou_matrix(found.xyxy, ASTRONAUT_FACE)[0, 0] > 0.75
    assert found.xyxy.dtype == found.confidence.dtype == found.landmarks.dtype == np.float32
    assert found.landmarks.shape == (1, 5, 2)
    (right_eye, left_eye, nose, mouth_right, mouth_left) = found.landmarks[0]
    assert right_eye[0] < nose[0] < left_eye[0] and mouth_right[0] < mouth_left[0]  # subject's right on image left
    assert max(right_eye[1], left_eye[1]) < nose[1] < min(mouth_right[1], mouth_left[1])
    x1, y1, x2, y2 = found.xyxy[0]
    assert np.all((found.landmarks[0] > [x1, y1]) & (found.landmarks[0] < [x2, y2]))


def test_grayscale_profile_face_on_the_cameraman(faces: YuNetFaceDetector) -> None:
    found = faces.detect(np.repeat(skdata.camera()[:, :, None], 3, axis=2))
    assert len(found) == 1 and found.confidence[0] > 0.8
    assert iou_matrix(found.xyxy, CAMERAMAN_FACE)[0, 0] > 0.75


def test_face_in_a_1080p_camera_frame_maps_to_frame_pixels(faces: YuNetFaceDetector, astronaut: npt.NDArray[np.uint8]) -> None:
    offset = (600, 50)
    found = faces.detect(camera_frame(astronaut, offset))
    assert len(found) == 1 and found.confidence[0] > 0.8
    expected = faces.detect(astronaut)
    shift = np.array(offset, np.float32)
    assert np.abs(found.xyxy - (expected.xyxy * 3 + np.tile(shift, 2))).max() < 12  # pixels of 1080p
    assert np.abs(found.landmarks - (expected.landmarks * 3 + shift)).max() < 12
    assert iou_matrix(found.xyxy, ASTRONAUT_FACE * 3 + np.tile(shift, 2))[0, 0] > 0.75


def test_input_width_shrinks_but_boxes_stay_in_image_pixels(astronaut: npt.NDArray[np.uint8]) -> None:
    found = load_face_detector(input_width=320).detect(astronaut)  # model sees 320x320, faces are 60 px
    assert len(found) == 1
    assert iou_matrix(found.xyxy, ASTRONAUT_FACE)[0, 0] > 0.7


def lfw_mosaic(first: int) -> npt.NDArray[np.uint8]:
    """100 crops of skimage's lfw_subset (0-99 are faces, 100-199 are not), 48 px each, in a grey
    10x10 grid of 64 px cells: a 640x640 BGR image."""
    crops = (skdata.lfw_subset()[first : first + 100] * 255).astype(np.uint8)
    mosaic = np.full((640, 640), 128, np.uint8)
    for i, crop in enumerate(crops):
        row, col = divmod(i, 10)
        mosaic[row * 64 + 8 : row * 64 + 56, col * 64 + 8 : col * 64 + 56] = np.asarray(Image.fromarray(crop).resize((48, 48)))
    return np.repeat(mosaic[:, :, None], 3, axis=2)


def test_many_small_faces_each_found_once(faces: YuNetFaceDetector) -> None:
    found = faces.detect(lfw_mosaic(0))
    cells = {(int(y // 64), int(x // 64)) for x, y in (found.xyxy[:, :2] + found.xyxy[:, 2:]) / 2}
    assert len(found) == len(cells) >= 95  # one box per face, (almost) every face


@pytest.mark.parametrize(
    "image",
    [
        pytest.param(lambda: lfw_mosaic(100), id="lfw-non-faces"),
        pytest.param(lambda: bgr(skdata.chelsea()), id="cat"),
        pytest.param(lambda: bgr(skdata.coffee()), id="coffee"),
        pytest.param(lambda: np.random.default_rng(0).integers(0, 256, (1080, 1920, 3), dtype=np.uint8), id="noise"),
        pytest.param(lambda: np.full((1080, 1920, 3), 128, np.uint8), id="grey"),
        pytest.param(lambda: np.zeros((7, 5, 3), np.uint8), id="tiny"),
    ],
)
def test_no_face_where_there_is_none(faces: YuNetFaceDetector, image: object) -> None:
    found = faces.detect(image())  # type: ignore[operator]
    assert len(found) == 0
    assert found.xyxy.shape == (0, 4) and found.landmarks.shape == (0, 5, 2)


def test_bad_images_are_rejected(faces: YuNetFaceDetector) -> None:
    for image in (np.zeros((10, 10), np.uint8), np.zeros((10, 10, 4), np.uint8), np.zeros((10, 10, 3), np.float32),
                  np.zeros((0, 10, 3), np.uint8)):
        with pytest.raises(ValueError, match="HxWx3 uint8"):
            faces.detect(image)  # type: ignore[arg-type]  # wrong on purpose


def test_faces_columns_are_checked_and_read_only() -> None:
    empty = Faces.empty()
    assert len(empty) == 0
    with pytest.raises(ValueError, match="differ in length"):
        Faces(np.zeros((2, 4), np.float32), np.zeros(1, np.float32), np.zeros((2, 5, 2), np.float32))
    one = Faces(np.zeros((1, 4), np.float32), np.ones(1, np.float32), np.zeros((1, 5, 2), np.float32))
    with pytest.raises(ValueError):
        one.xyxy[0, 0] = 1.0


def test_missing_corrupt_or_wrong_models_are_model_errors(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="face model file not found"):
        YuNetFaceDetector(tmp_path / "none.onnx")
    corrupt = tmp_path / "yunet.onnx"
    for data in (b"not a model", default_face_model_path().read_bytes()[:5000]):
        corrupt.write_bytes(data)
        with pytest.raises(ModelError, match="cannot load face model") as info:
            YuNetFaceDetector(corrupt)
        assert "\n" not in str(info.value)
    with pytest.raises(ModelError, match="not a YuNet model"):
        YuNetFaceDetector(default_model_path())  # the YOLOX object detector


def test_time_per_1080p_frame(faces: YuNetFaceDetector, astronaut: npt.NDArray[np.uint8],
                              capsys: pytest.CaptureFixture[str]) -> None:
    frame = camera_frame(astronaut, (600, 50))
    faces.detect(frame)  # warm up
    start = time.perf_counter()
    for _ in range(20):
        faces.detect(frame)
    mean_ms = (time.perf_counter() - start) / 20 * 1000
    with capsys.disabled():
        print(f"\nYuNet faces: {mean_ms:.1f} ms per 1920x1080 frame (mean of 20, input width {faces.input_width})")


def test_pedestrians_on_the_shared_footage(faces: YuNetFaceDetector, capsys: pytest.CaptureFixture[str]) -> None:
    paths = sorted(shared_file("tud_campus/img1").glob("*.jpg"))
    assert paths, "tud_campus/img1 of the shared footage holds no frames"
    counts = []
    for path in paths:
        image = bgr(np.asarray(Image.open(path).convert("RGB")))
        found = faces.detect(image)
        height, width = image.shape[:2]
        assert np.all((found.xyxy >= 0) & (found.xyxy <= [width, height, width, height]))
        assert np.all(found.xyxy[:, 2:] > found.xyxy[:, :2])
        assert np.all((found.confidence >= faces.score_threshold) & (found.confidence <= 1))
        counts.append(len(found))
    with capsys.disabled():
        print(f"\nYuNet faces on tud_campus: {sum(counts)} in {len(counts)} frames "
              f"(per frame min {min(counts)}, mean {np.mean(counts):.1f}, max {max(counts)})")
