"""Record an RTSP camera's main stream into segment files by stream copy (FFmpeg's side is
:mod:`footage.media`).

The video stream's packets are copied, not re-encoded (audio is dropped), into MP4 segments laid
out by :mod:`footage.live.layout`. A segment is written under a ``.part`` name and renamed when it
is closed; a new one starts at the first keyframe once ``segment_s`` of media time has passed, so
every segment starts with a keyframe and its timestamps start at 0. A segment's wall-clock start is
the arrival time (UTC) of its first packet; its end adds the media time it holds. FFmpeg holds the
first packets of a connection back while it probes the stream, so arrival is estimated as the
earliest ``arrival - media time since the first packet`` over the segment's packets (packets can
come late, never early); the file gets its final name from that start when it is closed.

When the stream drops (read error, time-out or end of stream) the segment is closed, a gap is
reported, and the recorder waits per :class:`~footage.live.backoff.RetryPolicy` (cut short by
``stop``) and reconnects; a refused connection or a wrong URL is retried the same way. Reads are
bounded by FFmpeg's RTSP ``timeout`` option (socket I/O, microseconds; FFmpeg >= 5 dropped the old
``stimeout``) and by PyAV's own interrupt time-out, so a dead server never blocks a read forever.
"""

from __future__ import annotations

import logging
import random
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from fractions import Fraction
from pathlib import Path

from footage.errors import FootageError, MediaError
from footage.live.backoff import RetryPolicy
from footage.live.layout import partial_path, segment_path
from footage.media.errors import ffmpeg_errors
from footage.media.input import Input, Packet, open_camera
from footage.media.output import Mp4Output

__all__ = [
    "FRAGMENTED_MOVFLAGS", "GapInfo", "SegmentInfo", "StateCallback", "explain", "free_segment_path", "is_fatal", "record",
]

log = logging.getLogger(__name__)

_CREDENTIALS = re.compile(r"//[^/@]*@")

#: a segment is written as fragmented MP4 (a fragment per keyframe), so that what a crash leaves
#: in a ``.part`` file stays readable up to the last whole fragment (see footage.live.repair)
FRAGMENTED_MOVFLAGS = "frag_keyframe+empty_moov+default_base_moof"

#: what a camera's stream is doing, as reported to ``on_state``
StateCallback = Callable[[str, str], None]

_AUTH = re.compile(r"401|unauthori[sz]ed|authori[sz]ation failed", re.IGNORECASE)
_NOT_FOUND = re.compile(r"404|not found", re.IGNORECASE)


def explain(reason: str) -> str:
    """A person's reading of why a camera cannot be opened (FFmpeg's words kept in brackets)."""
    if _AUTH.search(reason):
        return f"wrong user name or password ({reason})"
    if _NOT_FOUND.search(reason):
        return f"no stream at this URL; check the path ({reason})"
    return reason


def is_fatal(reason: str) -> bool:
    """Whether retrying alone will not help (a wrong password or URL): the camera is shown as
    failed, though it is still retried in case its owner fixes the camera."""
    return bool(_AUTH.search(reason) or _NOT_FOUND.search(reason))


@dataclass(frozen=True)
class SegmentInfo:
    """A closed, playable segment: ``frames`` video packets from ``start_utc`` to ``end_utc``."""

    camera: str
    path: Path
    start_utc: datetime
    end_utc: datetime
    frames: int


@dataclass(frozen=True)
class GapInfo:
    """A time without recording. Reported twice: when it starts (``end_utc`` is None) and, once
    the camera is back, with ``end_utc`` set. ``reason`` is the last error, for a person."""

    camera: str
    start_utc: datetime
    end_utc: datetime | None
    reason: str

    @property
    def ongoing(self) -> bool:
        return self.end_utc is None


def _now() -> datetime:
    return datetime.now(UTC)


def _redact(url: str) -> str:
    """The URL without a ``user:password@`` part, for logs."""
    return _CREDENTIALS.sub("//***@", url)


