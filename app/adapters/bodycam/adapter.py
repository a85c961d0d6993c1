"""A generic body-cam cloud: live RTSP URL per device, events by MQTT or webhook, mapped to
officers. Weapon drawn and emergency become P1 alarms that also put the officer's camera
live (and are the lawful reason to view it, CSI L241-2); battery low is a camera status
detail (optionally a P4 alarm).

Because a `weapon_drawn` opens an officer's body cam, the webhook is never open: it takes
HMAC-signed requests (`webhook_auth = "hmac"`, the default: the same scheme as the generic
webhook, replays refused) or a bearer token (`"token"`: for platforms that cannot sign;
use TLS, since a token read on the wire can be replayed), with the secret's keyring name in
`webhook_secret`, required. TLS from `webhook_tls_cert` / `webhook_tls_key`.
"""

from __future__ import annotations

import asyncio
import json
import logging
from functools import cached_property
from typing import Literal, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from app.adapters.bodycam.parser import Device, Rejected, Rules, device_of, parse
from app.adapters.http_ingress import (
    Answer,
    BearerAuth,
    Delivery,
    HmacAuth,
    Receiver,
    tls_context,
)
from app.adapters.http_ingress.config import site_relative, tls_pair_problem
from app.adapters.http_ingress.probe import probe_port, probe_secret, probe_tls
from app.adapters.mqtt_link import MqttAdapter, MqttConfig, Stored
from app.adapters.parsing import Invalid
from app.adapters.sinks import STORE_TIMEOUT_S, NotStored, guarded, stored
from app.core.adapter import AdapterConfig, Capability, ProbeResult, Sink
from app.core.events import CameraAnnounced, Event
from app.core.model import Alarm, Camera, CameraKind, Streams, utc_now
from app.core.refs import IdRef
from app.core.secrets import get_secret

log = logging.getLogger(__name__)

MAX_BODY = 8 * 1024  # an event is a few hundred bytes


class BodycamDevice(BaseModel):
    model_config = ConfigDict(extra="forbid")

    officer: str  # the wearer's officer id in the site file
    camera: str | None = None  # console camera id (default "bc-<device>")
    name: str | None = None  # shown on the tile (default "Caméra-piéton <device>")
    rtsp: str | None = None  # live URL (default: rtsp_template)


class BodycamConfig(MqttConfig):
    """`[[adapters]] kind = "bodycam"`."""

    kind: Literal["bodycam"] = "bodycam"
    transport: Literal["mqtt", "webhook"] = "mqtt"
    topic_prefix: str = "bodycam"
    rtsp_template: str = ""  # e.g. "rtsp://bodycam-cloud.local/live/{device}"
    devices: dict[str, BodycamDevice] = {}
    battery_alarm: bool = False  # battery_low also raises a P4 'other' alarm
    ack_topic: str = "{prefix}/{device}/ack"  # "" to never write acknowledgements back
    # 0.0.0.0: the cloud is another machine; the protection is the signature or token
    webhook_host: str = "0.0.0.0"
    # 8090: not the generic webhook's 8089, so both adapters run with their defaults
    webhook_port: int = Field(default=8090, ge=0, le=65535)
    webhook_auth: Literal["hmac", "token"] = "hmac"
    webhook_secret: str | None = Field(default=None, min_length=1)  # keyring name; required
    webhook_tls_cert: str | None = None  # PEM certificate (chain): serve https
    webhook_tls_key: str | None = None  # its unencrypted PEM key
    # a webhook gets 202 once its events are stored; 503 (retry) past this wait
    store_timeout_s: float = Field(default=STORE_TIMEOUT_S, gt=0, le=60)

    def references(self) -> list[IdRef]:
        return [IdRef(("devices", k, "officer"), "officer", d.officer)
                for k, d in self.devices.items()]

    def provides(self) -> list[IdRef]:
        """Each device's camera: its `camera` key, or "bc-<device>" as the adapter names it."""
        return [IdRef(("devices", k, "camera"), "camera", d.camera or f"bc-{k.lower()}")
                for k, d in self.devices.items()]

    @field_validator("webhook_tls_cert", "webhook_tls_key")
    @classmethod
    def _site_relative(cls, value: str | None, info: ValidationInfo) -> str | None:
        return site_relative(value, info)

    @model_validator(mode="after")
    def _webhook_settings(self) -> Self:
        if self.transport == "webhook" and not self.webhook_secret:
            what = "HMAC secret" if self.webhook_auth == "hmac" else "bearer token"
            raise ValueError(f"transport = \"webhook\" needs `webhook_secret`: the keyring "
                             f"name of the {what} the platform uses (a webhook is never "
                             "open)")
        problem = tls_pair_problem(self.webhook_tls_cert, self.webhook_tls_key)
        if problem:
            raise ValueError(problem)
        return self


