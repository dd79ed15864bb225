"""Indexing spread over worker processes and a real local Ray cluster gives the tracks and moments
of the single-process run (same counts, times within one sampled frame), also for a recording
split into chunks, and survives a worker killed in the middle of the job."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from support.cli import Ran, footage, footage_process
from support.net import free_port

SAMPLED_S = 0.2  # one sampled frame at the default 5 a second
SLACK_S = SAMPLED_S + 0.11  # and half a 10 fps source frame of rounding


def _index(db: Path, *paths: Path, args: tuple[str, ...] = (), camera: str = "cam") -> Ran:
    done = footage("-v", "index", *paths, "--db", db, "--camera", camera, "--no-progress", "--format", "json", *args)
    assert done.returncode == 0, done.stderr
    return done


def _found(db: Path) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """Tracks (file, label, first s, last s, boxes) and moments (file, kind, start s, end s) by file and time."""
    with closing(sqlite3.connect(db)) as conn:
        tracks = conn.execute(
            """SELECT r.path, t.label, t.first_pts * 1.0 * r.time_base_num / r.time_base_den,
                      t.last_pts * 1.0 * r.time_base_num / r.time_base_den, t.box_count
               FROM tracks t JOIN recordings r ON r.id = t.recording_id ORDER BY r.path, t.first_pts, t.label""").fetchall()
        moments = conn.execute("""SELECT r.path, m.kind, m.start_s, m.end_s FROM moments m
                                  JOIN recordings r ON r.id = m.recording_id ORDER BY r.path, m.start_s""").fetchall()
    return [tuple(t) for t in tracks], [tuple(m) for m in moments]


def assert_same(single: Path, spread: Path) -> None:
    tracks, moments = _found(single)
    got_tracks, got_moments = _found(spread)
    assert len(got_tracks) == len(tracks), (got_tracks, tracks)
    assert len(got_moments) == len(moments), (got_moments, moments)
    for want, got in zip(moments, got_moments, strict=True):
        assert (want[0], want[1]) == (got[0], got[1])
        assert abs(want[2] - got[2]) <= SLACK_S and abs(want[3] - got[3]) <= SLACK_S, (want, got)
    for want, got in zip(sorted(tracks), sorted(got_tracks), strict=True):
        assert (want[0], want[1]) == (got[0], got[1])
        assert abs(want[2] - got[2]) <= SLACK_S and abs(want[3] - got[3]) <= SLACK_S, (want, got)


@pytest.fixture(scope="module")
def single(front_door_index: Path) -> Path:
    """The sample clip (139 s; six people stand at a table in turn) indexed in one process: the
    run's one index of it."""
    return front_door_index


def test_workers_split_a_recording_into_chunks_and_stitch_it_back(single: Path, sample_clip: Path, tmp_path: Path) -> None:
    db = tmp_path / "index.sqlite"
    outcome = json.loads(_index(db, sample_clip, args=("--workers", "2", "--chunk-s", "40")).stdout)
    assert [o["status"] for o in outcome] == ["indexed"]
    assert_same(single, db)


@pytest.mark.slow  # the shared real clips, twice
def test_workers_index_the_shared_clips_as_one_process_does(shared_footage: Path, tmp_path: Path) -> None:
    clips = [shared_footage / "pets09_s2l1" / "vtest.avi", shared_footage / "tud_campus"]
    one, two = tmp_path / "one.sqlite", tmp_path / "two.sqlite"
    _index(one, *clips)
    _index(two, *clips, args=("--workers", "2", "--chunk-s", "30"))
    assert_same(one, two)


