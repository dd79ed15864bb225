"""Stream-copy export: exact start and end with and without B-frames, joined pieces, stripped
metadata, no audio, nothing left behind on failure, and the speed on 1080p H.264."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from pathlib import Path

import av
import numpy as np
import numpy.typing as npt
import pytest

from footage.errors import FootageError, MediaError, MediaNotFoundError, MediaOpenError
from footage.export.copy import CopyReport, Piece, StreamCopyError, copy_pieces
from footage.export.span_cut import SpanCut, with_decode_times
from footage.media.edit_list import set_presentation_duration
from support.clips import MakeClip, h264

FPS = 25
FRAME_S = 1 / FPS
SMALL = "testsrc2=size=320x240:rate=25"


def encoder(seconds: float, bframes: int) -> list[str]:
    """Camera-like H.264, GOP 50 (a keyframe every 2 s); with ``bframes`` > 0 a B-frame pyramid."""
    args = h264(seconds)
    args[args.index("-bf") + 1] = str(bframes)
    return args


def decoded(path: Path) -> list[tuple[float, npt.NDArray[np.uint8]]]:
    """(seconds, grey image) of every frame PyAV shows."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        assert stream.time_base is not None
        return [(float(frame.pts * stream.time_base), frame.to_ndarray(format="gray"))  # type: ignore[misc]
                for frame in container.decode(stream)]


