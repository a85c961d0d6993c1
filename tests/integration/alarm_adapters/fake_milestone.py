"""A local stand-in for a Milestone XProtect management server (none can run here): its
documented REST shapes (IDP token, alarms list, alarm PATCH) over real HTTP, and its events
WebSocket (startSession / addSubscription commands, `{"events": [...]}` pushes)."""

from __future__ import annotations

import asyncio
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

from websockets.asyncio.server import ServerConnection, serve
from websockets.datastructures import Headers
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response


class FakeXProtect:
    def __init__(self, user: str, password: str) -> None:
        self.user, self.password = user, password
        self.alarms: list[dict[str, Any]] = []
        self.patches: list[tuple[str, dict[str, Any]]] = []
        self.tokens: set[str] = set()
        self.logins = 0
        self.login_attempts = 0  # every token request, granted or not
        self.alarm_polls = 0
        self.requests = 0
        self.down = False  # an outage: every REST request answers 503
        self.token_error: str | None = None  # answer the token request 400 with this error
        self.ws_refuse = False  # the events WebSocket refuses every token (401)
        self.ws_clients: set[ServerConnection] = set()
        self.subscribed = threading.Event()
        self.subscriptions = 0
        self._http = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._http.daemon_threads = True
        self._loop = asyncio.new_event_loop()
        self._ws_port = 0
        self._ready = threading.Event()
        self._stop: asyncio.Future[None] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._http.server_address[1]}"

    @property
    def events_url(self) -> str:
        return f"ws://127.0.0.1:{self._ws_port}/API/ws/events/v1"

    def start(self) -> FakeXProtect:
        threading.Thread(target=self._http.serve_forever, daemon=True).start()
        self._ws_thread = threading.Thread(target=self._run_ws, daemon=True)
        self._ws_thread.start()
        self._ready.wait(10)
        return self

    def stop(self) -> None:
        self._http.shutdown()
        self._http.server_close()
        if self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set_result, None)
        self._ws_thread.join(10)

    # -- REST -----------------------------------------------------------------------------
    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _send(self, status: int, doc: object) -> None:
                body = json.dumps(doc).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _body(self) -> bytes:
                return self.rfile.read(int(self.headers.get("Content-Length", "0")))

            def _authorised(self) -> bool:
                token = self.headers.get("Authorization", "").removeprefix("Bearer ")
                if token not in fake.tokens:
                    self._send(401, {"error": "unauthorized"})
                    return False
                return True

            def _outage(self) -> bool:
                fake.requests += 1
                if fake.down:
                    self._send(503, {"error": "unavailable"})
                return fake.down

            def do_POST(self) -> None:
                form = parse_qs(self._body().decode())
                if self._outage():
                    return
                if self.path != "/API/IDP/connect/token":
                    self._send(404, {})
                    return
                fake.login_attempts += 1
                if fake.token_error is not None:
                    self._send(400, {"error": fake.token_error})
                    return
                if form.get("username") != [fake.user] or form.get("password") != [
                        fake.password] or form.get("grant_type") != ["password"]:
                    self._send(400, {"error": "invalid_grant"})
                    return
                fake.logins += 1
                token = f"token-{fake.logins}"
                fake.tokens.add(token)
                self._send(200, {"access_token": token, "expires_in": 3600,
                                 "token_type": "Bearer"})

            def do_GET(self) -> None:
                if self._outage() or not self._authorised():
                    return
                if self.path.split("?")[0] == "/API/rest/v1/alarms":
                    fake.alarm_polls += 1
                    self._send(200, {"array": fake.alarms})
                else:
                    self._send(404, {})

            def do_PATCH(self) -> None:
                body = json.loads(self._body())
                if not self._authorised():
                    return
                aid = self.path.removeprefix("/API/rest/v1/alarms/")
                fake.patches.append((aid, body))
                self._send(200, {"data": {"id": aid, **body}})

        return Handler

    # -- WebSocket ------------------------------------------------------------------------
    def _run_ws(self) -> None:
        asyncio.set_event_loop(self._loop)

        async def check(conn: ServerConnection, request: Request) -> Response | None:
            token = request.headers.get("Authorization", "").removeprefix("Bearer ")
            if token not in self.tokens or self.ws_refuse:
                return Response(401, "Unauthorized", Headers(), b"unauthorized\n")
            return None

        async def session(conn: ServerConnection) -> None:
            self.ws_clients.add(conn)
            try:
                async for message in conn:
                    cmd = json.loads(message)
                    if cmd.get("command") == "startSession":
                        await conn.send(json.dumps({"commandId": cmd["commandId"],
                                                    "status": 201, "sessionId": "s-1"}))
                    elif cmd.get("command") == "addSubscription":
                        await conn.send(json.dumps({"commandId": cmd["commandId"],
                                                    "status": 200}))
                        self.subscriptions += 1
                        self.subscribed.set()
            except ConnectionClosed:  # the console went away: what a server sees daily
                pass
            finally:
                self.ws_clients.discard(conn)

        async def main() -> None:
            self._stop = self._loop.create_future()
            async with serve(session, "127.0.0.1", 0, process_request=check) as server:
                self._ws_port = next(iter(server.sockets)).getsockname()[1]
                self._ready.set()
                await self._stop

        self._loop.run_until_complete(main())
        self._loop.close()

    def push(self, message: str | dict[str, Any]) -> None:
        """Send one message to every connected events client."""
        text = message if isinstance(message, str) else json.dumps(message)

        async def send() -> None:
            for c in list(self.ws_clients):
                await c.send(text)

        asyncio.run_coroutine_threadsafe(send(), self._loop).result(10)

    def drop_clients(self) -> None:
        async def close() -> None:
            for c in list(self.ws_clients):
                await c.close()

        asyncio.run_coroutine_threadsafe(close(), self._loop).result(10)
