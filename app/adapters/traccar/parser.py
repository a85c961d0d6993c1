"""Traccar's documented JSON (https://www.traccar.org/api-reference/) -> events. Pure:
fuzzed.

`/api/devices`: `[{"id": 1, "name": "PM 11", "uniqueId": "860..."}]`.
`/api/positions` and the socket's `positions`: `{"deviceId": 1, "fixTime": ISO,
"latitude", "longitude", "speed" (knots), "course", "accuracy", "valid", "outdated"}`.
The socket (`/api/socket`) sends `{"devices": [...], "positions": [...], "events": [...]}`;
an `alarm` event with `attributes.alarm == "sos"` is a tracker's panic button.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from app.adapters.officers import announce
from app.adapters.parsing import (
    MAX_SPEED_MPS,
    Invalid,
    Rejected,
    iso_time,
    latlon,
    number,
    optional_number,
    resolve_officer,
    text,
)
from app.core.events import AlarmReported, Event, OfficerStatusChanged, PositionReported
from app.core.model import AlarmFacts, AlarmType, OfficerStatus, PositionFix

MAX_MESSAGE_BYTES = 4 * 1024 * 1024  # a socket message may carry every device's position
MAX_ITEMS = 10_000
KNOT_MPS = 0.514444


@dataclass(frozen=True)
class Device:
    id: int
    unique_id: str
    name: str


@dataclass(frozen=True)
class Rules:
    source: str
    devices: Mapping[str, str] = field(default_factory=dict)  # uniqueId -> officer id
    accept_unknown: bool = False


@dataclass
class Batch:
    """What one REST answer or socket message turned into (each bad item is one reject)."""

    devices: list[Device] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    rejects: list[str] = field(default_factory=list)


def decode(raw: bytes | str, what: str) -> object:
    if len(raw) > MAX_MESSAGE_BYTES:
        raise Invalid(f"{what} of {len(raw)} bytes is over the limit")
    try:
        return json.loads(raw)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise Invalid(f"{what} is not JSON") from None


def _items(value: object, what: str) -> list[object]:
    if not isinstance(value, list) or len(value) > MAX_ITEMS:
        raise Invalid(f"{what} is not a list (or is too long)")
    return value


def _int_id(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < 2**63:
        raise Invalid(f"{what} is not a positive integer id")
    return value


def device(item: object) -> Device:
    if not isinstance(item, dict):
        raise Invalid("device is not an object")
    return Device(_int_id(item.get("id"), "device id"),
                  text(item.get("uniqueId"), "uniqueId", 100),
                  text(item.get("name"), "name", 100, required=False))


def position(item: object, known: Mapping[int, Device], rules: Rules,
             now: datetime) -> list[Event]:
    if not isinstance(item, dict):
        raise Invalid("position is not an object")
    dev = known.get(_int_id(item.get("deviceId"), "deviceId"))
    if dev is None:
        raise Invalid(f"position of unknown Traccar device {item.get('deviceId')!r:.20}")
    if item.get("valid") is False:
        raise Invalid(f"device {dev.unique_id!r}: position without a valid fix")
    if item.get("outdated") is True:
        return []
    officer = resolve_officer(dev.unique_id, rules.devices, rules.accept_unknown, rules.source)
    knots = optional_number(item.get("speed"), "speed", 0, MAX_SPEED_MPS / KNOT_MPS)
    fix = PositionFix(
        officer_id=officer,
        position=latlon(item.get("latitude"), item.get("longitude")),
        time=iso_time(item.get("fixTime"), "fixTime", now),
        heading_deg=optional_number(item.get("course"), "course", 0, 360),
        speed_mps=None if knots is None else knots * KNOT_MPS,
        accuracy_m=optional_number(item.get("accuracy"), "accuracy", 0, 100_000) or None,
    )
    out: list[Event] = []
    if dev.unique_id not in rules.devices:
        out.append(announce(officer, dev.name or dev.unique_id[:20], "Traccar", rules.source))
    out.append(PositionReported(fix))
    return out


def sos(item: object, known: Mapping[int, Device], rules: Rules, now: datetime) -> list[Event]:
    """A tracker's SOS alarm event -> a P1 alarm about its wearer (other events: nothing)."""
    if not isinstance(item, dict):
        raise Invalid("event is not an object")
    attrs = item.get("attributes")
    if item.get("type") != "alarm" or not isinstance(attrs, dict) or attrs.get("alarm") != "sos":
        return []
    dev = known.get(_int_id(item.get("deviceId"), "deviceId"))
    if dev is None:
        raise Invalid("SOS from an unknown Traccar device")
    officer = resolve_officer(dev.unique_id, rules.devices, rules.accept_unknown, rules.source)
    event_id = int(number(item.get("id"), "event id"))
    t = iso_time(item.get("eventTime"), "eventTime", now)
    facts = AlarmFacts("tracker_sos", place=dev.name or dev.unique_id)
    return [AlarmReported(rules.source, f"event-{event_id}", AlarmType.OTHER, 1, "", t,
                          officer_id=officer, facts=facts),
            OfficerStatusChanged(officer, OfficerStatus.EMERGENCY, t)]


def devices_list(raw: bytes | str) -> Batch | Rejected:
    """The answer of GET /api/devices."""
    try:
        items = _items(decode(raw, "/api/devices"), "/api/devices")
    except Invalid as exc:
        return Rejected(str(exc))
    batch = Batch()
    for it in items:
        try:
            batch.devices.append(device(it))
        except Invalid as exc:
            batch.rejects.append(str(exc))
    return batch


def message(raw: bytes | str, known: Mapping[int, Device], rules: Rules,
            now: datetime, what: str = "socket message") -> Batch | Rejected:
    """A socket message, or (as `{"positions": [...]}`) the answer of GET /api/positions.
    Devices in the message are learnt before its positions are read."""
    try:
        msg = decode(raw, what)
        if not isinstance(msg, dict):
            raise Invalid(f"{what} is not a JSON object")
        batch = Batch()
        for it in _items(msg.get("devices", []), "devices"):
            try:
                batch.devices.append(device(it))
            except Invalid as exc:
                batch.rejects.append(str(exc))
        all_known = {**known, **{d.id: d for d in batch.devices}}
        for key, fn in (("positions", position), ("events", sos)):
            for it in _items(msg.get(key, []), key):
                try:
                    batch.events += fn(it, all_known, rules, now)
                except Invalid as exc:
                    batch.rejects.append(str(exc))
        return batch
    except Invalid as exc:
        return Rejected(str(exc))
