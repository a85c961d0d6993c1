"""SIA DC-09 receiver: alarm panels of municipal buildings connect over TCP (or UDP) and
send frames; each is answered as the standard says and raised at the building the site file
maps its account to, named as identity.py says (the alarm book tells a retransmission from a
new occurrence by those names).

The ACK is written only once the alarm is stored (the alarm service committed it to the
journal): a panel that got no ACK sends again, so nothing it considers delivered is lost if
the console crashes the next instant. When the store fails or does not confirm within
`store_timeout_s`, the receiver answers NOTHING and closes the connection: in ANSI/SIA
DC-09 a NAK only says "timestamp out of window" (the panel would just re-stamp) and DUH says
"cannot process" (the panel gives the message up); no answer is what makes a panel retry
the message, on this path or its backup. Frames that raise no alarm (poll, restore, test)
are acknowledged at once. How frames arrive, and the bounds on abusive peers: links.py.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import logging
import socket
import time
import traceback
from collections import OrderedDict
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Literal, cast

from pydantic import BaseModel, ConfigDict, Field, field_validator

from app.adapters.limits import ConnectionCounter, Limits, start_stream_server
from app.adapters.sia_dc09.codes import Building, Refused, to_report
from app.adapters.sia_dc09.frame import (
    MAX_FRAME,
    Frame,
    FrameError,
    answer,
    parse_frame,
)
from app.adapters.sia_dc09.links import DatagramLink, Outcome, StreamLink
from app.adapters.sinks import STORE_TIMEOUT_S, NotStored, cancel_all, stored
from app.core.adapter import Adapter, AdapterConfig, Capability, ProbeResult, Sink
from app.core.events import RETRANSMISSION_WINDOW_S, AlarmReported
from app.core.model import Alarm, LatLon
from app.core.refs import IdRef
from app.core.retry import SampledLog
from app.core.secrets import SecretMissing, get_secret

log = logging.getLogger(__name__)

MAX_DEDUP = 10_000
# The alarm book's retransmission window: the adapter's fast path never answers for longer.
BOOK_RETRANSMISSION_WINDOW_S = RETRANSMISSION_WINDOW_S
_LIMITS = Limits()


class AccountConfig(BaseModel):
    """One panel: its account number and the building it protects."""

    model_config = ConfigDict(extra="forbid")

    account: str = Field(pattern=r"^[0-9A-F]{3,16}$")
    building: str = Field(min_length=1, max_length=120)
    position: tuple[float, float] | None = None
    cameras: list[str] = Field(default_factory=list)
    zones: dict[str, str] = Field(default_factory=dict)  # "5" = "Hall d'entrée"

    @field_validator("position")
    @classmethod
    def _pos(cls, v: tuple[float, float] | None) -> tuple[float, float] | None:
        if v is not None:
            LatLon(*v)
        return v

    def to_building(self) -> Building:
        return Building(self.account, self.building,
                        LatLon(*self.position) if self.position else None,
                        tuple(self.cameras),
                        tuple((k.lstrip("0") or "0", v) for k, v in self.zones.items()))


class SiaDc09Config(AdapterConfig):
    """`[[adapters]] kind = "sia_dc09"` in the site file."""

    kind: Literal["sia_dc09"] = "sia_dc09"
    listen: str = "0.0.0.0"
    port: int = Field(default=12128, ge=0, le=65535)
    udp: bool = False  # also answer frames sent over UDP on the same port
    key_secret: str | None = None  # keyring name of the AES key (hex, 16 or 32 bytes)
    # a retransmission of a message already stored is ACKed at once within this window
    # (a fast path: the alarm book decides in any case, and remembers across restarts)
    dedup_window_s: float = Field(default=BOOK_RETRANSMISSION_WINDOW_S, ge=1,
                                  le=BOOK_RETRANSMISSION_WINDOW_S)
    # the ACK waits this long for the alarm to be stored; past it, no answer (panel retries)
    store_timeout_s: float = Field(default=STORE_TIMEOUT_S, gt=0, le=60)
    # bounds against abusive peers (a town has tens of panels, each one connection at once)
    max_connections: int = Field(default=_LIMITS.max_connections, ge=1, le=10_000)
    max_per_peer: int = Field(default=_LIMITS.max_per_peer, ge=1, le=10_000)
    first_frame_timeout_s: float = Field(default=_LIMITS.first_message_s, gt=0, le=300)
    max_udp_in_flight: int = Field(default=64, ge=1, le=10_000)
    accounts: list[AccountConfig] = Field(default_factory=list)

    def references(self) -> list[IdRef]:
        return [IdRef(("accounts", i, "cameras", j), "camera", cam)
                for i, acc in enumerate(self.accounts) for j, cam in enumerate(acc.cameras)]


def decode_key(text: str) -> bytes:
    """The keyring holds the AES key as hex (32 or 64 digits) or as 16/32 plain characters."""
    t = text.strip()
    try:
        key = bytes.fromhex(t)
    except ValueError:
        key = t.encode()
    if len(key) not in (16, 32):
        key = t.encode()
    if len(key) not in (16, 32):
        raise ValueError("the DC-09 key must be 16 or 32 bytes (32 or 64 hex digits)")
    return key


class SiaDc09Adapter(Adapter):
    kind = "sia_dc09"
    Config = SiaDc09Config
    capabilities = frozenset({Capability.ALARMS})
    description = "SIA DC-09 alarm receiver (TCP) for the panels of municipal buildings."
    status_every_s = 1.0

    def __init__(self, config: AdapterConfig,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        super().__init__(config)
        self._clock = clock  # the receiver's time (tests move it across an hour)
        self.bound_port: int | None = None
        self._server: asyncio.Server | None = None
        # messages whose alarm is stored, by message_id (the fast path's memory)
        self._seen: OrderedDict[str, float] = OrderedDict()
        # messages whose alarm awaits its store: a retransmission waits for the same one
        self._storing: dict[str, concurrent.futures.Future[None]] = {}
        self._buildings = {a.account: a.to_building() for a in self.cfg.accounts}
        self._key: bytes | None = None
        self._counter = ConnectionCounter(Limits(
            max_connections=self.cfg.max_connections, max_per_peer=self.cfg.max_per_peer,
            first_message_s=self.cfg.first_frame_timeout_s))
        self._conns: set[asyncio.Task[object]] = set()
        self._udp: asyncio.DatagramTransport | None = None
        self._datagrams: DatagramLink | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._unstored_log = SampledLog(log)
        self._bug_log = SampledLog(log)
        self._status_posted: tuple[float, str] = (float("-inf"), "")  # loop time, detail
        self._status_due: asyncio.TimerHandle | None = None

    @property
    def cfg(self) -> SiaDc09Config:
        return cast(SiaDc09Config, self.config)

    def open_connections(self) -> dict[str, int]:
        """Open TCP connections by peer address (for the status and the tests)."""
        return dict(self._counter.by_peer)

    def udp_in_flight(self) -> int:
        """Datagrams being handled now (most of them waiting for their alarm's store)."""
        return len(self._datagrams.tasks) if self._datagrams is not None else 0

    def _load_key(self) -> bytes | None:
        if self.cfg.key_secret is None:
            return None
        return decode_key(get_secret(self.cfg.key_secret))

    async def start(self, sink: Sink) -> None:
        self._loop = asyncio.get_running_loop()
        self._status_posted = (float("-inf"), "")  # (re)started: say so at once
        self._key = self._load_key()
        link = StreamLink(self.name, self.handle, sink, self.cfg.first_frame_timeout_s)

        async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            if self._server is None:  # accepted as the receiver stopped: not served
                writer.transport.abort()
                return
            me = asyncio.current_task()
            if me is not None:
                self._conns.add(me)
            self._set_status(sink)
            try:
                await link.serve(reader, writer)
            finally:
                self._conns.discard(me)
                self._set_status(sink)

        def refused(peer: str, why: str) -> None:
            sink.reject(f"DC-09: connection from {peer} refused: {why}", None)

        self._server = await start_stream_server(
            serve, self.cfg.listen, self.cfg.port, self._counter, refused,
            limit=MAX_FRAME * 2)
        self.bound_port = self._server.sockets[0].getsockname()[1]
        if self.cfg.udp:
            self._datagrams = DatagramLink(self.handle, sink, self.cfg.max_udp_in_flight)
            datagrams = self._datagrams
            self._udp, _ = await self._loop.create_datagram_endpoint(
                lambda: datagrams, (self.cfg.listen, self.bound_port))
        self._set_status(sink)
        # Serve until cancelled; stop() closes the listener and ends the connections. Not
        # serve_forever(): from Python 3.12 its cancellation waits for every open
        # connection to close first, and a panel may hold one for minutes.
        await self._loop.create_future()

    def _set_status(self, sink: Sink) -> None:
        """Say how many panels are connected, at most once every `status_every_s`: each
        status is posted (and journaled), and a peer opening connections in a loop must
        not turn into as many statuses. A change within the interval is posted at its end."""
        loop = self._loop
        if loop is None or self._server is None or self._status_due is not None:
            return  # stopped; or a post is due, and it will read the count then
        wait = self._status_posted[0] + self.status_every_s - loop.time()
        if wait <= 0:
            self._post_status(sink)
        else:
            self._status_due = loop.call_later(wait, self._post_status, sink)

    def _post_status(self, sink: Sink) -> None:
        self._status_due = None
        detail = f"listening on {self.cfg.listen}:{self.bound_port}, " \
                 f"{len(self._conns)} panel connection(s)"
        if self._loop is not None and detail != self._status_posted[1]:
            self._status_posted = (self._loop.time(), detail)
            sink.status("running", detail)

    async def stop(self) -> None:
        if self._udp is not None:
            self._udp.close()
            self._udp = None
        if self._datagrams is not None:
            tasks, self._datagrams.tasks = self._datagrams.tasks, set()
            await cancel_all(tasks)
        if self._server is not None:
            self._server.close()
            self._server = None
        conns, self._conns = self._conns, set()
        await cancel_all(conns)
        if self._status_due is not None:  # the host says what we are now
            self._status_due.cancel()
            self._status_due = None

    async def handle(self, raw: bytes, sink: Sink) -> Outcome:
        """One frame in, the verdict out: ACK only once its alarm is stored; no answer when
        the store failed or did not confirm in time; NAK/DUH (refused) for what is wrong."""
        now = self._clock()
        try:
            frame = parse_frame(raw, self._key, now)
        except FrameError as exc:  # BadTime among them: NAK carries our time
            sink.reject(f"DC-09: {exc}", raw)
            return Outcome(answer("NAK", None, self._key, now), refused=True)
        except Exception as exc:  # a parser bug (the fuzz tests exist to prevent it)
            return self._bug(exc, raw, sink, answer("NAK", None, self._key, now))
        try:
            report = to_report(frame, self._buildings, self.name, now)
        except Refused as exc:
            sink.reject(f"DC-09: {exc}", raw)
            return Outcome(answer("DUH", frame, self._key, now), refused=True)
        except Exception as exc:
            return self._bug(exc, raw, sink, answer("DUH", frame, self._key, now))
        if report is None:
            return Outcome(answer("ACK", frame, self._key, now))
        if not self._already_stored(report.message_id) and not await self._store(report, sink):
            return Outcome(None)
        return Outcome(answer("ACK", frame, self._key, now))

    def _bug(self, exc: Exception, raw: bytes, sink: Sink, reply: bytes) -> Outcome:
        """A bug in our parsing is a counted rejection with a (sampled) traceback in the
        log: never a dead connection, never a traceback per frame."""
        sink.reject(f"DC-09: internal error while reading the frame: {type(exc).__name__}",
                    raw)
        self._bug_log.log(logging.ERROR, "%s: bug while reading a frame:\n%s", self.name,
                          "".join(traceback.format_exception(exc)))
        return Outcome(reply, refused=True)

    def _already_stored(self, key: str) -> bool:
        """The fast path: this message's alarm was stored moments ago (its ACK was lost or
        is late), so the book would call it a retransmission: ACK it without a store."""
        now = time.monotonic()
        self._expire(now)
        stored_at = self._seen.get(key)
        return stored_at is not None and now - stored_at <= self.cfg.dedup_window_s

    async def _store(self, report: AlarmReported, sink: Sink) -> bool:
        """Emit the alarm durably (once per message, even if the panel repeats it while we
        wait) and wait for its store. False: not stored, the panel must not get an ACK."""
        key = report.message_id
        fut = self._storing.get(key)
        if fut is None or (fut.done() and (fut.cancelled() or fut.exception() is not None)):
            emitted_at = time.monotonic()  # the book saw it after this: our window ends first
            fut = self._storing[key] = sink.emit_durable(report)
            fut.add_done_callback(lambda f: self._loop_forget(key, f, emitted_at))
        try:
            await stored([fut], self.cfg.store_timeout_s)
        except NotStored as exc:
            self._unstored_log.log(
                logging.WARNING, "%s: alarm from account %s not acknowledged to the panel "
                "(it will send it again): %s", self.name, report.source_id.split("/")[0], exc)
            return False
        return True

    def _loop_forget(self, key: str, fut: concurrent.futures.Future[None],
                     emitted_at: float) -> None:
        """Drop the bookkeeping of a settled message (on the store's thread: via the loop)."""
        loop = self._loop
        if loop is None:
            return

        def forget() -> None:
            if self._storing.get(key) is fut:
                del self._storing[key]
            if not fut.cancelled() and fut.exception() is None:
                self._seen[key] = emitted_at  # stored, even if its ACK was not sent
                self._seen.move_to_end(key)

        with contextlib.suppress(RuntimeError):  # loop closed: the adapter stopped
            loop.call_soon_threadsafe(forget)

    def _expire(self, now: float) -> None:
        horizon = now - self.cfg.dedup_window_s
        while self._seen and (len(self._seen) > MAX_DEDUP
                              or next(iter(self._seen.values())) < horizon):
            self._seen.popitem(last=False)

    async def acknowledge(self, alarm: Alarm, actor: str) -> None:
        """DC-09 has no write-back: the panel's ACK was given on receipt."""

    async def probe(self) -> list[ProbeResult]:
        results: list[ProbeResult] = []
        where = f"listen on {self.cfg.listen}:{self.cfg.port} " \
                f"({'TCP and UDP' if self.cfg.udp else 'TCP'})"
        try:
            family = socket.AF_INET6 if ":" in self.cfg.listen else socket.AF_INET
            kinds = (socket.SOCK_STREAM, socket.SOCK_DGRAM) if self.cfg.udp else (
                socket.SOCK_STREAM,)
            for kind in kinds:
                with socket.socket(family, kind) as s:
                    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                    s.bind((self.cfg.listen, self.cfg.port))
            results.append(ProbeResult(self.name, where, True, "the port is free: panels "
                                       "can connect once the console runs"))
        except OSError as exc:
            results.append(ProbeResult(self.name, where, False,
                                       f"cannot listen there: {exc.strerror or exc} "
                                       "(another program uses the port, or no such address)"))
        if self.cfg.key_secret is not None:
            check = f"encryption key {self.cfg.key_secret!r} in the keyring"
            try:
                self._load_key()
                results.append(ProbeResult(self.name, check, True, "found, valid AES key"))
            except (SecretMissing, ValueError) as exc:
                results.append(ProbeResult(self.name, check, False, str(exc)))
        if not self.cfg.accounts:
            results.append(ProbeResult(self.name, "accounts", False,
                                       "no [[adapters.accounts]]: every panel would be refused"))
        return results


__all__ = ["Frame", "SiaDc09Adapter", "SiaDc09Config"]
