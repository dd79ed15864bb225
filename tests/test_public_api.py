"""The public surface is explicit: everything in ``footage.__all__`` exists, and nothing else
public is exported by accident."""

import footage

EXPECTED = {
    "EVENT_KINDS", "Analysis", "Event", "EventParams", "Moment", "Span", "analyse", "read_mot",
    "RebuildReport", "rebuild_moments", "MomentFilter", "get_moment", "list_moments", "IndexedEvent",
    "IndexedMoment", "TrackFileError", "QueryError", "RequestError", "SearchParams", "SearchReport", "SearchResult",
    "search_moments", "StreamCopyError", "ExportReport", "ExportRequest", "ShareReport", "export_clip", "share_moment",
    "ByteTrackParams", "ByteTracker", "ConfigError", "CorruptMediaError", "DetectParams", "Detections",
    "Detector", "FileOutcome", "FootageError", "Frame", "StoreError", "IndexReport", "IndexStatus",
    "IndexedTrack", "MediaError", "MediaNotFoundError", "MediaOpenError", "MediaTime", "ModelError",
    "PyAVSource", "RecordingInfo", "Settings", "SourceParams", "Track", "TrackBox", "TrackFilter",
    "TrackFilterParams", "UnsupportedCodecError", "WallClock", "default_db_path", "index_paths",
    "list_tracks", "load_detector", "load_settings", "open_index", "status_summary",
}


def test_all_is_exactly_the_public_api() -> None:
    assert set(footage.__all__) == EXPECTED
    for name in footage.__all__:
        assert getattr(footage, name) is not None


def test_every_error_is_a_footage_error() -> None:
    for name in footage.__all__:
        obj = getattr(footage, name)
        if isinstance(obj, type) and issubclass(obj, Exception):
            assert issubclass(obj, footage.FootageError), name


def test_public_objects_have_docstrings() -> None:
    for name in footage.__all__:
        obj = getattr(footage, name)
        if callable(obj):
            assert (obj.__doc__ or "").strip(), f"{name} has no docstring"
