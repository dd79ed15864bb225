"""``footage events`` and ``footage show`` on real video: the bundled sample clip, the shared
clips and their ground truth; bad input gets one line and leaves the index alone."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image

from support.cli import footage
from support.web import copy_index

#: People who walk to the high table in the sample clip and stand there, counted by eye on a
#: contact sheet of one frame every 3 s: a blonde woman in a grey cardigan (9-21 s), a man in a
#: black hoodie (24-42 s), a woman with long hair in black (51-69 s), a man in a black T-shirt
#: (72-86 s), a woman in a grey top (93-120 s), a man in a grey shirt (126-135 s).
PEOPLE_AT_THE_TABLE = 6

MOMENT_KEYS = {"id", "kind", "camera", "start_utc", "end_utc", "start_s", "end_s", "tracks", "description",
               "keyframe", "score"}


def _events(db: Path, *args: str) -> list[dict]:  # type: ignore[type-arg]
    out = footage("events", "--db", str(db), "--format", "json", *args)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def indexed_sample(tmp_path_factory: pytest.TempPathFactory, front_door_index: Path) -> Path:
    """A copy of the run's index of the sample clip (camera "front door"): ``--rebuild`` changes it."""
    return copy_index(front_door_index, tmp_path_factory.mktemp("sample"))


def test_every_person_at_the_table_lingers_once(indexed_sample: Path) -> None:
    moments = _events(indexed_sample)
    lingered = _events(indexed_sample, "--kind", "lingered")
    assert len(lingered) == PEOPLE_AT_THE_TABLE
    assert len(moments) == PEOPLE_AT_THE_TABLE  # each visit is one moment: appeared, lingered, left
    for moment in moments:
        assert set(moment) >= MOMENT_KEYS
        assert moment["camera"] == "front door" and moment["start_utc"] <= moment["end_utc"]
        assert "stayed in one spot" in moment["description"]
        with Image.open(moment["keyframe"]) as picture:
            assert picture.format == "JPEG" and picture.width == 768


def test_table_and_filters(indexed_sample: Path) -> None:
    out = footage("events", "--db", str(indexed_sample))
    assert out.returncode == 0 and "stayed in one spot" in out.stdout and "lingered" in out.stdout
    assert _events(indexed_sample, "--min-duration", "15")  # some visits are longer
    assert all(m["end_s"] - m["start_s"] >= 15 for m in _events(indexed_sample, "--min-duration", "15"))
    assert _events(indexed_sample, "--kind", "together") == []
    assert _events(indexed_sample, "--camera", "elsewhere") == []
    assert _events(indexed_sample, "--since", "2100-01-01") == []
    top = _events(indexed_sample, "--sort", "score", "--limit", "1")
    assert len(top) == 1 and top[0]["score"] == max(m["score"] for m in _events(indexed_sample))


def test_show_tells_the_story_tracks_and_key_frame(indexed_sample: Path) -> None:
    first = _events(indexed_sample)[0]
    out = footage("show", str(first["id"]), "--db", str(indexed_sample))
    assert out.returncode == 0, out.stderr
    assert first["description"] in out.stdout and first["keyframe"] in out.stdout and "lingered" in out.stdout
    data = json.loads(footage("show", str(first["id"]), "--db", str(indexed_sample), "--format", "json").stdout)
    assert [e["kind"] for e in data["events"]] == ["appeared", "lingered", "left"]
    missing = footage("show", "99999", "--db", str(indexed_sample))
    assert missing.returncode == 1 and len(missing.stderr.strip().splitlines()) == 1


def test_rebuild_applies_new_thresholds(indexed_sample: Path, tmp_path: Path) -> None:
    strict = tmp_path / "strict.toml"
    strict.write_text("[events]\nlinger_s = 1000.0\n")
    out = footage("events", "--db", str(indexed_sample), "--rebuild", "--config", str(strict), "--no-progress")
    assert out.returncode == 0, out.stderr
    assert "lingered" not in out.stdout
    again = footage("events", "--db", str(indexed_sample), "--rebuild", "--no-progress", "--format", "json")
    assert again.returncode == 0, again.stderr
    assert len([m for m in json.loads(again.stdout) if "lingered" in m["kinds"]]) == PEOPLE_AT_THE_TABLE


