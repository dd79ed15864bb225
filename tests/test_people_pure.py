"""The pure people rules: the ground line, posture from its cues, colour names."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction
from itertools import pairwise

import numpy as np
import pytest

from footage.people.colours import colour_name, to_lab
from footage.people.gestures import gestures_of
from footage.people.ground import fit_ground
from footage.people.motion import speed_at, walking_boxes
from footage.people.posture import PostureParams, posture_of
from footage.people.spans import posture_spans
from footage.types import KEYPOINTS, Gesture, Pose, Track, TrackBox, TrackPose


def test_the_ground_line_is_learned_through_outliers() -> None:
    rng = np.random.default_rng(3)
    feet = rng.uniform(150, 450, 200)
    heights = 0.4 * feet - 20 + rng.normal(0, 2, 200)
    heights[:15] *= 0.5  # half-hidden people and two-in-one boxes
    ground = fit_ground(feet, heights)
    assert ground is not None and ground.slope == pytest.approx(0.4, abs=0.02)
    assert ground.upright_height(300) == pytest.approx(100, abs=3)
    assert ground.upright_height(900) is None  # far beyond where anyone walked
    assert fit_ground(feet[:10], heights[:10]) is None  # too few to learn from


def test_a_level_floor_seen_along_its_length_gives_a_flat_line() -> None:
    feet = np.full(60, 300.0) + np.arange(60) % 5
    ground = fit_ground(feet, np.full(60, 120.0))
    assert ground is not None and ground.slope == 0 and ground.upright_height(302) == pytest.approx(120)


def _pose(**points: tuple[float, float]) -> Pose:
    keypoints = np.zeros((len(KEYPOINTS), 3), np.float32)
    for name, (x, y) in points.items():
        keypoints[KEYPOINTS.index(name)] = (x, y, 0.9)
    return Pose(keypoints, (0, 0, 100, 100))


def test_posture_from_the_ground_line_and_motion() -> None:
    box = (100.0, 100.0, 140.0, 200.0)  # 100 px tall
    assert posture_of(box, 0.0, 140.0, None).name == "sitting"  # 0.71 of upright, still
    assert posture_of(box, 0.0, 170.0, None).name == "crouching"  # 0.59
    assert posture_of(box, 0.8, 140.0, None).name == "walking"  # low but walking: a child
    assert posture_of(box, 0.05, 100.0, None).name == "standing"
    assert posture_of(box, 0.5, 100.0, None).name == "walking"
    assert posture_of((0.0, 0.0, 200.0, 60.0), 0.0, None, None).name == "lying"


def test_posture_from_the_pose_where_no_ground_line_is_known() -> None:
    box = (0.0, 0.0, 100.0, 150.0)
    seated = _pose(left_shoulder=(40, 20), right_shoulder=(60, 20), left_hip=(40, 70), right_hip=(60, 70),
                   left_knee=(90, 75), right_knee=(95, 78))
    upright = _pose(left_shoulder=(40, 20), right_shoulder=(60, 20), left_hip=(40, 70), right_hip=(60, 70),
                    left_knee=(42, 110), right_knee=(58, 110))
    flat = _pose(left_shoulder=(10, 50), right_shoulder=(10, 60), left_hip=(70, 52), right_hip=(70, 62))
    assert posture_of(box, 0.0, None, seated).name == "sitting"
    assert posture_of(box, 0.0, None, upright).name == "standing"
    assert posture_of(box, 0.0, None, flat).name == "lying"
    found = posture_of(box, 0.0, None, seated)
    assert 0.5 <= found.confidence <= 1 and found.cue == "pose"
    with pytest.raises(ValueError):
        PostureParams(seated_ratio=0.5, crouch_ratio=0.6)


def test_speed_is_in_body_heights_a_second() -> None:
    times = np.arange(0, 3, 0.2)
    xyxy = np.stack([100 + 50 * times, np.full_like(times, 100), 140 + 50 * times, np.full_like(times, 200)], 1)
    assert speed_at(times, xyxy, 7) == pytest.approx(0.5)  # 50 px/s, 100 px tall
    assert walking_boxes(times, xyxy, frame_height=480) == list(range(len(times)))
    assert walking_boxes(times, xyxy, frame_height=200) == []  # the feet are cut off by the frame's edge
    assert speed_at(times[:2], xyxy[:2], 0) is None


@pytest.mark.parametrize(("rgb", "name"), [
    ((20, 20, 20), "black"), ((240, 240, 240), "white"), ((128, 128, 128), "grey"), ((200, 30, 30), "red"),
    ((40, 80, 200), "blue"), ((20, 30, 90), "dark blue"), ((40, 160, 60), "green"), ((230, 210, 40), "yellow"),
    ((100, 60, 30), "brown"), ((75, 95, 130), "blue"), ((35, 40, 62), "dark blue"), ((240, 140, 20), "orange"),
    ((120, 40, 140), "purple"), ((245, 170, 200), "pink"),
])
def test_colours_are_named_as_people_name_them(rgb: tuple[int, int, int], name: str) -> None:
    lightness, a, b = to_lab(np.array([[rgb]], np.uint8))[0, 0]
    assert colour_name(float(lightness), float(a), float(b)) == name


def test_a_posture_timeline_covers_the_track_in_spans() -> None:
    """Walks in for 3 s, stands 12 s, walks away: three spans, end to end, with a one-sample
    wobble smoothed away."""
    boxes, x = [], 0.0
    for k in range(100):
        t = k * 0.2
        x += 10 if (t < 3 or t > 15) else (3 if k == 40 else 0)  # one jittery sample while standing
        boxes.append(TrackBox(k, round(t * 1000), (x, 100.0, x + 40, 200.0), 0.9))
    track = Track(1, "person", 0, 19_900, Fraction(1, 1000), tuple(boxes))
    spans = posture_spans(track, (), None)
    assert [s.posture for s in spans] == ["walking", "standing", "walking"]
    assert spans[0].start_pts == 0 and spans[-1].end_pts == 19_900
    assert all(a.end_pts == b.start_pts for a, b in pairwise(spans))
    assert 2_600 <= spans[1].start_pts <= 3_400 and 14_600 <= spans[1].end_pts <= 15_400
    assert posture_spans(replace(track, label="car"), (), None) == []


def _body(x: float, *, left_wrist: tuple[float, float] | None = None, right_wrist: tuple[float, float] | None = None,
          pts: int = 0) -> TrackPose:
    """A person standing with their shoulders at x, x + 20 (y 130), hips at y 170 (a torso of
    40 px), arms hanging unless a wrist is placed."""
    points = {"nose": (x + 10, 115), "left_shoulder": (x, 130), "right_shoulder": (x + 20, 130), "left_hip": (x + 2, 170),
              "right_hip": (x + 18, 170), "left_elbow": (x - 2, 150), "right_elbow": (x + 22, 150),
              "left_wrist": left_wrist or (x - 2, 168), "right_wrist": right_wrist or (x + 22, 168),
              "left_knee": (x + 2, 195), "right_knee": (x + 18, 195), "left_ankle": (x + 2, 220), "right_ankle": (x + 18, 220)}
    keypoints = np.array([[*points.get(name, (0.0, 0.0)), 0.9 if name in points else 0.0] for name in KEYPOINTS], np.float32)
    return TrackPose(pts, Pose(keypoints, (x - 10, 100, x + 30, 222)))


def _kinds(found: dict[int, tuple[Gesture, ...]], track: int) -> list[tuple[str, int | None]]:
    return [(g.kind, g.other) for g in found[track]]


def test_a_raised_arm_and_an_arm_held_out_towards_someone() -> None:
    time_base = Fraction(1, 10)
    found = gestures_of({1: [_body(100, right_wrist=(125, 95))], 2: [_body(300)]}, time_base)
    assert _kinds(found, 1) == [("raised_arm", None)] and found[2] == ()
    found = gestures_of({1: [_body(100, right_wrist=(165, 140))], 2: [_body(200)]}, time_base)
    assert _kinds(found, 1) == [("extended_arm", 2)]  # towards the person on that side
    found = gestures_of({1: [_body(100, left_wrist=(55, 140))], 2: [_body(200)]}, time_base)
    assert _kinds(found, 1) == [("extended_arm", None)]  # held out away from them


def test_hands_meeting_and_a_throw() -> None:
    time_base = Fraction(1, 10)
    # two people a step apart, the right hand of one at the left hand of the other
    found = gestures_of({1: [_body(100, right_wrist=(150, 145))], 2: [_body(180, left_wrist=(154, 146))]}, time_base)
    assert ("hand_to_hand", 2) in _kinds(found, 1) and ("hand_to_hand", 1) in _kinds(found, 2)
    # the same hands looked at a second apart did not meet
    found = gestures_of({1: [_body(100, right_wrist=(150, 145))], 2: [_body(180, left_wrist=(154, 146), pts=10)]},
                        time_base)
    assert ("hand_to_hand", 2) not in _kinds(found, 1)
    # the wrist swings from above the head to out in front, 1.7 torso lengths in 0.4 s: a throw
    swing = [_body(100, right_wrist=(118, 95), pts=0), _body(100, right_wrist=(170, 140), pts=4)]
    assert "threw" in [k for k, _ in _kinds(gestures_of({1: swing}, time_base), 1)]
    slow = [_body(100, right_wrist=(118, 95), pts=0), _body(100, right_wrist=(170, 140), pts=40)]  # over 4 s
    assert "threw" not in [k for k, _ in _kinds(gestures_of({1: slow}, time_base), 1)]


def test_gestures_of_one_kind_close_in_time_are_one_span() -> None:
    time_base = Fraction(1, 10)
    waving = [_body(100, right_wrist=(125, 95), pts=pts) for pts in (0, 4, 8, 12)] + [_body(100, pts=40)]
    found = gestures_of({1: waving}, time_base)
    assert [(g.kind, g.start_pts) for g in found[1]] == [("raised_arm", 0)]
    assert 12 <= found[1][0].end_pts <= 18  # half way towards the next look, at most
