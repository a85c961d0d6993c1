"""`RtspServer`: a real RTSP server on loopback for any test (GStreamer's GstRtspServer in a
child process run by Debian's Python, see `tests/servers/rtsp_server.py`)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from types import TracebackType
from urllib.parse import quote

SCRIPT = Path(__file__).with_name("rtsp_server.py")
SYSTEM_PYTHON = os.environ.get("CSU_GI_PYTHON", "/usr/bin/python3")
PORT_LINE = "RTSP-SERVER PORT"
CLIENT_LINE = "RTSP-SERVER CLIENT"


def rtsp_server_available() -> str:
    """"" when the server can run here, else why not (for pytest.skip)."""
    if not Path(SYSTEM_PYTHON).exists() and shutil.which(SYSTEM_PYTHON) is None:
        return f"{SYSTEM_PYTHON} not found"
    probe = subprocess.run(
        [SYSTEM_PYTHON, "-c", "import gi; gi.require_version('GstRtspServer', '1.0'); "
         "from gi.repository import GstRtspServer"], capture_output=True, timeout=20)
    if probe.returncode != 0:
        return "python3-gi / gir1.2-gst-rtsp-server-1.0 missing: " + probe.stderr.decode()[-200:]
    return ""


class RtspServer:
    """`RtspServer(mounts=["cam1"], port=0, auth=("user", "pw")).start()`; `url("cam1")`;
    `stop()`; `start()` again listens on the same port (a camera coming back).

    `auth_method` is what the server asks for: "basic" or "digest" (RFC 2069 style, no
    qop, as GstRtspServer does it). `connections` counts the TCP connections the server
    accepted since it was made (from its own `client-connected` signal)."""

    def __init__(self, mounts: list[str] | tuple[str, ...] = ("cam1",), port: int = 0,
                 auth: tuple[str, str] | None = None, *, auth_method: str = "basic",
                 width: int = 640, height: int = 360,
                 fps: int = 25, start_timeout_s: float = 15.0) -> None:
        self.mounts = [m.strip("/") for m in mounts]
        self.port = port
        self.auth = auth
        self.auth_method = auth_method
        self._connections = 0
        self._count_lock = threading.Lock()
        self._counter: threading.Thread | None = None
        self.width, self.height, self.fps = width, height, fps
        self.start_timeout_s = start_timeout_s
        self._proc: subprocess.Popen[str] | None = None

    def __enter__(self) -> RtspServer:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    @property
    def pid(self) -> int | None:
        """The server process (tests freeze it with SIGSTOP to fake a stalled camera)."""
        return self._proc.pid if self._proc is not None else None

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def start(self) -> RtspServer:
        """Start listening (on the port of the previous start if there was one)."""
        if self.running:
            return self
        cmd = [SYSTEM_PYTHON, str(SCRIPT), "--port", str(self.port), "--width",
               str(self.width), "--height", str(self.height), "--fps", str(self.fps)]
        for m in self.mounts:
            cmd += ["--mount", m]
        if self.auth:
            cmd += ["--user", self.auth[0], "--password", self.auth[1],
                    "--auth", self.auth_method]
        cmd.append("--log-clients")
        env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
        proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, env=env)
        line: list[str] = []
        reader = threading.Thread(target=lambda: line.append(proc.stdout.readline()  # type: ignore[union-attr]
                                                             ), daemon=True)
        reader.start()
        reader.join(self.start_timeout_s)
        if not line or not line[0].startswith(PORT_LINE):
            proc.kill()
            _, err = proc.communicate(timeout=5)
            raise RuntimeError(f"RTSP server did not start: {(line or [''])[0]!r} {err[-800:]}")
        self.port = int(line[0].split()[-1])
        self._proc = proc
        self._counter = threading.Thread(target=self._count_clients, args=(proc,),
                                         daemon=True, name="rtsp-server-clients")
        self._counter.start()
        return self

    def _count_clients(self, proc: subprocess.Popen[str]) -> None:
        assert proc.stdout is not None
        try:
            for line in proc.stdout:
                if line.startswith(CLIENT_LINE):
                    with self._count_lock:
                        self._connections += 1
        except (OSError, ValueError):  # the pipe was closed by stop()
            return

    @property
    def connections(self) -> int:
        """TCP connections accepted so far (every start of this server added up)."""
        with self._count_lock:
            return self._connections

    def stop(self) -> None:
        """Stop the server and wait for it (its port is free again when this returns)."""
        proc, self._proc = self._proc, None
        if proc is None:
            return
        try:
            proc.terminate()
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)
        if self._counter is not None:  # it reads stdout up to the end: let it finish
            self._counter.join(5)
            self._counter = None
        for stream in (proc.stdin, proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()

    def url(self, mount: str = "", *, credentials: tuple[str, str] | None = None) -> str:
        """rtsp://127.0.0.1:port/mount, with `credentials` (or the server's own) in it."""
        mount = (mount or self.mounts[0]).strip("/")
        creds = credentials if credentials is not None else self.auth
        userinfo = f"{quote(creds[0], safe='')}:{quote(creds[1], safe='')}@" if creds else ""
        return f"rtsp://{userinfo}127.0.0.1:{self.port}/{mount}"


if __name__ == "__main__":  # a quick manual check: python -m tests.servers.rtsp cam1 cam2
    with RtspServer(sys.argv[1:] or ["cam1"]) as srv:
        sys.stdout.write("\n".join(srv.url(m) for m in srv.mounts) + "\n")
        input("Enter to stop\n")