def probe(path: Path) -> dict:
    """ffprobe's view of the file: format, streams and the shown video frames."""
    ffprobe = shutil.which("ffprobe")
    if ffprobe is None:
        pytest.skip("ffprobe is not installed")
    out = subprocess.run([ffprobe, "-v", "error", "-of", "json", "-show_format", "-show_streams", "-show_entries",
                          "frame=pts_time,pict_type", str(path)], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def assert_frames_are(out: Path, expected: list[npt.NDArray[np.uint8]]) -> None:
    """The clip shows exactly ``expected`` (pixel for pixel), one frame interval apart from 0 s."""
    shown = decoded(out)
    assert len(shown) == len(expected)
    assert [round(t / FRAME_S) for t, _ in shown] == list(range(len(expected)))
    for (_, image), want in zip(shown, expected, strict=True):
        assert np.abs(image.astype(int) - want.astype(int)).mean() < 0.5
    frames = [f for f in probe(out)["frames"] if "pts_time" in f]
    assert len(frames) == len(expected)
    assert float(frames[0]["pts_time"]) == pytest.approx(0.0, abs=1e-6)


def check_report(report: CopyReport, frames: int, lead_frames: int) -> None:
    assert report.frames == frames
    assert report.duration_s == pytest.approx(frames * FRAME_S, abs=1e-9)
    assert report.keyframe_lead_s == pytest.approx(lead_frames * FRAME_S, abs=1e-9)
    info = probe(report.path)
    assert float(info["format"]["duration"]) == pytest.approx(frames * FRAME_S, abs=1e-3)
    assert len(info["streams"]) == 1


@pytest.mark.parametrize("bframes", [0, 3])
def test_single_piece_starts_and_ends_on_the_frames_asked_for(make_clip: MakeClip, tmp_path: Path, bframes: int) -> None:
    source = make_clip(f"cam-bf{bframes}.mp4", "-f", "lavfi", "-i", SMALL, *encoder(10, bframes))
    if bframes:
        assert "B" in {f.get("pict_type") for f in probe(source)["frames"]}, "the source should have B-frames"
    images = [image for _, image in decoded(source)]
    # starts between keyframes (at 0, 50, 100, ...); ends on, before and inside runs of B-frames
    for first, stop in [(61, 87), (60, 85), (49, 52), (101, 102), (137, 199)]:
        out = tmp_path / f"clip-{first}-{stop}.mp4"
        report = copy_pieces([Piece(source, first * FRAME_S, stop * FRAME_S)], out)
        assert report.path == out
        check_report(report, stop - first, first - first // 50 * 50)
        assert_frames_are(out, images[first:stop])


@pytest.mark.parametrize("suffix", ["mkv", "ts"])
def test_matroska_and_mpeg_ts_recordings_with_b_frames(make_clip: MakeClip, tmp_path: Path, suffix: str) -> None:
    # Matroska has no decode times (FFmpeg derives all but the first few after a keyframe); MPEG-TS
    # starts at 1.4 s, not 0: pieces are in the recording's own media seconds, as the index stores them
    source = make_clip(f"cam.{suffix}", "-f", "lavfi", "-i", SMALL, *encoder(6, 3))
    shown = decoded(source)
    out = tmp_path / "clip.mp4"
    report = copy_pieces([Piece(source, shown[61][0], shown[87][0])], out)
    check_report(report, 26, 11)
    assert_frames_are(out, [image for _, image in shown[61:87]])


def test_times_between_frames_keep_the_frames_inside_the_span(make_clip: MakeClip, tmp_path: Path) -> None:
    source = make_clip("cam.mp4", "-f", "lavfi", "-i", SMALL, *encoder(4, 0))
    images = [image for _, image in decoded(source)]
    out = tmp_path / "clip.mp4"
    report = copy_pieces([Piece(source, 10.5 * FRAME_S, 20.5 * FRAME_S)], out)  # frames 11..20
    check_report(report, 10, 11)
    assert_frames_are(out, images[11:21])


def test_a_span_from_a_keyframe_has_no_lead(make_clip: MakeClip, tmp_path: Path) -> None:
    source = make_clip("cam.mp4", "-f", "lavfi", "-i", SMALL, *encoder(6, 3))
    images = [image for _, image in decoded(source)]
    out = tmp_path / "clip.mp4"
    report = copy_pieces([Piece(source, 2.0, 3.0)], out)
    check_report(report, 25, 0)
    assert_frames_are(out, images[50:75])


def test_a_span_past_the_end_stops_at_the_last_frame(make_clip: MakeClip, tmp_path: Path) -> None:
    source = make_clip("cam.mp4", "-f", "lavfi", "-i", SMALL, *encoder(4, 3))
    images = [image for _, image in decoded(source)]
    out = tmp_path / "clip.mp4"
    check_report(copy_pieces([Piece(source, 3.0, 9.0)], out), 25, 25)
    assert_frames_are(out, images[75:])


@pytest.mark.parametrize("bframes", [0, 3])
def test_two_recordings_join_with_continuous_times(make_clip: MakeClip, tmp_path: Path, bframes: int) -> None:
    # one camera, two files: the second begins where the first ends (a different picture, to tell them apart)
    first = make_clip("cam-1.mp4", "-f", "lavfi", "-i", SMALL, *encoder(4, bframes))
    second = make_clip("cam-2.mp4", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25", *encoder(4, bframes))
    first_images = [image for _, image in decoded(first)]
    second_images = [image for _, image in decoded(second)]
    out = tmp_path / "clips" / "moment.mp4"
    out.parent.mkdir()
    report = copy_pieces([Piece(first, 2.5, 4.0), Piece(second, 0.0, 1.5)], out)
    check_report(report, 75, 13)  # frames 63..99 of the first file, 0..37 of the second
    assert_frames_are(out, first_images[63:] + second_images[:38])
    assert sorted(p.name for p in out.parent.iterdir()) == ["moment.mp4"]


def test_recordings_of_another_size_cannot_be_joined(make_clip: MakeClip, tmp_path: Path) -> None:
    first = make_clip("big.mp4", "-f", "lavfi", "-i", SMALL, *encoder(2, 0))
    second = make_clip("small.mp4", "-f", "lavfi", "-i", "testsrc2=size=160x120:rate=25", *encoder(2, 0))
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    with pytest.raises(StreamCopyError) as caught:
        copy_pieces([Piece(first, 1.0, 2.0), Piece(second, 0.0, 1.0)], out_dir / "clip.mp4")
    assert isinstance(caught.value, MediaError)
    assert caught.value.path == second
    assert "160x120" in str(caught.value) and "320x240" in str(caught.value) and "\n" not in str(caught.value)
    assert list(out_dir.iterdir()) == []


def test_source_metadata_and_audio_are_left_out(make_clip: MakeClip, tmp_path: Path) -> None:
    source = make_clip(
        "phone.mp4", "-f", "lavfi", "-i", SMALL, "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
        *encoder(4, 0), "-c:a", "aac", "-shortest",
        "-metadata", "title=secret", "-metadata", "location=+52.5+013.4/", "-metadata", "creation_time=2026-01-01T00:00:00Z",
        "-metadata:s:v", "handler_name=SecretCam", "-metadata:s:a", "handler_name=SecretMic",
    )
    before = json.dumps(probe(source))
    assert "secret" in before and "52.5" in before and "2026" in before and "audio" in before
    out = tmp_path / "clip.mp4"
    copy_pieces([Piece(source, 0.5, 3.5)], out)
    info = probe(out)
    assert [s["codec_type"] for s in info["streams"]] == ["video"]
    tags = {**info["format"].get("tags", {}), **info["streams"][0].get("tags", {})}
    text = json.dumps(tags).lower()
    for leak in ("secret", "52.5", "013.4", "2026", "creation_time", "location", "title", "encoder", "lavf", "lavc"):
        assert leak not in text, f"{leak!r} in the clip's tags {tags}"


def bad_request(case: str, tmp_path: Path, clip: Path, other: Path) -> tuple[list[Piece], Path, type[Exception], str]:
    out = tmp_path / "out" / "clip.mp4"
    (tmp_path / "not-a-video.mp4").write_text("hello")
    (tmp_path / "empty.mp4").write_bytes(b"")
    (tmp_path / "a-file").write_text("x")
    (tmp_path / "out" / "taken.mp4").mkdir()
    return {
        "missing recording": ([Piece(tmp_path / "gone.mp4", 0, 1)], out, MediaNotFoundError, "no such file"),
        "not a video": ([Piece(tmp_path / "not-a-video.mp4", 0, 1)], out, MediaOpenError, "cannot open"),
        "empty file": ([Piece(tmp_path / "empty.mp4", 0, 1)], out, MediaOpenError, "empty"),
        "start after the end": ([Piece(clip, 4.0, 5.0)], out, FootageError, "after the recording ends"),
        "end before start": ([Piece(clip, 2.0, 1.0)], out, FootageError, "does not end after it starts"),
        "empty span": ([Piece(clip, 1.0, 1.0)], out, FootageError, "does not end after it starts"),
        "no frame in span": ([Piece(clip, 1.001, 1.002)], out, FootageError, "no frame in the span"),
        "no such folder": ([Piece(clip, 0, 1)], tmp_path / "nowhere" / "clip.mp4", FootageError, "cannot write"),
        "folder is a file": ([Piece(clip, 0, 1)], tmp_path / "a-file" / "clip.mp4", FootageError, "cannot write"),
        "out is a folder": ([Piece(clip, 0, 1)], tmp_path / "out" / "taken.mp4", FootageError, "cannot write"),
        "second piece between keyframes": ([Piece(clip, 1, 4), Piece(other, 0.5, 1)], out, StreamCopyError, "keyframe"),
        "nothing asked": ([], out, FootageError, "no pieces"),
    }[case]


@pytest.mark.parametrize("case", [
    "missing recording", "not a video", "empty file", "start after the end", "end before start", "empty span",
    "no frame in span", "no such folder", "folder is a file", "out is a folder", "second piece between keyframes",
    "nothing asked",
])
def test_bad_requests_raise_one_line_and_leave_nothing(make_clip: MakeClip, tmp_path: Path, case: str) -> None:
    (tmp_path / "out").mkdir()
    clip = make_clip("cam.mp4", "-f", "lavfi", "-i", SMALL, *encoder(4, 0))
    other = make_clip("cam-2.mp4", "-f", "lavfi", "-i", SMALL, *encoder(4, 0))
    pieces, out, error, words = bad_request(case, tmp_path, clip, other)
    before = sorted(tmp_path.rglob("*"))
    with pytest.raises(error) as caught:
        copy_pieces(pieces, out)
    assert words in str(caught.value) and "\n" not in str(caught.value)
    assert sorted(tmp_path.rglob("*")) == before, "a failed export left a file behind"


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_folder_is_one_line(make_clip: MakeClip, tmp_path: Path) -> None:
    clip = make_clip("cam.mp4", "-f", "lavfi", "-i", SMALL, *encoder(2, 0))
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        with pytest.raises(FootageError, match=r"cannot write .*not writable"):
            copy_pieces([Piece(clip, 0.0, 1.0)], folder / "clip.mp4")
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o755)


def test_span_cut_keeps_what_b_frames_need_and_no_more() -> None:
    # decode order of I0 P3 B1 B2 P6 B4 B5 P9 B7 B8 (pts in frames, dts = position - 1)
    order = [0, 3, 1, 2, 6, 4, 5, 9, 7, 8]
    cut: SpanCut[int] = SpanCut(start_pts=2, end_pts=5)
    kept: list[int] = []
    for dts, pts in enumerate(order, start=-1):
        kept += cut.push(pts, pts, dts, 1)
        if cut.finished:
            break
    kept += cut.finish()
    assert kept == [0, 3, 1, 2, 6, 4]  # P6 stays, hidden, because B4 needs it; B5 and later go
    assert (cut.zero_pts, cut.end_shown_pts, cut.frames, cut.hidden_tail, cut.lead_pts) == (2, 5, 3, 1, 2)


def test_missing_decode_times_are_filled_in_below_the_first_known() -> None:
    # what FFmpeg gives for Matroska with B-frames: no dts for the first two packets
    packets = [("I", 0, None), ("P", 120, None), ("B", 40, 0), ("B", 80, 40), ("P", 200, 80), ("B", 160, None)]
    filled = list(with_decode_times(packets, 40))
    assert [(name, dts) for name, _, dts in filled] == [("I", -80), ("P", -40), ("B", 0), ("B", 40), ("P", 80), ("B", 81)]
    assert [dts for _, _, dts in with_decode_times([("I", 0, None), ("P", 40, None)], 40)] == [-40, 0]


def test_edit_list_rewrite_refuses_what_it_does_not_understand() -> None:
    with pytest.raises(ValueError, match="moov"):
        set_presentation_duration(b"\x00\x00\x00\x08free", 10)
    with pytest.raises(ValueError, match="malformed"):
        set_presentation_duration(b"\x00\x00\x00\x10moov\x00\x00\x00\x20mvhd", 10)


def test_speed_on_a_minute_of_1080p(make_clip: MakeClip, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = make_clip("hd.mp4", "-f", "lavfi", "-i", "testsrc2=size=1920x1080:rate=25", "-t", "60", "-c:v", "libx264",
                       "-preset", "ultrafast", "-g", "50", "-keyint_min", "50", "-sc_threshold", "0", "-pix_fmt", "yuv420p")
    out = tmp_path / "hd-clip.mp4"
    began = time.perf_counter()
    report = copy_pieces([Piece(source, 0.0, 60.0)], out)
    elapsed = time.perf_counter() - began
    assert report.frames == 1500
    with capsys.disabled():
        size_mb = source.stat().st_size / 1e6
        print(f"\nstream copy of 60 s of 1080p H.264 ({size_mb:.0f} MB): {elapsed:.3f} s, "
              f"{report.duration_s / elapsed:.0f}x real time")
