"""Traccar GPS server: REST for devices and their last positions, then the live WebSocket.
After a drop it logs in again and fetches each device's positions since its last fix, so a
short outage leaves no gap in the tracks. A refused login is not an outage: `AuthRefused`
leaves `start`, and the host stops the adapter as "refused" until the installer retries.
Every REST answer and socket message is counted as received before it is parsed."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime
from functools import cached_property
from typing import Literal

import websockets
from pydantic import Field
from websockets.asyncio.client import connect

from app.adapters.officers import Announcer
from app.adapters.sinks import guarded
from app.adapters.traccar.client import TraccarError, TraccarRest
from app.adapters.traccar.parser import (
    MAX_MESSAGE_BYTES,
    Batch,
    Device,
    Rejected,
    Rules,
    devices_list,
    message,
)
from app.core.adapter import (
    Adapter,
    AdapterConfig,
    AuthRefused,
    Capability,
    ProbeResult,
    Sink,
)
from app.core.events import PositionReported
from app.core.model import utc_now
from app.core.refs import IdRef
from app.core.retry import backoff_delay
from app.core.secrets import get_secret

log = logging.getLogger(__name__)

STABLE_S = 30.0  # a session that lasted this long starts the backoff afresh


class TraccarConfig(AdapterConfig):
    """`[[adapters]] kind = "traccar"`."""

    kind: Literal["traccar"] = "traccar"
    url: str = "http://127.0.0.1:8082"
    email: str | None = None  # a Traccar user (read-only is enough)
    password_secret: str | None = None  # keyring name of its password
    token_secret: str | None = None  # or: keyring name of a Traccar user token
    socket_url: str | None = None  # default: <url>/api/socket as ws:// or wss://
    devices: dict[str, str] = {}  # Traccar uniqueId -> officer id of the site file
    accept_unknown: bool = False  # True: a device not listed appears as a new officer
    backfill_max_s: float = Field(default=3600, ge=0)  # after a drop, fetch at most this far

    def references(self) -> list[IdRef]:
        return [IdRef(("devices", uid), "officer", off) for uid, off in self.devices.items()]


class TraccarAdapter(Adapter):
    kind = "traccar"
    Config = TraccarConfig
    capabilities = frozenset({Capability.POSITIONS, Capability.ALARMS})
    description = "Traccar GPS server: REST snapshot then live WebSocket positions."

    def __init__(self, config: AdapterConfig) -> None:
        super().__init__(config)
        self._announcer = Announcer()
        self.known: dict[int, Device] = {}
        self.last_fix: dict[str, datetime] = {}  # officer -> time of the newest fix emitted

    @property
    def cfg(self) -> TraccarConfig:
        assert isinstance(self.config, TraccarConfig)
        return self.config

    @cached_property
    def rules(self) -> Rules:
        return Rules(self.name, self.cfg.devices, self.cfg.accept_unknown)

    @property
    def socket_url(self) -> str:
        if self.cfg.socket_url:
            return self.cfg.socket_url
        base = self.cfg.url.rstrip("/")
        return "ws" + base.removeprefix("http") + "/api/socket"

    def _rest(self) -> TraccarRest:
        c = self.cfg
        password = get_secret(c.password_secret) if c.password_secret else None
        token = get_secret(c.token_secret) if c.token_secret else None
        return TraccarRest(c.url, c.email, password, token)

    def _take(self, batch: Batch | Rejected, sink: Sink, raw: object) -> None:
        if isinstance(batch, Rejected):
            sink.reject(batch.reason, raw)
            return
        self.known.update({d.id: d for d in batch.devices})
        for reason in batch.rejects:
            sink.reject(reason)
        for event in self._announcer.filter(batch.events):
            if isinstance(event, PositionReported):
                prev = self.last_fix.get(event.fix.officer_id)
                if prev is not None and event.fix.time <= prev:
                    continue  # already emitted (a backfill overlapping the live feed)
                self.last_fix[event.fix.officer_id] = event.fix.time
            sink.emit(event)

    async def _get(self, sink: Sink, call: Callable[..., bytes], *args: object) -> bytes:
        """One REST answer, counted as a message received."""
        raw = await asyncio.to_thread(call, *args)
        sink.received()
        return raw

    async def _snapshot(self, rest: TraccarRest, sink: Sink) -> None:
        """Devices, then each device's positions since its last fix (or the latest)."""
        raw = await self._get(sink, rest.get, "/api/devices")
        self._take(guarded(devices_list, raw), sink, raw)
        now = utc_now()
        backfill = [(d, self.last_fix[o]) for d in self.known.values()
                    if (o := self._officer(d)) in self.last_fix
                    and (now - self.last_fix[o]).total_seconds() <= self.cfg.backfill_max_s]
        for dev, since in backfill:
            raw = await self._get(sink, rest.history, dev.id, since, now)
            self._take(guarded(message, b'{"positions":' + raw + b"}", self.known,
                               self.rules, utc_now(), "/api/positions"), sink, raw)
        raw = await self._get(sink, rest.get, "/api/positions")
        self._take(guarded(message, b'{"positions":' + raw + b"}", self.known, self.rules,
                           utc_now(), "/api/positions"), sink, raw)

    def _officer(self, dev: Device) -> str:
        return self.cfg.devices.get(dev.unique_id, f"{self.name}:{dev.unique_id}")

    async def _session(self, sink: Sink) -> None:
        rest = await asyncio.to_thread(self._rest)
        try:
            cookie = await asyncio.to_thread(rest.login)
            await self._snapshot(rest, sink)
            async with connect(self.socket_url, additional_headers={"Cookie": cookie},
                               max_size=MAX_MESSAGE_BYTES, open_timeout=10) as ws:
                sink.status("running", f"live positions from Traccar at {self.cfg.url} "
                                        f"({len(self.known)} devices)")
                async for raw in ws:
                    sink.received()
                    self._take(guarded(message, raw, self.known, self.rules, utc_now()),
                               sink, raw)
            raise TraccarError(f"Traccar at {self.cfg.url} closed the live feed")
        finally:
            rest.close()

    async def start(self, sink: Sink) -> None:
        """Run the session; after a failure say why and try again (the one capped backoff,
        afresh once a session worked). A refused login (`AuthRefused`) is not caught."""
        attempt = 0
        while True:
            started = utc_now()
            try:
                await self._session(sink)
            except (TraccarError, OSError, TimeoutError, websockets.WebSocketException) as exc:
                words = str(exc) if isinstance(exc, TraccarError) else (
                    f"live feed of Traccar at {self.cfg.url} lost: {exc}")
                if (utc_now() - started).total_seconds() > STABLE_S:
                    attempt = 0
                attempt += 1
                delay = backoff_delay(attempt)
                log.warning("%s: %s", self.name, words)
                sink.status("retrying", f"{words}; retry in {delay:.0f} s")
                await asyncio.sleep(delay)

    async def probe(self) -> list[ProbeResult]:
        check = f"log in to Traccar at {self.cfg.url}"
        try:
            rest = await asyncio.to_thread(self._rest)
        except Exception as exc:  # a missing secret
            return [ProbeResult(self.name, check, False, str(exc))]
        try:
            await asyncio.to_thread(rest.login)
            batch = devices_list(await asyncio.to_thread(rest.get, "/api/devices"))
            if isinstance(batch, Rejected):
                return [ProbeResult(self.name, check, False, batch.reason)]
            mapped = sum(d.unique_id in self.cfg.devices for d in batch.devices)
            return [ProbeResult(self.name, check, True,
                                f"logged in; {len(batch.devices)} devices, {mapped} of them "
                                f"mapped to officers")]
        except (TraccarError, AuthRefused) as exc:
            return [ProbeResult(self.name, check, False, str(exc))]
        finally:
            rest.close()
