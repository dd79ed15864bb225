"""Serving recordings to the browser: playable copies made on real clips (byte ranges are served by
Starlette's FileResponse, tested through the app in test_web_app.py)."""

from __future__ import annotations

import itertools
import os
import threading
import time
from pathlib import Path

import av
import av.error
import numpy as np
import pytest

from footage.errors import CorruptMediaError, MediaError, MediaNotFoundError, MediaOpenError
from footage.web import playable
from footage.web.playable import PlayableVideo, playable_video, playback_plan
from support.clips import MakeClip, h264

TESTSRC = ("-f", "lavfi", "-i", "testsrc2=size=320x240:rate=10")

# ------------------------------------------------------------------ the plan


@pytest.mark.parametrize(("container", "codec", "pix_fmt", "has_pts", "plan"), [
    (".mp4", "h264", None, True, "original"),
    (".MP4", "H264", None, True, "original"),
    ("mp4", "h264", "yuvj420p", True, "original"),
    (".mov", "h264", None, True, "original"),
    (".m4v", "h264", None, True, "original"),
    ("mov,mp4,m4a,3gp,3g2,mj2", "h264", None, True, "original"),
    (".mp4", "av1", None, True, "original"),
    (".mp4", "libdav1d", None, True, "original"),  # a decoder's name for the codec
    (".mp4", "vp9", None, True, "original"),
    (".webm", "vp8", None, True, "original"),
    (".webm", "vp9", "yuv420p10le", True, "original"),
    ("webm", "av1", None, True, "original"),
    (".mkv", "h264", None, True, "remux"),
    ("matroska,webm", "h264", None, True, "remux"),  # PyAV's name does not tell WebM from Matroska
    (".avi", "h264", None, True, "remux"),
    (".ts", "h264", None, True, "remux"),
    ("mpegts", "h264", None, True, "remux"),
    (".flv", "avc1", None, True, "remux"),
    (".webm", "h264", None, True, "remux"),
    (".mkv", "vp9", None, True, "remux"),
    (".mkv", "av1", None, True, "remux"),
    (".avi", "msmpeg4v3", None, True, "transcode"),
    (".avi", "mpeg4", None, True, "transcode"),
    (".avi", "mjpeg", None, True, "transcode"),
    (".mp4", "mpeg4", None, True, "transcode"),
    (".mp4", "hevc", None, True, "transcode"),
    (".mkv", "hevc", None, True, "transcode"),
    (".mkv", "vp8", None, True, "transcode"),  # VP8 does not go into MP4
    ("matroska,webm", "vp8", None, True, "transcode"),
    (".mp4", "vp8", None, True, "transcode"),
    (".mp4", "h264", "yuv420p10le", True, "transcode"),  # High 10 does not play
    (".mkv", "h264", "yuv444p", True, "transcode"),
    (".h264", "h264", None, False, "transcode"),  # a raw stream: no timestamps to copy
    ("", "h264", None, True, "remux"),
])
def test_playback_plan(container: str, codec: str, pix_fmt: str | None, has_pts: bool, plan: str) -> None:
    assert playback_plan(container, codec, pix_fmt, has_pts=has_pts) == plan


# ------------------------------------------------------------------ playable copies


