"""The timeline's decisions, without video: which recordings join, how a quiet time bounds what a
new file can change, which stored moment a moment found again is, how pieces join and link."""

from __future__ import annotations

from fractions import Fraction

from footage.events.params import EventParams
from footage.timeline.carry import carry_events, stored_names
from footage.timeline.chains import Piece, join_pieces
from footage.timeline.clock import TIME_BASE
from footage.timeline.link import link_boundary
from footage.timeline.matching import Known, keeps_key, match_moments
from footage.timeline.params import TimelineParams
from footage.timeline.stretches import TimedRecording, stretches
from footage.timeline.window import quiet_us, widen
from footage.types import Event, Track, TrackBox

S = 1_000_000


def _stretch_ids(recordings: list[TimedRecording]) -> list[list[int]]:
    return [[r.id for r in s.recordings] for s in stretches(recordings, join_gap_us=2 * S, overlap_us=S)]


def test_recordings_join_across_small_gaps_and_break_at_real_ones() -> None:
    minute = 60 * S
    files = [TimedRecording(3, 2 * minute + S, 3 * minute), TimedRecording(1, 0, minute),
             TimedRecording(2, minute, 2 * minute), TimedRecording(4, 3 * minute + 10 * S, 4 * minute)]
    assert _stretch_ids(files) == [[1, 2, 3], [4]]


def test_a_damaged_file_or_an_untrusted_clock_breaks_the_stretch() -> None:
    assert _stretch_ids([TimedRecording(1, 0, 10 * S, damaged=True), TimedRecording(2, 10 * S, 20 * S)]) == [[1], [2]]
    assert _stretch_ids([TimedRecording(1, 0, 10 * S), TimedRecording(2, 10 * S, 20 * S, trusted=False)]) == [[1], [2]]
    # a name holds whole seconds: starting up to a second early still continues
    assert _stretch_ids([TimedRecording(1, 0, 10 * S + 400_000), TimedRecording(2, 10 * S, 20 * S)]) == [[1, 2]]


def test_the_quiet_time_outlasts_every_rules_reach() -> None:
    params = EventParams()
    assert quiet_us(params) > max(params.link_gap_s, params.merge_gap_s, params.catch_flight_s) * S
    assert widen(10, 20, [(5, 12), (18, 40)]) == (5, 40)


def test_a_moment_found_again_keeps_the_id_of_the_one_it_grew_from() -> None:
    stored = [Known(0, 10 * S, frozenset({1, 2}), id=7), Known(30 * S, 35 * S, frozenset({5}), id=8)]
    found = [Known(0, 25 * S, frozenset({1, 2, 9})), Known(31 * S, 36 * S, frozenset({6})), Known(40 * S, 41 * S, frozenset({5}))]
    assert match_moments(stored, found) == [7, None, None]


def _track(track_id: int, label: str, boxes: list[tuple[float, tuple[float, float, float, float]]],
           time_base: Fraction = TIME_BASE) -> Track:
    made = tuple(TrackBox(n, round(t / time_base), xyxy, 0.9) for n, (t, xyxy) in enumerate(boxes))
    return Track(track_id, label, made[0].pts, made[-1].pts, time_base, made)


def test_a_walker_is_followed_into_the_next_file_where_it_was_heading() -> None:
    # walking right at 50 px/s: last seen at 9.8 s, first seen at 10.0 s 10 px further on
    walker = _track(1, "person", [(9.0 + 0.2 * k, (100 + 10 * k, 100, 130 + 10 * k, 180)) for k in range(5)])
    other = _track(2, "person", [(9.0 + 0.2 * k, (400, 100, 430, 180)) for k in range(5)])
    later = [_track(3, "person", [(10.0, (400, 100, 430, 180)), (10.2, (400, 100, 430, 180))]),
             _track(4, "person", [(10.0, (150, 100, 180, 180)), (10.2, (160, 100, 190, 180))]),
             _track(5, "car", [(10.0, (100, 100, 130, 180)), (10.2, (100, 100, 130, 180))])]
    pairs = link_boundary([walker, other], later, earlier_end_s=9.8, later_start_s=10.0, params=TimelineParams())
    assert sorted(pairs) == [(0, 1), (1, 0)]


