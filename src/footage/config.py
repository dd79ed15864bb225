"""Settings: one typed, frozen schema, and the only place a settings file is parsed.

A settings file is TOML with up to nine tables, each optional::

    timezone = "Europe/Berlin"      # how to read times without a zone (file names, --start)

    [ingest]                        # footage.ingest.params.SourceParams
    detect_fps = 5.0
    [detect]                        # DetectParams below
    classes = ["person", "car"]
    [track]                         # footage.track.params.ByteTrackParams
    lost_buffer_s = 3.0
    [keep]                          # TrackFilterParams below
    [events]                        # footage.events.params.EventParams (docs/events.md)
    linger_s = 30.0
    [search]                        # footage.search.params.SearchParams (docs/search.md)
    text_model = "/models/minilm.onnx"
    [web]                           # WebParams below
    index_roots = ["/srv/cameras"]
    [timeline]                      # footage.timeline.params.TimelineParams
    join_gap_s = 5.0
    [pose]                          # footage.pose.params.PoseParams
    every_s = 1.0

Unknown tables or keys, and values of the wrong type, raise :class:`ConfigError`. Every setting
is documented in ``docs/config.md`` (a test checks that none is missing).
"""

from __future__ import annotations

import dataclasses
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import tzinfo
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from footage.errors import ConfigError
from footage.events.params import EventParams
from footage.ingest.params import SourceParams
from footage.labels import DEFAULT_CLASSES
from footage.pose.params import PoseParams
from footage.search.params import SearchParams
from footage.timeline.params import TimelineParams
from footage.track.params import ByteTrackParams

__all__ = [
    "DetectParams", "Settings", "TrackFilterParams", "WebParams", "build_table", "load_settings", "override_table",
    "read_toml", "settings_from_data",
]


@dataclass(frozen=True)
class DetectParams:
    """Object detection settings."""

    classes: tuple[str, ...] = DEFAULT_CLASSES
    score_threshold: float = 0.1
    nms_threshold: float = 0.45
    threads: int = 0
    workers: int = 2


@dataclass(frozen=True)
class TrackFilterParams:
    """Which finished tracks are kept."""

    min_track_confidence: float = 0.6
    min_track_boxes: int = 2


@dataclass(frozen=True)
class WebParams:
    """How the review pages show things, and which server folders may be indexed from them.

    ``index_roots`` is empty by default: the index form then says how to allow it
    (``footage serve --index-root DIR`` adds to this list)."""

    preroll_s: float = 3.0
    timeline_bins: int = 144
    page_size: int = 50
    latest_moments: int = 4
    index_roots: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.preroll_s < 0:
            raise ValueError(f"preroll_s must be at least 0, got {self.preroll_s}")
        if not 10 <= self.timeline_bins <= 2000:
            raise ValueError(f"timeline_bins must be between 10 and 2000, got {self.timeline_bins}")
        if not 1 <= self.page_size <= 500 or self.latest_moments < 0:
            raise ValueError("page_size must be between 1 and 500 and latest_moments at least 0")


@dataclass(frozen=True)
class Settings:
    """Everything that changes how footage indexes. Build with :func:`load_settings` or directly."""

    ingest: SourceParams = field(default_factory=SourceParams)
    detect: DetectParams = field(default_factory=DetectParams)
    track: ByteTrackParams = field(default_factory=ByteTrackParams)
    keep: TrackFilterParams = field(default_factory=TrackFilterParams)
    events: EventParams = field(default_factory=EventParams)
    search: SearchParams = field(default_factory=SearchParams)
    web: WebParams = field(default_factory=WebParams)
    timeline: TimelineParams = field(default_factory=TimelineParams)
    pose: PoseParams = field(default_factory=PoseParams)
    timezone: str | None = None

    def zone(self) -> tzinfo:
        """The zone for times written without one: ``timezone``, else this computer's."""
        if self.timezone is None:
            from datetime import datetime

            local = datetime.now().astimezone().tzinfo
            assert local is not None
            return local
        try:
            return ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ConfigError(f"unknown timezone {self.timezone!r} (use an IANA name like Europe/Berlin)") from exc

    def with_ingest(self, **changes: Any) -> Settings:
        return dataclasses.replace(self, ingest=dataclasses.replace(self.ingest, **changes))

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


