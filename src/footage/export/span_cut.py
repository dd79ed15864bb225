"""Which packets a stream copy of one span must keep: a pure decision, fed in decode order.

A copy can only begin at a keyframe, so the packets from the keyframe at or before the span up
to its first frame are kept as a hidden *lead*. With B-frames, a reference frame shown after the
span can be needed to decode the span's last frames; such a packet is kept too (a hidden *tail*)
when, and only when, a frame of the span follows it in decode order. Packets are held back until
the span's first frame is known (with B-frames it need not be the first to arrive), so every
packet handed out can be given its final output time at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Generic, TypeVar

__all__ = ["SpanCut", "with_decode_times"]

T = TypeVar("T")


class SpanCut(Generic[T]):
    """Selects, from packets in decode order starting at a keyframe, those that show the frames
    with ``start_pts <= pts < end_pts`` (ticks of the stream's time base).

    After :meth:`push` or :meth:`finish` handed out packets, ``zero_pts`` (the first shown frame)
    is final; ``end_shown_pts`` is where the last shown frame ends.
    """

    def __init__(self, start_pts: int, end_pts: int) -> None:
        self.start_pts = start_pts
        self.end_pts = end_pts
        self.keyframe_pts: int | None = None
        self.zero_pts: int | None = None
        self.end_shown_pts: int | None = None
        self.frames = 0
        self.hidden_tail = 0
        self.finished = False
        self._settled = False
        self._held: list[tuple[T, bool]] = []  # (packet, shown after the span)

    @property
    def lead_pts(self) -> int:
        """Ticks between the keyframe the copy starts at and the first shown frame."""
        if self.keyframe_pts is None or self.zero_pts is None:
            return 0
        return self.zero_pts - self.keyframe_pts

    def push(self, packet: T, pts: int, dts: int, duration: int) -> list[T]:
        """Packets to write now, in decode order. Once ``finished`` is set, nothing later can be shown:
        stop reading and call :meth:`finish`."""
        if self.finished:
            return []
        if self.keyframe_pts is None:
            self.keyframe_pts = pts
        elif pts < self.keyframe_pts:
            return []  # a leading picture of an open GOP: it refers to frames before the cut
        if dts >= self.end_pts:
            # decode times increase and pts >= dts, so no later packet is shown in the span
            self.finished = True
            return []
        after = pts >= self.end_pts
        self._held.append((packet, after))
        if not after and pts >= self.start_pts:
            self.frames += 1
            self.zero_pts = pts if self.zero_pts is None else min(self.zero_pts, pts)
            end = pts + duration
            self.end_shown_pts = end if self.end_shown_pts is None else max(self.end_shown_pts, end)
        if self.zero_pts is not None and dts >= self.zero_pts:
            self._settled = True  # every later packet has pts > dts >= zero_pts
        return self._release()

    def finish(self) -> list[T]:
        """The packets still held that belong in the copy (call once, at the end of the input or
        when ``finished``); a trailing run of packets shown only after the span is dropped."""
        self.finished = True
        self._settled = self.zero_pts is not None
        released = self._release()
        self._held = []
        return released

    def _release(self) -> list[T]:
        if not self._settled:
            return []
        last = max((i for i, (_, after) in enumerate(self._held) if not after), default=-1)
        released, self._held = self._held[: last + 1], self._held[last + 1 :]
        self.hidden_tail += sum(after for _, after in released)
        return [packet for packet, _ in released]


def with_decode_times(packets: Iterable[tuple[T, int, int | None]], step: int) -> Iterator[tuple[T, int, int]]:
    """``(packet, pts, dts)`` in decode order with every missing ``dts`` filled in. Matroska stores
    no decode times, and FFmpeg cannot derive them for the first packets after a keyframe of a
    stream with B-frames; those get times ``step`` apart just before the first known one (as an
    MP4 of the same stream would have them), a missing one later the time just after the last."""
    waiting: list[tuple[T, int]] = []
    last: int | None = None
    for packet, pts, dts in packets:
        if dts is None and last is None:
            waiting.append((packet, pts))
            continue
        if waiting:
            first = dts if dts is not None else pts
            yield from ((held, held_pts, first - (len(waiting) - i) * step) for i, (held, held_pts) in enumerate(waiting))
            waiting = []
        dts = dts if dts is not None else (last if last is not None else pts) + 1
        last = dts
        yield packet, pts, dts
    if waiting:
        first = min(pts for _, pts in waiting)
        yield from ((held, held_pts, first - (len(waiting) - 1 - i) * step) for i, (held, held_pts) in enumerate(waiting))
