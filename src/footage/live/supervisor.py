"""Supervise live cameras: a recording thread per camera and one loop that owns the index.

Recorders (:func:`footage.live.recorder.record`) only write segment files; everything they report
(a closed segment, a gap, a change of state) goes through one queue to :meth:`Supervisor.run`,
the single writer of the index: it indexes each segment as soon as it is closed, as the newest
part of its camera's timeline (a moment still going on at its end is stored as *ongoing* and
grows with the next segment, keeping its id), records gaps and states, publishes each moment to
MQTT when it starts and when it ends, and applies retention now and then. When a camera stops
recording (its stream drops, footage stops, or footage starts after a crash) its ongoing moments
end. A camera that cannot be opened (wrong password or URL) is shown as failed and retried; it
never stops the others. On start, leftovers of a crash (``.part`` segments) are repaired or set aside, and the
time footage was not running is recorded as a gap.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import signal
import sqlite3
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

from footage.config import DetectParams, Settings
from footage.detect import load_detector
from footage.detect.base import Detector
from footage.errors import FootageError
from footage.ingest.clock import start_from_path
from footage.live.cameras import CameraConfig, CamerasFile
from footage.live.mqtt import MqttPublisher
from footage.live.recorder import GapInfo, SegmentInfo, record
from footage.live.repair import find_partials, salvage
from footage.live.retention import enforce_retention
from footage.pipeline.index import index_paths
from footage.store import live as store_live
from footage.store.database import connect, transaction
from footage.store.moments import get_moment
from footage.store.queries import ensure_camera
from footage.store.records import IndexedMoment
from footage.store.timeline import close_ongoing

__all__ = ["Supervisor", "run_until_signalled"]

log = logging.getLogger(__name__)

NOT_RUNNING = "footage was not running"


@dataclass(frozen=True)
class _Segment:
    camera: str
    path: Path
    start_utc: datetime
    end_utc: datetime


@dataclass(frozen=True)
class _State:
    camera: str
    state: str
    detail: str


_Event = _Segment | GapInfo | _State


def _now() -> datetime:
    return datetime.now(UTC)


class Supervisor:
    """Runs every camera of ``config`` into the index at ``db_path`` until ``stop`` is set.

    ``on_moment`` hears each moment when it starts (the CLI prints it). ``detectors`` builds a
    detector for a camera's detection settings (one is shared by cameras with equal settings).
    """

    def __init__(self, config: CamerasFile, db_path: Path, *, stop: threading.Event,
                 on_moment: Callable[[IndexedMoment], None] | None = None,
                 detectors: Callable[[DetectParams], Detector] = load_detector) -> None:
        self.config = config
        self.db_path = Path(db_path)
        self.root = config.live.recordings_root(self.db_path)
        self.stop = stop
        self._on_moment = on_moment
        self._detectors = detectors
        self._detector_cache: dict[DetectParams, Detector] = {}
        self._events: queue.Queue[_Event] = queue.Queue()
        self._states: dict[str, _State] = {}
        self._downtime: dict[str, datetime] = {}
        self._publisher = MqttPublisher(config.mqtt) if config.mqtt.enabled else None

    # ------------------------------------------------------------ the recording threads

    def _record(self, camera: CameraConfig) -> None:
        live = self.config.live

        def closed(info: SegmentInfo) -> None:
            self._events.put(_Segment(info.camera, info.path, info.start_utc, info.end_utc))

        while not self.stop.is_set():
            try:
                record(camera.url, camera.name, self.root, segment_s=live.segment_s, zone=camera.settings.zone(),
                       stop=self.stop, on_segment=closed, on_gap=self._events.put, policy=live.policy(),
                       timeout_s=live.timeout_s,
                       on_state=lambda state, detail: self._events.put(_State(camera.name, state, detail)))
            except FootageError as exc:  # a segment cannot be written (disk full, no permission): try again later
                log.error("camera %s: cannot record (%s); trying again in %.0f s", camera.name, exc, live.retry_cap_s)
                self._events.put(_State(camera.name, "failed", str(exc)))
                self.stop.wait(live.retry_cap_s)

    # ------------------------------------------------------------ the index loop

    def run(self) -> None:
        """Record and index until ``stop`` is set, then finish indexing what was recorded."""
        conn = connect(self.db_path)
        if self._publisher is not None:
            self._publisher.start()
        try:
            for camera in self.config.cameras:
                self._recover(conn, camera)
            threads = [threading.Thread(target=self._record, args=(camera,), name=f"record {camera.name}", daemon=True)
                       for camera in self.config.cameras]
            for thread in threads:
                thread.start()
            next_heartbeat = next_retention = time.monotonic()
            while not (self.stop.is_set() and not any(t.is_alive() for t in threads) and self._events.empty()):
                with contextlib.suppress(queue.Empty):
                    event = self._events.get(timeout=0.5)
                    self._safely(event.camera, partial(self._handle, conn, event))
                if time.monotonic() >= next_heartbeat:
                    next_heartbeat = time.monotonic() + self.config.live.heartbeat_s
                    self._safely("all", lambda: self._heartbeat(conn))
                if time.monotonic() >= next_retention and not self.stop.is_set():
                    next_retention = time.monotonic() + self.config.live.retention_every_s
                    self._safely("all", lambda: self._retention(conn))
            for camera in self.config.cameras:
                self._safely(camera.name, partial(self._end_ongoing, conn, camera.name))
                self._set_state(conn, _State(camera.name, "stopped", ""))
        finally:
            conn.close()
            if self._publisher is not None:
                self._publisher.close()

    def _recover(self, conn: sqlite3.Connection, camera: CameraConfig) -> None:
        """Before recording: repair a crash's leftovers and note since when nothing was recorded."""
        last = store_live.last_recorded_utc(conn, camera.name)
        for part in find_partials(self.root, camera.name):
            saved = salvage(part)
            if saved.outcome == "repaired":
                start = start_from_path(saved.path, camera.settings.zone()) or _now()
                end = start + timedelta(seconds=saved.seconds)
                self._events.put(_Segment(camera.name, saved.path, start, end))
                last = max(last, end) if last is not None else end
        if last is not None:
            self._downtime[camera.name] = last
        self._end_ongoing(conn, camera.name)  # footage stopped (or died) while they went on
        self._set_state(conn, _State(camera.name, "starting", ""))

    @staticmethod
    def _safely(camera: str, work: Callable[[], None]) -> None:
        """Do one piece of the loop's work; a failure (the index locked or its disk full) is
        logged and the cameras go on: a segment that could not be indexed stays on disk, for
        ``footage index`` later."""
        try:
            work()
        except (FootageError, sqlite3.Error, OSError) as exc:
            log.error("camera %s: %s", camera, exc)

    def _handle(self, conn: sqlite3.Connection, event: _Event) -> None:
        if isinstance(event, _Segment):
            self._index(conn, event)
        elif isinstance(event, GapInfo):
            if event.end_utc is None:
                store_live.open_gap(conn, event.camera, event.start_utc, event.reason)
                self._end_ongoing(conn, event.camera)
            else:
                store_live.close_gap(conn, event.camera, event.start_utc, event.end_utc, event.reason)
        else:
            if event.state == "recording" and event.camera in self._downtime:
                since = self._downtime.pop(event.camera)
                store_live.close_gap(conn, event.camera, since, _now(), NOT_RUNNING)
                self._end_ongoing(conn, event.camera)  # those of a segment repaired after a crash
            self._set_state(conn, event)

    def _set_state(self, conn: sqlite3.Connection, state: _State, last_segment: datetime | None = None) -> None:
        before = self._states.get(state.camera)
        self._states[state.camera] = state
        now = _now()
        store_live.set_state(conn, state.camera, state.state, state.detail, now, last_segment)
        if before is None or (before.state, before.detail) != (state.state, state.detail):
            log.info("camera %s: %s%s", state.camera, state.state, f" ({state.detail})" if state.detail else "")
            if self._publisher is not None:
                self._publisher.publish_state(state.camera, state.state, state.detail, now)

    def _heartbeat(self, conn: sqlite3.Connection) -> None:
        now = _now()
        for state in self._states.values():
            store_live.set_state(conn, state.camera, state.state, state.detail, now)

    def _camera(self, name: str) -> CameraConfig:
        return next(c for c in self.config.cameras if c.name == name)

    def _detector(self, settings: Settings) -> Detector:
        if settings.detect not in self._detector_cache:
            self._detector_cache[settings.detect] = self._detectors(settings.detect)
        return self._detector_cache[settings.detect]

    def _index(self, conn: sqlite3.Connection, segment: _Segment) -> None:
        camera = self._camera(segment.camera)
        report = index_paths([segment.path], db_path=self.db_path, conn=conn, detector=self._detector(camera.settings),
                             settings=camera.settings, camera=camera.name, user_start=segment.start_utc, live=True)
        outcome = report.outcomes[0]
        log.info("camera %s: %s %s (%.0f s, %d moments, %d tracks continued%s)", camera.name, segment.path.name,
                 outcome.status, outcome.media_s, outcome.moments, outcome.linked,
                 f"; {outcome.reason}" if outcome.reason else "")
        state = self._states.get(camera.name)
        if state is not None:
            self._set_state(conn, state, segment.end_utc)
        self._announce(conn, outcome.started, "start")
        self._announce(conn, outcome.ended, "end")

    def _end_ongoing(self, conn: sqlite3.Connection, camera: str) -> None:
        """The camera stopped recording: its ongoing moments end where its last segment did."""
        with transaction(conn):
            ended = close_ongoing(conn, ensure_camera(conn, camera))
        if ended:
            log.info("camera %s: %d ongoing moment(s) ended", camera, len(ended))
        self._announce(conn, ended, "end")

    def _announce(self, conn: sqlite3.Connection, moment_ids: Sequence[int], message: str) -> None:
        """Tell ``on_moment`` (of a start) and MQTT that these moments started or ended."""
        for moment_id in moment_ids:
            moment = get_moment(conn, moment_id)
            if moment is None:  # gone again (its recording deleted meanwhile)
                continue
            if message == "start" and self._on_moment is not None:
                self._on_moment(moment)
            if self._publisher is not None:
                self._publisher.publish_moment(moment, message)

    def _retention(self, conn: sqlite3.Connection) -> None:
        for camera in self.config.cameras:
            if not camera.retention.limited:
                continue
            report = enforce_retention(conn, self.db_path, self.root, camera.name, camera.retention, _now(),
                                       camera.settings.zone())
            if report.deleted:
                log.info("camera %s: retention deleted %d segments (%.1f MB)", camera.name, report.deleted,
                         report.freed_bytes / 1e6)


def run_until_signalled(config: CamerasFile, db_path: Path, on_moment: Callable[[IndexedMoment], None] | None = None) -> None:
    """Run :class:`Supervisor` in this (main) thread until SIGINT or SIGTERM, then stop cleanly:
    open segments are closed and indexed, states set to ``stopped``."""
    stop = threading.Event()

    def ask_to_stop(signum: int, frame: object) -> None:
        log.warning("stopping: closing and indexing the open segments")
        stop.set()

    previous = {sig: signal.signal(sig, ask_to_stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        Supervisor(config, db_path, stop=stop, on_moment=on_moment).run()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
