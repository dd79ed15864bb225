"""footage: find the moments that matter in hours of security-camera video.

The pipeline, one stage per sub-package: ``ingest`` (files -> sampled frames) -> ``detect``
(frames -> detections) -> ``track`` (detections -> tracks) -> ``store`` (the SQLite index),
wired by ``pipeline``. This module is the public surface for scripts::

    from footage import Settings, index_paths, load_detector, open_index, list_tracks, TrackFilter

    settings = Settings()
    report = index_paths(["/media/sd"], db_path=Path("index.sqlite"),
                         detector=load_detector(settings.detect), settings=settings)
"""

from __future__ import annotations

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
    StoreError,
    UnsupportedCodecError,
)
from footage.ingest.pyav_source import PyAVSource, SourceParams
from footage.pipeline.indexer import FileOutcome, IndexReport, index_paths
from footage.store.database import connect as open_index
from footage.store.database import default_db_path
from footage.store.queries import TrackFilter, list_tracks, status_summary
from footage.store.records import IndexedTrack, IndexStatus
from footage.time import MediaTime, WallClock
from footage.track.bytetrack import ByteTracker, ByteTrackParams
from footage.types import Detections, Frame, RecordingInfo, Track, TrackBox

__version__ = "0.1.0"

__all__ = [
    "ByteTrackParams",
    "ByteTracker",
    "ConfigError",
    "CorruptMediaError",
    "DetectParams",
    "Detections",
    "Detector",
    "FileOutcome",
    "FootageError",
    "Frame",
    "IndexReport",
    "IndexStatus",
    "IndexedTrack",
    "MediaError",
    "MediaNotFoundError",
    "MediaOpenError",
    "MediaTime",
    "ModelError",
    "PyAVSource",
    "RecordingInfo",
    "Settings",
    "SourceParams",
    "StoreError",
    "Track",
    "TrackBox",
    "TrackFilter",
    "TrackFilterParams",
    "UnsupportedCodecError",
    "WallClock",
    "default_db_path",
    "index_paths",
    "list_tracks",
    "load_detector",
    "load_settings",
    "open_index",
    "status_summary",
]
