"""Keep a camera's timeline whole as recordings arrive, in any order: link the tracks of a new
recording to those of the recordings it continues, then find the moments again over the part of
its stretch that it can change (:mod:`footage.timeline.window`), and store them in place of the
ones found there before, each keeping its id when it is the same moment grown
(:mod:`footage.timeline.matching`). Runs inside the index writer's transaction, so a recording
and the moments it changes become visible together.

Nothing here re-reads video but to draw the key frame of a moment that changed: the tracks of the
neighbouring recordings come from the index.
"""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from footage.config import Settings
from footage.events import find_events, story_order
from footage.events.moments import merge_into_moments
from footage.events.score import base_score
from footage.events.subjects import Subject, make_subjects
from footage.pipeline.keyframes import write_keyframe_files
from footage.store import timeline as store
from footage.store.records import encode_spans
from footage.store.timeline import MomentRow, StoredSpan, TimelineRecording
from footage.timeline.carry import carry_events, stored_names
from footage.timeline.chains import Chain, Piece, join_pieces, on_timeline
from footage.timeline.clock import seconds, us
from footage.timeline.link import link_boundary
from footage.timeline.matching import Known, keeps_key, match_moments
from footage.timeline.stretches import Stretch, TimedRecording, continues, stretches
from footage.timeline.window import quiet_us, settle_us, widen
from footage.types import Event, Moment, Span

__all__ = ["TimelineChange", "camera_stretches", "continue_timeline", "rederive_stretch"]


@dataclass(frozen=True)
class TimelineChange:
    """What storing a recording changed on its camera's timeline: the moments that began (new
    ids) and those that ended (no longer going on, or new and already over), how many moments
    the re-derived part holds and how many of them touch the recording, and how many of its
    tracks continue one of the previous recording."""

    started: tuple[int, ...] = ()
    ended: tuple[int, ...] = ()
    moments: int = 0
    touching: int = 0
    linked: int = 0


def _timed(recording: TimelineRecording) -> TimedRecording:
    return TimedRecording(recording.id, recording.start_us, recording.end_us, recording.trusted,
                          recording.status == "damaged")


def continue_timeline(conn: sqlite3.Connection, recording_id: int, settings: Settings, thumbnails: Path, *,
                      live: bool = False) -> TimelineChange:
    """Link stored recording ``recording_id`` into its camera's timeline and find the moments of
    the part it changes. ``live``: the camera is recording now, so a moment still going on at
    the end of its last segment is stored as ongoing."""
    recording = store.recording(conn, recording_id)
    if recording is None:
        return TimelineChange()
    params = settings.timeline
    gap_us, overlap_us = round(params.join_gap_s * 1e6), round(params.overlap_s * 1e6)
    linked = 0
    if recording.trusted:
        near = [r for r in store.recordings_near(conn, recording.camera_id, recording.start_us - gap_us - overlap_us,
                                                 recording.end_us + gap_us + overlap_us) if r.id != recording.id]
        mine = _timed(recording)
        before = [r for r in near if continues(_timed(r), mine, join_gap_us=gap_us, overlap_us=overlap_us)]
        after = [r for r in near if continues(mine, _timed(r), join_gap_us=gap_us, overlap_us=overlap_us)]
        if before:
            linked = _link(conn, max(before, key=lambda r: (r.end_us, r.id)), recording, settings)
        if after:
            _link(conn, recording, min(after, key=lambda r: (r.start_us, r.id)), settings)
    change = rederive(conn, recording, recording.start_us, recording.end_us, settings, thumbnails, live=live)
    return TimelineChange(change.started, change.ended, change.moments, change.touching, linked)


