"""SIA DC-09 receiver: alarm panels of municipal buildings connect over TCP and send frames;
each is answered as the standard says, de-duplicated on its sequence number, and raised at
the building the site file maps its account to.

The ACK is written only once the alarm is stored (the alarm service committed it to the
journal): a panel that got no ACK sends again, so nothing it considers delivered is lost if
the console crashes the next instant. When the store fails or does not confirm within
`store_timeout_s`, the receiver answers NOTHING and closes the connection: in ANSI/SIA
DC-09 a NAK only says "timestamp out of window" (the panel would just re-stamp) and DUH says
"cannot process" (the panel gives the message up); no answer is what makes a panel retry
the message, on this path or its backup. Frames that raise no alarm (poll, restore, test)
are acknowledged at once.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import logging
import socket
import time
from collections import OrderedDict
from datetime import UTC, datetime
from typing import Literal, cast

from pydantic import BaseModel, ConfigDict, Field, field_validator

from app.adapters.sia_dc09.codes import Building, Refused, to_report
from app.adapters.sia_dc09.frame import (
    CR,
    MAX_FRAME,
    BadTime,
    Frame,
    FrameError,
    answer,
    parse_frame,
)
from app.adapters.sinks import STORE_TIMEOUT_S, NotStored, cancel_all, stored
from app.core.adapter import Adapter, AdapterConfig, Capability, ProbeResult, Sink
from app.core.events import AlarmReported
from app.core.model import Alarm, LatLon
from app.core.refs import IdRef
from app.core.secrets import SecretMissing, get_secret

log = logging.getLogger(__name__)

READ_TIMEOUT_S = 120.0  # a panel that says nothing for this long is disconnected
MAX_DEDUP = 10_000
FrameKey = tuple[str, str, str, str, str]


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
    dedup_window_s: float = Field(default=600.0, ge=1, le=86400)  # retransmissions merged
    # the ACK waits this long for the alarm to be stored; past it, no answer (panel retries)
    store_timeout_s: float = Field(default=STORE_TIMEOUT_S, gt=0, le=60)
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

    def __init__(self, config: AdapterConfig) -> None:
        super().__init__(config)
        self.bound_port: int | None = None
        self._server: asyncio.Server | None = None
        self._seen: OrderedDict[FrameKey, float] = OrderedDict()
        # frames whose alarm awaits its store: a retransmission waits for the same one
        self._storing: dict[FrameKey, concurrent.futures.Future[None]] = {}
        self._buildings = {a.account: a.to_building() for a in self.cfg.accounts}
        self._key: bytes | None = None
        self._peers = 0
        self._conns: set[asyncio.Task[object]] = set()
        self._udp: asyncio.DatagramTransport | None = None
        self._udp_tasks: set[asyncio.Task[None]] = set()
        self._loop: asyncio.AbstractEventLoop | None = None

    @property
    def cfg(self) -> SiaDc09Config:
        return cast(SiaDc09Config, self.config)

    def _load_key(self) -> bytes | None:
        if self.cfg.key_secret is None:
            return None
        return decode_key(get_secret(self.cfg.key_secret))

    async def start(self, sink: Sink) -> None:
        self._loop = asyncio.get_running_loop()
        self._key = self._load_key()
        self._server = await asyncio.start_server(
            lambda r, w: self._serve(r, w, sink), self.cfg.listen, self.cfg.port,
            limit=MAX_FRAME * 2)
        self.bound_port = self._server.sockets[0].getsockname()[1]
        if self.cfg.udp:
            loop = asyncio.get_running_loop()
            self._udp, _ = await loop.create_datagram_endpoint(
                lambda: _Datagrams(self, sink), (self.cfg.listen, self.bound_port))
        self._set_status(sink)
        async with self._server:
            await self._server.serve_forever()

    def _set_status(self, sink: Sink) -> None:
        sink.status("running", f"listening on {self.cfg.listen}:{self.bound_port}, "
                               f"{self._peers} panel connection(s)")

    async def stop(self) -> None:
        if self._udp is not None:
            self._udp.close()
            self._udp = None
        tasks, self._udp_tasks = self._udp_tasks, set()
        await cancel_all(tasks)
        if self._server is not None:
            self._server.close()
            self._server = None
        conns, self._conns = self._conns, set()
        await cancel_all(conns)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                     sink: Sink) -> None:
        self._peers += 1
        me = asyncio.current_task()
        if me is not None:
            self._conns.add(me)
        self._set_status(sink)
        try:
            while True:
                try:
                    async with asyncio.timeout(READ_TIMEOUT_S):
                        raw = await reader.readuntil(CR)
                except (asyncio.IncompleteReadError, ConnectionError, TimeoutError):
                    return
                except asyncio.LimitOverrunError:
                    sink.reject("frame longer than the DC-09 maximum", None)
                    return
                start = raw.find(b"\n")
                reply = await self.handle(raw[start:] if start >= 0 else raw, sink)
                if reply is None:
                    return  # not stored: no ACK, and closing makes the panel retry sooner
                writer.write(reply)
                await writer.drain()
        finally:
            self._peers -= 1
            self._conns.discard(me)
            self._set_status(sink)
            writer.close()

    async def handle(self, raw: bytes, sink: Sink) -> bytes | None:
        """One frame in, the answer out: ACK only once its alarm is stored; None (say
        nothing) when the store failed or did not confirm in time."""
        now = datetime.now(UTC)
        try:
            frame = parse_frame(raw, self._key, now)
        except BadTime as exc:
            sink.reject(f"DC-09: {exc}", raw)
            return answer("NAK", None, self._key, now)
        except FrameError as exc:
            sink.reject(f"DC-09: {exc}", raw)
            return answer("NAK", None, self._key, now)
        # a retransmission repeats sequence AND content; a rebooted panel reuses sequences
        key = (frame.account, frame.receiver or "", frame.line or "", frame.seq,
               frame.data + "".join(frame.extras))
        self._expire(time.monotonic())
        if key in self._seen and frame.token != "NULL":
            return answer("ACK", frame, self._key, now)  # a repeat: already stored
        try:
            report = to_report(frame, self._buildings, self.name, now)
        except Refused as exc:
            sink.reject(f"DC-09: {exc}", raw)
            return answer("DUH", frame, self._key, now)
        if report is not None and not await self._store(key, report, sink):
            return None
        self._seen[key] = time.monotonic()
        return answer("ACK", frame, self._key, now)

    async def _store(self, key: FrameKey, report: AlarmReported, sink: Sink) -> bool:
        """Emit the alarm durably (once per frame, even if the panel repeats it while we
        wait) and wait for its store. False: not stored, the panel must not get an ACK."""
        fut = self._storing.get(key)
        if fut is None or (fut.done() and (fut.cancelled() or fut.exception() is not None)):
            fut = self._storing[key] = sink.emit_durable(report)
            fut.add_done_callback(lambda f: self._loop_forget(key, f))
        try:
            await stored([fut], self.cfg.store_timeout_s)
        except NotStored as exc:
            log.warning("%s: alarm from account %s not acknowledged to the panel (it will "
                        "send it again): %s", self.name, report.source_id.split("/")[0], exc)
            return False
        return True

    def _loop_forget(self, key: FrameKey, fut: concurrent.futures.Future[None]) -> None:
        """Drop the bookkeeping of a settled frame (on the store's thread: via the loop)."""
        loop = self._loop
        if loop is None:
            return

        def forget() -> None:
            if self._storing.get(key) is fut:
                del self._storing[key]
            if not fut.cancelled() and fut.exception() is None:
                self._seen[key] = time.monotonic()  # stored, even if its ACK was not sent

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


class _Datagrams(asyncio.DatagramProtocol):
    """DC-09 over UDP: one frame a datagram, the answer sent back to its sender."""

    def __init__(self, adapter: SiaDc09Adapter, sink: Sink) -> None:
        self._adapter, self._sink = adapter, sink
        self._transport: asyncio.DatagramTransport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._transport = cast(asyncio.DatagramTransport, transport)

    def datagram_received(self, data: bytes, addr: tuple[str | object, int]) -> None:
        if len(data) > MAX_FRAME:
            self._sink.reject("frame longer than the DC-09 maximum", data[:200])
            return
        start = data.find(b"\n")
        task = asyncio.get_running_loop().create_task(
            self._answer(data[start:] if start >= 0 else data, addr))
        self._adapter._udp_tasks.add(task)
        task.add_done_callback(self._adapter._udp_tasks.discard)

    async def _answer(self, frame: bytes, addr: tuple[str | object, int]) -> None:
        reply = await self._adapter.handle(frame, self._sink)
        if reply is not None and self._transport is not None:  # None: the panel retries
            self._transport.sendto(reply, addr)


__all__ = ["Frame", "SiaDc09Adapter", "SiaDc09Config"]