class _StreamDownError(FootageError):
    """The camera's stream cannot be opened or broke off: retried here, never raised further.
    ``reason`` is FFmpeg's (the URL, which may hold a password, is left out)."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


def _segment_error(part: Path, doing: str) -> Callable[[str], MediaError]:
    return lambda why: MediaError(part, f"cannot {doing} ({why})")


def free_segment_path(path: Path, own_part: Path | None = None) -> Path:
    """``path``, or ``<stem>-1.mp4``, ``-2``... when a segment of that second already exists (or is
    being written, other than ``own_part``)."""
    candidate, n = path, 0
    while candidate.exists() or (partial_path(candidate) != own_part and partial_path(candidate).exists()):
        n += 1
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
    return candidate


@dataclass(frozen=True)
class _Target:
    camera: str
    root: Path
    zone: tzinfo
    segment_s: float


class _SegmentWriter:
    """One segment being written: packets re-timed to start at 0, muxed into ``<name>.mp4.part``."""

    def __init__(self, target: _Target, template: Input, first: Packet,
                 start_utc: datetime) -> None:
        self.target = target
        self.part = partial_path(free_segment_path(segment_path(target.root, target.camera, start_utc, target.zone)))
        self.camera = target.camera
        self.start_utc = start_utc
        self.frames = 0
        self._time_base: Fraction = first.time_base
        origin = first.dts if first.dts is not None else first.pts
        self._origin: int = origin if origin is not None else 0
        self._last_dts: int | None = None
        self._end_pts = 0
        self._step = 0
        with ffmpeg_errors(_segment_error(self.part, "start a segment"), os_errors="translate"):
            self.part.parent.mkdir(parents=True, exist_ok=True)
            self._out = Mp4Output(self.part, {"movflags": FRAGMENTED_MOVFLAGS},
                                  metadata={"creation_time": start_utc.strftime("%Y-%m-%dT%H:%M:%S.%fZ")})
            self._out.copy_stream_of(template)

    def elapsed_s(self, packet: Packet) -> float:
        stamp = packet.dts if packet.dts is not None else packet.pts
        return float((stamp - self._origin) * self._time_base) if stamp is not None else 0.0

    def write(self, packet: Packet, arrival_utc: datetime) -> None:
        if packet.pts is None:
            return
        self.start_utc = min(self.start_utc, arrival_utc - timedelta(seconds=self.elapsed_s(packet)))
        packet.pts -= self._origin
        packet.dts = packet.pts if packet.dts is None else packet.dts - self._origin
        if self._last_dts is not None and packet.dts <= self._last_dts:
            log.debug("camera %s: dropped a packet whose time goes backwards", self.camera)
            return
        if self._last_dts is not None:
            self._step = packet.dts - self._last_dts
        self._last_dts = packet.dts
        self._end_pts = max(self._end_pts, packet.pts + (packet.duration or self._step))
        with ffmpeg_errors(_segment_error(self.part, "write the segment"), os_errors="translate"):
            self._out.mux(packet)
        self.frames += 1

    def close(self) -> SegmentInfo:
        """Finish the file (trailer written, so it plays) and give it its final name."""
        target = self.target
        with ffmpeg_errors(_segment_error(self.part, "close the segment"), os_errors="translate"):
            self._out.close()
            path = free_segment_path(segment_path(target.root, target.camera, self.start_utc, target.zone), self.part)
            path.parent.mkdir(parents=True, exist_ok=True)
            self.part.replace(path)
        end_utc = self.start_utc + timedelta(seconds=float(self._end_pts * self._time_base))
        return SegmentInfo(self.camera, path, self.start_utc, end_utc, self.frames)


def _copy(source: Input | None, target: _Target, stop: threading.Event,
          on_segment: Callable[[SegmentInfo], None] | None) -> tuple[str, datetime]:
    """Copy packets into segments until the stream ends or ``stop``; returns why it ended and the
    arrival time of the last packet."""
    last_arrival = _now()
    if source is None:
        return "no video stream", last_arrival
    writer: _SegmentWriter | None = None

    def finish() -> None:
        nonlocal writer
        if writer is not None:
            info = writer.close()
            writer = None
            log.info("camera %s: segment %s (%d frames)", target.camera, info.path.name, info.frames)
            if on_segment is not None:
                on_segment(info)

    packets = source.packets(error=_StreamDownError)
    try:
        while not stop.is_set():
            try:
                packet = next(packets)
            except StopIteration:
                return "end of stream", last_arrival
            except _StreamDownError as exc:
                return exc.reason, last_arrival
            if packet.pts is None or packet.size == 0:
                continue
            last_arrival = _now()
            if writer is not None and packet.is_keyframe and writer.elapsed_s(packet) >= target.segment_s:
                finish()
            if writer is None:
                if not packet.is_keyframe:
                    continue
                writer = _SegmentWriter(target, source, packet, last_arrival)
            writer.write(packet, last_arrival)
        return "stopped", last_arrival
    finally:
        finish()


def record(url: str, camera: str, root: Path, *, segment_s: float = 60.0, zone: tzinfo, stop: threading.Event,
           on_segment: Callable[[SegmentInfo], None] | None = None, on_gap: Callable[[GapInfo], None] | None = None,
           policy: RetryPolicy | None = None, timeout_s: float = 5.0, rng: random.Random | None = None,
           on_state: StateCallback | None = None) -> None:
    """Record ``url`` as ``camera`` under ``root`` until ``stop`` is set, reconnecting as needed.

    Blocks; run it in a thread. ``stop`` is checked between packets and during waits, so it ends
    recording within one packet interval (at most ``timeout_s`` on a stalled connection).
    Callbacks run in the recording thread; ``on_state(state, detail)`` hears ``recording`` on each
    connection, ``reconnecting`` with the reason when the stream drops or cannot be opened, and
    ``failed`` with :func:`explain`'s reading when the URL or password is wrong.
    Raises :class:`~footage.errors.MediaError` only when a
    segment cannot be written (disk full, no permission); stream errors are retried, never raised.
    """
    policy = policy or RetryPolicy()
    target = _Target(camera, Path(root), zone, segment_s)
    gap_start: datetime | None = _now()
    reason = "not connected yet"
    delays = None
    tell = on_state or (lambda state, detail: None)
    while not stop.is_set():
        try:
            source = open_camera(url, timeout_s, _StreamDownError)
        except _StreamDownError as exc:
            repeated, reason = reason == exc.reason, exc.reason
            delays = delays or policy.delays(rng)
            delay = next(delays)
            log.log(logging.DEBUG if repeated else logging.WARNING, "camera %s: cannot open %s (%s); retrying in %.1f s",
                    camera, _redact(url), explain(reason), delay)
            tell("failed" if is_fatal(reason) else "reconnecting", explain(reason))
            if stop.wait(delay):
                return
            continue
        delays = None
        if gap_start is not None:
            log.info("camera %s: connected to %s", camera, _redact(url))
            if on_gap is not None and reason != "not connected yet":
                on_gap(GapInfo(camera, gap_start, _now(), reason))
            gap_start = None
        tell("recording", "")
        try:
            reason, gap_start = _copy(source, target, stop, on_segment)
        finally:
            if source is not None:
                source.close()
        if stop.is_set():
            return
        log.warning("camera %s: stream dropped (%s); reconnecting", camera, reason)
        tell("reconnecting", reason)
        if on_gap is not None:
            on_gap(GapInfo(camera, gap_start, None, reason))
