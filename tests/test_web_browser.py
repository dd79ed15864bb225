"""The review pages in a real browser: Debian's Chromium driven by Playwright, against a real
``footage serve`` process over an index of real footage (PETS 2009 and the Intel shop clip).

Screenshots go to the test's folder, and also to ``$FOOTAGE_SCREENSHOTS`` when set (the README's
pictures are made so: ``FOOTAGE_SCREENSHOTS=docs/screenshots pytest tests/test_web_browser.py``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from support.cli import Ran, footage
from support.clips import h264
from support.web import serving


def _footage(*args: str) -> Ran:
    out = footage(*args)
    assert out.returncode == 0, out.stderr
    return out


@pytest.fixture(scope="module")
def review_index(shared_footage: Path, sample_clip: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two cameras on one afternoon: the PETS campus path and the Intel shop counter."""
    db = tmp_path_factory.mktemp("review") / "index.sqlite"
    _footage("index", str(shared_footage / "pets09_s2l1" / "vtest.avi"), "--db", str(db), "--camera", "campus path",
             "--start", "2026-11-20T16:58:00", "--no-progress")
    _footage("index", str(sample_clip), "--db", str(db), "--camera", "shop counter", "--start", "2026-11-20T09:12:00",
             "--no-progress")
    return db


@pytest.fixture(scope="module")
def uploads(sample_clip: Path, ffmpeg: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder on the server that may be indexed from the page, holding one recording (a new
    encoding of the sample clip's first minute, so the index does not know it already)."""
    folder = tmp_path_factory.mktemp("uploads")
    (folder / "kitchen").mkdir()
    subprocess.run([ffmpeg, "-v", "error", "-i", str(sample_clip), *h264(60), "-an", str(folder / "kitchen" / "kitchen.mp4")],
                   check=True)
    return folder


@pytest.fixture(scope="module")
def server(review_index: Path, uploads: Path) -> Iterator[str]:
    """``footage serve`` in its own process, as a user starts it."""
    with serving(review_index, "--index-root", str(uploads)) as url:
        yield url


def watched_page(browser: object, width: int, height: int) -> tuple[object, list[str]]:
    """A new page and the list its script errors and console errors are added to."""
    page = browser.new_page(viewport={"width": width, "height": height})  # type: ignore[attr-defined]
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    return page, problems


def _save(page: object, name: str, folder: Path, *, readme: bool = False) -> Path:
    """A screenshot in the test's folder; the README's also into ``$FOOTAGE_SCREENSHOTS``."""
    path = folder / name
    page.screenshot(path=str(path))  # type: ignore[attr-defined]
    assert path.stat().st_size > 10_000
    wanted = os.environ.get("FOOTAGE_SCREENSHOTS")
    if wanted and readme:
        Path(wanted).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(wanted) / name)
    return path


@pytest.mark.slow
def test_timeline_search_and_moment_video(server: str, browser: object, tmp_path: Path) -> None:
    page, problems = watched_page(browser, 1280, 900)
    page.on("response", lambda answer: problems.append(f"{answer.status} {answer.url}") if answer.status >= 400 else None)

    # the cameras page lists both cameras; open the campus path's timeline
    page.goto(server + "/")
    assert page.locator("section.camera h2").all_inner_texts() == ["campus path", "shop counter"]
    page.click("text=campus path")
    page.wait_for_selector("#strip")
    assert "2026-11-20" in page.title()
    marks = page.locator("#strip a.mark").count()
    assert marks >= 5, "the PETS clip has moments: they are marked on the day's strip"
    assert page.locator("#strip .bin .people").count() > 0
    _save(page, "timeline.png", tmp_path)

    # zoom in twice with the link (to where the moments are), then click the strip at the first
    # mark: it zooms in around that time, and the moments are still all in view
    page.click("a.zoom-in")
    page.wait_for_url("**span=21600**")
    page.click("a.zoom-in")
    page.wait_for_url("**span=7200**")
    assert page.locator("#strip a.mark").count() == marks
    mark = page.locator("#strip a.mark").first.bounding_box()
    strip = page.locator("#strip").bounding_box()
    assert mark is not None and strip is not None
    page.mouse.click(mark["x"] + mark["width"] / 2, strip["y"] + strip["height"] - 5)
    page.wait_for_url("**span=1800**")
    assert parse_qs(urlsplit(page.url).query)["at"][0].startswith("16:58:"), page.url
    assert page.locator("#strip a.mark").count() == marks
    page.click("a.zoom-in")
    page.wait_for_url("**span=600**")
    page.click("a.zoom-in")
    page.wait_for_url("**span=120**")
    assert page.locator("#strip a.mark").count() == marks, "the clip's moments all lie within two minutes"
    _save(page, "timeline-zoomed.png", tmp_path, readme=True)

    # search from the box at the top, then open the best result
    page.fill("form.search input[name=q]", "a person walking up to another")
    page.press("form.search input[name=q]", "Enter")
    page.wait_for_selector(".results .card")
    assert "walked up to" in page.inner_text(".understood")
    first = page.locator(".results .card").first
    assert "approached" in first.inner_text().lower()
    moment_id = first.get_attribute("data-moment")
    first.click()
    page.wait_for_url(f"**/moments/{moment_id}")

    # the video plays from a few seconds before the moment, with the subjects' boxes drawn over it
    detail = page.request.get(f"{server}/api/moments/{moment_id}").json()
    start_s = detail["playback"]["start_s"]
    assert start_s == pytest.approx(detail["playback"]["moment_start_s"] - 3.0, abs=0.01)
    assert start_s > 10, "a moment well inside the clip, so that starting there is not the default"
    page.wait_for_function("() => { const v = document.getElementById('player'); return v.readyState >= 2 && !v.paused "
                           "&& v.currentTime > 0; }", timeout=30_000)
    first_time = page.evaluate("document.getElementById('player').currentTime")
    assert start_s - 0.5 <= first_time <= start_s + 5, (first_time, start_s)
    moment_start = detail["playback"]["moment_start_s"]
    page.wait_for_function(f"() => document.getElementById('player').currentTime > {moment_start + 1.0}", timeout=30_000)
    page.evaluate("document.getElementById('player').pause()")
    drawn = page.evaluate("""() => { const c = document.getElementById('overlay');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n; }""")
    assert drawn > 100, "the involved people's boxes are drawn over the video"
    assert page.locator("ul.tracks li img").count() >= 2
    _save(page, "moment.png", tmp_path, readme=True)

    # the skeletons of the people whose pose was looked at, drawn over the video on their own,
    # and what each person wore and the posture they were in longest, listed beside it
    posed = [o for o in detail["overlays"] if o["poses"]]
    assert posed, "the people of the moment had their pose looked at"
    at = posed[0]["poses"][len(posed[0]["poses"]) // 2][0]
    page.evaluate(f"() => {{ const v = document.getElementById('player'); v.currentTime = {at}; }}")
    page.wait_for_function(f"() => Math.abs(document.getElementById('player').currentTime - {at}) < 0.05")
    page.uncheck("#boxes")
    page.check("#skeletons")
    green = page.evaluate("""() => { const c = document.getElementById('overlay');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0; for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 0 && d[i + 1] > 200 && d[i] < 120) n++; return n; }""")
    assert green > 30, "the skeletons are drawn"
    attributes = page.locator("ul.tracks .attributes").all_inner_texts()
    assert any("wore a " in text for text in attributes) and any("mostly " in text for text in attributes), attributes
    _save(page, "moment-skeletons.png", tmp_path, readme=True)
    assert not problems, problems


@pytest.mark.slow
def test_index_a_folder_from_the_page_with_live_progress(server: str, browser: object, uploads: Path,
                                                          tmp_path: Path) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 700})  # type: ignore[attr-defined]
    page.goto(server + "/jobs")
    page.fill("input[name=path]", str(uploads / "kitchen"))
    page.click("form.index-form button")
    page.wait_for_url("**/jobs")
    job = page.locator("section.job").first
    seen: set[float] = set()
    deadline = time.monotonic() + 180
    while "done" not in job.locator(".state").inner_text():
        assert time.monotonic() < deadline, "the job did not finish"
        assert "failed" not in job.locator(".state").inner_text(), job.inner_text()
        seen.add(float(job.locator("progress").get_attribute("value") or 0))
        page.wait_for_timeout(250)
    page.wait_for_selector("section.job.state-done")
    assert any(0 < value < 100 for value in seen), f"progress was shown while it ran: {sorted(seen)}"
    assert float(page.locator("section.job progress").first.get_attribute("value") or 0) == 100
    assert "1 indexed" in page.locator("section.job").first.inner_text()
    _save(page, "jobs.png", tmp_path, readme=True)
    page.goto(server + "/")
    assert "kitchen" in page.locator("section.camera h2").all_inner_texts()


