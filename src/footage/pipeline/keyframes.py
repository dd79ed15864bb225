"""Key frames of moments: the frame at the moment's key time with its subjects boxed and named."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt
from PIL import Image, ImageDraw

from footage.errors import MediaError
from footage.ingest.frames import grab_frames
from footage.labels import DRAWN_AS_VEHICLES
from footage.store.thumbnails import write_jpeg
from footage.types import Moment

__all__ = ["draw_moment", "write_keyframe_files", "write_keyframes"]

log = logging.getLogger(__name__)

_COLOURS = {"person": (255, 140, 0), "vehicle": (40, 120, 255), "other": (60, 200, 90)}


def draw_moment(image: npt.NDArray[np.uint8], moment: Moment, scale: float) -> Image.Image:
    """The RGB frame with each key box of the moment drawn and named; boxes are in original
    pixels and ``scale`` maps them to the frame's."""
    picture = Image.fromarray(image)
    pen = ImageDraw.Draw(picture)
    width = max(2, round(picture.width / 400))
    for box in moment.key_boxes:
        kind = "person" if box.label == "person" else "vehicle" if box.label in DRAWN_AS_VEHICLES else "other"
        colour = _COLOURS[kind]
        x1, y1, x2, y2 = (v * scale for v in box.xyxy)
        pen.rectangle((x1, y1, x2, y2), outline=colour, width=width)
        text_box = pen.textbbox((x1, y1), box.name)
        top = max(0.0, y1 - (text_box[3] - text_box[1]) - 4)
        pen.rectangle((x1, top, x1 + text_box[2] - text_box[0] + 4, top + text_box[3] - text_box[1] + 4), fill=colour)
        pen.text((x1 + 2, top + 1), box.name, fill=(0, 0, 0))
    return picture


def write_keyframes(recording: Path, moments: Sequence[Moment], folder: Path) -> list[str | None]:
    """Write ``folder/moment-N.jpg`` for each moment (N in the given order) and return the paths,
    None where no frame could be read (the file is gone or damaged there). Earlier key frames in
    the folder are removed first."""
    for old in folder.glob("moment-*.jpg"):
        old.unlink(missing_ok=True)
    paths: list[str | None] = [None] * len(moments)
    wanted: dict[float, list[int]] = {}
    for n, moment in enumerate(moments):
        wanted.setdefault(moment.key_s, []).append(n)
    try:
        for time_s, image, scale in grab_frames(recording, list(wanted)):
            for n in wanted[time_s]:
                target = folder / f"moment-{n + 1}.jpg"
                write_jpeg(draw_moment(image, moments[n], scale), target)
                paths[n] = str(target)
    except MediaError as exc:
        log.warning("no key frames for %s: %s", recording, exc.reason)
    return paths


def write_keyframe_files(recording: Path, wanted: Sequence[tuple[float, Moment, Path]]) -> set[Path]:
    """For each ``(media_s, moment, target)``, draw ``moment`` over the frame of ``recording`` at
    ``media_s`` into ``target``; returns the targets written (a frame that cannot be read is left
    out, with a log line)."""
    by_time: dict[float, list[tuple[Moment, Path]]] = {}
    for time_s, moment, target in wanted:
        by_time.setdefault(time_s, []).append((moment, target))
    written: set[Path] = set()
    try:
        for time_s, image, scale in grab_frames(recording, list(by_time)):
            for moment, target in by_time[time_s]:
                write_jpeg(draw_moment(image, moment, scale), target)
                written.add(target)
    except MediaError as exc:
        log.warning("no key frames for %s: %s", recording, exc.reason)
    return written
