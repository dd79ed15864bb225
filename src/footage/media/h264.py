"""The H.264 writers, both x264: independent sessions whose raw packets a clip is muxed from
(:class:`X264Session`, :func:`write_h264_mp4`; redacted exports), and a whole recording encoded
into an MP4 for a browser (:func:`transcode_into`, beside its stream-copy twin :func:`remux_into`).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from itertools import chain
from pathlib import Path
from typing import cast

import av
from av.video.codeccontext import VideoCodecContext
from av.video.frame import PictureType
from av.video.reformatter import VideoReformatter

from footage.errors import CorruptMediaError
from footage.media.input import Input, VideoFrame
from footage.media.output import Mp4Output
from footage.media.pictures import YUV420

__all__ = ["EncodedPacket", "X264Session", "remux_into", "transcode_into", "write_h264_mp4"]

log = logging.getLogger(__name__)

_MS = Fraction(1, 1000)


@dataclass(frozen=True)
class EncodedPacket:
    """One compressed picture: raw H.264 ``data``, its times in milliseconds, whether it is a keyframe."""

    data: bytes
    pts: int
    dts: int
    keyframe: bool


class X264Session:
    """One x264 encoder for ``width`` x ``height`` yuv420p pictures timed in milliseconds: its first
    picture an IDR frame, no B-frames (decode order is presentation order), nothing shared with
    any other session, so what it writes can be replaced without touching its neighbours."""

    def __init__(self, width: int, height: int, *, preset: str, crf: int) -> None:
        codec = cast(VideoCodecContext, av.CodecContext.create("libx264", "w"))
        codec.width, codec.height, codec.pix_fmt = width, height, YUV420
        codec.time_base, codec.framerate = _MS, Fraction(25)
        codec.max_b_frames = 0  # decode order is presentation order, in every piece alike
        # a53cc off: closed captions a camera put in its frames' side data stay out of the clip
        codec.options = {"preset": preset, "crf": str(crf), "a53cc": "0"}
        codec.open()
        self._codec = codec

    def encode(self, picture: VideoFrame, pts_ms: int) -> list[EncodedPacket]:
        """Encode ``picture`` (a yuv420p frame of the session's size) shown at ``pts_ms``."""
        picture.pts, picture.time_base = pts_ms, _MS
        picture.pict_type = PictureType.NONE  # a decoded frame's own type would force x264's choice
        return self._packets(self._codec.encode(picture))

    def finish(self) -> list[EncodedPacket]:
        """What the encoder still holds; the session is over."""
        return self._packets(self._codec.encode(None))

    @staticmethod
    def _packets(packets: list[av.Packet]) -> list[EncodedPacket]:
        return [EncodedPacket(bytes(p), int(p.pts or 0), int(p.dts or 0), bool(p.is_keyframe)) for p in packets]


def write_h264_mp4(path: Path, width: int, height: int, packets: Iterable[EncodedPacket]) -> None:
    """Mux raw H.264 ``packets`` (in decode order, times in ms) into the MP4 at ``path``, index
    first (``+faststart``). Raises FFmpeg's error when it cannot be written."""
    with Mp4Output(path, {"movflags": "+faststart"}) as output:
        output.h264_stream(width, height, YUV420)
        for encoded in packets:
            packet = av.Packet(encoded.data)
            packet.pts, packet.dts, packet.time_base = encoded.pts, encoded.dts, _MS
            packet.is_keyframe = encoded.keyframe
            output.mux(packet)


def remux_into(source: Input, output: Mp4Output) -> None:
    """Copy the video packets, timestamps and all, into ``output`` (no re-encoding)."""
    output.copy_stream_of(source, any_tag=True)
    for packet in source.packets():
        output.mux(packet)


def transcode_into(source: Input, output: Mp4Output) -> None:
    """Decode the video stream and encode it to H.264 yuv420p into ``output``, frame timestamps
    unchanged, a keyframe every 2 s (so that a seek decodes little). Damaged packets are skipped,
    as a browser or the indexer would; :class:`CorruptMediaError` when no frame decodes at all."""
    source.use_threads()
    decoder = source.stream
    time_base = source.time_base
    rate = decoder.average_rate or decoder.guessed_rate or Fraction(25)
    keyint = str(max(1, round(rate * 2)))
    encoder = output.container.add_stream("libx264", rate=rate, options={"preset": "veryfast", "crf": "23", "g": keyint})
    encoder.width, encoder.height = decoder.width + decoder.width % 2, decoder.height + decoder.height % 2  # yuv420p
    encoder.pix_fmt = YUV420
    encoder.codec_context.time_base = time_base
    if decoder.sample_aspect_ratio:
        encoder.codec_context.sample_aspect_ratio = decoder.sample_aspect_ratio
    step = max(1, round(1 / (rate * time_base)))  # one frame, in time_base ticks
    scaler = VideoReformatter()
    last_pts: int | None = None
    frames = bad = 0
    for packet in chain(source.packets(), [None]):
        decoded = source.decode(packet)
        if decoded is None:
            bad += 1  # a damaged packet: skip it
            continue
        for frame in decoded:
            pts = frame.pts
            if pts is None:
                pts = 0 if last_pts is None else last_pts + step
            elif last_pts is not None and pts <= last_pts:
                pts = last_pts + 1  # x264 needs strictly increasing pts
            last_pts = pts
            image = scaler.reformat(frame, format=YUV420, width=encoder.width, height=encoder.height)
            image.pts, image.time_base = pts, time_base
            image.pict_type = PictureType.NONE  # let x264 choose, not copy the source GOP
            output.mux_encoded(encoder.encode(image))
            frames += 1
    if not frames:
        raise CorruptMediaError(source.path, f"no frame could be decoded ({bad} damaged packets)")
    output.mux_encoded(encoder.encode(None))
