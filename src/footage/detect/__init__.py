"""Object detection: the :class:`Detector` interface and the detectors that implement it.

``load_detector`` picks a backend by name; backends import their runtime (onnxruntime) only when
chosen, so a missing optional runtime fails with a clear message instead of at import time.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from footage import cores
from footage.detect.base import Detector
from footage.errors import ConfigError

if TYPE_CHECKING:
    from footage.config import DetectParams

__all__ = ["BACKENDS", "Detector", "detection_device", "load_detector"]


def _yolox(params: DetectParams) -> Detector:
    from footage.detect.yolox import OnnxDetector

    return OnnxDetector(classes=params.classes, score_threshold=params.score_threshold,
                        nms_threshold=params.nms_threshold, threads=detector_threads(params))


def detector_threads(params: DetectParams) -> int:
    """onnxruntime threads per detection: as set, else the cores the decoder leaves shared among
    the ``workers`` detecting side by side (:func:`footage.cores.detector_threads`)."""
    return params.threads or cores.detector_threads(params.workers)


def detection_device() -> str:
    """Where detection will run on this machine: ``CUDA`` when onnxruntime's CUDA provider is
    installed (``onnxruntime-gpu``) and a GPU is visible, else ``CPU``."""
    import onnxruntime as ort

    return "CUDA" if "CUDAExecutionProvider" in ort.get_available_providers() else "CPU"


#: detector backends by name
BACKENDS: dict[str, Callable[[DetectParams], Detector]] = {"yolox": _yolox}


def load_detector(params: DetectParams, backend: str = "yolox") -> Detector:
    """The detector ``backend`` configured by ``params``."""
    try:
        factory = BACKENDS[backend]
    except KeyError:
        raise ConfigError(f"unknown detector {backend!r}; known: {', '.join(BACKENDS)}") from None
    return factory(params)
