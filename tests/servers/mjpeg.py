"""`MjpegServer`: an MJPEG-over-HTTP camera on loopback that asks for a login, Basic or
Digest (RFC 2617 with qop=auth, checked here with its own arithmetic, not the console's),
and counts what it saw: TCP connections, logins refused, streams served.

It runs in the test process (stdlib `ThreadingHTTPServer` on a thread): the frames are a
few JPEG pictures of a moving square made once with OpenCV, sent at `fps`. Not imported
by the console.
"""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

BOUNDARY = "csuframe"
_PARAM = re.compile(r'(\w+)=(?:"([^"]*)"|([^\s,]+))')


def _frames(n: int = 10, width: int = 320, height: int = 180) -> list[bytes]:
    import cv2
    import numpy as np

    out = []
    for i in range(n):
        img = np.zeros((height, width, 3), np.uint8)
        img[:, :] = (40, 90, 160)
        x = (i * width) // n
        img[60:120, x:x + 40] = (255, 255, 255)
        ok, jpg = cv2.imencode(".jpg", img)
        assert ok
        out.append(jpg.tobytes())
    return out


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    owner: MjpegServer

    def get_request(self) -> tuple[socket.socket, Any]:
        conn = super().get_request()
        self.owner._count("connections")
        return conn

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a viewer that hangs up mid-stream is normal


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.0"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        owner = self.server.owner
        if not owner.authorised(self):
            return
        owner._count("streams")
        self.send_response(200)
        self.send_header("Content-Type", f"multipart/x-mixed-replace; boundary={BOUNDARY}")
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        i = 0
        while not owner.stopping.is_set():
            jpg = owner.frames[i % len(owner.frames)]
            i += 1
            try:
                self.wfile.write(f"--{BOUNDARY}\r\nContent-Type: image/jpeg\r\n"
                                 f"Content-Length: {len(jpg)}\r\n\r\n".encode() + jpg + b"\r\n")
                self.wfile.flush()
            except OSError:
                return
            owner.stopping.wait(1.0 / owner.fps)  # the stream's frame rate


class MjpegServer:
    """`MjpegServer(auth=("op", "pw"), method="digest").start()`; `url()`; `stop()`.
    `port` 0 takes a free one; a given port is a camera coming back where it was."""

    def __init__(self, auth: tuple[str, str] | None = None, method: str = "basic",
                 fps: int = 10, realm: str = "csu-test-camera", port: int = 0) -> None:
        self.auth, self.method, self.fps, self.realm = auth, method, fps, realm
        self._port = port
        self.frames = _frames()
        self.stopping = threading.Event()
        self.counts = {"connections": 0, "refused": 0, "streams": 0, "stale": 0}
        self.stale_once = False  # True: the next right answer is told its nonce is stale
        self._nonces: set[str] = set()
        self._nc: dict[str, int] = {}
        self._lock = threading.Lock()
        self._srv: _Server | None = None

    def __enter__(self) -> MjpegServer:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    def start(self) -> MjpegServer:
        srv = _Server(("127.0.0.1", self._port), _Handler)
        srv.owner = self
        self._srv = srv
        threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05},
                         daemon=True, name="mjpeg-test-server").start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        if self._srv is not None:
            self._srv.shutdown()
            self._srv.server_close()
            self._srv = None

    @property
    def port(self) -> int:
        assert self._srv is not None
        return int(self._srv.server_address[1])

    def url(self, path: str = "cam.mjpg") -> str:
        return f"http://127.0.0.1:{self.port}/{path}"

    def _count(self, what: str) -> None:
        with self._lock:
            self.counts[what] += 1

    def count(self, what: str) -> int:
        with self._lock:
            return self.counts[what]

    # --- authentication -----------------------------------------------------------------

    def new_nonce(self) -> str:
        nonce = secrets.token_hex(12)
        with self._lock:
            self._nonces.add(nonce)
        return nonce

    def authorised(self, h: _Handler) -> bool:
        """True when the request may have the stream; else answers 401 itself."""
        if self.auth is None:
            return True
        header = h.headers.get("Authorization")
        if header is None:
            self._challenge(h)
            return False
        verdict = self._basic(header) if self.method == "basic" else self._digest(h, header)
        if verdict == "ok":
            return True
        if verdict == "stale":
            self._count("stale")
            self._challenge(h, stale=True)
        else:
            self._count("refused")
            self._challenge(h)
        return False

    def _challenge(self, h: _Handler, stale: bool = False) -> None:
        h.send_response(401)
        if self.method == "basic":
            h.send_header("WWW-Authenticate", f'Basic realm="{self.realm}"')
        else:
            h.send_header("WWW-Authenticate",
                          f'Digest realm="{self.realm}", qop="auth", algorithm=MD5, '
                          f'nonce="{self.new_nonce()}", opaque="csu"'
                          + (", stale=true" if stale else ""))
        h.send_header("Content-Length", "0")
        h.end_headers()

    def _basic(self, header: str) -> str:
        assert self.auth is not None
        expected = base64.b64encode(f"{self.auth[0]}:{self.auth[1]}".encode()).decode()
        return "ok" if header.strip() == f"Basic {expected}" else "refused"

    def _digest(self, h: _Handler, header: str) -> str:
        assert self.auth is not None
        if not header.startswith("Digest "):
            return "refused"
        p = {k: v1 or v2 for k, v1, v2 in _PARAM.findall(header[7:])}
        nonce = p.get("nonce", "")
        with self._lock:
            known = nonce in self._nonces
            last_nc = self._nc.get(nonce, 0)
        md5 = lambda s: hashlib.md5(s.encode()).hexdigest()  # noqa: E731
        ha1 = md5(f"{self.auth[0]}:{self.realm}:{self.auth[1]}")
        ha2 = md5(f"GET:{p.get('uri', '')}")
        want = md5(f"{ha1}:{nonce}:{p.get('nc', '')}:{p.get('cnonce', '')}:auth:{ha2}")
        try:
            nc = int(p.get("nc", "0"), 16)
        except ValueError:
            nc = 0
        if not known or p.get("qop") != "auth" or p.get("uri") != h.path or nc <= last_nc \
                or p.get("username") != self.auth[0] or p.get("response") != want:
            return "refused"
        with self._lock:
            self._nc[nonce] = nc
        with self._lock:
            stale, self.stale_once = self.stale_once, False
        return "stale" if stale else "ok"
