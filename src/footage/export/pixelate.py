"""Hiding regions of a picture: each becomes a few large blocks of its mean colour. Pure NumPy.

Nothing of a face survives this, unlike a light blur that can be partly undone. The encoder works
on the decoder's own YUV 4:2:0 pictures (no conversion to RGB and back, which at 1080p costs more
than the hiding): the luma plane and the two half-size chroma planes are pixelated with blocks
that line up, so each block is one flat colour.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np
import numpy.typing as npt

from footage.export.redact import Region

__all__ = ["hide_in_yuv420", "pixelate"]

Plane = npt.NDArray[np.uint8]
#: blocks are never smaller than this many pixels a side
MIN_BLOCK = 4


def _block_means_into(plane: Plane, top: int, bottom: int, left: int, right: int, step: int) -> None:
    """Replace ``plane[top:bottom, left:right]`` by blocks of ``step`` pixels, each its mean."""
    area = plane[top:bottom, left:right].astype(np.float32)
    rows = np.arange(0, bottom - top, step)
    cols = np.arange(0, right - left, step)
    sums = np.add.reduceat(np.add.reduceat(area, rows, axis=0), cols, axis=1)
    heights = np.diff(np.append(rows, bottom - top))
    widths = np.diff(np.append(cols, right - left))
    counts = heights[:, None] * widths[None, :]
    means = np.rint(sums / (counts[..., None] if area.ndim == 3 else counts)).astype(np.uint8)
    plane[top:bottom, left:right] = np.repeat(np.repeat(means, heights, axis=0), widths, axis=1)


def _bounds(region: Region, width: int, height: int, align: int) -> tuple[int, int, int, int] | None:
    """Whole pixels of the region inside the picture, widened outwards to multiples of ``align``."""
    x1, y1, x2, y2 = region.xyxy
    left, top = max(0, math.floor(x1 / align) * align), max(0, math.floor(y1 / align) * align)
    right, bottom = min(width, math.ceil(x2 / align) * align), min(height, math.ceil(y2 / align) * align)
    if right - left < 1 or bottom - top < 1:
        return None
    return left, top, right, bottom


def _step(region: Region, left: int, top: int, right: int, bottom: int, align: int) -> int:
    longer = max(right - left, bottom - top)
    step = max(MIN_BLOCK, math.ceil(longer / max(1, region.blocks)))
    return -(-step // align) * align


def pixelate(image: npt.NDArray[np.uint8], regions: Iterable[Region]) -> npt.NDArray[np.uint8]:
    """A copy of the HxW or HxWxC ``image`` with each region (clipped to the picture) replaced by
    about ``region.blocks`` blocks across its longer side, each its mean colour. The input is
    unchanged."""
    out = image.copy()
    height, width = image.shape[:2]
    for region in regions:
        bounds = _bounds(region, width, height, 1)
        if bounds is not None:
            _block_means_into(out, bounds[1], bounds[3], bounds[0], bounds[2], _step(region, *bounds, 1))
    return out


def hide_in_yuv420(yuv: Plane, width: int, height: int, regions: Iterable[Region]) -> None:
    """Pixelate ``regions`` **in place** in ``yuv``, a (height * 3 / 2, width) yuv420p picture as
    PyAV's ``VideoFrame.to_ndarray`` gives it (even width and height; the caller owns the copy).
    Regions are widened to even pixels so that luma and chroma blocks coincide."""
    luma = yuv[:height]
    u_plane = yuv[height:height + height // 4].reshape(height // 2, width // 2)
    v_plane = yuv[height + height // 4:].reshape(height // 2, width // 2)
    for region in regions:
        bounds = _bounds(region, width, height, 2)
        if bounds is None:
            continue
        left, top, right, bottom = bounds
        step = _step(region, *bounds, 2)
        _block_means_into(luma, top, bottom, left, right, step)
        for chroma in (u_plane, v_plane):  # views into yuv: written in place
            _block_means_into(chroma, top // 2, bottom // 2, left // 2, right // 2, step // 2)
