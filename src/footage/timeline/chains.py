"""Put tracks of several recordings on the timeline clock, and join the pieces of an object
that file boundaries split into one track (pure)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from footage.time import WallClock
from footage.timeline.clock import ORIGIN_US, TIME_BASE
from footage.types import Track

__all__ = ["Chain", "Piece", "join_pieces", "on_timeline"]


def on_timeline(track: Track, clock: WallClock) -> Track:
    """``track`` (media time of its recording) with its times as timeline microseconds."""

    def at(pts: int) -> int:
        return clock.us_at(pts) - ORIGIN_US

    return replace(track, first_pts=at(track.first_pts), last_pts=at(track.last_pts), time_base=TIME_BASE,
                   boxes=tuple(replace(box, pts=at(box.pts)) for box in track.boxes),
                   postures=tuple(replace(p, start_pts=at(p.start_pts), end_pts=at(p.end_pts)) for p in track.postures))


@dataclass(frozen=True)
class Piece:
    """One stored track: its index id, the id of the piece of the same object in the previous
    recording (None when it starts there), and the track on the timeline clock."""

    id: int
    previous_id: int | None
    track: Track


@dataclass(frozen=True)
class Chain:
    """An object across recordings: one timeline track whose id is its first piece's index id,
    and the index ids of all its pieces in time order."""

    track: Track
    pieces: tuple[int, ...]


def join_pieces(pieces: Sequence[Piece]) -> list[Chain]:
    """The chains the pieces make (a piece whose previous one is not given starts a chain), in
    order of start. Where two pieces overlap in time, the later one's boxes win."""
    by_id: Mapping[int, Piece] = {p.id: p for p in pieces}
    following: dict[int, Piece] = {}
    for piece in pieces:
        if piece.previous_id is not None and piece.previous_id in by_id:
            following[piece.previous_id] = piece
    chains = []
    for piece in pieces:
        if piece.previous_id is not None and piece.previous_id in by_id:
            continue
        members = [piece]
        while members[-1].id in following and len(members) <= len(pieces):
            members.append(following[members[-1].id])
        chains.append(Chain(_joined(members), tuple(m.id for m in members)))
    return sorted(chains, key=lambda c: (c.track.first_pts, c.track.track_id))


def _joined(members: Sequence[Piece]) -> Track:
    head = members[0].track
    if len(members) == 1:
        return replace(head, track_id=members[0].id)
    boxes = []
    for member, after in zip(members, [*members[1:], None], strict=True):
        cut = after.track.boxes[0].pts if after is not None and after.track.boxes else None
        boxes += [b for b in member.track.boxes if cut is None or b.pts < cut]
    counts: dict[str, int] = {}
    for member in members:
        counts[member.track.label] = counts.get(member.track.label, 0) + len(member.track.boxes)
    label = max(counts, key=lambda name: (counts[name], name == head.label))
    return replace(head, track_id=members[0].id, label=label, last_pts=max(m.track.last_pts for m in members),
                   boxes=tuple(boxes), postures=tuple(p for m in members for p in m.track.postures))
