"""footage: find the moments that matter in hours of security-camera video.

The pipeline, one stage per sub-package: ``ingest`` (files -> sampled frames) -> ``detect``
(frames -> detections) -> ``track`` (detections -> tracks) -> ``events`` (tracks -> events ->
moments) -> ``store`` (the SQLite index) -> ``search`` (plain words -> ranked moments), wired by
``pipeline``; ``web`` serves the review pages (``footage serve``; build the app with
``footage.web.app.create_app``). This module is the public surface for scripts::

    from footage import Settings, index_paths, load_detector, open_index, list_moments, MomentFilter

    settings = Settings()
    report = index_paths(["/media/sd"], db_path=Path("index.sqlite"),
                         detector=load_detector(settings.detect), settings=settings)
    for moment in list_moments(open_index(Path("index.sqlite")), MomentFilter(kind="together")):
        print(moment.start_utc, moment.description, moment.keyframe)
    for result in search_moments(Path("index.sqlite"), "two people together for minutes").results:
        print(result.id, result.start_utc, result.description, result.thumbnail)
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # what type checkers and editors see; at run time each name is imported on first use
    from footage.config import DetectParams, Settings, TrackFilterParams, load_settings
    from footage.detect import Detector, load_detector
    from footage.errors import (
        ConfigError,
        CorruptMediaError,
        FootageError,
        MediaError,
        MediaNotFoundError,
        MediaOpenError,
        ModelError,
        QueryError,
        RequestError,
        StoreError,
        StreamCopyError,
        TrackFileError,
        UnsupportedCodecError,
    )
    from footage.events import EVENT_KINDS, Analysis, EventParams, analyse
    from footage.ingest.mot import read_mot
    from footage.ingest.params import SourceParams
    from footage.ingest.source import PyAVSource
    from footage.pipeline.export import ExportReport, ExportRequest, export_clip
    from footage.pipeline.index import index_paths
    from footage.pipeline.moments import RebuildReport, rebuild_moments
    from footage.pipeline.outcome import FileOutcome, IndexReport
    from footage.pipeline.search import SearchReport, SearchResult, search_moments
    from footage.pipeline.share import ShareReport, share_moment
    from footage.search.params import SearchParams
    from footage.store.database import connect as open_index
    from footage.store.database import default_db_path
    from footage.store.moments import MomentFilter, get_moment, list_moments
    from footage.store.queries import TrackFilter, list_tracks, status_summary
    from footage.store.records import IndexedEvent, IndexedMoment, IndexedTrack, IndexStatus
    from footage.time import MediaTime, WallClock
    from footage.track.bytetrack import ByteTracker
    from footage.track.params import ByteTrackParams
    from footage.types import Detections, Event, Frame, Moment, RecordingInfo, Span, Track, TrackBox

#: where each public name lives, by module. A name is imported on first use (PEP 562), so
#: ``import footage.events`` loads the events rules alone, not PyAV, SQLite, Jinja2 and SciPy.
_EXPORTS: dict[str, tuple[str, ...]] = {
    "footage.config": ("DetectParams", "Settings", "TrackFilterParams", "load_settings"),
    "footage.detect": ("Detector", "load_detector"),
    "footage.errors": (
        "ConfigError", "CorruptMediaError", "FootageError", "MediaError", "MediaNotFoundError", "MediaOpenError", "ModelError",
        "QueryError", "RequestError", "StoreError", "StreamCopyError", "TrackFileError", "UnsupportedCodecError",
    ),
    "footage.events": ("EVENT_KINDS", "Analysis", "EventParams", "analyse"),
    "footage.ingest.mot": ("read_mot",),
    "footage.ingest.params": ("SourceParams",),
    "footage.ingest.source": ("PyAVSource",),
    "footage.pipeline.export": ("ExportReport", "ExportRequest", "export_clip"),
    "footage.pipeline.index": ("index_paths",),
    "footage.pipeline.moments": ("RebuildReport", "rebuild_moments"),
    "footage.pipeline.outcome": ("FileOutcome", "IndexReport"),
    "footage.pipeline.search": ("SearchReport", "SearchResult", "search_moments"),
    "footage.pipeline.share": ("ShareReport", "share_moment"),
    "footage.search.params": ("SearchParams",),
    "footage.store.database": ("open_index", "default_db_path"),
    "footage.store.moments": ("MomentFilter", "get_moment", "list_moments"),
    "footage.store.queries": ("TrackFilter", "list_tracks", "status_summary"),
    "footage.store.records": ("IndexedEvent", "IndexedMoment", "IndexedTrack", "IndexStatus"),
    "footage.time": ("MediaTime", "WallClock"),
    "footage.track.bytetrack": ("ByteTracker",),
    "footage.track.params": ("ByteTrackParams",),
    "footage.types": ("Detections", "Event", "Frame", "Moment", "RecordingInfo", "Span", "Track", "TrackBox"),
}
#: public names that differ from the name in their module
_RENAMED = {"open_index": "connect"}
_HOME = {name: module for module, names in _EXPORTS.items() for name in names}

__version__ = "0.1.0"

__all__ = [
    "EVENT_KINDS",
    "Analysis",
    "ByteTrackParams",
    "ByteTracker",
    "ConfigError",
    "CorruptMediaError",
    "DetectParams",
    "Detections",
    "Detector",
    "Event",
    "EventParams",
    "ExportReport",
    "ExportRequest",
    "FileOutcome",
    "FootageError",
    "Frame",
    "IndexReport",
    "IndexStatus",
    "IndexedEvent",
    "IndexedMoment",
    "IndexedTrack",
    "MediaError",
    "MediaNotFoundError",
    "MediaOpenError",
    "MediaTime",
    "ModelError",
    "Moment",
    "MomentFilter",
    "PyAVSource",
    "QueryError",
    "RebuildReport",
    "RecordingInfo",
    "RequestError",
    "SearchParams",
    "SearchReport",
    "SearchResult",
    "Settings",
    "ShareReport",
    "SourceParams",
    "Span",
    "StoreError",
    "StreamCopyError",
    "Track",
    "TrackBox",
    "TrackFileError",
    "TrackFilter",
    "TrackFilterParams",
    "UnsupportedCodecError",
    "WallClock",
    "analyse",
    "default_db_path",
    "export_clip",
    "get_moment",
    "index_paths",
    "list_moments",
    "list_tracks",
    "load_detector",
    "load_settings",
    "open_index",
    "read_mot",
    "rebuild_moments",
    "search_moments",
    "share_moment",
    "status_summary",
]


def __getattr__(name: str) -> Any:
    try:
        module = _HOME[name]
    except KeyError:
        raise AttributeError(f"module 'footage' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module), _RENAMED.get(name, name))
    globals()[name] = value  # the next look-up does not come here
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
