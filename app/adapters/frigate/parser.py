"""Frigate NVR events (https://docs.frigate.video/integrations/mqtt#frigateevents) ->
video-analytics alarms. Pure: fuzzed.

`frigate/events` carries `{"type": "new"|"update"|"end", "before": {...}, "after": {...}}`.
A tracked object that passes the site's filters (label, score, zones) becomes one
AlarmReported keyed by Frigate's event id, linked to the console cameras the site maps its
Frigate camera to (the alarm takes their position), titled with what was recognised (a
name, a licence plate); `update` can raise it when an object only later
meets the filters (enters a watched zone); `end` raises nothing (the operator closes the
alarm). Titles are French: they are field data, not UI strings.
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
    epoch_time,
    json_object,
    number,
    text,
)
from app.core.events import AlarmReported, Event
from app.core.model import AlarmFacts, AlarmType

MAX_BYTES = 64 * 1024
NAME_MAX = 40  # a recognised name or plate, in the title
# Frigate's labels with words of our own (app.core.alarm_words); others are shown as written
LABEL_EVENTS = {label: f"object_{label}"
                for label in ("person", "car", "motorcycle", "bicycle", "dog", "bus", "truck")}


@dataclass(frozen=True)
class Rules:
    source: str
    cameras: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # frigate -> ours
    labels: frozenset[str] = frozenset()  # empty: every label
    min_score: float = 0.0
    zones: frozenset[str] = frozenset()  # non-empty: only objects that entered one of them
    priority: int = 3


def _name(value: object) -> str:
    """A recognised name or plate: text, or Frigate's [text, score] (sub_label since 0.14,
    recognized_license_plate since 0.16). Decoration of the title: cleaned and cut, or
    left out, never a reason to lose the alarm."""
    if isinstance(value, (list, tuple)) and value:
        value = value[0]
    if not isinstance(value, str):
        return ""
    return "".join(c for c in value if c.isprintable()).strip()[:NAME_MAX]


def parse(payload: bytes, rules: Rules, now: datetime) -> ParseResult:
    try:
        return _parse(payload, rules, now)
    except Invalid as exc:
        return Rejected(str(exc))


def _parse(payload: bytes, rules: Rules, now: datetime) -> list[Event]:
    check_size(payload, MAX_BYTES)
    msg = json_object(payload)
    kind = msg.get("type")
    if kind not in ("new", "update", "end"):
        raise Invalid(f"event type {kind!r:.30} is not new, update or end")
    after = msg.get("after")
    if not isinstance(after, dict):
        raise Invalid("event has no `after` object")
    event_id = text(after.get("id"), "id", 80)
    camera = text(after.get("camera"), "camera", 80)
    if camera not in rules.cameras:
        raise Invalid(f"camera {camera!r} is not in the adapter's cameras table")
    label = text(after.get("label"), "label", 40)
    score = number(after.get("top_score", after.get("score", 0.0)), "top_score")
    if not 0.0 <= score <= 1.0:
        raise Invalid(f"score {score:g} is not within 0..1")
    entered = after.get("entered_zones", [])
    if not isinstance(entered, list) or not all(isinstance(z, str) for z in entered):
        raise Invalid("entered_zones is not a list of names")
    start = epoch_time(after.get("start_time"), "start_time", now)
    if kind == "end" or after.get("false_positive") is True:
        return []
    if rules.labels and label not in rules.labels:
        return []
    if score < rules.min_score or (rules.zones and not rules.zones.intersection(entered)):
        return []
    name = _name(after.get("sub_label"))
    plate = _name(after.get("recognized_license_plate"))
    event = LABEL_EVENTS.get(label, "analytics_detection")
    what = name if event != "analytics_detection" else " ".join(filter(None, (label, name)))
    facts = AlarmFacts(event, text=what, plate=plate if plate != name else "", place=camera,
                       zone=", ".join(entered[:4]))
    return [AlarmReported(source=rules.source, source_id=event_id,
                          type=AlarmType.VIDEO_ANALYTICS, priority=rules.priority,
                          title="", facts=facts, time=start, camera_ids=rules.cameras[camera])]
