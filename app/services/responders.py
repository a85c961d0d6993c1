"""Who can be sent to an alarm: one rule for the map's suggestion, the detail panel's nearest
officers and the assign dialog (before, each listed everyone, and the officer in emergency
was offered for his own weapon-drawn alarm, "Assign, 0 m").

An officer can respond to an alarm when:
- they are not its subject: the officer whose weapon was drawn, or who pressed the
  emergency button, needs help and cannot bring it;
- their status lets them go: available, or busy on a routine task the operator may divert
  them from. Not in emergency (they need help), not on an intervention (engaged on scene),
  not off duty.
A distance, and so a place in the "nearest" list and a suggestion, needs a fresh position:
a fix older than the site's `map.stale_after_s` says where the officer was, not where they
are. The assign dialog still lists able officers without one (reached by radio), after the
others, never preselected.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from app.core.model import Alarm, LatLon, Officer, OfficerStatus, PositionFix
from app.services.geo import distance_m

# Statuses from which an officer can be sent (busy: diverted from a routine task).
CAN_GO = {OfficerStatus.AVAILABLE: 0, OfficerStatus.BUSY: 1}


@dataclass(frozen=True, slots=True)
class Responder:
    officer: Officer
    distance_m: float | None  # None: no fresh position

    @property
    def suggestible(self) -> bool:
        return self.distance_m is not None and self.officer.status is OfficerStatus.AVAILABLE


def can_respond(officer: Officer, alarm: Alarm) -> bool:
    return officer.id != alarm.officer_id and officer.status in CAN_GO


def fresh_positions(fixes: Mapping[str, PositionFix], now: datetime,
                    stale_after_s: float | None) -> dict[str, LatLon]:
    """Positions not older than `stale_after_s` (None: every one, e.g. in a replay)."""
    return {oid: f.position for oid, f in fixes.items()
            if stale_after_s is None or (now - f.time).total_seconds() <= stale_after_s}


def responders(alarm: Alarm, officers: Iterable[Officer], fixes: Mapping[str, PositionFix],
               now: datetime, stale_after_s: float | None) -> list[Responder]:
    """The officers who can respond: placed ones first (available before busy, nearest
    first), then those without a fresh position (by callsign)."""
    where = fresh_positions(fixes, now, stale_after_s)
    out = []
    for o in officers:
        if not can_respond(o, alarm):
            continue
        pos = where.get(o.id)
        d = distance_m(alarm.position, pos) if pos and alarm.position else None
        out.append(Responder(o, d))
    out.sort(key=lambda r: (r.distance_m is None, CAN_GO[r.officer.status],
                            r.distance_m or 0.0, r.officer.callsign))
    return out


def suggestion(found: Iterable[Responder]) -> Responder | None:
    """The officer to propose first: the nearest available one with a fresh position."""
    return next((r for r in found if r.suggestible), None)
