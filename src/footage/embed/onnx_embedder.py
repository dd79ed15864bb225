"""Embedding models as ONNX files the user provides: a text encoder with its WordPiece
``vocab.txt`` (for example a sentence-transformers MiniLM export), and optionally an image
encoder trained into the same space (for example the CLIP image tower that a multilingual
CLIP text encoder was aligned to). Nothing is downloaded.

Text model: inputs ``input_ids`` (int64, 1 x n) and, when it has them, ``attention_mask`` and
``token_type_ids``; its first output is either one vector (1 x d) or one per token (1 x n x d,
mean-pooled here). Image model: one input 1 x 3 x H x W (RGB scaled to 0..1 and normalised with
CLIP's mean and deviation; H and W from the model, 224 when they are symbolic), first output 1 x d.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import onnxruntime as ort
from PIL import Image

from footage.errors import ModelError
from footage.search.semantic import normalise
from footage.search.wordpiece import WordPiece

__all__ = ["OnnxEmbedder"]

_MEAN = np.array([0.48145466, 0.4578275, 0.40821073], dtype=np.float32)
_STD = np.array([0.26862954, 0.26130258, 0.27577711], dtype=np.float32)


def _session(path: Path) -> ort.InferenceSession:
    if not path.is_file():
        raise ModelError(f"embedding model {path} not found (set [search] paths to files on this machine)")
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    try:
        return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    except Exception as exc:  # onnxruntime raises its own untyped errors for unreadable models
        raise ModelError(f"cannot load embedding model {path}: {exc}") from exc


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


class OnnxEmbedder:
    """An :class:`footage.search.semantic.Embedder` running ONNX models with onnxruntime."""

    def __init__(self, text_model: Path, vocab: Path, image_model: Path | None = None) -> None:
        self._text = _session(text_model)
        try:
            self._tokens = WordPiece.from_lines(vocab.read_text("utf-8").splitlines())
        except (OSError, ValueError) as exc:
            raise ModelError(f"cannot read vocabulary {vocab}: {exc}") from exc
        self._image = _session(image_model) if image_model else None
        self.has_images = self._image is not None
        parts = [f"{text_model.name}:{_digest(text_model)}"]
        if image_model:
            parts.append(f"{image_model.name}:{_digest(image_model)}")
        self.model_id = "+".join(parts)

    def embed_texts(self, texts: Sequence[str]) -> np.ndarray:
        names = {i.name for i in self._text.get_inputs()}
        rows = []
        for text in texts:
            ids = np.array([self._tokens.encode(text)], dtype=np.int64)
            mask = np.ones_like(ids)
            feed = {"input_ids": ids}
            if "attention_mask" in names:
                feed["attention_mask"] = mask
            if "token_type_ids" in names:
                feed["token_type_ids"] = np.zeros_like(ids)
            out = np.asarray(self._text.run(None, feed)[0], dtype=np.float32)
            rows.append(out.reshape(-1, out.shape[-1]).mean(axis=0) if out.ndim == 3 else out.reshape(-1))
        return normalise(np.stack(rows)) if rows else np.zeros((0, 0), dtype=np.float32)

    def embed_images(self, images: Sequence[np.ndarray]) -> np.ndarray:
        if self._image is None:
            raise ModelError("no image model configured ([search] image_model)")
        spec = self._image.get_inputs()[0]
        height, width = (d if isinstance(d, int) else 224 for d in spec.shape[2:4])
        rows = []
        for rgb in images:
            picture = Image.fromarray(rgb).convert("RGB").resize((width, height), Image.Resampling.BICUBIC)
            resized = np.asarray(picture, np.float32)
            pixels = ((resized / 255.0 - _MEAN) / _STD).transpose(2, 0, 1)[None].astype(np.float32)
            rows.append(np.asarray(self._image.run(None, {spec.name: pixels})[0], dtype=np.float32).reshape(-1))
        return normalise(np.stack(rows)) if rows else np.zeros((0, 0), dtype=np.float32)
