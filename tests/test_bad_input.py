"""Every kind of bad input gets one clear line naming the file; the rest of the batch is indexed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from support.ci import missing
from support.cli import footage
from support.clips import MakeClip, h264

MOVING = ["-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25"]


def _tracks(db: Path) -> list[dict]:
    out = footage("tracks", "--db", str(db), "--format", "json")
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


@pytest.fixture
def batch(tmp_path: Path, make_clip: MakeClip, sample_clip: Path) -> dict[str, Path]:
    """A folder with one good clip and every kind of bad file, each made for real."""
    folder = tmp_path / "sd"
    folder.mkdir()
    good = make_clip("sd/good.mp4", *MOVING, *h264(4))
    empty = folder / "empty.mp4"
    empty.write_bytes(b"")
    text = folder / "notes.mp4"
    text.write_text("this is a shopping list, not a video\n")
    # a recording cut off half-way, as when a camera loses power: MPEG-TS keeps what was written
    ts = make_clip("whole.ts", "-i", str(sample_clip), "-c", "copy")
    data = ts.read_bytes()
    truncated = folder / "cut_off.ts"
    truncated.write_bytes(data[: len(data) // 2])
    # an MP4 whose index (moov) was never written
    plain = make_clip("plain.mp4", *MOVING, *h264(6))
    no_index = folder / "no_index.mp4"
    no_index.write_bytes(plain.read_bytes()[: plain.stat().st_size // 2])
    # a Matroska file whose codec id names no codec FFmpeg knows
    mpeg4 = make_clip("mpeg4.mkv", *MOVING, "-t", "2", "-c:v", "mpeg4")
    unknown = folder / "unknown_codec.mkv"
    unknown.write_bytes(mpeg4.read_bytes().replace(b"V_MPEG4/ISO/ASP", b"V_FOOTAGE/XX/YY"))
    # damaged packets in the middle of a transport stream
    corrupt = bytearray(ts.read_bytes())
    rng = __import__("random").Random(7)
    for offset in range(len(corrupt) // 3, len(corrupt) // 3 + 400_000, 1_009):
        corrupt[offset : offset + 64] = bytes(rng.randrange(256) for _ in range(64))
    damaged = folder / "damaged_middle.ts"
    damaged.write_bytes(bytes(corrupt))
    ts.unlink()
    return {"good": good, "empty": empty, "text": text, "truncated": truncated, "no_index": no_index,
            "unknown": unknown, "damaged": damaged, "folder": folder}


def test_bad_files_each_get_one_line_and_the_rest_is_indexed(tmp_path: Path, batch: dict[str, Path]) -> None:
    db = tmp_path / "index.sqlite"
    missing = tmp_path / "no_such_card"
    result = footage("index", str(batch["folder"]), str(missing), "--db", str(db), "--no-progress", "--format", "json")
    assert result.returncode == 1, "exit status must say that some files failed"
    lines = [line for line in result.stderr.splitlines() if line.startswith("footage: ")]
    expected = {
        "missing": (missing, "no such file"),
        "empty": (batch["empty"], "empty file"),
        "text": (batch["text"], "cannot open as video"),
        "no_index": (batch["no_index"], "cannot open as video"),
        "unknown": (batch["unknown"], "no decoder"),
        "truncated": (batch["truncated"], "truncated"),
        "damaged": (batch["damaged"], "damaged frame"),
    }
    for name, (path, reason) in expected.items():
        matching = [line for line in lines if str(path.resolve()) in line or str(path) in line]
        assert len(matching) == 1, f"{name}: expected one line, got {matching} in {lines}"
        assert reason in matching[0], matching[0]
    assert len(lines) == len(expected)
    outcomes = {Path(o["path"]).name: o for o in json.loads(result.stdout)}
    assert outcomes["good.mp4"]["status"] == "indexed"
    assert outcomes["cut_off.ts"]["status"] == "damaged"


def test_what_decoded_before_damage_is_kept(tmp_path: Path, batch: dict[str, Path], sample_clip: Path) -> None:
    db = tmp_path / "index.sqlite"
    footage("index", str(batch["truncated"]), str(batch["damaged"]), "--db", str(db), "--no-progress")
    tracks = _tracks(db)
    cut = [t for t in tracks if t["recording"].endswith("cut_off.ts")]
    assert cut and all(t["label"] for t in cut), "tracks before the cut must be kept"
    assert max(t["last_s"] for t in cut) < 139 / 2 + 2
    people_in_damaged = [t for t in tracks if t["recording"].endswith("damaged_middle.ts") and t["label"] == "person"]
    assert people_in_damaged, "tracks around the damage must be kept"
    status = footage("status", "--db", str(db), "--format", "json")
    failed = json.loads(status.stdout)["failed"]
    assert {Path(p).name for p, _, _ in failed} == {"cut_off.ts", "damaged_middle.ts"}


def test_an_unknown_database_file_is_refused_cleanly(tmp_path: Path) -> None:
    bogus = tmp_path / "index.sqlite"
    bogus.write_text("not a database")
    result = footage("status", "--db", str(bogus))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "cannot use index" in result.stderr
    missing = footage("tracks", "--db", str(tmp_path / "none.sqlite"))
    assert missing.returncode == 2 and "no index at" in missing.stderr


def test_bad_arguments_get_one_line(tmp_path: Path, batch: dict[str, Path]) -> None:
    result = footage("index", str(batch["good"]), "--db", str(tmp_path / "i.sqlite"), "--start", "last tuesday")
    assert result.returncode == 2 and "not an ISO-8601 time" in result.stderr
    config = tmp_path / "bad.toml"
    config.write_text("[ingest]\ndetect_fsp = 3\n")
    result = footage("index", str(batch["good"]), "--db", str(tmp_path / "i.sqlite"), "--config", str(config))
    assert result.returncode == 2 and "unknown setting(s) in [ingest]: detect_fsp" in result.stderr
    assert not os.path.exists(tmp_path / "i.sqlite-thumbnails")


def test_the_installed_console_script_exits_2_with_one_line(tmp_path: Path) -> None:
    """The ``footage`` command pip installs (the other tests call its ``main`` in process)."""
    script = Path(sys.executable).with_name("footage")
    if not script.is_file():
        missing(f"the footage console script is not installed beside {sys.executable} (pip install -e .)")
    done = subprocess.run([str(script), "tracks", "--db", str(tmp_path / "none.sqlite")], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "no index at" in done.stderr, done.stderr
