"""Milestone XProtect's documented JSON → alarm reports. Pure.

- Token (`POST /API/IDP/connect/token`):
  `{"access_token": .., "expires_in": s, "token_type": "Bearer"}`
- Alarms (`GET /API/rest/v1/alarms`): `{"array": [{"id", "name", "message", "timestamp",
  "priority": {"level": 1..}|int, "state": {"name": "New"}|int, "source": {"type", "id", "name"}}]}`
- Events WebSocket (`/API/ws/events/v1`): command replies `{"commandId", "status", ...}` and
  `{"events": [{"specversion", "id", "type", "source": "cameras/<id>", "time", "datatype"}]}`
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from app.core.events import AlarmReported
from app.core.model import AlarmType

MAX_MESSAGE = 1024 * 1024
FUTURE_SKEW = timedelta(seconds=120)
_ID = re.compile(r"^[\w.:/@{}-]{1,128}$")
_PRIORITY_NAMES = {"high": 1, "medium": 2, "low": 3}


class Refused(ValueError):
    """Why a piece of a Milestone answer cannot become an event. `key` names the piece
    when it comes back at every poll (an alarm of the REST list), so that it is counted
    once, not once a poll."""

    key: str = ""


@dataclass(frozen=True, slots=True)
class Mapped:
    """What one Milestone event type becomes, from the adapter config."""

    type: AlarmType
    priority: int
    title: str


def _load(body: bytes | str) -> Any:
    if len(body) > MAX_MESSAGE:
        raise Refused(f"message larger than {MAX_MESSAGE} bytes")
    try:
        return json.loads(body)
    except (ValueError, RecursionError):
        raise Refused("not JSON") from None


def parse_token(body: bytes | str) -> tuple[str, float]:
    """(bearer token, seconds it lasts) from the IDP's answer."""
    doc = _load(body)
    if not isinstance(doc, dict):
        raise Refused("token answer is not an object")
    token, expires = doc.get("access_token"), doc.get("expires_in", 3600)
    if not isinstance(token, str) or not token or len(token) > 8192:
        raise Refused("token answer has no access_token")
    if not isinstance(expires, int | float) or isinstance(expires, bool) or expires <= 0:
        raise Refused("token answer has no valid expires_in")
    return token, float(expires)


def _time(v: Any, now: datetime) -> datetime:
    if not isinstance(v, str) or len(v) > 40:
        raise Refused("time: expected an ISO 8601 string")
    try:
        t = datetime.fromisoformat(v.replace("Z", "+00:00"))
    except ValueError:
        raise Refused("time: not ISO 8601") from None
    if t.tzinfo is None:
        raise Refused("time: no timezone")
    if t > now + FUTURE_SKEW:
        raise Refused("time: in the future")
    return t


def _priority(v: Any) -> int:
    if isinstance(v, dict):
        v = v.get("level", v.get("name"))
    if isinstance(v, str):
        return _PRIORITY_NAMES.get(v.lower(), 2)
    if isinstance(v, int) and not isinstance(v, bool):
        return min(4, max(1, v))
    return 2


def _state_is_new(v: Any) -> bool:
    if isinstance(v, dict):
        v = v.get("name", v.get("level"))
    return v in (None, 1, "New", "new")


def _camera(source: Any, camera_map: dict[str, str]) -> tuple[str, ...]:
    sid = source.get("id") if isinstance(source, dict) else source
    if isinstance(sid, str):
        sid = sid.rsplit("/", 1)[-1]
        return (camera_map[sid],) if sid in camera_map else ()
    return ()


def parse_alarm(item: Any, source: str, camera_map: dict[str, str],
                now: datetime) -> AlarmReported | None:
    """One element of `array`: a report for a New alarm, None for one already handled."""
    if not isinstance(item, dict):
        raise Refused("alarm is not an object")
    aid = item.get("id")
    if not isinstance(aid, str) or not _ID.match(aid):
        raise Refused("alarm has no valid id")
    if not _state_is_new(item.get("state")):
        return None
    title = item.get("message") or item.get("name")
    if not isinstance(title, str) or not title.strip():
        raise Refused(f"alarm {aid}: no name or message")
    src = item.get("source")
    src_name = src.get("name") if isinstance(src, dict) else None
    text = " ".join(title.split())[:160]
    if isinstance(src_name, str) and src_name.strip():
        text = f"{text} ({' '.join(src_name.split())[:60]})"
    return AlarmReported(source=source, source_id=f"alarm:{aid}", type=AlarmType.VIDEO_ANALYTICS,
                         priority=_priority(item.get("priority")), title=f"XProtect: {text}",
                         time=_time(item.get("timestamp") or item.get("time"), now),
                         camera_ids=_camera(src, camera_map))


def _fingerprint(item: Any) -> str:
    """The same broken alarm in every poll has the same fingerprint."""
    raw = json.dumps(item, sort_keys=True, default=str, ensure_ascii=False)
    return "refused:" + hashlib.sha1(raw.encode(), usedforsecurity=False).hexdigest()


def parse_alarms(body: bytes | str, source: str, camera_map: dict[str, str],
                 now: datetime) -> list[AlarmReported | Refused]:
    """The alarm list: one report (or the reason it was refused) per New alarm."""
    doc = _load(body)
    items = doc.get("array") if isinstance(doc, dict) else None
    if not isinstance(items, list):
        raise Refused("alarm list has no 'array'")
    out: list[AlarmReported | Refused] = []
    for item in items[:1000]:
        try:
            report = parse_alarm(item, source, camera_map, now)
        except Refused as exc:
            exc.key = _fingerprint(item)
            out.append(exc)
            continue
        if report is not None:
            out.append(report)
    return out


def parse_ws(text: str | bytes, source: str, event_types: dict[str, Mapped],
             camera_map: dict[str, str], now: datetime
             ) -> tuple[dict[str, Any] | None, list[AlarmReported | Refused]]:
    """One WebSocket message: (a command reply, or None) and the alarms its events raise.
    Events of a type the config does not map are ignored, not refused."""
    doc = _load(text)
    if not isinstance(doc, dict):
        raise Refused("WebSocket message is not an object")
    if "commandId" in doc:
        return doc, []
    events = doc.get("events")
    if not isinstance(events, list):
        raise Refused("WebSocket message has neither commandId nor events")
    out: list[AlarmReported | Refused] = []
    for ev in events[:1000]:
        if not isinstance(ev, dict):
            out.append(Refused("event is not an object"))
            continue
        mapped = event_types.get(str(ev.get("type", "")).lower())
        if mapped is None:
            continue
        eid = ev.get("id")
        if not isinstance(eid, str) or not _ID.match(eid):
            out.append(Refused("event has no valid id"))
            continue
        try:
            when = _time(ev.get("time"), now)
        except Refused as exc:
            out.append(exc)
            continue
        cams = _camera(ev.get("source"), camera_map)
        out.append(AlarmReported(source=source, source_id=f"event:{eid}", type=mapped.type,
                                 priority=mapped.priority, title=mapped.title, time=when,
                                 camera_ids=cams))
    return None, out
