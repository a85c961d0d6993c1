"""The room's recordings, served by its service to the seats, one consultation at a time.

In a room the recorder runs in the service (DESIGN.md): the segments are files on the
service's machine, and a chief replays at a seat. The seat never reads the storage folder:
it asks the service, which logs the consultation (purpose, cameras, range: CSI R241-14) and
then issues a *grant*, a random token bound to that person, those cameras and that range,
for a few hours. With it, and only within it, the seat lists and reads segments over HTTP:

- `GET /v1/<camera>/recordings?start=ISO&end=ISO` -> the segments (id, start, end, size,
  sha256) and gaps overlapping the range, clipped to the grant's;
- `GET /v1/<camera>/segments/<id>` -> the segment's bytes (HTTP ranges: a decoder seeks).

Every request carries `Authorization: Bearer <token>`; a missing or unknown token is 401, a
camera or an instant outside the grant 403. Only GET; no listing of anything else. The
token is 256 random bits and kept hashed here; it travels to the seat inside the room's
signed command result (app/services/room_auth.py) and is never logged.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import secrets
import socket
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Protocol

from aiohttp import web

from app.core.recording import Gap, Segment

log = logging.getLogger(__name__)

GRANT_TTL_S = 8 * 3600.0  # a replay session of a shift; asked again after that
MAX_GRANTS = 10_000  # live grants kept (the oldest expire first)


class SegmentIndex(Protocol):
    def recorded_segments(self, camera: str, start: datetime, end: datetime
                          ) -> list[Segment]: ...
    def recording_gaps(self, camera: str, start: datetime, end: datetime) -> list[Gap]: ...


@dataclass(frozen=True, slots=True)
class Grant:
    login: str
    cameras: frozenset[str]
    start: datetime
    end: datetime
    expires: float  # time.monotonic()


@dataclass(frozen=True, slots=True)
class GrantTicket:
    """What the seat receives: where to ask, with which token, for what."""

    url: str
    token: str
    cameras: tuple[str, ...]
    start: datetime
    end: datetime


class Grants:
    def __init__(self, ttl_s: float = GRANT_TTL_S) -> None:
        self._ttl = ttl_s
        self._lock = threading.Lock()
        self._by_hash: dict[str, Grant] = {}

    def issue(self, login: str, cameras: Sequence[str], start: datetime, end: datetime,
              url: str) -> GrantTicket:
        token = secrets.token_urlsafe(32)
        grant = Grant(login, frozenset(cameras), start, end, time.monotonic() + self._ttl)
        with self._lock:
            self._expire()
            self._by_hash[_hash(token)] = grant
            while len(self._by_hash) > MAX_GRANTS:
                self._by_hash.pop(next(iter(self._by_hash)))
        return GrantTicket(url, token, tuple(cameras), start, end)

    def get(self, token: str) -> Grant | None:
        with self._lock:
            grant = self._by_hash.get(_hash(token))
        if grant is None or grant.expires < time.monotonic():
            return None
        return grant

    def revoke(self, login: str) -> int:
        """End every grant of `login` (signed out, account disabled)."""
        with self._lock:
            gone = [h for h, g in self._by_hash.items() if g.login == login]
            for h in gone:
                del self._by_hash[h]
        return len(gone)

    def _expire(self) -> None:
        now = time.monotonic()
        for h in [h for h, g in self._by_hash.items() if g.expires < now]:
            del self._by_hash[h]


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class RecordingShare:
    """The HTTP server, on a thread of its own with its own event loop."""

    def __init__(self, index: SegmentIndex, grants: Grants, host: str = "0.0.0.0",
                 port: int = 0) -> None:
        self._index = index
        self.grants = grants
        self._host, self._port = host, port
        self._loop: asyncio.AbstractEventLoop | None = None
        self._runner: web.AppRunner | None = None
        self._thread: threading.Thread | None = None
        self.port = 0
        self.refused = 0

    def start(self) -> int:
        """Listen; returns the port (the one asked for, or a free one for 0)."""
        ready = threading.Event()
        failed: list[BaseException] = []

        def run() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            try:
                loop.run_until_complete(self._serve())
            except BaseException as exc:  # the port is taken, the address is wrong
                failed.append(exc)
                ready.set()
                return
            ready.set()
            loop.run_forever()
            loop.run_until_complete(self._close())
            loop.close()

        self._thread = threading.Thread(target=run, name="recording-share", daemon=True)
        self._thread.start()
        ready.wait(15)
        if failed:
            raise OSError(f"the recordings cannot be shared on {self._host}:{self._port}: "
                          f"{failed[0]}") from failed[0]
        return self.port

    def stop(self) -> None:
        loop, thread = self._loop, self._thread
        if loop is not None and thread is not None and thread.is_alive():
            loop.call_soon_threadsafe(loop.stop)
            thread.join(10)

    async def _serve(self) -> None:
        app = web.Application(client_max_size=4096)
        app.router.add_get("/v1/{camera}/recordings", self._recordings)
        app.router.add_get("/v1/{camera}/segments/{id}", self._segment)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        sock = socket.create_server((self._host, self._port), reuse_port=False)
        self.port = int(sock.getsockname()[1])
        await web.SockSite(self._runner, sock).start()

    async def _close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    def _grant(self, request: web.Request) -> Grant:
        auth = request.headers.get("Authorization", "")
        token = auth[7:] if auth.startswith("Bearer ") else ""
        grant = self.grants.get(token) if token else None
        if grant is None:
            self.refused += 1
            raise web.HTTPUnauthorized(text="no valid grant: consult the recordings first")
        camera = request.match_info["camera"]
        if camera not in grant.cameras:
            self.refused += 1
            raise web.HTTPForbidden(text=f"camera {camera} is outside this consultation")
        return grant

    async def _recordings(self, request: web.Request) -> web.Response:
        grant = self._grant(request)
        camera = request.match_info["camera"]
        try:
            start = max(datetime.fromisoformat(request.query["start"]), grant.start)
            end = min(datetime.fromisoformat(request.query["end"]), grant.end)
        except (KeyError, ValueError, TypeError):
            raise web.HTTPBadRequest(text="start and end are ISO 8601 times with a zone"
                                     ) from None
        if end <= start:
            return web.json_response({"segments": [], "gaps": []})
        segments, gaps = await asyncio.to_thread(self._lookup, camera, start, end)
        return web.json_response({
            "segments": [{"id": s.id, "start": s.start.isoformat(), "end": s.end.isoformat(),
                          "size": s.size, "sha256": s.sha256} for s in segments],
            "gaps": [{"start": g.start.isoformat(),
                      "end": g.end.isoformat() if g.end else None,
                      "reason": g.reason.value, "detail": g.detail} for g in gaps]})

    def _lookup(self, camera: str, start: datetime, end: datetime
                ) -> tuple[list[Segment], list[Gap]]:
        return (self._index.recorded_segments(camera, start, end),
                self._index.recording_gaps(camera, start, end))

    async def _segment(self, request: web.Request) -> web.StreamResponse:
        grant = self._grant(request)
        camera = request.match_info["camera"]
        try:
            wanted = int(request.match_info["id"])
        except ValueError:
            raise web.HTTPNotFound() from None
        segments = await asyncio.to_thread(self._index.recorded_segments, camera,
                                           grant.start, grant.end)
        found = next((s for s in segments if s.id == wanted), None)
        if found is None:
            self.refused += 1
            raise web.HTTPForbidden(text="this segment is outside this consultation")
        path = Path(found.path)
        if not path.is_file():
            raise web.HTTPGone(text="this segment was deleted (retention or disk budget)")
        return web.FileResponse(path, headers={"Content-Type": "video/mp4"})
