"""Make a recording playable in a browser's ``<video>`` (FFmpeg's side is :mod:`footage.media.h264`).

Chromium plays H.264, VP9 and AV1 in MP4, and VP8, VP9 and AV1 in WebM; not AVI, Matroska only
unreliably, and not MPEG-4 part 2, MS-MPEG4, MJPEG or HEVC at all. :func:`playback_plan` (pure)
chooses to serve a recording as it is, remux it (copy the video packets into MP4: milliseconds) or
transcode it (re-encode to H.264: PETS09's 80 s of 768x576 took 5 s on two cores).

:func:`playable_video` writes ``cache_dir/{key}.mp4`` under a temporary name and moves it into
place (``os.replace``), so a half-written copy is never served; a lock per copy makes concurrent
requests in one process convert once. The copy takes the recording's mtime and is remade when the
recording is newer. Only the first video stream is kept (no audio), with the source's timestamps:
time T s (``pts * time_base``) in the recording is time T s in the copy.
"""

from __future__ import annotations

import logging
import os
import re
import threading
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from footage.errors import CorruptMediaError, MediaError, MediaNotFoundError
from footage.media.errors import ffmpeg_errors, reason
from footage.media.h264 import remux_into, transcode_into
from footage.media.input import Input, open_input
from footage.media.output import Mp4Output

__all__ = ["PlayableVideo", "playable_video", "playback_plan"]

log = logging.getLogger(__name__)

_MP4_NAMES = frozenset({"mp4", "m4v", "mov"})
_MP4_CODECS = frozenset({"h264", "vp9", "av1"})  # what Chromium plays in MP4, and FFmpeg can put there
_WEBM_CODECS = frozenset({"vp8", "vp9", "av1"})
_H264_PIX_FMTS = frozenset({"yuv420p", "yuvj420p", "nv12"})  # 8-bit 4:2:0: High 10 / 4:4:4 do not play
_CODEC_ALIASES = {"avc": "h264", "avc1": "h264", "libdav1d": "av1", "libaom-av1": "av1", "av01": "av1",
                  "libvpx": "vp8", "libvpx-vp9": "vp9", "h265": "hevc"}
_KEY = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9_.-]*")
_MP4_OPTIONS = {"movflags": "+faststart"}  # the index first, so playback starts before the download ends

_locks: dict[str, threading.Lock] = {}
_locks_guard = threading.Lock()


@dataclass(frozen=True)
class PlayableVideo:
    """A file a browser can play: ``media_type`` is ``video/mp4`` or ``video/webm``; ``plan`` is
    how it was obtained (``original``, ``remux`` or ``transcode``)."""

    path: Path
    media_type: str
    plan: str


def _container_kind(container: str) -> str:
    """``mp4``, ``webm`` or ``other`` for a suffix (``.mp4``) or a PyAV format name (``mov,mp4,...``)."""
    names = {name.strip().lstrip(".").lower() for name in container.split(",")}
    if names & _MP4_NAMES:
        return "mp4"
    # PyAV names Matroska and WebM alike ("matroska,webm"): only a .webm suffix says WebM
    return "webm" if names == {"webm"} else "other"


def playback_plan(container: str, codec: str, pix_fmt: str | None = None, *, has_pts: bool = True) -> str:
    """How to play a recording in Chromium: ``original``, ``remux`` (into MP4) or ``transcode`` (to H.264).

    ``container`` is the file suffix (``.mkv``) or PyAV's format name; ``codec`` the video codec
    (``h264``, ``hevc``, ``msmpeg4v3``; decoder names such as ``libdav1d`` are understood).
    ``pix_fmt``, when given, sends H.264 that is not 8-bit 4:2:0 to be transcoded; ``has_pts=False``
    (packets without timestamps, as in a raw ``.h264`` stream) too, as there are no times to copy."""
    kind = _container_kind(container)
    name = codec.strip().lower()
    name = _CODEC_ALIASES.get(name, name)
    if name == "h264" and pix_fmt is not None and pix_fmt not in _H264_PIX_FMTS:
        return "transcode"
    if (kind == "mp4" and name in _MP4_CODECS) or (kind == "webm" and name in _WEBM_CODECS):
        return "original"
    return "remux" if name in _MP4_CODECS and has_pts else "transcode"


