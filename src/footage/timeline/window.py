"""Which part of a stretch a new recording can change (pure).

The rules reach only so far in time from what they look at: a track is joined to one that starts
within ``link_gap_s`` after it, a ball's flight lasts at most ``catch_flight_s``, events merge
across at most ``merge_gap_s``, a track is smoothed over ``smooth_s``; everything else needs two
things in view at once. So the analysis of a stretch falls apart at every quiet time longer than
that reach, and adding a recording changes only the stretch's part around it, from the quiet time
before the activity it touches to the quiet time after. That part is found by widening the
recording's own time over every track and moment that reaches into it, until nothing more does.
"""

from __future__ import annotations

from collections.abc import Iterable

from footage.events.params import EventParams

__all__ = ["quiet_us", "settle_us", "widen"]


def quiet_us(params: EventParams) -> int:
    """The shortest quiet time (microseconds) across which no rule connects anything."""
    reach_s = max(params.link_gap_s, params.merge_gap_s, params.catch_flight_s) + params.smooth_s + 2 * params.step_s
    return round((reach_s + 1.0) * 1e6)


def settle_us(params: EventParams) -> int:
    """How long after a cut through busy footage (microseconds) the rules find again what they
    found with both sides in view: the longest a rule watches before it names an event (a stay,
    a stop, company, an approach), plus the quiet time. Within it, what was stored stands
    (:mod:`footage.timeline.carry`)."""
    watch_s = max(params.linger_s, params.stop_s, params.sit_s, params.together_s, params.approach_within_s)
    return round(watch_s * 1e6) + quiet_us(params)


def widen(lo_us: int, hi_us: int, spans: Iterable[tuple[int, int]]) -> tuple[int, int]:
    """``[lo_us, hi_us]`` grown to cover every span ``(first_us, last_us)`` given (the tracks and
    moments found within the quiet time around it)."""
    for first, last in spans:
        lo_us, hi_us = min(lo_us, first), max(hi_us, last)
    return lo_us, hi_us
