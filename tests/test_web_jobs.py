"""The web page's indexing jobs: which paths may be indexed, and jobs run on real clips with the
real detector, one at a time, with progress visible while they run."""

from __future__ import annotations

import logging
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from footage.config import Settings
from footage.detect import Detector
from footage.errors import ModelError, RequestError
from footage.store import queries
from footage.store.database import connect
from footage.store.moments import MomentFilter, list_moments
from footage.web.jobs import JobRunner, JobView, allowed_path
from support.clips import MakeClip, h264

RunnerFactory = Callable[..., JobRunner]


# ---- allowed_path ---------------------------------------------------------------------------------

@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / "root" / "cam").mkdir(parents=True)
    (tmp_path / "root" / "cam" / "a.mp4").write_bytes(b"")
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "b.mp4").write_bytes(b"")
    return tmp_path / "root"


def refusal(text: str, roots: list[Path]) -> RequestError:
    with pytest.raises(RequestError) as caught:
        allowed_path(text, roots)
    return caught.value


def test_no_roots_means_indexing_from_the_page_is_off(root: Path) -> None:
    error = refusal(str(root / "cam"), [])
    assert error.status == 403
    assert "--index-root" in str(error)


@pytest.mark.parametrize("text", ["", "   ", "cam/\0a.mp4", "x" * 4097])
def test_malformed_paths_are_400(root: Path, text: str) -> None:
    assert refusal(text, [root]).status == 400


def test_a_missing_path_inside_a_root_is_404(root: Path) -> None:
    assert refusal(str(root / "cam" / "nothing.mp4"), [root]).status == 404


@pytest.mark.parametrize("relative", ["../outside", "../outside/b.mp4", "cam/../../outside", "../outside/missing.mp4"])
def test_paths_outside_the_roots_are_403(root: Path, relative: str) -> None:
    assert refusal(str(root / relative), [root]).status == 403
    assert refusal(relative, [root]).status == 403


def test_a_symlink_inside_a_root_to_outside_is_403(root: Path) -> None:
    (root / "escape").symlink_to(root.parent / "outside", target_is_directory=True)
    (root / "cam" / "link.mp4").symlink_to(root.parent / "outside" / "b.mp4")
    assert refusal(str(root / "escape"), [root]).status == 403
    assert refusal(str(root / "escape" / "b.mp4"), [root]).status == 403
    assert refusal(str(root / "cam" / "link.mp4"), [root]).status == 403


