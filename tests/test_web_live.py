"""Live cameras in the review app (issue 7), over a copy of the front door index with the rows
``footage run`` writes (:mod:`footage.store.live`):

- each live camera's state on the cameras page and at ``/api/live``: the recorder's last report,
  or "no word since" when that report is over two minutes old (the recorder is not running);
- gaps in recording as hatched bands on the timeline (the placement is pure: tested without a
  server), an open gap reaching to now;
- stars: ``POST /api/moments/{id}/star`` (404, 422, the cross-site and log-in rules of every
  POST), the flag in the moment JSON and in SQLite, the form for browsers without JavaScript;
- and all of it in headless Chromium against a real ``footage serve``.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import sqlite3
import urllib.request
from collections.abc import Iterator
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from footage.store.database import connect
from footage.store.live import LiveStatus, close_gap, open_gap, set_state
from footage.web.app import create_app
from footage.web.context import ServeOptions
from footage.web.live import STALE_AFTER, is_stale, live_camera
from footage.web.templating import clock
from footage.web.timeline import Window, gap_bands
from support.web import copy_index, json_of, serving

BASE = "http://127.0.0.1"
CAMERA = "front door"
T0 = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def starred_in_sqlite(db: Path, moment_id: int) -> bool:
    with closing(sqlite3.connect(db)) as conn:
        return bool(conn.execute("SELECT starred FROM moments WHERE id = ?", (moment_id,)).fetchone()[0])


# ---- pure: gaps on the strip, stale reports --------------------------------------------------------

def test_a_gap_is_placed_as_fractions_of_the_window() -> None:
    (band,) = gap_bands(Window(T0, at(1000)), [(at(100), at(350), "Connection refused")], now=at(5000))
    assert (band.left, band.width) == pytest.approx((0.1, 0.25))
    assert (band.start_utc, band.end_utc, band.open, band.reason) == (at(100), at(350), False, "Connection refused")


def test_gaps_are_clipped_to_the_window_and_those_outside_it_left_out() -> None:
    window = Window(T0, at(1000))
    gaps = [(at(-500), at(-10), "before"), (at(-100), at(200), "across the start"), (at(900), at(1500), "across the end"),
            (at(1000), at(1200), "after"), (at(-50), at(0), "ends as the window starts")]
    bands = gap_bands(window, gaps, now=at(5000))
    assert [b.reason for b in bands] == ["across the start", "across the end"]
    assert [(b.left, b.width) for b in bands] == [pytest.approx((0.0, 0.2)), pytest.approx((0.9, 0.1))]
    assert bands[0].start_utc == at(-100), "the band is clipped, the gap's own times are not"


def test_an_open_gap_reaches_to_now() -> None:
    window = Window(T0, at(1000))
    (band,) = gap_bands(window, [(at(600), None, "Connection refused")], now=at(700))
    assert band.open and band.end_utc == at(700)
    assert (band.left, band.width) == pytest.approx((0.6, 0.1))
    (later,) = gap_bands(window, [(at(600), None, "Connection refused")], now=at(9000))
    assert later.left + later.width == pytest.approx(1.0), "past the window's end, it fills the rest of the window"
    assert gap_bands(window, [(at(600), None, "clock ahead")], now=at(500)) == ()
    assert gap_bands(Window(at(2000), at(3000)), [(at(600), None, "still open")], now=at(1500)) == (), "not into the future"


def test_a_short_gap_still_shows() -> None:
    (band,) = gap_bands(Window(T0, at(86400)), [(at(999.5), at(1000), "blip")], now=at(90000), min_width=0.002)
    assert band.width == pytest.approx(0.002)


def status(state: str, updated: datetime, **fields: Any) -> LiveStatus:
    defaults: dict[str, Any] = dict(camera="gate", state=state, detail="", since_utc=updated - timedelta(hours=1),
                                    updated_utc=updated, last_segment_utc=None, last_moment_id=None, last_moment_utc=None,
                                    last_moment_title=None)
    return LiveStatus(**{**defaults, **fields})


@pytest.mark.parametrize(("state", "silent", "stale"), [
    ("recording", timedelta(seconds=30), False),
    ("recording", STALE_AFTER, False),
    ("recording", STALE_AFTER + timedelta(seconds=1), True),
    ("reconnecting", timedelta(minutes=10), True),
    ("failed", timedelta(minutes=10), True),
    ("stopped", timedelta(days=3), False),  # a camera reported stopped expects no further word
])
def test_a_report_older_than_two_minutes_is_stale(state: str, silent: timedelta, stale: bool) -> None:
    assert timedelta(minutes=2) == STALE_AFTER
    assert is_stale(status(state, T0 - silent), T0) is stale


def test_a_stale_badge_says_since_when_there_was_no_word() -> None:
    fresh = live_camera(status("recording", T0 - timedelta(seconds=20)), UTC, T0)
    assert (fresh.label, fresh.stale) == ("recording", False)
    stale = live_camera(status("recording", at(-600), last_moment_id=7, last_moment_utc=at(-900), last_moment_title="A person"),
                        UTC, T0)
    assert (stale.label, stale.stale, stale.state) == ("no word since 09:50:00", True, "recording")
    assert stale.last_moment is not None and stale.last_moment.url == "/moments/7"
    days_ago = live_camera(status("recording", at(-3 * 86400)), UTC, T0)
    assert days_ago.label == "no word since Fri 01 May 10:00:00"


# ---- over HTTP -------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def live_index(front_door_index: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_index(front_door_index, tmp_path_factory.mktemp("web-live"))


@pytest.fixture(scope="module")
def client(live_index: Path) -> Iterator[TestClient]:
    with TestClient(create_app(ServeOptions(live_index)), base_url=BASE) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def newest(client: TestClient) -> dict[str, Any]:
    """The camera's newest moment card, as /api/moments lists it."""
    return dict(json_of(client, "/api/moments")["moments"][0])


