"""What a DC-09 frame says: Contact ID (ADM-CID) and SIA (SIA-DCS) event codes → an alarm
for a known building, or nothing (tests, openings, restores), or a reason to refuse. Pure."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from app.adapters.sia_dc09.frame import Frame
from app.adapters.sia_dc09.identity import condition_id, message_id
from app.core.events import AlarmReported
from app.core.model import AlarmFacts, AlarmType, LatLon

_CID = re.compile(r"^#?(?P<acct>[0-9A-F]{3,16})?\|(?P<q>[136])(?P<code>\d{3}) "
                  r"(?P<area>[0-9A-F]{2}) (?P<zone>[0-9A-F]{3})$")
_SIA = re.compile(r"^#?(?P<acct>[0-9A-F]{3,16})?\|N?(?:ri(?P<area>\d{1,3})/?)?"
                  r"(?:id\d{1,4}/?)?(?:ti\d{1,2}:\d{2}/?)?(?P<code>[A-Z]{2})(?P<zone>\d{0,4})")

# Contact ID event families (first two digits) → (type, priority, event of alarm_words).
_CID_FAMILIES: dict[str, tuple[AlarmType, int, str]] = {
    "10": (AlarmType.OTHER, 1, "panel_medical"),
    "11": (AlarmType.OTHER, 1, "panel_fire"),
    "12": (AlarmType.INTRUSION, 1, "panel_duress"),
    "13": (AlarmType.INTRUSION, 2, "panel_burglary"),
    "14": (AlarmType.INTRUSION, 2, "panel_general"),
    "15": (AlarmType.OTHER, 3, "panel_24h"),
    "16": (AlarmType.OTHER, 3, "panel_24h"),
    "38": (AlarmType.OTHER, 3, "panel_sensor_trouble"),
    "13X": (AlarmType.INTRUSION, 3, "panel_tamper"),
}
# SIA two-letter codes that are alarms; the rest (openings, tests, troubles) are not raised.
_SIA_CODES: dict[str, tuple[AlarmType, int, str]] = {
    "BA": (AlarmType.INTRUSION, 2, "panel_burglary"),
    "BV": (AlarmType.INTRUSION, 2, "panel_burglary_verified"),
    "PA": (AlarmType.INTRUSION, 1, "panel_panic"),
    "HA": (AlarmType.INTRUSION, 1, "panel_hold_up"),
    "DF": (AlarmType.INTRUSION, 2, "panel_door_forced"),
    "FA": (AlarmType.OTHER, 1, "panel_fire"),
    "MA": (AlarmType.OTHER, 1, "panel_medical"),
    "TA": (AlarmType.INTRUSION, 3, "panel_tamper"),
    "GA": (AlarmType.OTHER, 2, "panel_gas"),
    "WA": (AlarmType.OTHER, 3, "panel_water"),
}


@dataclass(frozen=True, slots=True)
class Building:
    """One alarm panel's place, from the adapter's `[[adapters.accounts]]` table."""

    account: str
    name: str
    position: LatLon | None = None
    camera_ids: tuple[str, ...] = ()
    zones: tuple[tuple[str, str], ...] = ()  # (zone number without leading zeros, name)

    def zone_name(self, zone: str) -> str:
        z = zone.lstrip("0") or "0"
        return dict(self.zones).get(z, f"zone {z}")


@dataclass(frozen=True, slots=True)
class Signal:
    """A frame's meaning before it is tied to a building."""

    code: str
    zone: str
    area: str
    restore: bool
    alarm: tuple[AlarmType, int, str] | None  # None: not an alarm (test, opening, trouble)


class Refused(ValueError):
    """Why the frame's content cannot become an event."""


def read_signal(frame: Frame) -> Signal:
    """The event code of an ADM-CID or SIA-DCS frame."""
    if frame.token == "ADM-CID":
        m = _CID.match(frame.data)
        if m is None:
            raise Refused("Contact ID data is not |QEEE GG ZZZ")
        code = m["code"]
        family = _CID_FAMILIES.get(code[:2])
        if code == "137":  # box tamper sits among burglary codes
            family = _CID_FAMILIES["13X"]
        return Signal(code, m["zone"], m["area"], m["q"] == "3", family)
    if frame.token == "SIA-DCS":
        m = _SIA.match(frame.data)
        if m is None:
            raise Refused("SIA data has no two-letter event code")
        code = m["code"]
        restore = code[1] == "R" and code not in _SIA_CODES
        return Signal(code, m["zone"] or "0", m["area"] or "0", restore, _SIA_CODES.get(code))
    raise Refused(f"no event in a {frame.token} frame")


def to_report(frame: Frame, buildings: dict[str, Building], source: str,
              received_at: datetime) -> AlarmReported | None:
    """The alarm a frame raises at its building, None when it raises none (supervision,
    restore, opening/closing, test), or `Refused`. `received_at` is only the alarm's time
    when the frame carries none: it never enters an identity (see identity.py)."""
    building = buildings.get(frame.account)
    if building is None:
        raise Refused(f"unknown account {frame.account!r} (not in this adapter's accounts)")
    if frame.token == "NULL":
        return None
    signal = read_signal(frame)
    if signal.restore or signal.alarm is None:
        return None
    atype, priority, event = signal.alarm
    zone = building.zone_name(signal.zone)
    return AlarmReported(
        source=source,
        source_id=condition_id(frame, signal.code, signal.area, signal.zone),
        message_id=message_id(frame),
        type=atype, priority=priority,
        title="", facts=AlarmFacts(event, place=building.name, zone=zone),
        time=frame.timestamp or received_at,
        position=building.position, camera_ids=building.camera_ids,
    )
