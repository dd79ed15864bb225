"""YOLOX object detector run by onnxruntime (the only module here that imports onnxruntime).

The shipped model takes a 1x3xHxW BGR image with values 0-255, H and W multiples of 32, and
returns one raw prediction per grid cell at strides 8, 16 and 32: centre offset, log size,
objectness and 80 class scores (already passed through a sigmoid). Decoding, score filtering and
NMS happen here in NumPy.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from importlib import resources
from pathlib import Path

import numpy as np
import numpy.typing as npt

from footage.cores import detector_threads
from footage.errors import ModelError
from footage.geometry import nms
from footage.labels import coco_class_names
from footage.types import Detections, Frame

__all__ = ["OnnxDetector", "default_model_path", "letterbox_pad"]

log = logging.getLogger(__name__)

_STRIDES = (8, 16, 32)
_PAD_VALUE = 114


def default_model_path() -> Path:
    """Path of the YOLOX-Nano model shipped inside the package."""
    return Path(str(resources.files("footage.detect.models").joinpath("yolox_nano_dyn.onnx")))


def letterbox_pad(image: npt.NDArray[np.uint8], multiple: int = 32) -> npt.NDArray[np.float32]:
    """Pad an HxWx3 BGR image on the right and bottom to multiples of ``multiple`` (value 114)
    and return it as a 1x3xH'xW' float32 tensor. No resampling: the caller decodes frames at the
    analysis size already, which FFmpeg's scaler does far faster than NumPy could."""
    height, width = image.shape[:2]
    padded_h = -(-height // multiple) * multiple
    padded_w = -(-width // multiple) * multiple
    tensor = np.full((1, 3, padded_h, padded_w), _PAD_VALUE, dtype=np.float32)
    tensor[0, :, :height, :width] = image.transpose(2, 0, 1)
    return tensor


def _grid(height: int, width: int) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]:
    """Cell origins (N, 2) and strides (N, 1) in the model's output order for an HxW input."""
    cells, strides = [], []
    for stride in _STRIDES:
        rows, cols = height // stride, width // stride
        xs, ys = np.meshgrid(np.arange(cols), np.arange(rows))
        cells.append(np.stack((xs, ys), axis=2).reshape(-1, 2))
        strides.append(np.full((rows * cols, 1), stride))
    return np.concatenate(cells).astype(np.float32), np.concatenate(strides).astype(np.float32)


class OnnxDetector:
    """YOLOX detector on onnxruntime, CUDA when available and asked for, else CPU.

    ``classes`` limits the output to those class names (``None`` keeps all 80);
    ``score_threshold`` is the lowest objectness x class score kept (the tracker wants low-score
    boxes too); ``threads`` is onnxruntime's intra-op thread count (0: the half of the cores the decoder leaves).
    """

    def __init__(
        self,
        model_path: Path | None = None,
        *,
        classes: Iterable[str] | None = None,
        score_threshold: float = 0.1,
        nms_threshold: float = 0.45,
        threads: int = 0,
        providers: Iterable[str] | None = None,
    ) -> None:
        try:
            import onnxruntime as ort
        except ImportError as exc:  # pragma: no cover - onnxruntime is a hard dependency
            raise ModelError("onnxruntime is not installed: pip install onnxruntime") from exc
        path = model_path or default_model_path()
        if not Path(path).is_file():
            raise ModelError(f"model file not found: {path}")
        self.class_names = coco_class_names()
        unknown = sorted(set(classes or ()) - set(self.class_names))
        if unknown:
            raise ModelError(f"unknown class names {unknown}; see coco_classes.txt for the 80 names")
        wanted = set(classes) if classes is not None else set(self.class_names)
        self._class_mask = np.array([name in wanted for name in self.class_names])
        self.score_threshold = score_threshold
        self.nms_threshold = nms_threshold

        options = ort.SessionOptions()
        options.intra_op_num_threads = threads or detector_threads()
        options.inter_op_num_threads = 1
        options.log_severity_level = 3  # the dynamic-size model declares a fixed output shape; ORT warns every run
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        available = ort.get_available_providers()
        chosen = [p for p in (providers or ("CUDAExecutionProvider", "CPUExecutionProvider")) if p in available]
        try:
            self._session = ort.InferenceSession(str(path), sess_options=options, providers=chosen)
        except Exception as exc:  # onnxruntime raises several unrelated types for a bad file
            raise ModelError(f"cannot load model {path}: {exc}") from exc
        self._input_name = self._session.get_inputs()[0].name
        used = self._session.get_providers()
        self.device = "CUDA" if "CUDAExecutionProvider" in used else "CPU"
        log.info("object detector %s on %s", Path(path).name, self.device)
        self._grids: dict[tuple[int, int], tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]] = {}

    def detect(self, frame: Frame) -> Detections:
        tensor = letterbox_pad(frame.image)
        raw = self._session.run(None, {self._input_name: tensor})[0][0]
        return self.decode(raw, tensor.shape[2], tensor.shape[3], frame.image.shape[:2], frame.scale)

    def decode(
        self,
        raw: npt.NDArray[np.float32],
        input_h: int,
        input_w: int,
        image_hw: tuple[int, ...],
        scale: float,
    ) -> Detections:
        """Turn raw (N, 85) predictions into detections in original-frame pixels."""
        key = (input_h, input_w)
        if key not in self._grids:
            self._grids[key] = _grid(input_h, input_w)
        cells, strides = self._grids[key]
        class_scores = raw[:, 5:] * raw[:, 4:5]
        class_scores[:, ~self._class_mask] = 0.0
        class_id = class_scores.argmax(axis=1)
        score = class_scores[np.arange(len(class_id)), class_id]
        keep = score >= self.score_threshold
        if not keep.any():
            return Detections.empty()
        raw, class_id, score = raw[keep], class_id[keep], score[keep]
        centre = (raw[:, :2] + cells[keep]) * strides[keep]
        size = np.exp(raw[:, 2:4]) * strides[keep]
        xyxy = np.concatenate((centre - size / 2, centre + size / 2), axis=1)
        height, width = image_hw
        xyxy = np.clip(xyxy, 0, [width, height, width, height]).astype(np.float32)
        # class-aware NMS: shift each class far apart so boxes of different classes never overlap
        offset = class_id[:, None].astype(np.float32) * 4096.0
        kept = nms(xyxy + offset, score.astype(np.float32), self.nms_threshold)
        return Detections(xyxy[kept] * scale, score[kept], class_id[kept])
