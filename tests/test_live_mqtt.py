"""MQTT notifications: the pure topics and payloads, and the publisher against a real Mosquitto.

Each broker is Debian's ``mosquitto`` started by these tests on 127.0.0.1 with a free port and a
config file written to a temporary folder; a subscriber is a plain paho client. Tests skip when
``mosquitto`` is not installed (``apt-get install mosquitto``).
"""

from __future__ import annotations

import contextlib
import json
import logging
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from footage.errors import ConfigError
from footage.live.mqtt import (
    MqttParams,
    MqttPublisher,
    availability_topic,
    events_topic,
    moment_payload,
    moment_topic,
    state_payload,
    state_topic,
    topic_camera,
)
from footage.store.records import IndexedMoment
from support.mqtt import Subscriber, mosquitto_binary, running_broker
from support.net import free_port

START = datetime(2026, 11, 20, 14, 30, 0, 250000, tzinfo=UTC)


def _moment(moment_id: int = 42, camera: str = "front door") -> IndexedMoment:
    return IndexedMoment(
        id=moment_id, camera=camera, recording="/rec/front/20261120_153000.mp4", kind="together",
        kinds=("lingered", "together"), start_utc=START, end_utc=START + timedelta(seconds=34.5),
        start_s=12.0, end_s=46.5, people=2, tracks=((7, "person"), (9, "person"), (11, "dog")),
        description="2 people together for 34 s", keyframe=None, score=0.87654,
    )


# ---------------------------------------------------------------- topics and payloads (pure)


def test_topics_follow_the_documented_layout() -> None:
    assert events_topic("footage") == "footage/events"
    assert availability_topic("home/nvr") == "home/nvr/available"
    assert moment_topic("footage", "front door") == "footage/front_door/moment"
    assert state_topic("footage", "garage") == "footage/garage/state"


@pytest.mark.parametrize(
    ("camera", "level"), [("a/b", "a_b"), ("x#y+z", "x_y_z"), ("back\tyard cam", "back_yard_cam"), ("", "_")]
)
def test_camera_names_become_one_safe_topic_level(camera: str, level: str) -> None:
    assert topic_camera(camera) == level


def test_moment_payload_is_json_ready_and_complete() -> None:
    payload = moment_payload(_moment(), "http://nvr:8000/", "start")
    assert json.loads(json.dumps(payload)) == payload
    assert payload == {
        "type": "start", "id": 42, "camera": "front door", "kind": "together", "kinds": ["lingered", "together"],
        "title": "2 people together for 34 s", "start": "2026-11-20T14:30:00.250Z", "end": "2026-11-20T14:30:34.750Z",
        "duration_s": 34.5, "people": 2, "labels": ["dog", "person"], "score": 0.877, "ongoing": False,
        "url": "http://nvr:8000/moments/42",
    }
    assert moment_payload(_moment(), "")["url"] is None


def test_a_moment_message_says_start_or_end_and_whether_it_goes_on() -> None:
    growing = IndexedMoment(**{**_moment().__dict__, "ongoing": True})
    assert (moment_payload(growing, "", "start")["type"], moment_payload(growing, "", "start")["ongoing"]) == ("start", True)
    assert (moment_payload(_moment(), "", "end")["type"], moment_payload(_moment(), "", "end")["ongoing"]) == ("end", False)
    with pytest.raises(ValueError, match="unknown moment message"):
        moment_payload(_moment(), "", "new")


def test_payload_times_are_utc_whatever_zone_the_moment_carries() -> None:
    berlin = _moment().start_utc.astimezone(ZoneInfo("Europe/Berlin"))
    moment = IndexedMoment(**{**_moment().__dict__, "start_utc": berlin, "end_utc": berlin.replace(tzinfo=None)})
    payload = moment_payload(moment, "")
    assert payload["start"] == "2026-11-20T14:30:00.250Z"
    assert payload["end"] == "2026-11-20T15:30:00.250Z"  # naive is read as UTC


