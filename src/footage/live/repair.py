"""Repair what a crash leaves behind: ``.part`` segments that were still being written.

The recorder writes fragmented MP4 (a fragment per keyframe), so a half-written segment is
readable up to its last whole fragment. :func:`salvage` copies those packets into a closed
segment under the segment's final name; a ``.part`` with nothing readable in it is moved to the
camera's ``damaged/`` folder for its owner to look at. Nothing is deleted before its packets are
safely in another file.
"""

from __future__ import annotations

import logging
import shutil
from dataclasses import dataclass
from pathlib import Path

from footage.errors import FootageError, MediaError
from footage.live.layout import DAMAGED_FOLDER, PART_SUFFIX, safe_camera_name
from footage.live.recorder import FRAGMENTED_MOVFLAGS, free_segment_path
from footage.media.errors import ffmpeg_errors
from footage.media.input import open_input
from footage.media.output import Mp4Output

__all__ = ["Salvage", "find_partials", "salvage"]

log = logging.getLogger(__name__)



@dataclass(frozen=True)
class Salvage:
    """What became of one ``.part`` file: ``repaired`` into ``path`` with ``frames`` video frames
    (``seconds`` of video), or ``set aside`` at ``path`` because ``reason``."""

    part: Path
    outcome: str
    path: Path
    frames: int
    seconds: float = 0.0
    reason: str = ""


def find_partials(root: Path, camera: str) -> list[Path]:
    """The camera's leftover ``.part`` segments (none is being written: call before recording)."""
    folder = Path(root) / safe_camera_name(camera)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob(f"*{PART_SUFFIX}") if DAMAGED_FOLDER not in p.relative_to(folder).parts)


class _UnreadableError(FootageError):
    """Reading or copying a ``.part`` stopped; the message is FFmpeg's (or the OS's) reason."""


def _copy_readable(part: Path, target: Path) -> tuple[int, float, str]:
    """Copy the video packets that can be read from ``part`` into ``target``; returns how many,
    the seconds of video they hold, and why reading stopped ("" at a clean end)."""
    frames, stopped, end = 0, "", 0.0
    with open_input(part) as source, Mp4Output(target, {"movflags": FRAGMENTED_MOVFLAGS}) as out:
        out.copy_stream_of(source)
        last_dts: int | None = None
        try:
            with ffmpeg_errors(_UnreadableError, os_errors="translate"):
                for packet in source.packets(error=_UnreadableError):
                    if packet.is_corrupt:  # the fragment the crash cut short: nothing after it is whole
                        stopped = "the last fragment was cut short"
                        break
                    if packet.pts is None or packet.size == 0:
                        continue
                    if frames == 0 and not packet.is_keyframe:
                        continue
                    if packet.dts is not None and last_dts is not None and packet.dts <= last_dts:
                        continue
                    last_dts = packet.dts
                    if packet.time_base is not None:
                        end = max(end, float((packet.pts + (packet.duration or 0)) * packet.time_base))
                    out.mux(packet)
                    frames += 1
        except _UnreadableError as exc:
            stopped = str(exc)
    return frames, end, stopped


def salvage(part: Path) -> Salvage:
    """Repair ``part`` into a closed segment, or set it aside in ``damaged/``. Never raises for
    a damaged file (only for a file system that refuses every write)."""
    part = Path(part)
    target = free_segment_path(part.with_name(part.name[: -len(PART_SUFFIX)]), own_part=part)
    scratch = target.with_name(target.name + ".repair")
    try:
        with ffmpeg_errors(_UnreadableError, os_errors="translate"):
            frames, seconds, stopped = _copy_readable(part, scratch)
    except _UnreadableError as exc:
        frames, seconds, stopped = 0, 0.0, str(exc)
    except MediaError as exc:  # not a video (any more): nothing in it can be kept
        frames, seconds, stopped = 0, 0.0, exc.reason
    if frames > 0:
        scratch.replace(target)
        part.unlink()
        log.warning("repaired %s after a crash: %d frames kept in %s", part.name, frames, target.name)
        return Salvage(part, "repaired", target, frames, seconds, stopped)
    scratch.unlink(missing_ok=True)
    camera_folder = part.parent.parent
    aside = camera_folder / DAMAGED_FOLDER / part.name
    aside.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(str(part), str(aside))
    reason = stopped or "no readable frames"
    log.warning("set aside %s after a crash (%s): see %s", part.name, reason, aside)
    return Salvage(part, "set aside", aside, 0, 0.0, reason)
