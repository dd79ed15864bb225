"""Live recording: the pure backoff and layout, and the recorder against a real RTSP server
(GStreamer's, as support/rtsp.py runs it: the rtsp_cameras fixture)."""

from __future__ import annotations

import logging
import random
import threading
import time
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import av
import pytest

from footage.errors import ConfigError
from footage.ingest.clock import start_from_path
from footage.live.backoff import RetryPolicy, backoff_delays
from footage.live.layout import partial_path, safe_camera_name, segment_path
from footage.live.recorder import GapInfo, SegmentInfo, explain, is_fatal, record
from support.net import free_port
from support.rtsp import StartCamera

# ---------------------------------------------------------------- backoff (pure)


def test_backoff_without_jitter_doubles_up_to_the_cap() -> None:
    delays = backoff_delays(1.0, 30.0, jitter=0.0)
    assert [next(delays) for _ in range(8)] == [1, 2, 4, 8, 16, 30, 30, 30]


def test_backoff_jitter_stays_within_bounds_and_is_monotone_in_expectation() -> None:
    rng = random.Random(7)
    delays = backoff_delays(0.5, 10.0, jitter=0.2, rng=rng)
    got = [next(delays) for _ in range(40)]
    for n, delay in enumerate(got):
        nominal = min(10.0, 0.5 * 2**n)
        assert 0.8 * nominal - 1e-9 <= delay <= min(10.0, 1.2 * nominal) + 1e-9
    assert max(got) <= 10.0
    assert got[-1] >= 8.0  # at the cap, only jitter below it


def test_backoff_is_reproducible_with_a_seeded_rng() -> None:
    first = backoff_delays(rng=random.Random(3))
    second = RetryPolicy().delays(random.Random(3))
    assert [next(first) for _ in range(10)] == [next(second) for _ in range(10)]


@pytest.mark.parametrize(("base", "cap", "jitter"), [(0, 1, 0.1), (2, 1, 0.1), (1, 2, 1.0), (1, 2, -0.1)])
def test_backoff_rejects_bad_settings(base: float, cap: float, jitter: float) -> None:
    with pytest.raises(ConfigError):
        RetryPolicy(base, cap, jitter)
    with pytest.raises(ConfigError):
        next(backoff_delays(base, cap, jitter))


# ---------------------------------------------------------------- layout (pure)


def test_segment_path_is_local_time_and_read_back_by_the_indexer_clock() -> None:
    zone = ZoneInfo("Europe/Paris")
    start = datetime(2026, 11, 20, 23, 30, 5, 700_000, tzinfo=UTC)
    path = segment_path(Path("/rec"), "front door", start, zone)
    assert path == Path("/rec/front_door/2026-11-21/20261121_003005.mp4")
    assert start_from_path(path, zone) == start.replace(microsecond=0)
    assert start_from_path(partial_path(path), zone) == start.replace(microsecond=0)
    assert partial_path(path).name == "20261121_003005.mp4.part"


def test_segment_path_rejects_naive_times() -> None:
    with pytest.raises(ValueError, match="aware"):
        segment_path(Path("/rec"), "cam", datetime(2026, 1, 1), UTC)


@pytest.mark.parametrize(("camera", "safe"), [("front door", "front_door"), ("../../etc", "_.._etc"), ("..", "camera"),
                                              ("", "camera"), ("Hof/Einfahrt: 2", "Hof_Einfahrt_2"), ("cam-1.a", "cam-1.a")])
def test_camera_names_are_file_safe(camera: str, safe: str) -> None:
    assert safe_camera_name(camera) == safe
    assert "/" not in safe_camera_name(camera)


def test_segment_path_for_fixed_offset_zone() -> None:
    zone = timezone(timedelta(hours=-5))
    start = datetime(2026, 3, 1, 2, 0, 0, tzinfo=UTC)
    path = segment_path(Path("r"), "c", start, zone)
    assert path.parent.name == "2026-02-28"
    assert start_from_path(path, zone) == start


# ---------------------------------------------------------------- a real RTSP server


class Recording:
    """``record`` in a thread, collecting what it reports."""

    def __init__(self, url: str, root: Path, segment_s: float, **kwargs: object) -> None:
        self.stop = threading.Event()
        self.segments: list[SegmentInfo] = []
        self.gaps: list[GapInfo] = []
        self.root = root
        self.thread = threading.Thread(target=record, args=(url, "front door", root), daemon=True, kwargs={
            "segment_s": segment_s, "zone": ZoneInfo("Europe/Paris"), "stop": self.stop,
            "on_segment": self.segments.append, "on_gap": self.gaps.append, "timeout_s": 3.0, **kwargs})
        self.thread.start()

    def finish(self) -> float:
        began = time.monotonic()
        self.stop.set()
        self.thread.join(10)
        assert not self.thread.is_alive()
        return time.monotonic() - began


