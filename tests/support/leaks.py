"""What the leak tests and ``benchmarks/redaction_leaks.py`` measure a redacted clip with.

:func:`gradient_correlation` tells a region that still shows its detail from one that was
pixelated. :class:`OpenCvFaces` is an independent face finder: OpenCV's own YuNet runner
(``cv2.FaceDetectorYN``: its own pre-processing, decoding and NMS, not footage's), run on every
decoded frame of a clip at the frame's own size, at the score a user would take (0.6).

It runs the YuNet model of ``../shared/models`` when that is there, else the same weights as
shipped inside the package (their dynamic-size export), which OpenCV runs the same way.
"""

from __future__ import annotations

import math
from pathlib import Path

import av
import numpy as np
import numpy.typing as npt
import pytest

from footage.detect.faces import default_face_model_path

cv2 = pytest.importorskip("cv2", reason="opencv-python-headless (test extra) is the independent face finder")

SHARED_MODEL = Path(__file__).resolve().parents[2] / "shared" / "models" / "yunet_n_640_640.onnx"
#: the score a user of OpenCV's runner would take as "a face"
USER_THRESHOLD = 0.6


class OpenCvFaces:
    """Faces OpenCV finds in BGR frames of one size after another."""

    def __init__(self, threshold: float = USER_THRESHOLD) -> None:
        self.model = str(SHARED_MODEL if SHARED_MODEL.is_file() else default_face_model_path())
        self.threshold = threshold
        self._detector = None
        self._size: tuple[int, int] | None = None

    def find(self, bgr: npt.NDArray[np.uint8]) -> npt.NDArray[np.float32]:
        """(N, 15) rows: x, y, w, h, five landmarks, score (OpenCV's layout)."""
        size = (bgr.shape[1], bgr.shape[0])
        if self._detector is None:
            self._detector = cv2.FaceDetectorYN.create(self.model, "", size, self.threshold, 0.3, 5000)
        if size != self._size:
            self._detector.setInputSize(size)
            self._size = size
        _, faces = self._detector.detect(np.ascontiguousarray(bgr))
        return np.zeros((0, 15), np.float32) if faces is None else faces

    def per_frame(self, clip: Path) -> list[int]:
        """How many faces on each decoded frame of ``clip``."""
        counts = []
        with av.open(str(clip)) as container:
            for frame in container.decode(video=0):
                counts.append(len(self.find(frame.to_ndarray(format="bgr24"))))
        return counts


def gradient_correlation(a: npt.NDArray[np.uint8], b: npt.NDArray[np.uint8]) -> float:
    """Pearson correlation of the horizontal and vertical pixel differences of two grey images."""
    def gradients(image: npt.NDArray[np.uint8]) -> npt.NDArray[np.float64]:
        grey = image.astype(np.float64)
        both = np.concatenate((np.diff(grey, axis=0).ravel(), np.diff(grey, axis=1).ravel()))
        return both - both.mean()

    ga, gb = gradients(a), gradients(b)
    norm = math.sqrt(float(ga @ ga) * float(gb @ gb))
    return float(ga @ gb) / norm if norm else 0.0