@pytest.fixture(scope="module")
def live_rows(live_index: Path, client: TestClient) -> datetime:
    """The front door reconnecting after "Connection refused", reported just now; a back yard whose
    recorder last said "recording" ten minutes ago. Returns when the back yard last reported."""
    now = datetime.now(UTC)
    with closing(connect(live_index)) as conn:
        set_state(conn, CAMERA, "recording", "", now - timedelta(minutes=5), last_segment_utc=now - timedelta(minutes=1))
        set_state(conn, CAMERA, "reconnecting", "Connection refused", now)
        set_state(conn, "back yard", "recording", "", now - timedelta(minutes=10))
    return now - timedelta(minutes=10)


def test_api_live_reports_each_camera(client: TestClient, live_rows: datetime, newest: dict[str, Any]) -> None:
    back, front = json_of(client, "/api/live")
    assert front["camera"] == CAMERA and front["url"] == "/cameras/front%20door"
    assert (front["state"], front["label"], front["stale"], front["detail"]) == (
        "reconnecting", "reconnecting", False, "Connection refused")
    since, updated = datetime.fromisoformat(front["since"]), datetime.fromisoformat(front["updated"])
    assert since == updated and datetime.now(UTC) - updated < timedelta(minutes=1), "since: when it began reconnecting"
    assert datetime.fromisoformat(front["last_segment"]) < updated
    assert front["last_moment"] == {"id": newest["id"], "title": newest["description"], "start": newest["start"],
                                    "url": newest["url"]}
    assert (back["camera"], back["state"], back["stale"]) == ("back yard", "recording", True)
    assert back["label"] == f"no word since {clock(live_rows)}"
    assert back["last_segment"] is None and back["last_moment"] is None


def test_the_cameras_page_shows_the_badges(client: TestClient, live_rows: datetime, newest: dict[str, Any]) -> None:
    text = client.get("/").text
    front = re.search(r'<div class="live state-reconnecting" data-live-camera="front door">(.*?)</div>', text, re.S)
    assert front is not None, text
    assert '<span class="badge"' in front[1] and ">reconnecting</span>" in front[1]
    assert "Connection refused" in front[1]
    assert f'<a href="{newest["url"]}">{html.escape(newest["description"])}</a>' in front[1]
    back = re.search(r'<div class="live state-recording stale" data-live-camera="back yard">(.*?)</div>', text, re.S)
    assert back is not None and f"no word since {clock(live_rows)}" in back[1]
    assert 'data-live="/api/live"' in text, "the page keeps its badges fresh"


def test_api_live_is_documented_and_needs_the_token(live_index: Path, client: TestClient) -> None:
    spec = json_of(client, "/openapi.json")
    assert "/api/live" in spec["paths"] and "/api/moments/{moment_id}/star" in spec["paths"]
    assert "requestBody" in spec["paths"]["/api/moments/{moment_id}/star"]["post"]
    token = "a-long-enough-secret"
    with TestClient(create_app(ServeOptions(live_index, host="0.0.0.0", token=token)), base_url=BASE) as guarded:
        assert guarded.get("/api/live").status_code == 401
        assert guarded.get("/api/live", headers={"Authorization": f"Bearer {token}"}).status_code == 200


