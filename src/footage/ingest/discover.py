"""Turn the paths a user names into the recordings to index.

A file named directly is always tried (FFmpeg decides whether it is a video); a folder is searched
recursively for files with the extensions cameras, NVRs and phones write. Hidden files and
folders (``.Trash``, ``.thumbnails``) are skipped.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

__all__ = ["VIDEO_EXTENSIONS", "Discovered", "discover"]

VIDEO_EXTENSIONS = frozenset({
    ".mp4", ".m4v", ".mov", ".mkv", ".webm", ".avi", ".ts", ".mts", ".m2ts", ".mpg", ".mpeg",
    ".flv", ".3gp", ".wmv", ".asf", ".dav", ".h264", ".264", ".h265", ".265", ".hevc", ".vob",
})


@dataclass(frozen=True)
class Discovered:
    """A path to index, or one that cannot be (``problem`` says why)."""

    path: Path
    problem: str | None = None


def discover(paths: Iterable[Path | str]) -> Iterator[Discovered]:
    """Every recording under ``paths``, in a stable order, each once (files given twice, or found
    twice through overlapping folders, are yielded once)."""
    seen: set[Path] = set()
    for raw in paths:
        path = Path(raw).expanduser()
        if not path.exists():
            yield Discovered(path, "no such file or folder")
            continue
        candidates = [path] if path.is_file() else sorted(_walk(path))
        for candidate in candidates:
            resolved = candidate.resolve()
            if resolved not in seen:
                seen.add(resolved)
                yield Discovered(resolved)


def _walk(folder: Path) -> Iterator[Path]:
    for child in folder.iterdir():
        if child.name.startswith("."):
            continue
        if child.is_dir():
            yield from _walk(child)
        elif child.is_file() and child.suffix.lower() in VIDEO_EXTENSIONS:
            yield child
