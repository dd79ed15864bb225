"""Share links and clip downloads of the review app, through FastAPI's TestClient over a copy of
the indexed sample clip, served as ``footage serve --host 0.0.0.0 --token ...`` serves it:

- a share link's page, clip and poster are served to a stranger without the token: the page with
  a CSP that allows its inline style and no script, the clip with byte ranges, as H.264 that
  decodes, the poster as a JPEG;
- the link opens those three files and nothing else: not the API, not the index's media, not
  other names in its folder, not ``..`` paths; a wrong, expired or revoked link is the same 404;
- a malformed token is refused before the index is opened;
- revoking deletes the link's folder; a track to keep that is not in the clip is a 400 that
  leaves nothing behind; the download is an MP4 attachment whose temporary file is removed.
"""

from __future__ import annotations

import io
import re
import secrets
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import av
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from PIL import Image

from footage.errors import RequestError, StoreError
from footage.store.database import connect, shares_dir
from footage.store.shares import get_share, list_shares
from footage.web import shares as links
from footage.web.app import create_app
from footage.web.context import ServeOptions
from footage.web.keyframe import key_box, people_at_key
from support.web import copy_index, raw_get

BASE = "http://testserver.example"
TOKEN = "correct horse battery"
NOT_FOUND = links.NOT_FOUND


