"""Generic webhook: sound sensors, LPR systems and citizen-report apps POST a small JSON
document, signed with a shared secret; each becomes an alarm.

The sender's contract (README, "webhook"):

    POST /alarms                       (`path`; https:// when `tls_cert`/`tls_key` are set)
    Content-Type: application/json     Content-Length: <n> (or chunked), at most 64 KiB
    X-CSU-Timestamp: <Unix time in seconds, when signed>
    X-CSU-Signature: sha256=<hex HMAC-SHA256(secret, "<X-CSU-Timestamp>." + raw body)>

The secret lives in the OS keyring under the name `hmac_secret` gives. A request signed
more than 5 minutes away from the console's clock is refused (401), and so is an exact copy
of an accepted one (409): sign each request anew. The body (see `parse.py`) needs
`device` once `devices` are configured. Answers: 202 only once the alarm is stored (the
alarm service committed it to the journal), so a sender that retries on anything else loses
nothing it was told was accepted; 503 + Retry-After when the store fails or does not
confirm within `store_timeout_s` (a retry is safe: the alarm book knows a repeated id);
400 with the reason for a document that cannot become an alarm; 401, 404, 405, 408, 409,
411, 413, 415 for what the receiver refuses. Every refusal is counted in the
connected-systems panel.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta
from typing import Literal, Self, cast

from pydantic import (
    AliasChoices,
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from app.adapters.http_ingress import Answer, Delivery, HmacAuth, Receiver, tls_context
from app.adapters.http_ingress.config import site_relative, tls_pair_problem
from app.adapters.http_ingress.probe import probe_port, probe_secret, probe_tls
from app.adapters.sinks import STORE_TIMEOUT_S, NotStored, stored
from app.adapters.webhook.parse import MAX_BODY, Device, Refused, parse_alarm
from app.core.adapter import Adapter, AdapterConfig, Capability, ProbeResult, Sink
from app.core.model import LatLon
from app.core.refs import IdRef
from app.core.secrets import get_secret

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
    # 0.0.0.0: the senders are other machines (sensors, LPR cameras, apps); the protection
    # is the signature, which nothing turns off, not the address.
    listen: str = "0.0.0.0"
    port: int = Field(default=8089, ge=0, le=65535)
    path: str = Field(default="/alarms", pattern=r"^/[\w/.-]*$")
    # keyring name of the shared HMAC secret; `secret` is its former name, still read
    hmac_secret: str = Field(min_length=1,
                             validation_alias=AliasChoices("hmac_secret", "secret"))
    tls_cert: str | None = None  # PEM certificate (chain) file: serve https
    tls_key: str | None = None  # its unencrypted PEM key file
    max_age_s: float = Field(default=86400, gt=0)  # how old an alarm's `time` may be
    devices: list[DeviceConfig] = Field(default_factory=list)  # empty: any device accepted
    store_timeout_s: float = Field(default=STORE_TIMEOUT_S, gt=0, le=60)  # then 503

    def references(self) -> list[IdRef]:
        return [IdRef(("devices", i, "cameras", j), "camera", cam)
                for i, dev in enumerate(self.devices) for j, cam in enumerate(dev.cameras)]

    @field_validator("tls_cert", "tls_key")
    @classmethod
    def _site_relative(cls, value: str | None, info: ValidationInfo) -> str | None:
        return site_relative(value, info)

    @model_validator(mode="after")
    def _tls_pair(self) -> Self:
        problem = tls_pair_problem(self.tls_cert, self.tls_key)
        if problem:
            raise ValueError(problem)
        return self


class WebhookAdapter(Adapter):
    kind = "webhook"
    Config = WebhookConfig
    capabilities = frozenset({Capability.ALARMS})
    description = "HTTP POST of signed JSON: sound sensors, LPR, citizen-report apps."

    def __init__(self, config: AdapterConfig) -> None:
        super().__init__(config)
        self.bound_port: int | None = None
        self.receiver: Receiver | None = None
        self._devices = {d.id: d.to_device() for d in self.cfg.devices}

    @property
    def cfg(self) -> WebhookConfig:
        return cast(WebhookConfig, self.config)

    async def start(self, sink: Sink) -> None:
        tls = tls_context(self.cfg.tls_cert, self.cfg.tls_key) if self.cfg.tls_cert and \
            self.cfg.tls_key else None
        auth = HmacAuth(get_secret(self.cfg.hmac_secret))
        receiver = self.receiver = Receiver(
            self.name, sink, host=self.cfg.listen, port=self.cfg.port, path=self.cfg.path,
            auth=auth, accept=lambda d: self.accept(d, sink), max_body=MAX_BODY, tls=tls)
        try:
            await receiver.start()
            self.bound_port = receiver.port
            sink.status("running", f"listening on {receiver.url} ({auth.description})")
            await asyncio.Event().wait()  # until cancelled
        finally:
            await self.stop()

    async def accept(self, delivery: Delivery, sink: Sink) -> Answer:
        """An authenticated body -> 202 once the alarm is stored, 400 with the reason, or
        503 when the store fails or is slow."""
        try:
            report = parse_alarm(delivery.body, self._devices, self.name, datetime.now(UTC),
                                 timedelta(seconds=self.cfg.max_age_s))
        except Refused as exc:
            return Answer(400, f"webhook: {exc}")
        try:
            await stored([sink.emit_durable(report)], self.cfg.store_timeout_s)
        except NotStored as exc:
            log.debug("%s: alarm %s not acknowledged: %s", self.name, report.source_id, exc)
            return Answer(503, f"not stored, retry later: {exc}")
        return Answer(202, "accepted")

    async def stop(self) -> None:
        """Close the listener and every open connection (keep-alive senders too)."""
        receiver, self.receiver = self.receiver, None
        if receiver is not None:
            await receiver.stop()

    async def probe(self) -> list[ProbeResult]:
        scheme = "https" if self.cfg.tls_cert else "http"
        return [
            probe_port(self.name, self.cfg.listen, self.cfg.port,
                       f"listen on {scheme}://{self.cfg.listen}:{self.cfg.port}{self.cfg.path}"),
            probe_secret(self.name, f"shared secret {self.cfg.hmac_secret!r} in the keyring",
                         self.cfg.hmac_secret),
            *probe_tls(self.name, self.cfg.tls_cert, self.cfg.tls_key),
        ]

