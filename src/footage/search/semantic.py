"""The optional semantic backend: a small interface for embedding models, and cosine similarity.

An :class:`Embedder` turns texts (and, for an image-text model, key frames) into unit vectors in
one space; :func:`similarity` compares a query vector with the stored ones. The ONNX adapter is
:class:`footage.embed.onnx_embedder.OnnxEmbedder`; nothing here imports a runtime.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np

__all__ = ["Embedder", "normalise", "similarity"]


class Embedder(Protocol):
    """Texts and images to L2-normalised float32 vectors of one space. ``model_id`` names the
    model in the index (vectors of another model are never compared); ``has_images`` says
    whether :meth:`embed_images` works."""

    model_id: str
    has_images: bool

    def embed_texts(self, texts: Sequence[str]) -> np.ndarray: ...

    def embed_images(self, images: Sequence[np.ndarray]) -> np.ndarray: ...


def normalise(vectors: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length (zero rows stay zero), as float32."""
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
    return np.where(norms > 0, vectors / np.maximum(norms, 1e-12), 0.0).astype(np.float32)


def similarity(query: np.ndarray, ids: np.ndarray, vectors: np.ndarray) -> dict[int, float]:
    """Moment id -> the best cosine similarity (clipped to 0..1) of the query vector to any of
    that moment's vectors (its description's, its key frame's)."""
    if len(ids) == 0:
        return {}
    cosines = np.clip(vectors @ normalise(query), 0.0, 1.0)
    best: dict[int, float] = {}
    for moment_id, value in zip(ids.tolist(), cosines.tolist(), strict=True):
        if value > best.get(moment_id, -1.0):
            best[moment_id] = value
    return best
