"""Distances and the cameras near a point (straight line, metres). Who may be sent to an
alarm, nearest first, is `app.services.responders`."""

from __future__ import annotations

import math
from collections.abc import Iterable

from app.core.model import Camera, LatLon

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