def test_state_payload_names_a_known_state() -> None:
    assert state_payload("recording", "", START) == {"state": "recording", "detail": "", "since": "2026-11-20T14:30:00.250Z"}
    with pytest.raises(ValueError, match="unknown camera state"):
        state_payload("dancing", "", START)


@pytest.mark.parametrize(
    "changes",
    [{"port": 0}, {"port": 70000}, {"qos": 3}, {"topic_prefix": ""}, {"topic_prefix": "a/#"}, {"topic_prefix": "a+b"},
     {"topic_prefix": "/footage"}, {"topic_prefix": "footage/"}, {"topic_prefix": "$SYS"}, {"password": "secret"}],
)
def test_bad_params_are_config_errors(changes: dict[str, object]) -> None:
    with pytest.raises(ConfigError, match="mqtt"):
        MqttParams(host="localhost", **changes)  # type: ignore[arg-type]


def test_mqtt_is_off_without_a_host() -> None:
    assert not MqttParams().enabled
    assert MqttParams(host="broker").enabled


# ---------------------------------------------------------------- a real broker


@contextlib.contextmanager
def _running(params: MqttParams) -> Iterator[MqttPublisher]:
    publisher = MqttPublisher(params)
    publisher.start()
    try:
        yield publisher
    finally:
        publisher.close()


@contextlib.contextmanager
def _subscribed(port: int, prefix: str, username: str = "", password: str = "") -> Iterator[Subscriber]:
    subscriber = Subscriber(port, prefix, username, password)
    try:
        yield subscriber
    finally:
        subscriber.close()


def test_a_moment_start_and_end_reach_a_subscriber(mosquitto: int) -> None:
    params = MqttParams(host="127.0.0.1", port=mosquitto, topic_prefix="t1/nvr", client_id="t1", base_url="http://nvr:8000")
    growing = IndexedMoment(**{**_moment().__dict__, "ongoing": True})
    over = IndexedMoment(**{**_moment().__dict__, "end_utc": START + timedelta(seconds=80), "end_s": 92.0})
    with _subscribed(mosquitto, "t1/nvr") as sub, _running(params) as publisher:
        publisher.publish_moment(growing, "start")
        text, retained = sub.wait_for("t1/nvr/events")
        assert json.loads(text) == moment_payload(growing, "http://nvr:8000", "start")
        assert json.loads(text)["url"] == "http://nvr:8000/moments/42" and json.loads(text)["ongoing"] is True
        assert not retained
        assert json.loads(sub.wait_for("t1/nvr/front_door/moment")[0])["type"] == "start"
        publisher.publish_moment(over, "end")
        text, _ = sub.wait_for("t1/nvr/events", lambda t: json.loads(t)["type"] == "end")
        assert json.loads(text) == moment_payload(over, "http://nvr:8000", "end")
        assert json.loads(text)["ongoing"] is False and json.loads(text)["duration_s"] == 80.0
        sub.wait_for("t1/nvr/front_door/moment", lambda t: json.loads(t)["type"] == "end")
        assert [json.loads(t)["type"] for t, _ in sub.messages["t1/nvr/events"]] == ["start", "end"]
    # a late subscriber gets the camera's latest message (retained: the end), but not the event stream
    with _subscribed(mosquitto, "t1/nvr") as late:
        text, retained = late.wait_for("t1/nvr/front_door/moment")
        assert retained and json.loads(text)["type"] == "end" and json.loads(text)["id"] == 42
        assert "t1/nvr/events" not in late.messages


