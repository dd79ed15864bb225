"""Tell an MQTT broker about live cameras: each moment when it starts and when it ends, each
camera's state, and whether footage is up (the only module in ``footage`` that imports paho-mqtt).

Topics, under ``topic_prefix`` (``footage``), in the layout Home Assistant users know from Frigate;
the documentation is ``docs/mqtt.md``::

    footage/available          "online" / "offline" (retained; "offline" is also the Last Will)
    footage/events             each moment's start and end, JSON (not retained)
    footage/<camera>/moment    the camera's latest moment message, same JSON (retained)
    footage/<camera>/state     the camera's live state, JSON (retained)

The topic and payload functions are pure; :class:`MqttPublisher` is a thin shell over paho's
threaded client. It connects in the background and reconnects by itself, so a broker that is down
never stops recording, and it never raises from a publish: failures are logged. Messages published
with QoS 1 or 2 while the broker is away are queued in memory and sent once it is back.
"""

from __future__ import annotations

import json
import logging
import re
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion

from footage.errors import ConfigError
from footage.store.live import STATES
from footage.store.records import IndexedMoment

__all__ = [
    "CAMERA_STATES", "MOMENT_MESSAGES", "MqttParams", "MqttPublisher", "availability_topic", "events_topic",
    "moment_payload", "moment_topic", "state_payload", "state_topic", "topic_camera",
]

log = logging.getLogger(__name__)

#: what ``<prefix>/<camera>/state`` can say: a live camera's states as the index stores them
CAMERA_STATES = STATES

#: the ``type`` of a moment message: it began (new id), or it ended (was ongoing, or new and
#: already over); each moment is published once with each
MOMENT_MESSAGES = ("start", "end")

ONLINE = "online"
OFFLINE = "offline"

_RECONNECT_MIN_S = 1
_RECONNECT_MAX_S = 30
_KEEPALIVE_S = 30
_CLOSE_WAIT_S = 2.0
_TOPIC_UNSAFE = re.compile(r"[/#+\s\x00]")


@dataclass(frozen=True)
class MqttParams:
    """Where to publish. An empty ``host`` turns MQTT off; ``base_url`` (``http://nvr:8000``), when
    set, gives each moment a link to its review page."""

    host: str = ""
    port: int = 1883
    topic_prefix: str = "footage"
    username: str = ""
    password: str = ""
    client_id: str = "footage"
    qos: int = 1
    base_url: str = ""

    def __post_init__(self) -> None:
        if not 1 <= self.port <= 65535:
            raise ConfigError(f"mqtt.port must be 1..65535, got {self.port}")
        if self.qos not in (0, 1, 2):
            raise ConfigError(f"mqtt.qos must be 0, 1 or 2, got {self.qos}")
        prefix = self.topic_prefix
        if not prefix or any(c in prefix for c in "#+\x00") or prefix.startswith(("/", "$")) or prefix.endswith("/"):
            raise ConfigError(
                f"mqtt.topic_prefix {prefix!r} must be a non-empty topic without '#', '+' or a leading '$', "
                "and must not start or end with '/'"
            )
        if self.password and not self.username:
            raise ConfigError("mqtt.password is set but mqtt.username is empty")

    @property
    def enabled(self) -> bool:
        return bool(self.host)


# ---------------------------------------------------------------- topics and payloads (pure)


def topic_camera(camera: str) -> str:
    """``camera`` as one topic level: ``/``, ``#``, ``+`` and whitespace become ``_``."""
    return _TOPIC_UNSAFE.sub("_", camera) or "_"


def availability_topic(prefix: str) -> str:
    return f"{prefix}/available"


def events_topic(prefix: str) -> str:
    return f"{prefix}/events"


def moment_topic(prefix: str, camera: str) -> str:
    return f"{prefix}/{topic_camera(camera)}/moment"


def state_topic(prefix: str, camera: str) -> str:
    return f"{prefix}/{topic_camera(camera)}/state"


def _iso_utc(when: datetime) -> str:
    """``2026-11-20T15:30:00.250Z``; a naive time is taken to be UTC already."""
    aware = when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)
    return aware.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def moment_payload(moment: IndexedMoment, base_url: str, message: str = "start") -> dict[str, Any]:
    """The JSON-ready message saying that ``moment`` started or ended (``message``, one of
    :data:`MOMENT_MESSAGES`; see ``docs/mqtt.md``)."""
    if message not in MOMENT_MESSAGES:
        raise ValueError(f"unknown moment message {message!r}; expected one of {', '.join(MOMENT_MESSAGES)}")
    return {
        "type": message,
        "id": moment.id,
        "camera": moment.camera,
        "kind": moment.kind,
        "kinds": list(moment.kinds),
        "title": moment.description,
        "start": _iso_utc(moment.start_utc),
        "end": _iso_utc(moment.end_utc),
        "duration_s": round(moment.duration_s, 2),
        "people": moment.people,
        "labels": sorted({label for _, label in moment.tracks if label != "?"}),
        "score": round(moment.score, 3),
        "ongoing": moment.ongoing,
        "url": f"{base_url.rstrip('/')}/moments/{moment.id}" if base_url else None,
    }


