"""MP4 files being written: one video stream, copied from a recording (stream copy) or of raw
H.264 packets (:mod:`footage.media.h264`).

Calls that can fail raise FFmpeg's errors; callers run them inside
:func:`~footage.media.errors.ffmpeg_errors` with the error that names what they were writing.
"""

from __future__ import annotations

import contextlib
from fractions import Fraction
from pathlib import Path

import av

from footage.media.errors import FFMPEG_ERRORS
from footage.media.input import Input, Packet

__all__ = ["Mp4Output"]


class Mp4Output:
    """An MP4 being written at ``path`` with FFmpeg muxer ``options`` (``movflags`` and the like;
    with ``container_only`` they are not passed to the streams' codecs) and container
    ``metadata``. Add its one video stream, :meth:`mux` packets into it, then :meth:`close`."""

    def __init__(self, path: Path, options: dict[str, str], *, container_only: bool = False,
                 metadata: dict[str, str] | None = None) -> None:
        self.path = path
        if container_only:
            self._container = av.open(str(path), "w", format="mp4", container_options=options)
        else:
            self._container = av.open(str(path), "w", format="mp4", options=options)
        for key, value in (metadata or {}).items():
            self._container.metadata[key] = value
        self._stream: av.video.stream.VideoStream | None = None

    def __enter__(self) -> Mp4Output:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def container(self) -> av.container.OutputContainer:
        """The output container, for :mod:`footage.media.h264`'s encoder."""
        return self._container

    def copy_stream_of(self, source: Input, *, time_base: Fraction | None = None, any_tag: bool = False) -> None:
        """Add a stream to take ``source``'s packets as they are (raises ``ValueError`` when MP4
        cannot hold its codec). ``time_base``: the ticks its packets will be given in;
        ``any_tag``: let the MP4 muxer pick the codec tag (an AVI's ``H264`` is refused)."""
        self._stream = self._container.add_stream_from_template(source.stream)
        if any_tag:
            self._stream.codec_context.codec_tag = "\0\0\0\0"
        if time_base is not None:
            self._stream.time_base = time_base

    def h264_stream(self, width: int, height: int, pix_fmt: str) -> None:
        """Add a stream for raw H.264 packets with times in milliseconds (25 frames a second nominal)."""
        stream = self._container.add_stream("h264", rate=Fraction(25))
        stream.width, stream.height, stream.pix_fmt = width, height, pix_fmt
        stream.time_base = Fraction(1, 1000)
        self._stream = stream

    def mux(self, packet: Packet) -> None:
        """Write ``packet`` (its times in its own ``time_base``) into the video stream."""
        packet.stream = self._stream
        self._container.mux(packet)

    def mux_encoded(self, packets: list[Packet]) -> None:
        """Write what an encoder of this file's own stream gave (already its stream's)."""
        self._container.mux(packets)

    def close(self) -> None:
        """Finish the file (the trailer, the index); raises FFmpeg's error when it cannot."""
        self._container.close()

    def abort(self) -> None:
        """Close without caring whether the file is complete (the caller deletes it)."""
        with contextlib.suppress(*FFMPEG_ERRORS, OSError):
            self._container.close()