def _decode_all(path: Path) -> tuple[int, bool, float]:
    """Frames decoded, whether the first is a keyframe, and the duration in seconds."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        frames = list(container.decode(stream))
        assert stream.time_base is not None
        duration = float((frames[-1].pts - frames[0].pts) * stream.time_base) + 0.1
        return len(frames), frames[0].key_frame, duration


def _check_segments(rec: Recording) -> None:
    assert not list(rec.root.rglob("*.part"))
    on_disk = sorted(rec.root.rglob("*.mp4"))
    assert on_disk == sorted(s.path for s in rec.segments)
    for seg in rec.segments:
        frames, starts_with_key, _ = _decode_all(seg.path)
        assert starts_with_key
        assert frames == seg.frames
        assert seg.end_utc > seg.start_utc
        assert start_from_path(seg.path, ZoneInfo("Europe/Paris")) == seg.start_utc.replace(microsecond=0)


@pytest.mark.slow  # about 25 s and 17 s of real-time streaming
def test_records_segments_by_stream_copy(rtsp_cameras: StartCamera, sample_clip: Path, tmp_path: Path) -> None:
    server = rtsp_cameras(sample_clip)
    rec = Recording(server.url, tmp_path / "rec", segment_s=8.0)
    time.sleep(25)
    assert rec.finish() < 2.0
    _check_segments(rec)
    assert len(rec.segments) >= 3  # two whole ones and the one cut by stop
    for seg in rec.segments[:-1]:
        _, _, duration = _decode_all(seg.path)
        assert 8.0 <= duration <= 9.1, duration  # the sample clip has a keyframe every second
        assert abs((seg.end_utc - seg.start_utc).total_seconds() - duration) < 0.2
    assert rec.gaps == []


@pytest.mark.slow  # about 25 s and 17 s of real-time streaming
def test_survives_the_server_dying(rtsp_cameras: StartCamera, sample_clip: Path, tmp_path: Path) -> None:
    server = rtsp_cameras(sample_clip)
    rec = Recording(server.url, tmp_path / "rec", segment_s=8.0, policy=RetryPolicy(0.5, 2.0, 0.1))
    time.sleep(6)
    killed_at = datetime.now(UTC)
    server.kill()
    time.sleep(3)
    restarted_at = datetime.now(UTC)
    rtsp_cameras(sample_clip, server.port)
    deadline = time.monotonic() + 10
    while not any(g.end_utc is not None for g in rec.gaps):
        assert time.monotonic() < deadline, f"no reconnect within 10 s: {rec.gaps}"
        time.sleep(0.1)
    resumed_at = datetime.now(UTC)
    time.sleep(4)
    rec.finish()
    _check_segments(rec)
    assert len(rec.segments) >= 2
    before = [s for s in rec.segments if s.start_utc < killed_at]
    after = [s for s in rec.segments if s.start_utc >= restarted_at]
    assert before and after
    assert (after[0].start_utc - restarted_at).total_seconds() < 10
    opened, closed = rec.gaps[0], rec.gaps[1]
    assert opened.end_utc is None and closed.end_utc is not None
    assert opened.start_utc == closed.start_utc <= killed_at + timedelta(seconds=0.5)
    assert restarted_at <= closed.end_utc <= resumed_at
    assert closed.start_utc >= before[-1].end_utc - timedelta(seconds=1)


def test_retries_a_url_nobody_listens_on(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="footage.live.recorder")
    url = f"rtsp://user:secret@127.0.0.1:{free_port()}/cam"
    rec = Recording(url, tmp_path / "rec", segment_s=8.0, policy=RetryPolicy(0.2, 1.0, 0.0))
    time.sleep(2.5)
    assert rec.finish() < 2.0
    retries = [r.getMessage() for r in caplog.records if "cannot open" in r.getMessage()]
    assert len(retries) >= 3
    levels = [r.levelno for r in caplog.records if "cannot open" in r.getMessage()]
    assert levels[0] == logging.WARNING and set(levels[1:]) == {logging.DEBUG}  # the same failure is said once
    assert all("secret" not in line and "\n" not in line for line in retries)
    assert rec.segments == [] and rec.gaps == []
    assert not (tmp_path / "rec").exists()


@pytest.mark.parametrize(("reason", "says", "fatal"), [
    ("Server returned 401 Unauthorized (authorization failed)", "wrong user name or password", True),
    ("Server returned 404 Not Found", "no stream at this URL", True),
    ("Connection refused", "Connection refused", False),
    ("Connection timed out", "Connection timed out", False),
])
def test_open_failures_are_explained(reason: str, says: str, fatal: bool) -> None:
    assert explain(reason).startswith(says) and reason in explain(reason)
    assert is_fatal(reason) is fatal
