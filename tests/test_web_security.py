"""What the review app refuses, over a real index:

- no URL reads a file the app does not mean to serve: path traversal through ``/static`` and
  ``/media`` (percent-encoded, and raw ``..`` as an HTTP server passes it on), and an index
  tampered with so that its pictures point outside the index's folder;
- with a token, nothing but the log-in page answers without it; the cookie is not the token; the
  log-in never redirects to another site;
- it will not listen beyond this computer without a token (app factory and ``footage serve``);
- without a token only loopback host names are answered (DNS rebinding), and POSTs from other
  sites are refused; every answer carries the security headers.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from starlette.types import Receive, Scope, Send

from footage.errors import FootageError
from footage.store.database import thumbnail_dir
from footage.web import security
from footage.web.app import create_app
from footage.web.context import ServeOptions
from support.cli import Ran, footage
from support.web import copy_index, raw_get

BASE = "http://127.0.0.1"
TOKEN = "correct horse battery"
PASSWD = Path("/etc/passwd")
WEB = Path(security.__file__).parent  # src/footage/web: its static/ folder is served


def expect_refused(answer: httpx.Response, secret: bytes = b"root:") -> None:
    assert 400 <= answer.status_code < 500, (answer.status_code, answer.text[:200])
    assert secret not in answer.content


@pytest.fixture(scope="module")
def index_copy(front_door_index: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_index(front_door_index, tmp_path_factory.mktemp("web-security"))


@pytest.fixture(scope="module")
def app(index_copy: Path) -> FastAPI:
    return create_app(ServeOptions(index_copy))


@pytest.fixture(scope="module")
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, base_url=BASE) as test_client:
        yield test_client


@pytest.fixture
def guarded(index_copy: Path) -> Iterator[TestClient]:
    """The app with a token, as ``footage serve --host 0.0.0.0 --token ...`` serves it (a new
    client for each test: logging in leaves a cookie)."""
    with TestClient(create_app(ServeOptions(index_copy, host="0.0.0.0", token=TOKEN)), base_url=BASE) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def first_moment(client: TestClient) -> dict[str, Any]:
    detail: dict[str, Any] = client.get("/api/moments/1").json()
    assert detail["tracks"] and detail["playback"]
    return detail


# ---- path traversal -------------------------------------------------------------------------------

@pytest.mark.parametrize("url", [
    "/static/..%2F..%2F..%2Fetc%2Fpasswd",
    "/static/%2e%2e/%2e%2e/etc/passwd",
    "/static/..%2F..%2F..%2F..%2F..%2F..%2F..%2F..%2Fetc%2Fpasswd",
    "/static/%252e%252e/%252e%252e/etc/passwd",  # encoded twice
    "/static//etc/passwd",
    "/media/recordings/..%2F..%2Fetc%2Fpasswd/video",
    "/media/moments/1%2F..%2F..%2Fetc%2Fpasswd/keyframe.jpg",
    "/media/tracks/..%2F..%2F..%2Fetc%2Fpasswd/thumbnail.jpg",
    "/media/tracks/-1/thumbnail.jpg",
    "/media/moments/0/keyframe.jpg",
    "/media/recordings/99999999999999999999999/video",
    "/media/recordings/1e3/video",
])
def test_traversal_urls_never_return_files(client: TestClient, url: str) -> None:
    expect_refused(client.get(url))


def test_percent_encoded_dots_reach_the_app_as_dots(app: FastAPI) -> None:
    """The refusals above are meaningful: the app really sees ``..`` in those paths."""
    seen: list[str] = []

    async def spy(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            seen.append(scope["path"])
        await app(scope, receive, send)

    with TestClient(spy, base_url=BASE) as spied:
        expect_refused(spied.get("/static/..%2F..%2F..%2Fetc%2Fpasswd"))
        expect_refused(spied.get("/static/%2e%2e/%2e%2e/etc/passwd"))
    assert "/static/../../../etc/passwd" in seen and "/static/../../etc/passwd" in seen


@pytest.mark.parametrize(("raw_path", "target", "secret"), [
    ("/static/../../../../../../../../etc/passwd", PASSWD, b"root:"),
    ("/static/../app.py", WEB / "app.py", b"def create_app"),  # beside static/
    ("/static/..%2fapp.py", WEB / "app.py", b"def create_app"),
    ("/static/../templates/base.html", WEB / "templates" / "base.html", b"{% block main %}"),
    ("/static/./../security.py", WEB / "security.py", b"def session_value"),
    ("/static/app.css/../../app.py", WEB / "app.py", b"def create_app"),
    ("/media/moments/1/../../../../../etc/passwd", PASSWD, b"root:"),
])
def test_raw_dot_dot_paths_never_return_files(app: FastAPI, raw_path: str, target: Path, secret: bytes) -> None:
    assert secret in target.read_bytes()  # the file is there to be leaked
    status, body = raw_get(app, raw_path)
    assert 400 <= status < 500 and secret not in body


def test_the_raw_request_helper_does_get_what_static_serves(app: FastAPI) -> None:
    status, body = raw_get(app, "/static/app.css")
    assert status == 200 and body == (WEB / "static" / "app.css").read_bytes()


# ---- a tampered index -----------------------------------------------------------------------------

@pytest.fixture
def tampered(front_door_index: Path, tmp_path: Path, first_moment: dict[str, Any]) -> Iterator[tuple[Path, TestClient]]:
    """A copy of the index to tamper with (in ``tmp_path/index``), and a client over it."""
    db = copy_index(front_door_index, tmp_path / "index")
    with TestClient(create_app(ServeOptions(db)), base_url=BASE) as test_client:
        yield db, test_client


def picture_targets(tmp_path: Path, db: Path) -> dict[str, Path]:
    """Files outside the index's picture folder, each reached a different way."""
    secret = tmp_path / "secret.jpg"
    secret.write_bytes(b"\xff\xd8\xff secret picture")
    sibling = thumbnail_dir(db).with_name(thumbnail_dir(db).name + "-evil") / "1.jpg"  # shares the folder's prefix
    sibling.parent.mkdir()
    sibling.write_bytes(secret.read_bytes())
    link = thumbnail_dir(db) / "1" / "link.jpg"
    link.symlink_to(secret)
    return {
        "system file": PASSWD, "file elsewhere": secret, "dot-dot out of the folder": thumbnail_dir(db) / ".." / "secret.jpg",
        "folder with the same prefix": sibling, "symlink out of the folder": link, "the folder itself": thumbnail_dir(db),
    }


