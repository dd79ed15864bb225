"""The fixtures: small clips made with ffmpeg, the sample clip and its one index, the shared real
footage, one detector, a browser, RTSP cameras and an MQTT broker. Helpers live in ``support``."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from footage.config import Settings
from footage.detect import Detector, load_detector
from support import clips
from support.cli import footage
from support.clips import MakeClip
from support.mqtt import mosquitto_binary, running_broker
from support.net import free_port
from support.rtsp import RtspCamera, StartCamera, require_rtsp_server


@pytest.fixture(scope="session")
def shared_footage() -> Path:
    """``../shared/footage`` (real clips with ground truth): tests using it skip without it, and
    fail in CI (``CI=true`` or ``FOOTAGE_CI``), where the quality gates must run."""
    return clips.shared_footage()


@pytest.fixture(scope="session")
def ffmpeg() -> str:
    found = shutil.which("ffmpeg")
    if found is None:
        pytest.skip("the ffmpeg command is not installed (apt-get install ffmpeg)")
    return found


@pytest.fixture(scope="session")
def detector() -> Detector:
    return load_detector(Settings().detect)


@pytest.fixture
def make_clip(tmp_path: Path, ffmpeg: str) -> MakeClip:
    """``make_clip(name, *ffmpeg_args)`` runs ffmpeg with the given input/filter arguments and
    writes ``tmp_path/name``; returns the path."""

    def make(name: str, *args: str) -> Path:
        out = tmp_path / name
        subprocess.run([ffmpeg, "-v", "error", "-y", *args, str(out)], check=True)
        return out

    return make


@pytest.fixture(scope="session")
def sample_clip() -> Path:
    """The Intel clip shipped inside the package (always present)."""
    return clips.sample_clip_path()


@pytest.fixture(scope="session")
def front_door_index(tmp_path_factory: pytest.TempPathFactory, sample_clip: Path) -> Path:
    """The sample clip indexed as camera "front door" (six people stand at a table in turn).
    The one index of it for the whole run: tests that change an index work on a copy (copy_index)."""
    db = tmp_path_factory.mktemp("front-door") / "index.sqlite"
    out = footage("index", sample_clip, "--db", db, "--camera", "front door", "--no-progress")
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
    mosquitto_binary()
    with running_broker(tmp_path_factory.mktemp("mosquitto"), free_port()) as port:
        yield port


@pytest.fixture
def rtsp_cameras(ffmpeg: str, tmp_path: Path) -> Iterator[StartCamera]:
    """``rtsp_cameras(clip, port=None, credentials=None)`` starts a real RTSP camera (GStreamer's
    RTSP server) playing ``clip``, the n-th of a test from 3 n seconds into it (``start_s``); all
    are killed at the end. Skips (fails in CI) without GStreamer."""
    require_rtsp_server()
    started: list[RtspCamera] = []

    def start(clip: Path, port: int | None = None, **options: Any) -> RtspCamera:
        options.setdefault("start_s", 3.0 * len(started))
        camera = RtspCamera(clip, port or free_port(), tmp_path, **options)
        started.append(camera)
        return camera

    yield start
    for camera in started:
        camera.kill()
