"""The demo site's cameras as a separate process serving MJPEG over HTTP on loopback.

Why a process: the console must never paint or encode frames itself (its GUI thread and
its GIL belong to the operator), and the video wall should play the demo exactly as it
plays a real camera: a URL handed to the video engine.

Each camera has two streams, like a real one: ``/<id>/sub.mjpg`` (480×270) and
``/<id>/main.mjpg`` (960×540), as ``multipart/x-mixed-replace`` JPEG parts; ``.jpg`` gives
one snapshot and ``/cameras.json`` the list. Each picture burns in the camera's name and,
when a test that reads the wall from a screen grab asks (`identity_blocks`), its place in
the list as a row of blocks (`identity_code`, `CameraServerProcess.code_of`). A stream
paints and encodes only while at least one client watches it, and all its clients share
each encoded frame. The child
exits by itself when its parent goes away (stdin reaches EOF, or the parent pid changes),
so a console that is killed leaves no orphan.

Run by hand: ``python -m app.adapters.demo.camera_server --demo 9`` prints its port.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import json
import logging
import os
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import IO, Any
from urllib.parse import quote, unquote

from app.adapters.demo import identity_code
from app.adapters.demo.footage import BODY, FIXED, FootagePainter

log = logging.getLogger(__name__)

ROLE_SIZES: dict[str, tuple[int, int]] = {"sub": (480, 270), "main": (960, 540)}
BOUNDARY = "csuframe"
PORT_LINE = "CSU-CAMERA-SERVER PORT"
# A frozen console (PyInstaller) has no `-m`: it re-runs its own executable with this flag
# first, and its entry point must hand the rest of argv to `main()` before importing Qt.
FROZEN_CHILD_FLAG = "--csu-camera-server"
JPEG_QUALITY = 80


@dataclass(frozen=True)
class SyntheticCamera:
    """A demo camera: what to paint for it and what to call it."""

    id: str
    name: str
    kind: str  # "fixed" or "body"
    seed: int = 0
    label: str = ""  # e.g. an officer callsign for a body cam

    def __post_init__(self) -> None:
        if self.kind not in (FIXED, BODY):
            raise ValueError(
                f"camera {self.id!r}: kind must be 'fixed' or 'body', not {self.kind!r}"
            )
        if not self.id or "/" in self.id:
            raise ValueError(f"camera id must be non-empty and without '/': {self.id!r}")


# --- the child process ----------------------------------------------------------------------


class _Stream:
    """One camera at one size. A producer thread runs only while somebody watches."""

    def __init__(self, camera: SyntheticCamera, role: str, fps: int, code: int | None) -> None:
        self.camera = camera
        self.code = code  # the identity blocks burned into the picture (None: none)
        self.role = role
        self.fps = fps
        self._cond = threading.Condition()
        self._clients = 0
        self._running = False
        self._frame: bytes = b""
        self._seq = 0
        self._painter: FootagePainter | None = None

    def status(self) -> dict[str, Any]:
        """Clients, frames encoded so far and whether the painter runs (for tests/ops)."""
        with self._cond:
            return {"camera": self.camera.id, "role": self.role, "clients": self._clients,
                    "frames": self._seq, "running": self._running}

    def attach(self) -> None:
        with self._cond:
            self._clients += 1
            if not self._running:
                self._running = True
                name = f"paint-{self.camera.id}-{self.role}"
                threading.Thread(target=self._produce, name=name, daemon=True).start()

    def detach(self) -> None:
        with self._cond:
            self._clients -= 1

    def next_frame(self, after: int, timeout: float) -> tuple[int, bytes] | None:
        """The newest frame newer than sequence `after`, waiting up to `timeout`."""
        with self._cond:
            if not self._cond.wait_for(lambda: self._seq > after, timeout):
                return None
            return self._seq, self._frame

    def _produce(self) -> None:
        try:
            if self._painter is None:
                c = self.camera
                self._painter = FootagePainter(
                    c.name, c.kind, seed=c.seed, label=c.label, size=ROLE_SIZES[self.role],
                    code=self.code,
                )
            period = 1.0 / self.fps
            tick = time.monotonic()
            while True:
                with self._cond:
                    if self._clients <= 0:
                        self._running = False
                        return
                jpeg = self._painter.jpeg(time.time(), JPEG_QUALITY)
                with self._cond:
                    self._frame = jpeg
                    self._seq += 1
                    self._cond.notify_all()
                tick += period
                delay = tick - time.monotonic()
                if delay < -period:  # far behind (machine busy): drop frames, do not catch up
                    tick = time.monotonic()
                elif delay > 0:
                    time.sleep(delay)
        except Exception:
            log.exception("painter of %s/%s failed", self.camera.id, self.role)
            with self._cond:
                self._running = False
            raise


class _Handler(BaseHTTPRequestHandler):
    server: _CameraHTTPServer
    protocol_version = "HTTP/1.0"
    timeout = 15.0  # a client that stops reading for this long is dropped
    server_version = "CSUDemoCameras/1.0"

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s - %s", self.address_string(), format % args)

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0].strip("/")
        if path in ("", "cameras.json"):
            body = json.dumps([asdict(c) for c in self.server.cameras]).encode()
            self._reply(HTTPStatus.OK, "application/json", body)
            return
        if path == "status.json":
            body = json.dumps([s.status() for s in self.server.streams.values()]).encode()
            self._reply(HTTPStatus.OK, "application/json", body)
            return
        parts = path.split("/")
        if len(parts) == 2 and "." in parts[1]:
            role, ext = parts[1].rsplit(".", 1)
            stream = self.server.streams.get((unquote(parts[0]), role))
            if stream is not None and ext == "mjpg":
                self._serve_mjpeg(stream)
                return
            if stream is not None and ext == "jpg":
                self._serve_snapshot(stream)
                return
        self._reply(HTTPStatus.NOT_FOUND, "text/plain", b"no such camera stream\n")

    def _reply(self, status: HTTPStatus, ctype: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _serve_snapshot(self, stream: _Stream) -> None:
        stream.attach()
        try:
            got = stream.next_frame(0, 5.0)
        finally:
            stream.detach()
        if got is None:
            self._reply(HTTPStatus.SERVICE_UNAVAILABLE, "text/plain", b"no frame\n")
        else:
            self._reply(HTTPStatus.OK, "image/jpeg", got[1])

    def _serve_mjpeg(self, stream: _Stream) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", f"multipart/x-mixed-replace; boundary={BOUNDARY}")
        self.send_header("Cache-Control", "no-cache, no-store, private")
        self.send_header("Pragma", "no-cache")
        self.send_header("Connection", "close")
        self.end_headers()
        stream.attach()
        seq = 0
        try:
            while True:
                got = stream.next_frame(seq, 5.0)
                if got is None:
                    return
                seq, jpeg = got
                head = (
                    f"--{BOUNDARY}\r\nContent-Type: image/jpeg\r\n"
                    f"Content-Length: {len(jpeg)}\r\n\r\n"
                ).encode()
                self.wfile.write(head + jpeg + b"\r\n")
        except OSError:  # the client went away (reset, broken pipe, timeout): only this one ends
            return
        finally:
            stream.detach()


class _CameraHTTPServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, host: str, port: int, cameras: list[SyntheticCamera], fps: int,
                 identity_blocks: bool = False) -> None:
        self.cameras = cameras
        self.streams = {
            (c.id, role): _Stream(c, role, fps,
                                  identity_code.code_for(i) if identity_blocks else None)
            for i, c in enumerate(cameras) for role in ROLE_SIZES
        }
        # A fixed port is a restart on the same URLs: allow rebinding past TIME_WAIT.
        # With port 0 the kernel picks a free port and nothing needs reusing.
        self.allow_reuse_address = port != 0
        super().__init__((host, port), _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        log.debug("request from %s failed", client_address, exc_info=True)


def _watch_parent(parent_pid: int, stdin: IO[bytes] | None) -> None:
    """Exit the whole process when the parent goes: stdin EOF or a new parent pid."""

    def exit_now(why: str) -> None:
        log.info("camera server exits: %s", why)
        sys.stderr.flush()
        os._exit(0)

    if stdin is not None:

        def read_until_eof() -> None:
            with contextlib.suppress(OSError, ValueError):
                while stdin.read(4096):
                    pass
            exit_now("stdin closed (parent gone)")

        threading.Thread(target=read_until_eof, name="stdin-watch", daemon=True).start()

    def poll_ppid() -> None:
        while True:
            time.sleep(1.0)
            if os.getppid() != parent_pid:
                exit_now("parent process died")

    threading.Thread(target=poll_ppid, name="ppid-watch", daemon=True).start()


def _demo_cameras(n: int) -> list[SyntheticCamera]:
    cams = []
    for i in range(1, n + 1):
        if i % 4 == 0:
            cams.append(SyntheticCamera(f"bwc-{i:02d}", f"BWC-{i:02d}", BODY, i, f"PM {i:02d}"))
        else:
            cams.append(SyntheticCamera(f"cam-{i:02d}", f"CAM-{i:02d}", FIXED, i))
    return cams


def _parse_cameras(raw: str) -> list[SyntheticCamera]:
    data = json.loads(raw)
    if not isinstance(data, list):
        raise ValueError("camera list must be a JSON array of objects")
    return [SyntheticCamera(**item) for item in data]


def main(argv: list[str] | None = None) -> int:
    """Child entry point: serve until the parent goes away or we are terminated."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    src = parser.add_mutually_exclusive_group(required=True)
    src.add_argument("--cameras", help="JSON array of cameras, or '-' for one line on stdin "
                     "(stdin then stays open: its EOF means the parent is gone)")
    src.add_argument("--demo", type=int, metavar="N", help="serve N made-up cameras")
    parser.add_argument("--fps", type=int, default=10)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0: any free port (default)")
    parser.add_argument("--log-level", default="WARNING")
    parser.add_argument("--identity-blocks", action="store_true",
                        help="burn each camera's number in as blocks (tests read them)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=args.log_level.upper(), stream=sys.stderr,
                        format="camera-server %(levelname)s %(message)s")
    parent = os.getppid()
    stdin_watch: IO[bytes] | None = None
    try:
        if args.demo is not None:
            cameras = _demo_cameras(args.demo)
        elif args.cameras == "-":
            cameras = _parse_cameras(sys.stdin.buffer.readline().decode())
            stdin_watch = sys.stdin.buffer
        else:
            cameras = _parse_cameras(args.cameras)
        if not 1 <= args.fps <= 60:
            raise ValueError(f"fps must be 1..60, got {args.fps}")
        server = _CameraHTTPServer(args.host, args.port, cameras, args.fps,
                                   args.identity_blocks)
    except (ValueError, TypeError, OSError) as exc:
        sys.stderr.write(f"camera server: {exc}\n")
        sys.stderr.flush()
        return 2
    _watch_parent(parent, stdin_watch)
    sys.stdout.write(f"{PORT_LINE} {server.server_address[1]}\n")  # the parent waits for it
    sys.stdout.flush()
    with server:
        server.serve_forever(poll_interval=0.5)
    return 0


