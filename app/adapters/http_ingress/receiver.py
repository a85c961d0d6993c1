"""The one HTTP receiver behind every webhook ingress (the generic webhook, the body-cam
cloud): aiohttp, with authentication that no setting turns off, optional TLS, bounds on
connections, time and size, and every refusal counted through the adapter's sink.

A request goes: gate (connections per listener and per peer) -> deadline for its headers
-> TLS -> aiohttp's parser -> `_count` (counts it as received, turns refusals into answers
and counts them) -> the route: body read within bounds, authentication, replay check, then
the adapter's `accept` (parse, store) -> 202 once stored, 503 + Retry-After when not.
What aiohttp refuses itself before any handler runs (a request line that is not HTTP,
headers too long) is seen by `_after_response`, aiohttp's access-log hook, which runs for
every answer: it counts those the middleware did not see.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import ssl
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass

from aiohttp import web
from aiohttp.abc import AbstractAccessLogger
from aiohttp.http import HttpProcessingError

from app.adapters.http_ingress.auth import Authenticator, Refusal
from app.adapters.http_ingress.connections import Deadline, TlsFirst
from app.adapters.limits import ConnectionCounter, Limits, gated
from app.core.adapter import Sink
from app.core.retry import SampledLog

log = logging.getLogger(__name__)

RETRY_AFTER_S = 5  # with a 503: the console's store failed or was slow
BODY_TIMEOUT_S = 10.0  # the body must arrive within this once the headers are in
KEEPALIVE_S = 15.0  # an idle keep-alive connection (after a request) is closed after this
LINGER_S = 2.0  # after a refusal, unread body is drained this long so the answer arrives
MAX_HEADERS = 32
MAX_LINE = 4096  # request line and each header line

_SEEN = web.RequestKey("csu_seen", bool)


@dataclass(frozen=True, slots=True)
class Delivery:
    """An authenticated request's body, with the route's parameters (e.g. a device)."""

    params: Mapping[str, str]
    body: bytes
    peer: str


@dataclass(frozen=True, slots=True)
class Answer:
    """What the adapter made of a delivery: 202 (stored), 503 (not stored: retry), or a
    4xx refusal with its reason (counted by the receiver)."""

    status: int
    text: str = ""


Accept = Callable[[Delivery], Awaitable[Answer]]


class _ParserNoise(logging.Filter):
    """aiohttp logs a traceback for every request its parser refuses; those are counted and
    sampled by the sink already. Anything else (a bug) still gets its traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        return not isinstance(exc, HttpProcessingError)


_aiohttp_log = logging.getLogger(__name__ + ".aiohttp")
_aiohttp_log.addFilter(_ParserNoise())


