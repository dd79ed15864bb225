"""``footage export`` across a file boundary, with a GIF preview and a burnt-in caption: two
consecutive recordings of one camera (made with ffmpeg), indexed with their wall-clock starts."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import av
import numpy as np
import pytest
from PIL import Image

from support.cli import footage
from support.clips import h264

FPS = 10


@pytest.fixture(scope="module")
def gate(tmp_path_factory: pytest.TempPathFactory, ffmpeg: str) -> Path:
    """Camera "gate": 10:00:00-10:00:04 and 10:00:04-10:00:08, one file each."""
    folder = tmp_path_factory.mktemp("gate")
    db = folder / "index.sqlite"
    for number, start, look in ((1, "2026-11-20T10:00:00Z", "null"), (2, "2026-11-20T10:00:04Z", "negate")):
        clip = folder / f"part{number}.mp4"  # two different pictures: the same one would be skipped as a copy
        subprocess.run([ffmpeg, "-v", "error", "-f", "lavfi", "-i", f"testsrc2=size=320x240:rate={FPS}", "-vf", look,
                        *h264(4, gop=20), str(clip)], check=True)
        done = footage("index", clip, "--db", db, "--camera", "gate", "--start", start, "--no-progress")
        assert done.returncode == 0, done.stderr
    return db


def frames(path: Path) -> list[float]:
    with av.open(str(path)) as clip:
        return [float(f.time) for f in clip.decode(video=0)]


@pytest.mark.parametrize("redact", ["none", "faces,people"])
def test_a_span_across_two_recordings_is_one_clip(gate: Path, tmp_path: Path, redact: str) -> None:
    out = tmp_path / "across.mp4"
    done = footage("export", "--db", gate, "--camera", "gate", "--from", "2026-11-20T10:00:02Z", "--to",
                   "2026-11-20T10:00:06Z", "--redact", redact, "--out", out)
    assert done.returncode == 0, done.stderr
    sidecar = json.loads(out.with_suffix(".json").read_text())
    assert [p["recording"] for p in sidecar["source"]] == ["part1.mp4", "part2.mp4"]
    assert sidecar["redaction"]["mode"] == ("copy" if redact == "none" else "redacted")
    times = frames(out)
    assert len(times) == pytest.approx(4 * FPS, abs=1)
    assert np.all(np.diff(times) > 0) and times[-1] - times[0] == pytest.approx(4 - 1 / FPS, abs=0.15), "no jump, no repeat"


def test_gif_preview_and_caption(gate: Path, tmp_path: Path) -> None:
    out = tmp_path / "captioned.mp4"
    done = footage("export", "--db", gate, "--camera", "gate", "--from", "2026-11-20T10:00:00Z", "--to",
                   "2026-11-20T10:00:03Z", "--gif", "--caption", "Gate, Friday morning", "--out", out)
    assert done.returncode == 0, done.stderr
    with Image.open(out.with_suffix(".gif")) as gif:
        assert gif.width == 320 and getattr(gif, "n_frames", 1) > 5 and gif.info.get("loop") == 0
    with av.open(str(out)) as clip:
        picture = next(iter(clip.decode(video=0))).to_ndarray(format="rgb24").astype(int)
    band = picture[-16:]  # the caption's black band at the bottom, with white letters on it
    assert np.median(band) < 40 and band.max() > 200


def test_caption_or_gif_without_redaction_is_refused(gate: Path, tmp_path: Path) -> None:
    done = footage("export", "--db", gate, "--camera", "gate", "--from", "2026-11-20T10:00:00Z", "--to",
                   "2026-11-20T10:00:03Z", "--redact", "none", "--gif", "--out", tmp_path / "x.mp4")
    assert done.returncode == 2 and "re-encode" in done.stderr
    assert list(tmp_path.iterdir()) == []

