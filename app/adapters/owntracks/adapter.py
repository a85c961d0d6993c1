"""OwnTracks positions over MQTT: officers' phones publish `owntracks/<user>/<device>`."""

from __future__ import annotations

from functools import cached_property
from typing import Literal

from pydantic import BaseModel, ConfigDict

from app.adapters.mqtt_link import MqttAdapter, MqttConfig, Stored
from app.adapters.officers import Announcer
from app.adapters.owntracks.parser import Rejected, Rules, parse
from app.adapters.sinks import guarded
from app.core.adapter import AdapterConfig, Capability, Sink
from app.core.model import OfficerStatus, utc_now
from app.core.refs import IdRef


class RegionRule(BaseModel):
    model_config = ConfigDict(extra="forbid")

    enter: OfficerStatus | None = None
    leave: OfficerStatus | None = None


class OwnTracksConfig(MqttConfig):
    """`[[adapters]] kind = "owntracks"`."""

    kind: Literal["owntracks"] = "owntracks"
    topic: str = "owntracks/+/+"  # the `/event` sub-topic (transitions) is added
    devices: dict[str, str] = {}  # "user/device" -> officer id of the site file
    accept_unknown: bool = False  # True: a device not listed appears as a new officer
    regions: dict[str, RegionRule] = {}  # OwnTracks region name -> status on enter/leave

    def references(self) -> list[IdRef]:
        return [IdRef(("devices", dev), "officer", off) for dev, off in self.devices.items()]


class OwnTracksAdapter(MqttAdapter):
    kind = "owntracks"
    Config = OwnTracksConfig
    capabilities = frozenset({Capability.POSITIONS})
    description = "Officers' phones running OwnTracks, over an MQTT broker."

    def __init__(self, config: AdapterConfig) -> None:
        super().__init__(config)
        self._announcer = Announcer()

    @property
    def cfg(self) -> OwnTracksConfig:
        assert isinstance(self.config, OwnTracksConfig)
        return self.config

    @cached_property
    def rules(self) -> Rules:
        regions = {name: {k: v for k, v in (("enter", r.enter), ("leave", r.leave)) if v}
                   for name, r in self.cfg.regions.items()}
        return Rules(self.name, self.cfg.devices, self.cfg.accept_unknown, regions)

    def topics(self) -> list[str]:
        return [self.cfg.topic, self.cfg.topic.rstrip("/") + "/event"]

    def handle(self, topic: str, payload: bytes, sink: Sink) -> list[Stored]:
        result = guarded(parse, topic, payload, self.rules, utc_now())
        if isinstance(result, Rejected):
            sink.reject(result.reason, payload)
            return []
        return self.emit_all(self._announcer.filter(result), sink, self._announcer.forget)