def test_state_and_availability_are_retained_and_offline_follows_close(mosquitto: int) -> None:
    params = MqttParams(host="127.0.0.1", port=mosquitto, topic_prefix="t2", client_id="t2")
    since = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
    with _running(params) as publisher:
        with _subscribed(mosquitto, "t2") as sub:
            publisher.publish_state("garage", "reconnecting", "connection refused", since)
            publisher.publish_state("garage", "no such state", "", since)  # logged, never raised
            sub.wait_for("t2/garage/state")
            sub.wait_for("t2/available")
        with _subscribed(mosquitto, "t2") as late:
            text, retained = late.wait_for("t2/garage/state")
            assert retained
            expected = {"state": "reconnecting", "detail": "connection refused", "since": "2026-11-20T08:00:00.000Z"}
            assert json.loads(text) == expected
            assert late.wait_for("t2/available") == ("online", True)
    assert not publisher.connected
    with _subscribed(mosquitto, "t2") as after:
        assert after.wait_for("t2/available") == ("offline", True)


_LINGERING_PUBLISHER = """
import sys, time
from footage.live.mqtt import MqttParams, MqttPublisher
publisher = MqttPublisher(MqttParams(host="127.0.0.1", port=int(sys.argv[1]), topic_prefix="t3", client_id="t3"))
publisher.start()
while not publisher.connected:
    time.sleep(0.02)
print("connected", flush=True)
time.sleep(60)
"""


def test_the_last_will_says_offline_when_the_publisher_dies(mosquitto: int) -> None:
    with _subscribed(mosquitto, "t3") as sub:
        proc = subprocess.Popen([sys.executable, "-c", _LINGERING_PUBLISHER, str(mosquitto)], stdout=subprocess.PIPE, text=True)
        try:
            assert proc.stdout is not None and proc.stdout.readline().strip() == "connected"
            sub.wait_for("t3/available", lambda text: text == "online")
            proc.send_signal(signal.SIGKILL)  # no DISCONNECT: the broker sends the will
            sub.wait_for("t3/available", lambda text: text == "offline")
        finally:
            proc.kill()
            proc.wait()


def test_a_publisher_started_before_the_broker_delivers_once_it_is_up(tmp_path: Path) -> None:
    port = free_port()
    params = MqttParams(host="127.0.0.1", port=port, topic_prefix="t4", client_id="t4")
    with _running(params) as publisher:
        publisher.publish_moment(_moment(7, "yard"))  # queued: QoS 1 and no broker yet
        time.sleep(0.3)
        assert not publisher.connected
        with running_broker(tmp_path, port), _subscribed(port, "t4") as sub:
            assert sub.wait_for("t4/available", timeout=8)[0] == "online"
            text, _ = sub.wait_for("t4/yard/moment", timeout=8)
            assert json.loads(text)["id"] == 7
            assert publisher.connected


def test_username_and_password_are_used(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    mosquitto_binary()
    passwords = tmp_path / "passwords"
    subprocess.run(["mosquitto_passwd", "-b", "-c", str(passwords), "nvr", "s3cret"], check=True, capture_output=True)
    with running_broker(tmp_path / "broker", free_port(), passwords) as port, _subscribed(port, "t5", "nvr", "s3cret") as sub:
        good = MqttParams(host="127.0.0.1", port=port, topic_prefix="t5", client_id="t5", username="nvr", password="s3cret")
        with caplog.at_level(logging.INFO, logger="footage.live.mqtt"), _running(good) as publisher:
            publisher.publish_state("cam", "recording", "", START)
            assert json.loads(sub.wait_for("t5/cam/state")[0])["state"] == "recording"
        assert "s3cret" not in caplog.text and "'nvr'" in caplog.text
        bad = MqttParams(host="127.0.0.1", port=port, topic_prefix="t5", client_id="t5-bad", username="nvr", password="wrong")
        with caplog.at_level(logging.WARNING, logger="footage.live.mqtt"), _running(bad) as refused:
            deadline = time.monotonic() + 5
            while "refused the connection" not in caplog.text and time.monotonic() < deadline:
                time.sleep(0.05)
            assert "refused the connection" in caplog.text
            assert not refused.connected
