"""Read a recording with PyAV, decoding only as much as the scene needs (the only module here
that imports PyAV).

Two modes, switched at keyframes:

* **active**: every packet is decoded (a P-frame needs its predecessors); about ``detect_fps``
  frames a second are sampled, shrunk by FFmpeg, and passed through the motion gate.
* **still**: after ``still_after_s`` without change, packets are only demuxed and kept in memory.
  A keyframe is decoded and compared with the last analysed frame every ``probe_interval_s``; a
  P-frame much larger than the still ones (:class:`~footage.ingest.packet_gate.PacketSizeGate`)
  wakes the reader at once. Either way the stretch since the last probed keyframe is then replayed
  through the decoder, so activity is seen from its start.

The iterator yields a :class:`Sample` per sampled instant: with an analysis :class:`Frame` when the
scene changed (run the detector), without one when it did not (what was there is still there).

A window ``[start_s, end_s)`` of a file (a chunk for one worker) seeks to the keyframe at or before
``start_s`` and stops at ``end_s``; it samples on the grid of a whole-file read (see :meth:`PyAVSource.samples`).
"""

from __future__ import annotations

import itertools
import logging
import math
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import av.error
import numpy as np
import numpy.typing as npt
from av.video.reformatter import VideoReformatter

from footage.cores import decoder_threads
from footage.errors import CorruptMediaError, MediaNotFoundError, MediaOpenError, UnsupportedCodecError
from footage.ingest.motion import MotionGate
from footage.ingest.packet_gate import PacketSizeGate
from footage.ingest.sampling import Sampler
from footage.types import Frame, RecordingInfo

__all__ = ["DecodeStats", "PyAVSource", "Sample", "SourceParams"]

log = logging.getLogger(__name__)

#: give up on a file after this many packets in a row that fail to decode
_MAX_BAD_PACKETS = 25


@dataclass(frozen=True)
class SourceParams:
    """How a recording is read; ``docs/config.md`` gives the meaning of each and why."""

    detect_fps: float = 5.0
    analysis_width: int = 640
    motion_gate: bool = True
    motion_width: int = 96
    motion_pixel_threshold: int = 12
    motion_min_fraction: float = 0.0008
    still_after_s: float = 4.0
    keyframe_skipping: bool = True
    probe_interval_s: float = 8.0
    packet_size_wake: bool = True
    skip_loop_filter: bool = True
    decoder_threads: int = 0


@dataclass(frozen=True, eq=False)
class Sample:
    """One sampled instant: ``frame`` is set when the scene changed and must be analysed."""

    index: int
    pts: int
    time_s: float
    frame: Frame | None


@dataclass
class DecodeStats:
    """What the reader did, for benchmarks and the ``--verbose`` log."""

    packets: int = 0
    decoded_frames: int = 0
    keyframe_probes: int = 0
    replayed_gops: int = 0
    size_wakes: int = 0
    analysed_frames: int = 0
    unchanged_samples: int = 0
    bad_packets: int = 0
    damaged_frames: int = 0
    first_damage_s: float | None = None
    last_time_s: float = 0.0

    def note_damage(self, time_s: float, *, undecodable: bool = False) -> None:
        """Count a damaged frame (``undecodable``: a packet the decoder rejected outright)."""
        if undecodable:
            self.bad_packets += 1
        else:
            self.damaged_frames += 1
        if self.first_damage_s is None:
            self.first_damage_s = time_s


def _translate_open_error(path: Path, exc: Exception) -> MediaOpenError:
    reason = str(getattr(exc, "strerror", None) or exc).strip() or type(exc).__name__
    return MediaOpenError(path, f"cannot open as video ({reason})")


