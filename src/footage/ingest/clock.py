"""Decide the wall-clock start of a recording, and say how it was decided.

In order of trust: a time the user gives (``--start``); a date and time in the file name or its
folders, as cameras and NVR exports write them; the container's ``creation_time`` tag when it is
plausible; last, the file's modification time minus its duration (when a camera closes a segment).
A name holds whole seconds: when the container's time falls within the second the name gives, it
is the same clock read more finely, and wins (segments that follow one another then meet exactly).
Times without a zone (file names, ``--start`` without an offset) are read in ``timezone``.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path

__all__ = ["parse_user_time", "start_from_container", "start_from_path", "wall_clock_start"]

_SEP = r"[-_.: ]?"
# 20261120_153000, 20261120153000, 2026-11-20 15-30-00, 2026-11-20T15:30:00, 2026_11_20-15.30.00,
# ch01_20261120153000123 (Hikvision), RecM01_20261120_153000_153100 (Reolink), IMG_20261120_153000
_DATE_TIME = re.compile(
    r"(?<!\d)(?P<y>(?:19|20)\d\d)" + _SEP + r"(?P<mo>\d\d)" + _SEP + r"(?P<d>\d\d)"
    r"[-_.T ]?(?P<h>\d\d)" + _SEP + r"(?P<mi>\d\d)" + _SEP + r"(?P<s>\d\d)"
)
# Dahua/Amcrest exports: .../2026-11-20/001/dav/15/15.30.00-15.31.00[M][0@0][0].dav
_DATE_ONLY = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d\d)-(?P<mo>\d\d)-(?P<d>\d\d)(?!\d)")
_TIME_ONLY = re.compile(r"(?<!\d)(?P<h>\d\d)[.:\-](?P<mi>\d\d)[.:\-](?P<s>\d\d)(?!\d)")


def _build(parts: dict[str, str], zone: tzinfo) -> datetime | None:
    try:
        local = datetime(int(parts["y"]), int(parts["mo"]), int(parts["d"]),
                         int(parts["h"]), int(parts["mi"]), int(parts["s"]))
    except ValueError:
        return None
    return local.replace(tzinfo=zone).astimezone(UTC)


def start_from_path(path: Path, zone: tzinfo) -> datetime | None:
    """The start time written in the file name (or, Dahua-style, time in the name and date in a
    parent folder), or None when there is none."""
    for match in _DATE_TIME.finditer(path.name):
        found = _build(match.groupdict(), zone)
        if found is not None:
            return found
    time_match = _TIME_ONLY.search(path.stem)
    if time_match:
        for parent in path.parents:
            date_match = _DATE_ONLY.search(parent.name)
            if date_match:
                return _build(date_match.groupdict() | time_match.groupdict(), zone)
    return None


def start_from_container(creation_time: str | None, now: datetime) -> datetime | None:
    """The container's ``creation_time`` tag, unless it is missing or implausible (before 2000,
    the 1904/1970 epochs that unset clocks write, or more than a day in the future)."""
    if not creation_time:
        return None
    try:
        parsed = datetime.fromisoformat(creation_time.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    if parsed.year < 2000 or parsed > now + timedelta(days=1):
        return None
    return parsed.astimezone(UTC)


def parse_user_time(text: str, zone: tzinfo) -> datetime:
    """An ISO-8601 time from the command line; without an offset it is read in ``zone``.
    Raises ValueError with a readable message."""
    try:
        parsed = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError as exc:
        raise ValueError(f"not an ISO-8601 time: {text!r} (try 2026-11-20T15:30:00)") from exc
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=zone)
    return parsed.astimezone(UTC)


def wall_clock_start(
    path: Path,
    *,
    user_start: datetime | None,
    creation_time: str | None,
    mtime_s: float,
    duration_s: float,
    zone: tzinfo,
    now: datetime,
) -> tuple[datetime, str]:
    """The UTC start of a recording and the name of the evidence used: ``"user"``,
    ``"filename"``, ``"container"`` or ``"file-mtime"``."""
    if user_start is not None:
        return user_start.astimezone(UTC), "user"
    from_name = start_from_path(path, zone)
    from_container = start_from_container(creation_time, now)
    if from_name is not None:
        if from_container is not None and timedelta(0) <= from_container - from_name < timedelta(seconds=1):
            return from_container, "container"  # the same second, read finer (a container that keeps it)
        return from_name, "filename"
    if from_container is not None:
        return from_container, "container"
    return datetime.fromtimestamp(mtime_s, UTC) - timedelta(seconds=duration_s), "file-mtime"
