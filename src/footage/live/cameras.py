"""The cameras file of ``footage run``: one TOML file naming every live camera (parsed here only).

::

    timezone = "Europe/Berlin"          # and any settings table of docs/config.md, for every camera
    [detect]
    classes = ["person", "car", "sports ball"]

    [live]                              # LiveParams below
    recordings = "/srv/footage"
    segment_s = 60

    [mqtt]                              # footage.live.mqtt.MqttParams (docs/mqtt.md)
    host = "homeassistant.local"

    [cameras.front_door]                # one table per camera; the name is the table's key
    url = "rtsp://user:secret@192.168.1.20:554/stream1"
    retention_days = 14                 # footage.live.retention.RetentionParams
    retention_gb = 50
    [cameras.front_door.ingest]         # this camera's own settings tables, over the ones above
    detect_fps = 3.0

Unknown keys and wrong types raise :class:`~footage.errors.ConfigError` naming the camera.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from footage.config import Settings, build_table, read_toml, settings_from_data
from footage.errors import ConfigError
from footage.live.backoff import RetryPolicy
from footage.live.layout import safe_camera_name
from footage.live.mqtt import MqttParams
from footage.live.retention import RetentionParams

__all__ = ["CameraConfig", "CamerasFile", "LiveParams", "load_cameras", "parse_cameras", "single_camera"]


@dataclass(frozen=True)
class LiveParams:
    """How live cameras are recorded. ``recordings`` is the folder segments go to (empty: a
    ``<index name>-recordings`` folder beside the index)."""

    recordings: str = ""
    segment_s: float = 60.0
    timeout_s: float = 5.0
    retry_base_s: float = 1.0
    retry_cap_s: float = 30.0
    retry_jitter: float = 0.2
    retention_every_s: float = 300.0
    heartbeat_s: float = 10.0

    def __post_init__(self) -> None:
        for name in ("segment_s", "timeout_s", "retention_every_s", "heartbeat_s"):
            value = getattr(self, name)
            if not (math.isfinite(value) and value > 0):
                raise ConfigError(f"[live] {name} must be a positive number of seconds, got {value}")
        self.policy()

    def policy(self) -> RetryPolicy:
        return RetryPolicy(self.retry_base_s, self.retry_cap_s, self.retry_jitter)

    def recordings_root(self, db_path: Path) -> Path:
        if self.recordings:
            return Path(self.recordings).expanduser()
        return Path(db_path).parent / f"{Path(db_path).stem}-recordings"


@dataclass(frozen=True)
class CameraConfig:
    """One live camera: its name in the index, the RTSP URL of the stream to record, how long
    its segments are kept, and the settings its segments are indexed with."""

    name: str
    url: str
    retention: RetentionParams = field(default_factory=RetentionParams)
    settings: Settings = field(default_factory=Settings)


@dataclass(frozen=True)
class CamerasFile:
    """Everything ``footage run`` reads: shared settings, recording, MQTT, and the cameras."""

    cameras: tuple[CameraConfig, ...]
    live: LiveParams = field(default_factory=LiveParams)
    mqtt: MqttParams = field(default_factory=MqttParams)
    settings: Settings = field(default_factory=Settings)


_CAMERA_KEYS = {"url", "retention_days", "retention_gb"}


def _camera(name: str, table: Any, settings: Settings) -> CameraConfig:
    where = f"[cameras.{name}]"
    if not isinstance(table, dict):
        raise ConfigError(f"{where} must be a table with at least a url")
    url = table.get("url")
    if not isinstance(url, str) or not url.strip():
        raise ConfigError(f"{where} needs url = \"rtsp://...\" (the stream to record)")
    if not url.startswith(("rtsp://", "rtsps://", "rtmp://", "http://", "https://", "file:", "/")):
        raise ConfigError(f"{where} url must be an rtsp:// address (got {url.split(':', 1)[0]!r})")
    own = {k: v for k, v in table.items() if k not in _CAMERA_KEYS}
    retention_values = {key.removeprefix("retention_"): table[key] for key in ("retention_days", "retention_gb") if key in table}
    retention = build_table(RetentionParams, f"cameras.{name}", retention_values)
    camera_settings = settings_from_data(own, where, base=settings) if own else settings
    return CameraConfig(name, url.strip(), retention, camera_settings)


def parse_cameras(data: dict[str, Any], where: str) -> CamerasFile:
    """A cameras file from parsed TOML."""
    data = dict(data)
    live = build_table(LiveParams, "live", data.pop("live", {}))
    mqtt = build_table(MqttParams, "mqtt", data.pop("mqtt", {}))
    cameras_table = data.pop("cameras", None)
    settings = settings_from_data(data, where)
    if not isinstance(cameras_table, dict) or not cameras_table:
        raise ConfigError(f"{where} names no camera; add a [cameras.NAME] table with url = \"rtsp://...\"")
    cameras = tuple(_camera(str(name), table, settings) for name, table in cameras_table.items())
    folders: dict[str, str] = {}
    for camera in cameras:
        other = folders.setdefault(safe_camera_name(camera.name), camera.name)
        if other != camera.name:
            raise ConfigError(f"cameras {other!r} and {camera.name!r} would share the folder {safe_camera_name(camera.name)!r}")
    return CamerasFile(cameras, live, mqtt, settings)


def load_cameras(path: Path) -> CamerasFile:
    """Read and check a cameras file."""
    return parse_cameras(read_toml(path, "cameras"), str(path))


def single_camera(name: str, url: str, settings: Settings, live: LiveParams | None = None,
                  mqtt: MqttParams | None = None, retention: RetentionParams | None = None) -> CamerasFile:
    """The cameras file of ``footage watch URL --camera NAME``."""
    if not name.strip():
        raise ConfigError("--camera needs a name")
    return CamerasFile((CameraConfig(name, url, retention or RetentionParams(), settings),),
                       live or LiveParams(), mqtt or MqttParams(), settings)
