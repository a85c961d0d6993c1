"""Patrol sectors and geofences: notices officers entering or leaving them.

Zones come from the site file's `sectors_geojson` (polygons with properties `name`, `kind`
"sector" | "geofence", and `notify` "enter" | "leave" | "both" | "none"; geofences notify
both ways by default, sectors not at all). The service drains position fixes on its own
thread and posts `GeofenceCrossed` to the hub, which the journal writer stores. Qt-free.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from app.core.events import GeofenceCrossed, PositionReported
from app.core.hub import Hub, only
from app.core.model import LatLon

log = logging.getLogger(__name__)

Ring = Sequence[tuple[float, float]]  # (lon, lat), GeoJSON order


@dataclass(frozen=True, slots=True)
class Zone:
    id: str
    name: str
    kind: str  # "sector" | "geofence"
    polygons: tuple[tuple[Ring, ...], ...]  # each: outer ring, then holes
    on_enter: bool
    on_leave: bool
    bbox: tuple[float, float, float, float]  # west, south, east, north

    def contains(self, p: LatLon) -> bool:
        w, s, e, n = self.bbox
        if not (w <= p.lon <= e and s <= p.lat <= n):
            return False
        for rings in self.polygons:
            if rings and _in_ring(p, rings[0]) and not any(_in_ring(p, h) for h in rings[1:]):
                return True
        return False


def _in_ring(p: LatLon, ring: Ring) -> bool:
    """Even-odd ray casting; good for town-sized polygons in degrees."""
    inside, x, y = False, p.lon, p.lat
    n = len(ring)
    for i in range(n):
        x1, y1 = ring[i]
        x2, y2 = ring[(i + 1) % n]
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def load_zones(path: Path) -> list[Zone]:
    """Zones of a GeoJSON FeatureCollection; features that are not polygons are skipped."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    zones = []
    for i, f in enumerate(data.get("features", [])):
        g, props = f.get("geometry") or {}, f.get("properties") or {}
        if g.get("type") == "Polygon":
            polys = [g["coordinates"]]
        elif g.get("type") == "MultiPolygon":
            polys = g["coordinates"]
        else:
            continue
        kind = str(props.get("kind", "sector"))
        notify = str(props.get("notify", "both" if kind == "geofence" else "none"))
        rings = tuple(tuple(tuple((float(c[0]), float(c[1])) for c in r) for r in poly)
                      for poly in polys)
        xs = [c[0] for poly in rings for c in poly[0]]
        ys = [c[1] for poly in rings for c in poly[0]]
        zones.append(Zone(id=str(props.get("id", f.get("id", i))), name=str(props.get("name", i)),
                          kind=kind, polygons=rings, on_enter=notify in ("enter", "both"),
                          on_leave=notify in ("leave", "both"),
                          bbox=(min(xs), min(ys), max(xs), max(ys))))
    return zones


class GeofenceTracker:
    """Which zones each officer is in; returns the crossings a new fix makes."""

    def __init__(self, zones: Sequence[Zone]) -> None:
        self.zones = [z for z in zones if z.on_enter or z.on_leave]
        self._inside: dict[str, frozenset[str]] = {}

    def update(self, officer_id: str, p: LatLon) -> list[tuple[Zone, bool]]:
        """(zone, entered) for each zone crossed since the officer's last fix. The first fix
        of an officer only records where they are: nobody 'entered' at start-up."""
        now = frozenset(z.id for z in self.zones if z.contains(p))
        before = self._inside.get(officer_id)
        self._inside[officer_id] = now
        if before is None or before == now:
            return []
        out = []
        for z in self.zones:
            if z.id in now and z.id not in before and z.on_enter:
                out.append((z, True))
            elif z.id in before and z.id not in now and z.on_leave:
                out.append((z, False))
        return out


class GeofenceService:
    """Feeds position fixes from the hub to a tracker on its own thread; posts crossings."""

    def __init__(self, hub: Hub, zones: Sequence[Zone]) -> None:
        self._hub = hub
        self.tracker = GeofenceTracker(zones)
        self._sub = hub.subscribe("geofence", only(PositionReported))
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="geofence", daemon=True)
        self.crossings = 0

    def start(self) -> None:
        if self.tracker.zones:
            self._thread.start()
        else:  # nothing to watch: do not keep a queue filling up
            self._hub.unsubscribe(self._sub)

    def _run(self) -> None:
        while not self._stop.is_set():
            if not self._sub.wait(0.5):
                continue
            for event in self._sub.drain():
                if isinstance(event, PositionReported):
                    self.process(event)

    def process(self, event: PositionReported) -> None:
        fix = event.fix
        for zone, entered in self.tracker.update(fix.officer_id, fix.position):
            self.crossings += 1
            self._hub.post(GeofenceCrossed(fix.officer_id, zone.id, zone.name, entered,
                                           fix.position, fix.time))

    def stop(self) -> None:
        self._stop.set()
        self._sub.wake()
        if self._thread.is_alive():
            self._thread.join(5)
        self._hub.unsubscribe(self._sub)


def zones_of_site(sectors_geojson: Path | None) -> list[Zone]:
    """The site's zones, or none when the site file names no sectors file."""
    return load_zones(sectors_geojson) if sectors_geojson is not None else []
