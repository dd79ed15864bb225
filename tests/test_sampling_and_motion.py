import numpy as np
import pytest

from footage.ingest.motion import MotionGate, changed_fraction
from footage.ingest.sampling import Sampler


@pytest.mark.parametrize(
    ("source_fps", "expected_every"),
    [(25.0, 5), (10.0, 2), (5.0, 1), (30.0, 6)],
)
def test_sampler_takes_every_nth_frame_of_a_constant_rate(source_fps: float, expected_every: int) -> None:
    sampler = Sampler(5.0, tolerance_s=0.5 / source_fps)
    taken = [i for i in range(200) if sampler.take(i / source_fps)]
    assert taken == list(range(0, 200, expected_every))


def test_sampler_keeps_about_the_rate_for_a_fractional_source() -> None:
    sampler = Sampler(5.0, tolerance_s=0.04)
    taken = [i for i in range(1250) if sampler.take(i * 0.08)]  # 12.5 fps for 100 s
    assert 495 <= len(taken) <= 505
    assert max(np.diff(taken)) <= 3


def test_sampler_jumps_over_a_gap_without_a_burst() -> None:
    sampler = Sampler(5.0, tolerance_s=0.02)
    assert sampler.take(0.0)
    assert sampler.take(100.0)  # after a gap: one sample, then the rate again
    assert not sampler.take(100.04)
    assert sampler.take(100.2)


def test_sampler_restart_replays_from_an_earlier_time() -> None:
    sampler = Sampler(5.0, tolerance_s=0.02)
    assert sampler.take(10.0)
    sampler.restart(8.0)
    assert sampler.take(8.0)
    assert not sampler.take(8.1)


def test_changed_fraction_counts_pixels_over_the_threshold() -> None:
    a = np.zeros((10, 10), np.uint8)
    b = a.copy()
    b[:2, :5] = 40
    b[5, 5] = 5  # below the threshold: noise
    assert changed_fraction(a, b, pixel_threshold=12) == pytest.approx(0.10)


def test_motion_gate_compares_with_the_last_accepted_frame() -> None:
    gate = MotionGate(pixel_threshold=10, min_changed_fraction=0.05)
    first = np.zeros((10, 10), np.uint8)
    assert gate.changed(first)  # nothing seen yet
    gate.accept(first)
    assert gate.changed(first) and gate.looking_again  # a second look right after a change
    gate.accept(first)
    assert not gate.changed(first)
    creeping = first.copy()
    creeping[0, :4] = 50  # 4% changed: not enough
    assert not gate.changed(creeping)
    creeping[1, :4] = 50  # 8% since the reference, though only 4% since the last frame
    assert gate.changed(creeping)
    gate.accept(creeping)
    assert gate.changed(creeping) and gate.looking_again  # one second look, no more
    gate.accept(creeping)
    assert not gate.changed(creeping)


def test_motion_gate_rejects_mismatched_shapes() -> None:
    gate = MotionGate()
    gate.accept(np.zeros((4, 4), np.uint8))
    with pytest.raises(ValueError, match="shape"):
        gate.changed(np.zeros((5, 4), np.uint8))
