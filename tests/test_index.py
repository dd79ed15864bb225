"""Indexing end to end through the CLI: output formats, idempotence, interruption."""

from __future__ import annotations

import json
import shutil
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from support.cli import footage, footage_process
from support.clips import MakeClip


@pytest.fixture(scope="module")
def indexed(tmp_path_factory: pytest.TempPathFactory, sample_clip: Path) -> tuple[Path, Path]:
    """The packaged sample clip, named like a camera file, indexed once for this module."""
    folder = tmp_path_factory.mktemp("cam")
    clip = folder / "frontdoor" / "20261120_153000.mp4"
    clip.parent.mkdir()
    shutil.copy(sample_clip, clip)
    db = folder / "index.sqlite"
    result = footage("index", str(folder / "frontdoor"), "--db", str(db), "--no-progress")
    assert result.returncode == 0, result.stderr
    return db, clip


def test_tracks_json_has_the_documented_fields(indexed: tuple[Path, Path]) -> None:
    db, clip = indexed
    tracks = json.loads(footage("tracks", "--db", str(db), "--format", "json").stdout)
    people = [t for t in tracks if t["label"] == "person"]
    # six visitors walk to the table one after another (counted by eye in the clip)
    assert 5 <= len(people) <= 8
    for track in tracks:
        assert {"id", "label", "camera", "recording", "first_utc", "last_utc", "thumbnail"} <= set(track)
        assert track["camera"] == "frontdoor"
        assert track["recording"] == str(clip.resolve())
        assert track["first_utc"] <= track["last_utc"]
        assert Path(track["thumbnail"]).is_file()
        assert Path(track["thumbnail"]).read_bytes()[:2] == b"\xff\xd8"  # a JPEG
    # wall-clock time comes from the file name: 2026-11-20 15:30:00 in the machine's zone
    first = min(t["first_utc"] for t in tracks)
    assert first.startswith("2026-11-2")


def test_filters_and_mot_output(indexed: tuple[Path, Path]) -> None:
    db, clip = indexed
    people = json.loads(footage("tracks", "--db", str(db), "--label", "person", "--format", "json").stdout)
    everything = json.loads(footage("tracks", "--db", str(db), "--format", "json").stdout)
    assert people and len(people) <= len(everything)
    later = people[len(people) // 2]["first_utc"]
    since = json.loads(footage("tracks", "--db", str(db), "--since", later, "--format", "json").stdout)
    assert 0 < len(since) < len(everything)
    assert json.loads(footage("tracks", "--db", str(db), "--camera", "nowhere", "--format", "json").stdout) == []
    mot = footage("tracks", "--db", str(db), "--recording", str(clip), "--format", "mot").stdout.splitlines()
    assert mot
    frames = []
    for line in mot:
        fields = line.split(",")
        assert len(fields) == 10 and fields[7:] == ["-1", "-1", "-1"]
        frames.append(int(fields[0]))
        assert float(fields[4]) > 0 and float(fields[5]) > 0
    assert frames == sorted(frames) and min(frames) >= 1 and max(frames) <= 1393


def test_status_counts_cameras_hours_and_labels(indexed: tuple[Path, Path]) -> None:
    db, _ = indexed
    status = json.loads(footage("status", "--db", str(db), "--format", "json").stdout)
    assert status["recordings"] == 1
    assert status["hours"] == pytest.approx(139 / 3600, rel=0.02)
    assert dict(map(tuple, status["objects_by_label"]))["person"] >= 5
    assert status["failed"] == []
    text = footage("status", "--db", str(db)).stdout
    assert "frontdoor" in text and "person" in text


def test_indexing_again_is_a_no_op_and_copies_are_recognised(indexed: tuple[Path, Path], tmp_path: Path) -> None:
    db, clip = indexed
    before = footage("tracks", "--db", str(db), "--format", "json").stdout
    again = json.loads(footage("index", str(clip), "--db", str(db), "--no-progress", "--format", "json").stdout)
    assert again[0]["status"] == "skipped"
    copy = tmp_path / "copy_of_clip.mp4"
    shutil.copy(clip, copy)
    dup = json.loads(footage("index", str(copy), "--db", str(db), "--no-progress", "--format", "json").stdout)
    assert dup[0]["status"] == "skipped" and "same content" in dup[0]["reason"]
    assert footage("tracks", "--db", str(db), "--format", "json").stdout == before


def _counts(db: Path) -> tuple[int, int]:
    with sqlite3.connect(db) as conn:
        recordings = conn.execute("SELECT COUNT(*) FROM recordings WHERE status = 'done'").fetchone()[0]
        tracks = conn.execute("SELECT COUNT(*) FROM tracks").fetchone()[0]
    return recordings, tracks


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT], ids=["kill-9", "ctrl-c"])
def test_an_interrupted_index_is_redone_cleanly(
    sig: signal.Signals, indexed: tuple[Path, Path], tmp_path: Path
) -> None:
    reference_db, clip = indexed
    db = tmp_path / "index.sqlite"
    process = footage_process("index", clip, "--db", db, "--no-progress",
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # wait until the recording is registered, then interrupt
        time.sleep(0.2)
        if db.exists():
            with sqlite3.connect(db) as conn:
                try:
                    if conn.execute("SELECT COUNT(*) FROM recordings WHERE status='indexing'").fetchone()[0]:
                        break
                except sqlite3.OperationalError:
                    continue
    time.sleep(1.0)
    process.send_signal(sig)
    _, err = process.communicate(timeout=60)
    if sig == signal.SIGINT:
        assert process.returncode == 130 and "interrupted" in err
    # nothing of the half-done recording is visible
    assert _counts(db) == (0, 0)
    assert json.loads(footage("tracks", "--db", str(db), "--format", "json").stdout) == []
    # running again finishes it, with exactly the tracks of an uninterrupted run
    result = footage("index", str(clip), "--db", str(db), "--no-progress")
    assert result.returncode == 0, result.stderr
    assert _counts(db) == _counts(reference_db)


def test_start_overrides_the_file_name(tmp_path: Path, make_clip: MakeClip) -> None:
    clip = make_clip("20200101_000000.mp4", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=10", "-t", "2")
    db = tmp_path / "index.sqlite"
    footage("index", str(clip), "--db", str(db), "--no-progress", "--start", "2026-11-20T15:30:00+00:00")
    with sqlite3.connect(db) as conn:
        source, start = conn.execute("SELECT clock_source, start_utc_us FROM recordings").fetchone()
    assert source == "user" and start == 1_795_188_600 * 1_000_000


def test_a_scene_that_never_changes_still_gives_its_tracks(tmp_path: Path, sample_clip: Path, make_clip: MakeClip) -> None:
    """A person standing in a frozen scene: the gate passes the first frame and one second look,
    enough to confirm the track, which then lasts the whole recording."""
    still = make_clip("person.png", "-ss", "30", "-i", str(sample_clip), "-frames:v", "1")
    clip = make_clip("standing.mp4", "-loop", "1", "-framerate", "25", "-i", str(still),
                     "-vf", "noise=alls=6:allf=t", "-t", "12", "-c:v", "libx264", "-g", "50", "-pix_fmt", "yuv420p")
    db = tmp_path / "index.sqlite"
    assert footage("index", str(clip), "--db", str(db), "--no-progress").returncode == 0
    people = [t for t in json.loads(footage("tracks", "--db", str(db), "--format", "json").stdout) if t["label"] == "person"]
    assert len(people) == 1
    assert people[0]["first_s"] == 0.0 and people[0]["last_s"] >= 11.0