def _link(conn: sqlite3.Connection, earlier: TimelineRecording, later: TimelineRecording, settings: Settings) -> int:
    """Link the tracks that cross from ``earlier`` into ``later``; returns how many."""
    reach_us = round((settings.timeline.link_within_s + 1.0) * 1e6)
    ends = store.tracks_in(conn, [earlier.id], earlier.end_us - reach_us, earlier.end_us)
    starts = store.tracks_in(conn, [later.id], later.start_us, later.start_us + reach_us)
    store.unlink_boundary(conn, earlier.id, later.id)
    pairs = link_boundary(
        [on_timeline(t.track, earlier.clock) for t in ends], [on_timeline(t.track, later.clock) for t in starts],
        earlier_end_s=seconds(earlier.us_at_seconds(earlier.last_s)),
        later_start_s=seconds(later.us_at_seconds(later.first_s)), params=settings.timeline)
    store.link_tracks(conn, [(ends[i].id, starts[j].id) for i, j in pairs])
    return len(pairs)


def camera_stretches(conn: sqlite3.Connection, settings: Settings) -> list[tuple[str, Stretch]]:
    """Every camera's stretches, by camera name then time (``footage status``)."""
    join = settings.timeline
    found = []
    for camera_id, name in conn.execute("SELECT id, name FROM cameras ORDER BY name").fetchall():
        timed = [_timed(r) for r in store.recordings_near(conn, camera_id, -(2**62), 2**62)]
        found += [(name, s) for s in stretches(timed, join_gap_us=round(join.join_gap_s * 1e6),
                                               overlap_us=round(join.overlap_s * 1e6))]
    return found


def rederive_stretch(conn: sqlite3.Connection, stretch: Stretch, settings: Settings, thumbnails: Path) -> TimelineChange:
    """Find every moment of a whole stretch again (``footage events --rebuild``)."""
    anchor = store.recording(conn, stretch.recordings[0].id)
    if anchor is None:
        return TimelineChange()
    return rederive(conn, anchor, stretch.start_us, stretch.end_us, settings, thumbnails, live=False)


@dataclass(frozen=True)
class _Window:
    """The part of a stretch found again: its recordings, the stretch (as far as it was read),
    the wall-clock bounds, and whether each bound is a cut at ``lookback_s`` (the stretch goes
    on busy beyond it) rather than a quiet time or the stretch's edge."""

    members: list[TimelineRecording]
    stretch: Stretch
    lo_us: int
    hi_us: int
    cut_lo: bool
    cut_hi: bool

    def beyond(self, start_us: int, end_us: int) -> bool:
        """Whether a moment from ``start_us`` to ``end_us`` runs past a cut of the part read."""
        return (self.cut_lo and start_us < self.lo_us) or (self.cut_hi and end_us > self.hi_us)


def rederive(conn: sqlite3.Connection, anchor: TimelineRecording, lo_us: int, hi_us: int, settings: Settings,
             thumbnails: Path, *, live: bool) -> TimelineChange:
    """Find the moments of the part of ``anchor``'s stretch around ``[lo_us, hi_us]`` that
    reaches to a quiet time on either side (or to ``lookback_s`` from the anchor, where the
    stored events beyond are carried on), and store them over the ones found there before."""
    window = _window(conn, anchor, lo_us, hi_us, settings)
    lo_us, hi_us, members = window.lo_us, window.hi_us, window.members
    by_id = {r.id: r for r in members}
    pieces = store.tracks_in(conn, by_id, lo_us, hi_us)
    chains = _chains(conn, pieces, by_id)
    stretch = window.stretch
    first, last = stretch.recordings[0], stretch.recordings[-1]
    starts_here = (not window.cut_lo and first.id in by_id
                   and not _continued(conn, anchor.camera_id, first, settings, before=True))
    ends_here = (not window.cut_hi and last.id in by_id
                 and not _continued(conn, anchor.camera_id, last, settings, before=False))
    span = Span(seconds(by_id[first.id].us_at_seconds(by_id[first.id].first_s)) if starts_here else -math.inf,
                seconds(by_id[last.id].us_at_seconds(by_id[last.id].last_s)) if ends_here else math.inf)
    old = store.moments_near(conn, anchor.camera_id, lo_us, hi_us)
    old = [m for m in old if m.recording_id in by_id or _carried_home(conn, m, window)]
    reach_us = settle_us(settings.events)
    lo_cut, hi_cut = (lo_us if window.cut_lo else None), (hi_us if window.cut_hi else None)
    frozen = [m.id for m in old if (lo_cut is not None and m.start_us < lo_cut + reach_us)
              or (hi_cut is not None and m.end_us > hi_cut - reach_us)]
    subjects = make_subjects([c.track for c in chains], settings.events)
    stored = _frozen_events(conn, frozen)
    events = find_events(subjects, span, settings.events)
    if stored:
        subjects, events = _named_as_stored(stored, subjects, events, chains)
    events = carry_events(stored, events, None if lo_cut is None else seconds(lo_cut),
                          None if hi_cut is None else seconds(hi_cut), reach_us / 1e6)
    found = merge_into_moments(sorted(events, key=story_order), subjects, settings.events)
    open_until = span.end_s - settings.events.edge_s - 2 * settings.events.step_s if live and ends_here else math.inf
    return _store(conn, found, chains, pieces, members, old, window, open_until, thumbnails, anchor)


