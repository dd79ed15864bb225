"""A camera is one timeline: real clips cut into segments the way recorders write them, indexed as
a folder in time order, in reverse and shuffled, give what the same footage gives as one file
(the issue's gates: objects within one, moments of the same kind starting and ending within one
sampled frame), and the same index whatever the order."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import pytest

from footage.events.params import EventParams
from footage.timeline.window import settle_us
from support.cli import footage
from support.clips import shared_file
from support.segments import Cut, Found, cut, found_in, unmatched

pytestmark = pytest.mark.slow

#: one sampled frame at the default 5 frames a second, and a hair for rounding
ONE_SAMPLE_S = 0.2 + 1e-3


def _settings(folder: Path) -> Path:
    path = folder / "utc.toml"
    path.write_text('timezone = "UTC"\n')
    return path


def _index(db: Path, files: list[Path], settings: Path) -> Found:
    out = footage("index", *files, "--db", db, "--camera", "cam", "--config", settings, "--no-progress")
    assert out.returncode == 0, out.stderr
    return found_in(db)


class Clip:
    """A clip cut into segments, with the index of it whole (made once per clip)."""

    def __init__(self, folder: Path, source: Path, segment_s: int) -> None:
        self.folder, self.settings = folder, _settings(folder)
        self.cut: Cut = cut(source, folder, segment_s)
        self.whole = _index(folder / "whole.sqlite", [self.cut.whole], self.settings)

    def segmented(self, name: str, order: list[Path]) -> Found:
        return _index(self.folder / f"{name}.sqlite", order, self.settings)


@pytest.fixture(scope="module")
def intel_10(tmp_path_factory: pytest.TempPathFactory) -> Clip:
    return Clip(tmp_path_factory.mktemp("intel-10"), shared_file("intel_sample_videos/one-by-one-person-detection.mp4"), 10)


@pytest.fixture(scope="module")
def pets_10(tmp_path_factory: pytest.TempPathFactory) -> Clip:
    return Clip(tmp_path_factory.mktemp("pets-10"), shared_file("pets09_s2l1/vtest.avi"), 10)


def _same_as_whole(clip: Clip, got: Found) -> None:
    assert abs(got.objects - clip.whole.objects) <= 1, (got.objects, clip.whole.objects)
    assert unmatched(clip.whole, got, ONE_SAMPLE_S) == []


def test_the_intel_clip_in_ten_second_segments_is_the_whole_file(intel_10: Clip) -> None:
    got = intel_10.segmented("in-order", list(intel_10.cut.segments))
    assert len(intel_10.cut.segments) == 14 and got.pieces > got.objects  # people crossed boundaries
    _same_as_whole(intel_10, got)


@pytest.mark.parametrize("order", ["reverse", "shuffled"])
def test_indexing_order_does_not_matter(intel_10: Clip, order: str) -> None:
    segments = list(intel_10.cut.segments)
    files = segments[::-1] if order == "reverse" else random.Random(17).sample(segments, len(segments))
    got = intel_10.segmented(order, files)
    _same_as_whole(intel_10, got)
    in_order = found_in(intel_10.folder / "in-order.sqlite") if (intel_10.folder / "in-order.sqlite").exists() \
        else intel_10.segmented("in-order", segments)
    assert got == in_order


def test_a_missing_segment_indexed_later_rejoins_the_stretch(intel_10: Clip) -> None:
    segments = list(intel_10.cut.segments)
    db = intel_10.folder / "late.sqlite"
    _index(db, segments[:6] + segments[7:], intel_10.settings)
    conn = sqlite3.connect(db)
    broken = conn.execute("SELECT COUNT(*) FROM moments").fetchone()[0]
    conn.close()
    got = _index(db, [segments[6]], intel_10.settings)
    assert broken > 0
    _same_as_whole(intel_10, got)


def test_the_intel_clip_in_thirty_second_segments(tmp_path: Path) -> None:
    clip = Clip(tmp_path, shared_file("intel_sample_videos/one-by-one-person-detection.mp4"), 30)
    _same_as_whole(clip, clip.segmented("in-order", list(clip.cut.segments)))


def test_pets09s_long_together_moment_is_one_moment_across_segments(pets_10: Clip) -> None:
    """PETS09-S2L1 is a crowd: trackers started afresh in each file swap identities differently
    from one tracker over the whole clip, so the gate on objects is looser here (see the note
    of issue 17). The group that walks together for over half a minute is still one moment."""
    got = pets_10.segmented("in-order", list(pets_10.cut.segments))
    whole = [m for m in pets_10.whole.moments if m[0] == "together" and 32.0 <= m[2] - m[1] <= 38.0]
    assert len(whole) == 1, pets_10.whole.moments
    _, start, end = whole[0]
    assert start < 10.0 < 20.0 < 30.0 < end  # it crosses three file boundaries
    same = [m for m in got.moments if m[0] == "together" and abs(m[1] - start) <= ONE_SAMPLE_S
            and abs(m[2] - end) <= ONE_SAMPLE_S]
    assert len(same) == 1, got.moments
    assert got.objects <= pets_10.whole.objects * 1.2  # 36 against 31 when measured (issue 17)


def test_pets09_in_thirty_second_segments_keeps_its_objects(tmp_path: Path) -> None:
    clip = Clip(tmp_path, shared_file("pets09_s2l1/vtest.avi"), 30)
    got = clip.segmented("in-order", list(clip.cut.segments))
    assert abs(got.objects - clip.whole.objects) <= 1, (got.objects, clip.whole.objects)


def test_the_caviar_corridor_in_ten_second_segments(tmp_path: Path) -> None:
    clip = Clip(tmp_path, shared_file("caviar/lisbon_OneLeaveShop1/OneLeaveShop1cor.mpg"), 10)
    got = clip.segmented("in-order", list(clip.cut.segments))
    assert got.objects == clip.whole.objects
    missed = unmatched(clip.whole, got, ONE_SAMPLE_S)
    assert len(missed) <= 2, missed


@pytest.mark.parametrize("order", ["in-order", "shuffled"])
def test_a_short_look_back_finds_the_same_moments(intel_10: Clip, order: str) -> None:
    """With the part found again cut at 15 s around each new segment (the Intel clip is busy
    for far longer than that and the rules' settling time), the moments going on across the cut
    are carried on from their stored events, and still come out as the whole file's."""
    settings = intel_10.folder / "short-look-back.toml"
    settings.write_text('timezone = "UTC"\n[timeline]\nlookback_s = 15.0\n')
    segments = list(intel_10.cut.segments)
    files = segments if order == "in-order" else random.Random(5).sample(segments, len(segments))
    got = _index(intel_10.folder / f"look-back-{order}.sqlite", files, settings)
    read_s = 10 + 2 * (15.0 + settle_us(EventParams()) / 1e6)  # a segment and what is read around it
    assert intel_10.whole.moments[-1][2] - intel_10.whole.moments[0][1] > read_s  # so the cut binds
    _same_as_whole(intel_10, got)