def state_payload(state: str, detail: str, since: datetime) -> dict[str, str]:
    """The JSON-ready message for a camera's state; ``state`` is one of :data:`CAMERA_STATES`."""
    if state not in CAMERA_STATES:
        raise ValueError(f"unknown camera state {state!r}; expected one of {', '.join(CAMERA_STATES)}")
    return {"state": state, "detail": detail, "since": _iso_utc(since)}


def _encode(payload: dict[str, Any]) -> str:
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False)


# ---------------------------------------------------------------- the paho adapter


class MqttPublisher:
    """Publishes to the broker of ``params`` from paho's network thread: :meth:`start`, then
    :meth:`publish_moment` / :meth:`publish_state` from any thread, then :meth:`close`."""

    def __init__(self, params: MqttParams) -> None:
        self.params = params
        self._lock = threading.Lock()
        self._started = False
        client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=params.client_id)
        if params.username:
            client.username_pw_set(params.username, params.password or None)
        client.will_set(availability_topic(params.topic_prefix), OFFLINE, qos=1, retain=True)
        client.reconnect_delay_set(_RECONNECT_MIN_S, _RECONNECT_MAX_S)
        client.on_connect = self._on_connect
        client.on_disconnect = self._on_disconnect
        self._client = client

    @property
    def connected(self) -> bool:
        return self._client.is_connected()

    def start(self) -> None:
        """Connect in the background; returns at once, even if the broker is down."""
        with self._lock:
            if self._started:
                return
            self._started = True
        p = self.params
        who = f" as {p.username!r}" if p.username else ""
        log.info("MQTT: publishing to %s:%d%s under %s/ (client id %r)", p.host, p.port, who, p.topic_prefix, p.client_id)
        self._client.connect_async(p.host, p.port, keepalive=_KEEPALIVE_S)
        self._client.loop_start()

    def publish_moment(self, moment: IndexedMoment, message: str = "start") -> None:
        """That ``moment`` started or ended (``message``): on ``<prefix>/events`` and the retained
        ``<prefix>/<camera>/moment``."""
        text = _encode(moment_payload(moment, self.params.base_url, message))
        self._publish(events_topic(self.params.topic_prefix), text, retain=False)
        self._publish(moment_topic(self.params.topic_prefix, moment.camera), text, retain=True)

    def publish_state(self, camera: str, state: str, detail: str, since: datetime) -> None:
        """The retained ``<prefix>/<camera>/state``."""
        try:
            text = _encode(state_payload(state, detail, since))
        except ValueError as exc:
            log.warning("MQTT: state of camera %s not published: %s", camera, exc)
            return
        self._publish(state_topic(self.params.topic_prefix, camera), text, retain=True)

    def close(self) -> None:
        """Say ``offline`` (if connected), disconnect and stop the network thread."""
        with self._lock:
            if not self._started:
                return
            self._started = False
        client = self._client
        if client.is_connected():
            info = client.publish(availability_topic(self.params.topic_prefix), OFFLINE, qos=1, retain=True)
            try:
                info.wait_for_publish(_CLOSE_WAIT_S)
            except (RuntimeError, ValueError) as exc:
                log.warning("MQTT: could not say offline before closing: %s", exc)
        client.disconnect()
        client.loop_stop()

    def _publish(self, topic: str, text: str, *, retain: bool) -> None:
        try:
            info = self._client.publish(topic, text, qos=self.params.qos, retain=retain)
        except (ValueError, OSError) as exc:
            log.warning("MQTT: could not publish to %s: %s", topic, exc)
            return
        if info.rc == mqtt.MQTT_ERR_NO_CONN:
            if self.params.qos == 0:
                log.warning("MQTT: broker not connected, dropped a QoS 0 message to %s", topic)
            else:
                log.debug("MQTT: broker not connected, queued a message to %s", topic)
        elif info.rc != mqtt.MQTT_ERR_SUCCESS:
            log.warning("MQTT: could not publish to %s: %s", topic, mqtt.error_string(info.rc))

    def _on_connect(self, client: mqtt.Client, userdata: Any, flags: Any, reason: Any, properties: Any) -> None:
        if reason.is_failure:
            log.warning("MQTT: broker %s:%d refused the connection: %s", self.params.host, self.params.port, reason)
            return
        log.info("MQTT: connected to %s:%d", self.params.host, self.params.port)
        client.publish(availability_topic(self.params.topic_prefix), ONLINE, qos=1, retain=True)

    def _on_disconnect(self, client: mqtt.Client, userdata: Any, flags: Any, reason: Any, properties: Any) -> None:
        if self._started:
            log.warning("MQTT: lost the broker %s:%d (%s); reconnecting", self.params.host, self.params.port, reason)
