"""`FrigateHttp`: Frigate's recordings API on loopback, as its documentation and source say it
answers (Frigate itself cannot run here: it needs its detector stack).

- `GET /api/<camera>/recordings?after=&before=` lists the segments overlapping the range:
  `[{"id", "start_time", "end_time", "segment_size", "motion", "objects", "duration"}]`,
  Unix times, oldest first (frigate/api/media.py, `recordings`).
- `GET /api/<camera>/start/<s>/end/<e>/clip.mp4` concatenates the overlapping segment files
  with FFmpeg's concat demuxer and `-c copy` into a fragmented MP4 streamed as the answer,
  with an in-point when the range starts inside a segment: the same command Frigate runs
  (frigate/api/media.py, `recording_clip`).
- With `token`, every request needs `Authorization: Bearer <token>` (Frigate's port 8971).

Not imported by the console.
"""

from __future__ import annotations

import json
import re
import subprocess
import tempfile
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import imageio_ffmpeg

_CLIP = re.compile(r"^/api/([^/]+)/start/([0-9.]+)/end/([0-9.]+)/clip\.mp4$")
_LIST = re.compile(r"^/api/([^/]+)/recordings$")


@dataclass(frozen=True, slots=True)
class FrigateSegment:
    camera: str  # Frigate's camera name
    start: float  # Unix time
    end: float
    path: Path


class FrigateHttp:
    def __init__(self, segments: list[FrigateSegment], token: str | None = None) -> None:
        self.segments = sorted(segments, key=lambda s: (s.camera, s.start))
        self.token = token
        self.requests: list[str] = []
        self.refused = 0
        self._server: ThreadingHTTPServer | None = None

    def __enter__(self) -> FrigateHttp:
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_args: Any) -> None:
                return

            def do_GET(self) -> None:
                owner.requests.append(self.path)
                if owner.token and self.headers.get("Authorization") != f"Bearer {owner.token}":
                    owner.refused += 1
                    self._send(401, b'{"message": "Unauthorized"}', "application/json")
                    return
                url = urlsplit(self.path)
                if m := _LIST.match(url.path):
                    q = parse_qs(url.query)
                    after = float(q.get("after", ["0"])[0])
                    before = float(q.get("before", ["1e12"])[0])
                    rows = [{"id": f"{s.start:.6f}-x", "start_time": s.start, "end_time": s.end,
                             "segment_size": s.path.stat().st_size / 1e6, "motion": 0,
                             "objects": 0, "duration": s.end - s.start}
                            for s in owner.overlapping(unquote(m[1]), after, before)]
                    self._send(200, json.dumps(rows).encode(), "application/json")
                elif m := _CLIP.match(url.path):
                    body = owner.clip(unquote(m[1]), float(m[2]), float(m[3]))
                    if body is None:
                        self._send(400, b'{"success": false}', "application/json")
                    else:
                        self._send(200, body, "video/mp4")
                else:
                    self._send(404, b"{}", "application/json")

            def _send(self, status: int, body: bytes, kind: str) -> None:
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True,
                         name="frigate-http").start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def overlapping(self, camera: str, after: float, before: float) -> list[FrigateSegment]:
        return [s for s in self.segments
                if s.camera == camera and s.end >= after and s.start <= before]

    def clip(self, camera: str, start: float, end: float) -> bytes | None:
        parts = self.overlapping(camera, start, end)
        if not parts:
            return None
        with tempfile.TemporaryDirectory() as tmp:
            playlist = Path(tmp) / "playlist.txt"
            lines = []
            for s in parts:
                lines.append(f"file '{s.path}'")
                if s.start < start:
                    lines.append(f"inpoint {int(start - s.start)}")
                if s.end > end:
                    lines.append(f"outpoint {int(end - s.start)}")
            playlist.write_text("\n".join(lines) + "\n")
            done = subprocess.run(
                [imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y",
                 "-protocol_whitelist", "pipe,file", "-f", "concat", "-safe", "0", "-i",
                 str(playlist), "-c", "copy", "-movflags", "frag_keyframe+empty_moov",
                 "-f", "mp4", "pipe:"], capture_output=True, timeout=60, check=True)
        return done.stdout