@pytest.mark.parametrize(("table", "column"), [("moments", "keyframe"), ("tracks", "thumbnail")])
def test_pictures_outside_the_index_folder_are_not_served(
    tampered: tuple[Path, TestClient], tmp_path: Path, first_moment: dict[str, Any], table: str, column: str,
) -> None:
    db, client = tampered
    row_id = first_moment["moment"]["id"] if table == "moments" else first_moment["tracks"][0]["id"]
    url = first_moment["moment"]["keyframe_url"] if table == "moments" else first_moment["tracks"][0]["thumbnail_url"]
    assert client.get(url).status_code == 200  # untampered, it is served
    for name, target in picture_targets(tmp_path, db).items():
        with closing(sqlite3.connect(db)) as conn, conn:
            conn.execute(f"UPDATE {table} SET {column} = ? WHERE id = ?", (str(target), row_id))
        answer = client.get(url)
        assert answer.status_code == 404, name
        assert b"root:" not in answer.content and b"secret picture" not in answer.content, name


def test_a_recording_path_that_is_not_a_video_is_not_served(tampered: tuple[Path, TestClient], tmp_path: Path,
                                                            first_moment: dict[str, Any]) -> None:
    db, client = tampered
    secret = tmp_path / "notes.mp4"
    secret.write_text("secret notes, not a video\n" * 100)
    for target in (secret, PASSWD):
        with closing(sqlite3.connect(db)) as conn, conn:
            conn.execute("UPDATE recordings SET path = ?", (str(target),))
        answer = client.get(first_moment["playback"]["video_url"])
        expect_refused(answer, b"secret notes")
        assert b"root:" not in answer.content


# ---- the token ------------------------------------------------------------------------------------

