"""Real RTSP cameras for the live tests: GStreamer's RTSP server (``rtsp_camera.py``, run by
Debian's Python) playing a clip, started on a port, waited for until it answers, and killed to
play a camera that loses power.

A camera plays a long copy of its clip (the clip looped by stream copy), so a recorder sees a real
RTSP session, real RTP packetisation and a real SDP, from a real server. Each client gets the
stream from the start of that copy, so two cameras of one test start at different points of the
clip (``start_s``): two real cameras never send the same bytes, and the index would take the
second's segments for copies of the first's.
"""

from __future__ import annotations

import base64
import contextlib
import math
import socket
import subprocess
import time
from collections.abc import Callable
from functools import cache
from pathlib import Path

import av

from support.ci import missing

DEBIAN_PYTHON = "/usr/bin/python3"
CAMERA_SCRIPT = Path(__file__).with_name("rtsp_camera.py")
PACKAGES = "gir1.2-gst-rtsp-server-1.0 python3-gi gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad"
PLAYS_S = 720  # how long a camera streams before its clip ends: longer than any live test

_PROBE = """
import gi
gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import Gst, GstRtspServer
Gst.init(None)
lost = [n for n in ("filesrc", "qtdemux", "h264parse", "rtph264pay") if Gst.ElementFactory.find(n) is None]
print(" ".join(lost))
"""


@cache
def _what_is_missing() -> str:
    """Why GStreamer's RTSP server cannot run here, or "" when it can."""
    try:
        probe = subprocess.run([DEBIAN_PYTHON, "-c", _PROBE], capture_output=True, text=True, timeout=60)
    except OSError:
        return f"{DEBIAN_PYTHON} (Debian's Python, with PyGObject) is not there"
    if probe.returncode != 0:
        return f"GStreamer's RTSP server does not load: {probe.stderr.strip().splitlines()[-1:]}"
    if probe.stdout.strip():
        return f"GStreamer elements missing: {probe.stdout.strip()}"
    return ""


def require_rtsp_server() -> None:
    """Skip (fail in CI) when GStreamer's RTSP server is not installed."""
    if reason := _what_is_missing():
        missing(f"{reason} (apt-get install {PACKAGES})")


def looped(clip: Path, folder: Path, seconds: float = PLAYS_S, start_s: float = 0.0) -> Path:
    """``clip`` from ``start_s`` (best a keyframe) and then again and again, for at least ``seconds``:
    joined by stream copy with continuous timestamps (ffmpeg's concat demuxer), made once per folder."""
    out = folder / f"{clip.stem}-from-{start_s:g}s-{seconds:.0f}s.mp4"
    if out.exists():
        return out
    with av.open(str(clip)) as container:
        assert container.duration, f"{clip} has no duration"
        clip_s = container.duration / av.time_base
    entries = [f"file '{clip}'\n" + (f"inpoint {start_s:g}\n" if start_s else "")]
    entries += [f"file '{clip}'\n"] * math.ceil(seconds / clip_s)
    listing = out.with_suffix(".txt")
    listing.write_text("".join(entries))
    part = out.with_suffix(".part.mp4")
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "concat", "-safe", "0", "-i", str(listing), "-an", "-c", "copy",
                    str(part)], check=True)
    part.rename(out)
    return out


class RtspCamera:
    """One clip served at ``rtsp://127.0.0.1:PORT/cam`` by GStreamer's RTSP server, from ``start_s``
    into it, then looped for ``plays_s``; ``credentials`` (user, password) lock it."""

    def __init__(self, clip: Path, port: int, workdir: Path, *, credentials: tuple[str, str] | None = None,
                 plays_s: float = PLAYS_S, start_s: float = 0.0) -> None:
        require_rtsp_server()
        self.port = port
        self.url = f"rtsp://127.0.0.1:{port}/cam"
        log = workdir / f"rtsp-camera-{port}-{time.monotonic_ns()}.log"
        self._log = log
        self._process = subprocess.Popen(
            [DEBIAN_PYTHON, str(CAMERA_SCRIPT), str(port), str(looped(clip, workdir, plays_s, start_s)), *(credentials or ())],
            stdin=subprocess.DEVNULL, stdout=log.open("wb"), stderr=subprocess.STDOUT)
        self._credentials = credentials
        try:
            self._wait_until_it_answers()
        except BaseException:
            self.kill()
            raise

    def _wait_until_it_answers(self, timeout_s: float = 20.0) -> None:
        """Until an RTSP OPTIONS request gets ``200 OK`` (the server is attached and serving)."""
        deadline = time.monotonic() + timeout_s
        while True:
            if self._process.poll() is not None:
                raise AssertionError(f"the RTSP camera exited: {self._log.read_text()}")
            if self._answers():
                return
            assert time.monotonic() < deadline, f"no answer within {timeout_s:.0f} s: {self._log.read_text()}"
            time.sleep(0.1)

    def _answers(self) -> bool:
        request = f"OPTIONS {self.url} RTSP/1.0\r\nCSeq: 1\r\n"
        if self._credentials:
            request += "Authorization: Basic " + base64.b64encode(":".join(self._credentials).encode()).decode() + "\r\n"
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port), timeout=1) as conn:
            conn.sendall((request + "\r\n").encode())
            return conn.recv(1024).startswith(b"RTSP/1.0 200")
        return False

    def kill(self) -> None:
        """Die as a camera that loses power: the process killed, its connections cut by the kernel."""
        if self._process.poll() is None:
            self._process.kill()
        self._process.wait(10)


#: the ``rtsp_cameras`` fixture: ``start(clip, port=None, credentials=None)``
StartCamera = Callable[..., RtspCamera]
