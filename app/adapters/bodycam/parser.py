"""The generic body-cam platform's event messages -> events. Pure: fuzzed.

Shape (documented in the README): MQTT topic `<prefix>/<device>/event` (or an HTTP POST
body with a `device` field), JSON
`{"id": "evt-1", "type": "weapon_drawn", "time": "2026-11-21T21:40:00Z",
  "lat": 48.85, "lon": 2.35, "battery": 12}` (id, type and time required; lat/lon together;
battery in percent). Types: weapon_drawn, emergency, recording_started, recording_stopped,
live_started, live_stopped, battery_low, position.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from app.adapters.parsing import (
    Invalid,
    ParseResult,
    Rejected,
    check_size,
    iso_time,
    json_object,
    latlon,
    optional_number,
    text,
)
from app.core.events import (
    AlarmReported,
    BodyCamLiveChanged,
    CameraStatusChanged,
    Event,
    OfficerStatusChanged,
    PositionReported,
)
from app.core.model import AlarmFacts, AlarmType, OfficerStatus, PositionFix

MAX_BYTES = 8 * 1024
TYPES = ("weapon_drawn", "emergency", "recording_started", "recording_stopped",
         "live_started", "live_stopped", "battery_low", "position")


@dataclass(frozen=True)
class Device:
    officer: str
    camera: str


@dataclass(frozen=True)
class Rules:
    source: str
    devices: Mapping[str, Device] = field(default_factory=dict)
    battery_alarm: bool = False  # battery_low raises a P4 'other' alarm too


def device_of(topic: str, prefix: str) -> str:
    parts = topic.split("/")
    if len(parts) != 3 or parts[0] != prefix or not parts[1] or parts[2] != "event":
        raise Invalid(f"topic {topic[:80]!r} is not {prefix}/<device>/event")
    return parts[1]


def parse(device: str, payload: bytes, rules: Rules, now: datetime) -> ParseResult:
    try:
        return _parse(device, payload, rules, now)
    except Invalid as exc:
        return Rejected(str(exc))


def _parse(device: str, payload: bytes, rules: Rules, now: datetime) -> list[Event]:
    check_size(payload, MAX_BYTES)
    dev = rules.devices.get(device)
    if dev is None:
        raise Invalid(f"unknown device {device[:60]!r} (not in the adapter's devices table)")
    msg = json_object(payload)
    kind = msg.get("type")
    if kind not in TYPES:
        raise Invalid(f"event type {kind!r:.30} is not one of {', '.join(TYPES)}")
    event_id = text(msg.get("id"), "id", 80)
    t = iso_time(msg.get("time"), "time", now)
    has_pos = msg.get("lat") is not None or msg.get("lon") is not None
    pos = latlon(msg.get("lat"), msg.get("lon")) if has_pos else None
    battery = optional_number(msg.get("battery"), "battery", 0, 100)
    out: list[Event] = []
    if pos is not None:
        out.append(PositionReported(PositionFix(dev.officer, pos, t)))
    if kind in ("weapon_drawn", "emergency"):
        weapon = kind == "weapon_drawn"
        atype = AlarmType.WEAPON_DRAWN if weapon else AlarmType.BODYCAM_EMERGENCY
        out += [
            AlarmReported(rules.source, event_id, atype, 1, "", t, pos, (dev.camera,),
                          dev.officer, facts=AlarmFacts(atype.value, officer=dev.officer)),
            BodyCamLiveChanged(dev.camera, dev.officer, True,
                               "weapon drawn" if weapon else "emergency button", t),
            OfficerStatusChanged(dev.officer, OfficerStatus.EMERGENCY, t),
        ]
    elif kind in ("live_started", "live_stopped"):
        out.append(BodyCamLiveChanged(dev.camera, dev.officer, kind == "live_started",
                                      "platform", t))
    elif kind in ("recording_started", "recording_stopped"):
        detail = "recording" if kind == "recording_started" else ""
        out.append(CameraStatusChanged(dev.camera, True, detail, t))
    elif kind == "battery_low":
        level = f"{battery:.0f} %" if battery is not None else ""
        out.append(CameraStatusChanged(dev.camera, True,
                                       f"battery low ({level})" if level else "battery low", t))
        if rules.battery_alarm:
            facts = AlarmFacts("bodycam_battery_low", officer=dev.officer, text=level)
            out.append(AlarmReported(rules.source, event_id, AlarmType.OTHER, 4, "", t, pos,
                                     (dev.camera,), dev.officer, facts=facts))
    elif pos is None:
        raise Invalid("position event without lat/lon")
    return out
