"""People in the index: every person indexed gets a posture timeline and the colours they wore,
on real clips; walkers are never found sitting; indexing goes on without the pose model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from support.cli import footage
from support.clips import shared_file


def _tracks(db: Path) -> list[dict]:  # type: ignore[type-arg]
    out = footage("tracks", "--db", db, "--format", "json", "--label", "person")
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)  # type: ignore[no-any-return]


def _index(clip: Path, db: Path, *extra: object) -> str:
    out = footage("index", clip, "--db", db, "--no-progress", *extra)
    assert out.returncode == 0, out.stderr
    return out.stderr


def test_the_people_at_the_table_stand_and_wear_colours(sample_clip: Path, tmp_path: Path) -> None:
    _index(sample_clip, tmp_path / "i.sqlite")
    people = _tracks(tmp_path / "i.sqlite")
    assert len(people) == 6
    for person in people:
        assert person["upper_colour"] and person["lower_colour"]
        spans = person["postures"]
        assert spans and spans[0]["start_utc"] == person["first_utc"] and spans[-1]["end_utc"] == person["last_utc"]
        longest = max(spans, key=lambda s: s["duration_s"])
        assert longest["posture"] == "standing", spans  # each walks to the high table and stands there
        assert all(s["posture"] in ("standing", "walking") for s in spans), spans


@pytest.mark.slow
@pytest.mark.parametrize("clip", ["pets09_s2l1/vtest.avi", "tud_campus/TUD-Campus_mp4v.mp4"])
def test_walkers_are_never_found_sitting(clip: str, tmp_path: Path) -> None:
    _index(shared_file(clip), tmp_path / "i.sqlite")
    people = _tracks(tmp_path / "i.sqlite")
    postures = {s["posture"] for p in people for s in p["postures"]}
    assert postures <= {"standing", "walking"}, postures
    assert "walking" in postures


@pytest.mark.slow
def test_someone_is_found_sitting_in_the_gym(tmp_path: Path) -> None:
    """The MEVA gym: rows of seated people. Most are too small and hidden for the detector to
    follow (see the README's figures); the ones it follows on the bleachers are found seated."""
    _index(shared_file("meva_gym/2018-03-11.16-20-00.16-25-00.school.G330.annotated.mp4"), tmp_path / "i.sqlite")
    seated = [p for p in _tracks(tmp_path / "i.sqlite") if any(s["posture"] == "sitting" for s in p["postures"])]
    assert seated


def test_without_the_pose_model_indexing_goes_on(sample_clip: Path, tmp_path: Path) -> None:
    config = tmp_path / "no-model.toml"
    config.write_text('[pose]\nmodel = "openpose"\n')  # no such model: as a missing file would be
    stderr = _index(sample_clip, tmp_path / "i.sqlite", "--config", config)
    assert [line for line in stderr.splitlines() if "no pose" in line] == [
        line for line in stderr.splitlines() if line.strip()][:1]  # one line says so
    people = _tracks(tmp_path / "i.sqlite")
    assert len(people) == 6 and all(p["postures"] for p in people)  # the box still tells standing from walking
    assert all(p["upper_colour"] is None for p in people)  # colours need the pose's torso
    status = footage("status", "--db", tmp_path / "i.sqlite", "--config", config)
    assert "pose: unavailable (unknown pose model 'openpose'" in status.stdout
    assert "pose: movenet-lightning" in footage("status", "--db", tmp_path / "i.sqlite").stdout
