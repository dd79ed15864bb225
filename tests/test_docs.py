"""Every setting is documented in docs/config.md, and the README's commands are the real ones."""

import dataclasses
import re
from pathlib import Path

from footage.config import Settings

REPO = Path(__file__).resolve().parent.parent


def test_every_setting_is_documented() -> None:
    doc = (REPO / "docs" / "config.md").read_text()
    settings = Settings()
    for table in ("ingest", "detect", "track", "keep", "events", "search", "web", "timeline", "pose"):
        assert f"## `[{table}]`" in doc, table
        section = doc.split(f"## `[{table}]`", 1)[1].split("\n## ", 1)[0]
        for field in dataclasses.fields(getattr(settings, table)):
            assert f"| `{field.name}` |" in section, f"[{table}] {field.name} is not documented"
    assert "| `timezone` |" in doc


def test_documented_defaults_match_the_code() -> None:
    doc = (REPO / "docs" / "config.md").read_text()
    settings = Settings()
    for table in ("ingest", "track", "keep", "events", "search", "web", "timeline", "pose"):
        for field in dataclasses.fields(getattr(settings, table)):
            value = getattr(getattr(settings, table), field.name)
            if isinstance(value, tuple):
                continue  # lists of labels are described in words
            match = re.search(rf"\| `{field.name}` \| ([^|]+) \|", doc)
            assert match, field.name
            shown = match.group(1).strip()
            expected = str(value).lower() if isinstance(value, bool) else '""' if value == "" else str(value)
            assert shown == expected, f"[{table}] {field.name}: docs say {shown}, code says {expected}"


def test_readme_gives_install_demo_and_test_commands() -> None:
    readme = (REPO / "README.md").read_text()
    assert "pip install ." in readme
    assert "footage demo" in readme
    assert "python -m pytest" in readme
    ci = (REPO / ".ci" / "run").read_text()
    assert "python -m pytest" in ci


def test_every_event_kind_is_defined_in_docs_events() -> None:
    from footage.events import EVENT_KINDS

    doc = (REPO / "docs" / "events.md").read_text()
    for kind in EVENT_KINDS:
        assert f"### `{kind}`" in doc, kind


def _section(doc: str, title: str) -> str:
    assert f"### `{title}`" in doc, title
    return doc.split(f"### `{title}`", 1)[1].split("\n## ", 1)[0].split("\n### ", 1)[0]


def test_every_live_setting_is_documented_with_its_default() -> None:
    from footage.live.cameras import LiveParams
    from footage.live.mqtt import MqttParams
    from footage.live.retention import RetentionParams

    live = (REPO / "docs" / "live.md").read_text()
    tables = [(LiveParams(), _section(live, "[live]"), ""), (RetentionParams(), _section(live, "[cameras.NAME]"), "retention_"),
              (MqttParams(), (REPO / "docs" / "mqtt.md").read_text(), "")]
    for params, section, prefix in tables:
        for field in dataclasses.fields(params):  # type: ignore[arg-type]
            value = getattr(params, field.name)
            match = re.search(rf"\| `{prefix}{field.name}` \| ([^|]+) \|", section)
            assert match, f"{prefix}{field.name} is not documented"
            shown = match.group(1).strip().strip("`")
            expected = '""' if value == "" else f"{value:g}" if isinstance(value, float) and prefix else str(value)
            assert shown == expected, f"{prefix}{field.name}: docs say {shown}, code says {expected}"
