"""Reading a window ``[start_s, end_s)`` of a recording (one chunk of issue 8): it seeks instead of
decoding from the start, stops at its end without calling the file truncated, and samples the
frames a whole-file read samples, so that chunks read side by side add up to one read."""

from __future__ import annotations

import itertools
import subprocess
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from footage.errors import CorruptMediaError
from footage.ingest.params import SourceParams
from footage.ingest.samples import DecodeStats, Sample
from footage.ingest.sampling import Sampler
from footage.ingest.source import PyAVSource
from support.clips import REAL_CLIPS, STILL_THEN_MOTION, decode_indices, h264

EVERY_SAMPLE = SourceParams(motion_gate=False)
MOVING = ["-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25"]
# windows [0, a), [a, b), [b, end): cut on keyframes of the 25 fps clips (GOP 2 s), and in mid-GOP between frames
CUTS = {"on-keyframes": (10.0, 20.0), "mid-gop": (7.3, 19.97)}

Key = tuple[int, int, float]


@pytest.fixture(scope="module")
def clips(tmp_path_factory: pytest.TempPathFactory, ffmpeg: str, sample_clip: Path) -> dict[str, Path]:
    """The clips of this module, made once: ``moving`` (30 s of testsrc2, 25 fps, keyframe every 2 s),
    ``still`` (a still, noisy scene where a box starts moving at 21.3 s, 34 s), ``b-frames.ts``
    (MPEG-TS with B-frames: starts at 1.48 s, and seeking lands on any packet), ``cut.mp4``
    (``moving`` cut off half-way: 15 s of 30 s) and the packaged ``sample`` clip."""
    folder = tmp_path_factory.mktemp("window")

    def make(name: str, *args: str) -> Path:
        subprocess.run([ffmpeg, "-v", "error", "-y", *args, str(folder / name)], check=True)
        return folder / name

    moving = make("moving.mp4", *MOVING, *h264(30), "-movflags", "+faststart")  # index first: a cut keeps it
    cut = folder / "cut.mp4"
    cut.write_bytes(moving.read_bytes()[: moving.stat().st_size // 2])
    return {
        "moving": moving,
        "still": make("still.mp4", *STILL_THEN_MOTION, *h264(34)),
        "b-frames.ts": make("b-frames.ts", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25", "-t", "24",
                            "-c:v", "libx264", "-preset", "veryfast", "-bf", "2", "-g", "50", "-pix_fmt", "yuv420p"),
        "cut.mp4": cut,
        "sample": sample_clip,
    }


def _read(path: Path, params: SourceParams, start_s: float | None = None, end_s: float | None = None,
          ) -> tuple[list[Sample], DecodeStats]:
    with PyAVSource(path, params) as source:
        return list(source.samples(start_s, end_s)), source.stats


def _in_windows(path: Path, params: SourceParams, cuts: tuple[float, ...]) -> list[Sample]:
    """The samples of the windows ``[None, cuts[0]), [cuts[0], cuts[1]), ..., [cuts[-1], None)``, in a row."""
    bounds = [None, *cuts, None]
    return [s for start_s, end_s in itertools.pairwise(bounds) for s in _read(path, params, start_s, end_s)[0]]


def _keys(samples: list[Sample]) -> list[Key]:
    return [(s.index, s.pts, s.time_s) for s in samples]


@pytest.fixture(scope="module")
def whole_read() -> Callable[[Path, SourceParams], list[Sample]]:
    """The whole-file read of a clip, made once per clip and settings (without the images, which
    would not fit in memory for the sample clip)."""
    cache: dict[tuple[Path, SourceParams], list[Sample]] = {}

    def read(path: Path, params: SourceParams) -> list[Sample]:
        if (path, params) not in cache:
            with PyAVSource(path, params) as source:
                cache[path, params] = [Sample(s.index, s.pts, s.time_s, None) for s in source.samples()]
        return cache[path, params]

    return read


@pytest.mark.parametrize("cuts", CUTS.values(), ids=CUTS.keys())
@pytest.mark.parametrize("name", ["moving", "b-frames.ts", "sample"])
def test_windows_in_a_row_sample_exactly_the_frames_of_one_read(
    clips: dict[str, Path], whole_read: Callable[[Path, SourceParams], list[Sample]], name: str, cuts: tuple[float, ...],
) -> None:
    # with the motion gate off, the grid first frame + k / fps is all there is: exact equality,
    # decode index (MOTChallenge frame - 1) included, whatever the container, B-frames or cut
    assert _keys(_in_windows(clips[name], EVERY_SAMPLE, cuts)) == _keys(whole_read(clips[name], EVERY_SAMPLE))


def test_windowed_indexes_are_decode_indexes_in_the_whole_file(clips: dict[str, Path]) -> None:
    # MP4 indexes every frame (exact by position); MPEG-TS does not (from pts and frame rate)
    for name in ("sample", "b-frames.ts"):
        truth = decode_indices(clips[name])
        samples = _read(clips[name], EVERY_SAMPLE, 13.3, 17.0)[0]
        assert samples and all(truth[s.pts] == s.index for s in samples), name


@pytest.mark.parametrize("relative", REAL_CLIPS)
def test_windows_in_a_row_on_real_clips(shared_footage: Path, relative: str) -> None:
    """AVI (MPEG-4 part 2) and MP4 recordings with their own keyframe spacing and frame rates."""
    clip = shared_footage / relative
    with PyAVSource(clip) as source:
        duration_s = source.info.duration_s
    cuts = (round(duration_s / 3, 2), round(2 * duration_s / 3, 2))
    whole = _read(clip, EVERY_SAMPLE)[0]
    assert _keys(_in_windows(clip, EVERY_SAMPLE, cuts)) == _keys(whole)
    truth = decode_indices(clip)
    assert all(truth[s.pts] == s.index for s in whole)


def test_with_the_gate_on_windows_differ_only_where_the_gate_starts_afresh(
    clips: dict[str, Path], whole_read: Callable[[Path, SourceParams], list[Sample]],
) -> None:
    clip = clips["still"]
    params = SourceParams()
    whole = _read(clip, params)[0]
    parts = _in_windows(clip, params, CUTS["on-keyframes"])
    # A whole read goes still at 4 s: keyframe probes at 4, 12, 20 and 28 s, and the box seen at
    # 28 s replays 20-34 s. Each later window starts active (its gate has nothing to compare with),
    # samples every 0.2 s until it has been still for 4 s, then probes from there; at its end the
    # next keyframe is probed, unchanged, so nothing is replayed. Every instant of the whole read is
    # still sampled by a window, on the same grid; the windows also sample 10-14 s, unchanged.
    whole_s, parts_s = {s.time_s for s in whole}, {s.time_s for s in parts}
    assert whole_s <= parts_s
    assert sorted(parts_s - whole_s) == pytest.approx([10 + 0.2 * k for k in range(21) if k != 10])  # 12.0: a probe
    # what is analysed (run through the detector) is the same, plus a first and a second look at
    # the start of each later window (a whole read looked at 20.0 s and 20.2 s too, but found them
    # unchanged since the probe at 12 s)
    analysed = {s.time_s for s in parts if s.frame is not None}
    whole_analysed = {s.time_s for s in whole if s.frame is not None}
    assert whole_analysed <= analysed
    assert sorted(analysed - whole_analysed) == pytest.approx([10.0, 10.2, 20.0, 20.2])
    assert 21.3 <= min(t for t in whole_analysed if t > 20.2) == min(t for t in analysed if t > 20.2) <= 21.5 + 1e-6
    # on a scene that never stands still the gate never decides anything: exactly the same
    busy_whole = whole_read(clips["moving"], params)
    busy_parts = _in_windows(clips["moving"], params, CUTS["mid-gop"])
    assert _keys(busy_parts) == _keys(busy_whole)
    assert all(s.frame is not None for s in busy_parts)


def test_a_window_mid_file_seeks_instead_of_decoding_from_the_start(clips: dict[str, Path]) -> None:
    samples, stats = _read(clips["sample"], EVERY_SAMPLE, 100.0, 110.0)
    # 139 s at 10 fps, a keyframe every second: 100 frames in the window, at most a second of
    # references before it, a few packets after it (B-frames are decoded ahead)
    assert stats.packets <= 115 and stats.decoded_frames <= 115
    assert [s.time_s for s in samples] == pytest.approx([100 + 0.2 * k for k in range(50)])
    assert samples[0].index == 1000 and samples[-1].index == 1098
    assert stats.last_time_s == pytest.approx(109.9)


def test_end_stops_early_without_a_damage_error(clips: dict[str, Path]) -> None:
    samples, stats = _read(clips["sample"], EVERY_SAMPLE, None, 10.0)
    assert samples[-1].time_s == pytest.approx(9.8) and stats.last_time_s == pytest.approx(9.9)
    assert stats.packets <= 105
    # a file cut off at 15 s of 30 s: a whole read is truncated, a window that ends before the cut
    # is whole, and one past the cut says where the file broke off
    cut = clips["cut.mp4"]
    with pytest.raises(CorruptMediaError, match="truncated"):
        _read(cut, EVERY_SAMPLE)
    for start_s, end_s in [(None, 5.0), (10.0, 12.0)]:
        samples, stats = _read(cut, EVERY_SAMPLE, start_s, end_s)
        assert len(samples) == 5 * ((end_s or 0.0) - (start_s or 0.0)) and stats.damaged_frames == stats.bad_packets == 0
    with PyAVSource(cut, EVERY_SAMPLE) as source, pytest.raises(CorruptMediaError, match=r"truncated: decoded 15\.0 s"):
        list(source.samples(20.0, 25.0))


def test_a_window_past_the_end_yields_nothing(clips: dict[str, Path]) -> None:
    assert _read(clips["sample"], EVERY_SAMPLE, 200.0, 300.0)[0] == []
    assert _read(clips["sample"], EVERY_SAMPLE, 139.35)[0] == []  # the last frame is at 139.3 s
    samples, stats = _read(clips["moving"], SourceParams(), 30.0)
    assert samples == [] and stats.decoded_frames <= 50  # one GOP, to find there is nothing after it


@pytest.mark.parametrize("name", ["moving", "sample"])
def test_a_windowed_frame_has_the_pixels_of_the_whole_read(clips: dict[str, Path], name: str) -> None:
    start_s, end_s = 13.1, 17.0  # from mid-GOP: the first frames decode from references before the window
    with PyAVSource(clips[name], EVERY_SAMPLE) as source:
        whole = {s.pts: s.frame.image for s in source.samples() if s.frame is not None and start_s <= s.time_s < end_s}
    windowed = _read(clips[name], EVERY_SAMPLE, start_s, end_s)[0]
    assert [s.pts for s in windowed] == list(whole)
    for sample in windowed:
        assert sample.frame is not None and np.array_equal(sample.frame.image, whole[sample.pts]), sample.time_s


@pytest.mark.parametrize("source_fps", [25, 12.5, Fraction(30000, 1001), 10, 7])
def test_a_sampler_joining_the_grid_part_way_takes_what_a_whole_read_takes(source_fps: float) -> None:
    tolerance_s = 0.5 / float(source_fps)  # 12.5 fps: every other instant falls exactly between two frames
    times = [float(i / source_fps) for i in range(2000)]
    whole = Sampler(5.0, tolerance_s)
    taken = [i for i, t in enumerate(times) if whole.take(t)]
    for first in range(1, 2000, 37):  # a window's first decoded frame (a keyframe before its start)
        window = Sampler(5.0, tolerance_s)
        window.restart(times[0])
        window_taken = [i for i in range(first, 2000) if window.take(times[i])]
        assert window_taken[0] == first  # the first frame is taken (then dropped as before the window)
        assert window_taken[1:] == [i for i in taken if i > first]