def test_paths_inside_a_root_are_resolved(root: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    other.mkdir()
    assert allowed_path(str(root), [root]) == root.resolve()
    assert allowed_path(f"  {root}/cam/../cam/a.mp4 ", [other, root]) == (root / "cam" / "a.mp4").resolve()
    assert allowed_path("cam", [root]) == (root / "cam").resolve()  # relative to the first root
    (tmp_path / "root-link").symlink_to(root, target_is_directory=True)
    assert allowed_path(str(root / "cam"), [tmp_path / "root-link"]) == (root / "cam").resolve()


# ---- jobs on real clips -----------------------------------------------------------------------------

@pytest.fixture
def runners(tmp_path: Path, detector: Detector) -> Iterator[RunnerFactory]:
    """``runners(detector_factory=..., db_path=...)`` makes a runner over ``tmp_path``; all are
    closed at the end."""
    made: list[JobRunner] = []

    def make(detector_factory: Callable[[], Detector] | None = None, db_path: Path | None = None) -> JobRunner:
        runner = JobRunner(db_path or tmp_path / "db" / "index.sqlite", Settings(), [tmp_path],
                           detector_factory=detector_factory or (lambda: detector))
        made.append(runner)
        return runner

    yield make
    for runner in made:
        runner.close(timeout=60)


def small_clip(make_clip: MakeClip, tmp_path: Path, folder: str, source: str = "testsrc2") -> Path:
    """A 2 s synthetic clip in ``tmp_path/folder``; clips from different ``source`` differ in content."""
    (tmp_path / folder).mkdir()
    return make_clip(f"{folder}/clip.mp4", "-f", "lavfi", "-i", f"{source}=size=320x240:rate=10", *h264(2))


def test_a_job_runs_with_visible_progress_and_its_counts_match_the_index(
    runners: RunnerFactory, sample_clip: Path, tmp_path: Path
) -> None:
    (tmp_path / "cam").mkdir()
    shutil.copy(sample_clip, tmp_path / "cam" / sample_clip.name)
    runner = runners()
    queued = runner.submit(str(tmp_path / "cam"))
    assert (queued.state, queued.paths, queued.camera, queued.percent) == ("queued", (str(tmp_path / "cam"),), None, 0.0)
    assert queued.created_utc.utcoffset() is not None and queued.started_utc is None

    seen: list[JobView] = []
    deadline = time.monotonic() + 300
    while not (view := runner.get(queued.id)).finished and time.monotonic() < deadline:
        seen.append(view)
        time.sleep(0.05)
    running = [v for v in seen if v.state == "running"]
    assert running, "never saw the job running"
    done_s = [v.media_done_s for v in running]
    assert done_s == sorted(done_s)
    assert any(0 < s < running[-1].media_s for s in done_s), "no progress seen part-way through"
    assert any(v.current == sample_clip.name for v in running)

    assert view.state == "done", view.error
    assert (view.files, view.files_done, view.indexed, view.skipped, view.problems) == (1, 1, 1, 0, 0)
    assert view.media_s == pytest.approx(139, abs=2)
    assert view.media_done_s == pytest.approx(view.media_s)
    assert view.percent == 100.0 and view.current is None and view.error is None
    assert view.speed > 1.0
    assert view.started_utc is not None and view.finished_utc is not None
    assert view.created_utc <= view.started_utc <= view.finished_utc

    conn = connect(tmp_path / "db" / "index.sqlite", create=False)
    try:
        summary = queries.status_summary(conn)
        moments = list_moments(conn, MomentFilter())
    finally:
        conn.close()
    assert summary.recordings == view.indexed and summary.cameras[0][0] == "cam"
    assert view.moments == len(moments) > 0
    assert runner.jobs() == (view,)


def test_jobs_run_one_at_a_time_in_submission_order(runners: RunnerFactory, make_clip: MakeClip, tmp_path: Path) -> None:
    small_clip(make_clip, tmp_path, "first")
    small_clip(make_clip, tmp_path, "second", source="testsrc")
    runner = runners()
    first = runner.submit(str(tmp_path / "first"), camera="  Front door ")
    second = runner.submit(str(tmp_path / "second" / "clip.mp4"))
    assert second.id > first.id
    assert [v.id for v in runner.jobs()] == [second.id, first.id]  # newest first
    done_second = runner.wait(second.id, timeout=120)
    done_first = runner.get(first.id)
    assert (done_first.state, done_second.state) == ("done", "done")
    assert done_first.camera == "Front door"
    assert done_first.finished_utc is not None and done_second.started_utc is not None
    assert done_first.finished_utc <= done_second.started_utc
    assert (done_first.indexed, done_second.indexed) == (1, 1)
    conn = connect(tmp_path / "db" / "index.sqlite", create=False)
    try:
        cameras = {name for name, _, _ in queries.status_summary(conn).cameras}
    finally:
        conn.close()
    assert cameras == {"Front door", "second"}
    again = runner.wait(runner.submit(str(tmp_path / "first")).id, timeout=120)
    assert (again.state, again.indexed, again.skipped) == ("done", 0, 1)


def test_a_failing_job_is_reported_and_the_next_one_runs(
    runners: RunnerFactory, make_clip: MakeClip, tmp_path: Path, detector: Detector, caplog: pytest.LogCaptureFixture
) -> None:
    small_clip(make_clip, tmp_path, "cam")
    failures: list[Exception] = [ModelError("model file yolox.onnx is missing"), RuntimeError("boom\nsecond line")]

    def factory() -> Detector:
        if failures:
            raise failures.pop(0)
        return detector

    runner = runners(detector_factory=factory)
    jobs = [runner.submit(str(tmp_path / "cam")) for _ in range(3)]
    with caplog.at_level(logging.ERROR, logger="footage.web.jobs"):
        views = [runner.wait(job.id, timeout=120) for job in jobs]
    assert [v.state for v in views] == ["failed", "failed", "done"]
    assert views[0].error == "model file yolox.onnx is missing"
    assert views[1].error == "unexpected error: RuntimeError: boom second line"
    assert all(v.finished_utc is not None for v in views)
    assert views[2].indexed == 1
    logged = [r for r in caplog.records if r.exc_info is not None]
    assert len(logged) == 1 and f"job {jobs[1].id}" in logged[0].getMessage()


def test_an_unusable_index_fails_the_job_with_the_stores_message(runners: RunnerFactory, make_clip: MakeClip,
                                                                  tmp_path: Path) -> None:
    small_clip(make_clip, tmp_path, "cam")
    broken = tmp_path / "broken.sqlite"
    broken.write_bytes(b"this is not a database" * 100)
    runner = runners(db_path=broken)
    view = runner.wait(runner.submit(str(tmp_path / "cam")).id, timeout=60)
    assert view.state == "failed" and view.error is not None
    assert view.error.startswith("cannot use index") and "\n" not in view.error


def test_bad_requests(runners: RunnerFactory, tmp_path: Path) -> None:
    runner = runners()
    (tmp_path / "cam").mkdir()
    for camera in ["x" * 101, "a\nb", "tab\there"]:
        with pytest.raises(RequestError) as caught:
            runner.submit(str(tmp_path / "cam"), camera=camera)
        assert caught.value.status == 400
    with pytest.raises(RequestError) as caught:
        runner.submit(str(tmp_path.parent))
    assert caught.value.status == 403
    for call in (runner.get, lambda job_id: runner.wait(job_id, 0.1)):
        with pytest.raises(RequestError) as caught:
            call(12345)
        assert caught.value.status == 404
    assert runner.jobs() == ()
    assert runner.submit(str(tmp_path / "cam"), camera="   ").camera is None  # blank: named after the folder


def test_close_returns_and_later_submissions_are_refused(runners: RunnerFactory, tmp_path: Path) -> None:
    runner = runners()
    started = time.monotonic()
    runner.close(timeout=5)
    assert time.monotonic() - started < 5
    with pytest.raises(RequestError) as caught:
        runner.submit(str(tmp_path))
    assert caught.value.status == 503
    runner.close()  # twice is fine


def test_close_lets_the_running_job_finish_and_fails_the_queued_ones(
    runners: RunnerFactory, make_clip: MakeClip, tmp_path: Path
) -> None:
    small_clip(make_clip, tmp_path, "cam")
    runner = runners()
    first = runner.submit(str(tmp_path / "cam"))
    deadline = time.monotonic() + 60
    while runner.get(first.id).state == "queued" and time.monotonic() < deadline:
        time.sleep(0.01)
    second = runner.submit(str(tmp_path / "cam"))
    runner.close(timeout=120)
    assert runner.get(first.id).state == "done"
    assert runner.get(second.id).state == "failed"
    assert "shut down" in (runner.get(second.id).error or "")
