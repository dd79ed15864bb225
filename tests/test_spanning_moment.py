"""A moment that runs across three recordings of one camera: 30 s of the sample clip re-encoded
with a keyframe every 10 s and cut by FFmpeg's segment muxer into three 10 s files named with
their wall-clock starts, laid out as the recorder writes them. A person lingers from 3 s to 24 s,
so the moment starts in the first file and ends in the third. The review app plays it whole as
one clip (in headless Chromium too) with each file's boxes at the clip's time, the export covers
the three files, and retention keeps or re-homes it."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import closing
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from pathlib import Path
from typing import NamedTuple

import av
import pytest
from fastapi.testclient import TestClient

from footage.config import Settings
from footage.live.layout import segment_path
from footage.live.retention import RetentionParams, enforce_retention
from footage.store import live as store_live
from footage.store.database import connect, playable_dir
from footage.web.app import create_app
from footage.web.context import ServeOptions
from support.cli import footage
from support.clips import shared_file
from support.web import serving

CAMERA = "shop"
START = datetime(2026, 11, 20, 15, 30, tzinfo=UTC)
SEGMENT_S = 10
SETTINGS = Settings(timezone="UTC")


@pytest.fixture(scope="module")
def segments(tmp_path_factory: pytest.TempPathFactory, ffmpeg: str, sample_clip: Path) -> list[Path]:
    """The three segment files (sample clip 20-50 s), in the recorder's layout under a root."""
    folder = tmp_path_factory.mktemp("stretch")
    cut = folder / "cut"
    cut.mkdir()
    subprocess.run([ffmpeg, "-v", "error", "-y", "-ss", "20", "-t", str(3 * SEGMENT_S), "-i", str(sample_clip), "-an",
                    "-c:v", "libx264", "-preset", "veryfast", "-bf", "0", "-pix_fmt", "yuv420p",
                    "-force_key_frames", f"expr:gte(t,n_forced*{SEGMENT_S})", "-f", "segment",
                    "-segment_time", str(SEGMENT_S), "-reset_timestamps", "1", str(cut / "part%d.mp4")], check=True)
    made = []
    for number in range(3):
        target = segment_path(folder / "root", CAMERA, START + timedelta(seconds=number * SEGMENT_S), UTC)
        target.parent.mkdir(parents=True, exist_ok=True)
        (cut / f"part{number}.mp4").rename(target)
        made.append(target)
    return made


def index_of(segments: list[Path], folder: Path) -> Path:
    """The segment files indexed into ``folder/index.sqlite``."""
    config = folder / "settings.toml"
    config.write_text('timezone = "UTC"\n')
    db = folder / "index.sqlite"
    done = footage("index", segments[0].parent, "--db", db, "--camera", CAMERA, "--config", config, "--no-progress")
    assert done.returncode == 0, done.stderr
    return db


def copied(segments: list[Path], folder: Path) -> list[Path]:
    """Copies of the segment files in the same layout under ``folder/root``, for a test that deletes some."""
    root = segments[0].parents[2]
    made = []
    for path in segments:
        target = folder / "root" / path.relative_to(root)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
        made.append(target)
    return made


