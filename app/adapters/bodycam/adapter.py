"""A generic body-cam cloud: live RTSP URL per device, events by MQTT or webhook, mapped to
officers. Weapon drawn and emergency become P1 alarms that also put the officer's camera
live; battery low is a camera status detail (optionally a P4 alarm)."""

from __future__ import annotations

import json
import logging
from functools import cached_property
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from app.adapters.bodycam.parser import Device, Rejected, Rules, device_of, parse
from app.adapters.bodycam.webhook import start_webhook
from app.adapters.mqtt_link import MqttAdapter, MqttConfig, Stored
from app.adapters.parsing import Invalid
from app.adapters.sinks import STORE_TIMEOUT_S, NotStored, guarded, stored
from app.core.adapter import Capability, ProbeResult, Sink
from app.core.events import CameraAnnounced
from app.core.model import Alarm, Camera, CameraKind, Streams, utc_now
from app.core.refs import IdRef
from app.core.secrets import get_secret

log = logging.getLogger(__name__)


async def _refuse_all(path: str, body: bytes) -> tuple[int, str]:
    return 503, "probe only"


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
    webhook_host: str = "0.0.0.0"
    webhook_port: int = Field(default=8089, ge=1, le=65535)
    webhook_token_secret: str | None = None  # keyring name of the bearer token
    # a webhook gets 202 once its events are stored; 503 (retry) past this wait
    store_timeout_s: float = Field(default=STORE_TIMEOUT_S, gt=0, le=60)

    def references(self) -> list[IdRef]:
        return [IdRef(("devices", k, "officer"), "officer", d.officer)
                for k, d in self.devices.items()]

    def provides(self) -> list[IdRef]:
        """Each device's camera: its `camera` key, or "bc-<device>" as the adapter names it."""
        return [IdRef(("devices", k, "camera"), "camera", d.camera or f"bc-{k.lower()}")
                for k, d in self.devices.items()]


class BodycamAdapter(MqttAdapter):
    kind = "bodycam"
    Config = BodycamConfig
    capabilities = frozenset({Capability.CAMERAS, Capability.POSITIONS, Capability.ALARMS,
                              Capability.ACKNOWLEDGE})
    description = "Body-cam cloud: live RTSP per device, holster/emergency events, MQTT or webhook."

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

    def _take(self, device: str, payload: bytes, sink: Sink) -> list[Stored] | str:
        """The events' store futures, or the reject reason."""
        result = guarded(parse, device, payload, self.rules, utc_now())
        if isinstance(result, Rejected):
            sink.reject(result.reason, payload)
            return result.reason
        return self.emit_all(result, sink)

    def handle(self, topic: str, payload: bytes, sink: Sink) -> list[Stored]:
        try:
            device = device_of(topic, self.cfg.topic_prefix)
        except Invalid as exc:
            sink.reject(str(exc), topic)
            return []
        taken = self._take(device, payload, sink)
        return [] if isinstance(taken, str) else taken

    async def _on_post(self, path: str, body: bytes, sink: Sink) -> tuple[int, str]:
        """202 once the events are stored; 422 for a refused body (final); 503 when the
        console's store fails or is too slow (the platform retries)."""
        try:
            device = device_of(path.strip("/"), self.cfg.topic_prefix)
        except Invalid as exc:
            sink.reject(str(exc), path)
            return 422, str(exc)
        taken = self._take(device, body, sink)
        if isinstance(taken, str):
            return 422, taken
        try:
            await stored(taken, self.cfg.store_timeout_s)
        except NotStored as exc:
            log.warning("%s: webhook event not acknowledged: %s", self.name, exc)
            return 503, f"not stored, retry later: {exc}"
        return 202, ""

    async def start(self, sink: Sink) -> None:
        for cam in self.cameras():
            sink.emit(CameraAnnounced(cam))
        if self.cfg.transport == "mqtt":
            await super().start(sink)
            return
        token = get_secret(self.cfg.webhook_token_secret) if self.cfg.webhook_token_secret \
            else None
        server = await start_webhook(self.cfg.webhook_host, self.cfg.webhook_port,
                                     lambda p, b: self._on_post(p, b, sink), token)
        sink.status("running", f"listening for webhooks on "
                               f"{self.cfg.webhook_host}:{self.cfg.webhook_port}")
        async with server:
            await server.serve_forever()

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
        check = f"listen on {self.cfg.webhook_host}:{self.cfg.webhook_port}"
        try:
            server = await start_webhook(self.cfg.webhook_host, self.cfg.webhook_port,
                                         _refuse_all, None)
        except OSError as exc:
            return [ProbeResult(self.name, check, False, f"cannot listen for webhooks: {exc}")]
        server.close()
        await server.wait_closed()
        return [ProbeResult(self.name, check, True, "the webhook port is free to listen on")]