def _chains(conn: sqlite3.Connection, pieces: Sequence[store.TimelineTrack],
            by_id: dict[int, TimelineRecording]) -> list[Chain]:
    """The objects the pieces make, each named by its first piece however far back it lies
    (the part read may start after it), so an object keeps its id in every part found again."""
    chains = join_pieces([Piece(p.id, p.previous_id, on_timeline(p.track, by_id[p.recording_id].clock))
                          for p in pieces])
    previous = {p.id: p.previous_id for p in pieces}
    heads = store.chain_heads(conn, [c.pieces[0] for c in chains if previous[c.pieces[0]] is not None])
    return [Chain(replace(c.track, track_id=heads[c.pieces[0]]), c.pieces) if c.pieces[0] in heads else c
            for c in chains]


def _named_as_stored(stored: Sequence[Event], subjects: Sequence[Subject], events: Sequence[Event],
                     chains: Sequence[Chain]) -> tuple[list[Subject], list[Event]]:
    """The subjects and events found again, each object under the name the stored events
    give it (:func:`footage.timeline.carry.stored_names`)."""
    pieces = {c.track.track_id: c.pieces for c in chains}
    pieces_of = {s.key: frozenset(p for t in s.track_ids for p in pieces.get(t, (t,))) for s in subjects}
    names = stored_names(stored, events, pieces_of)
    if not names:
        return list(subjects), list(events)
    return ([replace(s, key=names.get(s.key, s.key)) for s in subjects],
            [replace(e, subjects=tuple(names.get(k, k) for k in e.subjects)) for e in events])


def _carried_home(conn: sqlite3.Connection, moment: StoredSpan, window: _Window) -> bool:
    """Whether a stored moment whose recording is outside the part read is one of this stretch
    that the part's cut runs through."""
    if not window.beyond(moment.start_us, moment.end_us):
        return False
    home = store.recording(conn, moment.recording_id)
    return home is not None and home.trusted and home.camera_id == window.members[0].camera_id


def _frozen_events(conn: sqlite3.Connection, moment_ids: Sequence[int]) -> list[Event]:
    """The stored events of the given moments, on the timeline clock; their tracks are the
    pieces of their subjects (the index's track ids, as a chain's pieces)."""
    return [Event(e.kind, seconds(e.start_us), seconds(e.end_us), e.subjects, e.labels, e.tracks,
                  seconds(e.key_us), tuple(sorted(e.facts.items()))) for e in store.events_of(conn, moment_ids)]


