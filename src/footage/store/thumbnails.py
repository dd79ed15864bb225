"""Write track thumbnails as JPEG files beside the index."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import numpy.typing as npt
from PIL import Image

__all__ = ["write_jpeg", "write_thumbnail"]

_MIN_HEIGHT = 96


def write_thumbnail(crop_bgr: npt.NDArray[np.uint8], path: Path) -> None:
    """Save an HxWx3 BGR crop as a JPEG, enlarged to at least 96 pixels high so that a distant
    person is still recognisable in a listing. Written to a temporary name, then renamed."""
    image = Image.fromarray(np.ascontiguousarray(crop_bgr[:, :, ::-1]))
    if image.height < _MIN_HEIGHT:
        factor = _MIN_HEIGHT / image.height
        image = image.resize((max(1, round(image.width * factor)), _MIN_HEIGHT), Image.Resampling.BICUBIC)
    write_jpeg(image, path)


def write_jpeg(image: Image.Image, path: Path) -> None:
    """Save a picture as JPEG: written to a temporary name, then renamed, so a reader never sees
    half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".part")
    image.save(partial, format="JPEG", quality=85)
    partial.replace(path)
