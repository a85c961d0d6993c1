"""NMEA 0183 over TCP for simple GPS trackers: either the trackers connect to us (listen;
the peer's address says which officer) or we connect to each tracker or serial-to-TCP
gateway (connect; one officer per source), reconnecting with capped backoff."""

from __future__ import annotations

import asyncio
import logging
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from app.adapters.limits import ConnectionCounter, Limits, start_stream_server
from app.adapters.nmea.parser import MAX_LINE, Rejected, parse
from app.adapters.sinks import guarded
from app.core.adapter import Adapter, AdapterConfig, Capability, ProbeResult, Sink
from app.core.model import utc_now
from app.core.refs import IdRef
from app.core.retry import backoff_delay

log = logging.getLogger(__name__)

IDLE_TIMEOUT_S = 120.0  # a tracker silent this long is treated as gone
CONNECT_TIMEOUT_S = 5.0
BACKOFF_FIRST_S, BACKOFF_CAP_S = 1.0, 60.0


class NmeaSource(BaseModel):
    model_config = ConfigDict(extra="forbid")

    host: str
    port: int = Field(ge=1, le=65535)
    officer: str


class NmeaConfig(AdapterConfig):
    """`[[adapters]] kind = "nmea"`."""

    kind: Literal["nmea"] = "nmea"
    mode: Literal["listen", "connect"] = "listen"
    host: str = "0.0.0.0"  # listen mode
    port: int = Field(default=5017, ge=1, le=65535)  # listen mode
    devices: dict[str, str] = {}  # listen mode: tracker IP address -> officer id
    sources: list[NmeaSource] = []  # connect mode

    def references(self) -> list[IdRef]:
        return ([IdRef(("devices", ip), "officer", off) for ip, off in self.devices.items()]
                + [IdRef(("sources", i, "officer"), "officer", s.officer)
                   for i, s in enumerate(self.sources)])


async def _skip_rest_of_line(reader: asyncio.StreamReader) -> bool:
    """Drop what is left of an over-long line, up to its newline; False at the end of the
    stream."""
    while True:
        try:
            async with asyncio.timeout(IDLE_TIMEOUT_S):
                await reader.readuntil(b"\n")
            return True
        except asyncio.LimitOverrunError as exc:
            await reader.readexactly(exc.consumed)
        except asyncio.IncompleteReadError:
            return False


