"""Who the officers of an export are and where they were in its range.

Shared by the tracks, the map image and the report so that the three say the same thing:
a track holds the fixes inside [start, end] only (the replay's look-back before the range
is not evidence of the range), and an officer asked for who has none is said to have
"no position in range", never silently dropped.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from app.core.model import PositionFix
from app.core.site import Site
from app.services.replay_history import ReplayHistory


def callsigns(site: Site, known: Mapping[str, str] | None = None) -> dict[str, str]:
    """Officer id -> callsign: the site file's officers, then those the caller knows
    (an adapter announces its own officers: the demo's are not in the site file)."""
    out = {o.id: o.callsign for o in site.officers}
    out.update(known or {})
    return out


def label(officer_id: str, names: Mapping[str, str]) -> str:
    """How every document names an officer: "callsign (id)", or the id alone."""
    name = names.get(officer_id, "")
    return f"{name} ({officer_id})" if name and name != officer_id else officer_id


def fixes_in_range(history: ReplayHistory, officer_id: str, start: datetime | None = None,
                   end: datetime | None = None) -> list[PositionFix]:
    """The officer's fixes in [start, end] (default: the history's range), in time order."""
    lo, hi = start or history.start, end or history.end
    span = hi - lo + timedelta(microseconds=1)  # trail is (t - span, t]
    return history.trail(officer_id, hi, span)
