"""Recordings and camera streams opened for reading: the first video stream of a file or an RTSP
URL, its packets (the one demux loop), seeking, and its decoder.

Errors are footage's: :func:`open_input` raises :class:`MediaNotFoundError` or
:class:`MediaOpenError`, :class:`UnsupportedCodecError` comes from :meth:`Input.require_decoder`,
and a read error part-way is whatever the caller's ``error`` makes of FFmpeg's reason
(:class:`CorruptMediaError` naming the file unless it says otherwise).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path

import av

from footage.errors import CorruptMediaError, MediaError, MediaNotFoundError, MediaOpenError, UnsupportedCodecError
from footage.media.errors import FFMPEG_ERRORS, ErrorFactory, ffmpeg_errors, is_eof, reason
from footage.types import RecordingInfo

__all__ = ["Input", "Packet", "VideoFrame", "open_camera", "open_input"]

log = logging.getLogger(__name__)

#: a compressed frame as demuxed (opaque outside footage.media: read its ``pts``, ``dts``,
#: ``time_base``, ``duration``, ``size``, ``is_keyframe``, ``is_corrupt``; set its times)
Packet = av.Packet
#: a decoded picture (opaque outside footage.media: read its ``pts``, ``time``, ``width``,
#: ``height``, ``is_corrupt``; turn it into pixels with :mod:`footage.media.pictures`)
VideoFrame = av.VideoFrame

#: what av.open raises for a file that is not a video (FFmpeg's errors, bad metadata, ...)
_OPEN_ERRORS: tuple[type[Exception], ...] = (*FFMPEG_ERRORS, OSError, UnicodeDecodeError, ValueError)
#: what a demuxer raises part-way
_READ_ERRORS: tuple[type[Exception], ...] = (*FFMPEG_ERRORS, OSError)


def open_input(path: Path | str, *, genpts: bool = False, error: ErrorFactory | None = None) -> Input:
    """The recording at ``path`` opened for reading (use as a context manager). ``genpts`` fills
    in the pts an AVI or raw stream leaves out (which the MP4 muxer needs). Raises
    :class:`MediaNotFoundError` or :class:`MediaOpenError` (not a video, empty, no video
    stream), or ``error(reason)`` when given (a clip footage wrote, named as the caller says)."""
    try:
        return _open(Path(path), genpts)
    except MediaError as exc:
        if error is None:
            raise
        raise error(exc.reason) from exc


def _open(path: Path, genpts: bool) -> Input:
    if not path.exists():
        raise MediaNotFoundError(path, "no such file")
    if path.is_file() and path.stat().st_size == 0:
        raise MediaOpenError(path, "empty file (0 bytes)")
    options = {"fflags": "+genpts"} if genpts else None
    try:
        container = av.open(str(path), options=options, metadata_errors="ignore")
    except FileNotFoundError as exc:  # PyAV's is a FileNotFoundError too: deleted since the check
        raise MediaNotFoundError(path, "no such file") from exc
    except _OPEN_ERRORS as exc:
        raise MediaOpenError(path, f"cannot open as video ({reason(exc)})") from exc
    if not container.streams.video:
        container.close()
        raise MediaOpenError(path, "no video stream in the file")
    return Input(path, container)


def open_camera(url: str, timeout_s: float, error: ErrorFactory) -> Input | None:
    """An RTSP stream over TCP, every socket read bounded by ``timeout_s``, or None when it has no
    video stream. A stream that cannot be opened raises ``error(reason)`` (the URL may hold a
    password: the caller says what to show of it)."""
    options = {"rtsp_transport": "tcp", "timeout": str(int(timeout_s * 1_000_000))}
    with ffmpeg_errors(error, os_errors="translate"):
        container = av.open(url, options=options, timeout=(timeout_s, timeout_s))
    if not container.streams.video:
        container.close()
        return None
    return Input(Path(url), container)


class Input:
    """An opened recording: its first video stream (``path`` names it in errors)."""

    def __init__(self, path: Path, container: av.container.InputContainer) -> None:
        self.path = path
        self._container = container
        self._stream = container.streams.video[0]
        self._codec = self._stream.codec_context

    def __enter__(self) -> Input:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self._container.close()

    # ------------------------------------------------------------------ what it holds

    @property
    def stream(self) -> av.video.stream.VideoStream:
        """The video stream, for :mod:`footage.media` (a template to copy, a decoder to read)."""
        return self._stream

    @property
    def time_base(self) -> Fraction:
        return self._stream.time_base or Fraction(1, 90_000)

    @property
    def start_pts(self) -> int:
        """The stream's first presentation time (0 when the container does not say)."""
        return self._stream.start_time or 0

    @property
    def frame_rate(self) -> Fraction | None:
        rate = self._stream.average_rate or self._stream.guessed_rate
        return Fraction(rate) if rate else None

    @property
    def width(self) -> int:
        return self._stream.width

    @property
    def height(self) -> int:
        return self._stream.height

    @property
    def codec_name(self) -> str:
        """The decoder's canonical name (``h264``, ``msmpeg4v3``), or the stream's codec name."""
        codec = self._codec.codec
        return codec.canonical_name if codec else self._codec.name

    @property
    def pix_fmt(self) -> str | None:
        return self._codec.format.name if self._codec.format else None

    @property
    def end_s(self) -> float | None:
        """Where the recording ends in its media seconds, when the container says."""
        stream, container = self._stream, self._container
        if stream.duration is not None:
            return float((self.start_pts + stream.duration) * self.time_base)
        if container.duration is not None:
            return ((container.start_time or 0) + container.duration) / av.time_base
        return None

    @property
    def extradata(self) -> bytes | None:
        """The codec's settings (H.264's SPS and PPS): pieces must share them to be joined."""
        return self._codec.extradata

    def describe(self) -> str:
        """Codec and frame size, e.g. ``h264 1920x1080``."""
        return f"{self._codec.name} {self._stream.width}x{self._stream.height}"

    def require_decoder(self) -> None:
        """Raise :class:`UnsupportedCodecError` unless this FFmpeg can decode the stream."""
        if self._codec is None or self._codec.codec is None:
            raise UnsupportedCodecError(self.path, "no decoder for its video codec in this FFmpeg build")
        if not self._stream.width or not self._stream.height:
            raise UnsupportedCodecError(self.path, f"video stream has no frame size (codec {self._codec.name})")

    def info(self) -> RecordingInfo:
        """What the container says of the recording (no frame decoded)."""
        stream = self._stream
        duration_s = 0.0
        if stream.duration is not None and stream.time_base is not None:
            duration_s = float(stream.duration * stream.time_base)
        elif self._container.duration is not None:
            duration_s = self._container.duration / av.time_base
        creation = self._container.metadata.get("creation_time") or stream.metadata.get("creation_time")
        return RecordingInfo(
            path=str(self.path),
            size_bytes=self.path.stat().st_size,
            duration_s=duration_s,
            width=stream.width,
            height=stream.height,
            codec=self._codec.name,
            time_base=Fraction(stream.time_base) if stream.time_base else Fraction(1, 90_000),
            frame_rate=self.frame_rate,
            creation_utc=creation,
        )

    # ------------------------------------------------------------------ packets

    def packets(self, error: ErrorFactory | None = None) -> Iterator[Packet]:
        """The video stream's packets in decode order from where the file stands (the empty flush
        packet PyAV appends is left out; FFmpeg's end of file ends them). A read error raises
        ``error(reason)``, by default :class:`CorruptMediaError` ``read error (...)``."""
        iterator = self._container.demux(self._stream)
        while True:
            try:
                packet = next(iterator)
            except StopIteration:
                return
            except _READ_ERRORS as exc:
                if is_eof(exc):
                    return
                raise (error or self._read_error)(reason(exc)) from exc
            if packet.size == 0 and packet.dts is None:
                continue  # the flush packet PyAV appends at the end
            yield packet

    def _read_error(self, why: str) -> CorruptMediaError:
        return CorruptMediaError(self.path, f"read error ({why})")

    def seek(self, pts: int, *, any_frame: bool = False, error: ErrorFactory | None = None) -> None:
        """Go to the keyframe at or before ``pts`` (decode time for some demuxers) and forget what
        the decoder holds. A failure raises ``error(reason)`` (by default FFmpeg's error)."""
        if error is None:
            self._container.seek(pts, backward=True, any_frame=any_frame, stream=self._stream)
        else:
            with ffmpeg_errors(error):
                self._container.seek(pts, backward=True, any_frame=any_frame, stream=self._stream)
        self._codec.flush_buffers()

    def decode_index(self, keyframe: Packet) -> int:
        """The decode index in the file of the first frame decoded from ``keyframe`` (a closed
        GOP's first): exact where the container indexes every frame (MP4, MOV, AVI), else
        reckoned from the timestamps and frame rate (0 when it cannot be told)."""
        entries = getattr(self._stream, "index_entries", None)  # PyAV >= 15
        if entries is not None and keyframe.dts is not None and len(entries) == self._stream.frames > 0:
            position = int(entries.search_timestamp(keyframe.dts, backward=True, any_frame=True))
            if position >= 0 and entries[position].timestamp == keyframe.dts:
                return position  # the container indexes every frame: its place is exact
        rate = self.frame_rate
        if rate is None or keyframe.pts is None:
            return 0  # no way to tell: indexes count from the window's first frame
        return max(0, round((keyframe.pts - self.start_pts) * self.time_base * rate))

    # ------------------------------------------------------------------ decoding

    def use_threads(self, count: int | None = None, *, skip_loop_filter: bool = False) -> None:
        """Decode with FFmpeg's threads (``count`` of them; None leaves FFmpeg's default);
        ``skip_loop_filter`` leaves out H.264's deblocking (smoother edges for the eye, of no use
        to a detector)."""
        self._codec.thread_type = "AUTO"
        if count is not None:
            self._codec.thread_count = count
        if skip_loop_filter:
            self._codec.options = {"skip_loop_filter": "all"}

    def decode(self, packet: Packet | None) -> list[VideoFrame] | None:
        """The frames ``packet`` completes (None drains the decoder), or None when the decoder
        rejects it (damaged data: logged, the caller counts it)."""
        try:
            return list(self._codec.decode(packet))
        except FFMPEG_ERRORS as exc:
            log.debug("%s: damaged packet at dts %s: %s", self.path, getattr(packet, "dts", None), exc)
            return None

    def flush(self) -> None:
        """Forget what the decoder holds (before decoding from another keyframe)."""
        self._codec.flush_buffers()

    def frames(self, error: ErrorFactory, seek_pts: int | None = None) -> Iterator[VideoFrame]:
        """Every frame from the keyframe at or before ``seek_pts`` (from where the file stands
        when None) to the end, in presentation order; a failure raises ``error(reason)``."""
        with ffmpeg_errors(error):
            if seek_pts is not None:
                self._container.seek(seek_pts, backward=True, any_frame=False, stream=self._stream)
            yield from self._container.decode(self._stream)
