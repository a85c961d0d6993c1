"""Generic webhook: sound sensors, LPR systems and citizen-report apps POST a small JSON
document signed with a shared secret (HMAC-SHA256); each becomes an alarm.

The sender gets 202 only once the alarm is stored (the alarm service committed it to the
journal), so a sender that retries on anything else loses nothing it was told was
accepted, even if the console crashes the next instant. When the store fails or does not
confirm within `store_timeout_s`, the answer is 503 with Retry-After (a retry is safe: the
alarm book merges a repeated id).
"""

from __future__ import annotations

import asyncio
import logging
import socket
from datetime import UTC, datetime, timedelta
from typing import Literal, cast

from pydantic import BaseModel, ConfigDict, Field

from app.adapters.sinks import STORE_TIMEOUT_S, NotStored, cancel_all, stored
from app.adapters.webhook.http import Request, serve_connection
from app.adapters.webhook.parse import (
    MAX_BODY,
    SIGNATURE_HEADER,
    Device,
    Refused,
    parse_alarm,
    verify,
)
from app.core.adapter import Adapter, AdapterConfig, Capability, ProbeResult, Sink
from app.core.model import LatLon
from app.core.refs import IdRef
from app.core.secrets import SecretMissing, get_secret

log = logging.getLogger(__name__)


class DeviceConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1, max_length=128)
    name: str = ""
    position: tuple[float, float] | None = None
    cameras: list[str] = Field(default_factory=list)

    def to_device(self) -> Device:
        return Device(self.id, self.name, LatLon(*self.position) if self.position else None,
                      tuple(self.cameras))


class WebhookConfig(AdapterConfig):
    """`[[adapters]] kind = "webhook"` in the site file."""

    kind: Literal["webhook"] = "webhook"
    listen: str = "0.0.0.0"
    port: int = Field(default=8089, ge=0, le=65535)
    path: str = Field(default="/alarms", pattern=r"^/[\w/.-]*$")
    secret: str = Field(min_length=1)  # keyring name of the shared HMAC secret
    max_age_s: float = Field(default=86400, gt=0)
    devices: list[DeviceConfig] = Field(default_factory=list)  # empty: any device accepted
    store_timeout_s: float = Field(default=STORE_TIMEOUT_S, gt=0, le=60)  # then 503

    def references(self) -> list[IdRef]:
        return [IdRef(("devices", i, "cameras", j), "camera", cam)
                for i, dev in enumerate(self.devices) for j, cam in enumerate(dev.cameras)]


class WebhookAdapter(Adapter):
    kind = "webhook"
    Config = WebhookConfig
    capabilities = frozenset({Capability.ALARMS})
    description = "HTTP POST of signed JSON: sound sensors, LPR, citizen-report apps."

    def __init__(self, config: AdapterConfig) -> None:
        super().__init__(config)
        self.bound_port: int | None = None
        self._server: asyncio.Server | None = None
        self._devices = {d.id: d.to_device() for d in self.cfg.devices}
        self._secret = ""
        self._conns: set[asyncio.Task[object]] = set()

    @property
    def cfg(self) -> WebhookConfig:
        return cast(WebhookConfig, self.config)

    async def start(self, sink: Sink) -> None:
        self._secret = get_secret(self.cfg.secret)

        async def handle(req: Request) -> tuple[int, str]:
            return await self.handle(req, sink)

        async def connection(r: asyncio.StreamReader, w: asyncio.StreamWriter) -> None:
            me = asyncio.current_task()
            if me is not None:
                self._conns.add(me)
            try:
                await serve_connection(r, w, handle, MAX_BODY)
            finally:
                self._conns.discard(me)

        self._server = await asyncio.start_server(connection, self.cfg.listen, self.cfg.port)
        self.bound_port = self._server.sockets[0].getsockname()[1]
        sink.status("running", f"listening on http://{self.cfg.listen}:{self.bound_port}"
                               f"{self.cfg.path}")
        async with self._server:
            await self._server.serve_forever()

    async def handle(self, req: Request, sink: Sink) -> tuple[int, str]:
        """One request → (HTTP status, reason); 202 only once the alarm is stored."""
        if req.path.split("?", 1)[0] != self.cfg.path:
            return 404, "unknown path"
        if req.method != "POST":
            return 405, "POST only"
        if not verify(req.body, req.headers.get(SIGNATURE_HEADER), self._secret):
            sink.reject("webhook: missing or wrong signature", req.body[:200])
            return 401, "missing or wrong X-CSU-Signature"
        try:
            report = parse_alarm(req.body, self._devices, self.name, datetime.now(UTC),
                                 timedelta(seconds=self.cfg.max_age_s))
        except Refused as exc:
            sink.reject(f"webhook: {exc}", req.body)
            return 400, str(exc)
        try:
            await stored([sink.emit_durable(report)], self.cfg.store_timeout_s)
        except NotStored as exc:
            log.warning("%s: alarm %s not acknowledged: %s", self.name, report.source_id, exc)
            return 503, f"not stored, retry later: {exc}"
        return 202, "accepted"

    async def stop(self) -> None:
        """Close the listener and the open connections (keep-alive senders)."""
        if self._server is not None:
            self._server.close()
            self._server = None
        conns, self._conns = self._conns, set()
        await cancel_all(conns)

    async def probe(self) -> list[ProbeResult]:
        results = []
        where = f"listen on http://{self.cfg.listen}:{self.cfg.port}{self.cfg.path}"
        try:
            family = socket.AF_INET6 if ":" in self.cfg.listen else socket.AF_INET
            with socket.socket(family, socket.SOCK_STREAM) as s:
                s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                s.bind((self.cfg.listen, self.cfg.port))
            results.append(ProbeResult(self.name, where, True, "the port is free"))
        except OSError as exc:
            results.append(ProbeResult(self.name, where, False,
                                       f"cannot listen there: {exc.strerror or exc}"))
        check = f"shared secret {self.cfg.secret!r} in the keyring"
        try:
            get_secret(self.cfg.secret)
            results.append(ProbeResult(self.name, check, True, "found"))
        except SecretMissing as exc:
            results.append(ProbeResult(self.name, check, False, str(exc)))
        return results
