"""The demo camera server as a real child process, read over real sockets."""

from __future__ import annotations

import json
import os
import signal
import socket
import struct
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import cv2
import numpy as np
import pytest

from app.adapters.demo import identity_code
from app.adapters.demo.camera_server import (
    BOUNDARY,
    CameraServerProcess,
    SyntheticCamera,
)
from tests.waiting import wait_until

CAMERAS = [
    SyntheticCamera("cam-01", "CAM-01 Mairie", "fixed", seed=1),
    SyntheticCamera("cam-02", "CAM-02 Gare", "fixed", seed=2),
    SyntheticCamera("bwc-01", "BWC-01", "body", seed=3, label="PM 12"),
]
REPO = Path(__file__).resolve().parents[2]


class MjpegClient:
    """A plain-socket MJPEG reader: what a camera client does, nothing more."""

    def __init__(self, url: str) -> None:
        rest = url.split("://", 1)[1]
        hostport, path = rest.split("/", 1)
        host, port = hostport.rsplit(":", 1)
        self.sock = socket.create_connection((host, int(port)), timeout=10)
        self.sock.sendall(f"GET /{path} HTTP/1.1\r\nHost: {hostport}\r\n\r\n".encode())
        self.file: BinaryIO = self.sock.makefile("rb")
        self.status = self.file.readline().decode().strip()
        self.headers: dict[str, str] = {}
        while (line := self.file.readline().decode().strip()) != "":
            key, value = line.split(":", 1)
            self.headers[key.strip().lower()] = value.strip()

    def next_jpeg(self) -> bytes:
        line = self.file.readline().strip()
        while line == b"":
            line = self.file.readline().strip()
        assert line == f"--{BOUNDARY}".encode(), line
        length = -1
        while (h := self.file.readline().decode().strip()) != "":
            key, value = h.split(":", 1)
            if key.lower() == "content-type":
                assert value.strip() == "image/jpeg"
            if key.lower() == "content-length":
                length = int(value)
        assert length > 0
        data = self.file.read(length)
        assert len(data) == length
        return data

    def next_image(self) -> np.ndarray:
        img = cv2.imdecode(np.frombuffer(self.next_jpeg(), np.uint8), cv2.IMREAD_COLOR)
        assert img is not None
        return img

    def abort(self) -> None:
        """Close with a TCP reset, the rudest way a client can leave."""
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close()

    def close(self) -> None:
        self.file.close()
        self.sock.close()

    def __enter__(self) -> MjpegClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def get_json(server: CameraServerProcess, path: str) -> list[dict[str, object]]:
    with socket.create_connection((server.host, server.port or 0), timeout=5) as s:
        s.sendall(f"GET /{path} HTTP/1.0\r\n\r\n".encode())
        raw = b""
        while chunk := s.recv(65536):
            raw += chunk
    head, body = raw.split(b"\r\n\r\n", 1)
    assert head.startswith(b"HTTP/1.0 200"), head
    data = json.loads(body)
    assert isinstance(data, list)
    return data


def stream_status(server: CameraServerProcess, cam: str, role: str) -> dict[str, object]:
    return next(
        s for s in get_json(server, "status.json") if s["camera"] == cam and s["role"] == role
    )