def _processes(wanted: Callable[[int, str], bool]) -> list[int]:
    """Ids of this machine's processes whose (parent id, command line) ``wanted`` takes."""
    found = []
    for child in Path("/proc").glob("[0-9]*"):
        try:
            parent = int((child / "stat").read_text().rsplit(")", 1)[1].split()[1])
            cmdline = (child / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if wanted(parent, cmdline):
            found.append(int(child.name))
    return found


def _workers_of(pid: int) -> list[int]:
    """The multiprocessing workers among a process's children (not its resource tracker)."""
    return _processes(lambda parent, cmdline: parent == pid and "spawn_main" in cmdline)


def test_a_worker_killed_mid_job_changes_nothing(single: Path, sample_clip: Path, tmp_path: Path) -> None:
    db = tmp_path / "index.sqlite"
    job = footage_process("-v", "index", sample_clip, "--db", db, "--camera", "cam", "--no-progress", "--workers", "2",
                          "--chunk-s", "30", stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while len(workers := _workers_of(job.pid)) < 2:
        assert job.poll() is None and time.monotonic() < deadline, "no workers started"
        time.sleep(0.1)
    time.sleep(3)  # the models loaded, chunks under way
    os.kill(workers[0], signal.SIGKILL)
    _, err = job.communicate(timeout=600)
    assert job.returncode == 0, err
    assert "worker process died" in err
    assert_same(single, db)


# ---------------------------------------------------------------- a real Ray cluster on this machine


@pytest.fixture(scope="module")
def ray_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``ray start --head`` on 127.0.0.1 plus a second (worker) node, one CPU each."""
    ray = shutil.which("ray") or str(Path(sys.executable).with_name("ray"))
    if not Path(ray).exists():
        pytest.skip("Ray is not installed (pip install '.[ray]')")
    port = free_port()
    address = f"127.0.0.1:{port}"
    temp = tmp_path_factory.mktemp("ray")
    common = ["--num-cpus", "1", "--object-store-memory", str(200 << 20), "--disable-usage-stats"]
    env = {**os.environ, "RAY_USAGE_STATS_ENABLED": "0"}
    try:
        subprocess.run([ray, "start", "--head", "--node-ip-address", "127.0.0.1", "--port", str(port), "--include-dashboard",
                        "false", "--temp-dir", str(temp), *common], check=True, capture_output=True, env=env, timeout=120)
        subprocess.run([ray, "start", "--address", address, "--node-ip-address", "127.0.0.1", *common], check=True,
                       capture_output=True, env=env, timeout=120)
        yield address
    finally:
        subprocess.run([ray, "stop", "--force"], capture_output=True, env=env, timeout=120)


@pytest.mark.slow  # starts a two-node Ray cluster
def test_a_ray_cluster_indexes_as_one_process_does(ray_cluster: str, single: Path, sample_clip: Path, tmp_path: Path) -> None:
    db = tmp_path / "index.sqlite"
    done = _index(db, sample_clip, args=("--ray", ray_cluster, "--chunk-s", "40"))
    assert "2 node(s), 2 CPUs" in done.stderr
    assert_same(single, db)


def _ray_task_workers() -> list[int]:
    return _processes(lambda _, cmdline: cmdline.startswith("ray::run_task"))


@pytest.mark.slow  # starts a two-node Ray cluster
def test_a_ray_worker_killed_mid_task_changes_nothing(ray_cluster: str, single: Path, sample_clip: Path,
                                                    tmp_path: Path) -> None:
    db = tmp_path / "index.sqlite"
    job = footage_process("index", sample_clip, "--db", db, "--camera", "cam", "--no-progress", "--ray", ray_cluster,
                          "--chunk-s", "30", stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not (busy := _ray_task_workers()):
        assert job.poll() is None and time.monotonic() < deadline, "no Ray task started"
        time.sleep(0.1)
    time.sleep(2)
    os.kill(busy[0], signal.SIGKILL)
    _, err = job.communicate(timeout=600)
    assert job.returncode == 0, err
    assert_same(single, db)


@pytest.mark.parametrize(("args", "says"), [
    (("--workers", "2", "--ray", "auto"), "not both"),
    (("--workers", "0"), "at least 1"),
    (("--workers", "2", "--chunk-s", "5"), "--chunk-s"),
])
def test_spreading_mistakes_are_one_line(args: tuple[str, ...], says: str, sample_clip: Path, tmp_path: Path) -> None:
    done = footage("index", sample_clip, "--db", tmp_path / "i.sqlite", *args)
    assert done.returncode == 2 and says in done.stderr and done.stderr.count("\n") == 1, done.stderr
    assert not (tmp_path / "i.sqlite").exists() or not _found(tmp_path / "i.sqlite")[0]


def test_ray_missing_cluster_is_a_clear_error(sample_clip: Path, tmp_path: Path) -> None:
    pytest.importorskip("ray")
    done = footage("index", sample_clip, "--db", tmp_path / "i.sqlite", "--ray", f"127.0.0.1:{free_port()}")
    assert done.returncode == 2 and "cannot reach the Ray cluster" in done.stderr, done.stderr
