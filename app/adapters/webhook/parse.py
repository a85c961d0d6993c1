"""The webhook's JSON shape → an alarm report. Pure (the signature is checked before, by
`app.adapters.http_ingress`).

    {"id": "evt-42", "type": "gunshot", "time": "2026-11-21T21:04:05Z",
     "device": "sound-07", "title": "Gunshot, 2 impulses", "priority": 1,
     "position": {"lat": 48.8566, "lon": 2.3522}, "cameras": ["cam-hdv"], "plate": "AB-123-CD"}

`id`, `type` and `time` are required; `type` is gunshot, lpr_hit, citizen_report or other;
`device` is required too once the adapter lists `devices` (and must be one of them). `time`
is when the event happened (a sensor may deliver late, up to `max_age_s`); the signature's
timestamp is when the request was sent.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from app.core.events import AlarmReported
from app.core.model import AlarmFacts, AlarmType, LatLon

MAX_BODY = 64 * 1024
FUTURE_SKEW = timedelta(seconds=60)
# request type → (alarm type, default priority, event of app.core.alarm_words)
TYPES: dict[str, tuple[AlarmType, int, str]] = {
    "gunshot": (AlarmType.GUNSHOT, 1, "gunshot_detected"),
    "lpr_hit": (AlarmType.LPR_HIT, 2, "lpr_hit"),
    "citizen_report": (AlarmType.CITIZEN_REPORT, 3, ""),
    "other": (AlarmType.OTHER, 3, "alert"),
}
_ID = re.compile(r"^[\w.:/@-]{1,128}$")
_TEXT_MAX = 200


class Refused(ValueError):
    """Why a request body cannot become an alarm."""


@dataclass(frozen=True, slots=True)
class Device:
    """A known sensor / LPR camera / app from the adapter config: its place and cameras."""

    id: str
    name: str = ""
    position: LatLon | None = None
    camera_ids: tuple[str, ...] = ()


def _text(v: Any, field: str, required: bool = False) -> str:
    if v is None and not required:
        return ""
    if not isinstance(v, str) or not v.strip():
        raise Refused(f"{field}: expected a non-empty string")
    if len(v) > _TEXT_MAX:
        raise Refused(f"{field}: longer than {_TEXT_MAX} characters")
    return " ".join(v.split())


def _time(v: Any, now: datetime, max_age: timedelta) -> datetime:
    if not isinstance(v, str) or len(v) > 40:
        raise Refused("time: expected an ISO 8601 date-time string with a timezone")
    try:
        t = datetime.fromisoformat(v.replace("Z", "+00:00"))
    except ValueError:
        raise Refused("time: not an ISO 8601 date-time") from None
    if t.tzinfo is None or t.utcoffset() is None:
        raise Refused("time: needs a timezone (Z or +01:00)")
    if t > now + FUTURE_SKEW:
        raise Refused("time: in the future")
    if t < now - max_age:
        raise Refused("time: too old")
    return t


def _position(v: Any) -> LatLon | None:
    if v is None:
        return None
    if not isinstance(v, dict):
        raise Refused("position: expected {\"lat\": .., \"lon\": ..}")
    lat, lon = v.get("lat"), v.get("lon")
    if not (isinstance(lat, int | float) and isinstance(lon, int | float)) or isinstance(
            lat, bool) or isinstance(lon, bool):
        raise Refused("position: lat and lon must be numbers")
    try:
        return LatLon(float(lat), float(lon))
    except ValueError:
        raise Refused("position: out of range") from None


def parse_alarm(body: bytes, devices: dict[str, Device], source: str, now: datetime,
                max_age: timedelta = timedelta(hours=24)) -> AlarmReported:
    """A request body → `AlarmReported`, or `Refused` with the reason."""
    if len(body) > MAX_BODY:
        raise Refused(f"body larger than {MAX_BODY} bytes")
    try:
        doc = json.loads(body)
    except (ValueError, RecursionError):
        raise Refused("body is not JSON") from None
    if not isinstance(doc, dict):
        raise Refused("body is not a JSON object")
    source_id = doc.get("id")
    if not isinstance(source_id, str) or not _ID.match(source_id):
        raise Refused("id: expected 1-128 characters of letters, digits, . : / @ _ -")
    kind = doc.get("type")
    if not isinstance(kind, str) or kind not in TYPES:
        raise Refused(f"type: expected one of {', '.join(TYPES)}")
    atype, default_priority, event = TYPES[kind]
    when = _time(doc.get("time"), now, max_age)
    device_id = _text(doc.get("device"), "device")
    device = devices.get(device_id) if device_id else None
    if devices and device is None:
        known = ", ".join(sorted(devices)[:10]) + (", ..." if len(devices) > 10 else "")
        if not device_id:
            raise Refused(f"device: required (this webhook knows {known})")
        raise Refused(f"device: {device_id!r} is not a known device (known: {known})")
    priority = doc.get("priority", default_priority)
    if not isinstance(priority, int) or isinstance(priority, bool) or not 1 <= priority <= 4:
        raise Refused("priority: expected an integer 1..4")
    position = _position(doc.get("position")) or (device.position if device else None)
    cams = doc.get("cameras", [])
    if not isinstance(cams, list) or len(cams) > 16 or not all(
            isinstance(c, str) and _ID.match(c) for c in cams):
        raise Refused("cameras: expected a list of up to 16 camera ids")
    camera_ids = tuple(cams) or (device.camera_ids if device else ())
    # the sender's own title, as written, says what happened instead of our words
    text = _text(doc.get("title"), "title")
    facts = AlarmFacts("" if text else event, text=text, plate=_text(doc.get("plate"), "plate"),
                       place=((device.name or device.id) if device else device_id) or "")
    return AlarmReported(source=source, source_id=source_id, type=atype, priority=priority,
                         title="", facts=facts, time=when, position=position,
                         camera_ids=camera_ids)