# --- the parent side --------------------------------------------------------------------------


class CameraServerProcess:
    """Starts and stops the camera server child; hands out its stream URLs."""

    def __init__(
        self,
        cameras: list[SyntheticCamera],
        fps: int = 10,
        host: str = "127.0.0.1",
        *,
        port: int = 0,
        identity_blocks: bool = False,
    ) -> None:
        """`port=0` lets the kernel pick; a fixed port keeps URLs valid across restarts.
        `identity_blocks`: each picture carries its camera's number as blocks, for tests
        that read from the screen which camera a tile shows (the demo itself is spared them:
        no real camera draws a bar code over the street)."""
        ids = [c.id for c in cameras]
        if len(set(ids)) != len(ids):
            dupes = sorted({i for i in ids if ids.count(i) > 1})
            raise ValueError(f"duplicate camera ids: {dupes}")
        self.cameras = list(cameras)
        self.fps = fps
        self.host = host
        self.requested_port = port
        self.identity_blocks = identity_blocks
        self._proc: subprocess.Popen[bytes] | None = None
        self._port: int | None = None
        self._stderr_tail: collections.deque[str] = collections.deque(maxlen=30)
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()

    @property
    def port(self) -> int | None:
        return self._port

    @property
    def alive(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def start(self, timeout: float = 10.0) -> None:
        """Spawn the child and wait (bounded) until it reports its port."""
        with self._lock:
            if self.alive and self._port is not None:
                return
            self._stop_locked()
            self._stderr_tail.clear()
            args = ["--cameras", "-", "--fps", str(self.fps), "--host", self.host,
                    "--port", str(self.requested_port)]
            if self.identity_blocks:
                args.append("--identity-blocks")
            if getattr(sys, "frozen", False):
                cmd = [sys.executable, FROZEN_CHILD_FLAG, *args]
            else:
                cmd = [sys.executable, "-m", "app.adapters.demo.camera_server", *args]
            env = dict(os.environ)
            root = str(Path(__file__).resolve().parents[3])  # so `-m app...` resolves from anywhere
            env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
            flags = getattr(subprocess, "CREATE_NO_WINDOW", 0) if os.name == "nt" else 0
            try:
                proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, env=env, creationflags=flags)
            except OSError as exc:
                raise RuntimeError(
                    f"cannot start the demo camera server ({cmd[0]}): {exc}"
                ) from exc
            self._proc = proc
            port_found = threading.Event()
            assert proc.stdout is not None
            assert proc.stderr is not None
            assert proc.stdin is not None
            self._threads = [
                threading.Thread(target=self._read_stdout, args=(proc.stdout, port_found),
                                 name="camera-server-stdout", daemon=True),
                threading.Thread(target=self._read_stderr, args=(proc.stderr,),
                                 name="camera-server-stderr", daemon=True),
            ]
            for t in self._threads:
                t.start()
            try:
                line = json.dumps([asdict(c) for c in self.cameras]) + "\n"
                proc.stdin.write(line.encode())
                proc.stdin.flush()  # stdin stays open: closing it tells the child to exit
            except OSError:
                pass  # the child died already; reported below with its stderr
            deadline = time.monotonic() + timeout
            while not port_found.wait(0.02):
                if proc.poll() is not None:
                    for t in self._threads:
                        t.join(1.0)
                    tail = " | ".join(self._stderr_tail) or "no output"
                    self._stop_locked()
                    raise RuntimeError(
                        f"demo camera server exited with code {proc.returncode} before "
                        f"serving: {tail}"
                    )
                if time.monotonic() > deadline:
                    self._stop_locked()
                    raise RuntimeError(
                        f"demo camera server did not report its port within {timeout:.0f} s"
                    )
            log.info("demo camera server pid %d serving %d cameras on %s:%s",
                     proc.pid, len(self.cameras), self.host, self._port)

    def code_of(self, camera_id: str) -> int:
        """The number a camera's picture carries as blocks (`identity_code`): its place
        in the list, from 1."""
        ids = [c.id for c in self.cameras]
        if camera_id not in ids:
            raise KeyError(f"unknown demo camera {camera_id!r}")
        return identity_code.code_for(ids.index(camera_id))

    def url(self, camera_id: str, role: str = "sub") -> str:
        """The MJPEG URL of one camera stream, e.g. http://127.0.0.1:PORT/cam-01/sub.mjpg."""
        if role not in ROLE_SIZES:
            raise ValueError(f"role must be one of {sorted(ROLE_SIZES)}, got {role!r}")
        if camera_id not in {c.id for c in self.cameras}:
            raise KeyError(f"unknown demo camera {camera_id!r}")
        if self._port is None:
            raise RuntimeError("demo camera server is not started")
        return f"http://{self.host}:{self._port}/{quote(camera_id, safe='')}/{role}.mjpg"

    def stop(self) -> None:
        """Terminate the child (bounded wait); idempotent."""
        with self._lock:
            self._stop_locked()

    def _stop_locked(self) -> None:
        proc, self._proc, self._port = self._proc, None, None
        if proc is None:
            return
        if proc.stdin is not None:
            with contextlib.suppress(OSError):
                proc.stdin.close()  # the polite way: the child exits on stdin EOF
        try:
            proc.wait(1.0)
        except subprocess.TimeoutExpired:
            proc.terminate()
            try:
                proc.wait(2.0)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(2.0)
        for t in self._threads:
            t.join(2.0)
        self._threads = []
        for pipe in (proc.stdout, proc.stderr):
            if pipe is not None:
                with contextlib.suppress(OSError):
                    pipe.close()

    def _read_stdout(self, pipe: IO[bytes], port_found: threading.Event) -> None:
        with contextlib.suppress(OSError, ValueError):
            for raw in pipe:
                line = raw.decode(errors="replace").strip()
                if line.startswith(PORT_LINE) and not port_found.is_set():
                    with contextlib.suppress(ValueError):
                        self._port = int(line.rsplit(" ", 1)[1])
                        port_found.set()
                elif line:
                    log.info("camera server: %s", line)

    def _read_stderr(self, pipe: IO[bytes]) -> None:
        with contextlib.suppress(OSError, ValueError):
            for raw in pipe:
                line = raw.decode(errors="replace").rstrip()
                if line:
                    self._stderr_tail.append(line)
                    log.warning("%s", line)

    def __enter__(self) -> CameraServerProcess:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


if __name__ == "__main__":
    sys.exit(main())
