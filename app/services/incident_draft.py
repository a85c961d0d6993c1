"""An incident drafted from an alarm: what a chief wants to look at when they replay it.

- the range: from the alarm's raising minus a margin to its last change plus the margin
  (an alarm still open: up to now);
- the cameras: the alarm's own, then the fixed cameras that saw its place (nearest first);
- the officers: the one it is about, the one assigned to it, then those nearest to its
  place when it was raised; and their body cams (replayed from the body-cam system).

The chief changes any of it in the incident dialog before saving.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from app.core.incident import DEFAULT_MARGIN, Incident
from app.core.model import Alarm, Camera, CameraKind, Officer, PositionFix
from app.services.geo import distance_m, nearest_cameras

NEAR_CAMERAS = 4  # fixed cameras around the alarm's place
NEAR_OFFICERS = 3  # officers nearest to it when it was raised
MAX_CAMERAS = 9  # a 3x3 replay wall


def draft_from_alarm(alarm: Alarm, cameras: Mapping[str, Camera],
                     officers: Mapping[str, Officer], fixes: Mapping[str, PositionFix],
                     now: datetime, margin: timedelta = DEFAULT_MARGIN,
                     title: str = "") -> Incident:
    """`fixes`: where the officers were when the alarm was raised (ReplayHistory.fixes_at)."""
    last = now if alarm.is_open else (alarm.history[-1].time if alarm.history
                                      else alarm.raised_at)
    start = alarm.raised_at - margin
    end = max(min(now, max(last, alarm.raised_at) + margin), start + timedelta(seconds=1))

    chosen_officers: list[str] = [o for o in (alarm.officer_id, alarm.assigned_to)
                                  if o and o in officers]
    if alarm.position is not None:
        placed = [(distance_m(alarm.position, f.position), oid) for oid, f in fixes.items()
                  if oid in officers and oid not in chosen_officers]
        chosen_officers += [oid for _, oid in sorted(placed)[:NEAR_OFFICERS]]

    chosen: list[str] = [c for c in alarm.camera_ids if c in cameras]
    if alarm.position is not None:
        fixed = [c for c in cameras.values() if c.kind is CameraKind.FIXED]
        chosen += [c.id for c in nearest_cameras(alarm.position, fixed, NEAR_CAMERAS)
                   if c.id not in chosen]
    for oid in chosen_officers:
        body = officers[oid].body_camera_id
        if body and body in cameras and body not in chosen:
            chosen.append(body)
    return Incident(title or alarm.title, start, end, tuple(chosen[:MAX_CAMERAS]),
                    tuple(chosen_officers), alarm_id=alarm.id)