class NmeaAdapter(Adapter):
    kind = "nmea"
    Config = NmeaConfig
    capabilities = frozenset({Capability.POSITIONS})
    description = "NMEA 0183 (RMC/GGA) over TCP from simple GPS trackers."

    def __init__(self, config: AdapterConfig) -> None:
        super().__init__(config)
        self._server: asyncio.Server | None = None
        self.connected: set[str] = set()

    @property
    def cfg(self) -> NmeaConfig:
        assert isinstance(self.config, NmeaConfig)
        return self.config

    async def _read(self, reader: asyncio.StreamReader, officer: str, sink: Sink) -> None:
        """Lines until EOF or silence; an over-long line is refused and skipped whole (one
        line, one message, one rejection)."""
        while True:
            try:
                async with asyncio.timeout(IDLE_TIMEOUT_S):
                    line = await reader.readuntil(b"\n")
            except asyncio.LimitOverrunError as exc:
                sink.received()
                sink.reject(f"line over {MAX_LINE} bytes without an end")
                await reader.readexactly(exc.consumed)
                if not await _skip_rest_of_line(reader):
                    return  # the stream ended inside it
                continue
            except asyncio.IncompleteReadError as exc:
                if exc.partial.strip():
                    self._take(exc.partial, officer, sink)
                return
            self._take(line, officer, sink)

    def _take(self, line: bytes, officer: str, sink: Sink) -> None:
        """One sentence: counted as received, then parsed."""
        sink.received()
        result = guarded(parse, line, officer, utc_now())
        if isinstance(result, Rejected):
            sink.reject(result.reason, line)
            return
        for event in result:
            sink.emit(event)

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                      sink: Sink) -> None:
        peer = writer.get_extra_info("peername")
        ip = str(peer[0]) if peer else "?"
        officer = self.cfg.devices.get(ip)
        try:
            if officer is None:  # one input, refused unread
                sink.received()
                sink.reject(f"unknown tracker at {ip} (not in the adapter's devices table)")
                return
            await self._read(reader, officer, sink)
        except (TimeoutError, ConnectionError) as exc:
            log.info("NMEA tracker %s gone: %s", ip, exc)
        finally:
            writer.close()

    async def _follow(self, src: NmeaSource, sink: Sink) -> None:
        """Read one tracker for ever, reconnecting with capped exponential backoff."""
        where, attempt = f"tracker {src.host}:{src.port} ({src.officer})", 0
        while True:
            try:
                async with asyncio.timeout(CONNECT_TIMEOUT_S):
                    reader, writer = await asyncio.open_connection(
                        src.host, src.port, limit=MAX_LINE * 4)
            except (OSError, TimeoutError) as exc:
                attempt += 1
                delay = backoff_delay(attempt, first_s=BACKOFF_FIRST_S, cap_s=BACKOFF_CAP_S)
                words = "connection refused" if isinstance(exc, ConnectionRefusedError) \
                    else (str(exc) or "no answer")
                sink.status("retrying", f"{where}: {words}; retry in {delay:.0f} s")
                await asyncio.sleep(delay)
                continue
            attempt = 0
            self.connected.add(src.host + f":{src.port}")
            sink.status("running", f"reading NMEA from {len(self.connected)} of "
                                    f"{len(self.cfg.sources)} trackers")
            try:
                await self._read(reader, src.officer, sink)
            except (TimeoutError, ConnectionError) as exc:
                log.info("%s: %s", where, exc)
            finally:
                self.connected.discard(src.host + f":{src.port}")
                writer.close()
            sink.status("retrying", f"{where} closed the connection; reconnecting")

    async def start(self, sink: Sink) -> None:
        cfg = self.cfg
        if cfg.mode == "connect":
            if not cfg.sources:
                raise ValueError("mode = \"connect\" needs at least one [[sources]] entry")
            await asyncio.gather(*(self._follow(s, sink) for s in cfg.sources))
            return
        try:
            # bounded like every TCP ingress: connections in all and per peer
            self._server = await start_stream_server(
                lambda r, w: self._accept(r, w, sink), cfg.host, cfg.port,
                ConnectionCounter(Limits()),
                lambda peer, why: sink.reject(f"connection from {peer} refused: {why}"),
                limit=MAX_LINE * 4)
        except OSError as exc:
            raise ConnectionError(f"cannot listen for NMEA on {cfg.host}:{cfg.port}: "
                                  f"{exc.strerror or exc}") from None
        sink.status("running", f"listening for NMEA trackers on {cfg.host}:{cfg.port}")
        await asyncio.Event().wait()

    async def stop(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            server.close()

    async def probe(self) -> list[ProbeResult]:
        cfg = self.cfg
        if cfg.mode == "listen":
            check = f"listen on {cfg.host}:{cfg.port}"
            try:
                srv = await asyncio.start_server(lambda r, w: None, cfg.host, cfg.port)
            except OSError as exc:
                return [ProbeResult(self.name, check, False, f"cannot listen on port "
                                    f"{cfg.port}: {exc.strerror or exc}")]
            srv.close()
            await srv.wait_closed()
            return [ProbeResult(self.name, check, True, f"port {cfg.port} is free")]
        out = []
        for s in cfg.sources:
            check = f"connect to tcp://{s.host}:{s.port}"
            try:
                async with asyncio.timeout(CONNECT_TIMEOUT_S):
                    _, w = await asyncio.open_connection(s.host, s.port)
                w.close()
                out.append(ProbeResult(self.name, check, True,
                                       f"tracker of {s.officer} answers at {s.host}:{s.port}"))
            except (OSError, TimeoutError) as exc:
                why = "connection refused" if isinstance(exc, ConnectionRefusedError) \
                    else (str(exc) or "no answer within 5 s")
                out.append(ProbeResult(self.name, check, False,
                                       f"tracker of {s.officer} at {s.host}:{s.port}: {why}"))
        return out
