"""OwnTracks JSON (https://owntracks.org/booklet/tech/json/) -> events. Pure: fuzzed.

Topic `owntracks/<user>/<device>` carries `location` messages; `.../event` carries
`transition` messages (entering/leaving a region). A location becomes a PositionReported;
a transition is also a fix, and when the site maps the region to a status (e.g. entering
"Poste" means off duty) an OfficerStatusChanged.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from app.adapters.officers import announce
from app.adapters.parsing import (
    MAX_SPEED_MPS,
    Invalid,
    ParseResult,
    Rejected,
    check_size,
    epoch_time,
    json_object,
    latlon,
    optional_number,
    resolve_officer,
    text,
)
from app.core.events import Event, OfficerStatusChanged, PositionReported
from app.core.model import OfficerStatus, PositionFix

MAX_BYTES = 16 * 1024
IGNORED_TYPES = frozenset({"waypoint", "waypoints", "card", "lwt", "status", "cmd",
                           "configuration", "beacon", "steps", "dump"})


@dataclass(frozen=True)
class Rules:
    """What the adapter's config says about devices and regions."""

    source: str
    devices: Mapping[str, str] = field(default_factory=dict)  # "user/device" -> officer id
    accept_unknown: bool = False
    region_status: Mapping[str, Mapping[str, OfficerStatus]] = field(default_factory=dict)


def device_of(topic: str) -> str:
    parts = topic.split("/")
    if len(parts) not in (3, 4) or parts[0] != "owntracks" or not all(parts[:3]):
        raise Invalid(f"topic {topic[:80]!r} is not owntracks/<user>/<device>[/event]")
    if len(parts) == 4 and parts[3] != "event":
        raise Invalid(f"topic {topic[:80]!r}: only location and event topics are read")
    return f"{parts[1]}/{parts[2]}"


def parse(topic: str, payload: bytes, rules: Rules, now: datetime) -> ParseResult:
    try:
        return _parse(topic, payload, rules, now)
    except Invalid as exc:
        return Rejected(str(exc))


def _parse(topic: str, payload: bytes, rules: Rules, now: datetime) -> list[Event]:
    check_size(payload, MAX_BYTES)
    device = device_of(topic)
    msg = json_object(payload)
    kind = msg.get("_type")
    if not isinstance(kind, str):
        raise Invalid("_type is missing or not text")
    if kind in IGNORED_TYPES:
        return []
    if kind == "encrypted":
        raise Invalid("encrypted payload: the console has no key (turn encryption off "
                      "in the app, the broker connection carries TLS)")
    if kind not in ("location", "transition"):
        raise Invalid(f"unknown _type {kind!r:.40}")
    officer = resolve_officer(device, rules.devices, rules.accept_unknown, rules.source)
    fix = PositionFix(
        officer_id=officer,
        position=latlon(msg.get("lat"), msg.get("lon")),
        time=epoch_time(msg.get("tst"), "tst", now),
        heading_deg=optional_number(msg.get("cog"), "cog", 0, 360),
        speed_mps=_speed(msg.get("vel")),
        accuracy_m=optional_number(msg.get("acc"), "acc", 0, 100_000),
    )
    events: list[Event] = []
    if officer not in rules.devices.values():
        tid = text(msg.get("tid"), "tid", 8, required=False) or device.split("/")[-1][:8]
        events.append(announce(officer, tid, device, rules.source))
    events.append(PositionReported(fix))
    if kind == "transition":
        events += _transition(msg, officer, fix.time, rules)
    return events


def _speed(vel: object) -> float | None:
    kmh = optional_number(vel, "vel", 0, MAX_SPEED_MPS * 3.6)
    return None if kmh is None else kmh / 3.6


def _transition(msg: dict[str, object], officer: str, t: datetime,
                rules: Rules) -> list[Event]:
    event = msg.get("event")
    if event not in ("enter", "leave"):
        raise Invalid(f"transition event {event!r:.20} is neither enter nor leave")
    region = text(msg.get("desc"), "desc", 120, required=False)
    status = rules.region_status.get(region, {}).get(str(event))
    return [] if status is None else [OfficerStatusChanged(officer, status, t)]