def playable_video(recording: Path, cache_dir: Path, key: str) -> PlayableVideo:
    """A browser-playable form of ``recording``: the file itself, or ``cache_dir/{key}.mp4``.

    ``key`` names the copy (letters, digits, ``_ - .``); it must differ between recordings. The
    copy is made when missing or older than the recording; this blocks for the conversion.
    Raises :class:`MediaNotFoundError` when the recording is gone, :class:`MediaOpenError` when it
    is not a video, :class:`CorruptMediaError` when it breaks off or cannot be converted, and
    :class:`MediaError` when the cache cannot be written. No partial file is left behind."""
    if not _KEY.fullmatch(key):
        raise ValueError(f"not a usable cache key: {key!r}")
    recording = Path(recording)
    with _open_input(recording) as probe:
        first = next(probe.packets(), None)
        has_pts = first is not None and (first.pts is not None or first.dts is not None)
        plan = playback_plan(recording.suffix, probe.codec_name, probe.pix_fmt, has_pts=has_pts)
    if plan == "original":
        kind = _container_kind(recording.suffix)
        return PlayableVideo(recording, "video/webm" if kind == "webm" else "video/mp4", plan)
    target = Path(cache_dir) / f"{key}.mp4"
    with _lock_for(target):
        source_ns = _mtime_ns(recording)
        if not (target.is_file() and target.stat().st_mtime_ns >= source_ns):
            _convert(recording, target, plan, source_ns)
    return PlayableVideo(target, "video/mp4", plan)


def _lock_for(target: Path) -> threading.Lock:
    with _locks_guard:
        return _locks.setdefault(str(target.resolve()), threading.Lock())


def _mtime_ns(recording: Path) -> int:
    try:
        return recording.stat().st_mtime_ns
    except FileNotFoundError as exc:
        raise MediaNotFoundError(recording, "no such file") from exc


def _open_input(recording: Path) -> Input:
    """``recording`` opened for reading, with a video stream (checked), missing pts filled in."""
    if not recording.is_file():
        raise MediaNotFoundError(recording, "no such file")
    return open_input(recording, genpts=True)


def _unwritable(recording: Path, path: Path) -> Callable[[str], MediaError]:
    return lambda why: MediaError(recording, f"cannot write the browser copy {path} ({why})")


def _convert(recording: Path, target: Path, plan: str, source_ns: int) -> None:
    """Write ``target`` by ``plan`` through a temporary file beside it; give it the mtime ``source_ns``."""
    # one name per process and thread: no two writers share it; it ends in .mp4 for the muxer
    part = target.with_name(f"{target.stem}.{os.getpid()}-{threading.get_ident()}.part.mp4")
    convert = remux_into if plan == "remux" else transcode_into
    try:
        with (ffmpeg_errors(lambda why: CorruptMediaError(recording, f"cannot {plan} it for the browser ({why})")),
              _open_input(recording) as source, _open_output(part, recording) as output):
            convert(source, output)
        os.utime(part, ns=(source_ns, source_ns))
        os.replace(part, target)
        log.info("%s: %s into %s", recording, plan, target)
    except OSError as exc:
        raise _unwritable(recording, target)(reason(exc)) from exc
    finally:
        with suppress(OSError):  # never hide the error that got us here
            part.unlink(missing_ok=True)


def _open_output(part: Path, recording: Path) -> Mp4Output:
    with ffmpeg_errors(_unwritable(recording, part), os_errors="translate"):
        part.parent.mkdir(parents=True, exist_ok=True)
        return Mp4Output(part, _MP4_OPTIONS, container_only=True)
