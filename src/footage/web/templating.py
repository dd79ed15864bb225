"""Jinja2 filters the templates use to print times, lengths and places on the strip."""

from __future__ import annotations

from datetime import datetime

from jinja2 import Environment

__all__ = ["add_filters", "clock", "duration", "percent"]


def clock(moment: datetime | None, with_day: bool = False) -> str:
    """``17:03:12``, or ``Sat 21 Nov 17:03:12`` with the day."""
    if moment is None:
        return "-"
    return moment.strftime("%a %d %b %H:%M:%S" if with_day else "%H:%M:%S")


def duration(seconds: float) -> str:
    """``45 s``, ``3 min 20 s``, ``2 h 05 min``."""
    whole = round(seconds)
    if whole < 60:
        return f"{seconds:.0f} s" if seconds >= 10 else f"{seconds:.1f} s"
    if whole < 3600:
        return f"{whole // 60} min {whole % 60:02d} s"
    return f"{whole // 3600} h {whole % 3600 // 60:02d} min"


def percent(fraction: float) -> str:
    """A fraction as a CSS percentage, ``12.345%``."""
    return f"{fraction * 100:.3f}%"


def add_filters(env: Environment) -> None:
    env.filters.update(clock=clock, duration=duration, percent=percent)
