"""The PyAV reader: one contract over generated and real clips, and the still/active switching."""

from __future__ import annotations

from pathlib import Path

import pytest

from footage.ingest.params import SourceParams
from footage.ingest.source import PyAVSource
from support.clips import REAL_CLIPS, STILL_THEN_MOTION, MakeClip, decode_indices, h264


def _check_contract(path: Path, params: SourceParams) -> list:
    with PyAVSource(path, params) as source:
        samples = list(source.samples())
        info = source.info
    assert samples, "no samples"
    times = [s.time_s for s in samples]
    assert times == sorted(times), "samples out of time order"
    truth = decode_indices(path)
    for sample in samples:
        assert truth[sample.pts] == sample.index, f"index {sample.index} != decode index at pts {sample.pts}"
        if sample.frame is not None:
            image = sample.frame.image
            assert image.dtype.name == "uint8" and image.shape[2] == 3
            assert image.shape[1] == min(params.analysis_width, info.width) // 2 * 2
            assert sample.frame.scale * image.shape[1] == pytest.approx(info.width)
    return samples


@pytest.mark.parametrize("relative", REAL_CLIPS)
@pytest.mark.parametrize("gated", [True, False], ids=["gated", "every-sample"])
def test_contract_on_real_clips(shared_footage: Path, relative: str, gated: bool) -> None:
    _check_contract(shared_footage / relative, SourceParams(motion_gate=gated))


def test_contract_on_a_generated_clip(make_clip: MakeClip) -> None:
    clip = make_clip("scene.mp4", *STILL_THEN_MOTION, *h264(34))
    _check_contract(clip, SourceParams())


def test_still_stretches_decode_only_keyframes_and_the_start_of_motion_is_kept(make_clip: MakeClip) -> None:
    clip = make_clip("scene.mp4", *STILL_THEN_MOTION, *h264(34))
    with PyAVSource(clip) as source:
        samples = list(source.samples())
        stats = source.stats
    analysed = [s.time_s for s in samples if s.frame is not None]
    assert analysed[0] == 0.0  # the first frame is always analysed
    after_start = [t for t in analysed if t > 1.0]
    # a small box starts moving at 21.3 s: too small to wake the reader by packet size, it is
    # seen by the keyframe probe at 28 s, and the replay from the probe at 20 s finds its start
    assert 21.3 <= after_start[0] <= 21.3 + 0.2 + 1e-6
    assert stats.size_wakes == 0 and stats.replayed_gops == 1
    # 0-4 s decoded in full; keyframes at 4, 12, 20 and 28 s probed; 20-34 s replayed
    assert stats.keyframe_probes == 4
    assert stats.decoded_frames == 100 + 4 + 14 * 25


def test_a_still_end_of_file_decodes_only_its_last_keyframe_interval(make_clip: MakeClip) -> None:
    # still from the start: 0-4 s decoded, keyframes probed at 4 and 12 s; at the end the
    # packets since 12 s were never looked at. The last keyframe (18 s) is probed, shows the
    # scene unchanged, and only 18-19 s is decoded, not all of 12-19 s
    clip = make_clip("still.mp4", "-f", "lavfi", "-i", "color=c=0x707070:size=640x360:rate=25", "-vf",
                     "noise=alls=6:allf=t", *h264(19))
    with PyAVSource(clip) as source:
        samples = list(source.samples())
        stats = source.stats
    assert stats.keyframe_probes == 3 and stats.replayed_gops == 0
    assert stats.decoded_frames == 100 + 3 + 25
    assert max(s.time_s for s in samples) >= 18.8  # the end is still looked at


def test_a_large_change_wakes_the_reader_by_packet_size(make_clip: MakeClip) -> None:
    big_box = [
        "-f", "lavfi", "-i", "color=c=0x707070:size=640x360:rate=25",
        "-f", "lavfi", "-i", "testsrc2=size=120x200:rate=25",  # a textured object, as real ones are
        "-filter_complex", "[0][1]overlay=x='40+60*(t-13.3)':y=60:enable='gte(t,13.3)',noise=alls=6:allf=t",
    ]
    clip = make_clip("car.mp4", *big_box, *h264(20))
    with PyAVSource(clip) as source:
        samples = list(source.samples())
        stats = source.stats
    after_start = [s.time_s for s in samples if s.frame is not None and s.time_s > 1.0]
    assert 13.3 <= after_start[0] <= 13.5 + 1e-6
    assert stats.size_wakes == 1 and stats.replayed_gops == 1
    assert stats.keyframe_probes == 2  # at 4 and 12 s: the wake came before the next probe


def test_without_keyframe_skipping_every_frame_is_decoded(make_clip: MakeClip) -> None:
    clip = make_clip("scene.mp4", *STILL_THEN_MOTION, *h264(34))
    with PyAVSource(clip, SourceParams(keyframe_skipping=False)) as source:
        list(source.samples())
        assert source.stats.decoded_frames == 34 * 25
        assert source.stats.keyframe_probes == 0


def test_sample_clip_in_the_package_opens(sample_clip: Path) -> None:
    with PyAVSource(sample_clip) as source:
        assert source.info.width == 768 and source.info.height == 432
        assert source.info.duration_s == pytest.approx(139, abs=1.5)


def test_real_clip_list_matches_the_shared_folder(shared_footage: Path) -> None:
    for relative in REAL_CLIPS:
        assert (shared_footage / relative).is_file(), relative
