"""``footage search`` on a real index of the bundled sample clip: the parsed query, ranked
moments with thumbnails, JSON for scripts, bad requests answered in one line with the index
untouched, and an index written before search existed upgraded in place."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

import pytest
from PIL import Image

from footage.store.database import connect
from footage.store.schema import MIGRATIONS
from support.cli import footage

RESULT_KEYS = {"id", "kind", "camera", "start_utc", "end_utc", "start_s", "end_s", "description", "score", "thumbnail"}


@pytest.fixture
def front_door(front_door_index: Path) -> Path:
    return front_door_index


def _search(db: Path, *args: str) -> dict:  # type: ignore[type-arg]
    out = footage("search", "--db", str(db), "--format", "json", *args)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)  # type: ignore[no-any-return]


def test_a_described_moment_comes_back_with_the_query_as_understood(front_door: Path) -> None:
    out = footage("search", "--db", str(front_door), "someone", "waiting", "at", "the", "front", "door", "camera")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0] == "understood as: person, lingered, camera front door"
    assert "thumbnail" in lines[1] and len(lines) == 3 + 6  # header, rule, one row per person at the table
    assert "semantic search is off" in out.stderr


def test_json_gives_the_parsed_query_and_each_result(front_door: Path) -> None:
    data = _search(front_door, "a person who stayed for more than 15 seconds", "--limit", "3")
    assert data["query"]["duration"] == {"min_s": 15.0, "max_s": None, "label": ">= 15 s"}
    assert [o["labels"] for o in data["query"]["objects"]] == [{"person": 1.0}]
    assert data["semantic"] is False and len(data["results"]) == 3
    for result in data["results"]:
        assert set(result) >= RESULT_KEYS and result["camera"] == "front door" and result["kind"] == "lingered"
        assert result["end_s"] - result["start_s"] >= 15
        with Image.open(result["thumbnail"]) as picture:
            assert picture.format == "JPEG"
    scores = [r["score"] for r in data["results"]]
    assert scores == sorted(scores, reverse=True)
    shown = footage("show", str(data["results"][0]["id"]), "--db", str(front_door))
    assert shown.returncode == 0 and "stayed in one spot" in shown.stdout


def test_what_is_not_there_finds_nothing_and_says_so(front_door: Path) -> None:
    for text in ("two people together", "a car that stopped", "someone with a backpack",
                 "a person lingering for more than ten minutes", "someone waiting last year"):
        assert _search(front_door, text)["results"] == [], text
    nonsense = footage("search", "--db", str(front_door), "xyzzy plugh")
    assert nonsense.returncode == 0 and "no moments match" in nonsense.stdout
    assert "did not understand xyzzy, plugh" in nonsense.stderr


def _fingerprint(db: Path) -> str:
    conn = connect(db, create=False)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    return hashlib.sha256(db.read_bytes()).hexdigest()


@pytest.mark.parametrize("args", [
    ("",), ("   ",), ("the of a",), ("someone", "--limit", "0"), ("someone", "--since", "the day after"),
    ("someone", "--camera", "back yard"),
])
def test_bad_requests_get_one_line_and_leave_the_index_alone(front_door: Path, args: tuple[str, ...]) -> None:
    before = _fingerprint(front_door)
    out = footage("search", "--db", str(front_door), *args)
    assert out.returncode == 2
    assert out.stdout == "" and out.stderr.strip().count("\n") == 0 and out.stderr.startswith("footage: ")
    assert _fingerprint(front_door) == before


@pytest.mark.parametrize("text", ['person" OR NEAR(', "stayed*", "^spot", "-person", "'; DROP TABLE moments; --",
                                  "someone walking by"])
def test_full_text_syntax_in_a_query_is_just_words(front_door: Path, text: str) -> None:
    out = footage("search", "--db", str(front_door), "--", text)
    assert out.returncode == 0, out.stderr
    assert len(_search(front_door, "someone")["results"]) == 6


def test_an_index_from_before_search_is_upgraded_in_place(tmp_path: Path) -> None:
    db = tmp_path / "old.sqlite"
    raw = sqlite3.connect(db)
    for migration in MIGRATIONS[:2]:
        raw.executescript(migration)
    raw.executescript("""
        PRAGMA user_version = 2;
        INSERT INTO cameras VALUES (1, 'porch', 0);
        INSERT INTO recordings (id, camera_id, path, size_bytes, mtime_ns, start_utc_us, status, updated_utc_us)
            VALUES (1, 1, '/v/porch.mp4', 1, 1, 1763800000000000, 'done', 0);
        INSERT INTO tracks VALUES (7, 1, 1, 1, 'person', 0, 10, 1763800000000000, 1763800060000000, 0.9, 2, x'', NULL);
        INSERT INTO tracks VALUES (8, 1, 1, 2, 'person', 0, 10, 1763800000000000, 1763800060000000, 0.9, 2, x'', NULL);
        INSERT INTO moments VALUES (1, 1, 1, 'together', 0, 60, 1763800000000000, 1763800060000000, 2, '[7, 8]',
            'Person A and person B were together for 1 min', NULL, 4.0);
        INSERT INTO events VALUES (1, 1, 'together', 0, 60, '[7, 8]', '{}');
    """)
    raw.close()
    data = _search(db, "two people talking")
    assert [(r["id"], r["kind"]) for r in data["results"]] == [(1, "together")]
    conn = connect(db, create=False)
    try:
        row = conn.execute("SELECT labels, spans FROM moments").fetchone()
    finally:
        conn.close()
    assert tuple(row) == ("person,person", "together:60.0")
