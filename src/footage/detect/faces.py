"""YuNet face detector run by onnxruntime, for redacting faces before a clip is shared.

The shipped ``yunet_n_dynamic.onnx`` (libfacedetection.train, Apache-2.0) takes a 1x3xHxW float32
BGR image with values 0-255 (no mean, no scaling), H and W multiples of 32, and returns, per
stride 8, 16 and 32, one row per grid cell in row-major order: ``cls_*`` and ``obj_*`` (1 value,
sigmoid already applied), ``bbox_*`` (4: centre offset in cells, log size in strides) and
``kps_*`` (10: five landmarks as offsets in cells). Decoding and NMS follow OpenCV's
``cv2.FaceDetectorYN`` and happen here in NumPy; OpenCV itself is not needed.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np
import numpy.typing as npt
from PIL import Image

from footage.cores import detector_threads
from footage.errors import ModelError
from footage.geometry import nms

__all__ = ["Faces", "YuNetFaceDetector", "default_face_model_path", "load_face_detector"]

log = logging.getLogger(__name__)

_STRIDES = (8, 16, 32)
FloatArray = npt.NDArray[np.float32]


@dataclass(frozen=True, eq=False)
class Faces:
    """Faces found in one image, in pixels of the image given to :meth:`YuNetFaceDetector.detect`.

    ``xyxy`` (N, 4) float32 box corners, clipped to the image; ``confidence`` (N,) float32 in
    [0, 1]; ``landmarks`` (N, 5, 2) float32 x, y of the right eye, left eye, nose tip, right and
    left mouth corner (the subject's right and left), not clipped. Arrays are read-only.
    """

    xyxy: FloatArray
    confidence: FloatArray
    landmarks: FloatArray

    def __post_init__(self) -> None:
        xyxy = np.asarray(self.xyxy, dtype=np.float32).reshape(-1, 4)
        confidence = np.asarray(self.confidence, dtype=np.float32).reshape(-1)
        landmarks = np.asarray(self.landmarks, dtype=np.float32).reshape(-1, 5, 2)
        if not len(xyxy) == len(confidence) == len(landmarks):
            raise ValueError(f"Faces columns differ in length: xyxy {len(xyxy)}, confidence {len(confidence)}, "
                             f"landmarks {len(landmarks)}")
        for name, array in (("xyxy", xyxy), ("confidence", confidence), ("landmarks", landmarks)):
            array.setflags(write=False)
            object.__setattr__(self, name, array)  # frozen: set once, as read-only arrays

    @classmethod
    def empty(cls) -> Faces:
        return cls(np.zeros((0, 4), np.float32), np.zeros(0, np.float32), np.zeros((0, 5, 2), np.float32))

    def __len__(self) -> int:
        return len(self.xyxy)


def default_face_model_path() -> Path:
    """Path of the YuNet model shipped inside the package."""
    return Path(str(resources.files("footage.detect.models").joinpath("yunet_n_dynamic.onnx")))


def _grid(height: int, width: int, stride: int) -> FloatArray:
    """(rows*cols, 2) float32 column, row of each cell of an HxW input, in the model's row-major order."""
    cols, rows = np.meshgrid(np.arange(width // stride), np.arange(height // stride))
    return np.stack((cols, rows), axis=2).reshape(-1, 2).astype(np.float32)


class YuNetFaceDetector:
    """YuNet faces on onnxruntime (CPU).

    ``score_threshold`` is the lowest ``sqrt(cls * obj)`` kept (OpenCV's default 0.9 misses
    small, blurred CCTV faces; redaction prefers a false blur to a missed face);
    ``nms_threshold`` the IoU above which the weaker of two boxes is dropped; ``input_width``
    the widest image the model sees: wider images are shrunk to it (aspect kept), narrower ones
    are run at their own size, never enlarged (enlarging costs time and adds no detail). Faces
    below about 10-20 pixels at the model's size are not found, so for CCTV set ``input_width``
    to the frame width (1920: about 4x the time of 640) or also blur every tracked person's head.
    ``threads`` is onnxruntime's intra-op thread count (0: the cores the decoder leaves).
    """

    def __init__(
        self,
        model_path: Path | None = None,
        *,
        score_threshold: float = 0.6,
        nms_threshold: float = 0.3,
        input_width: int = 640,
        threads: int = 0,
    ) -> None:
        try:
            import onnxruntime as ort
        except ImportError as exc:  # pragma: no cover - onnxruntime is a hard dependency
            raise ModelError("onnxruntime is not installed: pip install onnxruntime") from exc
        if input_width < 32:
            raise ValueError(f"input_width must be at least 32 pixels, not {input_width}")
        path = Path(model_path or default_face_model_path())
        if not path.is_file():
            raise ModelError(f"face model file not found: {path}")
        self.score_threshold = score_threshold
        self.nms_threshold = nms_threshold
        self.input_width = input_width
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads or detector_threads()
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        try:
            self._session = ort.InferenceSession(str(path), sess_options=options, providers=["CPUExecutionProvider"])
        except Exception as exc:  # onnxruntime raises several unrelated types for a bad file
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise ModelError(f"cannot load face model {path}: {reason}") from exc
        self._input_name = self._session.get_inputs()[0].name
        names = [output.name for output in self._session.get_outputs()]
        wanted = [f"{kind}_{stride}" for kind in ("cls", "obj", "bbox", "kps") for stride in _STRIDES]
        if sorted(names) != sorted(wanted):
            raise ModelError(f"{path} is not a YuNet model with outputs {', '.join(wanted)}")
        self._output_names = wanted
        self._grids: dict[tuple[int, int], list[FloatArray]] = {}
        self._buffers: dict[tuple[int, int], FloatArray] = {}
        self.device = "CPU"
        log.info("face detector %s on CPU", path.name)

    def detect(self, image_bgr: npt.NDArray[np.uint8]) -> Faces:
        """Faces in an HxWx3 uint8 BGR image of any size, in that image's pixels."""
        if image_bgr.ndim != 3 or image_bgr.shape[2] != 3 or image_bgr.dtype != np.uint8 or image_bgr.size == 0:
            raise ValueError(f"expected an HxWx3 uint8 BGR image, got {image_bgr.shape} {image_bgr.dtype}")
        height, width = image_bgr.shape[:2]
        small = image_bgr
        if width > self.input_width:
            size = (self.input_width, max(1, round(height * self.input_width / width)))
            # BOX averages each source area (OpenCV's INTER_AREA): no aliasing, faster than BILINEAR in PIL
            small = np.asarray(Image.fromarray(image_bgr).resize(size, Image.Resampling.BOX))
        small_h, small_w = small.shape[:2]
        padded_h, padded_w = -(-small_h // 32) * 32, -(-small_w // 32) * 32
        tensor = self._tensor(small_h, small_w, padded_h, padded_w)
        tensor[0, :, :small_h, :small_w] = small.transpose(2, 0, 1)
        outputs = self._session.run(self._output_names, {self._input_name: tensor})
        xyxy, confidence, landmarks = self.decode(outputs, padded_h, padded_w)
        if len(confidence) == 0:
            return Faces.empty()
        scale = np.array([width / small_w, height / small_h], dtype=np.float32)
        xyxy = np.clip(xyxy * np.tile(scale, 2), 0, [width, height, width, height]).astype(np.float32)
        return Faces(xyxy, confidence, landmarks * scale)

    def _tensor(self, height: int, width: int, padded_h: int, padded_w: int) -> FloatArray:
        """The input tensor for an image of ``height`` x ``width``, kept between calls (its padding
        stays black, as OpenCV pads; the image part is overwritten each time)."""
        key = (height, width)
        if key not in self._buffers:
            self._buffers[key] = np.zeros((1, 3, padded_h, padded_w), dtype=np.float32)
        return self._buffers[key]

    def decode(
        self, outputs: list[FloatArray], input_h: int, input_w: int
    ) -> tuple[FloatArray, FloatArray, FloatArray]:
        """Raw outputs (in ``cls, obj, bbox, kps`` x strides 8, 16, 32 order) of an
        ``input_h`` x ``input_w`` tensor -> xyxy (N, 4), confidence (N,), landmarks (N, 5, 2),
        float32 in input pixels, after the score threshold and NMS."""
        key = (input_h, input_w)
        if key not in self._grids:
            self._grids[key] = [_grid(input_h, input_w, stride) for stride in _STRIDES]
        boxes, scores, points = [], [], []
        for i, stride in enumerate(_STRIDES):
            cls, obj, bbox, kps = (outputs[i + len(_STRIDES) * k][0] for k in range(4))
            score = np.sqrt(np.clip(cls[:, 0], 0, 1) * np.clip(obj[:, 0], 0, 1))
            keep = score >= self.score_threshold
            if not keep.any():
                continue
            cells, bbox, kps = self._grids[key][i][keep], bbox[keep], kps[keep].reshape(-1, 5, 2)
            centre = (cells + bbox[:, :2]) * stride
            half = np.exp(bbox[:, 2:4]) * stride / 2
            boxes.append(np.concatenate((centre - half, centre + half), axis=1))
            scores.append(score[keep])
            points.append((cells[:, None, :] + kps) * stride)
        if not scores:
            return np.zeros((0, 4), np.float32), np.zeros(0, np.float32), np.zeros((0, 5, 2), np.float32)
        xyxy = np.concatenate(boxes).astype(np.float32)
        confidence = np.concatenate(scores).astype(np.float32)
        kept = nms(xyxy, confidence, self.nms_threshold)
        return xyxy[kept], confidence[kept], np.concatenate(points).astype(np.float32)[kept]


def load_face_detector(
    *, score_threshold: float = 0.6, nms_threshold: float = 0.3, input_width: int = 640, threads: int = 0
) -> YuNetFaceDetector:
    """The YuNet face detector with the model shipped inside the package."""
    return YuNetFaceDetector(score_threshold=score_threshold, nms_threshold=nms_threshold,
                             input_width=input_width, threads=threads)