def test_bad_requests_get_one_line(indexed_sample: Path, tmp_path: Path) -> None:
    before = _events(indexed_sample)
    bad_mot = tmp_path / "bad.txt"
    bad_mot.write_text("1,1,10,10,5,20,1\nhello\n")
    bad_config = tmp_path / "bad.toml"
    bad_config.write_text("[events]\nlinger_seconds = 3\n")
    for args in (
        ("--kind", "dancing"),
        ("--since", "yesterday-ish"),
        ("--from-mot", str(tmp_path / "missing.txt"), "--fps", "10"),
        ("--from-mot", str(bad_mot), "--fps", "10"),
        ("--from-mot", str(bad_mot)),
        ("--fps", "10"),
        ("--rebuild", "--config", str(bad_config)),
    ):
        out = footage("events", "--db", str(indexed_sample), *args)
        assert out.returncode == 2, (args, out.stdout, out.stderr)
        assert len(out.stderr.strip().splitlines()) == 1 and "Traceback" not in out.stderr, args
    assert "line 2" in footage("events", "--from-mot", str(bad_mot), "--fps", "10").stderr
    assert _events(indexed_sample) == before  # nothing was lost


def test_from_mot_on_a_written_track_file(tmp_path: Path) -> None:
    """Two people walk from the left, stand together for 30 s, and leave to the right."""
    lines = []
    for frame in range(1, 10 * 60):
        t = (frame - 1) / 10
        x = 100 + 40 * min(t, 10) + 40 * max(0.0, t - 40)
        for person, dx in ((1, 0), (2, 50)):
            if x + dx < 1200:
                lines.append(f"{frame},{person},{x + dx - 20:.1f},300,40,100,1,-1,-1,-1")
    lines.append(f"{10 * 60},3,5,5,40,100,0,-1,-1,-1")  # an "ignore" row only stretches the span
    track_file = tmp_path / "gt.txt"
    track_file.write_text("\n".join(lines) + "\n")
    out = footage("events", "--from-mot", str(track_file), "--fps", "10", "--format", "json")
    assert out.returncode == 0, out.stderr
    moments = json.loads(out.stdout)
    assert len(moments) == 1
    assert moments[0]["kind"] == "together"
    assert {"together", "lingered", "left"} <= set(moments[0]["kinds"])  # in view from frame 1: not "appeared"
    assert {t["id"] for t in moments[0]["tracks"]} == {1, 2}
    table = footage("events", "--from-mot", str(track_file), "--fps", "10")
    assert "were together for" in table.stdout


def test_ground_truth_of_pets09_has_people_together_and_approaching(shared_footage: Path) -> None:
    out = footage("events", "--from-mot", str(shared_footage / "pets09_s2l1" / "gt" / "gt.txt"), "--fps", "10",
                  "--format", "json")
    assert out.returncode == 0, out.stderr
    kinds = {k for m in json.loads(out.stdout) for k in m["kinds"]}
    assert {"together", "approached", "lingered", "appeared", "left"} <= kinds


def test_cars_give_vehicle_events_and_no_person_events(shared_footage: Path, tmp_path: Path) -> None:
    db = tmp_path / "index.sqlite"
    out = footage("index", str(shared_footage / "intel_sample_videos" / "car-detection.mp4"), "--db", str(db),
                  "--no-progress")
    assert out.returncode == 0, out.stderr
    moments = _events(db)
    assert moments, "the cars gave no moments"
    labels = {t["label"] for m in moments for t in m["tracks"]}
    assert labels and labels <= {"car", "bus", "truck", "motorbike"}
    assert {k for m in moments for k in m["kinds"]} <= {"appeared", "left", "vehicle_stopped", "vehicle_departed"}
    assert any(k in ("appeared", "left") for m in moments for k in m["kinds"])