def _window(conn: sqlite3.Connection, anchor: TimelineRecording, lo_us: int, hi_us: int,
            settings: Settings) -> _Window:
    """Grow ``[lo_us, hi_us]`` within the anchor's stretch to the quiet times around it, but not
    past ``lookback_s`` from the anchor and the time the rules need to settle beyond it."""
    quiet = quiet_us(settings.events)
    gap_us, overlap_us = round(settings.timeline.join_gap_s * 1e6), round(settings.timeline.overlap_s * 1e6)
    limit = round(settings.timeline.lookback_s * 1e6) + settle_us(settings.events)
    floor, ceiling = anchor.start_us - limit, anchor.end_us + limit
    while True:
        near = store.recordings_near(conn, anchor.camera_id, lo_us - quiet - gap_us, hi_us + quiet + gap_us)
        if anchor.id not in {r.id for r in near}:
            near.append(anchor)
        timed = {r.id: r for r in near}
        stretch = next(s for s in stretches([_timed(r) for r in near], join_gap_us=gap_us, overlap_us=overlap_us)
                       if any(r.id == anchor.id for r in s.recordings))
        members = [timed[r.id] for r in stretch.recordings if r.end_us >= lo_us - quiet and r.start_us <= hi_us + quiet]
        ids = {r.id for r in members}
        spans = store.track_spans(conn, list(ids), lo_us - quiet, hi_us + quiet)
        spans += [(m.start_us, m.end_us) for m in store.moments_near(conn, anchor.camera_id, lo_us, hi_us)
                  if m.recording_id in ids or m.start_us < lo_us or m.end_us > hi_us]
        wanted = widen(lo_us, hi_us, spans)
        wanted = (max(wanted[0], stretch.start_us), min(wanted[1], stretch.end_us))
        grown = (max(wanted[0], floor), min(wanted[1], ceiling))
        if grown == (lo_us, hi_us):
            return _Window(members, stretch, lo_us, hi_us, wanted[0] < floor, wanted[1] > ceiling)
        lo_us, hi_us = min(lo_us, grown[0]), max(hi_us, grown[1])


def _continued(conn: sqlite3.Connection, camera_id: int, edge: TimedRecording, settings: Settings, *,
               before: bool) -> bool:
    """Whether the stretch goes on past ``edge`` (a recording outside the part read continues it)."""
    gap_us, overlap_us = round(settings.timeline.join_gap_s * 1e6), round(settings.timeline.overlap_s * 1e6)
    at = edge.start_us if before else edge.end_us
    near = store.recordings_near(conn, camera_id, at - gap_us - overlap_us, at + gap_us + overlap_us)
    for other in (_timed(r) for r in near if r.id != edge.id):
        pair = (other, edge) if before else (edge, other)
        if continues(*pair, join_gap_us=gap_us, overlap_us=overlap_us):
            return True
    return False


def _store(conn: sqlite3.Connection, found: Sequence[Moment], chains: Sequence[Chain],
           pieces_read: Sequence[store.TimelineTrack], members: Sequence[TimelineRecording],
           old: Sequence[StoredSpan], window: _Window, open_until: float, thumbnails: Path,
           anchor: TimelineRecording) -> TimelineChange:
    pieces = {c.track.track_id: c.pieces for c in chains}
    rows = [_row(m, _recording_at(conn, members, us(m.start_s)), pieces, chains, ongoing=m.end_s >= open_until)
            for m in found]
    ids = match_moments([Known(o.start_us, o.end_us, o.tracks, o.id) for o in old],
                        [Known(r.start_utc_us, r.end_utc_us, frozenset(r.tracks)) for r in rows])
    before = {o.id: o for o in old}
    read = {p.id for p in pieces_read}
    started, ended, draw = [], [], []
    for moment, row, matched in zip(found, rows, ids, strict=True):
        was = before.pop(matched) if matched is not None else None
        if was is not None and window.beyond(row.start_utc_us, row.end_utc_us):
            row = replace(row, tracks=tuple(sorted(set(row.tracks) | (was.tracks - read))),
                          seen=",".join(sorted(set(row.seen.split(",")) - {""} | was.seen)))  # beyond the part read
        moment_id = store.save_moment(conn, matched, row)
        if was is None:
            started.append(moment_id)
        if not row.ongoing and (was is None or was.ongoing):
            ended.append(moment_id)
        key_us = us(moment.key_s)
        if was is not None and was.keyframe is not None and was.key_us is not None and was.kind == row.kind \
                and was.recording_id == row.recording_id and was.key_us != key_us \
                and keeps_key(was.key_us, key_us, row.start_utc_us, row.end_utc_us):
            store.set_key(conn, moment_id, row.key_s + (was.key_us - key_us) / 1e6)  # the frame drawn stands
        elif was is None or was.key_us != key_us or was.keyframe is None or was.kind != row.kind \
                or was.recording_id != row.recording_id:
            draw.append((moment_id, moment, key_us, row.recording_id, was.keyframe if was else None))
    store.delete_moments(conn, before)
    for gone in before.values():
        if gone.keyframe:
            Path(gone.keyframe).unlink(missing_ok=True)
    _draw(conn, draw, members, thumbnails)
    lo, hi = anchor.start_us, anchor.end_us
    touching = sum(1 for r in rows if r.end_utc_us >= lo and r.start_utc_us <= hi)
    return TimelineChange(tuple(started), tuple(ended), len(rows), touching)


