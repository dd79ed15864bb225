"""Rules about one object, on synthetic tracks: appearances, lingering, sitting, vehicle stops."""

from __future__ import annotations

import pytest

from support.events import car_arriving, kinds, of_kind, run, still, track, walk


def test_appeared_and_left_with_the_time_present() -> None:
    result = run(track(1, 5.0, 20.0, walk(100, 400, 40)))
    assert kinds(result) == ["appeared", "left"]
    appeared, left = result.events
    assert appeared.start_s == pytest.approx(5.0) and left.end_s == pytest.approx(20.0)
    assert left.fact("present_s") == pytest.approx(15.0)


def test_no_appearance_at_the_start_nor_departure_at_the_end_of_the_recording() -> None:
    result = run(track(1, 0.0, 120.0, walk(0, 400, 10)))
    assert kinds(result) == []


def test_a_flicker_is_ignored() -> None:
    assert kinds(run(track(1, 10.0, 10.4, still(300, 400)))) == []


def test_lingered_once_for_a_person_who_stands_still() -> None:
    arrive = track(1, 5.0, 50.0, lambda t: (100 + 50 * min(t - 5, 4), 400))  # walks 4 s, stands 41 s
    events = of_kind(run(arrive), "lingered")
    assert len(events) == 1
    assert events[0].duration_s == pytest.approx(41, abs=1.5)


def test_a_walker_does_not_linger() -> None:
    assert of_kind(run(track(1, 5.0, 40.0, walk(0, 400, 30))), "lingered") == []


def test_a_flickering_track_still_lingers_once() -> None:
    flicker = track(1, 5.0, 40.0, still(300, 400), keep=lambda n: n % 3 != 1)
    assert len(of_kind(run(flicker), "lingered")) == 1


def test_a_track_split_by_an_occlusion_is_one_person() -> None:
    before = track(1, 5.0, 15.0, still(300, 400))
    after = track(2, 16.6, 40.0, still(304, 401))
    result = run(before, after)
    assert kinds(result) == ["appeared", "lingered", "left"]
    assert set(result.events[1].tracks) == {1, 2}
    assert len(result.moments) == 1


def test_sat_or_crouched_when_a_standing_person_gets_much_shorter() -> None:
    height = lambda t: 100.0 if t < 15 else 55.0  # noqa: E731
    person = track(1, 5.0, 40.0, lambda t: (100 + 50 * min(t - 5, 4), 400), height)
    events = of_kind(run(person), "sat_or_crouched")
    assert len(events) == 1
    assert events[0].start_s == pytest.approx(15, abs=1.0)
    assert events[0].fact("height_ratio") < 0.75


def test_a_person_seated_from_the_start_is_seated_by_box_shape() -> None:
    seated = track(1, 5.0, 40.0, still(300, 400), 60.0, aspect=1.0)
    assert len(of_kind(run(seated), "sat_or_crouched")) == 1


def test_standing_still_is_not_sitting() -> None:
    assert of_kind(run(track(1, 5.0, 40.0, still(300, 400))), "sat_or_crouched") == []


def test_vehicle_stopped_then_departed() -> None:
    result = run(car_arriving())
    stopped, departed = of_kind(result, "vehicle_stopped"), of_kind(result, "vehicle_departed")
    assert len(stopped) == 1 and len(departed) == 1
    assert stopped[0].start_s == pytest.approx(10, abs=1) and stopped[0].fact("stopped_s") == pytest.approx(30, abs=1.5)
    assert departed[0].start_s == pytest.approx(40, abs=1.5)


def test_a_parked_car_that_never_moved_gives_nothing() -> None:
    parked = track(9, 0.0, 120.0, still(600, 500), 100.0, label="car", aspect=2.0)
    assert kinds(run(parked)) == []


def test_a_new_track_started_just_before_the_old_one_ended_is_the_same_person() -> None:
    old = track(1, 5.0, 15.0, still(300, 400))
    new = track(2, 14.0, 40.0, still(302, 400))
    result = run(old, new)
    assert kinds(result) == ["appeared", "lingered", "left"]
    assert len(result.subjects) == 1 and result.subjects[0].track_ids == (1, 2)
