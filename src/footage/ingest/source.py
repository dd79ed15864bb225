"""Read a recording for indexing, decoding only as much as the scene needs.

Which packets are decoded, kept, probed or replayed is decided by the still-scene policy
(:class:`~footage.ingest.still.StillScene`); this module does what it decides through
:mod:`footage.media`: about ``detect_fps`` frames a second of each active stretch are sampled,
shrunk by FFmpeg, and passed through the motion gate.

The iterator yields a :class:`~footage.ingest.samples.Sample` per sampled instant: with an analysis
:class:`Frame` when the scene changed (run the detector), without one when it did not (what was
there is still there).

A window ``[start_s, end_s)`` of a file (a chunk for one worker) seeks to the keyframe at or before
``start_s`` and stops at ``end_s``; it samples on the grid of a whole-file read (see :meth:`PyAVSource.samples`).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Generator, Iterator
from pathlib import Path

from footage.cores import decoder_threads
from footage.errors import CorruptMediaError
from footage.ingest.motion import MotionGate
from footage.ingest.params import SourceParams
from footage.ingest.samples import DecodeStats, Sample
from footage.ingest.sampling import Sampler
from footage.ingest.still import Action, StillScene
from footage.media.input import Packet, VideoFrame, open_input
from footage.media.pictures import Scaler
from footage.types import Frame, RecordingInfo

__all__ = ["PyAVSource"]

#: give up on a file after this many packets in a row that fail to decode
_MAX_BAD_PACKETS = 25


class PyAVSource:
    """A recording opened for indexing. Use as a context manager; iterate :meth:`samples` once."""

    def __init__(self, path: Path | str, params: SourceParams | None = None) -> None:
        self.path = Path(path)
        self.params = params or SourceParams()
        self.stats = DecodeStats()
        self._input = open_input(self.path)
        try:
            self._input.require_decoder()
            # the deblocking filter smooths block edges for the eye; the detector works on a 3x
            # smaller copy where they vanish anyway. Measured in benchmarks/index_speed.py (section 6).
            self._input.use_threads(self.params.decoder_threads or decoder_threads(),
                                    skip_loop_filter=self.params.skip_loop_filter)
            self.info = self._input.info()
        except Exception:
            self._input.close()
            raise

    def __enter__(self) -> PyAVSource:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self._input.close()

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
        analysis_w = min(p.analysis_width, info.width) // 2 * 2
        analysis_h = round(analysis_w * info.height / info.width) // 2 * 2
        self._scale = info.width / analysis_w
        self._start_s = -math.inf if start_s is None else start_s
        self._end_s = math.inf if end_s is None else end_s
        # one scaler per output, kept across frames: FFmpeg's scaler context is costly to set up
        self._grey = Scaler("gray", p.motion_width, max(2, round(p.motion_width * info.height / info.width)))
        self._bgr = Scaler("bgr24", analysis_w, analysis_h)
        # the gate knows nothing before the window
        self._scene = StillScene(p.still_after_s, p.probe_interval_s, skipping=p.motion_gate and p.keyframe_skipping,
                                 size_wake=p.packet_size_wake, last_change_s=0.0 if start_s is None else start_s)
        scene = self._scene

        pending: list[Packet] = []  # while still: packets since the last probed keyframe
        packets, first_index = self._packets_from(start_s)
        index = first_index - 1  # decode index of the last frame accounted for (MOTChallenge frame - 1)
        self._bad_in_a_row = 0
        stopped_at: Packet | None = None  # the first packet after the window (stopped on purpose)
        for packet in packets:
            if self._past_end(packet, still=scene.still):
                stopped_at = packet
                break
            self.stats.packets += 1
            packet_s = float(packet.pts * self._time_base) if packet.pts is not None else None
            step = scene.step(keyframe=packet.is_keyframe, size=packet.size, time_s=packet_s,
                              fallback_s=self.stats.last_time_s)
            if step.went_still:
                # drain the frames still inside the decoder, then go still from this keyframe
                index = yield from self._drain(index)
                self._input.flush()
                pending = []
            if step.action is Action.DECODE:
                index = yield from self._play([packet], index)
                continue
            index += 1
            still_s = packet_s if packet_s is not None else self.stats.last_time_s
            if not packet.is_keyframe:
                self.stats.size_wakes += step.woken
                if still_s < self._end_s:
                    self.stats.last_time_s = max(self.stats.last_time_s, still_s)
            action: Action = step.action
            if action is Action.PROBE:
                probe = self._probe(packet)
                unchanged = self._probe_unchanged(probe, index) if probe else None
                action = scene.probed(still_s, unchanged=unchanged is not None or not probe)
                if unchanged is not None:
                    yield unchanged
            if action is Action.RESTART:
                pending = [packet]
                continue
            pending.append(packet)
            if action is Action.REPLAY:
                # the scene changed since the last probe: replay that stretch in full, go active
                self.stats.replayed_gops += 1
                replay, pending = pending, []
                index = yield from self._replay(replay, index - len(replay))
        if scene.tail_unseen and not (stopped_at and self._unchanged_after(stopped_at, packets)):
            # the file (or window) ended inside a still stretch: what followed the last probe was
            # never looked at, so decode it (at most one probe interval per file or window; one
            # keyframe interval when the last keyframe shows the scene unchanged)
            pending = self._unseen_tail(pending)
            index = yield from self._replay(pending, index - len(pending))
        index = yield from self._drain(index)
        self._check_complete(info, reached_end=stopped_at is None)

    def _packets_from(self, start_s: float | None) -> tuple[Iterator[Packet], int]:
        """The packets to read for a window starting at ``start_s``, from the keyframe at or
        before it, and the decode index of the first frame they give."""
        source, time_base = self._input, self._time_base
        first_s = float(source.start_pts * time_base)
        if start_s is None or start_s <= first_s:
            return self._demux(), 0
        # join the whole read's grid (first frame + k / fps): the frames decoded before start_s go
        # through the sampler too, unseen, so it stands where a whole read would at start_s
        self._sampler.restart(first_s)
        back_s = 0.0
        while True:
            target_s = max(first_s, start_s - back_s)
            source.seek(math.floor(target_s / time_base))
            packets = self._demux()
            # some demuxers (MPEG-TS) land on any packet, or seek on decode time and land just after
            # start_s: decode from a keyframe at or before start_s, looking further back if need be
            keyframe = next((k for k in packets if k.is_keyframe), None)
            if keyframe is not None and (keyframe.pts is None or float(keyframe.pts * time_base) <= start_s):
                return itertools.chain([keyframe], packets), source.decode_index(keyframe)
            if target_s <= first_s:
                if keyframe is None:
                    return iter(()), 0
                return itertools.chain([keyframe], packets), source.decode_index(keyframe)
            back_s = max(1.0, 2 * back_s)

    def _unchanged_after(self, packet: Packet, packets: Iterator[Packet]) -> bool:
        """At the end of a window, while still: True when the first keyframe from ``packet`` on
        shows the scene unchanged, as a whole read's next probe would, so the stretch since the
        last probe needs no replay."""
        keyframe = next((k for k in itertools.chain([packet], packets) if k.is_keyframe), None)
        return keyframe is not None and self._probed_unchanged(keyframe)

    def _probed_unchanged(self, keyframe: Packet) -> bool:
        """Probe ``keyframe``: True when it decodes, undamaged, to the scene the gate last saw."""
        probe = self._probe(keyframe)
        return bool(probe) and not probe[-1].is_corrupt and not self._gate.changed(self._grey(probe[-1]))

    def _unseen_tail(self, pending: list[Packet]) -> list[Packet]:
        """At the end while still, the packets kept since the last probe that must be decoded.
        The last keyframe among them is probed first, as a whole read would probe it next: when
        it shows the scene unchanged, the stretch before it was as still as any between two
        probes, and only the packets from it on are decoded."""
        last = max((n for n, packet in enumerate(pending) if packet.is_keyframe), default=0)
        if last == 0:
            return pending
        return pending[last:] if self._probed_unchanged(pending[last]) else pending

    def _probe(self, keyframe: Packet) -> list[VideoFrame]:
        """The frames of ``keyframe`` decoded alone (the decoder forgets it afterwards)."""
        probe = self._decode(keyframe) + self._decode(None)
        self._input.flush()
        self.stats.keyframe_probes += 1
        return probe

    def _past_end(self, packet: Packet, *, still: bool) -> bool:
        """True once no packet from this one on can give a frame before ``end_s``: its decode time
        is there (presentation never precedes decoding), or, while still, it is a keyframe there."""
        stamp = packet.pts if still and packet.is_keyframe else packet.dts if packet.dts is not None else packet.pts
        return stamp is not None and float(stamp * self._time_base) >= self._end_s

    def _replay(self, packets: list[Packet], index: int) -> Generator[Sample, None, int]:
        """Decode ``packets`` (starting at a keyframe) from scratch, sampling from their start."""
        if packets[0].pts is not None:
            self._sampler.restart(float(packets[0].pts * self._time_base))
        self._input.flush()
        return (yield from self._play(packets, index))

    def _play(self, packets: list[Packet], index: int) -> Generator[Sample, None, int]:
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

    def _drain(self, index: int) -> Generator[Sample, None, int]:
        """Emit the frames still inside the decoder; returns the new decode index."""
        for frame in self._decode(None):
            index += 1
            yield from self._emit(frame, index)
        return index

    def _decode(self, packet: Packet | None) -> list[VideoFrame]:
        frames = self._input.decode(packet)
        if frames is None:
            # a packet outside the window (a reference before it, a probe after it) is another window's damage
            if packet is None or packet.pts is None or self._start_s <= float(packet.pts * self._time_base) < self._end_s:
                self.stats.note_damage(self.stats.last_time_s, undecodable=True)
            return []
        self.stats.decoded_frames += len(frames)
        return frames

    def _usable(self, frame: VideoFrame) -> bool:
        """False for a frame the decoder marked as damaged (concealed, not to be analysed)."""
        if frame.is_corrupt:
            self.stats.note_damage(self._time_of(frame))
            return False
        return True

    def _time_of(self, frame: VideoFrame) -> float:
        time_s = float(frame.pts * self._time_base) if frame.pts is not None else self.stats.last_time_s
        self.stats.last_time_s = max(self.stats.last_time_s, time_s)
        return time_s

    def _probe_unchanged(self, probe: list[VideoFrame], index: int) -> Sample | None:
        """The sample for a probed keyframe (its last frame) when the scene is unchanged, else None."""
        frame = probe[-1]
        time_s = self._time_of(frame)
        if not self._usable(frame):
            return Sample(index, frame.pts or 0, time_s, None)
        if self._gate.changed(self._grey(frame)):
            return None
        self.stats.unchanged_samples += 1
        return Sample(index, frame.pts or 0, time_s, None)

    def _emit(self, frame: VideoFrame, index: int) -> Iterator[Sample]:
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
            self._scene.changed(time_s)
        self._gate.accept(grey)
        image = self._bgr(frame)
        self.stats.analysed_frames += 1
        pts = frame.pts or 0
        yield Sample(index, pts, time_s, Frame(index, pts, self._time_base, image, self._scale))

    def _demux(self) -> Iterator[Packet]:
        """Packets of the video stream; a read error ends the file as damaged."""
        for packet in self._input.packets(error=lambda why: self._broken(f"read error ({why})")):
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
