"""A real RTSP camera for the live tests, made from a clip.

FFmpeg's RTSP muxer cannot serve players (``-rtsp_flags listen`` only makes the *demuxer* accept a
pushed stream), so the server here is a small RTSP/TCP-interleaved front written in Python, fed
RTP by a real ``ffmpeg -re -stream_loop -1 -c copy -f rtp`` of the clip: a recorder sees a real
RTSP session, real RTP packetisation and a real SDP, as from an IP camera. It can ask for a
password (HTTP Basic, as cheap cameras do) and answers 404 for another path.
"""

from __future__ import annotations

import base64
import contextlib
import socket
import subprocess
import threading
import time
from pathlib import Path


class RtspServer:
    """Serves one clip, looped in real time, to RTSP clients (TCP interleaved)."""

    def __init__(self, ffmpeg: str, clip: Path, port: int, workdir: Path, *,
                 credentials: tuple[str, str] | None = None) -> None:
        self.port = port
        self.url = f"rtsp://127.0.0.1:{port}/cam"
        self._ffmpeg_path, self._clip = ffmpeg, clip
        self._auth = "Basic " + base64.b64encode(":".join(credentials).encode()).decode() if credentials else None
        self._closed = threading.Event()
        self._send_lock = threading.Lock()
        self._clients: list[socket.socket] = []
        self._rtp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self._rtp.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)  # no keyframe lost on a busy machine
        self._rtp.bind(("127.0.0.1", 0))
        self._rtp.settimeout(0.2)
        self._rtcp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self._rtcp.bind(("127.0.0.1", 0))
        sdp = workdir / f"stream-{port}-{time.monotonic_ns()}.sdp"
        self._sdp_file = sdp
        self._ffmpeg = self._feed()
        deadline = time.monotonic() + 10
        while not (sdp.exists() and "m=video" in sdp.read_text()):
            assert time.monotonic() < deadline, "ffmpeg wrote no SDP"
            time.sleep(0.05)
        self._sdp = sdp.read_text().replace("\r\n", "\n").strip().replace("\n", "\r\n") + "\r\na=control:streamid=0\r\n"
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", port))
        self._listener.listen(4)
        self._listener.settimeout(0.2)
        threading.Thread(target=self._accept, daemon=True).start()

    def _feed(self) -> subprocess.Popen[bytes]:
        rtp_port, rtcp_port = self._rtp.getsockname()[1], self._rtcp.getsockname()[1]
        return subprocess.Popen(
            [self._ffmpeg_path, "-v", "error", "-re", "-stream_loop", "-1", "-i", str(self._clip), "-an", "-c", "copy",
             "-f", "rtp", "-sdp_file", str(self._sdp_file), f"rtp://127.0.0.1:{rtp_port}?rtcpport={rtcp_port}"],
            stdin=subprocess.DEVNULL)

    def _stop_feeding(self) -> None:
        self._ffmpeg.kill()
        self._ffmpeg.wait()

    def _accept(self) -> None:
        while not self._closed.is_set():
            try:
                conn, _ = self._listener.accept()
            except OSError:
                continue
            self._clients.append(conn)
            threading.Thread(target=self._session, args=(conn,), daemon=True).start()

    def _session(self, conn: socket.socket) -> None:
        buffer = b""
        try:
            while not self._closed.is_set():
                if buffer.startswith(b"$"):
                    if len(buffer) >= 4 and len(buffer) >= 4 + int.from_bytes(buffer[2:4], "big"):
                        buffer = buffer[4 + int.from_bytes(buffer[2:4], "big"):]
                        continue
                elif b"\r\n\r\n" in buffer:
                    head, buffer = buffer.split(b"\r\n\r\n", 1)
                    self._answer(conn, head.decode())
                    continue
                data = conn.recv(65536)
                if not data:
                    return
                buffer += data
        except OSError:
            return
        finally:
            conn.close()

    def _answer(self, conn: socket.socket, head: str) -> None:
        request, *lines = head.split("\r\n")
        method, target = request.split(" ")[:2]
        fields = {k.strip().lower(): v.strip() for k, v in (line.split(":", 1) for line in lines if ":" in line)}
        headers, body, status = [f"CSeq: {fields.get('cseq', '0')}", "Session: 4711"], "", "200 OK"
        if self._auth is not None and method != "OPTIONS" and fields.get("authorization") != self._auth:
            status = "401 Unauthorized"
            headers.append('WWW-Authenticate: Basic realm="camera"')
        elif method == "DESCRIBE" and not target.rstrip("/").endswith("/cam"):
            status = "404 Not Found"
        elif method == "OPTIONS":
            headers.append("Public: OPTIONS, DESCRIBE, SETUP, PLAY, TEARDOWN, GET_PARAMETER")
        elif method == "DESCRIBE":
            headers += [f"Content-Base: {self.url}/", "Content-Type: application/sdp"]
            body = self._sdp
        elif method == "SETUP":
            headers.append("Transport: RTP/AVP/TCP;unicast;interleaved=0-1")
        elif method == "PLAY":
            headers.append("Range: npt=0.000-")
        reply = f"RTSP/1.0 {status}\r\n" + "".join(f"{h}\r\n" for h in headers)
        reply += f"Content-Length: {len(body.encode())}\r\n\r\n{body}"
        with self._send_lock:
            conn.sendall(reply.encode())
        if method == "PLAY" and status.startswith("200"):
            threading.Thread(target=self._forward, args=(conn,), daemon=True).start()

    def _forward(self, conn: socket.socket) -> None:
        self._rtp.setblocking(False)  # a live camera sends from now, not what queued before PLAY
        with contextlib.suppress(OSError):
            while self._rtp.recv(65536):
                pass
        self._rtp.settimeout(0.2)
        while not self._closed.is_set():
            try:
                data = self._rtp.recv(65536)
            except TimeoutError:
                continue
            except OSError:
                return
            try:
                with self._send_lock:
                    conn.sendall(b"$\x00" + len(data).to_bytes(2, "big") + data)
            except OSError:
                return

    def kill(self) -> None:
        """Die as a camera that loses power: connections cut, nothing more sent."""
        self._closed.set()
        self._stop_feeding()
        for sock in [self._listener, *self._clients, self._rtp, self._rtcp]:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()