def test_without_the_token_pages_send_you_to_log_in(guarded: TestClient) -> None:
    answer = guarded.get("/", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/login?next=%2F"
    answer = guarded.get("/moments/1", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/login?next=%2Fmoments%2F1"
    answer = guarded.get("/moments?kind=lingered&offset=0", follow_redirects=False)
    assert answer.headers["location"] == "/login?next=%2Fmoments%3Fkind%3Dlingered%26offset%3D0", "the query is kept"
    login = guarded.get("/login?next=/moments/1")
    assert login.status_code == 200 and 'name="next" value="/moments/1"' in login.text


@pytest.mark.parametrize("url", [
    "/api/cameras", "/api/moments/1", "/api/jobs", "/openapi.json", "/media/recordings/1/video",
    "/media/moments/1/keyframe.jpg", "/media/tracks/1/thumbnail.jpg",
])
def test_without_the_token_the_api_and_media_are_401(guarded: TestClient, url: str) -> None:
    for headers in ({}, {"Authorization": "Bearer wrong token, long enough"}, {"Authorization": TOKEN},
                    {"Cookie": f"{security.COOKIE}={TOKEN}"}):
        answer = guarded.get(url, headers=headers)
        assert answer.status_code == 401, headers
        assert answer.headers["www-authenticate"] == "Bearer"
        assert answer.headers["content-type"] == "application/json"
    assert guarded.get(url, headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200


def test_logging_in(index_copy: Path) -> None:
    with TestClient(create_app(ServeOptions(index_copy, host="0.0.0.0", token=TOKEN)), base_url=BASE) as browser:
        wrong = browser.post("/login", data={"token": "not the right one", "next": "/moments"}, follow_redirects=False)
        assert wrong.status_code == 401
        assert "not the token" in wrong.text and "set-cookie" not in wrong.headers
        assert browser.get("/", follow_redirects=False).status_code == 303

        right = browser.post("/login", data={"token": TOKEN, "next": "/moments"}, follow_redirects=False)
        assert right.status_code == 303 and right.headers["location"] == "/moments"
        cookie = right.headers["set-cookie"]
        assert cookie.startswith(f"{security.COOKIE}=")
        assert "httponly" in cookie.lower() and "samesite=strict" in cookie.lower()
        assert TOKEN not in cookie and TOKEN.replace(" ", "%20") not in cookie and TOKEN.replace(" ", "+") not in cookie
        assert browser.cookies[security.COOKIE] == security.session_value(TOKEN)

        assert browser.get("/", follow_redirects=False).status_code == 200
        assert browser.get("/moments").status_code == 200
        assert browser.get("/api/cameras").status_code == 200
        assert browser.get("/media/moments/1/keyframe.jpg").headers["content-type"] == "image/jpeg"


@pytest.mark.parametrize("target", ["//evil.example", "https://evil.example/", "/\\evil.example", "evil.example", ""])
def test_log_in_never_redirects_to_another_site(guarded: TestClient, target: str) -> None:
    answer = guarded.post("/login", data={"token": TOKEN, "next": target}, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/"
    assert 'name="next" value="/"' in guarded.get("/login", params={"next": target}).text


# ---- where it listens -----------------------------------------------------------------------------

def test_serving_beyond_this_computer_needs_a_token(index_copy: Path) -> None:
    for host in ("0.0.0.0", "192.168.1.2", "::"):
        with pytest.raises(FootageError, match="--token"):
            create_app(ServeOptions(index_copy, host=host))
    with pytest.raises(FootageError, match="at least 12 characters"):
        create_app(ServeOptions(index_copy, host="0.0.0.0", token="short"))
    with pytest.raises(FootageError, match="at least 12 characters"):
        create_app(ServeOptions(index_copy, token="x" * 11))
    create_app(ServeOptions(index_copy, host="0.0.0.0", token="x" * 12))


def footage_serve(*args: str) -> Ran:
    """``footage serve ARGS`` without a token in the environment (these runs are refused before serving)."""
    return footage("serve", *args, env={"FOOTAGE_TOKEN": None})


def test_footage_serve_refuses_to_listen_everywhere_without_a_token(index_copy: Path) -> None:
    out = footage_serve("--db", str(index_copy), "--host", "0.0.0.0")
    assert out.returncode == 2
    assert out.stderr.startswith("footage: ") and out.stderr.count("\n") == 1 and "--token" in out.stderr
    out = footage_serve("--db", str(index_copy), "--host", "0.0.0.0", "--token", "short")
    assert out.returncode == 2 and "12 characters" in out.stderr and "short" not in out.stderr.split(":", 1)[1]


def test_footage_serve_needs_an_index(tmp_path: Path) -> None:
    out = footage_serve("--db", str(tmp_path / "missing.sqlite"))
    assert out.returncode == 2
    assert "no index" in out.stderr and out.stderr.count("\n") == 1
    assert not (tmp_path / "missing.sqlite").exists()


# ---- host names and origins -----------------------------------------------------------------------

@pytest.mark.parametrize(("host", "status"), [
    ("127.0.0.1", 200), ("127.0.0.1:8000", 200), ("localhost:8000", 200), ("LOCALHOST", 200), ("[::1]:8000", 200),
    ("evil.example", 400), ("evil.example:8000", 400), ("127.0.0.1.evil.example", 400), ("192.168.1.2:8000", 400),
    ("localhost.evil.example", 400),
])
def test_without_a_token_only_loopback_host_names_are_answered(client: TestClient, host: str, status: int) -> None:
    answer = client.get("/api/cameras", headers={"Host": host})
    assert answer.status_code == status
    if status == 400:
        assert b"front door" not in answer.content


def test_a_loopback_address_served_on_is_a_host_name_answered(index_copy: Path) -> None:
    with TestClient(create_app(ServeOptions(index_copy, host="127.1.2.3")), base_url="http://127.1.2.3:8000") as local:
        assert local.get("/api/cameras").status_code == 200
        assert local.get("/api/cameras", headers={"Host": "127.9.9.9"}).status_code == 400


def test_with_a_token_any_host_name_is_answered_to_the_token(guarded: TestClient) -> None:
    bearer = {"Authorization": f"Bearer {TOKEN}"}
    assert guarded.get("/api/cameras", headers={"Host": "camera-box.lan:8000", **bearer}).status_code == 200
    assert guarded.get("/api/cameras", headers={"Host": "camera-box.lan:8000"}).status_code == 401


@pytest.fixture
def allowing(index_copy: Path, tmp_path: Path) -> Iterator[tuple[TestClient, Path]]:
    """A client of an app that may index ``tmp_path/allowed`` (holding an empty folder ``cam``)."""
    (tmp_path / "allowed" / "cam").mkdir(parents=True)
    with TestClient(create_app(ServeOptions(index_copy, index_roots=(tmp_path / "allowed",))), base_url=BASE) as c:
        yield c, tmp_path / "allowed"


@pytest.mark.parametrize("origin", ["http://evil.example", "http://127.0.0.1:9999", "http://127.0.0.1.evil.example", "null"])
def test_posts_from_other_sites_are_refused(allowing: tuple[TestClient, Path], origin: str) -> None:
    client, allowed = allowing
    headers = {"Origin": origin}
    answer = client.post("/api/jobs", json={"path": str(allowed / "cam")}, headers=headers)
    assert answer.status_code == 403 and "cross-site" in answer.json()["detail"]
    assert client.post("/jobs", data={"path": "cam"}, headers=headers, follow_redirects=False).status_code == 403
    assert client.post("/login", data={"token": TOKEN}, headers=headers, follow_redirects=False).status_code == 403
    assert client.get("/api/jobs").json() == []  # nothing was queued


def test_posts_from_the_app_own_pages_pass(allowing: tuple[TestClient, Path]) -> None:
    client, allowed = allowing
    # a path inside the allowed folder that does not exist: past the origin check, refused by the job runner
    answer = client.post("/api/jobs", json={"path": str(allowed / "cam" / "missing.mp4")}, headers={"Origin": BASE})
    assert answer.status_code == 404 and "no such file" in answer.json()["detail"]
    answer = client.post("/api/jobs", json={"path": str(allowed / "cam" / "missing.mp4")})  # a script: no Origin
    assert answer.status_code == 404


# ---- headers --------------------------------------------------------------------------------------

def csp_directives(value: str) -> dict[str, list[str]]:
    parts = [p.split() for p in value.split(";") if p.strip()]
    return {p[0]: p[1:] for p in parts}


@pytest.mark.parametrize("url", ["/", "/moments/1", "/api/cameras", "/media/moments/1/keyframe.jpg", "/static/app.css",
                                 "/api/moments/999999", "/no/such/page"])
def test_security_headers_are_on_every_answer(client: TestClient, url: str) -> None:
    answer = client.get(url)
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["x-frame-options"] == "DENY"
    csp = csp_directives(answer.headers["content-security-policy"])
    scripts = csp.get("script-src", csp.get("default-src"))
    assert scripts == ["'self'"]  # no inline or foreign scripts
    assert csp["frame-ancestors"] == ["'none'"] and csp["object-src"] == ["'none'"]


def test_security_headers_are_on_refusals_too(guarded: TestClient, client: TestClient) -> None:
    for answer in (guarded.get("/api/cameras"), guarded.get("/", follow_redirects=False),
                   client.post("/api/jobs", json={"path": "x"}, headers={"Origin": "http://evil.example"})):
        assert answer.status_code in (303, 401, 403)
        assert answer.headers["x-content-type-options"] == "nosniff" and "content-security-policy" in answer.headers
