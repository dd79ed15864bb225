"""The review app over real indexes, through FastAPI's TestClient (no server process):

- every page answers HTML that shows what its JSON twin under ``/api/`` returns (same cameras,
  moments, marks and search results), with the filters, paging and refusals of the API;
- recordings are served with HTTP byte ranges, key frames and thumbnails as JPEG;
- a recording deleted after indexing is a 404 for the video but its moment page still works;
- a recording in a codec browsers cannot play (MS-MPEG4 in AVI) is served as H.264 in MP4;
- indexing jobs run from the API and from the page's form, inside the allowed folders only.
"""

from __future__ import annotations

import html
import re
import subprocess
import time
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import av
import pytest
from fastapi.testclient import TestClient
from httpx import Response

from footage.config import Settings, WebParams
from footage.store import review
from footage.store.database import connect
from footage.web.app import create_app
from footage.web.context import ServeOptions
from support.cli import footage
from support.clips import MakeClip, h264
from support.web import copy_index, json_of

BASE = "http://127.0.0.1"
TESTSRC = ("-f", "lavfi", "-i", "testsrc2=size=320x240:rate=10")  # a moving test card: no people


def client_for(db: Path, **options: Any) -> TestClient:
    return TestClient(create_app(ServeOptions(db, **options)), base_url=BASE)


def page(client: TestClient, url: str) -> str:
    answer = client.get(url)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/html")
    return answer.text


def card_ids(text: str) -> list[int]:
    """Ids of the moment cards (and timeline marks) on a page, in page order."""
    return [int(i) for i in re.findall(r'data-moment="(\d+)"', text)]


def api(url: str) -> str:
    """The JSON twin of a page's URL (``/moments?x=1`` -> ``/api/moments?x=1``)."""
    return "/api" + url


def one_line_detail(answer: Response, status: int) -> str:
    assert answer.status_code == status, answer.text
    detail = answer.json()["detail"]
    assert isinstance(detail, str) and detail and "\n" not in detail
    return detail


