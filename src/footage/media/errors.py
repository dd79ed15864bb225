"""The one mapping of PyAV's exceptions to footage's (:mod:`footage.errors`).

Every call into PyAV that can fail runs inside :func:`ffmpeg_errors` (or, in a hot loop, checks
:data:`FFMPEG_ERRORS` itself); the caller says which of footage's errors a failure is, as a
function of FFmpeg's reason (:func:`reason`), so messages stay one line for a person and name
what the caller knows (the recording, the clip being written).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Literal

import av.error

__all__ = ["FFMPEG_ERRORS", "ErrorFactory", "ffmpeg_errors", "is_eof", "reason"]

#: what PyAV raises for FFmpeg's failures (some are OSErrors too: a missing file, a full disk)
FFMPEG_ERRORS: tuple[type[Exception], ...] = (av.error.FFmpegError,)

#: makes footage's error from FFmpeg's reason
ErrorFactory = Callable[[str], Exception]


def reason(exc: BaseException) -> str:
    """FFmpeg's (or the OS's) words for ``exc``, without the errno and path PyAV adds."""
    return str(getattr(exc, "strerror", None) or exc).strip() or type(exc).__name__


def is_eof(exc: BaseException) -> bool:
    """Whether ``exc`` is FFmpeg's end of file (a demuxer ran out: not damage)."""
    return isinstance(exc, av.error.EOFError)


@contextmanager
def ffmpeg_errors(error: ErrorFactory, *, os_errors: Literal["ffmpeg", "translate", "propagate"] = "ffmpeg",
              also: tuple[type[Exception], ...] = ()) -> Iterator[None]:
    """Raise ``error(reason)`` from any FFmpeg error (and those in ``also``) raised in the block.

    ``os_errors`` says what becomes of an :class:`OSError`: ``ffmpeg`` (the default) translates
    only those PyAV raises, ``translate`` every one (a segment or cache file that cannot be
    written), ``propagate`` none, not even PyAV's (a write error the caller reports itself)."""
    caught: tuple[type[Exception], ...] = (*FFMPEG_ERRORS, OSError, *also)
    try:
        yield
    except caught as exc:
        if isinstance(exc, OSError) and (os_errors == "propagate" or (
                os_errors == "ffmpeg" and not isinstance(exc, FFMPEG_ERRORS))):
            raise
        raise error(reason(exc)) from exc
