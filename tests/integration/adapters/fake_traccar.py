"""A local fake of Traccar's documented API (https://www.traccar.org/api-reference/):
`POST /api/session` (form email/password -> JSESSIONID cookie), `GET /api/devices`,
`GET /api/positions[?deviceId&from&to]` over real HTTP, and `/api/socket` over a real
WebSocket (`websockets`). Traccar serves both on one port; here the socket has its own
port (the adapter's `socket_url`), since the `websockets` server only speaks GET."""

from __future__ import annotations

import asyncio
import json
import threading
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.datastructures import Headers
from websockets.http11 import Request, Response

COOKIE = "JSESSIONID=node0fake42"


class FakeTraccar:
    def __init__(self, email: str, password: str) -> None:
        self.email, self.password = email, password
        self.devices: list[dict[str, Any]] = []
        self.positions: list[dict[str, Any]] = []  # every position ever (history)
        self.logins = 0
        self.login_attempts = 0  # every login tried, refused or not
        self.requests = 0  # every REST request
        self.down = False  # an outage: every REST request answers 503
        self.token: str | None = None  # a user token for GET /api/session?token=
        self.cookie = COOKIE  # the session cookie that is valid now
        self.http = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.http.server_address[1]}"
        self.loop = asyncio.new_event_loop()
        self.ws_server: Server | None = None
        self.sockets: set[ServerConnection] = set()
        self._threads = [threading.Thread(target=self.http.serve_forever, daemon=True),
                         threading.Thread(target=self.loop.run_forever, daemon=True)]

    # -- REST -------------------------------------------------------------------------
    def latest(self) -> list[dict[str, Any]]:
        out: dict[int, dict[str, Any]] = {}
        for p in self.positions:
            out[p["deviceId"]] = p
        return list(out.values())

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def _send(self, code: int, body: object, cookie: bool = False) -> None:
                data = json.dumps(body).encode()
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                if cookie:
                    self.send_header("Set-Cookie", f"{fake.cookie}; Path=/; HttpOnly")
                self.end_headers()
                self.wfile.write(data)

            def _outage(self) -> bool:
                fake.requests += 1
                if fake.down:
                    self._send(503, {"message": "Service Unavailable"})
                return fake.down

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                form = parse_qs(self.rfile.read(length).decode())
                if self._outage():
                    return
                fake.login_attempts += urlparse(self.path).path == "/api/session"
                if urlparse(self.path).path != "/api/session":
                    self._send(404, {})
                elif form.get("email") == [fake.email] and form.get("password") == [
                        fake.password]:
                    fake.logins += 1
                    self._send(200, {"id": 1, "email": fake.email}, cookie=True)
                else:
                    self._send(401, {"message": "Unauthorized"})

            def do_GET(self) -> None:
                if self._outage():
                    return
                url = urlparse(self.path)
                token = parse_qs(url.query).get("token")
                if url.path == "/api/session" and token is not None:
                    fake.login_attempts += 1
                    ok = fake.token is not None and token == [fake.token]
                    fake.logins += ok
                    self._send(200 if ok else 401, {"id": 1}, cookie=ok)
                    return
                if self.headers.get("Cookie") != fake.cookie:
                    self._send(401, {"message": "Unauthorized"})
                    return
                q = {k: v[0] for k, v in parse_qs(url.query).items()}
                if url.path == "/api/devices":
                    self._send(200, fake.devices)
                elif url.path == "/api/positions" and "deviceId" in q:
                    lo, hi = (datetime.fromisoformat(q[k]) for k in ("from", "to"))
                    self._send(200, [p for p in fake.positions
                                     if p["deviceId"] == int(q["deviceId"])
                                     and lo <= datetime.fromisoformat(p["fixTime"]) <= hi])
                elif url.path == "/api/positions":
                    self._send(200, fake.latest())
                else:
                    self._send(404, {})

        return Handler

    # -- WebSocket --------------------------------------------------------------------
    def _check(self, conn: ServerConnection, request: Request) -> Response | None:
        if request.path != "/api/socket" or request.headers.get("Cookie") != self.cookie:
            return Response(401, "Unauthorized", Headers(), b"")
        return None

    async def _socket(self, conn: ServerConnection) -> None:
        self.sockets.add(conn)
        try:
            await conn.wait_closed()
        finally:
            self.sockets.discard(conn)

    @property
    def socket_url(self) -> str:
        assert self.ws_server is not None
        port = next(iter(self.ws_server.sockets)).getsockname()[1]
        return f"ws://127.0.0.1:{port}/api/socket"

    def start(self) -> None:
        for t in self._threads:
            t.start()

        async def up() -> Server:
            return await serve(self._socket, "127.0.0.1", 0, process_request=self._check)
        self.ws_server = asyncio.run_coroutine_threadsafe(up(), self.loop).result(5)

    def push(self, message: object) -> None:
        """Send one socket message to every connected client (Traccar's live feed)."""
        data = message if isinstance(message, str) else json.dumps(message)

        async def send() -> None:
            for conn in list(self.sockets):
                await conn.send(data)
        asyncio.run_coroutine_threadsafe(send(), self.loop).result(5)

    def push_many(self, messages: list[str]) -> None:
        """Send many socket messages in one go (the ingest benchmark)."""
        async def send() -> None:
            for data in messages:
                for conn in list(self.sockets):
                    await conn.send(data)
        asyncio.run_coroutine_threadsafe(send(), self.loop).result(600)

    def expire_sessions(self) -> None:
        """Every open session ends (a restart, a timeout): the next login gets a new one."""
        self.cookie = f"JSESSIONID=node0fake{self.logins + 100}"

    def drop(self) -> None:
        """Close every live socket, as a restarting server or a broken link does."""
        async def close() -> None:
            for conn in list(self.sockets):
                await conn.close()
        asyncio.run_coroutine_threadsafe(close(), self.loop).result(5)

    def stop(self) -> None:
        async def down() -> None:
            if self.ws_server is not None:
                self.ws_server.close()
                await self.ws_server.wait_closed()
        asyncio.run_coroutine_threadsafe(down(), self.loop).result(5)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.http.shutdown()
        self.http.server_close()
        for t in self._threads:
            t.join(5)
        self.loop.close()