class Receiver:
    """One listener, one route pattern (POST only), one authenticator."""

    def __init__(self, name: str, sink: Sink, *, host: str, port: int, path: str,
                 auth: Authenticator, accept: Accept, max_body: int,
                 tls: ssl.SSLContext | None = None, limits: Limits | None = None,
                 body_timeout_s: float = BODY_TIMEOUT_S) -> None:
        self.name = name
        self.sink = sink
        self.host, self.port, self.path = host, port, path
        self.auth = auth
        self.accept = accept
        self.max_body = max_body
        self.tls = tls
        self.limits = limits or Limits()
        self.body_timeout_s = body_timeout_s
        self.counter = ConnectionCounter(self.limits)
        self._live: set[Deadline] = set()
        self._by_handler: dict[object, Deadline] = {}
        self._runner: web.AppRunner | None = None
        self._server: asyncio.Server | None = None
        self._not_stored_log = SampledLog(log)

    @property
    def url(self) -> str:
        return f"{'https' if self.tls else 'http'}://{self.host}:{self.port}{self.path}"

    # -- life ---------------------------------------------------------------------------
    async def start(self) -> None:
        """Listen (raises OSError in plain words when the address cannot be bound)."""
        app = web.Application(middlewares=[self._count], client_max_size=self.max_body)
        app.router.add_post(self.path, self._handle)
        runner = web.AppRunner(
            app, access_log_class=_hook(self), keepalive_timeout=KEEPALIVE_S,
            lingering_time=LINGER_S, max_line_size=MAX_LINE, max_field_size=MAX_LINE,
            max_headers=MAX_HEADERS, auto_decompress=False, logger=_aiohttp_log,
            shutdown_timeout=2.0)
        await runner.setup()
        assert runner.server is not None
        handlers = runner.server
        loop = asyncio.get_running_loop()

        def connection() -> asyncio.BaseProtocol:
            handler = handlers()
            inner: asyncio.Protocol = handler
            if self.tls is not None:
                inner = TlsFirst(handler, self.tls, self.limits.first_message_s, self._closed)
            deadline = Deadline(inner, self.limits.first_message_s, self._closed, self._live)
            return _Registered(deadline, handler, self._by_handler)

        try:
            self._server = await loop.create_server(
                gated(connection, self.counter, self._refused), self.host, self.port)
        except OSError as exc:
            await runner.cleanup()
            why = os.strerror(exc.errno) if exc.errno else str(exc)
            raise OSError(exc.errno, f"cannot listen on {self.host}:{self.port}: {why}"
                          ) from None
        self._runner = runner
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        """Stop listening, close every connection (open handshakes too), free the port."""
        server, self._server = self._server, None
        runner, self._runner = self._runner, None
        if server is not None:
            server.close()
        for deadline in list(self._live):
            deadline.abort()
        if runner is not None:
            await runner.cleanup()
        if server is not None:
            with contextlib.suppress(Exception):
                await server.wait_closed()

    # -- counting -----------------------------------------------------------------------
    def _refused(self, peer: str, why: str) -> None:
        self.sink.reject(f"connection refused: {why}", peer)

    def _closed(self, peer: str, why: str) -> None:
        self.sink.reject(why, peer)

    def _seen(self, request: web.BaseRequest) -> None:
        deadline = self._by_handler.get(request.protocol)
        if deadline is not None:
            deadline.request_seen()

    @web.middleware
    async def _count(self, request: web.Request,
                     handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
                     ) -> web.StreamResponse:
        request[_SEEN] = True
        self._seen(request)
        self.sink.received()
        try:
            return await handler(request)
        except Refusal as refusal:
            return self._refuse(request, refusal.status, refusal.reason,
                                retry_after_s=refusal.retry_after_s)
        except web.HTTPNotFound:
            return self._refuse(request, 404, f"no such path {request.path[:80]!r} "
                                              f"(POST to {self.path})")
        except web.HTTPMethodNotAllowed:
            return self._refuse(request, 405, f"method {request.method[:10]} not allowed "
                                              "(POST only)")
        except web.HTTPException as exc:  # anything else aiohttp raised on its own
            return self._refuse(request, exc.status, exc.reason)
        except Exception as exc:  # a bug: counted, logged with its traceback, never a 500 page
            log.exception("%s: request failed", self.name)
            return self._refuse(request, 500, f"internal error: {type(exc).__name__}")

    def _refuse(self, request: web.BaseRequest, status: int, reason: str, *,
                retry_after_s: int | None = None, raw: object = None) -> web.Response:
        if status == 503:
            self._not_stored_log.log(logging.WARNING, "%s: not stored, the sender will "
                                     "retry: %s", self.name, reason)
        else:
            self.sink.reject(f"HTTP {status}: {reason}", raw if raw is not None else
                             f"{request.remote} {request.method} {request.path[:80]}")
        headers = {"Retry-After": str(retry_after_s or RETRY_AFTER_S)} if status == 503 else {}
        resp = web.Response(status=status, text=reason + "\n", headers=headers)
        resp.force_close()  # a refused sender reconnects; its unread bytes are not parsed
        return resp

    def _after_response(self, request: web.BaseRequest, response: web.StreamResponse) -> None:
        """Every answer passes here; count those aiohttp gave before our middleware."""
        if request.get(_SEEN):
            return
        self._seen(request)
        self.sink.received()
        if response.status >= 400:
            text = response.text if isinstance(response, web.Response) else None
            self.sink.reject(f"HTTP {response.status}: not a valid HTTP request",
                             f"{request.remote}: {(text or '').strip()[:160]}")

    # -- the route ----------------------------------------------------------------------
    async def _handle(self, request: web.Request) -> web.StreamResponse:
        body = await self._read_body(request)
        claim = self.auth.check(request.headers, body)
        try:
            answer = await self.accept(Delivery(request.match_info, body,
                                                request.remote or "?"))
        except BaseException:
            self.auth.release(claim)  # nothing stored: the sender's retry is no replay
            raise
        if answer.status == 503:
            self.auth.release(claim)  # not stored: the sender's retry is no replay
            return self._refuse(request, 503, answer.text)
        if answer.status >= 400:
            return self._refuse(request, answer.status, answer.text, raw=body)
        return web.Response(status=answer.status, text=(answer.text or "accepted") + "\n")

    async def _read_body(self, request: web.Request) -> bytes:
        """The body within `max_body` and `body_timeout_s`, or a `Refusal`. Chunked bodies
        are accepted (some HTTP stacks stream every body) within the same bound."""
        if request.headers.get("Content-Encoding", "identity").lower() != "identity":
            raise Refusal(415, "compressed bodies are not accepted (no Content-Encoding)")
        length = request.content_length
        chunked = "chunked" in request.headers.get("Transfer-Encoding", "").lower()
        if length is None and not chunked:
            raise Refusal(411, "Content-Length required")
        if length is not None and length > self.max_body:
            raise Refusal(413, f"body of {length} bytes is over the {self.max_body}-byte "
                               "limit")
        body = bytearray()
        try:
            async with asyncio.timeout(self.body_timeout_s):
                while chunk := await request.content.read(self.max_body + 1 - len(body)):
                    body += chunk
                    if len(body) > self.max_body:
                        raise Refusal(413, f"body over the {self.max_body}-byte limit")
        except TimeoutError:
            raise Refusal(408, f"body not received within {self.body_timeout_s:g} s"
                          ) from None
        except Refusal:
            raise
        except Exception as exc:  # cut, or malformed chunked framing
            raise Refusal(400, f"body could not be read: {type(exc).__name__}: {exc}"
                          ) from None
        return bytes(body)


