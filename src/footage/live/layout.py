"""Where recorded segments go (pure): ``root/<camera>/<YYYY-MM-DD>/<YYYYMMDD_HHMMSS>.mp4``.

Folder and file names are the segment's start in the camera's local time, in the
``20261120_153000`` form that :func:`footage.ingest.clock.start_from_path` reads back, so the
indexer finds the wall-clock start of a recorded segment from its name alone. A segment being
written carries a ``.part`` suffix until it is closed.
"""

from __future__ import annotations

import re
from datetime import datetime, tzinfo
from pathlib import Path

__all__ = ["DAMAGED_FOLDER", "PART_SUFFIX", "partial_path", "safe_camera_name", "segment_path"]

PART_SUFFIX = ".part"

#: the folder inside a camera's folder where segments a crash left unreadable are set aside
DAMAGED_FOLDER = "damaged"

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_camera_name(camera: str) -> str:
    """``camera`` as one file-name component: runs of anything but letters, digits, ``.``, ``_``
    and ``-`` become ``_``; no leading dots (no hidden folders, no ``..``); never empty."""
    safe = _UNSAFE.sub("_", camera.strip()).lstrip(".")
    return safe or "camera"


def segment_path(root: Path, camera: str, start_utc: datetime, zone: tzinfo) -> Path:
    """The file of the segment of ``camera`` that starts at ``start_utc`` (aware), named in ``zone``."""
    if start_utc.tzinfo is None:
        raise ValueError("start_utc must be timezone-aware")
    local = start_utc.astimezone(zone)
    return root / safe_camera_name(camera) / f"{local:%Y-%m-%d}" / f"{local:%Y%m%d_%H%M%S}.mp4"


def partial_path(path: Path) -> Path:
    """The name a segment has while it is still being written."""
    return path.with_name(path.name + PART_SUFFIX)