@pytest.fixture(scope="module")
def index_copy(front_door_index: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_index(front_door_index, tmp_path_factory.mktemp("web-shares"))


@pytest.fixture(scope="module")
def app(index_copy: Path) -> FastAPI:
    return create_app(ServeOptions(index_copy, host="0.0.0.0", token=TOKEN))


@pytest.fixture(scope="module")
def owner(app: FastAPI) -> Iterator[TestClient]:
    """The app's user: sends the token."""
    with TestClient(app, base_url=BASE, headers={"Authorization": f"Bearer {TOKEN}"}) as client:
        yield client


@pytest.fixture(scope="module")
def stranger(app: FastAPI) -> Iterator[TestClient]:
    """Someone who was sent a share link: no token, no cookie."""
    with TestClient(app, base_url=BASE) as client:
        yield client


@pytest.fixture(scope="module")
def moment(owner: TestClient) -> dict[str, Any]:
    detail: dict[str, Any] = owner.get("/api/moments/2").json()
    assert [p["label"] for p in detail["key_people"]] == ["person"]
    return detail


def make_share(owner: TestClient, moment_id: int, **body: Any) -> dict[str, Any]:
    answer = owner.post(f"/api/moments/{moment_id}/shares", json=body)
    assert answer.status_code == 201, answer.text
    share: dict[str, Any] = answer.json()
    assert share["url"] == f"/s/{share['token']}/" and share["state"] == "live"
    if set(share["redact"]) & {"faces", "people", "bodies"}:  # the clip's face check, in words
        assert re.fullmatch(r"checked \d+ frames at [\d, ]+ px: no face left( \(.*\))?", share["check"]), share["check"]
    return share


@pytest.fixture(scope="module")
def share(owner: TestClient, moment: dict[str, Any]) -> dict[str, Any]:
    """A share of the moment, everyone hidden (the default), for a week."""
    return make_share(owner, moment["moment"]["id"])


def csp_directives(value: str) -> dict[str, list[str]]:
    return {p.split()[0]: p.split()[1:] for p in value.split(";") if p.strip()}


# ---- what a stranger with the link sees -------------------------------------------------------------

def test_the_link_is_served_without_the_token(stranger: TestClient, share: dict[str, Any]) -> None:
    assert stranger.get("/api/moments").status_code == 401, "the app itself still needs the token"
    answer = stranger.get(f"/s/{share['token']}")  # the link as sent: on to its page, whose files are relative
    assert answer.status_code == 200 and answer.url.path == share["url"]
    assert answer.headers["content-type"].startswith("text/html")
    assert 'src="clip.mp4"' in answer.text and 'poster="poster.jpg"' in answer.text and "<style>" in answer.text
    csp = csp_directives(answer.headers["content-security-policy"])
    assert csp["default-src"] == ["'none'"] and "script-src" not in csp, "no script at all"
    assert csp["style-src"] == ["'unsafe-inline'"] and csp["media-src"] == ["'self'"] and csp["img-src"] == ["'self'"]
    assert answer.headers["referrer-policy"] == "no-referrer" and answer.headers["cache-control"] == "no-store"
    assert answer.headers["x-frame-options"] == "DENY"


def test_its_clip_plays_and_its_poster_is_a_jpeg(stranger: TestClient, share: dict[str, Any], tmp_path: Path) -> None:
    url = share["url"]
    part = stranger.get(url + "clip.mp4", headers={"Range": "bytes=0-1023"})
    assert part.status_code == 206 and len(part.content) == 1024
    assert part.headers["content-range"].startswith("bytes 0-1023/") and part.headers["content-type"] == "video/mp4"
    whole = stranger.get(url + "clip.mp4")
    assert whole.status_code == 200 and int(part.headers["content-range"].split("/")[1]) == len(whole.content)
    (tmp_path / "clip.mp4").write_bytes(whole.content)
    with av.open(str(tmp_path / "clip.mp4")) as clip:
        stream = clip.streams.video[0]
        assert stream.codec_context.name == "h264" and not clip.streams.audio
        frames = sum(1 for _ in clip.decode(stream))
    assert frames > 100, "the moment (about 21 s) and a few seconds either side"
    poster = stranger.get(url + "poster.jpg")
    assert poster.status_code == 200 and poster.headers["content-type"] == "image/jpeg"
    assert Image.open(io.BytesIO(poster.content)).format == "JPEG"


def test_the_folder_holds_only_the_three_files(index_copy: Path, share: dict[str, Any]) -> None:
    folder = shares_dir(index_copy) / share["token"]
    assert sorted(p.name for p in folder.iterdir()) == ["clip.mp4", "index.html", "poster.jpg"]


@pytest.mark.parametrize("suffix", [
    "index.html", "clip.json", "clip.mp4/", "clip.mp4.json", "poster.jpg/x", "x/clip.mp4", "./clip.mp4x", "..", "%2e%2e",
    "..%2F..%2Fapi%2Fmoments", "..%2Findex.sqlite", "%2Fetc%2Fpasswd",
])
def test_the_link_opens_nothing_else_in_its_folder(stranger: TestClient, share: dict[str, Any], suffix: str) -> None:
    answer = stranger.get(share["url"] + suffix, follow_redirects=False)
    if answer.status_code == 307:  # the router's own trailing-slash redirect, to the one file the link has
        assert answer.headers["location"].endswith(share["url"] + suffix.rstrip("/")), answer.headers["location"]
        return
    if answer.status_code == 303:  # a dot segment taken away by the client: out of /s/, so to the log-in page
        assert answer.headers["location"].startswith("/login?"), answer.headers["location"]
        return
    assert answer.status_code in (401, 404), (suffix, answer.status_code)
    assert b"ftyp" not in answer.content[:16] and b"<video" not in answer.content


@pytest.mark.parametrize("raw", [
    "/s/{token}/../../api/moments", "/s/{token}/../../media/moments/2/keyframe.jpg", "/s/{token}/../{token}/clip.mp4x",
    "/s/{token}/..%2F..%2Fapi%2Fcameras", "/s/{token}/../../index.sqlite", "/s/{token}/../../static/app.js",
    "/s/{token}%2F..%2F..%2Fapi%2Fmoments", "/s/../api/moments", "/s/{token}/../../../../etc/passwd",
])
def test_dot_dot_paths_after_a_link_reach_nothing(app: FastAPI, share: dict[str, Any], raw: str) -> None:
    status, body = raw_get(app, raw.format(token=share["token"]))
    assert status in (401, 404), (raw, status)
    assert b'"moments"' not in body and b"root:" not in body and b"SQLite" not in body and b"use strict" not in body


def test_the_share_token_is_no_key_to_the_app(stranger: TestClient, share: dict[str, Any], moment: dict[str, Any]) -> None:
    as_token = {"Authorization": f"Bearer {share['token']}"}
    keyframe = moment["moment"]["keyframe_url"]
    for url in ("/api/moments", "/api/shares", f"/api/moments/{moment['moment']['id']}", keyframe, "/media/recordings/1/video",
                f"/api/moments/{moment['moment']['id']}/export"):
        assert stranger.get(url, headers=as_token).status_code == 401, url
        assert stranger.get(url, headers={"Cookie": f"footage_session={share['token']}"}).status_code == 401, url
    assert stranger.get("/shares", headers=as_token, follow_redirects=False).status_code == 303  # to the log-in page
    assert stranger.delete(f"/api/shares/{share['token']}").status_code == 401
    assert stranger.post(f"/shares/{share['token']}/revoke", follow_redirects=False).status_code == 303
    assert stranger.get(share["url"]).status_code == 200, "still live: the stranger revoked nothing"


@pytest.mark.parametrize("token", [
    secrets.token_urlsafe(24),  # the right shape, but no such link
    "short", "x" * 31, "x" * 33, "+" * 32, "." * 32, "%00" * 32, "A" * 200,
])
def test_a_wrong_link_is_404_like_any_other(stranger: TestClient, token: str) -> None:
    for url in (f"/s/{token}", f"/s/{token}/", f"/s/{token}/clip.mp4", f"/s/{token}/poster.jpg"):
        answer = stranger.get(url)
        assert answer.status_code == 404, (url, answer.status_code)
        if answer.text != "Not Found":  # a path no route has (a token holding a slash) is the router's 404
            assert answer.text == NOT_FOUND and answer.headers["content-type"].startswith("text/plain")


def test_a_malformed_token_is_refused_before_the_index_is_opened(stranger: TestClient, share: dict[str, Any],
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    def no_index(*_args: Any, **_kwargs: Any) -> None:
        raise StoreError("the index was opened")

    monkeypatch.setattr(links, "connect", no_index)
    for token in ("short", share["token"][:-1] + "!", share["token"] + "x"):
        assert stranger.get(f"/s/{token}/clip.mp4").text == NOT_FOUND
    assert stranger.get(share["url"] + "clip.mp4").status_code == 503, "a well-formed token does look the link up"


# ---- expiry and revocation ----------------------------------------------------------------------------

def test_an_expired_link_is_404(owner: TestClient, stranger: TestClient, index_copy: Path, moment: dict[str, Any]) -> None:
    share = make_share(owner, moment["moment"]["id"], redact=[], days=1)  # no redaction: a quick stream copy
    assert stranger.get(share["url"] + "poster.jpg").status_code == 200
    with closing(connect(index_copy, create=False)) as conn:
        assert get_share(conn, share["token"], datetime.now(UTC) + timedelta(hours=23)) is not None
        assert get_share(conn, share["token"], datetime.now(UTC) + timedelta(days=1, minutes=1)) is None
    with closing(sqlite3.connect(index_copy)) as conn, conn:  # as if a day went by
        conn.execute("UPDATE shares SET expires_utc_us = expires_utc_us - 86400000001 WHERE token = ?", (share["token"],))
    for name in ("", "clip.mp4", "poster.jpg"):
        answer = stranger.get(share["url"] + name)
        assert (answer.status_code, answer.text) == (404, NOT_FOUND)
    listed = {s["token"]: s for s in owner.get("/api/shares").json()}
    assert listed[share["token"]]["state"] == "expired"
    assert not (shares_dir(index_copy) / share["token"]).exists(), "listing deletes the folders of dead links"


def test_revoking_a_link(owner: TestClient, stranger: TestClient, index_copy: Path, moment: dict[str, Any]) -> None:
    share = make_share(owner, moment["moment"]["id"], redact=[], days=30)
    folder = shares_dir(index_copy) / share["token"]
    assert stranger.get(share["url"]).status_code == 200 and folder.is_dir()
    assert owner.delete(f"/api/shares/{share['token']}").status_code == 204
    assert not folder.exists()
    for name in ("", "clip.mp4", "poster.jpg"):
        assert (stranger.get(share["url"] + name).status_code, stranger.get(share["url"] + name).text) == (404, NOT_FOUND)
    assert owner.delete(f"/api/shares/{share['token']}").status_code == 404, "already revoked"
    listed = {s["token"]: s for s in owner.get("/api/shares").json()}
    assert listed[share["token"]]["state"] == "revoked" and listed[share["token"]]["revoked"] is not None


def test_the_shares_page_lists_links_and_revokes_them(owner: TestClient, stranger: TestClient, index_copy: Path,
                                                       moment: dict[str, Any]) -> None:
    share = make_share(owner, moment["moment"]["id"], redact=[], keep=[moment["key_people"][0]["track_id"]])
    page = owner.get("/shares")
    assert page.status_code == 200 and f'href="{share["url"]}"' in page.text
    assert f'action="/shares/{share["token"]}/revoke"' in page.text and 'href="/shares"' in page.text  # and the nav link
    answer = owner.post(f"/shares/{share['token']}/revoke", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/shares"
    assert stranger.get(share["url"]).status_code == 404 and not (shares_dir(index_copy) / share["token"]).exists()
    assert f'action="/shares/{share["token"]}/revoke"' not in owner.get("/shares").text
    with closing(connect(index_copy, create=False)) as conn:
        newest = list_shares(conn)[0]
    assert newest.token == share["token"] and newest.keep == (moment["key_people"][0]["track_id"],) and newest.redact == ()


# ---- making links and downloads: refusals ----------------------------------------------------------------

def test_a_track_not_in_the_clip_is_a_400_that_leaves_nothing(owner: TestClient, index_copy: Path,
                                                              moment: dict[str, Any], share: dict[str, Any]) -> None:
    before = sorted(p.name for p in shares_dir(index_copy).iterdir())
    tokens = {s["token"] for s in owner.get("/api/shares").json()}
    moment_id = moment["moment"]["id"]
    answer = owner.post(f"/api/moments/{moment_id}/shares", json={"keep": [999999]})
    assert answer.status_code == 400 and "999999" in answer.json()["detail"]
    assert {s["token"] for s in owner.get("/api/shares").json()} == tokens
    assert sorted(p.name for p in shares_dir(index_copy).iterdir()) == before
    answer = owner.get(f"/api/moments/{moment_id}/export", params={"keep": 999999})
    assert answer.status_code == 400 and "999999" in answer.json()["detail"]
    assert not list(index_copy.parent.glob(".*export*"))


@pytest.mark.parametrize(("url", "body", "status"), [
    ("/api/moments/999999/shares", {}, 404),
    ("/api/moments/2/shares", {"days": 0}, 422),
    ("/api/moments/2/shares", {"days": 366}, 422),
    ("/api/moments/2/shares", {"redact": ["noses"]}, 422),
    ("/api/moments/2/shares", {"keep": [0]}, 422),
    ("/api/moments/2/shares", {"caption": "two\nlines"}, 422),
    ("/api/moments/2/shares", {"redact": [], "caption": "a caption needs a re-encode"}, 400),
])
def test_bad_share_requests_are_refused(owner: TestClient, url: str, body: dict[str, Any], status: int) -> None:
    assert owner.post(url, json=body).status_code == status


def test_bad_export_requests_are_refused(owner: TestClient) -> None:
    assert owner.get("/api/moments/2/export", params={"redact": "noses"}).status_code == 400
    assert owner.get("/api/moments/999999/export").status_code == 404
    assert owner.get("/api/moments/2/export", params={"keep": "x"}).status_code == 422


# ---- the download -------------------------------------------------------------------------------------------

def test_the_download_is_an_mp4_attachment_and_its_temporary_file_is_removed(
        owner: TestClient, index_copy: Path, moment: dict[str, Any], tmp_path: Path) -> None:
    moment_id = moment["moment"]["id"]
    answer = owner.get(f"/api/moments/{moment_id}/export", params={"redact": "faces,people", "keep": []})
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "video/mp4"
    assert answer.headers["content-disposition"] == f'attachment; filename="moment-{moment_id}.mp4"'
    assert answer.headers["x-footage-check"].startswith("checked ") and "no face left" in answer.headers["x-footage-check"]
    (tmp_path / "clip.mp4").write_bytes(answer.content)
    with av.open(str(tmp_path / "clip.mp4")) as clip:
        assert clip.streams.video[0].codec_context.name == "h264"
        assert sum(1 for _ in clip.decode(video=0)) > 100
    assert sorted(p.name for p in index_copy.parent.iterdir() if "export" in p.name) == [], "the temporary clip is gone"


# ---- the moment page ------------------------------------------------------------------------------------------

def test_the_moment_page_offers_a_choice_per_person_on_the_key_frame(owner: TestClient, moment: dict[str, Any]) -> None:
    text = owner.get(f"/moments/{moment['moment']['id']}").text
    assert 'name="redact" value="bodies"' in text, "whole bodies can be hidden"
    person = moment["key_people"][0]
    box = person["box"]
    assert box is not None and 0 <= box[0] < box[2] <= 1 and 0 <= box[1] < box[3] <= 1
    label = re.search(rf'<label class="keep-box" data-track="{person["track_id"]}"[^>]* style="([^"]+)"', text)
    assert label is not None and f"left: {box[0] * 100:.3f}%" in label.group(1)
    boxes = re.findall(r'<input type="checkbox" name="keep" value="(\d+)"( checked)?>', text)
    assert boxes == [(str(person["track_id"]), "")], "everyone is blurred unless ticked"
    assert 'name="redact" value="faces" checked' in text and 'name="redact" value="people" checked' in text
    assert f'action="{moment["export_url"]}"' in text and f'data-shares-url="{moment["shares_url"]}"' in text
    assert 'id="create-share"' in text and 'id="download"' in text


# ---- the pure parts ---------------------------------------------------------------------------------------------

def test_a_person_is_placed_on_the_key_frame_from_the_boxes_around_the_key_time() -> None:
    rows = [(10.0, 0.1, 0.2, 0.3, 0.6), (11.0, 0.3, 0.2, 0.5, 0.6), (20.0, 0.7, 0.1, 0.9, 0.5)]
    assert key_box(rows, 10.5) == pytest.approx((0.2, 0.2, 0.4, 0.6))  # between two close samples
    assert key_box(rows, 9.0) == (0.1, 0.2, 0.3, 0.6)  # held a little before the first
    assert key_box(rows, 12.5) == (0.3, 0.2, 0.5, 0.6)  # the samples either side are far apart: the nearest
    assert key_box(rows, 15.5) is None and key_box(rows, 7.9) is None and key_box([], 1.0) is None
    people = people_at_key([(1, "person"), (2, "car"), (3, "person")], {1: rows}, 10.0)
    assert [(p.track_id, p.box) for p in people] == [(1, (0.1, 0.2, 0.3, 0.6)), (3, None)]


def test_tokens_and_redactions_are_checked() -> None:
    assert links.is_token(secrets.token_urlsafe(24)) and not links.is_token(secrets.token_urlsafe(24) + "\n")
    assert not links.is_token("a" * 31 + "/") and not links.is_token("")
    assert links.redactions(None) == {"faces", "people"}
    assert links.redactions(["faces,people", "plates"]) == {"faces", "people", "plates"}
    assert links.redactions(["", "faces"]) == {"faces"} and links.redactions([""]) == set() == links.redactions(["none"])
    with pytest.raises(RequestError):
        links.redactions(["faces,eyes"])
