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


def test_the_type_checkers_see_the_names_the_package_imports() -> None:
    """``footage/__init__.py`` says each name twice: imported under TYPE_CHECKING (for type
    checkers and editors) and in the table it imports from on first use; the two must agree."""
    import ast
    import inspect

    tree = ast.parse(inspect.getsource(footage))
    checked = next(node for node in tree.body if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING")
    seen = {(node.module, alias.asname or alias.name) for node in checked.body if isinstance(node, ast.ImportFrom)
            for alias in node.names}
    assert seen == {(module, name) for module, names in footage._EXPORTS.items() for name in names}
    assert set(footage.__all__) == {name for _, name in seen}


def test_importing_a_core_module_loads_no_heavy_runtime() -> None:
    """The public names are imported on first use, so ``import footage.events`` loads the
    events rules and NumPy, not PyAV, Pillow, Jinja2, SciPy or onnxruntime."""
    import subprocess
    import sys

    code = ("import sys, footage.events; "
            "print(' '.join(m for m in ('av', 'PIL', 'jinja2', 'scipy', 'onnxruntime', 'fastapi') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    assert done.stdout.strip() == ""
