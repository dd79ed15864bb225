"""Rules between objects, on synthetic tracks: approaching, together, a child with an adult,
people and vehicles, handing something over, playing catch."""

from __future__ import annotations

import pytest

from support.events import car_arriving, kinds, of_kind, run, still, track, walk


def test_walking_up_to_a_standing_person() -> None:
    standing = track(1, 0.0, 60.0, still(600, 400))
    walker = track(2, 5.0, 60.0, lambda t: (max(100.0, 600 - 100 - 40 * (20 - t)) if t < 20 else 500.0, 400))
    result = run(standing, walker)
    approached = of_kind(result, "approached")
    assert len(approached) == 1
    assert approached[0].subjects == (2, 1)  # the mover first
    assert approached[0].fact("mutual") == 0.0
    assert len(of_kind(result, "together")) == 1


def test_people_crossing_paths_are_neither_approaching_nor_together() -> None:
    east = track(1, 5.0, 40.0, walk(0, 400, 40))
    west = track(2, 5.0, 40.0, walk(1400, 410, -40))
    assert of_kind(run(east, west), "approached") == [] and of_kind(run(east, west), "together") == []


def test_two_people_side_by_side_are_together_for_the_time_they_are_near() -> None:
    a = track(1, 0.0, 120.0, walk(0, 400, 5))
    b = track(2, 0.0, 120.0, walk(60, 405, 5))
    events = of_kind(run(a, b), "together")
    assert len(events) == 1 and events[0].duration_s == pytest.approx(120, abs=1)


def test_a_short_meeting_is_not_together() -> None:
    a = track(1, 0.0, 60.0, still(500, 400))
    b = track(2, 0.0, 60.0, lambda t: (560.0 if 20 <= t < 25 else 1000.0, 400))
    assert of_kind(run(a, b), "together") == []


def test_adult_with_child_on_the_same_ground_line() -> None:
    adult = track(1, 0.0, 60.0, still(500, 400), 100.0)
    child = track(2, 0.0, 60.0, still(560, 402), 60.0)
    events = of_kind(run(adult, child), "adult_with_child")
    assert len(events) == 1 and events[0].subjects == (1, 2)


def test_a_smaller_person_farther_away_is_not_a_child() -> None:
    near = track(1, 0.0, 60.0, still(500, 400), 100.0)
    far = track(2, 0.0, 60.0, still(520, 340), 60.0)  # feet 60 px higher in the picture: farther away
    assert of_kind(run(near, far), "adult_with_child") == []


def test_equal_heights_are_not_a_child() -> None:
    a, b = track(1, 0.0, 60.0, still(500, 400)), track(2, 0.0, 60.0, still(560, 400))
    assert of_kind(run(a, b), "adult_with_child") == []


def test_a_car_stopping_by_a_person_who_gets_in() -> None:
    person = track(1, 0.0, 30.0, still(700, 505))
    result = run(car_arriving(), person)
    assert [e.subjects for e in of_kind(result, "vehicle_stopped_near_person")] == [(9, 1)]
    assert [e.subjects for e in of_kind(result, "entered_vehicle")] == [(9, 1)]
    assert of_kind(result, "left_vehicle") == []


def test_a_person_getting_out_of_a_stopped_car() -> None:
    person = track(1, 20.0, 60.0, lambda t: (640 + 30 * (t - 20), 505))
    result = run(car_arriving(end=70.0), person)
    assert [e.subjects for e in of_kind(result, "left_vehicle")] == [(9, 1)]


def test_a_person_walking_past_a_stopped_car_neither_gets_in_nor_out() -> None:
    passer = track(1, 15.0, 45.0, walk(0, 520, 40, t0=15.0))
    result = run(car_arriving(end=70.0), passer)
    assert of_kind(result, "left_vehicle") == [] and of_kind(result, "entered_vehicle") == []


def test_handed_over_between_two_people_together() -> None:
    giver = track(1, 0.0, 60.0, still(500, 400))
    receiver = track(2, 0.0, 60.0, still(580, 400))
    bag = track(3, 10.0, 30.0, lambda t: (510.0 if t < 20 else 570.0, 360), 20.0, label="handbag", aspect=1.0)
    events = of_kind(run(giver, receiver, bag), "handed_over")
    assert len(events) == 1 and events[0].subjects == (1, 2, 3)
    assert events[0].start_s == pytest.approx(20, abs=1)


def test_an_object_that_stays_with_one_person_is_not_handed_over() -> None:
    a, b = track(1, 0.0, 60.0, still(500, 400)), track(2, 0.0, 60.0, still(580, 400))
    bag = track(3, 10.0, 30.0, still(510, 360), 20.0, label="handbag", aspect=1.0)
    assert of_kind(run(a, b, bag), "handed_over") == []


def ball_between(a_x: float, b_x: float, passes: int, start: float = 10.0, flight: float = 1.0, hold: float = 0.6):  # type: ignore[no-untyped-def]
    """A ball held at one person's hand, thrown to the other, ``passes`` times."""
    leg = hold + flight

    def foot(t: float) -> tuple[float, float]:
        n, into = divmod(t - start, leg)
        src, dst = (a_x, b_x) if int(n) % 2 == 0 else (b_x, a_x)
        if into < hold:
            return (src, 360)
        return (src + (dst - src) * (into - hold) / flight, 300)

    return track(5, start, start + passes * leg + hold, foot, 15.0, label="sports ball", aspect=1.0)


def test_played_catch() -> None:
    a, b = track(1, 0.0, 60.0, still(300, 400)), track(2, 0.0, 60.0, still(900, 400))
    events = of_kind(run(a, b, ball_between(300, 900, passes=4)), "played_catch")
    assert len(events) == 1 and set(events[0].subjects) == {1, 2}
    assert events[0].fact("passes") >= 3


def test_one_throw_is_not_a_game_of_catch() -> None:
    a, b = track(1, 0.0, 60.0, still(300, 400)), track(2, 0.0, 60.0, still(900, 400))
    assert of_kind(run(a, b, ball_between(300, 900, passes=1)), "played_catch") == []


def test_events_about_the_same_people_merge_into_one_moment() -> None:
    standing = track(1, 0.0, 60.0, still(600, 400))
    walker = track(2, 5.0, 50.0, lambda t: (max(100.0, 600 - 100 - 40 * (20 - t)) if t < 20 else 500.0, 400))
    stranger = track(3, 70.0, 90.0, walk(0, 200, 40))
    result = run(standing, walker, stranger)
    assert len(result.moments) == 2
    meeting = result.moments[0]
    assert meeting.kind == "together"
    assert {"approached", "together", "appeared", "left"} <= set(meeting.kinds)
    assert "walked up to" in meeting.description and "together for" in meeting.description
    assert {b.name for b in meeting.key_boxes} == {"person A", "person B"}
    assert result.moments[1].description == "A person appeared; the person left after 20 s"
    assert kinds(run(stranger)) == ["appeared", "left"]