def _home(members: Sequence[TimelineRecording], at_us: int) -> TimelineRecording:
    """The recording of the stretch that holds wall-clock time ``at_us`` (the last to start at
    or before it)."""
    started = [r for r in members if r.start_us <= at_us]
    return max(started, key=lambda r: (r.start_us, r.id)) if started else members[0]


def _recording_at(conn: sqlite3.Connection, members: Sequence[TimelineRecording], at_us: int) -> TimelineRecording:
    """:func:`_home`, also for a time before the part read (a moment carried across the cut
    starts, and may have its key time, in a recording read no more)."""
    if at_us >= members[0].start_us:
        return _home(members, at_us)
    earlier = [r for r in store.recordings_near(conn, members[0].camera_id, at_us, at_us)
               if r.trusted and r.start_us <= at_us]
    return _home(earlier, at_us) if earlier else members[0]


def _row(moment: Moment, home: TimelineRecording, pieces: dict[int, tuple[int, ...]], chains: Sequence[Chain], *,
         ongoing: bool) -> MomentRow:
    """The moment as the index stores it, in media seconds of ``home``, the recording it starts in."""
    start_us, end_us = us(moment.start_s), us(moment.end_s)
    seen = sorted({c.track.label for c in chains
                   if c.track.start_s <= moment.end_s and c.track.end_s >= moment.start_s})
    events = tuple((e.kind, home.media_s(us(e.start_s)), home.media_s(us(e.end_s)), home.media_s(us(e.key_s)),
                    tuple(e.subjects), tuple(sorted({p for t in e.tracks for p in pieces.get(t, (t,))})), dict(e.facts))
                   for e in moment.events)
    return MomentRow(
        recording_id=home.id, camera_id=home.camera_id, kind=moment.kind, start_s=home.media_s(start_us),
        end_s=home.media_s(end_us), start_utc_us=start_us, end_utc_us=end_us, people=moment.people,
        tracks=tuple(sorted(p for t in moment.tracks for p in pieces.get(t, (t,)))), description=moment.description,
        base_score=base_score(moment.kinds or (moment.kind,), moment.duration_s, moment.people),
        labels=",".join(moment.labels), spans=encode_spans((e.kind, e.duration_s) for e in moment.events),
        seen=",".join(seen), key_s=home.media_s(us(moment.key_s)), ongoing=ongoing, events=events)


def _draw(conn: sqlite3.Connection, draw: Sequence[tuple[int, Moment, int, int, str | None]],
          members: Sequence[TimelineRecording], thumbnails: Path) -> None:
    """Draw the key frames of new and changed moments, each from the recording its key time is in."""
    wanted: dict[int, list[tuple[float, Moment, Path]]] = {}
    targets: dict[Path, tuple[int, str | None]] = {}
    sources: dict[int, TimelineRecording] = {}
    for moment_id, moment, key_us, home_id, previous in draw:
        source = _recording_at(conn, members, key_us)
        sources[source.id] = source
        target = thumbnails / str(home_id) / f"moment-{moment_id}-{key_us}.jpg"
        target.parent.mkdir(parents=True, exist_ok=True)
        wanted.setdefault(source.id, []).append((source.media_s(key_us), moment, target))
        targets[target] = (moment_id, previous)
    written: set[Path] = set()
    for recording_id, items in wanted.items():
        written |= write_keyframe_files(Path(sources[recording_id].path), items)
    for target, (moment_id, previous) in targets.items():
        store.set_keyframe(conn, moment_id, str(target) if target in written else None)
        if previous and previous != str(target):
            Path(previous).unlink(missing_ok=True)