@pytest.fixture(scope="module")
def index_copy(front_door_index: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_index(front_door_index, tmp_path_factory.mktemp("web-app"))


@pytest.fixture(scope="module")
def client(index_copy: Path) -> Iterator[TestClient]:
    with client_for(index_copy) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def moments(client: TestClient) -> list[dict[str, Any]]:
    """The six moment cards, newest first, as /api/moments lists them."""
    listed = json_of(client, "/api/moments")
    assert listed["total"] == len(listed["moments"]) == 6
    return list(listed["moments"])


@pytest.fixture(scope="module")
def moment_day(moments: list[dict[str, Any]]) -> date:
    """The local day of the moments (the JSON times carry the app's zone)."""
    days = {date.fromisoformat(m["start"][:10]) for m in moments}
    assert len(days) == 1
    return days.pop()


# ---- pages and their JSON twins -------------------------------------------------------------------

def test_cameras_page_and_json(client: TestClient, moments: list[dict[str, Any]]) -> None:
    (camera,) = json_of(client, "/api/cameras")
    assert (camera["name"], camera["recordings"], camera["moments"]) == ("front door", 1, 6)
    assert 0.03 < camera["hours"] < 0.05  # 139 s of video
    assert camera["url"] == "/cameras/front%20door"
    latest = [m["id"] for m in camera["latest"]]
    assert latest == [m["id"] for m in moments][: len(latest)] and latest
    text = page(client, "/")
    assert "front door" in text and 'href="/cameras/front%20door"' in text
    assert card_ids(text) == latest


def test_moment_list_page_shows_the_moments_of_the_json(client: TestClient, moments: list[dict[str, Any]]) -> None:
    text = page(client, "/moments")
    assert card_ids(text) == [m["id"] for m in moments]
    assert "6 found" in text
    for moment in moments:
        assert html.escape(moment["description"]) in text


def test_moment_page_and_json(client: TestClient, moments: list[dict[str, Any]]) -> None:
    for card in moments:
        detail = json_of(client, f"/api/moments/{card['id']}")
        assert detail["moment"] == card
        assert detail["recording"] == "one-by-one-person-detection.mp4"
        playback = detail["playback"]
        assert playback["start_s"] == pytest.approx(max(0.0, playback["moment_start_s"] - 3.0), abs=1e-3)
        assert playback["moment_start_s"] < playback["moment_end_s"]
        assert (playback["width"], playback["height"]) == (768, 432)
        assert detail["tracks"] and all(t["label"] == "person" for t in detail["tracks"])
        assert {e["kind"] for e in detail["events"]} == set(card["kinds"])
        assert detail["overlays"]
        for overlay in detail["overlays"]:
            assert overlay["track_id"] in {t["id"] for t in detail["tracks"]}
            for seconds, *corners in overlay["boxes"]:
                assert playback["start_s"] - 1.0 <= seconds <= playback["moment_end_s"] + 10.0
                assert all(0.0 <= c <= 1.0 for c in corners)
                assert corners[0] < corners[2] and corners[1] < corners[3]

        text = page(client, f"/moments/{card['id']}")
        assert html.escape(card["description"]) in text
        video = re.search(r'<video [^>]*\bsrc="/media/recordings/(\d+)/video#t=([\d.]+)"', text)
        assert video is not None
        assert int(video[1]) == playback["recording_id"]
        assert float(video[2]) == pytest.approx(playback["start_s"])
        assert f'href="{html.escape(detail["timeline_url"])}"' in text


def test_the_video_starts_a_little_before_the_moment_but_not_before_the_recording(index_copy: Path) -> None:
    with client_for(index_copy, settings=Settings(web=WebParams(preroll_s=10.0))) as client:
        playbacks = [json_of(client, f"/api/moments/{m['id']}")["playback"]
                     for m in json_of(client, "/api/moments")["moments"]]
    first = min(playbacks, key=lambda p: p["moment_start_s"])
    assert first["moment_start_s"] < 10.0 and first["start_s"] == 0.0
    for playback in playbacks:
        assert playback["start_s"] == pytest.approx(max(0.0, playback["moment_start_s"] - 10.0), abs=1e-3)


def test_timeline_page_and_json(client: TestClient, moments: list[dict[str, Any]], moment_day: date) -> None:
    view = json_of(client, "/api/cameras/front%20door/timeline")
    assert view["camera"] == "front door" and view["span_s"] == 86400
    assert view["day"] == moment_day.isoformat() and view["days"] == [moment_day.isoformat()]
    assert len(view["bins"]) == 144
    assert sum(b["people"] for b in view["bins"]) > 0
    assert max(b["recorded"] for b in view["bins"]) > 0
    assert sorted(mark["moment"]["id"] for mark in view["marks"]) == sorted(m["id"] for m in moments)
    assert all(0.0 <= mark["left"] <= mark["left"] + mark["width"] <= 1.0 + 1e-9 for mark in view["marks"])
    assert "span=21600" in view["zoom_in_url"] and view["zoom_out_url"] is None

    text = page(client, "/cameras/front%20door")
    assert "<h1>front door" in text
    assert set(card_ids(text)) == {m["id"] for m in moments}

    # zooming in without a time picked goes to where the moments are
    zoomed = json_of(client, view["zoom_in_url"].replace("/cameras/front%20door?", "/api/cameras/front%20door/timeline?"))
    assert zoomed["span_s"] == 21600 and len(zoomed["marks"]) == 6
    assert "span=86400" in zoomed["zoom_out_url"]


@pytest.mark.parametrize(("query", "status"), [
    ("span=1000", 400),
    ("day=0001-01-01", 400),
    ("day=9999-12-31", 400),
    ("at=12:00&span=600&day=2017-13-01", 422),
])
def test_timeline_refuses_bad_parameters(client: TestClient, query: str, status: int) -> None:
    assert client.get(f"/api/cameras/front%20door/timeline?{query}").status_code == status
    assert client.get(f"/cameras/front%20door?{query}").status_code == status


def test_an_unknown_camera_is_404(client: TestClient) -> None:
    assert "nobody" in one_line_detail(client.get("/api/cameras/nobody/timeline"), 404)
    answer = client.get("/cameras/nobody")
    assert answer.status_code == 404 and answer.headers["content-type"].startswith("text/html")


def test_moment_filters(client: TestClient, moments: list[dict[str, Any]], moment_day: date) -> None:
    def ids(query: str) -> list[int]:
        listed = json_of(client, f"/api/moments?{query}")
        assert listed["total"] == len(listed["moments"])
        return [m["id"] for m in listed["moments"]]

    every = [m["id"] for m in moments]
    assert ids("kind=lingered") == every  # each of the six people stood still for a while
    assert ids("kind=together") == []
    assert ids("camera=front%20door") == every
    assert ids("camera=back%20door") == []
    assert ids(f"day={moment_day.isoformat()}") == every
    assert ids(f"day={(moment_day + timedelta(days=1)).isoformat()}") == []
    assert ids(f"day={(moment_day - timedelta(days=1)).isoformat()}") == []
    long_ones = [m["id"] for m in moments if m["duration_s"] >= 15]
    assert 0 < len(long_ones) < 6
    assert ids("min_duration=15") == long_ones
    assert ids(f"camera=front%20door&kind=lingered&day={moment_day.isoformat()}&min_duration=15") == long_ones


def test_the_filter_form_sends_blank_fields_for_any(client: TestClient, moments: list[dict[str, Any]]) -> None:
    """The moment list's form submits every field; an unset one arrives as ``name=`` and means "any"."""
    text = page(client, "/moments?camera=&kind=&day=&min_duration=")
    assert card_ids(text) == [m["id"] for m in moments]
    text = page(client, "/moments?camera=front+door&kind=lingered&day=&min_duration=15")
    assert card_ids(text) == [m["id"] for m in moments if m["duration_s"] >= 15]


def test_moments_are_paged(index_copy: Path, moments: list[dict[str, Any]]) -> None:
    with client_for(index_copy, settings=Settings(web=WebParams(page_size=2))) as client:
        seen: list[int] = []
        url: str | None = "/moments?kind=lingered"
        pages = []
        while url is not None:
            listed = json_of(client, api(url))
            assert listed["total"] == 6 and len(listed["moments"]) == 2 and listed["kind"] == "lingered"
            assert listed["offset"] == len(seen)
            assert (listed["previous_url"] is None) == (not seen)
            seen += [m["id"] for m in listed["moments"]]
            pages.append(listed)
            url = listed["next_url"]
        assert seen == [m["id"] for m in moments]
        assert len(pages) == 3
        assert "kind=lingered" in pages[1]["next_url"] and "offset=4" in pages[1]["next_url"]
        back = json_of(client, api(pages[1]["previous_url"]))
        assert [m["id"] for m in back["moments"]] == seen[:2]
        text = page(client, pages[0]["next_url"])  # the page's own link
        assert card_ids(text) == seen[2:4]
        assert 'rel="prev"' in text and 'rel="next"' in text


def test_moment_list_refusals(client: TestClient) -> None:
    assert "lingered" in one_line_detail(client.get("/api/moments?kind=dancing"), 400)
    assert client.get("/moments?kind=dancing").status_code == 400
    assert client.get("/api/moments?min_duration=-1").status_code == 422
    assert client.get("/api/moments?day=yesterday").status_code == 422
    one_line_detail(client.get("/api/moments?day=0001-01-01"), 400)


def test_an_unknown_moment_is_404(client: TestClient) -> None:
    assert "999999" in one_line_detail(client.get("/api/moments/999999"), 404)
    answer = client.get("/moments/999999")
    assert answer.status_code == 404 and "no moment 999999" in answer.text


def test_search_page_and_json(client: TestClient, moments: list[dict[str, Any]]) -> None:
    found = json_of(client, "/api/search?q=someone+standing")
    assert found["query"] == "someone standing"
    assert "lingered" in found["understood"]
    ranked = [r["moment"]["id"] for r in found["results"]]
    assert sorted(ranked) == sorted(m["id"] for m in moments)
    scores = [r["score"] for r in found["results"]]
    assert scores == sorted(scores, reverse=True) and all(0 <= s <= 1 for s in scores)
    text = page(client, "/search?q=someone+standing")
    assert card_ids(text) == ranked
    assert f"{len(ranked)} results" in text and html.escape(found["understood"]) in text


def test_search_page_without_a_query_shows_examples(client: TestClient) -> None:
    text = page(client, "/search")
    assert "<h1>Search</h1>" in text and card_ids(text) == []
    assert 'href="/search?q=two%20people%20together' in text


def test_search_refusals_and_nothing_found(client: TestClient) -> None:
    one_line_detail(client.get("/api/search?q="), 400)
    found = json_of(client, "/api/search?q=xyzzy")
    assert found["results"] == [] and found["notes"]
    assert any("xyzzy" in note for note in found["notes"])
    text = page(client, "/search?q=xyzzy")
    assert "0 results" in text and card_ids(text) == []


def test_jobs_page_and_json_without_jobs(client: TestClient) -> None:
    assert json_of(client, "/api/jobs") == []
    assert "No indexing jobs since the server started" in page(client, "/jobs")


# ---- media ----------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def video_url(moments: list[dict[str, Any]], client: TestClient) -> str:
    return str(json_of(client, f"/api/moments/{moments[0]['id']}")["playback"]["video_url"])


def test_the_video_is_served_whole_with_ranges_offered(client: TestClient, video_url: str, sample_clip: Path) -> None:
    answer = client.get(video_url)
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "video/mp4"
    assert answer.headers["accept-ranges"] == "bytes"
    assert answer.content == sample_clip.read_bytes()


def test_video_byte_ranges(client: TestClient, video_url: str, sample_clip: Path) -> None:
    data = sample_clip.read_bytes()
    first = client.get(video_url, headers={"Range": "bytes=0-99"})
    assert first.status_code == 206
    assert first.content == data[:100]
    assert first.headers["content-range"] == f"bytes 0-99/{len(data)}"

    middle = client.get(video_url, headers={"Range": "bytes=1000-1499"})
    assert middle.status_code == 206 and middle.content == data[1000:1500]

    last = client.get(video_url, headers={"Range": "bytes=-10"})
    assert last.status_code == 206
    assert last.content == data[-10:]
    assert last.headers["content-range"] == f"bytes {len(data) - 10}-{len(data) - 1}/{len(data)}"

    past = client.get(video_url, headers={"Range": f"bytes={len(data) + 10}-"})
    assert past.status_code == 416
    assert past.headers["content-range"] == f"bytes */{len(data)}"


def test_key_frames_and_thumbnails_are_jpeg(client: TestClient, moments: list[dict[str, Any]]) -> None:
    for card in moments:
        detail = json_of(client, api(card["url"]))
        for url in [card["keyframe_url"], *(t["thumbnail_url"] for t in detail["tracks"])]:
            answer = client.get(url)
            assert answer.status_code == 200, url
            assert answer.headers["content-type"] == "image/jpeg"
            assert answer.content[:3] == b"\xff\xd8\xff"


# ---- recordings as found on disk: gone, or in a codec browsers cannot play ------------------------

@dataclass(frozen=True)
class CliIndex:
    db: Path
    gone: Path  # the first 25 s of the sample clip: indexed, then deleted
    avi: Path  # 2 s of MS-MPEG4 in AVI


@pytest.fixture(scope="module")
def cli_index(tmp_path_factory: pytest.TempPathFactory, sample_clip: Path, ffmpeg: str) -> CliIndex:
    """A fresh index made by ``footage index`` of two files, one of which is then deleted."""
    folder = tmp_path_factory.mktemp("cli-index")
    gone, avi, db = folder / "gone.mp4", folder / "old-camera.avi", folder / "index.sqlite"
    subprocess.run([ffmpeg, "-v", "error", "-i", str(sample_clip), "-t", "25", "-c", "copy", str(gone)], check=True)
    subprocess.run([ffmpeg, "-v", "error", *TESTSRC, "-t", "2", "-c:v", "msmpeg4", str(avi)], check=True)
    out = footage("index", gone, avi, "--db", db, "--camera", "x", "--no-progress")
    assert out.returncode == 0, out.stderr
    gone.unlink()
    return CliIndex(db, gone, avi)


def recording_id(db: Path, path: Path) -> int:
    with closing(connect(db, create=False)) as conn:
        for candidate in range(1, 10):
            recording = review.get_recording(conn, candidate)
            if recording is not None and Path(recording.path) == path:
                return candidate
    raise AssertionError(f"{path} is not in {db}")


def test_a_recording_deleted_after_indexing(cli_index: CliIndex) -> None:
    with client_for(cli_index.db) as client:
        listed = json_of(client, "/api/moments")
        assert listed["total"] >= 1  # the first people of the sample clip
        moment = listed["moments"][0]
        detail = json_of(client, f"/api/moments/{moment['id']}")
        assert detail["playback"]["recording_id"] == recording_id(cli_index.db, cli_index.gone)
        detail_text = one_line_detail(client.get(detail["playback"]["video_url"]), 404)
        assert "gone" in detail_text
        text = page(client, moment["url"])
        assert html.escape(moment["description"]) in text
        assert client.get(moment["keyframe_url"]).status_code == 200  # the index's own pictures remain


def test_a_codec_browsers_cannot_play_is_served_as_h264(cli_index: CliIndex, tmp_path: Path) -> None:
    with av.open(str(cli_index.avi)) as source:
        assert source.streams.video[0].codec_context.name.startswith("msmpeg4")
    with client_for(cli_index.db) as client:
        url = f"/media/recordings/{recording_id(cli_index.db, cli_index.avi)}/video"
        answer = client.get(url)
        assert answer.status_code == 200
        assert answer.headers["content-type"] == "video/mp4"
        served = tmp_path / "served.mp4"
        served.write_bytes(answer.content)
        with av.open(str(served)) as container:
            stream = container.streams.video[0]
            assert stream.codec_context.name == "h264"
            assert (stream.codec_context.width, stream.codec_context.height) == (320, 240)
            frames = list(container.decode(stream))
        assert 15 <= len(frames) <= 25  # 2 s at 10 frames/s
        again = client.get(url, headers={"Range": "bytes=0-15"})  # the converted copy is seekable too
        assert again.status_code == 206 and again.content == answer.content[:16]


# ---- indexing jobs --------------------------------------------------------------------------------

def wait_for_job(client: TestClient, job_id: int, timeout_s: float = 120.0) -> dict[str, Any]:
    deadline = time.monotonic() + timeout_s
    while True:
        job: dict[str, Any] = json_of(client, f"/api/jobs/{job_id}")
        if job["state"] in ("done", "failed") or time.monotonic() > deadline:
            return job
        time.sleep(0.2)


@pytest.fixture
def yard(tmp_path: Path, make_clip: MakeClip) -> Path:
    """``tmp_path/allowed/yard/clip.mp4``: 2 s of a test card, inside the folder the server may index."""
    (tmp_path / "allowed" / "yard").mkdir(parents=True)
    made = make_clip("clip.mp4", *TESTSRC, *h264(2))
    return made.rename(tmp_path / "allowed" / "yard" / "clip.mp4").parent


def test_index_a_folder_through_the_api_and_the_form(front_door_index: Path, tmp_path: Path, yard: Path) -> None:
    db = copy_index(front_door_index, tmp_path / "index")
    with client_for(db, index_roots=(tmp_path / "allowed",)) as client:
        answer = client.post("/api/jobs", json={"path": str(yard)})
        assert answer.status_code == 202, answer.text
        queued = answer.json()
        assert queued["state"] in ("queued", "running") and queued["paths"] == [str(yard.resolve())]
        job = wait_for_job(client, queued["id"])
        assert job["state"] == "done", job
        assert (job["files"], job["indexed"], job["problems"], job["error"]) == (1, 1, 0, None)
        assert job["media_done_s"] == pytest.approx(job["media_s"]) and job["media_s"] == pytest.approx(2.0, abs=0.2)
        assert {c["name"]: c["recordings"] for c in json_of(client, "/api/cameras")} == {"front door": 1, "yard": 1}

        refused = client.post("/api/jobs", json={"path": str(tmp_path / "index")})
        assert "outside" in one_line_detail(refused, 403)
        assert one_line_detail(client.post("/api/jobs", json={"path": "../index"}), 403)

        sent = client.post("/jobs", data={"path": "yard", "camera": "garden"}, follow_redirects=False)
        assert sent.status_code == 303 and sent.headers["location"] == "/jobs"
        jobs = json_of(client, "/api/jobs")
        assert [j["id"] for j in jobs] == [queued["id"] + 1, queued["id"]]
        again = wait_for_job(client, jobs[0]["id"])
        assert again["state"] == "done" and again["camera"] == "garden"
        text = page(client, "/jobs")
        assert f'data-job="{jobs[0]["id"]}"' in text and f'data-job="{queued["id"]}"' in text
        assert str(tmp_path / "allowed") in text  # the form says which folders are allowed


def test_without_index_roots_the_jobs_page_says_how_to_enable_it(index_copy: Path, yard: Path) -> None:
    with client_for(index_copy) as client:
        text = page(client, "/jobs")
        assert "Indexing from this page is off" in text and "--index-root" in text
        assert '<form class="index-form"' not in text
        assert "--index-root" in one_line_detail(client.post("/api/jobs", json={"path": str(yard)}), 403)
        refused = client.post("/jobs", data={"path": str(yard)}, follow_redirects=False)
        assert refused.status_code == 403 and refused.headers["content-type"].startswith("text/html")
        assert json_of(client, "/api/jobs") == []
