"""A real MQTT broker (Debian's Mosquitto, started by the tests) and a subscriber that keeps what
it hears, for the live tests."""

from __future__ import annotations

import contextlib
import getpass
import os
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import paho.mqtt.client as mqtt
import pytest
from paho.mqtt.enums import CallbackAPIVersion


def mosquitto_binary() -> str:
    found = shutil.which("mosquitto") or ("/usr/sbin/mosquitto" if os.access("/usr/sbin/mosquitto", os.X_OK) else None)
    if found is None:
        pytest.skip("the mosquitto broker is not installed (apt-get install mosquitto)")
    return found


@contextlib.contextmanager
def running_broker(folder: Path, port: int, passwords: Path | None = None) -> Iterator[int]:
    """A running mosquitto on ``127.0.0.1:port``; anonymous unless ``passwords`` is given."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = [f"listener {port} 127.0.0.1", f"user {getpass.getuser()}", "persistence false"]
    lines += [f"password_file {passwords}", "allow_anonymous false"] if passwords else ["allow_anonymous true"]
    conf = folder / "mosquitto.conf"
    conf.write_text("\n".join(lines) + "\n")
    log = (folder / "mosquitto.log").open("w")
    proc = subprocess.Popen([mosquitto_binary(), "-c", str(conf)], stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 10
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
                break
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"mosquitto did not start: {(folder / 'mosquitto.log').read_text()}")
            time.sleep(0.05)
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=5)
        log.close()


class Subscriber:
    """A paho client that keeps every message it gets under ``prefix/#``: (payload, retained)."""

    def __init__(self, port: int, prefix: str, username: str = "", password: str = "") -> None:
        self.messages: dict[str, list[tuple[str, bool]]] = {}
        self._changed = threading.Condition()
        self._subscribed = threading.Event()
        self.client = mqtt.Client(CallbackAPIVersion.VERSION2)
        if username:
            self.client.username_pw_set(username, password)
        self.client.on_connect = lambda c, *_: c.subscribe(f"{prefix}/#", qos=1)
        self.client.on_subscribe = lambda *_: self._subscribed.set()
        self.client.on_message = self._on_message
        self.client.connect("127.0.0.1", port)
        self.client.loop_start()
        assert self._subscribed.wait(5), "the subscriber could not subscribe"

    def _on_message(self, client: mqtt.Client, userdata: object, message: mqtt.MQTTMessage) -> None:
        with self._changed:
            self.messages.setdefault(message.topic, []).append((message.payload.decode(), bool(message.retain)))
            self._changed.notify_all()

    def wait_for(self, topic: str, accept: Callable[[str], bool] = lambda _: True, timeout: float = 5.0) -> tuple[str, bool]:
        """The first message on ``topic`` that ``accept`` takes, waiting up to ``timeout`` seconds."""
        with self._changed:
            found = self._changed.wait_for(
                lambda: next((m for m in self.messages.get(topic, []) if accept(m[0])), None), timeout
            )
        assert found, f"nothing accepted on {topic} within {timeout} s; got {self.messages}"
        return found

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()