def process_gone(pid: int) -> bool:
    """True when `pid` no longer runs (a zombie waiting for an absent reaper counts as gone)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] == "Z"
    except FileNotFoundError:
        return True


@pytest.fixture(scope="module")
def server() -> Iterator[CameraServerProcess]:
    srv = CameraServerProcess(CAMERAS, fps=10)
    srv.start()
    yield srv
    srv.stop()


@pytest.mark.parametrize(("role", "shape"), [("sub", (270, 480, 3)), ("main", (540, 960, 3))])
def test_stream_is_multipart_jpeg_of_the_role_size(
    server: CameraServerProcess, role: str, shape: tuple[int, int, int]
) -> None:
    with MjpegClient(server.url("cam-01", role)) as client:
        assert client.status.endswith("200 OK")
        assert client.headers["content-type"] == (
            f"multipart/x-mixed-replace; boundary={BOUNDARY}"
        )
        first = client.next_image()
        assert first.shape == shape
        assert first.std() > 20
        second = client.next_image()
        assert not np.array_equal(first, second), "the picture should move"


def test_body_camera_stream(server: CameraServerProcess) -> None:
    with MjpegClient(server.url("bwc-01")) as client:
        assert client.next_image().shape == (270, 480, 3)


def test_two_clients_share_the_encoded_frames(server: CameraServerProcess) -> None:
    with MjpegClient(server.url("cam-02")) as a, MjpegClient(server.url("cam-02")) as b:
        frames_a = {a.next_jpeg() for _ in range(6)}
        frames_b = {b.next_jpeg() for _ in range(6)}
        # one encoder per stream: both clients receive byte-identical frames
        assert frames_a & frames_b
        assert stream_status(server, "cam-02", "sub")["clients"] == 2


def test_a_client_leaving_does_not_break_another(server: CameraServerProcess) -> None:
    with MjpegClient(server.url("cam-01")) as stays:
        leaves = MjpegClient(server.url("cam-01"))
        leaves.next_jpeg()
        stays.next_jpeg()
        leaves.abort()
        seen = {stays.next_jpeg() for _ in range(8)}
        assert len(seen) == 8
        wait_until(lambda: stream_status(server, "cam-01", "sub")["clients"] == 1, 5,
                   "the server to notice the reset client")


def test_no_client_no_painting(server: CameraServerProcess) -> None:
    with MjpegClient(server.url("cam-02", "main")) as client:
        client.next_jpeg()
        assert stream_status(server, "cam-02", "main")["running"] is True
    wait_until(lambda: stream_status(server, "cam-02", "main")["running"] is False, 10,
               "the painter to stop once its last client left")
    assert all(s["running"] is False for s in get_json(server, "status.json")
               if s["clients"] == 0)


def test_snapshot_and_unknown_paths(server: CameraServerProcess) -> None:
    port = server.port
    assert port is not None
    with socket.create_connection((server.host, port), timeout=5) as s:
        s.sendall(b"GET /cam-01/sub.jpg HTTP/1.0\r\n\r\n")
        raw = b""
        while chunk := s.recv(65536):
            raw += chunk
    head, body = raw.split(b"\r\n\r\n", 1)
    assert b"image/jpeg" in head
    img = cv2.imdecode(np.frombuffer(body, np.uint8), cv2.IMREAD_COLOR)
    assert img is not None
    assert img.shape == (270, 480, 3)
    with MjpegClient(f"http://{server.host}:{port}/nope/sub.mjpg") as c:
        assert " 404 " in c.status
    assert {c["id"] for c in get_json(server, "cameras.json")} == {c.id for c in CAMERAS}


def test_url_checks_its_arguments(server: CameraServerProcess) -> None:
    assert server.url("cam-01") == f"http://127.0.0.1:{server.port}/cam-01/sub.mjpg"
    with pytest.raises(KeyError):
        server.url("cam-99")
    with pytest.raises(ValueError, match="role"):
        server.url("cam-01", "hd")


def test_stop_leaves_no_process_and_is_idempotent() -> None:
    srv = CameraServerProcess(CAMERAS[:1])
    srv.start()
    proc = srv._proc
    assert proc is not None
    assert proc.poll() is None
    srv.stop()
    assert not srv.alive
    assert proc.returncode is not None
    assert process_gone(proc.pid)
    srv.stop()
    with pytest.raises(RuntimeError, match="not started"):
        srv.url("cam-01")


def test_restart_on_a_fixed_port_keeps_the_urls() -> None:
    first = CameraServerProcess(CAMERAS[:1])
    first.start()
    port = first.port
    first.stop()
    srv = CameraServerProcess(CAMERAS[:1], port=port or 0)
    try:
        srv.start()
        assert srv.port == port
        with MjpegClient(srv.url("cam-01")) as c:
            c.next_jpeg()
        srv.stop()
        srv.start()  # immediately again, past TIME_WAIT of the connection above
        assert srv.port == port
    finally:
        srv.stop()


def test_start_failure_is_a_clear_error() -> None:
    srv = CameraServerProcess(CAMERAS[:1], host="203.0.113.7")  # not an address of ours
    with pytest.raises(RuntimeError, match=r"exited with code 2 .*camera server:"):
        srv.start(timeout=10)
    assert not srv.alive


def test_bad_camera_definitions_are_refused() -> None:
    with pytest.raises(ValueError, match="kind"):
        SyntheticCamera("x", "X", "ptz")
    with pytest.raises(ValueError, match="duplicate"):
        CameraServerProcess([CAMERAS[0], CAMERAS[0]])


@pytest.mark.skipif(sys.platform == "win32", reason="uses SIGKILL and /proc")
def test_child_exits_when_its_parent_is_killed() -> None:
    """A console killed with -9 must not leave the camera server running."""
    script = (
        "import sys, time\n"
        "from app.adapters.demo.camera_server import CameraServerProcess, SyntheticCamera\n"
        "s = CameraServerProcess([SyntheticCamera('c', 'C', 'fixed')]); s.start()\n"
        "assert s._proc is not None\n"
        "print(s._proc.pid, flush=True)\n"
        "time.sleep(60)\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE,
                              cwd=REPO, text=True)
    try:
        assert parent.stdout is not None
        child = int(parent.stdout.readline())
        assert not process_gone(child)
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait(5)
        wait_until(lambda: process_gone(child), 5, "the orphaned camera server to exit")
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait(5)
        if parent.stdout is not None:
            parent.stdout.close()


def test_identity_blocks_are_burned_in_only_when_asked() -> None:
    """The demo a newcomer sees shows streets, not bar codes; the wall tests ask for them."""
    cams = [SyntheticCamera("cam-a", "Kaivokatu × Rautatientori", "fixed", seed=3)]
    for asked, want in ((False, None), (True, 1)):
        with CameraServerProcess(cams, fps=2, identity_blocks=asked) as srv, \
                urllib.request.urlopen(srv.url("cam-a", "sub").replace(".mjpg", ".jpg"),
                                       timeout=10) as reply:
            body = reply.read()
        frame = cv2.imdecode(np.frombuffer(body, np.uint8), cv2.IMREAD_COLOR)
        _box, cells = identity_code.cells(frame.shape[1], frame.shape[0])
        white = [float(np.mean(frame[y0:y1, x0:x1])) > 128 for x0, y0, x1, y1 in cells]
        assert identity_code.decode(white) == want