def test_without_live_rows_the_page_has_no_badges(front_door_index: Path, tmp_path: Path) -> None:
    with TestClient(create_app(ServeOptions(copy_index(front_door_index, tmp_path))), base_url=BASE) as plain:
        assert json_of(plain, "/api/live") == []
        text = plain.get("/").text
        assert "data-live-camera" not in text and "data-live=" not in text


def test_star_a_moment_and_take_it_back(client: TestClient, live_index: Path, newest: dict[str, Any]) -> None:
    moment_id = newest["id"]
    assert newest["starred"] is False and newest["star_url"] == f"/api/moments/{moment_id}/star"
    answer = client.post(newest["star_url"], json={"starred": True})
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"id": moment_id, "starred": True, "url": f"/moments/{moment_id}"}
    assert starred_in_sqlite(live_index, moment_id)
    assert json_of(client, f"/api/moments/{moment_id}")["moment"]["starred"] is True
    listed = {m["id"]: m["starred"] for m in json_of(client, "/api/moments")["moments"]}
    assert listed[moment_id] is True and sum(listed.values()) == 1
    page = client.get(f"/moments/{moment_id}").text
    assert 'aria-pressed="true"' in page and "Starred moments are never deleted by retention" in page

    assert client.post(newest["star_url"], json={"starred": False}).json()["starred"] is False
    assert not starred_in_sqlite(live_index, moment_id)
    assert json_of(client, f"/api/moments/{moment_id}")["moment"]["starred"] is False


def test_star_refusals(client: TestClient, newest: dict[str, Any]) -> None:
    missing = client.post("/api/moments/999999/star", json={"starred": True})
    assert missing.status_code == 404 and "999999" in missing.json()["detail"]
    for body in ({}, {"starred": "yes"}, {"starred": None}, {"starred": 1}, [True]):
        assert client.post(newest["star_url"], json=body).status_code == 422, body
    assert client.post(newest["star_url"], content=b"{not json", headers={"Content-Type": "application/json"}).status_code == 422
    assert client.post(newest["star_url"]).status_code == 422
    assert client.post("/api/moments/0/star", json={"starred": True}).status_code == 422
    refused = client.post(newest["star_url"], json={"starred": True}, headers={"Origin": "http://elsewhere.example"})
    assert refused.status_code == 403
    assert json_of(client, f"/api/moments/{newest['id']}")["moment"]["starred"] is False


def test_star_needs_the_token_like_every_post(live_index: Path, newest: dict[str, Any]) -> None:
    token = "a-long-enough-secret"
    with TestClient(create_app(ServeOptions(live_index, host="0.0.0.0", token=token)), base_url=BASE) as guarded:
        assert guarded.post(newest["star_url"], json={"starred": True}).status_code == 401
        allowed = guarded.post(newest["star_url"], json={"starred": True}, headers={"Authorization": f"Bearer {token}"})
        assert allowed.status_code == 200
        guarded.post(newest["star_url"], json={"starred": False}, headers={"Authorization": f"Bearer {token}"})


