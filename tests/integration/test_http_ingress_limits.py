"""The webhook receiver's bounds on connections, against real sockets on loopback: the excess
of one peer's idle connections is closed at once and counted while another sender still
gets its 202; a connection that does not complete its request headers in time is closed and
counted (slowloris), one that did is left alone; with TLS, connections are capped *before*
the handshake, and handshakes that fail, stall or are cut free their slot; stopping closes
everything."""

from __future__ import annotations

import asyncio
import concurrent.futures
import select
import socket
import ssl
import threading
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from app.adapters.http_ingress import Answer, Delivery, HmacAuth, Receiver, signed_headers
from app.adapters.http_ingress.connections import tls_context
from app.adapters.limits import Limits
from app.core.events import Event
from tests.tls import TlsFiles, make_tls_files
from tests.waiting import wait_until

SECRET = "limits-secret"
ATTACKER = "127.0.0.2"  # all of 127/8 is loopback: a second peer on this machine


class Sink:
    """Thread-safe, keeps what the receiver counts."""

    def __init__(self) -> None:
        self.rejects: list[str] = []
        self.messages = 0
        self._lock = threading.Lock()

    def received(self, count: int = 1) -> None:
        with self._lock:
            self.messages += count

    def reject(self, reason: str, raw: object = None) -> None:
        with self._lock:
            self.rejects.append(reason)

    def emit(self, event: Event) -> None: ...

    def emit_durable(self, event: Event) -> concurrent.futures.Future[None]:
        raise AssertionError("not used here")

    def status(self, state: str, detail: str = "") -> None: ...

    def count(self, prefix: str) -> int:
        with self._lock:
            return sum(r.startswith(prefix) for r in self.rejects)