@pytest.fixture(scope="module")
def stretch(segments: list[Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The three files indexed (one index for the tests that only read it)."""
    return index_of(segments, tmp_path_factory.mktemp("stretch-index"))


class Stored(NamedTuple):
    """A moment's row as the index keeps it, with its events (kind, start_s, end_s)."""

    id: int
    recording_id: int
    start_utc_us: int
    end_utc_us: int
    start_s: float
    end_s: float
    key_s: float
    tracks: list[int]
    keyframe: str | None
    events: list[tuple[str, float, float]]

    @property
    def length_s(self) -> float:
        return (self.end_utc_us - self.start_utc_us) / 1e6


def stored(db: Path, moment_id: int | None = None) -> Stored:
    """The moment ``moment_id``, or else the one that starts in the first file and ends in the third."""
    with closing(connect(db, create=False)) as conn:
        rows = conn.execute("""SELECT id, recording_id, start_utc_us, end_utc_us, start_s, end_s, key_s, tracks, keyframe
                               FROM moments ORDER BY start_utc_us""").fetchall()
        first = conn.execute("SELECT MIN(id) FROM recordings").fetchone()[0]
        if moment_id is not None:
            found = [r for r in rows if r[0] == moment_id]
            assert found, f"moment {moment_id} is not kept"
        else:
            ends_after_us = int(START.timestamp() * 1e6) + 2 * SEGMENT_S * 1_000_000
            found = [r for r in rows if r[1] == first and r[3] > ends_after_us]
            assert found, f"no moment from the first file into the third: {rows}"
        row = found[0]
        events = conn.execute("SELECT kind, start_s, end_s FROM events WHERE moment_id = ? ORDER BY id", (row[0],)).fetchall()
    return Stored(int(row[0]), int(row[1]), int(row[2]), int(row[3]), float(row[4]), float(row[5]), float(row[6]),
                  json.loads(row[7]), row[8], [(str(k), float(a), float(b)) for k, a, b in events])


def spanning(db: Path) -> Stored:
    return stored(db)


@pytest.fixture(scope="module")
def client(stretch: Path) -> Iterator[TestClient]:
    with TestClient(create_app(ServeOptions(stretch, SETTINGS)), base_url="http://127.0.0.1") as app:
        yield app


def test_the_moment_page_plays_one_clip_joined_from_the_three_files(stretch: Path, client: TestClient) -> None:
    moment = spanning(stretch)
    assert len(moment.tracks) == 3, "one piece of the person per file"
    detail = client.get(f"/api/moments/{moment.id}").json()
    playback = detail["playback"]
    assert playback["video_url"] == f"/media/moments/{moment.id}/video"
    assert playback["pieces"] == [Path(p).name for p in _paths(stretch)]
    length_s = moment.length_s
    assert playback["start_s"] == 0.0 and playback["moment_start_s"] == pytest.approx(3.0, abs=0.05)
    assert playback["moment_end_s"] - playback["moment_start_s"] == pytest.approx(length_s, abs=0.35)

    answer = client.get(playback["video_url"])
    assert answer.status_code == 200 and answer.headers["content-type"] == "video/mp4"
    made = list(playable_dir(stretch).glob(f"moment-{moment.id}-*.mp4"))
    assert len(made) == 1, "joined once, into the browser copies beside the index"
    with av.open(str(made[0])) as clip:
        times = [float(f.time) for f in clip.decode(video=0)]
    assert times[0] == pytest.approx(0.0, abs=0.01)
    assert times[-1] == pytest.approx(playback["moment_end_s"] + 3.0, abs=0.25), "the whole moment and 3 s after it"
    assert all(b > a for a, b in pairwise(times)), "no jump back at a file boundary"
    stamp = made[0].stat().st_mtime_ns
    assert client.get(playback["video_url"]).content == answer.content and made[0].stat().st_mtime_ns == stamp

    # each file's piece of the person is boxed at the clip's time of that file, and the pieces meet
    overlays = {o["track_id"]: o["boxes"] for o in detail["overlays"]}
    pieces = [overlays[t] for t in moment.tracks]
    for number, boxes in enumerate(pieces):
        assert number * 9.8 <= boxes[0][0] and boxes[-1][0] <= (number + 1) * 10.0 + 0.1, (number, boxes[0], boxes[-1])
    for before, after in pairwise(pieces):
        gap_s = after[0][0] - before[-1][0]
        assert 0 < gap_s < 1.0, "the next file's boxes follow on in the clip"
        centre = [(before[-1][1] + before[-1][3]) / 2, (after[0][1] + after[0][3]) / 2]
        assert abs(centre[0] - centre[1]) < 0.1, "the same person, in the same place, either side of the boundary"
    on_key = [p for p in detail["key_people"] if p["box"] is not None]
    assert len(on_key) == 1 and 0 <= detail["key_s"] <= playback["moment_end_s"]
    # one person, listed once and by one name (the piece on the key frame), whichever file shows them
    assert len(detail["key_people"]) == 1 and [t["id"] for t in detail["tracks"]] == [on_key[0]["track_id"]]
    assert {o["object_id"] for o in detail["overlays"]} == {on_key[0]["track_id"]}
    assert "a clip joined from 3 recordings" in client.get(f"/moments/{moment.id}").text


def _paths(db: Path) -> list[str]:
    with closing(connect(db, create=False)) as conn:
        return [r[0] for r in conn.execute("SELECT path FROM recordings ORDER BY start_utc_us")]


def test_export_of_the_moment_covers_the_three_files(stretch: Path, tmp_path: Path) -> None:
    moment = spanning(stretch)
    out = tmp_path / "moment.mp4"
    done = footage("export", str(moment.id), "--db", stretch, "--redact", "none", "--out", out)
    assert done.returncode == 0, done.stderr
    sidecar = json.loads(out.with_suffix(".json").read_text())
    assert [p["recording"] for p in sidecar["source"]] == [Path(p).name for p in _paths(stretch)]
    assert sidecar["redaction"]["mode"] == "copy"
    length_s = moment.length_s
    assert sidecar["duration_s"] == pytest.approx(length_s + 6.0, abs=0.5), "the moment and 3 s either side"


def test_a_person_kept_in_an_export_is_kept_in_every_file(stretch: Path, tmp_path: Path) -> None:
    moment = spanning(stretch)
    out = tmp_path / "kept.mp4"  # 2 s either side of the first boundary; the person is in view throughout
    done = footage("export", "--db", stretch, "--camera", CAMERA, "--from", "2026-11-20T15:30:08Z", "--to",
                   "2026-11-20T15:30:12Z", "--redact", "people", "--keep", str(moment.tracks[0]), "--out", out)
    assert done.returncode == 0, done.stderr
    redaction = json.loads(out.with_suffix(".json").read_text())["redaction"]
    assert redaction["kept_tracks"] == moment.tracks[:2], "the second file's piece of the person too"
    assert (redaction["regions"], redaction["frames"]) == (0, pytest.approx(40, abs=2)), "nobody else to hide"


def test_a_share_link_of_the_moment_holds_the_clip_from_the_three_files(stretch: Path, client: TestClient) -> None:
    moment = spanning(stretch)
    answer = client.post(f"/api/moments/{moment.id}/shares", json={"redact": []})  # as recorded: a stream copy
    assert answer.status_code == 201, answer.text
    share = answer.json()
    clip = client.get(share["url"] + "clip.mp4")
    assert clip.status_code == 200 and clip.headers["content-type"] == "video/mp4"
    page = client.get(share["url"]).text
    length_s = moment.length_s
    assert f"{length_s + 6.0:.0f} s" in page, "the page gives the length of the whole moment, 3 s either side"
    stored = next(stretch.parent.glob(f"*-shares/{share['token']}/clip.mp4"))
    with av.open(str(stored)) as joined:
        times = [float(f.time) for f in joined.decode(video=0)]
    assert times[-1] - times[0] == pytest.approx(length_s + 6.0, abs=0.5)


@pytest.mark.slow
def test_the_browser_plays_the_whole_moment_across_the_files(stretch: Path, browser: object) -> None:
    moment = spanning(stretch)
    config = stretch.parent / "settings.toml"
    with serving(stretch, "--config", str(config)) as url:
        page = browser.new_page(viewport={"width": 1000, "height": 800})  # type: ignore[attr-defined]
        problems: list[str] = []
        page.on("pageerror", lambda error: problems.append(str(error)))
        page.on("response", lambda answer: problems.append(f"{answer.status} {answer.url}") if answer.status >= 400 else None)
        page.goto(f"{url}/moments/{moment.id}")
        detail = page.request.get(f"{url}/api/moments/{moment.id}").json()
        end_s = detail["playback"]["moment_end_s"]
        page.wait_for_function("() => { const v = document.getElementById('player'); return v.readyState >= 2 "
                               "&& !v.paused && v.currentTime > 0; }", timeout=30_000)
        assert page.evaluate("document.getElementById('player').duration") == pytest.approx(end_s + 3.0, abs=0.3)
        page.evaluate("document.getElementById('player').playbackRate = 4")
        page.wait_for_function("() => document.getElementById('player').ended", timeout=60_000)
        assert page.evaluate("document.getElementById('player').currentTime") >= end_s
        # in the third file's part of the clip, its piece of the person is boxed over the picture
        third = {o["track_id"]: o["boxes"] for o in detail["overlays"]}[moment.tracks[2]]
        page.evaluate(f"document.getElementById('player').currentTime = {third[len(third) // 2][0]}")
        page.wait_for_function("() => !document.getElementById('player').seeking", timeout=10_000)
        page.wait_for_timeout(300)
        drawn = page.evaluate("""() => { const c = document.getElementById('overlay');
            const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n; }""")
        assert drawn > 100, "the box of the third file's piece is drawn"
        page.close()
    assert not problems, problems


def test_retention_keeps_every_file_of_a_starred_spanning_moment(segments: list[Path], tmp_path: Path) -> None:
    segments = copied(segments, tmp_path)
    db = index_of(segments, tmp_path)
    moment = spanning(db)
    now = START + timedelta(days=30)
    with closing(connect(db)) as conn:
        assert store_live.set_starred(conn, moment.id, True)
        report = enforce_retention(conn, db, segments[0].parents[2], CAMERA, RetentionParams(days=1.0), now, UTC)
    assert (report.deleted, report.kept_over_limit) == (0, 3)
    assert all(p.exists() for p in segments)


def test_retention_re_homes_a_spanning_moment_when_its_first_file_goes(segments: list[Path], tmp_path: Path) -> None:
    segments = copied(segments, tmp_path)
    db = index_of(segments, tmp_path)
    moment = spanning(db)
    with closing(connect(db)) as conn:
        recordings = conn.execute("SELECT id, start_utc_us FROM recordings ORDER BY start_utc_us").fetchall()
    with TestClient(create_app(ServeOptions(db, SETTINGS)), base_url="http://127.0.0.1") as app:
        assert app.get(f"/media/moments/{moment.id}/video").status_code == 200
    joined = list(playable_dir(db).glob("moment-*.mp4"))
    assert joined, "the page's clip of the three files is cached"
    sizes = [p.stat().st_size for p in segments]
    limit_gb = (sum(sizes) - sizes[0]) / 1e9  # over the limit by the first file only
    with closing(connect(db)) as conn:
        report = enforce_retention(conn, db, segments[0].parents[2], CAMERA, RetentionParams(gb=limit_gb),
                                   START + timedelta(hours=1), UTC)
    assert report.deleted == 1 and not segments[0].exists() and segments[1].exists() and segments[2].exists()
    assert not any(p.exists() for p in joined), "no cached copy keeps the deleted file's pictures"

    kept = stored(db, moment.id)
    second_id, second_start_us = recordings[1]
    assert kept.recording_id == second_id
    assert kept.start_utc_us == second_start_us and kept.end_utc_us == moment.end_utc_us
    assert kept.start_s == 0.0
    assert kept.end_s == pytest.approx(moment.end_s - SEGMENT_S, abs=0.001)
    assert kept.tracks == moment.tracks[1:]
    assert 0.0 <= kept.key_s <= kept.end_s
    assert kept.keyframe is not None and Path(kept.keyframe).is_file()
    shifted = [(k, max(s - SEGMENT_S, 0.0), max(e - SEGMENT_S, 0.0)) for k, s, e in moment.events]
    assert [e[0] for e in kept.events] == [e[0] for e in shifted]
    for (_, start_s, end_s), (_, want_start, want_end) in zip(kept.events, shifted, strict=True):
        assert start_s == pytest.approx(want_start, abs=0.001) and end_s == pytest.approx(want_end, abs=0.001)

    # the page plays what is left: the two remaining files, joined
    with TestClient(create_app(ServeOptions(db, SETTINGS)), base_url="http://127.0.0.1") as app:
        detail = app.get(f"/api/moments/{moment.id}").json()
        assert detail["playback"]["pieces"] == [p.name for p in segments[1:]]
        assert app.get(detail["playback"]["video_url"]).status_code == 200
        assert app.get(f"/media/moments/{moment.id}/keyframe.jpg").status_code == 200




def test_a_re_homed_moment_loses_a_key_frame_of_the_deleted_file(segments: list[Path], tmp_path: Path) -> None:
    segments = copied(segments, tmp_path)
    db = index_of(segments, tmp_path)
    moment = spanning(db)
    with closing(connect(db)) as conn:
        conn.execute("UPDATE moments SET key_s = 5.0 WHERE id = ?", (moment.id,))  # as if its key time were in file 1
    sizes = [p.stat().st_size for p in segments]
    with closing(connect(db)) as conn:
        report = enforce_retention(conn, db, segments[0].parents[2], CAMERA, RetentionParams(gb=(sum(sizes) - sizes[0]) / 1e9),
                                   START + timedelta(hours=1), UTC)
    assert report.deleted == 1
    kept = stored(db, moment.id)
    assert kept.keyframe is None and kept.key_s == 0.0, "its picture showed what was deleted"
    with TestClient(create_app(ServeOptions(db, SETTINGS)), base_url="http://127.0.0.1") as app:
        assert app.get(f"/media/moments/{moment.id}/keyframe.jpg").status_code == 404
        assert app.get(f"/moments/{moment.id}").status_code == 200


@pytest.mark.slow
def test_every_moment_of_the_whole_intel_clip_in_30_s_files_plays_whole(tmp_path: Path, ffmpeg: str) -> None:
    """The Intel clip (139 s) cut into five 30 s files: each moment that runs across files plays
    whole from its joined clip, with its boxes inside it, and exports from the same files."""
    source = shared_file("intel_sample_videos/one-by-one-person-detection.mp4")
    cut = tmp_path / "cut"
    cut.mkdir()
    subprocess.run([ffmpeg, "-v", "error", "-y", "-i", str(source), "-an", "-c:v", "libx264", "-preset", "veryfast",
                    "-bf", "0", "-pix_fmt", "yuv420p", "-force_key_frames", "expr:gte(t,n_forced*30)", "-f", "segment",
                    "-segment_time", "30", "-reset_timestamps", "1", str(cut / "part%d.mp4")], check=True)
    parts = sorted(cut.glob("part*.mp4"), key=lambda p: int(p.stem[4:]))
    files = []
    for number, part in enumerate(parts):
        target = segment_path(tmp_path / "root", CAMERA, START + timedelta(seconds=30 * number), UTC)
        target.parent.mkdir(parents=True, exist_ok=True)
        part.rename(target)
        files.append(target)
    db = index_of(files, tmp_path)
    across = 0
    with TestClient(create_app(ServeOptions(db, SETTINGS)), base_url="http://127.0.0.1") as app:
        for card in app.get("/api/moments").json()["moments"]:
            detail = app.get(f"/api/moments/{card['id']}").json()
            playback = detail["playback"]
            if not playback["pieces"]:
                continue
            across += 1
            answer = app.get(playback["video_url"])
            assert answer.status_code == 200, answer.text
            clip = next(playable_dir(db).glob(f"moment-{card['id']}-*.mp4"))
            with av.open(str(clip)) as joined:
                times = [float(f.time) for f in joined.decode(video=0)]
            assert times[-1] >= playback["moment_end_s"] - 0.2, (card["id"], times[-1], playback)
            assert playback["moment_end_s"] - playback["moment_start_s"] == pytest.approx(card["duration_s"], abs=0.5)
            assert all(0 <= b[0] <= times[-1] + 0.2 for o in detail["overlays"] for b in o["boxes"])
            out = tmp_path / f"moment-{card['id']}.mp4"
            done = footage("export", str(card["id"]), "--db", db, "--redact", "none", "--out", out)
            assert done.returncode == 0, done.stderr
            sources = [p["recording"] for p in json.loads(out.with_suffix(".json").read_text())["source"]]
            assert sources == playback["pieces"], "the page plays what the export cuts"
    assert across >= 2, "moments of the clip run across its 30 s files"