def _packets(path: Path) -> list[tuple[int, float]]:
    """(size, time in s) of each video packet, in file order."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        return [(p.size, float(p.pts * stream.time_base)) for p in container.demux(stream)
                if p.size and p.pts is not None]


def _frame_times(path: Path) -> list[float]:
    with av.open(str(path)) as container:
        return [frame.time for frame in container.decode(video=0)]


def _images(path: Path) -> list[np.ndarray]:
    with av.open(str(path)) as container:
        return [frame.to_ndarray() for frame in container.decode(video=0)]


def _video(path: Path) -> tuple[str, str, int, int]:
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        return stream.codec_context.name, stream.codec_context.format.name, stream.width, stream.height


def test_mp4_h264_is_served_as_it_is(make_clip: MakeClip, tmp_path: Path) -> None:
    clip = make_clip("a.mp4", *TESTSRC, *h264(3))
    cache = tmp_path / "cache"
    assert playable_video(clip, cache, "a") == PlayableVideo(clip, "video/mp4", "original")
    assert not cache.exists()


def test_webm_vp8_is_served_as_it_is(make_clip: MakeClip, tmp_path: Path) -> None:
    clip = make_clip("a.webm", *TESTSRC, "-t", "2", "-c:v", "libvpx")
    assert playable_video(clip, tmp_path / "cache", "a") == PlayableVideo(clip, "video/webm", "original")


@pytest.mark.parametrize(("name", "args"), [
    ("ip-camera.mkv", h264(3)),
    ("b-frames.mkv", ["-t", "3", "-c:v", "libx264", "-pix_fmt", "yuv420p"]),  # first packets have no dts
    ("h264.avi", h264(3)),  # the AVI's "H264" tag is not an MP4 one
    ("late-start.ts", ["-output_ts_offset", "1.5", *h264(3)]),  # first frame at 1.5 s + the TS delay
])
def test_h264_in_another_container_is_remuxed_without_reencoding(make_clip: MakeClip, tmp_path: Path, name: str,
                                                                  args: list[str]) -> None:
    clip = make_clip(name, *TESTSRC, *args)
    video = playable_video(clip, tmp_path / "cache", "clip")
    assert video == PlayableVideo(tmp_path / "cache" / "clip.mp4", "video/mp4", "remux")
    assert _video(video.path)[0] == "h264"
    source, copy = _packets(clip), _packets(video.path)
    assert len(source) == len(copy) == 30
    # the same packets, not re-encoded: MP4 stores H.264 with 4-byte lengths where AVI and TS have
    # 3- or 4-byte start codes, so an Annex B packet may grow by a byte per NAL unit
    exact = clip.suffix == ".mkv"
    for (source_size, _), (copy_size, _) in zip(source, copy, strict=True):
        assert copy_size == source_size if exact else 0 <= copy_size - source_size <= 8
    assert _frame_times(video.path) == pytest.approx(_frame_times(clip), abs=1e-3)
    assert all(np.array_equal(a, b) for a, b in zip(_images(clip), _images(video.path), strict=True))
    assert sorted(p.name for p in (tmp_path / "cache").iterdir()) == ["clip.mp4"]


def _assert_transcoded(clip: Path, video: PlayableVideo, frames: int, size: tuple[int, int]) -> None:
    assert video.plan == "transcode" and video.media_type == "video/mp4"
    assert _video(video.path) == ("h264", "yuv420p", *size)
    source, copy = _frame_times(clip), _frame_times(video.path)
    assert len(source) == len(copy) == frames
    half_frame = 0.5 / 10
    assert max(abs(a - b) for a, b in zip(source, copy, strict=True)) < half_frame
    assert not list(video.path.parent.glob("*.part.mp4"))


def test_msmpeg4_avi_is_transcoded_with_the_same_frames_and_times(make_clip: MakeClip, tmp_path: Path) -> None:
    clip = make_clip("a.avi", *TESTSRC, "-t", "3", "-c:v", "msmpeg4v3")
    video = playable_video(clip, tmp_path / "cache", "a")
    assert video.path == tmp_path / "cache" / "a.mp4"
    _assert_transcoded(clip, video, 30, (320, 240))
    with av.open(str(video.path)) as container:  # +faststart: the index before the data
        assert container.streams.video[0].frames == 30
    head = video.path.read_bytes()[:4096]
    assert 0 <= head.find(b"moov") < max(head.find(b"mdat"), 4096)


@pytest.mark.parametrize(("name", "args"), [
    ("odd.avi", ["-t", "3", "-c:v", "mpeg4"]),
    ("odd-mjpeg.avi", ["-t", "3", "-c:v", "mjpeg"]),
    ("odd-444.mkv", ["-t", "3", "-c:v", "libx264", "-pix_fmt", "yuv444p"]),  # H.264 4:4:4 does not play
])
def test_odd_sized_video_is_transcoded_to_even_size(make_clip: MakeClip, tmp_path: Path, name: str,
                                                     args: list[str]) -> None:
    clip = make_clip(name, "-f", "lavfi", "-i", "testsrc=size=321x241:rate=10", *args)
    assert _video(clip)[2:] == (321, 241)
    _assert_transcoded(clip, playable_video(clip, tmp_path / "cache", "odd"), 30, (322, 242))


def test_vp8_in_matroska_is_transcoded(make_clip: MakeClip, tmp_path: Path) -> None:
    clip = make_clip("vp8.mkv", *TESTSRC, "-t", "3", "-c:v", "libvpx")
    _assert_transcoded(clip, playable_video(clip, tmp_path / "cache", "vp8"), 30, (320, 240))


def test_raw_h264_without_timestamps_gets_one_frame_apart(make_clip: MakeClip, tmp_path: Path) -> None:
    clip = make_clip("raw.h264", *TESTSRC, *h264(3))
    video = playable_video(clip, tmp_path / "cache", "raw")
    assert video.plan == "transcode"
    times = _frame_times(video.path)
    assert len(times) == 30
    assert times[0] == 0.0
    steps = {round(b - a, 6) for a, b in itertools.pairwise(times)}
    assert len(steps) == 1 and steps.pop() > 0  # FFmpeg reads a raw stream at its default 25 fps


def test_the_copy_is_reused_until_the_recording_changes(make_clip: MakeClip, tmp_path: Path) -> None:
    clip = make_clip("a.avi", *TESTSRC, "-t", "2", "-c:v", "msmpeg4v3")
    first = playable_video(clip, tmp_path / "cache", "a")
    made = first.path.stat()
    assert made.st_mtime_ns == clip.stat().st_mtime_ns
    again = playable_video(clip, tmp_path / "cache", "a")
    assert again == first
    assert (again.path.stat().st_mtime_ns, again.path.stat().st_ino) == (made.st_mtime_ns, made.st_ino)
    later = clip.stat().st_mtime_ns + 10**9
    os.utime(clip, ns=(later, later))  # the recording was rewritten: the copy is made again
    remade = playable_video(clip, tmp_path / "cache", "a")
    assert remade.path.stat().st_mtime_ns == later
    assert remade.path.stat().st_ino != made.st_ino


def test_concurrent_requests_convert_once(make_clip: MakeClip, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    clip = make_clip("a.avi", *TESTSRC, "-t", "3", "-c:v", "msmpeg4v3")
    calls: list[str] = []
    real_convert = playable._convert

    def counting_convert(*args: object) -> None:
        calls.append("convert")
        real_convert(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(playable, "_convert", counting_convert)
    results: list[PlayableVideo] = []
    threads = [threading.Thread(target=lambda: results.append(playable_video(clip, tmp_path / "cache", "a")))
               for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 4 and len(set(results)) == 1
    assert calls == ["convert"]
    assert [p.name for p in (tmp_path / "cache").iterdir()] == ["a.mp4"]


def test_missing_recording_leaves_nothing(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    with pytest.raises(MediaNotFoundError) as caught:
        playable_video(tmp_path / "gone.avi", cache, "gone")
    assert caught.value.path == tmp_path / "gone.avi"
    assert not cache.exists() or not list(cache.iterdir())


@pytest.mark.parametrize("content", [b"", b"RIFF" + os.urandom(4000), os.urandom(5000)])
def test_corrupt_recording_leaves_nothing(tmp_path: Path, content: bytes) -> None:
    clip = tmp_path / "garbage.avi"
    clip.write_bytes(content)
    cache = tmp_path / "cache"
    with pytest.raises(MediaOpenError) as caught:
        playable_video(clip, cache, "garbage")
    assert "\n" not in str(caught.value)
    assert not cache.exists() or not list(cache.iterdir())


def test_failure_part_way_removes_the_partial_copy(make_clip: MakeClip, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    clip = make_clip("a.avi", *TESTSRC, "-t", "2", "-c:v", "msmpeg4v3")
    cache = tmp_path / "cache"
    seen: list[str] = []
    real_transcode = playable.transcode_into

    def failing_transcode(*args: object) -> None:
        real_transcode(*args)  # type: ignore[arg-type]
        seen.extend(p.name for p in cache.iterdir())
        raise av.error.InvalidDataError(-1094995529, "Invalid data found when processing input")

    monkeypatch.setattr(playable, "transcode_into", failing_transcode)
    with pytest.raises(CorruptMediaError, match="Invalid data"):
        playable_video(clip, cache, "a")
    assert len(seen) == 1 and seen[0].startswith("a.") and seen[0].endswith(".part.mp4")
    assert not list(cache.iterdir())


def test_unwritable_cache_is_a_media_error(make_clip: MakeClip, tmp_path: Path) -> None:
    clip = make_clip("a.avi", *TESTSRC, "-t", "1", "-c:v", "msmpeg4v3")
    not_a_folder = tmp_path / "cache"
    not_a_folder.write_text("a file where the cache folder should be")
    with pytest.raises(MediaError, match="cannot write"):
        playable_video(clip, not_a_folder, "a")
    cache = tmp_path / "cache2"
    (cache / "a.mp4").mkdir(parents=True)  # a folder where the copy should go: os.replace fails
    with pytest.raises(MediaError, match="cannot write"):
        playable_video(clip, cache, "a")
    assert [p.name for p in cache.iterdir()] == ["a.mp4"]


@pytest.mark.parametrize("key", ["", "../a", "a/b", ".hidden", "a b"])
def test_unsafe_key_is_refused(sample_clip: Path, tmp_path: Path, key: str) -> None:
    with pytest.raises(ValueError):
        playable_video(sample_clip, tmp_path, key)


@pytest.mark.slow
def test_pets09_is_transcoded_whole(shared_footage: Path, tmp_path: Path) -> None:
    clip = shared_footage / "pets09_s2l1" / "vtest.avi"
    started = time.perf_counter()
    video = playable_video(clip, tmp_path / "cache", "pets09")
    took_s = time.perf_counter() - started
    print(f"PETS09 S2L1 (795 frames, 768x576 MS-MPEG4, 79.5 s) transcoded in {took_s:.1f} s")
    assert video.plan == "transcode"
    with av.open(str(video.path)) as container:
        stream = container.streams.video[0]
        assert stream.frames == 795
        assert float(stream.duration * stream.time_base) == pytest.approx(79.5, abs=0.1)
    _assert_transcoded(clip, video, 795, (768, 576))
