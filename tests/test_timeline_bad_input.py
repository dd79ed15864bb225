"""Bad input on a camera's timeline: a damaged file in the middle of a stretch, and files that
overlap in time (a clock jump, the same footage under another name). The bundled sample clip, cut
into three 30-second segments, is the camera."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from support.cli import footage
from support.segments import Cut, cut


@pytest.fixture(scope="module")
def segments(tmp_path_factory: pytest.TempPathFactory, sample_clip: Path) -> Cut:
    return cut(sample_clip, tmp_path_factory.mktemp("sample-30"), 30)


def _settings(folder: Path) -> Path:
    path = folder / "utc.toml"
    path.write_text('timezone = "UTC"\n')
    return path


def _stretches(db: Path, settings: Path) -> list[tuple[str, str, int]]:
    out = footage("status", "--db", db, "--config", settings, "--format", "json")
    assert out.returncode == 0, out.stderr
    return [(first, last, files) for _, first, last, _, files in json.loads(out.stdout)["stretches"]]


def test_a_damaged_file_breaks_the_stretch_and_both_sides_are_indexed(segments: Cut, tmp_path: Path) -> None:
    folder = tmp_path / "cam"
    folder.mkdir()
    first, middle, last = (shutil.copy(p, folder / p.name) for p in segments.segments[:3])
    data = Path(middle).read_bytes()
    Path(middle).write_bytes(data[: len(data) // 2])  # cut off mid-write: no index at the end
    db, settings = tmp_path / "index.sqlite", _settings(tmp_path)
    out = footage("index", folder, "--db", db, "--config", settings, "--no-progress")
    assert out.returncode == 1
    problems = [line for line in out.stderr.splitlines() if line.startswith("footage: ")]
    assert len(problems) == 1 and Path(middle).name in problems[0]
    conn = sqlite3.connect(db)
    done = {Path(p).name for (p,) in conn.execute("SELECT path FROM recordings WHERE status = 'done'")}
    crossing = conn.execute("""SELECT COUNT(*) FROM tracks t JOIN tracks p ON p.id = t.previous_id
                               JOIN recordings r ON r.id = t.recording_id WHERE r.path = ?""", (str(last),)).fetchone()[0]
    conn.close()
    assert done == {Path(first).name, Path(last).name}
    assert crossing == 0  # nothing continues across the broken file
    assert [files for *_, files in _stretches(db, settings)] == [1, 1]


def test_the_same_footage_twice_is_indexed_once(segments: Cut, tmp_path: Path) -> None:
    folder = tmp_path / "cam"
    folder.mkdir()
    original = shutil.copy(segments.segments[0], folder / segments.segments[0].name)
    copy = shutil.copy(segments.segments[0], folder / "20261120_153005.mp4")  # the same file, a wrong clock
    jumped = shutil.copy(segments.segments[1], folder / "20261120_153015.mp4")  # other footage, half over the first
    db, settings = tmp_path / "index.sqlite", _settings(tmp_path)
    out = footage("index", original, copy, jumped, "--db", db, "--config", settings, "--no-progress", "--format", "json")
    outcomes = {Path(o["path"]).name: o for o in json.loads(out.stdout)}
    assert outcomes[Path(original).name]["status"] == "indexed"
    assert outcomes[Path(copy).name]["status"] == "skipped" and "same content" in outcomes[Path(copy).name]["reason"]
    refused = outcomes[Path(jumped).name]
    assert refused["status"] == "failed" and "overlaps" in refused["reason"] and Path(original).name in refused["reason"]
    assert out.returncode == 1
    conn = sqlite3.connect(db)
    visible = conn.execute("SELECT COUNT(*) FROM recordings WHERE status = 'done'").fetchone()[0]
    conn.close()
    assert visible == 1