def test_the_star_form_works_without_javascript(client: TestClient, live_index: Path, newest: dict[str, Any]) -> None:
    moment_id = newest["id"]
    cards = client.get("/moments").text
    assert f'action="/moments/{moment_id}/star"' in cards and 'name="starred" value="true"' in cards
    answer = client.post(f"/moments/{moment_id}/star", data={"starred": "true"}, headers={"Referer": f"{BASE}/moments?offset=0"},
                         follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/moments?offset=0"
    assert starred_in_sqlite(live_index, moment_id)
    answer = client.post(f"/moments/{moment_id}/star", data={"starred": "false"}, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == f"/moments/{moment_id}"
    assert not starred_in_sqlite(live_index, moment_id)
    assert client.post("/moments/999999/star", data={"starred": "true"}).status_code == 404


def test_gaps_on_the_timeline(client: TestClient, live_index: Path) -> None:
    day = json_of(client, "/api/cameras/front%20door/timeline")
    start, end = datetime.fromisoformat(day["start"]), datetime.fromisoformat(day["end"])
    closed_from, closed_to = start + timedelta(hours=2), start + timedelta(hours=3)
    with closing(connect(live_index)) as conn:
        close_gap(conn, CAMERA, closed_from, closed_to, "Connection refused")
        open_gap(conn, CAMERA, end - timedelta(hours=1), "No route to host")
        close_gap(conn, "back yard", start, end, "another camera's gap")
    try:
        view = json_of(client, "/api/cameras/front%20door/timeline")
        closed, still = view["gaps"]
        assert (closed["reason"], still["reason"]) == ("Connection refused", "No route to host")
        assert datetime.fromisoformat(closed["start"]) == closed_from and datetime.fromisoformat(closed["end"]) == closed_to
        span = (end - start).total_seconds()
        assert closed["left"] == pytest.approx((closed_from - start).total_seconds() / span, abs=1e-6)
        assert closed["width"] == pytest.approx(3600 / span, abs=1e-6)
        assert still["end"] is None
        reaches = min(1.0, (datetime.now(UTC) - start).total_seconds() / span)
        assert still["left"] + still["width"] == pytest.approx(reaches, abs=1e-3)

        text = client.get("/cameras/front%20door").text
        assert f'title="not recording: Connection refused, {clock(closed_from)}–{clock(closed_to)}"' in text
        assert re.search(r'class="gap open"[^>]*title="not recording: No route to host, [\d:]+–now"', text)
        assert "not recording</span>" in text, "the legend names the bands"

        query = f"day={day['day']}&span=120&at="
        assert json_of(client, f"/api/cameras/front%20door/timeline?{query}00:30:00")["gaps"] == []
        (inside,) = json_of(client, f"/api/cameras/front%20door/timeline?{query}02:30:00")["gaps"]
        assert (inside["left"], inside["width"]) == (0.0, 1.0), "a zoomed view inside a gap is all gap"
    finally:
        with closing(connect(live_index)) as conn:
            conn.execute("DELETE FROM gaps")


# ---- in a real browser -----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def served(front_door_index: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """``footage serve`` in its own process over a copy of the front door index: (url, index)."""
    db = copy_index(front_door_index, tmp_path_factory.mktemp("web-live-served"))
    with serving(db, ready="/api/live") as url:
        yield url, db


@pytest.mark.slow
def test_live_badges_stars_and_gaps_in_chromium(served: tuple[str, Path], browser: object, tmp_path: Path) -> None:
    url, db = served
    now = datetime.now(UTC)
    with closing(connect(db)) as conn:
        set_state(conn, CAMERA, "reconnecting", "Connection refused", now, last_segment_utc=now - timedelta(seconds=70))
        (moment_id,) = conn.execute("SELECT id FROM moments ORDER BY start_utc_us DESC LIMIT 1").fetchone()
    with urllib.request.urlopen(url + "/api/cameras/front%20door/timeline", timeout=10) as answer:
        day_start = datetime.fromisoformat(json.load(answer)["start"])
    with closing(connect(db)) as conn:
        close_gap(conn, CAMERA, day_start + timedelta(hours=2), day_start + timedelta(hours=3), "Connection refused")
    page = browser.new_page(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)

    # the cameras page: the front door is reconnecting, and says why
    page.goto(url + "/")
    badge = page.locator('[data-live-camera="front door"]')
    assert badge.locator(".badge").inner_text() == "reconnecting"
    assert badge.locator(".detail").inner_text() == "Connection refused"
    assert "last moment" in badge.inner_text()
    shot = tmp_path / "live.png"
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000
    if wanted := os.environ.get("FOOTAGE_SCREENSHOTS"):
        Path(wanted).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(wanted) / "live.png")
    # the recorder gets the stream back: the badge follows without reloading the page
    with closing(connect(db)) as conn:
        set_state(conn, CAMERA, "recording", "", datetime.now(UTC))
    page.wait_for_function("""() => document.querySelector('[data-live-camera="front door"] .badge').textContent
                              === 'recording'""", timeout=15_000)
    assert badge.locator(".detail").count() == 0

    # star the moment on its page: the button turns, the index keeps it
    page.goto(f"{url}/moments/{moment_id}")
    star = page.locator(".moment-head form.star button")
    assert star.get_attribute("aria-pressed") == "false"
    assert "never deleted by retention" in (star.get_attribute("title") or "")
    star.click()
    page.wait_for_selector('.moment-head form.star button[aria-pressed="true"]')
    assert star.inner_text() == "\u2605"
    assert page.url.endswith(f"/moments/{moment_id}"), "starred in place, not by the form's round trip"
    assert starred_in_sqlite(db, moment_id)

    # the gap on the camera's timeline
    page.goto(f"{url}/cameras/front%20door")
    gap = page.locator("#strip .gap")
    assert gap.count() == 1
    assert (gap.get_attribute("title") or "").startswith("not recording: Connection refused, ")
    box = gap.bounding_box()
    assert box is not None and box["width"] >= 2 and box["height"] > 100
    page.close()
    assert not problems, problems
