"""Make a recording playable in a browser's ``<video>`` (the PyAV adapter of the web app).

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
from collections.abc import Iterator
from contextlib import suppress
from dataclasses import dataclass
from fractions import Fraction
from itertools import chain
from pathlib import Path

import av
import av.error
from av.video.reformatter import VideoReformatter

from footage.errors import CorruptMediaError, MediaError, MediaNotFoundError, MediaOpenError

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
        stream = probe.streams.video[0]
        context = stream.codec_context
        codec = context.codec.canonical_name if context.codec else context.name
        first = next(_packets(probe, recording), None)
        has_pts = first is not None and (first.pts is not None or first.dts is not None)
        plan = playback_plan(recording.suffix, codec, context.format.name if context.format else None, has_pts=has_pts)
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


def _reason(exc: BaseException) -> str:
    return str(getattr(exc, "strerror", None) or exc).strip() or type(exc).__name__


def _open_input(recording: Path) -> av.container.InputContainer:
    """``recording`` opened for reading, with a video stream (checked)."""
    if not recording.is_file():
        raise MediaNotFoundError(recording, "no such file")
    try:
        # genpts: fill in the pts an AVI or raw stream leaves out, which the MP4 muxer needs
        container = av.open(str(recording), options={"fflags": "+genpts"}, metadata_errors="ignore")
    except FileNotFoundError as exc:  # PyAV's is a FileNotFoundError too: deleted since the check
        raise MediaNotFoundError(recording, "no such file") from exc
    except (av.error.FFmpegError, OSError, UnicodeDecodeError, ValueError) as exc:
        raise MediaOpenError(recording, f"cannot open as video ({_reason(exc)})") from exc
    if not container.streams.video:
        container.close()
        raise MediaOpenError(recording, "no video stream in the file")
    return container


def _open_output(part: Path, recording: Path) -> av.container.OutputContainer:
    try:
        part.parent.mkdir(parents=True, exist_ok=True)
        return av.open(str(part), "w", format="mp4", container_options=_MP4_OPTIONS)
    except (av.error.FFmpegError, OSError) as exc:
        raise MediaError(recording, f"cannot write the browser copy {part} ({_reason(exc)})") from exc


def _convert(recording: Path, target: Path, plan: str, source_ns: int) -> None:
    """Write ``target`` by ``plan`` through a temporary file beside it; give it the mtime ``source_ns``."""
    # one name per process and thread: no two writers share it; it ends in .mp4 for the muxer
    part = target.with_name(f"{target.stem}.{os.getpid()}-{threading.get_ident()}.part.mp4")
    try:
        with _open_input(recording) as source, _open_output(part, recording) as output:
            (_remux if plan == "remux" else _transcode)(source, output, recording)
        os.utime(part, ns=(source_ns, source_ns))
        os.replace(part, target)
        log.info("%s: %s into %s", recording, plan, target)
    except av.error.FFmpegError as exc:
        raise CorruptMediaError(recording, f"cannot {plan} it for the browser ({_reason(exc)})") from exc
    except OSError as exc:
        raise MediaError(recording, f"cannot write the browser copy {target} ({_reason(exc)})") from exc
    finally:
        with suppress(OSError):  # never hide the error that got us here
            part.unlink(missing_ok=True)


def _packets(source: av.container.InputContainer, recording: Path) -> Iterator[av.Packet]:
    """The first video stream's packets; a read error is :class:`CorruptMediaError`."""
    try:
        for packet in source.demux(source.streams.video[0]):
            if packet.size or packet.dts is not None:  # not the empty flush packet PyAV appends
                yield packet
    except av.error.EOFError:
        return
    except av.error.FFmpegError as exc:
        raise CorruptMediaError(recording, f"read error ({_reason(exc)})") from exc


def _remux(source: av.container.InputContainer, output: av.container.OutputContainer, recording: Path) -> None:
    """Copy the video packets, timestamps and all, into ``output`` (no re-encoding)."""
    stream = output.add_stream_from_template(source.streams.video[0])
    stream.codec_context.codec_tag = "\0\0\0\0"  # let the MP4 muxer pick its tag (an AVI's "H264" is refused)
    for packet in _packets(source, recording):
        packet.stream = stream
        output.mux(packet)


def _transcode(source: av.container.InputContainer, output: av.container.OutputContainer, recording: Path) -> None:
    """Decode the first video stream and encode it to H.264 yuv420p, frame timestamps unchanged."""
    decoder = source.streams.video[0]
    decoder.codec_context.thread_type = "AUTO"
    time_base = decoder.time_base or Fraction(1, 90_000)
    rate = decoder.average_rate or decoder.guessed_rate or Fraction(25)
    keyint = str(max(1, round(rate * 2)))  # a keyframe every 2 s, so that a seek decodes little
    encoder = output.add_stream("libx264", rate=rate, options={"preset": "veryfast", "crf": "23", "g": keyint})
    encoder.width, encoder.height = decoder.width + decoder.width % 2, decoder.height + decoder.height % 2  # yuv420p
    encoder.pix_fmt = "yuv420p"
    encoder.codec_context.time_base = time_base
    if decoder.sample_aspect_ratio:
        encoder.codec_context.sample_aspect_ratio = decoder.sample_aspect_ratio
    step = max(1, round(1 / (rate * time_base)))  # one frame, in time_base ticks
    scaler = VideoReformatter()
    last_pts: int | None = None
    frames = bad = 0
    for packet in chain(_packets(source, recording), [None]):
        try:
            decoded = decoder.codec_context.decode(packet)
        except av.error.FFmpegError as exc:
            bad += 1  # a damaged packet: skip it, as a browser or the indexer would
            log.debug("%s: undecodable packet at dts %s: %s", recording, getattr(packet, "dts", None), exc)
            continue
        for frame in decoded:
            pts = frame.pts
            if pts is None:
                pts = 0 if last_pts is None else last_pts + step
            elif last_pts is not None and pts <= last_pts:
                pts = last_pts + 1  # x264 needs strictly increasing pts
            last_pts = pts
            image = scaler.reformat(frame, format="yuv420p", width=encoder.width, height=encoder.height)
            image.pts, image.time_base = pts, time_base
            image.pict_type = av.video.frame.PictureType.NONE  # let x264 choose, not copy the source GOP
            output.mux(encoder.encode(image))
            frames += 1
    if not frames:
        raise CorruptMediaError(recording, f"no frame could be decoded ({bad} damaged packets)")
    output.mux(encoder.encode(None))