class BodycamAdapter(MqttAdapter):
    kind = "bodycam"
    Config = BodycamConfig
    capabilities = frozenset({Capability.CAMERAS, Capability.POSITIONS, Capability.ALARMS,
                              Capability.ACKNOWLEDGE})
    description = "Body-cam cloud: live RTSP per device, holster/emergency events, MQTT or webhook."

    def __init__(self, config: AdapterConfig) -> None:
        super().__init__(config)
        self.receiver: Receiver | None = None

    @property
    def cfg(self) -> BodycamConfig:
        assert isinstance(self.config, BodycamConfig)
        return self.config

    @cached_property
    def rules(self) -> Rules:
        devs = {k: Device(d.officer, d.camera or f"bc-{k.lower()}")
                for k, d in self.cfg.devices.items()}
        return Rules(self.name, devs, self.cfg.battery_alarm)

    def cameras(self) -> list[Camera]:
        out = []
        for dev_id, d in self.cfg.devices.items():
            url = d.rtsp or self.cfg.rtsp_template.format(device=dev_id)
            out.append(Camera(self.rules.devices[dev_id].camera,
                              d.name or f"Caméra-piéton {dev_id}", CameraKind.BODY,
                              Streams(url), officer_id=d.officer, source=self.name))
        return out

    def topics(self) -> list[str]:
        return [f"{self.cfg.topic_prefix}/+/event"]

    def handle(self, topic: str, payload: bytes, sink: Sink) -> list[Stored]:
        # counted by MqttAdapter before it calls this (the webhook path counts its own)
        try:
            device = device_of(topic, self.cfg.topic_prefix)
        except Invalid as exc:
            sink.reject(str(exc), topic)
            return []
        taken = self._take(device, payload)
        if isinstance(taken, Rejected):
            sink.reject(taken.reason, payload)
            return []
        return self.emit_all(taken, sink)

    def _take(self, device: str, payload: bytes) -> list[Event] | Rejected:
        return guarded(parse, device, payload, self.rules, utc_now())

    async def _on_post(self, delivery: Delivery, sink: Sink) -> Answer:
        """202 once the events are stored; 422 for a refused body (final, counted by the
        receiver); 503 when the console's store fails or is too slow (the platform
        retries)."""
        taken = self._take(delivery.params["device"], delivery.body)
        if isinstance(taken, Rejected):
            return Answer(422, taken.reason)
        try:
            await stored(self.emit_all(taken, sink), self.cfg.store_timeout_s)
        except NotStored as exc:
            log.debug("%s: webhook event not acknowledged: %s", self.name, exc)
            return Answer(503, f"not stored, retry later: {exc}")
        return Answer(202, "accepted")

    @property
    def webhook_path(self) -> str:
        return f"/{self.cfg.topic_prefix}/{{device}}/event"

    async def start(self, sink: Sink) -> None:
        for cam in self.cameras():
            sink.emit(CameraAnnounced(cam))
        if self.cfg.transport == "mqtt":
            await super().start(sink)
            return
        cfg = self.cfg
        assert cfg.webhook_secret is not None  # the config's validator
        secret = get_secret(cfg.webhook_secret)
        auth = HmacAuth(secret) if cfg.webhook_auth == "hmac" else BearerAuth(secret)
        tls = tls_context(cfg.webhook_tls_cert, cfg.webhook_tls_key) \
            if cfg.webhook_tls_cert and cfg.webhook_tls_key else None
        receiver = self.receiver = Receiver(
            self.name, sink, host=cfg.webhook_host, port=cfg.webhook_port,
            path=self.webhook_path, auth=auth, accept=lambda d: self._on_post(d, sink),
            max_body=MAX_BODY, tls=tls)
        try:
            await receiver.start()
            clear = "" if tls or cfg.webhook_auth == "hmac" else (
                "; the bearer token crosses the network in clear: set webhook_tls_cert/key")
            if clear:
                log.warning("%s: webhook with a bearer token over plain HTTP%s", self.name,
                            clear)
            sink.status("running", f"listening for webhooks on {receiver.url} "
                                   f"({auth.description}{clear})")
            await asyncio.Event().wait()  # until cancelled
        finally:
            await self._stop_receiver()

    async def _stop_receiver(self) -> None:
        receiver, self.receiver = self.receiver, None
        if receiver is not None:
            await receiver.stop()

    async def stop(self) -> None:
        await self._stop_receiver()
        await super().stop()

    async def acknowledge(self, alarm: Alarm, actor: str) -> None:
        """Over MQTT, publish `{"id", "acknowledged_by", "time"}` on the device's ack topic:
        the platform can show the officer that the CSU has seen the alarm."""
        if self.cfg.transport != "mqtt" or not self.cfg.ack_topic:
            return
        by_camera = {d.camera: k for k, d in self.rules.devices.items()}
        device = next((by_camera[c] for c in alarm.camera_ids if c in by_camera), None)
        if device is None:
            return
        topic = self.cfg.ack_topic.format(prefix=self.cfg.topic_prefix, device=device)
        self.publish(topic, json.dumps({"id": alarm.source_id, "acknowledged_by": actor,
                                        "time": utc_now().isoformat()}))

    async def probe(self) -> list[ProbeResult]:
        if self.cfg.transport == "mqtt":
            return await super().probe()
        cfg = self.cfg
        scheme = "https" if cfg.webhook_tls_cert else "http"
        what = "HMAC secret" if cfg.webhook_auth == "hmac" else "bearer token"
        return [
            probe_port(self.name, cfg.webhook_host, cfg.webhook_port,
                       f"listen for webhooks on {scheme}://{cfg.webhook_host}:"
                       f"{cfg.webhook_port}/{cfg.topic_prefix}/<device>/event"),
            probe_secret(self.name, f"{what} {cfg.webhook_secret!r} in the keyring",
                         cfg.webhook_secret or ""),
            *probe_tls(self.name, cfg.webhook_tls_cert, cfg.webhook_tls_key),
        ]



