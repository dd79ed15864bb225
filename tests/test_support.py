"""The tests' own helpers (tests/support): the CI rule for missing prerequisites, the in-process CLI
runner, and the RTSP camera the live tests record from (what it answers, before any recorder)."""

from __future__ import annotations

import base64
import socket
from pathlib import Path

import pytest

from support import ci
from support.cli import footage
from support.rtsp import StartCamera


@pytest.mark.parametrize(("env", "fails"), [
    ({"CI": "true"}, True), ({"CI": "1"}, True), ({"FOOTAGE_CI": "1"}, True),
    ({"CI": "false"}, False), ({"CI": ""}, False), ({}, False),
])
def test_a_missing_prerequisite_fails_in_ci_and_skips_elsewhere(monkeypatch: pytest.MonkeyPatch, env: dict[str, str],
                                                                 fails: bool) -> None:
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("FOOTAGE_CI", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    expected = pytest.fail.Exception if fails else pytest.skip.Exception
    with pytest.raises(expected, match="the thing is not here"):
        ci.missing("the thing is not here")


def test_the_cli_runner_returns_status_and_output_as_a_process_would(tmp_path: Path) -> None:
    usage = footage("no-such-command")
    assert usage.returncode == 2 and "invalid choice" in usage.stderr and usage.stdout == ""
    missing = footage("tracks", "--db", tmp_path / "none.sqlite")
    assert missing.returncode == 2 and missing.stderr.startswith("footage: ") and missing.stderr.count("\n") == 1
    assert footage("--help").returncode == 0 and "usage: footage" in footage("--help").stdout


def _rtsp(port: int, method: str, path: str, credentials: tuple[str, str] | None = None) -> str:
    request = f"{method} rtsp://127.0.0.1:{port}{path} RTSP/1.0\r\nCSeq: 1\r\nAccept: application/sdp\r\n"
    if credentials:
        request += "Authorization: Basic " + base64.b64encode(":".join(credentials).encode()).decode() + "\r\n"
    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        conn.sendall((request + "\r\n").encode())
        answer = b""
        while b"\r\n\r\n" not in answer or (b"200 OK" in answer and b"m=video" not in answer):
            chunk = conn.recv(65536)
            if not chunk:
                break
            answer += chunk
    return answer.decode(errors="replace")


def test_the_rtsp_camera_describes_h264_and_refuses_what_a_camera_refuses(rtsp_cameras: StartCamera,
                                                                          live_clip: Path) -> None:
    camera = rtsp_cameras(live_clip)
    described = _rtsp(camera.port, "DESCRIBE", "/cam")
    assert described.startswith("RTSP/1.0 200 OK") and "m=video" in described and "H264/90000" in described
    assert _rtsp(camera.port, "DESCRIBE", "/no-such-path").startswith("RTSP/1.0 404")
    locked = rtsp_cameras(live_clip, credentials=("admin", "right"))
    assert _rtsp(locked.port, "DESCRIBE", "/cam").startswith("RTSP/1.0 401")
    assert _rtsp(locked.port, "DESCRIBE", "/cam", ("admin", "wrong")).startswith("RTSP/1.0 401")
    assert _rtsp(locked.port, "DESCRIBE", "/cam", ("admin", "right")).startswith("RTSP/1.0 200 OK")
    camera.kill()
    with pytest.raises(OSError):
        _rtsp(camera.port, "OPTIONS", "/cam")
