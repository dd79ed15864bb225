"""The review app under test: ``footage serve`` in its own process, copies of an index to change,
JSON answers, and requests sent as raw as an HTTP server passes them on."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import anyio
from fastapi import FastAPI
from starlette.types import Message

from footage.store.database import thumbnail_dir
from support.cli import footage_process
from support.net import free_port


@contextmanager
def serving(db: Path, *args: str, ready: str = "/api/cameras") -> Iterator[str]:
    """``footage serve --db DB ARGS`` in its own process, as a user starts it; yields its URL once
    ``ready`` answers, and stops it at the end."""
    port = free_port()
    process = footage_process("serve", "--db", str(db), "--port", str(port), *args,
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


def raw_get(app: FastAPI, raw_path: str, host: str = "127.0.0.1") -> tuple[int, bytes]:
    """GET ``raw_path`` exactly as written, the way uvicorn hands a request line to the app (it
    percent-decodes the path but keeps ``..``; httpx, and so TestClient, would remove them)."""
    async def call() -> tuple[int, bytes]:
        sent: list[Message] = []
        requested, finished = False, anyio.Event()

        async def receive() -> Message:
            nonlocal requested
            if not requested:
                requested = True
                return {"type": "http.request", "body": b"", "more_body": False}
            await finished.wait()  # the client stays until the whole answer is sent
            return {"type": "http.disconnect"}

        async def send(message: Message) -> None:
            sent.append(message)
            if message["type"] == "http.response.body" and not message.get("more_body", False):
                finished.set()

        scope = {
            "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
            "path": unquote(raw_path), "raw_path": raw_path.encode(), "query_string": b"", "root_path": "",
            "headers": [(b"host", host.encode())], "client": ("127.0.0.1", 50000), "server": ("127.0.0.1", 8000),
        }
        await app(scope, receive, send)
        status = next(m["status"] for m in sent if m["type"] == "http.response.start")
        return status, b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")

    return anyio.run(call)

