"""Query understanding and ranking, as pure functions: everyday words to labels and kinds, times,
durations and cameras read back, and the ranking rules on hand-made candidates."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from footage.search.params import SearchParams
from footage.search.query import parse_query
from footage.search.rank import merge_duplicates, rank
from footage.stored import Candidate

NOW = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)  # a Sunday


def parse(text: str, cameras: tuple[str, ...] = ()):  # type: ignore[no-untyped-def]
    return parse_query(text, NOW, UTC, cameras)


@pytest.mark.parametrize(("text", "labels"), [
    ("an officer", {"person"}), ("a cop", {"person"}), ("the boy", {"person"}), ("a woman", {"person"}),
    ("kids", {"person"}), ("a patrol car", {"car"}), ("the cruiser", {"car"}), ("an SUV", {"car"}),
    ("a van", {"car"}), ("a football", {"sports ball"}), ("a ball", {"sports ball"}), ("his lunch", {"sandwich"}),
    ("a backpack", {"backpack"}), ("a lorry", {"truck"}),
])
def test_everyday_words_name_detector_labels(text: str, labels: set[str]) -> None:
    query = parse(text)
    assert len(query.objects) == 1
    best = {label for label, fit in query.objects[0].sense.labels.items() if fit == 1.0}
    assert labels <= best
    assert not query.unknown


@pytest.mark.parametrize(("text", "kind"), [
    ("two people together", "together"), ("an officer with a boy", "adult_with_child"), ("people meeting", "approached"),
    ("someone walks up to a woman", "approached"), ("a man hands a bag to a woman", "handed_over"),
    ("she gives him food", "handed_over"), ("kids play catch", "played_catch"), ("someone sits", "sat_or_crouched"),
    ("a boy crouches", "sat_or_crouched"), ("a car stops near a boy", "vehicle_stopped_near_person"),
    ("someone gets out of a car", "left_vehicle"), ("a man got into the van", "entered_vehicle"),
    ("someone loitering", "lingered"), ("a car parked", "vehicle_stopped"),
])
def test_relation_and_action_words_name_kinds(text: str, kind: str) -> None:
    query = parse(text)
    assert any(sense.kinds.get(kind) == 1.0 for sense in query.kinds), query.summary()


def test_the_issue_examples_read_back() -> None:
    query = parse("two people together for more than 10 minutes yesterday evening")
    assert query.summary() == "2 x person, together, >= 10 min, yesterday 17:00-21:00"
    assert query.people == 2 and query.duration is not None and query.duration.min_s == 600
    assert query.when is not None and query.when.start_utc == datetime(2026, 11, 21, 17, tzinfo=UTC)

    officer = parse("the officer sitting with a boy on the curb")
    assert officer.people == 2
    assert {o.sense.attribute for o in officer.objects} == {"officer", "child"}
    assert {name for k in officer.kinds for name, fit in k.kinds.items() if fit == 1.0} >= {"sat_or_crouched",
                                                                                           "adult_with_child"}


def test_camera_names_are_found_as_words() -> None:
    cameras = ("front_door", "driveway", "traffic")
    assert parse("someone at the front door", cameras).cameras == ("front_door",)
    assert parse("a car on the driveway camera", cameras).cameras == ("driveway",)
    # a one-word camera name that is also a search word needs "camera" beside it
    assert parse("any traffic yesterday", cameras).cameras == ()
    assert parse("the traffic camera", cameras).cameras == ("traffic",)


def test_unknown_words_are_kept_and_lower_the_ratio_but_empty_queries_are_empty() -> None:
    query = parse("a person next to the shiny sculpture")
    assert query.unknown == ("shiny", "sculpture")
    assert 0 < query.understood_ratio < 1 and not query.is_empty
    assert parse("").is_empty and parse("   ,,, ").is_empty
    assert parse("the a of").is_empty
    assert parse("xyzzy").unknown == ("xyzzy",) and not parse("xyzzy").is_empty


def _candidate(moment_id: int, kind: str, labels: tuple[str, ...], people: int, spans: dict[str, float], *,
               start_s: float = 0.0, end_s: float = 60.0, notability: float = 1.0, tracks: tuple[int, ...] = (),
               nearby: frozenset[str] = frozenset(), recording: str = "a.mp4") -> Candidate:
    start = NOW - timedelta(hours=1) + timedelta(seconds=start_s)
    return Candidate(
        moment_id=moment_id, camera="cam", recording=recording, kind=kind, start_utc=start,
        end_utc=start + timedelta(seconds=end_s - start_s), start_s=start_s, end_s=end_s, people=people, labels=labels,
        nearby=nearby, spans=tuple(spans.items()), tracks=tracks or (moment_id * 10,), description=kind,
        keyframe=None, notability=notability,
    )


TOGETHER = _candidate(1, "together", ("person", "person"), 2, {"together": 300.0, "appeared": 0.0})
APPROACH = _candidate(2, "approached", ("person", "person"), 2, {"approached": 8.0})
ALONE = _candidate(3, "lingered", ("person",), 1, {"lingered": 40.0}, notability=5.0)
BUS = _candidate(4, "appeared", ("bus",), 0, {"appeared": 0.0, "left": 0.0})
WALKERS_BY_A_CAR = _candidate(5, "appeared", ("person",), 1, {"appeared": 0.0}, nearby=frozenset({"car"}))


def ranked_ids(text: str, candidates: list[Candidate], similar: dict[int, float] | None = None) -> list[int]:
    return [r.candidate.moment_id for r in rank(parse(text), candidates, SearchParams(), UTC, similar)]


def test_the_moment_that_has_everything_ranks_first_and_near_misses_follow() -> None:
    assert ranked_ids("two people together", [ALONE, APPROACH, TOGETHER]) == [1, 2]


def test_a_named_object_that_is_missing_or_a_duration_not_met_excludes_the_moment() -> None:
    everything = [TOGETHER, APPROACH, ALONE, BUS, WALKERS_BY_A_CAR]
    assert ranked_ids("someone with a backpack", everything) == []
    assert ranked_ids("two people together for more than ten minutes", everything) == []
    assert ranked_ids("two people together for more than three minutes", everything) == [1]


def test_a_related_vehicle_class_counts_and_an_object_only_seen_nearby_counts_less() -> None:
    assert ranked_ids("a car", [BUS, WALKERS_BY_A_CAR]) == [4]  # a top-down car is often called a bus
    assert ranked_ids("a person near a car", [WALKERS_BY_A_CAR, ALONE]) == [5]


def test_unknown_words_lower_the_score_without_changing_the_answer() -> None:
    plain = rank(parse("two people together"), [TOGETHER], SearchParams(), UTC)
    vague = rank(parse("two people together near the flamingo"), [TOGETHER], SearchParams(), UTC)
    assert [r.candidate for r in vague] == [r.candidate for r in plain]
    assert vague[0].score < plain[0].score


def test_text_similarity_and_notability_break_ties() -> None:
    quiet = _candidate(6, "lingered", ("person",), 1, {"lingered": 40.0}, notability=1.0)
    loud = _candidate(7, "lingered", ("person",), 1, {"lingered": 40.0}, notability=4.0)
    worded = _candidate(8, "lingered", ("person",), 1, {"lingered": 40.0}, notability=1.0)
    assert ranked_ids("someone lingering", [quiet, loud]) == [7, 6]
    assert ranked_ids("someone lingering", [quiet, loud, worded], {8: 1.0})[0] == 8


def test_near_duplicates_of_one_visit_are_merged_into_the_better_one() -> None:
    first = _candidate(9, "lingered", ("person",), 1, {"lingered": 30.0}, start_s=0, end_s=30, tracks=(1,), notability=3)
    split = _candidate(10, "lingered", ("person",), 1, {"lingered": 12.0}, start_s=32, end_s=50, tracks=(1, 2))
    other = _candidate(11, "lingered", ("person",), 1, {"lingered": 20.0}, start_s=33, end_s=60, tracks=(3,))
    elsewhere = _candidate(12, "lingered", ("person",), 1, {"lingered": 30.0}, tracks=(1,), recording="b.mp4")
    merged = merge_duplicates(rank(parse("someone lingering"), [first, split, other, elsewhere], SearchParams(), UTC), 5.0)
    assert [(r.candidate.moment_id, r.merged) for r in merged] == [(9, (10,)), (12, ()), (11, ())]


def test_a_query_of_filters_only_lists_what_passes_them() -> None:
    query = parse("what happened this morning")
    assert query.when is not None and not query.objects and not query.kinds
    early = _candidate(13, "left", ("person",), 1, {"left": 0.0})  # 09:00 UTC, this morning
    assert [r.candidate.moment_id for r in rank(query, [early], SearchParams(), UTC)] == [13]
    assert rank(parse("what happened this evening"), [early], SearchParams(), UTC) == []


@pytest.mark.parametrize(("text", "part", "fits", "postures"), [
    ("a boy in a red shirt", "upper", "red", ()),
    ("a man in a dark uniform crouched next to a child", "upper", "dark blue", ("crouching",)),
    ("someone in red", "any", "red", ()),
    ("a woman wearing blue jeans", "lower", "blue", ()),
    ("a white van", "body", "white", ()),
    ("a person lying on the ground", None, None, ("lying",)),
    ("someone sitting on the curb", None, None, ("sitting",)),
])
def test_colours_and_postures_are_understood(text: str, part: str | None, fits: str | None,
                                             postures: tuple[str, ...]) -> None:
    q = parse(text)
    assert q.postures == postures
    assert [c.part for c in q.colours] == ([part] if part else [])
    if fits:
        assert q.colours[0].fits[fits] == 1.0
    assert not q.unknown or q.unknown == ("curb",), q.unknown
    assert any(t.is_person for t in q.objects) or part == "body"


def test_an_orange_is_food_unless_it_is_worn() -> None:
    assert not parse("someone eating an orange").colours
    assert parse("someone in orange").colours[0].fits["orange"] == 1.0
    assert parse("an orange car").colours[0].part == "body"


def _looked(moment_id: int, upper: str | None, postures: frozenset[str] = frozenset()) -> Candidate:
    from dataclasses import replace

    from footage.stored import TrackLook
    spans = {"appeared": 0.0, **({"sat_or_crouched": 30.0} if postures else {})}
    return replace(_candidate(moment_id, "appeared", ("person",), 1, spans),
                   looks=(TrackLook("person", upper, "black", postures),))


def test_search_ranks_by_what_people_wore_and_their_posture() -> None:
    red, navy, blue = _looked(1, "red"), _looked(2, "dark blue"), _looked(3, "blue", frozenset({"sitting"}))
    found = [r.candidate.moment_id for r in rank(parse("someone in a blue top"), [red, navy, blue], SearchParams(), UTC)]
    assert found == [3, 2]  # blue first, the dark blue read for it next, red not at all
    assert [r.candidate.moment_id for r in rank(parse("a person sitting"), [red, navy, blue], SearchParams(), UTC)] == [3]
    crouched = rank(parse("a person crouching"), [red, navy, blue], SearchParams(), UTC)  # read seated: a near posture
    assert [r.candidate.moment_id for r in crouched] == [3]
    assert crouched[0].match < rank(parse("a person sitting"), [blue], SearchParams(), UTC)[0].match


@pytest.mark.parametrize(("text", "gesture"), [
    ("two people shaking hands", "hand_to_hand"), ("someone waving at a car", "raised_arm"),
    ("a man pointing at a boy", "extended_arm"), ("the officer threw the ball to the boy", "threw"),
])
def test_gestures_are_understood(text: str, gesture: str) -> None:
    q = parse(text)
    assert q.gestures == (gesture,) and not q.unknown, (q.gestures, q.unknown)


def test_search_finds_the_moment_where_the_gesture_was_made() -> None:
    from dataclasses import replace

    from footage.stored import TrackLook
    waved = replace(_looked(1, "red"), looks=(TrackLook("person", "red", None, frozenset(), frozenset({"raised_arm"})),))
    assert [r.candidate.moment_id for r in rank(parse("someone waving"), [_looked(2, "red"), waved], SearchParams(), UTC)] \
        == [1]
