"""Frigate NVR detections over MQTT, as video-analytics alarms linked to console cameras."""

from __future__ import annotations

import json
import logging
import threading
from collections import OrderedDict
from functools import cached_property
from typing import Literal

from pydantic import Field

from app.adapters.frigate.parser import Rejected, Rules, parse
from app.adapters.frigate.playback import FrigatePlayback
from app.adapters.mqtt_link import MqttAdapter, MqttConfig, Stored
from app.adapters.sinks import guarded
from app.core.adapter import AdapterConfig, Capability, Sink
from app.core.events import AlarmReported
from app.core.model import Alarm, utc_now
from app.core.refs import IdRef
from app.core.secrets import get_secret

log = logging.getLogger(__name__)

REMEMBERED_EVENTS = 10_000  # event ids already raised (an update must not repeat them)


class FrigateConfig(MqttConfig):
    """`[[adapters]] kind = "frigate"`."""

    kind: Literal["frigate"] = "frigate"
    topic_prefix: str = "frigate"  # Frigate's `mqtt.topic_prefix`
    cameras: dict[str, str | list[str]] = {}  # Frigate camera -> console camera id(s)
    labels: list[str] = []  # only these objects raise alarms (empty: all)
    min_score: float = Field(default=0.0, ge=0.0, le=1.0)
    zones: list[str] = []  # only objects that entered one of these zones (empty: anywhere)
    priority: int = Field(default=3, ge=1, le=4)
    ack_topic: str | None = None  # publish acknowledgements here (Frigate itself has none)
    # Frigate's HTTP API, for replay from its recordings (e.g. http://frigate:5000, or its
    # authenticated port https://frigate:8971 with a token kept in the keyring)
    api_url: str | None = Field(default=None, pattern=r"^https?://[^\s/]+(:\d+)?(/\S*)?$")
    api_token_secret: str | None = None  # `csu-console secret set <api_token_secret>`
    verify_tls: bool | str = True  # False, or the path of the site's CA certificate

    def references(self) -> list[IdRef]:
        out = []
        for frigate_cam, ours in self.cameras.items():
            if isinstance(ours, str):
                out.append(IdRef(("cameras", frigate_cam), "camera", ours))
            else:
                out += [IdRef(("cameras", frigate_cam, i), "camera", c)
                        for i, c in enumerate(ours)]
        return out


class FrigateAdapter(MqttAdapter):
    kind = "frigate"
    Config = FrigateConfig
    capabilities = frozenset({Capability.ALARMS, Capability.ACKNOWLEDGE,
                              Capability.PLAYBACK})
    description = "Frigate NVR object detections (MQTT) as video-analytics alarms."

    def __init__(self, config: AdapterConfig) -> None:
        super().__init__(config)
        # event id -> the store's future of the alarm it raised (a later message about
        # the same event is acknowledged only once that alarm is stored)
        self._raised: OrderedDict[str, Stored] = OrderedDict()
        self._lock = threading.Lock()

    @property
    def cfg(self) -> FrigateConfig:
        assert isinstance(self.config, FrigateConfig)
        return self.config

    @cached_property
    def rules(self) -> Rules:
        cams = {k: (v,) if isinstance(v, str) else tuple(v) for k, v in self.cfg.cameras.items()}
        return Rules(self.name, cams, frozenset(self.cfg.labels), self.cfg.min_score,
                     frozenset(self.cfg.zones), self.cfg.priority)

    def topics(self) -> list[str]:
        return [f"{self.cfg.topic_prefix}/events"]

    def handle(self, topic: str, payload: bytes, sink: Sink) -> list[Stored]:
        """On paho's thread (the only writer of `_raised`; a store's thread may forget)."""
        result = guarded(parse, payload, self.rules, utc_now())
        if isinstance(result, Rejected):
            sink.reject(result.reason, payload)
            return []
        futures: list[Stored] = []
        for event in result:
            if not isinstance(event, AlarmReported):
                futures += self.emit_all([event], sink)
                continue
            with self._lock:
                earlier = self._raised.get(event.source_id)
            if earlier is not None:  # raised already: wait for that alarm's store
                futures.append(earlier)
                continue
            fut = sink.emit_durable(event)
            with self._lock:
                self._raised[event.source_id] = fut
                if len(self._raised) > REMEMBERED_EVENTS:
                    self._raised.popitem(last=False)
            fut.add_done_callback(lambda f, i=event.source_id: self._forget(i, f))  # type: ignore[misc]
            futures.append(fut)
        return futures

    def _forget(self, event_id: str, fut: Stored) -> None:
        """The alarm was not stored: the broker's redelivery must raise it again."""
        if fut.cancelled() or fut.exception() is not None:
            with self._lock:
                if self._raised.get(event_id) is fut:
                    del self._raised[event_id]

    def replay_source(self) -> FrigatePlayback | None:
        """Replay from Frigate's recordings, when the site gives its API (`api_url`)."""
        cfg = self.cfg
        if not cfg.api_url:
            return None
        ours = {c: frigate for frigate, cams in cfg.cameras.items()
                for c in ((cams,) if isinstance(cams, str) else cams)}
        token = get_secret(cfg.api_token_secret) if cfg.api_token_secret else None
        return FrigatePlayback(f"Frigate ({self.name})", cfg.api_url, ours, token,
                               cfg.verify_tls)

    async def acknowledge(self, alarm: Alarm, actor: str) -> None:
        """Frigate has no MQTT acknowledgement; when `ack_topic` is set, tell the site's
        automations (Home Assistant, Node-RED) that the CSU has seen the event."""
        if not self.cfg.ack_topic:
            return
        self.publish(self.cfg.ack_topic, json.dumps({
            "id": alarm.source_id, "acknowledged_by": actor, "alarm": alarm.id,
            "time": utc_now().isoformat()}))
