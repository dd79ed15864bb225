"""The still-scene policy (footage.ingest.still) on plain packet facts: no video needed."""

from __future__ import annotations

import pytest

from footage.ingest.still import Action, Step, StillScene


def _gop(scene: StillScene, start_s: float, *, frames: int = 10, fps: float = 10.0, size: int = 300) -> list[Step]:
    """The steps for one GOP: a keyframe at ``start_s`` and ``frames - 1`` P-frames of ``size`` bytes."""
    steps = [scene.step(keyframe=True, size=20_000, time_s=start_s, fallback_s=start_s)]
    for k in range(1, frames):
        t = start_s + k / fps
        steps.append(scene.step(keyframe=False, size=size, time_s=t, fallback_s=t))
    return steps


def test_active_decodes_every_packet_until_quiet_for_still_after_s() -> None:
    scene = StillScene(still_after_s=4.0, probe_interval_s=8.0)
    for start in (0.0, 1.0, 2.0, 3.0):
        assert all(s.action is Action.DECODE for s in _gop(scene, start))
    step = scene.step(keyframe=True, size=20_000, time_s=4.0, fallback_s=4.0)
    assert step == Step(Action.PROBE, went_still=True)
    assert scene.still and scene.kept == 0


def test_a_change_seen_keeps_it_active() -> None:
    scene = StillScene(still_after_s=4.0)
    scene.changed(2.5)
    assert scene.step(keyframe=True, size=1, time_s=6.0, fallback_s=6.0).action is Action.DECODE
    assert scene.step(keyframe=True, size=1, time_s=6.5, fallback_s=6.5).action is Action.PROBE


@pytest.mark.parametrize("scene", [StillScene(skipping=False), StillScene()])
def test_never_still_without_skipping_or_a_timestamp(scene: StillScene) -> None:
    time_s = 100.0 if not scene.skipping else None
    for _ in range(3):
        assert scene.step(keyframe=True, size=1, time_s=time_s, fallback_s=100.0).action is Action.DECODE
    assert not scene.still


def _still_at(start_s: float = 10.0) -> StillScene:
    scene = StillScene(still_after_s=4.0, probe_interval_s=8.0)
    assert scene.step(keyframe=True, size=1, time_s=start_s, fallback_s=start_s).went_still
    assert scene.probed(start_s, unchanged=True) is Action.RESTART
    return scene


def test_unchanged_probe_keeps_packets_until_the_next_probe_interval() -> None:
    scene = _still_at(10.0)
    assert scene.kept == 1 and scene.last_probe_s == 10.0
    for start in (11.0, 12.0, 17.0):  # keyframes before 10 + 8 s are only kept
        assert all(s.action is Action.KEEP for s in _gop(scene, start))
    assert scene.kept == 31 and scene.tail_unseen
    assert scene.step(keyframe=True, size=1, time_s=18.0, fallback_s=18.0).action is Action.PROBE
    assert scene.probed(18.0, unchanged=True) is Action.RESTART
    assert scene.kept == 1 and not scene.tail_unseen  # only the probed keyframe: nothing unseen


def test_changed_probe_replays_and_goes_active() -> None:
    scene = _still_at(10.0)
    _gop(scene, 11.0)
    assert scene.step(keyframe=True, size=1, time_s=18.0, fallback_s=18.0).action is Action.PROBE
    assert scene.probed(18.0, unchanged=False) is Action.REPLAY
    assert not scene.still and scene.kept == 0
    assert scene.step(keyframe=False, size=1, time_s=18.1, fallback_s=18.1).action is Action.DECODE


def test_a_keyframe_without_timestamp_probes_at_the_latest_time() -> None:
    scene = _still_at(10.0)
    assert scene.step(keyframe=True, size=1, time_s=None, fallback_s=12.0).action is Action.KEEP
    assert scene.step(keyframe=True, size=1, time_s=None, fallback_s=18.0).action is Action.PROBE


def test_a_large_p_frame_wakes_the_reader() -> None:
    scene = _still_at(10.0)
    steps = _gop(scene, 11.0, frames=20, size=300)  # 19 quiet P-frames: the size baseline is learnt
    assert all(s.action is Action.KEEP and not s.woken for s in steps)
    step = scene.step(keyframe=False, size=5_000, time_s=13.0, fallback_s=13.0)
    assert step == Step(Action.REPLAY, woken=True)
    assert not scene.still and scene.kept == 0


def test_the_p_frame_after_a_keyframe_is_never_judged_by_size() -> None:
    scene = _still_at(10.0)
    _gop(scene, 11.0, frames=20, size=300)
    assert scene.step(keyframe=True, size=1, time_s=13.0, fallback_s=13.0).action is Action.KEEP
    assert scene.step(keyframe=False, size=50_000, time_s=13.1, fallback_s=13.1) == Step(Action.KEEP)
    assert scene.step(keyframe=False, size=50_000, time_s=13.2, fallback_s=13.2).woken


def test_size_wake_off_never_wakes() -> None:
    scene = StillScene(still_after_s=4.0, probe_interval_s=8.0, size_wake=False)
    scene.step(keyframe=True, size=1, time_s=10.0, fallback_s=10.0)
    scene.probed(10.0, unchanged=True)
    _gop(scene, 11.0, frames=20)
    assert scene.step(keyframe=False, size=10**6, time_s=13.0, fallback_s=13.0) == Step(Action.KEEP)


def test_going_still_again_forgets_the_size_baseline() -> None:
    scene = _still_at(10.0)
    _gop(scene, 11.0, frames=20, size=300)
    scene.step(keyframe=False, size=5_000, time_s=13.0, fallback_s=13.0)  # woken: active again
    scene.changed(13.0)
    assert scene.step(keyframe=True, size=1, time_s=17.0, fallback_s=17.0).went_still
    scene.probed(17.0, unchanged=True)
    steps = _gop(scene, 18.0, frames=5, size=5_000)  # no baseline yet: no verdict
    assert all(s.action is Action.KEEP for s in steps)
