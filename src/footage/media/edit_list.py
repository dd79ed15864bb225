"""Shorten what an MP4 presents without touching its samples: a pure rewrite of the ``moov`` box.

FFmpeg's MP4 muxer hides frames *before* time zero with an edit list, but it always presents up
to the end of the last sample. A stream copy that ends inside a run of B-frames must keep a
reference frame that is shown after the span (the frames before it cannot be decoded without it),
so the presentation is cut back here: the single edit, the track header and the movie header get
the exact duration. FFmpeg, browsers and players then stop before the hidden frame. Every field
rewritten keeps its size, so no offset in the file moves.
"""

from __future__ import annotations

import struct
from pathlib import Path

from footage.errors import FootageError

__all__ = ["cut_presentation", "set_presentation_duration"]


def _boxes(data: bytes | bytearray, start: int, end: int) -> list[tuple[bytes, int, int]]:
    """(type, offset of the payload, end) of each box in ``data[start:end]``."""
    found = []
    offset = start
    while offset + 8 <= end:
        size, kind = struct.unpack_from(">I4s", data, offset)
        header = 8
        if size == 1:
            (size,) = struct.unpack_from(">Q", data, offset + 8)
            header = 16
        elif size == 0:
            size = end - offset
        if size < header or offset + size > end:
            raise ValueError(f"malformed MP4 box {kind!r} at byte {offset}")
        found.append((kind, offset + header, offset + size))
        offset += size
    return found


def _put(data: bytearray, offset: int, version: int, value: int) -> None:
    if version == 0 and value > 0xFFFF_FFFF:
        raise ValueError("duration too long for a version 0 box")
    struct.pack_into(">Q" if version else ">I", data, offset, value)


def set_presentation_duration(moov: bytes, duration: int) -> bytes:
    """``moov`` (a whole ``moov`` box) presenting ``duration`` ticks of the movie timescale: the
    ``mvhd`` and every ``tkhd`` duration and the duration of each track's single edit. Raises
    ``ValueError`` for a box it does not understand (several edits, a truncated box)."""
    data = bytearray(moov)
    top = _boxes(data, 0, len(data))
    if len(top) != 1 or top[0][0] != b"moov":
        raise ValueError("not a single moov box")
    _, payload, end = top[0]
    for kind, body, box_end in _boxes(data, payload, end):
        if kind == b"mvhd":
            version = data[body]
            _put(data, body + (24 if version else 16), version, duration)
        elif kind == b"trak":
            _set_track(data, body, box_end, duration)
    return bytes(data)


def _set_track(data: bytearray, start: int, end: int, duration: int) -> None:
    for kind, body, box_end in _boxes(data, start, end):
        if kind == b"tkhd":
            version = data[body]
            _put(data, body + (28 if version else 20), version, duration)
        elif kind == b"edts":
            for inner, elst, _ in _boxes(data, body, box_end):
                if inner == b"elst":
                    _set_edit(data, elst, duration)


def _set_edit(data: bytearray, body: int, duration: int) -> None:
    version = data[body]
    (count,) = struct.unpack_from(">I", data, body + 4)
    if count != 1:
        raise ValueError(f"edit list with {count} entries (one expected)")
    _put(data, body + 8, version, duration)


def cut_presentation(part: Path, out: Path, duration: int) -> None:
    """Rewrite the ``moov`` box of the MP4 ``part`` in place to present ``duration`` movie ticks.
    Raises :class:`FootageError` naming ``out`` (where the file will be) for a layout it does not
    know."""
    size_of_file = part.stat().st_size
    with part.open("r+b") as file:
        position = 0
        while position + 8 <= size_of_file:
            file.seek(position)
            header = file.read(16)
            size, kind = int.from_bytes(header[:4], "big"), header[4:8]
            if size == 1:
                size = int.from_bytes(header[8:16], "big")
            elif size == 0:
                size = size_of_file - position
            if kind == b"moov":
                file.seek(position)
                try:
                    moov = set_presentation_duration(file.read(size), duration)
                except ValueError as exc:
                    raise FootageError(f"cannot write {out}: unexpected MP4 layout ({exc})") from exc
                file.seek(position)
                file.write(moov)
                return
            if size < 8:
                break
            position += size
    raise FootageError(f"cannot write {out}: the muxer wrote no moov box")
