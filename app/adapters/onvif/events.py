"""ONVIF PullPoint notifications → alarms: motion, tampering and digital inputs. Pure.

A notification is `wsnt:NotificationMessage` with a `wsnt:Topic` (e.g.
`tns1:RuleEngine/CellMotionDetector/Motion`) and a `tt:Message` (UtcTime,
PropertyOperation, Source and Data SimpleItems). Only a state going *true* on a
`Changed` message raises an alarm: `Initialized` repeats a state that is already known.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import datetime, timedelta

from app.adapters.onvif.soap import NS, OnvifError
from app.core.events import AlarmReported
from app.core.model import AlarmFacts, AlarmType, LatLon

FUTURE_SKEW = timedelta(minutes=5)
MAX_AGE = timedelta(hours=1)
TRUE = {"true", "1", "on", "active"}
MAX_PER_PULL = 256  # we ask for 32 a pull: a device sending far more is not heard in full


@dataclass(frozen=True, slots=True)
class Notification:
    topic: str  # without its namespace prefix, e.g. "RuleEngine/CellMotionDetector/Motion"
    time: datetime
    operation: str  # Initialized, Changed, Deleted
    source: dict[str, str]
    data: dict[str, str]


@dataclass(frozen=True, slots=True)
class Place:
    """The camera a device is, for the alarm: id, name, position."""

    camera_id: str
    name: str
    position: LatLon | None = None


def _items(el: ET.Element | None) -> dict[str, str]:
    if el is None:
        return {}
    return {i.get("Name", ""): i.get("Value", "") for i in el.findall("tt:SimpleItem", NS)}


def notifications(el: ET.Element) -> list[Notification | OnvifError]:
    """PullMessagesResponse → its notifications (or why each could not be read)."""
    out: list[Notification | OnvifError] = []
    found = el.findall("wsnt:NotificationMessage", NS)
    if len(found) > MAX_PER_PULL:
        out.append(OnvifError(f"{len(found) - MAX_PER_PULL} notification(s) past the "
                              f"{MAX_PER_PULL} one pull may carry were not read"))
    for nm in found[:MAX_PER_PULL]:
        topic_el = nm.find("wsnt:Topic", NS)
        msg = nm.find("wsnt:Message/tt:Message", NS)
        if topic_el is None or msg is None or not (topic_el.text or "").strip():
            out.append(OnvifError("notification without Topic or Message"))
            continue
        topic = (topic_el.text or "").strip()
        topic = topic.split(":", 1)[1] if ":" in topic.split("/")[0] else topic
        try:
            when = datetime.fromisoformat((msg.get("UtcTime") or "").replace("Z", "+00:00"))
        except ValueError:
            out.append(OnvifError("notification UtcTime is not a date-time"))
            continue
        if when.tzinfo is None:
            out.append(OnvifError("notification UtcTime has no timezone"))
            continue
        out.append(Notification(topic[:200], when, msg.get("PropertyOperation", ""),
                                _items(msg.find("tt:Source", NS)), _items(msg.find("tt:Data", NS))))
    return out


def classify(topic: str, data: dict[str, str]) -> tuple[AlarmType, int, str] | None:
    """What a topic means for the operator; None for topics we do not raise."""
    t = topic.lower()
    active = next((v.lower() in TRUE for k, v in data.items()
                   if k in ("IsMotion", "State", "LogicalState", "IsTamper", "IsInside")), False)
    if not active:
        return None
    if "motion" in t:
        return AlarmType.VIDEO_ANALYTICS, 3, "analytics_motion"
    if "tamper" in t or "globalscenechange" in t or "signalloss" in t:
        return AlarmType.VIDEO_ANALYTICS, 2, "analytics_tampering"
    if "digitalinput" in t or "trigger/digitalinput" in t or "/relay" in t:
        return AlarmType.INTRUSION, 2, "input_active"
    return None


def to_report(n: Notification, place: Place, source: str, now: datetime
              ) -> AlarmReported | None:
    """A notification → an alarm at its camera, None when it raises none, or OnvifError."""
    if n.time > now + FUTURE_SKEW:
        raise OnvifError(f"notification time {n.time.isoformat()} is in the future")
    if n.time < now - MAX_AGE:
        raise OnvifError(f"notification time {n.time.isoformat()} is more than an hour old")
    if n.operation != "Changed":
        return None
    meaning = classify(n.topic, n.data)
    if meaning is None:
        return None
    atype, priority, event = meaning
    token = ""
    if event == "input_active":
        token = (n.source.get("InputToken") or n.source.get("RelayToken") or "?")[:40]
    stamp = n.time.strftime("%Y%m%dT%H%M%S.%f")
    return AlarmReported(source=source, source_id=f"{place.camera_id}/{n.topic}/{stamp}",
                         type=atype, priority=priority, title="",
                         facts=AlarmFacts(event, place=place.name, text=token),
                         time=n.time, position=place.position, camera_ids=(place.camera_id,))