class _Registered(asyncio.Protocol):
    """Keeps aiohttp's handler -> our deadline while the connection lives, so the middleware
    can stop the deadline. Registered only once admitted: the gate builds a chain for every
    connection, and a refused one never hears `connection_made` nor `connection_lost`."""

    def __init__(self, inner: Deadline, handler: object,
                 table: dict[object, Deadline]) -> None:
        self._inner = inner
        self._handler = handler
        self._table = table

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._table[self._handler] = self._inner
        self._inner.connection_made(transport)

    def connection_lost(self, exc: Exception | None) -> None:
        self._table.pop(self._handler, None)
        self._inner.connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        self._inner.data_received(data)

    def eof_received(self) -> bool | None:
        return self._inner.eof_received()

    def pause_writing(self) -> None:
        self._inner.pause_writing()

    def resume_writing(self) -> None:
        self._inner.resume_writing()


def _hook(receiver: Receiver) -> type[AbstractAccessLogger]:
    """aiohttp's access-log class, bound to one receiver (aiohttp instantiates it per
    connection with a logger and a format we do not use)."""

    class Counted(AbstractAccessLogger):
        def log(self, request: web.BaseRequest, response: web.StreamResponse,
                time: float) -> None:
            receiver._after_response(request, response)

        @property
        def enabled(self) -> bool:
            return True

    return Counted
