"""When to decode: the still-scene policy of the reader, as a small state machine over plain facts
(is this packet a keyframe, how large is it, when is it, what did the last probe show).

Two modes, switched at keyframes:

* **active**: every packet is decoded (a P-frame needs its predecessors): :attr:`Action.DECODE`.
* **still**: once nothing changed for ``still_after_s`` before a keyframe, packets are only kept
  (:attr:`Action.KEEP`), not decoded. A keyframe is probed (decoded alone and compared with the
  last analysed frame, :attr:`Action.PROBE`) every ``probe_interval_s``; a P-frame much larger
  than the still ones (:class:`~footage.ingest.packet_gate.PacketSizeGate`) wakes the reader at
  once. Either way the stretch kept since the last probed keyframe is then replayed through the
  decoder (:attr:`Action.REPLAY`), so activity is seen from its start, and the reader is active.

The reader (:class:`~footage.ingest.source.PyAVSource`) does the I/O: it keeps the packets, decodes
what it is told to, and reports what the motion gate saw (:meth:`StillScene.changed`,
:meth:`StillScene.probed`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from footage.ingest.packet_gate import PacketSizeGate

__all__ = ["Action", "Step", "StillScene"]

#: below this, two times are the same (float seconds from integer timestamps)
_EPS = 1e-6


class Action(Enum):
    """What to do with a packet."""

    DECODE = "decode"  # active: decode it and sample its frames
    KEEP = "keep"  # still: add it to the kept stretch, decode nothing
    RESTART = "restart"  # still, after a probe: the kept stretch starts anew at this keyframe
    PROBE = "probe"  # still: decode this keyframe alone, compare it, then call probed()
    REPLAY = "replay"  # still: add it to the kept stretch, replay the stretch in full, go active


@dataclass(frozen=True)
class Step:
    """The decision for one packet. ``went_still``: before it, drain the decoder (its frames
    are the active stretch's last) and forget what it holds, as the scene is still from this
    keyframe on. ``woken``: the packet's size woke the reader (a replay follows)."""

    action: Action
    went_still: bool = False
    woken: bool = False


_DECODE = Step(Action.DECODE)


@dataclass
class StillScene:
    """The policy's state. ``skipping`` is False when keyframe skipping or the motion gate is off
    (always active); ``size_wake`` lets a large P-frame end a still stretch; ``last_change_s`` is
    when the motion gate last saw a change (the start of a window: it knows nothing before)."""

    still_after_s: float = 4.0
    probe_interval_s: float = 8.0
    skipping: bool = True
    size_wake: bool = True
    last_change_s: float = 0.0
    still: bool = False
    #: how many packets the kept stretch holds (while still)
    kept: int = 0
    last_probe_s: float = -1e9
    sizes: PacketSizeGate = field(default_factory=PacketSizeGate)
    _last_kept_keyframe: bool = False

    def changed(self, time_s: float) -> None:
        """The motion gate saw the scene change at ``time_s`` (in an active stretch)."""
        self.last_change_s = time_s

    def step(self, *, keyframe: bool, size: int, time_s: float | None, fallback_s: float) -> Step:
        """The decision for the next packet in decode order: a ``keyframe`` or not, ``size``
        bytes, shown at ``time_s`` (None: no timestamp; then ``fallback_s``, the latest time
        seen, stands in while still)."""
        went_still = False
        if not self.still and keyframe and self._quiet_long_enough(time_s):
            self.still, self.kept, self.last_probe_s, went_still = True, 0, -1e9, True
            self.sizes.forget()
        if not self.still:
            return _DECODE
        packet_s = time_s if time_s is not None else fallback_s
        if keyframe:
            if packet_s - self.last_probe_s < self.probe_interval_s - _EPS:
                self._keep(keyframe=True)  # not time to look yet; keep it for a possible replay
                return Step(Action.KEEP, went_still)
            return Step(Action.PROBE, went_still)
        follows_keyframe = self.kept >= 1 and self._last_kept_keyframe
        self._keep(keyframe=False)
        woken = self.size_wake and self.sizes.suspicious(size, follows_keyframe=follows_keyframe)
        if not woken:
            return Step(Action.KEEP, went_still)
        self._go_active()
        return Step(Action.REPLAY, went_still, woken=True)

    def probed(self, time_s: float, *, unchanged: bool) -> Action:
        """What a probe of the keyframe at ``time_s`` showed: ``unchanged`` (or nothing to
        compare: it decoded to no frame) keeps the reader still, the stretch kept anew from this
        keyframe (:attr:`Action.RESTART`); a change replays it (:attr:`Action.REPLAY`)."""
        if unchanged:
            self.kept, self._last_kept_keyframe, self.last_probe_s = 1, True, time_s
            return Action.RESTART
        self._go_active()
        return Action.REPLAY

    @property
    def tail_unseen(self) -> bool:
        """At the end of the file or window: whether packets kept after the last probe were never
        looked at (then decode them, at most one probe interval's worth)."""
        return self.still and self.kept > 1

    def _quiet_long_enough(self, time_s: float | None) -> bool:
        if not self.skipping or time_s is None:
            return False
        return time_s - self.last_change_s >= self.still_after_s - _EPS

    def _keep(self, *, keyframe: bool) -> None:
        self.kept += 1
        self._last_kept_keyframe = keyframe

    def _go_active(self) -> None:
        self.still, self.kept = False, 0
