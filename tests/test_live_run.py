"""``footage run`` and ``footage watch`` end to end: real RTSP cameras (GStreamer's RTSP server), the
real command in a subprocess, a real Mosquitto broker, the real index; plus the cameras file and
crash repair on their own."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import time
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any

import av
import pytest

from footage.errors import ConfigError
from footage.live.cameras import parse_cameras
from footage.live.repair import find_partials, salvage
from footage.store.database import connect
from footage.store.live import set_starred
from support.cli import footage, footage_process
from support.mqtt import Subscriber
from support.rtsp import RtspCamera, StartCamera

CLIP_S = 20.0  # the live_clip fixture: a person lingers from 4.8 s to 16.6 s
SEGMENT_S = 19.5  # past the clip's last keyframe (19 s), before the next copy (20 s): one copy a segment
SAMPLED_S = 0.2  # one sampled frame at the default 5 frames a second


# ---------------------------------------------------------------- the cameras file (pure parsing)


def _cameras(text_tables: dict[str, Any]) -> Any:
    return parse_cameras(text_tables, "test.toml")


def test_cameras_file_gives_each_camera_its_settings() -> None:
    found = _cameras({
        "timezone": "Europe/Berlin", "detect": {"classes": ["person", "car"]},
        "live": {"recordings": "/srv/rec", "segment_s": 30},
        "mqtt": {"host": "broker.local", "topic_prefix": "house"},
        "cameras": {
            "front door": {"url": "rtsp://u:p@10.0.0.2/s1", "retention_days": 7, "detect": {"score_threshold": 0.3}},
            "yard": {"url": "rtsp://10.0.0.3/s1", "retention_gb": 2.5, "ingest": {"detect_fps": 2.0}},
        },
    })
    front, yard = found.cameras
    assert (front.name, front.url, front.retention.days, front.retention.gb) == ("front door", "rtsp://u:p@10.0.0.2/s1", 7, 0)
    assert front.settings.detect.score_threshold == 0.3
    assert front.settings.detect.classes == ("person", "car")  # the shared table, under the camera's own
    assert front.settings.timezone == yard.settings.timezone == "Europe/Berlin"
    assert yard.settings.ingest.detect_fps == 2.0 and yard.settings.detect.score_threshold == 0.1
    assert yard.retention.gb == 2.5
    assert found.live.segment_s == 30 and found.live.recordings_root(Path("/x/i.sqlite")) == Path("/srv/rec")
    assert found.mqtt.enabled and found.mqtt.topic_prefix == "house"
    assert _cameras({"cameras": {"a": {"url": "rtsp://h/a"}}}).live.recordings_root(Path("/x/i.sqlite")) == Path(
        "/x/i-recordings")


@pytest.mark.parametrize(("tables", "says"), [
    ({}, "names no camera"),
    ({"cameras": {"a": {}}}, "needs url"),
    ({"cameras": {"a": {"url": "ftp://x"}}}, "rtsp://"),
    ({"cameras": {"a": {"url": "rtsp://x", "colour": "red"}}}, "colour"),
    ({"cameras": {"a": {"url": "rtsp://x", "retention_days": -1}}}, "retention"),
    ({"cameras": {"a b": {"url": "rtsp://x"}, "a_b": {"url": "rtsp://y"}}}, "share the folder"),
    ({"cameras": {"a": {"url": "rtsp://x"}}, "live": {"segment_s": 0}}, "segment_s"),
    ({"cameras": {"a": {"url": "rtsp://x"}}, "mqtt": {"port": "1883"}}, "port"),
    ({"cameras": {"a": {"url": "rtsp://x"}}, "zoom": {}}, "zoom"),
])
def test_cameras_file_mistakes_are_clear(tables: dict[str, Any], says: str) -> None:
    with pytest.raises(ConfigError, match=says):
        _cameras(tables)


def test_run_without_a_cameras_file_says_so(tmp_path: Path) -> None:
    out = footage("run", "--config", tmp_path / "none.toml")
    assert out.returncode == 2
    assert out.stderr.strip().count("\n") == 0 and "no cameras file" in out.stderr


# ---------------------------------------------------------------- crash repair


def test_a_half_written_segment_is_repaired_and_garbage_set_aside(tmp_path: Path, live_clip: Path, ffmpeg: str) -> None:
    day = tmp_path / "rec" / "porch" / "2026-11-30"
    day.mkdir(parents=True)
    whole = tmp_path / "whole.mp4"
    subprocess.run([ffmpeg, "-v", "error", "-i", str(live_clip), "-c", "copy", "-movflags",
                    "frag_keyframe+empty_moov+default_base_moof", str(whole)], check=True)
    data = whole.read_bytes()
    (day / "20261130_101010.mp4.part").write_bytes(data[: len(data) * 6 // 10])  # the power went out
    (day / "20261130_101100.mp4.part").write_bytes(b"\0" * 5000)
    parts = find_partials(tmp_path / "rec", "porch")
    assert [p.name for p in parts] == ["20261130_101010.mp4.part", "20261130_101100.mp4.part"]
    repaired, aside = (salvage(p) for p in parts)
    assert repaired.outcome == "repaired" and repaired.path == day / "20261130_101010.mp4"
    with av.open(str(repaired.path)) as container:
        frames = list(container.decode(video=0))
    assert frames[0].key_frame and len(frames) == repaired.frames
    assert 80 <= repaired.frames < 200  # whole fragments (one a second) up to the cut
    assert abs(repaired.seconds - repaired.frames / 10) < 0.15  # the clip has 10 frames a second
    assert aside.outcome == "set aside" and aside.path == tmp_path / "rec" / "porch" / "damaged" / "20261130_101100.mp4.part"
    assert aside.path.read_bytes() == b"\0" * 5000  # kept for its owner, never lost
    assert find_partials(tmp_path / "rec", "porch") == []


# ---------------------------------------------------------------- end to end


def _rows(db: Path, sql: str, *args: object) -> list[tuple[Any, ...]]:
    if not db.exists():
        return []
    with closing(sqlite3.connect(db, timeout=30)) as conn:
        try:
            return [tuple(r) for r in conn.execute(sql, args).fetchall()]
        except sqlite3.OperationalError:  # not migrated yet
            return []


def _wait(check: Callable[[], Any], timeout_s: float, what: str) -> Any:
    deadline = time.monotonic() + timeout_s
    while True:
        found = check()
        if found:
            return found
        assert time.monotonic() < deadline, f"waited {timeout_s:.0f} s for {what}"
        time.sleep(0.25)


def _moments(db: Path, camera: str) -> list[tuple[Any, ...]]:
    return _rows(db, """SELECT m.id, m.kind, m.start_s, m.end_s, r.path, r.indexed_s FROM moments m
                        JOIN recordings r ON r.id = m.recording_id JOIN cameras c ON c.id = m.camera_id
                        WHERE c.name = ? ORDER BY m.start_utc_us""", camera)


def _state(db: Path, camera: str) -> tuple[str, str] | None:
    rows = _rows(db, "SELECT s.state, s.detail FROM live_status s JOIN cameras c ON c.id = s.camera_id WHERE c.name = ?",
                 camera)
    return rows[0] if rows else None


def _footage(*args: str, log: Path) -> subprocess.Popen[bytes]:
    return footage_process(*args, stdout=log.open("ab"), stderr=subprocess.STDOUT, env={**os.environ, "PYTHONUNBUFFERED": "1"})


def _stop(process: subprocess.Popen[bytes], log: Path) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        assert process.wait(60) == 0, log.read_text()
    finally:
        if process.poll() is None:
            process.kill()


def _decodes(path: Path) -> int:
    with av.open(str(path)) as container:
        return sum(1 for _ in container.decode(video=0))


@pytest.fixture
def cameras(rtsp_cameras: StartCamera, live_clip: Path) -> Callable[..., RtspCamera]:
    """RTSP cameras playing the live clip unless told another."""
    def start(port: int | None = None, clip: Path = live_clip, **options: Any) -> RtspCamera:
        return rtsp_cameras(clip, port, **options)

    return start


@pytest.mark.slow  # about 70 s of real-time streaming
def test_watching_a_looped_clip_finds_the_moments_of_the_file(cameras: Callable[..., RtspCamera], live_clip: Path,
                                                             ffmpeg: str, tmp_path: Path) -> None:
    # the clip with one keyframe, so that every segment of the looped stream is one whole copy: the
    # recorder starts at a keyframe (a player joining a camera misses the first frames anyway) and
    # cuts at the first keyframe after SEGMENT_S, the next copy's first frame
    clip = tmp_path / "one-gop.mp4"
    subprocess.run([ffmpeg, "-v", "error", "-i", str(live_clip), "-c:v", "libx264", "-preset", "veryfast", "-g", "200",
                    "-bf", "0", "-sc_threshold", "0", "-pix_fmt", "yuv420p", str(clip)], check=True)
    file_db = tmp_path / "file.sqlite"
    assert footage("index", clip, "--db", file_db, "--camera", "file", "--no-progress").returncode == 0
    expected = [(kind, start, end) for _, kind, start, end, _, _ in _moments(file_db, "file")]
    assert [k for k, _, _ in expected] == ["lingered"]

    server = cameras(clip=clip)
    db, log = tmp_path / "live.sqlite", tmp_path / "watch.log"
    watch = _footage("watch", server.url, "--camera", "porch", "--db", str(db), "--recordings", str(tmp_path / "rec"),
                     "--segment-s", str(SEGMENT_S), log=log)
    try:
        # the first whole copy starts 20 s in, at the first keyframe
        _wait(lambda: len({m[4] for m in _moments(db, "porch")}) >= 2, 90, "two looped copies indexed")
    finally:
        _stop(watch, log)
    whole = [r for r in _rows(db, "SELECT path, indexed_s FROM recordings") if abs(r[1] + 0.1 - CLIP_S) < 0.15]
    assert len(whole) >= 2, _rows(db, "SELECT path, indexed_s FROM recordings")
    for path, _ in whole:
        got = [(kind, start, end) for _, kind, start, end, p, _ in _moments(db, "porch") if p == path]
        assert [k for k, _, _ in got] == [k for k, _, _ in expected], (path, got, expected)
        for (_, start, end), (_, want_start, want_end) in zip(got, expected, strict=True):
            assert abs(start - want_start) <= SAMPLED_S + 1e-6 and abs(end - want_end) <= SAMPLED_S + 1e-6
    printed = log.read_text()
    assert "lingered" in printed and "porch" in printed  # each moment printed as it is found


@pytest.mark.slow  # about two and a half minutes of real-time streaming
def test_run_two_cameras_through_faults_retention_mqtt_and_a_crash(cameras: Callable[..., RtspCamera], mosquitto: int,
                                                                   tmp_path: Path) -> None:
    porch, yard = cameras(), cameras()
    locked = cameras(credentials=("admin", "right"))
    rec, db, log = tmp_path / "rec", tmp_path / "index.sqlite", tmp_path / "run.log"
    config = tmp_path / "cameras.toml"
    config.write_text(f"""