class PyAVSource:
    """A recording opened for indexing. Use as a context manager; iterate :meth:`samples` once."""

    def __init__(self, path: Path | str, params: SourceParams | None = None) -> None:
        self.path = Path(path)
        self.params = params or SourceParams()
        self.stats = DecodeStats()
        if not self.path.exists():
            raise MediaNotFoundError(self.path, "no such file")
        if self.path.stat().st_size == 0:
            raise MediaOpenError(self.path, "empty file (0 bytes)")
        try:
            self._container = av.open(str(self.path), metadata_errors="ignore")
        except (av.error.FFmpegError, UnicodeDecodeError, ValueError) as exc:
            raise _translate_open_error(self.path, exc) from exc
        try:
            self._stream = self._open_stream()
            self.info = self._read_info()
        except Exception:
            self._container.close()
            raise

    def _open_stream(self) -> av.video.stream.VideoStream:
        if not self._container.streams.video:
            raise MediaOpenError(self.path, "no video stream in the file")
        stream = self._container.streams.video[0]
        codec_context = stream.codec_context
        if codec_context is None or codec_context.codec is None:
            raise UnsupportedCodecError(self.path, "no decoder for its video codec in this FFmpeg build")
        if not stream.width or not stream.height:
            raise UnsupportedCodecError(self.path, f"video stream has no frame size (codec {codec_context.name})")
        codec_context.thread_type = "AUTO"
        codec_context.thread_count = self.params.decoder_threads or decoder_threads()
        if self.params.skip_loop_filter:
            # the deblocking filter smooths block edges for the eye; the detector works on a
            # 3x smaller copy where they vanish anyway. Measured in benchmarks/index_speed.py (section 6).
            codec_context.options = {"skip_loop_filter": "all"}
        return stream

    def _read_info(self) -> RecordingInfo:
        stream = self._stream
        duration_s = 0.0
        if stream.duration is not None and stream.time_base is not None:
            duration_s = float(stream.duration * stream.time_base)
        elif self._container.duration is not None:
            duration_s = self._container.duration / av.time_base
        creation = self._container.metadata.get("creation_time") or stream.metadata.get("creation_time")
        rate = stream.average_rate or stream.guessed_rate
        return RecordingInfo(
            path=str(self.path),
            size_bytes=self.path.stat().st_size,
            duration_s=duration_s,
            width=stream.width,
            height=stream.height,
            codec=stream.codec_context.name,
            time_base=Fraction(stream.time_base) if stream.time_base else Fraction(1, 90_000),
            frame_rate=Fraction(rate) if rate else None,
            creation_utc=creation,
        )

    def __enter__(self) -> PyAVSource:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self._container.close()

    # ------------------------------------------------------------------ decoding

    def samples(self, start_s: float | None = None, end_s: float | None = None) -> Iterator[Sample]:
        """Sampled instants in time order. Raises :class:`CorruptMediaError` when the file is
        damaged or breaks off; every sample yielded before that stays valid.

        ``start_s`` and ``end_s`` (media time, the clock of :attr:`Sample.time_s`) read only the
        window ``[start_s, end_s)``: decoding starts at the keyframe at or before ``start_s`` (the
        frames before it are decoded as references, never sampled) and stops after the last frame
        before ``end_s`` (no truncation error for the rest). With the motion gate off, the samples of
        consecutive windows are exactly those of one whole read: the sampling grid stays
        ``first frame + k / detect_fps``. With it on, the gate starts afresh at ``start_s`` (active,
        nothing to compare with), so still stretches and replays, which restart the grid at a
        keyframe, differ near the window's start. ``Sample.index`` stays the decode index in the
        whole file: exact where the container indexes every frame (MP4, MOV, AVI), else reckoned
        from the timestamps and frame rate (exact for constant-rate files)."""
        p = self.params
        info = self.info
        source_fps = float(info.frame_rate) if info.frame_rate else 25.0
        self._time_base = info.time_base
        self._sampler = Sampler(p.detect_fps, tolerance_s=0.5 / source_fps)
        # with the gate off, every sample counts as changed (-1: any difference, even none, is more)
        self._gate = MotionGate(p.motion_pixel_threshold, p.motion_min_fraction if p.motion_gate else -1.0)
        self._analysis_w = min(p.analysis_width, info.width) // 2 * 2
        self._analysis_h = round(self._analysis_w * info.height / info.width) // 2 * 2
        self._motion_h = max(2, round(p.motion_width * info.height / info.width))
        self._scale = info.width / self._analysis_w
        self._start_s = -math.inf if start_s is None else start_s
        self._end_s = math.inf if end_s is None else end_s
        self._last_change_s = 0.0 if start_s is None else start_s  # the gate knows nothing before the window
        # one scaler per output, kept across frames: FFmpeg's scaler context is costly to set up
        # (PyAV's frame.to_ndarray builds a new one for every frame)
        self._grey_scaler = VideoReformatter()
        self._bgr_scaler = VideoReformatter()
        codec = self._stream.codec_context

        still = False
        pending: list[av.Packet] = []  # while still: packets since the last probed keyframe
        last_probe_s = -1e9
        sizes = PacketSizeGate()
        packets, first_index = self._packets_from(start_s)
        index = first_index - 1  # decode index of the last frame accounted for (MOTChallenge frame - 1)
        self._bad_in_a_row = 0
        stopped_at: av.Packet | None = None  # the first packet after the window (stopped on purpose)
        for packet in packets:
            if self._past_end(packet, still=still):
                stopped_at = packet
                break
            self.stats.packets += 1
            if not still and packet.is_keyframe and self._quiet_long_enough(packet):
                # drain the frames still inside the decoder, then go still from this keyframe
                for frame in self._decode(None):
                    index += 1
                    yield from self._emit(frame, index)
                codec.flush_buffers()
                still, pending, last_probe_s = True, [], -1e9
                sizes.forget()
            if not still:
                index = yield from self._play([packet], index)
                continue
            index += 1
            packet_s = float(packet.pts * self._time_base) if packet.pts is not None else self.stats.last_time_s
            woken = False
            if not packet.is_keyframe:
                pending.append(packet)
                follows_keyframe = len(pending) >= 2 and pending[-2].is_keyframe
                woken = p.packet_size_wake and sizes.suspicious(packet.size, follows_keyframe=follows_keyframe)
                self.stats.size_wakes += woken
                if packet_s < self._end_s:
                    self.stats.last_time_s = max(self.stats.last_time_s, packet_s)
                if not woken:
                    continue
            elif packet_s - last_probe_s < p.probe_interval_s - 1e-6:
                pending.append(packet)  # not time to look yet; keep it for a possible replay
                continue
            else:
                probe = self._decode(packet) + self._decode(None)
                codec.flush_buffers()
                self.stats.keyframe_probes += 1
                unchanged = self._probe_unchanged(probe[-1], index) if probe else None
                if unchanged is not None or not probe:
                    pending, last_probe_s = [packet], packet_s
                    if unchanged is not None:
                        yield unchanged
                    continue
                pending.append(packet)
            # the scene changed since the last probe: replay that stretch in full, go active
            still = False
            self.stats.replayed_gops += 1
            replay, pending = pending, []
            index = yield from self._replay(replay, index - len(replay))
        if still and len(pending) > 1 and not (stopped_at and self._unchanged_after(stopped_at, packets)):
            # the file (or window) ended inside a still stretch: what followed the last probe was
            # never looked at, so decode it (at most one probe interval per file or window)
            index = yield from self._replay(pending, index - len(pending))
        for frame in self._decode(None):
            index += 1
            yield from self._emit(frame, index)
        self._check_complete(info, reached_end=stopped_at is None)

    def _packets_from(self, start_s: float | None) -> tuple[Iterator[av.Packet], int]:
        """The packets to read for a window starting at ``start_s``, from the keyframe at or
        before it, and the decode index of the first frame they give."""
        stream, time_base = self._stream, self._time_base
        first_s = float((stream.start_time or 0) * time_base)
        if start_s is None or start_s <= first_s:
            return self._demux(), 0
        # join the whole read's grid (first frame + k / fps): the frames decoded before start_s go
        # through the sampler too, unseen, so it stands where a whole read would at start_s
        self._sampler.restart(first_s)
        back_s = 0.0
        while True:
            target_s = max(first_s, start_s - back_s)
            self._container.seek(math.floor(target_s / time_base), backward=True, any_frame=False, stream=stream)
            stream.codec_context.flush_buffers()
            packets = self._demux()
            # some demuxers (MPEG-TS) land on any packet, or seek on decode time and land just after
            # start_s: decode from a keyframe at or before start_s, looking further back if need be
            keyframe = next((k for k in packets if k.is_keyframe), None)
            if keyframe is not None and (keyframe.pts is None or float(keyframe.pts * time_base) <= start_s):
                return itertools.chain([keyframe], packets), self._index_of(keyframe)
            if target_s <= first_s:
                return (iter(()), 0) if keyframe is None else (itertools.chain([keyframe], packets), self._index_of(keyframe))
            back_s = max(1.0, 2 * back_s)

    def _index_of(self, keyframe: av.Packet) -> int:
        """The decode index of the first frame decoded from ``keyframe`` (a closed GOP's first)."""
        entries = getattr(self._stream, "index_entries", None)  # PyAV >= 15
        if entries is not None and keyframe.dts is not None and len(entries) == self._stream.frames > 0:
            position = int(entries.search_timestamp(keyframe.dts, backward=True, any_frame=True))
            if position >= 0 and entries[position].timestamp == keyframe.dts:
                return position  # the container indexes every frame: its place is exact
        rate = self.info.frame_rate
        if rate is None or keyframe.pts is None:
            return 0  # no way to tell: indexes count from the window's first frame
        return max(0, round((keyframe.pts - (self._stream.start_time or 0)) * self._time_base * rate))

    def _unchanged_after(self, packet: av.Packet, packets: Iterator[av.Packet]) -> bool:
        """At the end of a window, while still: True when the first keyframe from ``packet`` on
        shows the scene unchanged, as a whole read's next probe would, so the stretch since the
        last probe needs no replay."""
        keyframe = next((k for k in itertools.chain([packet], packets) if k.is_keyframe), None)
        if keyframe is None:
            return False
        probe = self._decode(keyframe) + self._decode(None)
        self._stream.codec_context.flush_buffers()
        self.stats.keyframe_probes += 1
        return bool(probe) and not probe[-1].is_corrupt and not self._gate.changed(self._grey(probe[-1]))

    def _past_end(self, packet: av.Packet, *, still: bool) -> bool:
        """True once no packet from this one on can give a frame before ``end_s``: its decode time
        is there (presentation never precedes decoding), or, while still, it is a keyframe there."""
        stamp = packet.pts if still and packet.is_keyframe else packet.dts if packet.dts is not None else packet.pts
        return stamp is not None and float(stamp * self._time_base) >= self._end_s

    def _replay(self, packets: list[av.Packet], index: int) -> Generator[Sample, None, int]:
        """Decode ``packets`` (starting at a keyframe) from scratch, sampling from their start."""
        if packets[0].pts is not None:
            self._sampler.restart(float(packets[0].pts * self._time_base))
        self._stream.codec_context.flush_buffers()
        return (yield from self._play(packets, index))

    def _play(self, packets: list[av.Packet], index: int) -> Generator[Sample, None, int]:
        """Decode ``packets`` in order and emit their samples; returns the new decode index."""
        for packet in packets:
            damaged_before = self.stats.bad_packets
            frames = self._decode(packet)
            self._bad_in_a_row = self._bad_in_a_row + 1 if self.stats.bad_packets > damaged_before else 0
            if self._bad_in_a_row > _MAX_BAD_PACKETS:
                raise self._broken("undecodable data")
            for frame in frames:
                index += 1
                yield from self._emit(frame, index)
        return index

    def _quiet_long_enough(self, keyframe: av.Packet) -> bool:
        """True when nothing changed for ``still_after_s`` before this keyframe."""
        p = self.params
        if not (p.motion_gate and p.keyframe_skipping) or keyframe.pts is None:
            return False
        return float(keyframe.pts * self._time_base) - self._last_change_s >= p.still_after_s - 1e-6

    def _decode(self, packet: av.Packet | None) -> list[av.VideoFrame]:
        try:
            frames = self._stream.codec_context.decode(packet)
        except av.error.FFmpegError as exc:
            # a packet outside the window (a reference before it, a probe after it) is another window's damage
            if packet is None or packet.pts is None or self._start_s <= float(packet.pts * self._time_base) < self._end_s:
                self.stats.note_damage(self.stats.last_time_s, undecodable=True)
            log.debug("%s: damaged packet at dts %s: %s", self.path, getattr(packet, "dts", None), exc)
            return []
        self.stats.decoded_frames += len(frames)
        return list(frames)

    def _usable(self, frame: av.VideoFrame) -> bool:
        """False for a frame the decoder marked as damaged (concealed, not to be analysed)."""
        if frame.is_corrupt:
            self.stats.note_damage(self._time_of(frame))
            return False
        return True

    def _time_of(self, frame: av.VideoFrame) -> float:
        time_s = float(frame.pts * self._time_base) if frame.pts is not None else self.stats.last_time_s
        self.stats.last_time_s = max(self.stats.last_time_s, time_s)
        return time_s

    def _grey(self, frame: av.VideoFrame) -> npt.NDArray[np.uint8]:
        small = self._grey_scaler.reformat(
            frame, format="gray", width=self.params.motion_width, height=self._motion_h, interpolation="AREA"
        )
        return small.to_ndarray()  # type: ignore[return-value]  # gray frames are uint8

    def _probe_unchanged(self, frame: av.VideoFrame, index: int) -> Sample | None:
        """The sample for a probed keyframe when the scene is unchanged, else None."""
        time_s = self._time_of(frame)
        if not self._usable(frame):
            return Sample(index, frame.pts or 0, time_s, None)
        if self._gate.changed(self._grey(frame)):
            return None
        self.stats.unchanged_samples += 1
        return Sample(index, frame.pts or 0, time_s, None)

    def _emit(self, frame: av.VideoFrame, index: int) -> Iterator[Sample]:
        """The sample for a decoded frame in an active stretch, if it is a sampling instant."""
        if frame.pts is not None and float(frame.pts * self._time_base) >= self._end_s:
            return  # after the window
        time_s = self._time_of(frame)
        if time_s < self._start_s:  # a reference before the window: keeps the sampler in step, unseen
            if not frame.is_corrupt:
                self._sampler.take(time_s)
            return
        if not self._usable(frame) or not self._sampler.take(time_s):
            return
        grey = self._grey(frame)
        if not self._gate.changed(grey):
            self.stats.unchanged_samples += 1
            yield Sample(index, frame.pts or 0, time_s, None)
            return
        if not self._gate.looking_again:
            self._last_change_s = time_s
        self._gate.accept(grey)
        image: npt.NDArray[np.uint8] = self._bgr_scaler.reformat(
            frame, format="bgr24", width=self._analysis_w, height=self._analysis_h, interpolation="AREA"
        ).to_ndarray()  # type: ignore[assignment]  # bgr24 is uint8
        self.stats.analysed_frames += 1
        pts = frame.pts or 0
        yield Sample(index, pts, time_s, Frame(index, pts, self._time_base, image, self._scale))

    def _demux(self) -> Iterator[av.Packet]:
        """Packets of the video stream; a read error ends the file as damaged."""
        iterator = self._container.demux(self._stream)
        while True:
            try:
                packet = next(iterator)
            except StopIteration:
                return
            except av.error.EOFError:
                return
            except av.error.FFmpegError as exc:
                raise self._broken(f"read error ({exc.strerror or exc})") from exc
            if packet.size == 0 and packet.dts is None:
                continue  # the flush packet PyAV appends at the end
            packet_s = float(packet.pts * self._time_base) if packet.pts is not None else self.stats.last_time_s
            if packet.is_corrupt and self._start_s <= packet_s < self._end_s:
                self.stats.note_damage(packet_s)
            yield packet

    def _broken(self, what: str) -> CorruptMediaError:
        return CorruptMediaError(self.path, f"{what} at {self.stats.last_time_s:.1f} s; indexed what came before")

    def _check_complete(self, info: RecordingInfo, *, reached_end: bool) -> None:
        """Raise :class:`CorruptMediaError` if the file ended early or had damaged frames
        (``reached_end``: the file ended, rather than a window stopping at its end on purpose)."""
        frame_s = 1.0 / float(info.frame_rate) if info.frame_rate else 0.1
        if reached_end and info.duration_s > 0 and self.stats.last_time_s + max(2.0, 3 * frame_s) < info.duration_s:
            raise CorruptMediaError(
                self.path,
                f"truncated: decoded {self.stats.last_time_s:.1f} s of {info.duration_s:.1f} s; indexed what came before",
            )
        damaged = self.stats.bad_packets + self.stats.damaged_frames
        first_damage_s = self.stats.first_damage_s
        if reached_end and damaged and first_damage_s is not None and first_damage_s >= self.stats.last_time_s - 1.0:
            # damage only in the last second: the file was cut off while being written
            raise CorruptMediaError(
                self.path, f"truncated: ends mid-frame at {first_damage_s:.1f} s; indexed what came before"
            )
        if damaged:
            where = f" from {first_damage_s:.1f} s" if first_damage_s is not None else ""
            raise CorruptMediaError(self.path, f"{damaged} damaged frame(s){where} skipped; indexed the rest")
