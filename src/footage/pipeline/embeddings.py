"""Keep the index's embedding vectors up to date for the configured model: load the model from
``[search]`` settings, and embed the descriptions and key frames of moments that have none."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import numpy as np
from PIL import Image, UnidentifiedImageError
from tqdm import tqdm

from footage.search.params import SearchParams
from footage.search.semantic import Embedder
from footage.store import embeddings as stored_vectors

__all__ = ["embed_missing", "load_embedder"]

_BATCH = 64


def load_embedder(params: SearchParams) -> Embedder | None:
    """The configured model, or None when ``[search] text_model`` is empty."""
    if not params.text_model:
        return None
    from footage.embed.onnx_embedder import OnnxEmbedder

    return OnnxEmbedder(Path(params.text_model), Path(params.vocab), Path(params.image_model) if params.image_model else None)


def _keyframe(path: str | None) -> np.ndarray | None:
    try:
        with Image.open(path or "") as image:
            return np.asarray(image.convert("RGB"))
    except (OSError, UnidentifiedImageError):
        return None


def embed_missing(conn: sqlite3.Connection, embedder: Embedder, *, show_progress: bool = False) -> int:
    """Embed every visible moment's description (and key frame, for an image-text model) that
    has no vector for this model yet; returns how many vectors were stored. A key frame that is
    gone or unreadable is skipped (and tried again next time)."""
    sources = ("text", "image") if embedder.has_images else ("text",)
    todo = stored_vectors.unembedded(conn, embedder.model_id, sources)
    if not todo:
        return 0
    stored = 0
    with tqdm(total=len(todo), desc="embedding moments", unit="vector", file=sys.stderr, disable=not show_progress) as bar:
        for start in range(0, len(todo), _BATCH):
            batch = todo[start : start + _BATCH]
            texts = [item for item in batch if item.source == "text"]
            rows = list(zip((i.moment_id for i in texts), ("text",) * len(texts),
                            embedder.embed_texts([i.description for i in texts]), strict=True)) if texts else []
            images = [(item, _keyframe(item.keyframe)) for item in batch if item.source == "image"]
            readable = [(item, pixels) for item, pixels in images if pixels is not None]
            if readable:
                vectors = embedder.embed_images([pixels for _, pixels in readable])
                rows += [(item.moment_id, "image", vector) for (item, _), vector in zip(readable, vectors, strict=True)]
            stored_vectors.save(conn, embedder.model_id, rows)
            stored += len(rows)
            bar.update(len(batch))
    return stored
