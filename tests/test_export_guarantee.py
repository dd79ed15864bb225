"""The guarantee on real footage: every default ``footage export`` of every moment of the shared
clips with people shows no face to an independent face finder, on any frame.

Each clip is indexed as a camera, each of its moments exported with the defaults (3 s either
side, faces and people hidden), and every frame of every clip written is decoded and searched
with OpenCV's own YuNet runner at 0.6 (:mod:`leak_checks`). UT-Interaction clips are cut to the
interaction and too short for a moment: their whole span is exported instead. The figures
(frames checked, faces on the original frames, faces after, passes) are printed for the README.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from support.cli import Ran, footage
from support.leaks import OpenCvFaces

CLIPS = {
    "pets09": "pets09_s2l1/vtest.avi",
    "tud": "tud_campus/TUD-Campus_mp4v.mp4",
    "intel": "intel_sample_videos/one-by-one-person-detection.mp4",
    "caviar-cor": "caviar/lisbon_OneLeaveShop1/OneLeaveShop1cor.mpg",
    "caviar-front": "caviar/lisbon_OneLeaveShop1/OneLeaveShop1front.mpg",
    "caviar-cross1": "caviar/lisbon_more/EnterExitCrossingPaths1front.mpg",
    "caviar-cross2": "caviar/lisbon_more/EnterExitCrossingPaths2front.mpg",
    "caviar-twoleave": "caviar/lisbon_more/TwoLeaveShop2front.mpg",
    "ut-handshake": "ut_interaction/10_2_1.avi",
    "ut-hug": "ut_interaction/1_1_2.avi",
    "ut-punch": "ut_interaction/0_1_4.avi",
    "ut-point": "ut_interaction/22_4_3.avi",
}
START = "2026-11-20T10:00:00Z"


def footage_ok(*args: str | Path) -> Ran:
    done = footage(*args)
    assert done.returncode == 0, done.stderr
    return done


@pytest.fixture(scope="module")
def finder() -> OpenCvFaces:
    return OpenCvFaces()


@pytest.mark.slow
@pytest.mark.parametrize("name", list(CLIPS))
def test_no_default_export_of_a_moment_shows_a_face(shared_footage: Path, name: str, finder: OpenCvFaces,
                                                    tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    clip = shared_footage / CLIPS[name]
    db = tmp_path / "index.sqlite"
    footage_ok("index", clip, "--db", db, "--camera", name, "--start", START, "--no-progress")
    moments = json.loads(footage_ok("events", "--db", db, "--format", "json").stdout)
    exports = [("--pad", "3", str(m["id"])) for m in moments] or [
        ("--camera", name, "--from", START, "--to", "2026-11-20T10:10:00Z")]  # too short for a moment: all of it
    before = sum(finder.per_frame(clip))
    checked = after = 0
    passes = []
    for number, args in enumerate(exports):
        out = tmp_path / f"moment-{number}.mp4"
        footage_ok("export", "--db", db, *args, "--out", out)
        sidecar = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
        counts = finder.per_frame(out)
        leaks = [i for i, n in enumerate(counts) if n]
        assert not leaks, f"{name} export {args}: faces on frames {leaks[:10]} of {len(counts)}"
        assert sidecar["check"]["frames_checked"] == len(counts) == sidecar["redaction"]["frames"]
        checked += len(counts)
        after += sum(counts)
        passes.append(sidecar["check"]["passes"])
        out.unlink()
    with capsys.disabled():
        print(f"\n{name}: {len(moments)} moments, {len(exports)} exports, {checked} exported frames checked; "
              f"faces: {before} on the clip's own frames, {after} after; passes {min(passes)}-{max(passes)} "
              f"(mean {sum(passes) / len(passes):.1f})")
    assert after == 0