timezone = "UTC"
[live]
recordings = "{rec}"
segment_s = {SEGMENT_S}
timeout_s = 3.0
retry_base_s = 0.5
retry_cap_s = 2.0
retention_every_s = 2.0
heartbeat_s = 1.0
[mqtt]
host = "127.0.0.1"
port = {mosquitto}
[cameras.porch]
url = "{porch.url}"
[cameras.yard]
url = "{yard.url}"
retention_gb = 0.0012
[cameras.garage]
url = "rtsp://admin:wrong@127.0.0.1:{locked.port}/cam"
[cameras.shed]
url = "rtsp://127.0.0.1:{yard.port}/no-such-path"
""")
    listener = Subscriber(mosquitto, "footage")
    run = _footage("run", "--config", str(config), "--db", str(db), log=log)
    try:
        # records and finds moments, while two broken cameras fail clearly
        _wait(lambda: _moments(db, "porch") and _moments(db, "yard"), 60, "moments from both cameras")
        garage = _wait(lambda: (s := _state(db, "garage")) and s[0] == "failed" and s, 20, "garage failed")
        assert "wrong user name or password" in garage[1] and "admin" not in garage[1]
        shed = _wait(lambda: (s := _state(db, "shed")) and s[0] == "failed" and s, 20, "shed failed")
        assert "no stream at this URL" in shed[1]
        assert _state(db, "porch") == ("recording", "")

        # MQTT: each moment's start and end, as JSON, on footage/events; states retained per camera
        def events() -> list[dict[str, Any]]:
            return [json.loads(p) for p, _ in listener.messages.get("footage/events", [])]
        _wait(lambda: {"porch", "yard"} <= {e["camera"] for e in events()}, 20, "MQTT moments of both cameras")
        kinds = {m[0]: m[1] for cam in ("porch", "yard") for m in _moments(db, cam)}
        assert all(e["type"] in ("start", "end") and kinds.get(e["id"]) == e["kind"] for e in events())
        assert all(e["type"] == "start" for e in events() if e["ongoing"])
        listener.wait_for("footage/garage/state", lambda p: json.loads(p)["state"] == "failed")
        assert listener.wait_for("footage/available") == ("online", False)

        # the owner stars yard's first moment: retention must keep its segment
        starred_id, _, _, _, starred_path, _ = _moments(db, "yard")[0]
        with closing(connect(db)) as conn:
            assert set_starred(conn, starred_id, True)

        # the porch camera loses power and comes back: recording resumes within 10 s, the gap is recorded
        porch.kill()
        killed = time.monotonic()
        time.sleep(3)
        cameras(porch.port)
        restarted = time.monotonic()
        gap = _wait(lambda: _rows(db, """SELECT g.start_utc_us, g.end_utc_us, g.reason FROM gaps g JOIN cameras c
                                        ON c.id = g.camera_id WHERE c.name = 'porch' AND g.end_utc_us IS NOT NULL"""),
                    15, "the porch gap to close")[0]
        assert time.monotonic() - restarted < 10
        assert 2.5e6 <= gap[1] - gap[0] <= (time.monotonic() - killed + 1) * 1e6
        assert _state(db, "porch") == ("recording", "")

        # retention: yard keeps 1.2 MB (a segment is about 0.5 MB), and its starred segment whatever its age
        def yard() -> list[tuple[Any, ...]]:
            return _rows(db, """SELECT r.start_utc_us FROM recordings r JOIN cameras c ON c.id = r.camera_id
                                WHERE c.name = 'yard' ORDER BY r.start_utc_us""")
        _wait(lambda: (rows := yard()) and rows[-1][0] - rows[0][0] > 55e6 and len(rows) <= 3, 90,
              "yard to record a minute more and drop old segments")
        yard_files = sorted((rec / "yard").rglob("*.mp4"))
        assert Path(starred_path) in yard_files
        assert sum(f.stat().st_size for f in yard_files) <= 1.2e6 + Path(starred_path).stat().st_size + 600_000
        assert "retention deleted" in log.read_text()

        # a crash in the middle of a segment: the half-written one is repaired, the time away is a gap
        _wait(lambda: any(p.stat().st_size > 200_000 for p in rec.glob("porch/*/*.part")), 30, "a porch segment under way")
        run.kill()
        run.wait(10)
        part = next(rec.glob("porch/*/*.part"))
        run = _footage("run", "--config", str(config), "--db", str(db), log=log)
        final = part.with_name(part.name.removesuffix(".part"))
        _wait(lambda: _rows(db, "SELECT id FROM recordings WHERE path = ? AND status = 'done'", str(final)), 30,
              "the repaired segment indexed")
        assert not part.exists() and _decodes(final) > 0
        _wait(lambda: _rows(db, """SELECT g.id FROM gaps g JOIN cameras c ON c.id = g.camera_id WHERE c.name = 'porch'
                                   AND g.reason = 'footage was not running' AND g.end_utc_us IS NOT NULL"""),
              20, "the time footage was down recorded as a gap")
    finally:
        _stop(run, log)
        listener.close()

    # a clean stop: states stopped, no .part left but those set aside after the crash (a segment
    # that had not written its first fragment yet), every segment decodes (none corrupt)
    assert {_state(db, c)[0] for c in ("porch", "yard", "garage", "shed")} == {"stopped"}  # type: ignore[index]
    left = list(rec.rglob("*.part"))
    assert all(p.parent.name == "damaged" and p.name in log.read_text() for p in left), left
    for segment in rec.rglob("*.mp4"):
        assert _decodes(segment) > 0, segment
    assert not (rec / "garage").exists() and not (rec / "shed").exists()


# ---------------------------------------------------------------- one timeline across segments


@pytest.fixture
def standing_clip(ffmpeg: str, sample_clip: Path, tmp_path: Path) -> Path:
    """12 s of a person standing at the sample clip's table: 6 s of it (77-83 s) played forward,
    then backward, so that the camera looping it shows her standing there as long as it plays,
    never leaving or coming back. A keyframe every second, so a segment is cut within a second
    of ``segment_s``."""
    out = tmp_path / "standing.mp4"
    subprocess.run([ffmpeg, "-v", "error", "-ss", "77", "-t", "6", "-i", str(sample_clip), "-an", "-filter_complex",
                    "[0:v]split[a][b];[b]reverse[r];[a][r]concat=n=2:v=1[v]", "-map", "[v]", "-c:v", "libx264",
                    "-preset", "veryfast", "-g", "10", "-keyint_min", "10", "-sc_threshold", "0", "-bf", "0",
                    "-pix_fmt", "yuv420p", str(out)], check=True)
    return out


def _boundaries_within(db: Path, camera: str, start_us: int, end_us: int) -> int:
    """How many of the camera's segment boundaries (a segment's start after the first's) fall
    inside ``(start_us, end_us)``."""
    starts = [r[0] for r in _rows(db, """SELECT r.start_utc_us FROM recordings r JOIN cameras c ON c.id = r.camera_id
                                        WHERE c.name = ? ORDER BY r.start_utc_us""", camera)]
    return sum(1 for at in starts[1:] if start_us < at < end_us)


@pytest.mark.slow  # about a minute of real-time streaming
def test_a_person_staying_across_segments_is_one_object_and_one_growing_moment(
        cameras: Callable[..., RtspCamera], standing_clip: Path, mosquitto: int, tmp_path: Path) -> None:
    server = cameras(clip=standing_clip)
    db, log, settings = tmp_path / "live.sqlite", tmp_path / "watch.log", tmp_path / "settings.toml"
    settings.write_text(f'[mqtt]\nhost = "127.0.0.1"\nport = {mosquitto}\ntopic_prefix = "standing"\n')
    listener = Subscriber(mosquitto, "standing")
    watch = _footage("watch", server.url, "--camera", "desk", "--db", str(db), "--recordings", str(tmp_path / "rec"),
                     "--segment-s", "10", "--config", str(settings), log=log)

    def lingering() -> list[tuple[Any, ...]]:
        return _rows(db, """SELECT m.id, m.start_utc_us, m.end_utc_us, m.ongoing FROM moments m
                            JOIN cameras c ON c.id = m.camera_id WHERE c.name = 'desk'
                              AND EXISTS (SELECT 1 FROM events e WHERE e.moment_id = m.id AND e.kind = 'lingered')""")

    def indexed() -> int:
        return len(_rows(db, """SELECT r.id FROM recordings r JOIN cameras c ON c.id = r.camera_id
                                WHERE c.name = 'desk' AND r.status = 'done'"""))

    try:
        _wait(lambda: indexed() >= 2 and lingering(), 60, "two segments and a lingered moment")
        first = lingering()
        assert len(first) == 1 and first[0][3] == 1, first  # she is still there: the moment goes on
        _wait(lambda: indexed() >= 4, 60, "four segments indexed")
        during = lingering()
        assert [(m[0], m[3]) for m in during] == [(first[0][0], 1)], during  # one id, growing
        assert during[0][2] > first[0][2]
        _stop(watch, log)
        listener.wait_for("standing/events", lambda p: json.loads(p)["type"] == "end", timeout=10)
    finally:
        if watch.poll() is None:
            watch.kill()
        listener.close()
    assert indexed() >= 4

    # one object: the person's pieces, one a segment, chained from the first one's id
    tracks = _rows(db, """SELECT t.id, t.previous_id, t.first_utc_us, t.last_utc_us, r.start_utc_us FROM tracks t
                          JOIN recordings r ON r.id = t.recording_id JOIN cameras c ON c.id = r.camera_id
                          WHERE c.name = 'desk' AND t.label = 'person' ORDER BY t.first_utc_us""")
    roots = [t for t in tracks if t[1] is None]
    assert len(roots) == 1 and len(tracks) >= 4, tracks
    by_id = {t[0]: t for t in tracks}
    for track in tracks:
        seen = track
        while seen[1] is not None:
            seen = by_id[seen[1]]
        assert seen == roots[0], (track, tracks)

    # one lingered moment over them, ended when the camera stopped recording
    (moment_id, start_us, end_us, ongoing), = lingering()
    assert moment_id == first[0][0] and ongoing == 0
    assert _boundaries_within(db, "desk", start_us, end_us) >= 3
    kinds = _rows(db, "SELECT m.kind, m.description FROM moments m WHERE m.id = ?", moment_id)
    assert len(_rows(db, "SELECT id FROM moments")) == 1, kinds

    # published once when it started (ongoing) and once when it ended; printed once
    messages = [json.loads(p) for p, _ in listener.messages.get("standing/events", [])]
    assert [(m["type"], m["id"], m["ongoing"]) for m in messages] == [("start", moment_id, True),
                                                                       ("end", moment_id, False)], messages
    assert "lingered" in messages[1]["kinds"] and messages[1]["duration_s"] > messages[0]["duration_s"]
    retained = listener.messages.get("standing/desk/moment", [])
    assert retained and json.loads(retained[-1][0])["type"] == "end"
    assert log.read_text().count(f"#{moment_id} ") == 1
