"""Cursor-on-Target listener: TAK clients (or a TAK Server's federation/stream output)
send CoT XML over TCP (a stream of events) and UDP (one event per datagram)."""

from __future__ import annotations

import asyncio
import logging
import socket
from functools import cached_property
from typing import Literal

from pydantic import Field

from app.adapters.cot.parser import MAX_EVENT_BYTES, Rejected, Rules, parse, split_stream
from app.adapters.limits import ConnectionCounter, Limits, start_stream_server
from app.adapters.officers import Announcer
from app.adapters.sinks import guarded
from app.core.adapter import Adapter, AdapterConfig, Capability, ProbeResult, Sink
from app.core.model import utc_now
from app.core.refs import IdRef

log = logging.getLogger(__name__)

READ_CHUNK = 16 * 1024
UDP_RCVBUF = 4 * 1024 * 1024
IDLE_TIMEOUT_S = 600.0  # a TAK client silent this long is gone (ATAK pings every ~60 s)


class CotConfig(AdapterConfig):
    """`[[adapters]] kind = "cot"`."""

    kind: Literal["cot"] = "cot"
    host: str = "0.0.0.0"
    tcp_port: int | None = Field(default=8087, ge=1, le=65535)  # None: no TCP listener
    udp_port: int | None = Field(default=4242, ge=1, le=65535)  # None: no UDP listener
    devices: dict[str, str] = {}  # CoT uid or callsign -> officer id of the site file
    accept_unknown: bool = False  # True: an unknown TAK user appears as a new officer
    unit: str = "TAK"  # unit of such officers when their CoT carries no __group

    def references(self) -> list[IdRef]:
        return [IdRef(("devices", uid), "officer", off) for uid, off in self.devices.items()]


class _Udp(asyncio.DatagramProtocol):
    def __init__(self, adapter: CotAdapter, sink: Sink) -> None:
        self.adapter, self.sink = adapter, sink

    def datagram_received(self, data: bytes, addr: tuple[str | object, int]) -> None:
        self.adapter.take(data, self.sink)


class CotAdapter(Adapter):
    kind = "cot"
    Config = CotConfig
    capabilities = frozenset({Capability.POSITIONS})
    description = "Cursor-on-Target (ATAK/WinTAK) positions over TCP and UDP."

    def __init__(self, config: AdapterConfig) -> None:
        super().__init__(config)
        self._announcer = Announcer()
        self._server: asyncio.Server | None = None
        self._udp: asyncio.DatagramTransport | None = None

    @property
    def cfg(self) -> CotConfig:
        assert isinstance(self.config, CotConfig)
        return self.config

    @cached_property
    def rules(self) -> Rules:
        return Rules(self.name, self.cfg.devices, self.cfg.accept_unknown, self.cfg.unit)

    def take(self, doc: bytes, sink: Sink) -> None:
        """One CoT event (a TCP stream's or a datagram's): counted as received, parsed."""
        sink.received()
        result = guarded(parse, doc, self.rules, utc_now())
        if isinstance(result, Rejected):
            sink.reject(result.reason, doc)
            return
        for event in self._announcer.filter(result):
            sink.emit(event)

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                      sink: Sink) -> None:
        peer = writer.get_extra_info("peername")
        buffer = b""
        try:
            while True:
                async with asyncio.timeout(IDLE_TIMEOUT_S):
                    chunk = await reader.read(READ_CHUNK)
                if not chunk:
                    break
                docs, buffer, overflow = split_stream(buffer + chunk)
                for doc in docs:
                    self.take(doc, sink)
                if overflow:
                    sink.received()
                    sink.reject(f"over {MAX_EVENT_BYTES} bytes without </event> from {peer}")
        except (TimeoutError, ConnectionError) as exc:
            log.info("CoT client %s gone: %s", peer, exc)
        finally:
            if buffer.strip():
                sink.received()
                sink.reject(f"connection from {peer} closed inside an event", buffer)
            writer.close()

    async def start(self, sink: Sink) -> None:
        cfg, loop = self.cfg, asyncio.get_running_loop()
        where = []
        try:
            if cfg.tcp_port is not None:
                # bounded like every TCP ingress: connections in all and per peer
                self._server = await start_stream_server(
                    lambda r, w: self._client(r, w, sink), cfg.host, cfg.tcp_port,
                    ConnectionCounter(Limits()),
                    lambda peer, why: sink.reject(f"connection from {peer} refused: {why}"))
                where.append(f"TCP {cfg.host}:{cfg.tcp_port}")
            if cfg.udp_port is not None:
                self._udp, _ = await loop.create_datagram_endpoint(
                    lambda: _Udp(self, sink), local_addr=(cfg.host, cfg.udp_port))
                self._widen_udp_buffer()
                where.append(f"UDP {cfg.host}:{cfg.udp_port}")
        except OSError as exc:
            raise ConnectionError(f"cannot listen for CoT ({', '.join(where) or 'TCP'}): "
                                  f"{exc.strerror or exc}") from None
        sink.status("running", "listening for CoT on " + " and ".join(where))
        await asyncio.Event().wait()

    def _widen_udp_buffer(self) -> None:
        """A burst of datagrams (a TAK server relaying a whole team) overflows the default
        receive buffer, and UDP loses silently; ask for more (the OS may cap it)."""
        sock = self._udp.get_extra_info("socket") if self._udp is not None else None
        if sock is not None:
            try:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, UDP_RCVBUF)
            except OSError as exc:
                log.info("CoT UDP receive buffer left as is: %s", exc)

    async def stop(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            server.close()
        udp, self._udp = self._udp, None
        if udp is not None:
            udp.close()

    async def probe(self) -> list[ProbeResult]:
        """Whether the ports are free to listen on (a listener has nothing to dial)."""
        out = []
        for proto, port in (("TCP", self.cfg.tcp_port), ("UDP", self.cfg.udp_port)):
            if port is None:
                continue
            check = f"listen on {proto} {self.cfg.host}:{port}"
            try:
                if proto == "TCP":
                    srv = await asyncio.start_server(lambda r, w: None, self.cfg.host, port)
                    srv.close()
                    await srv.wait_closed()
                else:
                    tr, _ = await asyncio.get_running_loop().create_datagram_endpoint(
                        asyncio.DatagramProtocol, local_addr=(self.cfg.host, port))
                    tr.close()
                out.append(ProbeResult(self.name, check, True, f"{proto} port {port} is free"))
            except OSError as exc:
                out.append(ProbeResult(self.name, check, False,
                                       f"cannot listen on {proto} port {port}: "
                                       f"{exc.strerror or exc} (another program uses it?)"))
        return out