class Live:
    """A `Receiver` on its own loop thread, as an adapter runs it."""

    def __init__(self, limits: Limits, tls: ssl.SSLContext | None = None) -> None:
        self.sink = Sink()
        self.accepted: list[bytes] = []

        async def accept(d: Delivery) -> Answer:
            self.accepted.append(d.body)
            return Answer(202, "accepted")

        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.receiver = Receiver("limits", self.sink, host="127.0.0.1", port=0,
                                 path="/alarms", auth=HmacAuth(SECRET), accept=accept,
                                 max_body=4096, tls=tls, limits=limits)
        self.call(self.receiver.start())

    def call(self, coro: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(20)

    @property
    def port(self) -> int:
        return self.receiver.port

    def open_connections(self) -> int:
        """Connections the gate counts; checks on the way that the receiver's own per-
        connection tables hold exactly those (nothing kept for a closed connection)."""
        async def total() -> int:
            r = self.receiver
            assert len(r._live) == len(r._by_handler) == r.counter.total
            return r.counter.total
        return int(self.call(total()))

    def close(self) -> None:
        self.call(self.receiver.stop())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(20)
        self.loop.close()


@pytest.fixture
def live() -> Iterator[Live]:
    r = Live(Limits(max_connections=64, max_per_peer=8, first_message_s=30))
    yield r
    r.close()


def connect(port: int, source: str = ATTACKER, first: bytes = b"POST /alarms HTTP/1.1\r\n"
            ) -> socket.socket:
    s = socket.socket()
    s.bind((source, 0))
    s.connect(("127.0.0.1", port))
    if first:
        s.sendall(first)
    return s


def closed_by_server(s: socket.socket, timeout: float = 10.0) -> bool:
    """The server closed (FIN or RST) within `timeout`."""
    s.settimeout(timeout)
    try:
        return s.recv(1) == b""
    except ConnectionResetError:
        return True
    except TimeoutError:
        return False


def still_open(s: socket.socket) -> bool:
    readable, _, _ = select.select([s], [], [], 0)
    return not readable


def post_signed(port: int, scheme: str = "http", **kw: Any) -> requests.Response:
    body = b'{"id": "ok"}'
    return requests.post(f"{scheme}://127.0.0.1:{port}/alarms", data=body, timeout=10,
                         headers=signed_headers(body, SECRET), **kw)


def test_one_peers_idle_connections_past_the_cap_are_closed_at_once_and_counted(
        live: Live) -> None:
    """The issue: 1,067 idle connections (a request line, then silence) exhausted the
    descriptors. Now a peer holds at most `max_per_peer`; the rest are closed at once."""
    socks = [connect(live.port) for _ in range(40)]
    try:
        wait_until(lambda: live.sink.count("connection refused") == 32,
                   what="32 connections refused")
        # aborted by the server as it counted them (their close reaches us a moment later)
        closed = wait_until(lambda: (c := [s for s in socks if not still_open(s)]) and
                            len(c) == 32 and c, what="32 connections closed by the server")
        assert all(closed_by_server(s, 0.5) for s in closed)
        assert live.open_connections() == 8
        assert sum(still_open(s) for s in socks) == 8
        assert live.sink.rejects[0] == (f"connection refused: {ATTACKER} already has 8 "
                                        "connections open (limit 8)")
        # another sender is not starved
        assert post_signed(live.port).status_code == 202
        assert live.accepted == [b'{"id": "ok"}']
    finally:
        for s in socks:
            s.close()
    wait_until(lambda: live.open_connections() == 0, what="every slot freed")


def test_the_listener_cap_holds_across_peers(live: Live) -> None:
    socks = [connect(live.port, source=f"127.0.0.{10 + i // 8}") for i in range(72)]
    try:
        wait_until(lambda: live.sink.count("connection refused") == 8,
                   what="8 connections refused")
        assert live.open_connections() == 64
        assert "64 connections open on this listener (limit 64)" in live.sink.rejects[0]
    finally:
        for s in socks:
            s.close()


def test_headers_not_complete_in_time_close_the_connection_and_are_counted() -> None:
    """Slowloris: a request line, then a header now and then, never the blank line. A
    connection whose request came in is not touched by that deadline (keep-alive)."""
    live = Live(Limits(max_connections=64, max_per_peer=8, first_message_s=0.5))
    try:
        with requests.Session() as keep_alive:
            body = b'{"id": "ka"}'
            url = f"http://127.0.0.1:{live.port}/alarms"
            assert keep_alive.post(url, data=body, headers=signed_headers(body, SECRET),
                                   timeout=10).status_code == 202
            slow = connect(live.port, first=b"POST /alarms HTTP/1.1\r\nHost: x\r\n")
            slow.sendall(b"X-Still-Here: 1\r\n")
            assert closed_by_server(slow)  # within 10 s; the deadline is 0.5 s
            slow.close()
            assert live.sink.rejects == ["connection closed: no complete request within "
                                         "0.5 s"]
            # the keep-alive connection, older than the slow one, is still there
            body2 = b'{"id": "ka2"}'
            assert keep_alive.post(url, data=body2, headers=signed_headers(body2, SECRET),
                                   timeout=10).status_code == 202
        wait_until(lambda: live.open_connections() == 0, what="every slot freed")
        silent = connect(live.port, first=b"")  # connects and says nothing at all
        assert closed_by_server(silent)
        silent.close()
        assert live.sink.count("connection closed: no complete request") == 2
    finally:
        live.close()


@pytest.fixture(scope="module")
def tls_files(tmp_path_factory: pytest.TempPathFactory) -> TlsFiles:
    return make_tls_files(tmp_path_factory.mktemp("tls"))


def test_with_tls_connections_are_capped_before_the_handshake(tls_files: TlsFiles) -> None:
    """asyncio's own TLS server hands a connection to the protocol only after the handshake:
    a peer that never shakes hands would hold descriptors past every cap. Ours admits
    first, then shakes hands; stalled, failed and cut handshakes all free their slot."""
    live = Live(Limits(max_connections=64, max_per_peer=4, first_message_s=1.0),
                tls=tls_context(str(tls_files.cert), str(tls_files.key)))
    try:
        silent = [connect(live.port, first=b"") for _ in range(10)]
        wait_until(lambda: live.sink.count("connection refused") == 6,
                   what="6 connections refused before any handshake")
        assert live.open_connections() == 4
        # the 4 admitted never shake hands: closed by the deadline, slots freed
        assert all(closed_by_server(s) for s in silent)
        wait_until(lambda: live.open_connections() == 0, what="stalled handshakes freed")
        assert live.sink.count("connection closed: no complete request within 1 s") + \
            live.sink.count("TLS handshake not done within 1 s") == 4
        # a failed handshake (plain HTTP on the TLS port) and a cut one free theirs too
        plain = connect(live.port, first=b"POST /alarms HTTP/1.1\r\nHost: x\r\n\r\n")
        assert closed_by_server(plain)
        cut = connect(live.port, first=b"\x16\x03\x01")
        cut.close()
        wait_until(lambda: live.open_connections() == 0, what="failed handshakes freed")
        assert live.sink.count("TLS handshake failed") == 1
        for s in [*silent, plain]:
            s.close()
        assert post_signed(live.port, "https", verify=str(tls_files.ca)).status_code == 202
        wait_until(lambda: live.open_connections() == 0, what="every slot freed")
    finally:
        live.close()


def test_stop_closes_every_connection_and_frees_the_port(tls_files: TlsFiles) -> None:
    live = Live(Limits(max_connections=64, max_per_peer=8, first_message_s=30),
                tls=tls_context(str(tls_files.cert), str(tls_files.key)))
    port = live.port
    socks = [connect(port, first=b"") for _ in range(3)]  # in the handshake
    ctx = ssl.create_default_context(cafile=str(tls_files.ca))
    done = ctx.wrap_socket(socket.create_connection(("127.0.0.1", port)),
                           server_hostname="127.0.0.1")  # past it, idle
    try:
        wait_until(lambda: live.open_connections() == 4, what="4 connections in")
        live.close()
        assert all(closed_by_server(s) for s in socks)
        assert closed_by_server(done)
        with socket.socket() as again:  # nothing listens there any more
            assert again.connect_ex(("127.0.0.1", port)) != 0
        with socket.socket() as again:  # and the port can be listened on again
            again.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            again.bind(("127.0.0.1", port))
            again.listen()
    finally:
        for s in [*socks, done]:
            s.close()

