"""The exceptions footage raises, one tree rooted at :class:`FootageError`.

::

    FootageError                 anything footage reports to a user
    ├── ConfigError              a setting is unknown, mistyped or out of range
    ├── MediaError               a recording cannot be (fully) read; ``path`` names it
    │   ├── MediaNotFoundError   the path does not exist
    │   ├── MediaOpenError       FFmpeg cannot open it (empty, not a video, truncated header)
    │   ├── UnsupportedCodecError  it opens, but no decoder exists for its video stream
    │   ├── CorruptMediaError    decoding failed part-way; frames before the damage were used
    │   └── StreamCopyError      a clip cannot be cut without re-encoding (codec, size or settings differ)
    ├── ModelError               a model file is missing or onnxruntime rejects it
    ├── TrackFileError           a MOTChallenge track file is missing or malformed
    ├── QueryError               a search is empty or names a camera the index does not have
    ├── RequestError             a web request is malformed, not allowed or names nothing that exists
    └── StoreError              the index database is unusable (locked, newer schema, corrupt)

Third-party exceptions (PyAV's ``av.error.FFmpegError``, onnxruntime's, ``sqlite3.Error``) are
translated into these at the adapter that calls the library, chained with ``raise ... from``, so
callers only ever catch footage's own types. Every message is one line meant for a person.
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "ConfigError",
    "CorruptMediaError",
    "FootageError",
    "MediaError",
    "MediaNotFoundError",
    "MediaOpenError",
    "ModelError",
    "QueryError",
    "RequestError",
    "StoreError",
    "StreamCopyError",
    "TrackFileError",
    "UnsupportedCodecError",
]


class FootageError(Exception):
    """Base of every error footage raises on purpose."""


class ConfigError(FootageError):
    """A setting is unknown, has the wrong type, or is out of range."""


class MediaError(FootageError):
    """A recording cannot be read, or not all of it. ``path`` names the file, ``reason`` says why."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class MediaNotFoundError(MediaError):
    """The path does not exist."""


class MediaOpenError(MediaError):
    """FFmpeg could not open the file or found no video stream in it."""


class UnsupportedCodecError(MediaError):
    """The file opens but its video codec cannot be decoded by this FFmpeg build."""


class CorruptMediaError(MediaError):
    """Decoding stopped part-way through; what decoded before the damage was kept."""


class ModelError(FootageError):
    """A model file is missing or cannot be loaded by onnxruntime."""


class TrackFileError(FootageError):
    """A track file given to ``footage events --from-mot`` cannot be read or parsed."""


class StoreError(FootageError):
    """The index database cannot be used (locked, written by a newer footage, damaged)."""


class QueryError(FootageError):
    """A search request that cannot be answered as asked: nothing to search for, or a camera
    that is not in the index. The message says what would work."""


class RequestError(FootageError):
    """A request to the web app that cannot be answered: ``status`` is the HTTP status to send
    (400 malformed, 403 not allowed, 404 nothing there, 416 bad range), the message says why."""

    def __init__(self, message: str, status: int = 400) -> None:
        self.status = status
        super().__init__(message)


class StreamCopyError(MediaError):
    """A stream copy cannot make this clip (pieces with another codec, size or encoder settings, a
    codec MP4 cannot hold, a later piece starting between keyframes); re-encode instead."""
