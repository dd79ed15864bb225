"""The tracker on synthetic detections whose true identities are known."""

import numpy as np

from footage.track.bytetrack import ByteTracker
from footage.types import Detections

PERSON, CAR = 0, 2


def _frame(boxes: list[tuple[float, float, float, float]], conf: list[float], cls: list[int]) -> Detections:
    return Detections(np.array(boxes, np.float32).reshape(-1, 4), np.array(conf, np.float32), np.array(cls))


def _walker(x0: float, vx: float, t: int) -> tuple[float, float, float, float]:
    x = x0 + vx * t
    return (x, 100.0, x + 30.0, 180.0)


def test_two_people_crossing_keep_their_ids() -> None:
    tracker = ByteTracker(step_s=0.2)
    ids_a, ids_b = set(), set()
    for t in range(40):
        a, b = _walker(0, 12, t), _walker(480, -12, t)
        update = tracker.update(_frame([a, b], [0.9, 0.85], [PERSON, PERSON]), t * 0.2)
        tracked = update.tracked
        rows = {tuple(np.round(tracked.xyxy[i]).tolist()): int(tracked.track_id[i]) for i in range(len(tracked))}
        if tuple(np.round(a)) in rows and abs(a[0] - b[0]) > 40:  # not while they overlap
            ids_a.add(rows[tuple(np.round(a))])
            ids_b.add(rows[tuple(np.round(b))])
    assert len(ids_a) == 1 and len(ids_b) == 1 and ids_a != ids_b


def test_a_track_is_confirmed_on_its_second_match_and_survives_a_short_gap() -> None:
    tracker = ByteTracker(step_s=0.2)
    tracker.update(Detections.empty(), 0.0)  # the recording's first frame shows nobody
    first = tracker.update(_frame([_walker(0, 5, 0)], [0.9], [PERSON]), 0.2)
    assert first.confirmed_ids == frozenset()
    second = tracker.update(_frame([_walker(0, 5, 1)], [0.9], [PERSON]), 0.4)
    track_id = int(second.tracked.track_id[0])
    assert second.confirmed_ids == {track_id}
    for t in range(2, 7):  # 1 s unseen
        assert tracker.update(Detections.empty(), t * 0.2).ended_ids == ()
    back = tracker.update(_frame([_walker(0, 5, 7)], [0.9], [PERSON]), 1.6)
    assert int(back.tracked.track_id[0]) == track_id


def test_what_the_first_frame_shows_is_established_at_once() -> None:
    """Someone in view when a recording starts was there before it (often in the camera's
    previous file): the track is confirmed at the first frame, where a track that begins later
    waits for its second match."""
    tracker = ByteTracker(step_s=0.2)
    first = tracker.update(_frame([_walker(0, 5, 0)], [0.9], [PERSON]), 0.0)
    assert first.confirmed_ids == {int(first.tracked.track_id[0])}
    later = tracker.update(_frame([_walker(0, 5, 1), _walker(300, 5, 0)], [0.9, 0.9], [PERSON, PERSON]), 0.2)
    assert len(later.tracked) == 2 and later.confirmed_ids == first.confirmed_ids


def test_a_lost_track_ends_after_the_buffer() -> None:
    tracker = ByteTracker(step_s=0.2)
    for t in range(3):
        tracker.update(_frame([_walker(0, 5, t)], [0.9], [PERSON]), t * 0.2)
    ended = ()
    t = 3
    while not ended and t < 100:
        ended = tracker.update(Detections.empty(), t * 0.2).ended_ids
        t += 1
    assert ended and 4.0 <= (t - 1) * 0.2 - 0.4 <= 4.4


def test_low_confidence_detections_keep_a_track_alive() -> None:
    tracker = ByteTracker(step_s=0.2)
    for t in range(3):
        tracker.update(_frame([_walker(0, 5, t)], [0.9], [PERSON]), t * 0.2)
    half_hidden = tracker.update(_frame([_walker(0, 5, 3)], [0.3], [PERSON]), 0.6)
    assert len(half_hidden.tracked) == 1 and int(half_hidden.tracked.track_id[0]) == 1


def test_a_person_never_continues_a_cars_track_but_car_and_truck_do() -> None:
    tracker = ByteTracker(step_s=0.2)
    box = (100.0, 100.0, 200.0, 160.0)
    for t in range(3):
        tracker.update(_frame([box], [0.9], [CAR]), t * 0.2)
    as_person = tracker.update(_frame([box], [0.9], [PERSON]), 0.6)
    assert int(as_person.tracked.track_id[0]) != 1
    as_truck = tracker.update(_frame([box], [0.9], [7]), 0.8)
    assert 1 in as_truck.tracked.track_id.tolist()


def test_update_does_not_modify_its_input() -> None:
    tracker = ByteTracker(step_s=0.2)
    dets = _frame([_walker(0, 5, 0)], [0.9], [PERSON])
    tracker.update(dets, 0.0)
    assert dets.track_id.tolist() == [-1]


def test_held_time_neither_moves_nor_loses_tracks() -> None:
    tracker = ByteTracker(step_s=0.2)
    parked = (100.0, 100.0, 200.0, 160.0)
    jitter = [(0.0, 0.0), (1.5, -0.5), (0.5, 1.0)]  # a parked car's boxes wobble by a pixel or two
    for t, (dx, dy) in enumerate(jitter):
        box = (parked[0] + dx, parked[1] + dy, parked[2] + dx, parked[3] + dy)
        tracker.update(_frame([box], [0.9], [CAR]), t * 0.2)
    for second in range(1, 600):  # ten still minutes
        tracker.hold(0.4 + second)
    update = tracker.update(_frame([parked], [0.9], [CAR]), 600.0)
    assert update.tracked.track_id.tolist() == [1] and update.ended_ids == ()
