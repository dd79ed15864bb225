"""The labelled person crops of ``tests/data/postures.csv`` (see ``postures.md``), each with
what footage itself knows about it: the clip is indexed, the ground line learned from its
walking tracks, the track that holds the box found (for its speed), and the pose model run on
the analysis frame, as indexing would see it."""

from __future__ import annotations

import csv
import sqlite3
from collections import defaultdict
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
from PIL import Image

from footage.config import Settings
from footage.detect import load_detector
from footage.geometry import iou_matrix
from footage.people.colours import FrameLight, frame_light
from footage.people.ground import learn_ground
from footage.people.motion import speed_at
from footage.pipeline.index import index_paths
from footage.pose.movenet import MoveNet
from footage.store import timeline as stored
from footage.types import Box, Frame, Pose, Track
from support.clips import shared_file

LABELS = Path(__file__).resolve().parents[1] / "data" / "postures.csv"


@dataclass(frozen=True)
class Labelled:
    """One labelled person and what footage measures of them."""

    clip: str
    frame: int
    box: Box
    posture: str
    upper: str
    lower: str
    speed: float | None
    upright_height: float | None
    pose: Pose
    rgb: np.ndarray  # the analysis frame, RGB
    scale: float  # original pixels per analysis pixel
    light: FrameLight


def _tracks(clip: Path, work: Path, detector: object) -> tuple[list[Track], int]:
    db = work / f"{clip.stem}.sqlite"
    index_paths([clip], db_path=db, detector=detector, settings=Settings(timezone="UTC"), camera=clip.stem)  # type: ignore[arg-type]
    conn = sqlite3.connect(db)
    try:
        recording = conn.execute("SELECT id, height FROM recordings").fetchone()
        return [t.track for t in stored.tracks_in(conn, [recording[0]]) if t.track.label == "person"], recording[1]
    finally:
        conn.close()


def _speed(tracks: list[Track], box: Box, time_s: float) -> float | None:
    """The speed of the track whose box at ``time_s`` (within a sample) overlaps ``box`` most."""
    best, found = 0.3, None
    for track in tracks:
        near = np.flatnonzero(np.abs(track.times_s - time_s) <= 0.15)
        if len(near) == 0:
            continue
        overlap = iou_matrix(np.array([box], np.float32), track.xyxy[near].astype(np.float32))[0]
        k = int(overlap.argmax())
        if overlap[k] > best:
            best, found = float(overlap[k]), speed_at(track.times_s, track.xyxy, int(near[k]))
    return found


def labelled_people(work: Path) -> list[Labelled]:
    """Every labelled row, measured (indexes each clip once into ``work``)."""
    rows = list(csv.DictReader(LABELS.open()))
    by_clip: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        by_clip[row["clip"]].append(row)
    detector, pose = load_detector(Settings().detect), MoveNet()
    found = []
    for clip, clip_rows in by_clip.items():
        path = shared_file(clip)
        tracks, frame_height = _tracks(path, work, detector)
        ground = learn_ground(tracks, frame_height)
        wanted = {int(r["frame"]) for r in clip_rows}
        frames = {}
        with av.open(str(path)) as container:
            for n, frame in enumerate(container.decode(video=0)):
                if n in wanted:
                    frames[n] = (float(frame.pts * frame.time_base), frame.to_ndarray(format="rgb24"))
                if n >= max(wanted):
                    break
        for row in clip_rows:
            time_s, rgb = frames[int(row["frame"])]
            width = min(640, rgb.shape[1]) // 2 * 2
            height = round(width * rgb.shape[0] / rgb.shape[1]) // 2 * 2
            small = np.asarray(Image.fromarray(rgb).resize((width, height), Image.Resampling.BILINEAR))
            scale = rgb.shape[1] / width
            box: Box = tuple(float(row[k]) for k in ("x1", "y1", "x2", "y2"))  # type: ignore[assignment]
            frame = Frame(int(row["frame"]), 0, Fraction(1, 1), np.ascontiguousarray(small[:, :, ::-1]), scale)
            found.append(Labelled(
                clip, int(row["frame"]), box, row["posture"], row["upper"], row["lower"],
                _speed(tracks, box, time_s), ground.upright_height(box[3]) if ground else None,
                pose.estimate(frame, [box])[0], small, scale, frame_light(small)))
    return found
