"""Shared fixtures: small clips made with ffmpeg, the shared real footage, one detector."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

import pytest

from footage.config import Settings
from footage.detect import Detector, load_detector
from footage.store.database import thumbnail_dir

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
FOOTAGE = SHARED / "footage"


@pytest.fixture(scope="session")
def shared_footage() -> Path:
    """``../shared/footage`` (real clips with ground truth); tests using it skip without it."""
    if not (FOOTAGE / "pets09_s2l1" / "vtest.avi").is_file():
        if os.environ.get("FOOTAGE_CI"):  # .ci/run sets it: there the quality gates must run, not skip
            pytest.fail(f"shared real footage not found at {FOOTAGE}; CI needs it beside the repository")
        pytest.skip(f"shared real footage not found at {FOOTAGE} (it sits beside the repository in CI)")
    return FOOTAGE


@pytest.fixture(scope="session")
def ffmpeg() -> str:
    found = shutil.which("ffmpeg")
    if found is None:
        pytest.skip("the ffmpeg command is not installed (apt-get install ffmpeg)")
    return found


@pytest.fixture(scope="session")
def detector() -> Detector:
    return load_detector(Settings().detect)


MakeClip = Callable[..., Path]


@pytest.fixture
def make_clip(tmp_path: Path, ffmpeg: str) -> MakeClip:
    """``make_clip(name, *ffmpeg_args)`` runs ffmpeg with the given input/filter arguments and
    writes ``tmp_path/name``; returns the path."""

    def make(name: str, *args: str) -> Path:
        out = tmp_path / name
        subprocess.run([ffmpeg, "-v", "error", "-y", *args, str(out)], check=True)
        return out

    return make


def h264(seconds: float, gop: int = 50) -> list[str]:
    """Encoder arguments for an IP-camera-like H.264 stream (no B-frames, fixed GOP)."""
    return ["-t", str(seconds), "-c:v", "libx264", "-preset", "veryfast", "-bf", "0", "-g", str(gop),
            "-keyint_min", str(gop), "-sc_threshold", "0", "-pix_fmt", "yuv420p"]


@pytest.fixture(scope="session")
def sample_clip() -> Path:
    """The Intel clip shipped inside the package (always present)."""
    from importlib import resources

    return Path(str(resources.files("footage.sample").joinpath("one-by-one-person-detection.mp4")))


@pytest.fixture(scope="session")
def front_door_index(tmp_path_factory: pytest.TempPathFactory, sample_clip: Path) -> Path:
    """The sample clip indexed as camera "front door" (six people stand at a table in turn).
    Shared: tests that change an index work on a copy."""
    db = tmp_path_factory.mktemp("front-door") / "index.sqlite"
    out = subprocess.run([sys.executable, "-m", "footage.cli", "index", str(sample_clip), "--db", str(db),
                          "--camera", "front door", "--no-progress"], capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr
    return db


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Debian's Chromium, headless, driven by Playwright (autoplay allowed, as for a user who
    clicked); tests using it skip when either is missing. Per module, not per session: the
    Playwright driver runs an event loop in this thread while it is open, which would stop later
    tests that run one of their own (anyio.run)."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is a test extra: pip install '.[test]'")
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    with sync_api.sync_playwright() as driver:
        chromium = driver.chromium.launch(executable_path=executable, args=["--autoplay-policy=no-user-gesture-required"])
        yield chromium
        chromium.close()


def free_port() -> int:
    """A TCP port of 127.0.0.1 that nothing listens on now."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def serving(db: Path, *args: str, ready: str = "/api/cameras") -> Iterator[str]:
    """``footage serve --db DB ARGS`` in its own process, as a user starts it; yields its URL once
    ``ready`` answers, and stops it at the end."""
    import time
    import urllib.request

    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "footage.cli", "serve", "--db", str(db), "--port", str(port), *args],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(url + ready, timeout=2) as answer:
                    assert answer.status == 200
                break
            except OSError as exc:
                if process.poll() is not None or time.monotonic() > deadline:
                    said = process.stdout.read() if process.stdout else ""
                    raise AssertionError(f"footage serve did not start: {said}") from exc
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def json_of(client: Any, url: str) -> Any:
    """The JSON a test client gets from ``url`` (asserting a 200 and a JSON content type)."""
    answer = client.get(url)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "application/json"
    return answer.json()


def copy_index(source: Path, folder: Path) -> Path:
    """A copy of the index at ``source`` and its pictures in ``folder``. The index records pictures
    by absolute path, so the copy's rows are pointed at the copied pictures."""
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "index.sqlite"
    shutil.copy(source, db)
    shutil.copytree(thumbnail_dir(source), thumbnail_dir(db))
    old, new = str(thumbnail_dir(source)), str(thumbnail_dir(db))
    with closing(sqlite3.connect(db)) as conn, conn:
        conn.execute("UPDATE moments SET keyframe = replace(keyframe, ?, ?)", (old, new))
        conn.execute("UPDATE tracks SET thumbnail = replace(thumbnail, ?, ?)", (old, new))
    return db


@pytest.fixture(scope="session")
def live_clip(tmp_path_factory: pytest.TempPathFactory, ffmpeg: str, sample_clip: Path) -> Path:
    """20 s of the sample clip (one person lingers from 4.8 s to 16.6 s), cut by stream copy at
    keyframes (one a second), so that a camera looping it starts a copy every 20.0 s."""
    out = tmp_path_factory.mktemp("live") / "clip.mp4"
    subprocess.run([ffmpeg, "-v", "error", "-ss", "70", "-i", str(sample_clip), "-frames:v", "200", "-an", "-c", "copy",
                    str(out)], check=True)
    return out


@pytest.fixture(scope="session")
def mosquitto(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    """A real Mosquitto MQTT broker (Debian's) on a free port of 127.0.0.1; yields the port."""
    from mqtt_helpers import mosquitto_binary, running_broker

    mosquitto_binary()
    with running_broker(tmp_path_factory.mktemp("mosquitto"), free_port()) as port:
        yield port