@pytest.mark.slow
def test_share_a_moment_and_watch_it_as_a_stranger(server: str, browser: object, tmp_path: Path) -> None:
    page, problems = watched_page(browser, 1280, 1000)

    # the campus moment with the most people on its key frame
    listed = page.request.get(f"{server}/api/moments?camera=campus%20path").json()["moments"]
    details = [page.request.get(f"{server}/api/moments/{m['id']}").json() for m in listed if m["keyframe_url"]]
    detail = max(details, key=lambda d: sum(1 for p in d["key_people"] if p["box"]))
    placed = [p for p in detail["key_people"] if p["box"]]
    assert placed, "someone stands on the key frame"
    page.goto(server + detail["moment"]["url"])
    page.locator("#share").scroll_into_view_if_needed()

    # a keep-or-blur choice over each person on the key frame, everyone blurred by default
    frame = page.locator(".keep-frame img").bounding_box()
    assert frame is not None
    for person in placed:
        box = page.locator(f'.keep-box[data-track="{person["track_id"]}"]').bounding_box()
        assert box is not None
        assert box["x"] == pytest.approx(frame["x"] + person["box"][0] * frame["width"], abs=3)
        assert box["y"] == pytest.approx(frame["y"] + person["box"][1] * frame["height"], abs=3)
    assert page.locator("#export-form input[name=keep]").count() >= len(placed)
    assert page.locator("#export-form input[name=keep]:checked").count() == 0
    assert "blur" in page.evaluate("getComputedStyle(document.querySelector('.keep-box .head')).backdropFilter")
    _save(page, "export.png", tmp_path)

    page.click("#create-share")
    page.wait_for_selector("#share-result:not([hidden])", timeout=300_000)
    link = page.input_value("#share-link")
    assert link.startswith(server + "/s/") and link.endswith("/"), link
    assert page.inner_text("#share-expires")[:4].isdigit()
    assert not problems, problems

    # a stranger: a new browser context, no cookies, nothing but the link
    stranger = browser.new_context(viewport={"width": 1000, "height": 760})  # type: ignore[attr-defined]
    view = stranger.new_page()
    seen: list[str] = []
    # failed loads are told by the response listener (the browser's own /favicon.ico guess is not the page's)
    view.on("console", lambda message: seen.append(message.text)
            if message.type == "error" and not message.text.startswith("Failed to load resource") else None)
    view.on("response", lambda answer: seen.append(f"{answer.status} {answer.url}")
            if answer.status >= 400 and not answer.url.endswith("/favicon.ico") else None)
    view.goto(link)
    assert view.title() == detail["moment"]["kind"].replace("_", " ").capitalize()
    view.evaluate("document.getElementById('clip').play()")
    view.wait_for_function("() => { const v = document.getElementById('clip'); return v.readyState >= 2 "
                           "&& v.currentTime > 0.3; }", timeout=30_000)
    first = view.evaluate("document.getElementById('clip').currentTime")
    view.wait_for_function(f"() => document.getElementById('clip').currentTime > {first + 0.5}", timeout=30_000)
    assert view.evaluate("document.getElementById('clip').videoWidth") == 768
    assert view.evaluate("getComputedStyle(document.querySelector('main')).maxWidth") == "960px", "its inline style applies"
    view.evaluate("document.getElementById('clip').pause()")
    _save(view, "share.png", tmp_path)
    assert not seen, seen
    stranger.close()
