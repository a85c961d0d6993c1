"""Distances and the nearest officers/cameras to a point (straight line, metres)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from app.core.model import Camera, LatLon, Officer, OfficerStatus

EARTH_RADIUS_M = 6_371_008.8


def distance_m(a: LatLon, b: LatLon) -> float:
    """Haversine great-circle distance."""
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    dp, dl = p2 - p1, math.radians(b.lon - a.lon)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def bearing_deg(a: LatLon, b: LatLon) -> float:
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    dl = math.radians(b.lon - a.lon)
    x = math.sin(dl) * math.cos(p2)
    y = math.cos(p1) * math.sin(p2) - math.sin(p1) * math.cos(p2) * math.cos(dl)
    return (math.degrees(math.atan2(x, y)) + 360) % 360


@dataclass(frozen=True, slots=True)
class Nearby:
    officer: Officer
    distance_m: float


AVAILABLE_FIRST = {
    OfficerStatus.AVAILABLE: 0, OfficerStatus.BUSY: 1, OfficerStatus.INTERVENTION: 2,
    OfficerStatus.EMERGENCY: 3, OfficerStatus.OFF_DUTY: 4,
}


def nearest_officers(point: LatLon, officers: Iterable[Officer],
                     positions: Mapping[str, LatLon], limit: int = 5) -> list[Nearby]:
    """Officers with a known position, nearest first; off-duty officers left out."""
    found = [
        Nearby(o, distance_m(point, positions[o.id]))
        for o in officers
        if o.id in positions and o.status is not OfficerStatus.OFF_DUTY
    ]
    found.sort(key=lambda n: n.distance_m)
    return found[:limit]


def can_see(camera: Camera, point: LatLon) -> bool:
    """A fixed camera sees a point within its range and opening angle."""
    if camera.position is None or camera.fov is None:
        return False
    if distance_m(camera.position, point) > camera.fov.range_m:
        return False
    diff = abs((bearing_deg(camera.position, point) - camera.fov.heading_deg + 180) % 360 - 180)
    return diff <= camera.fov.angle_deg / 2


def nearest_cameras(point: LatLon, cameras: Iterable[Camera], limit: int = 4) -> list[Camera]:
    """Fixed cameras that can see the point first, then the others by distance."""
    placed = [c for c in cameras if c.position is not None]
    placed.sort(key=lambda c: (not can_see(c, point), distance_m(point, c.position)))  # type: ignore[arg-type]
    return placed[:limit]