def test_pieces_join_into_one_track_named_after_the_first() -> None:
    a = _track(0, "person", [(0.0, (0, 0, 10, 20)), (0.2, (1, 0, 11, 20))])
    b = _track(0, "person", [(0.4, (2, 0, 12, 20)), (0.6, (3, 0, 13, 20))])
    c = _track(0, "car", [(5.0, (50, 0, 90, 20)), (5.2, (50, 0, 90, 20))])
    chains = join_pieces([Piece(11, None, a), Piece(12, 11, b), Piece(13, None, c)])
    assert [(ch.track.track_id, ch.pieces, len(ch.track.boxes)) for ch in chains] == [(11, (11, 12), 4), (13, (13,), 2)]


def _event(kind: str, start_s: float, end_s: float, *subjects: int) -> Event:
    return Event(kind, start_s, end_s, subjects, ("person",) * len(subjects), subjects, (start_s + end_s) / 2,
                 (("duration_s", end_s - start_s),))


def test_an_event_going_on_across_the_cut_keeps_its_stored_start() -> None:
    # a person has lingered since second 0; the part found again starts at 1000 and sees them
    # from the start of their piece there (990)
    stored = [_event("appeared", 0, 1, 7), _event("lingered", 0, 1050, 7)]
    found = [_event("appeared", 990, 991, 7), _event("lingered", 990, 1120, 7)]
    joined = carry_events(stored, found, 1000.0, None, reach_s=6.4)
    assert sorted((e.kind, e.start_s, e.end_s) for e in joined) == [("appeared", 0, 1), ("lingered", 0, 1120)]
    lingered = next(e for e in joined if e.kind == "lingered")
    assert lingered.key_s == 525 and lingered.fact("duration_s") == 1120


def test_near_a_cut_the_stored_events_stand_and_past_it_the_new_ones() -> None:
    stored = [_event("approached", 995, 1003, 7, 8), _event("lingered", 1010, 1040, 8)]
    found = [_event("approached", 1000, 1003, 7, 8),  # half seen: the stored one stands
             _event("lingered", 1030, 1060, 8),  # seen again, later: the new one replaces it
             _event("together", 1100, 1130, 8, 9)]
    joined = carry_events(stored, found, 1000.0, None, reach_s=6.4)
    assert sorted((e.kind, e.start_s, e.end_s) for e in joined) == [
        ("approached", 995, 1003), ("lingered", 1030, 1060), ("together", 1100, 1130)]
    # with nothing cut, what is found is all there is
    assert carry_events(stored, found, None, None, reach_s=6.4) == found


def test_the_upper_cut_carries_the_stored_end() -> None:
    stored = [_event("together", 1990, 2600, 3, 4), _event("left", 2599, 2600, 3)]
    found = [_event("together", 1900, 2010, 3, 4)]
    joined = carry_events(stored, found, None, 2000.0, reach_s=6.4)
    assert sorted((e.kind, e.start_s, e.end_s) for e in joined) == [("left", 2599, 2600), ("together", 1900, 2600)]


def test_an_object_found_again_from_a_later_piece_keeps_its_stored_name() -> None:
    # person 7 was joined across an occlusion to the track that piece 12 began; the part found
    # again starts after the occlusion and names them 12
    stored = [Event("lingered", 0, 1050, (7,), ("person",), (7, 9, 12), 525.0)]
    found = [Event("lingered", 990, 1120, (12,), ("person",), (12,), 1055.0),
             Event("lingered", 1000, 1100, (30,), ("person",), (30,), 1050.0)]  # someone else
    names = stored_names(stored, found, {12: frozenset({12, 14}), 30: frozenset({30})})
    assert names == {12: 7}
    # an object the stored events name already keeps its name
    assert stored_names([*stored, Event("left", 2, 3, (12,), ("person",), (12,), 2.0)], found,
                        {12: frozenset({12})}) == {}


def test_a_grown_moment_keeps_its_key_frame_until_its_key_moves_far() -> None:
    minute = 60_000_000
    assert keeps_key(5 * minute, 6 * minute, 0, 12 * minute)  # moved 1 min in 12
    assert not keeps_key(1 * minute, 2 * minute, 0, 3 * minute)  # 1 min in 3
    assert not keeps_key(5 * minute, 5 * minute, 6 * minute, 20 * minute)  # no longer inside it