T = TypeVar("T")

_TABLES: dict[str, type] = {
    "ingest": SourceParams, "detect": DetectParams, "track": ByteTrackParams, "keep": TrackFilterParams,
    "events": EventParams, "search": SearchParams, "web": WebParams, "timeline": TimelineParams, "pose": PoseParams,
}


def build_table(kind: type[T], table: str, values: Any, base: T | None = None) -> T:
    """A frozen settings dataclass from a TOML table: unknown keys and wrong types are a
    :class:`ConfigError`; keys not given keep ``base``'s values (the defaults when None)."""
    if not isinstance(values, dict):
        raise ConfigError(f"[{table}] must be a table")
    fields = {f.name: f for f in dataclasses.fields(kind)}  # type: ignore[arg-type]
    unknown = sorted(set(values) - set(fields))
    if unknown:
        raise ConfigError(f"unknown setting(s) in [{table}]: {', '.join(unknown)}; known: {', '.join(fields)}")
    default = kind()
    converted: dict[str, Any] = {}
    for name, value in values.items():
        expected = getattr(default, name)
        if isinstance(expected, bool):
            ok = isinstance(value, bool)
        elif isinstance(expected, float):
            ok = isinstance(value, int | float) and not isinstance(value, bool)
            value = float(value)
        elif isinstance(expected, int):
            ok = isinstance(value, int) and not isinstance(value, bool)
        elif isinstance(expected, tuple):
            ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
            value = tuple(value) if ok else value
        else:
            ok = isinstance(value, type(expected))
        if not ok:
            raise ConfigError(f"[{table}] {name} = {value!r}: expected {type(expected).__name__}")
        converted[name] = value
    try:
        return dataclasses.replace(base, **converted) if base is not None else kind(**converted)  # type: ignore[type-var]
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"[{table}]: {exc}") from exc


def load_settings(path: Path | None = None, **ingest_overrides: Any) -> Settings:
    """Settings from a TOML file (or the defaults), with command-line ingest overrides applied."""
    settings = settings_from_data(read_toml(path, "settings"), str(path)) if path is not None else Settings()
    overrides = {k: v for k, v in ingest_overrides.items() if v is not None}
    if overrides:
        settings = settings.with_ingest(**overrides)
    if settings.ingest.detect_fps <= 0:
        raise ConfigError(f"detect_fps must be positive, got {settings.ingest.detect_fps}")
    settings.zone()
    return settings


def read_toml(path: Path, what: str) -> dict[str, Any]:
    """A TOML file's tables, or a :class:`ConfigError` saying why it cannot be read."""
    try:
        return tomllib.loads(Path(path).read_text("utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read {what} file {path}: {exc.strerror or exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{what} file {path} is not valid TOML: {exc}") from exc


def override_table(data: Mapping[str, Any], table: str, **values: Any) -> dict[str, Any]:
    """Parsed TOML tables with ``values`` written over the keys of ``table``; a value given as None
    leaves the file's (the command line's options over a settings file's, before they are checked)."""
    current = data.get(table, {})
    if not isinstance(current, dict):
        raise ConfigError(f"[{table}] must be a table")
    return {**data, table: {**current, **{k: v for k, v in values.items() if v is not None}}}


def settings_from_data(data: dict[str, Any], where: str, base: Settings | None = None) -> Settings:
    """Settings from parsed TOML tables (``timezone`` and the tables named in this module's
    docstring), each table's keys replacing those of ``base`` (the defaults when None)."""
    base = base or Settings()
    unknown = sorted(set(data) - set(_TABLES) - {"timezone"})
    if unknown:
        raise ConfigError(f"unknown setting(s) in {where}: {', '.join(unknown)}")
    timezone = data.get("timezone", base.timezone)
    if timezone is not None and not isinstance(timezone, str):
        raise ConfigError("timezone must be a string such as 'Europe/Berlin'")
    tables: dict[str, Any] = {
        name: build_table(kind, name, data[name], getattr(base, name)) for name, kind in _TABLES.items() if name in data
    }
    return dataclasses.replace(base, timezone=timezone, **tables)
