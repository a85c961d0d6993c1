"""Feeds the map from the bridge: converts domain objects into the page's small JSON items,
one batch per bridge tick (never one call per marker)."""

from __future__ import annotations

import contextlib
import logging
import time
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QTimer

from app.core.model import Alarm, Camera, CameraKind, Officer, PositionFix
from app.core.site import Site
from app.ui.bridge import HubBridge
from app.ui.labels import alarm_title
from app.ui.map_alarms import MapAlarms
from app.ui.settings import settings, slug
from app.ui.world import Health
from maps.sources import MapSources, resolve_sources
from maps.view import MapView

log = logging.getLogger(__name__)

ALARM_PERIOD_MS = 500  # in a storm, the map's alarms change at most twice a second


def officer_item(o: Officer, fix: PositionFix | None, live: bool) -> dict[str, object] | None:
    if fix is None:
        return None
    return {"id": o.id, "callsign": o.callsign, "lat": fix.position.lat,
            "lon": fix.position.lon, "status": o.status.value, "heading": fix.heading_deg,
            "live": live, "t": round(fix.time.timestamp() * 1000)}


def camera_item(c: Camera, online: bool | None) -> dict[str, object] | None:
    """A fixed camera for the page; `online` None: not known yet (drawn apart)."""
    if c.kind is not CameraKind.FIXED or c.position is None:
        return None
    fov = c.fov
    return {"id": c.id, "name": c.name, "lat": c.position.lat, "lon": c.position.lon,
            "heading": fov.heading_deg if fov else None, "angle": fov.angle_deg if fov else 0,
            "range": fov.range_m if fov else 0, "online": online}


def alarm_item(a: Alarm) -> dict[str, object] | None:
    if a.position is None:
        return None
    return {"id": a.id, "lat": a.position.lat, "lon": a.position.lon, "priority": a.priority,
            "title": alarm_title(a), "state": a.state.value}


class MapFeed(QObject):
    """Connects the bridge's batches to a MapView."""

    def __init__(self, view: MapView, bridge: HubBridge, site: Site) -> None:
        super().__init__(view)
        self.view = view
        self._view_key = view_key(site)
        self.world = bridge.world
        bridge.positions_changed.connect(self._on_fixes)
        bridge.officers_changed.connect(self._on_officers)
        bridge.bodycams_changed.connect(lambda _events: self._on_officers(
            list(self.world.officers.values())))
        bridge.cameras_changed.connect(self._on_cameras)
        self._alarms = MapAlarms()
        self._alarm_batch: list[Alarm] = []
        self._alarms_sent = 0.0
        self._alarm_clock = QTimer(self)
        self._alarm_clock.setObjectName("map-alarms")
        self._alarm_clock.setSingleShot(True)
        self._alarm_clock.timeout.connect(self._send_alarms)
        bridge.alarms_changed.connect(self._on_alarms)
        view.view_changed.connect(self._remember_view)
        view.base_changed.connect(self._remember_base)
        view.installEventFilter(self)  # its LanguageChange: the alarms' titles again

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.view and event.type() == QEvent.Type.LanguageChange:
            items = [i for a in self._alarms.drawn_alarms() if (i := alarm_item(a)) is not None]
            if items:
                self.view.update_alarms(items)
        return super().eventFilter(watched, event)

    def _officers(self, ids: list[str]) -> None:
        w = self.world
        items = []
        for oid in ids:
            o = w.officers.get(oid)
            if o is None:
                continue
            live = o.body_camera_id in w.live_bodycams if o.body_camera_id else False
            item = officer_item(o, w.fixes.get(oid), live)
            if item is not None:
                items.append(item)
        if items:
            self.view.update_officers(items)

    def _on_fixes(self, fixes: list[PositionFix]) -> None:
        self._officers([f.officer_id for f in fixes])

    def _on_officers(self, officers: list[Officer]) -> None:
        self._officers([o.id for o in officers])

    def _on_cameras(self, cameras: list[Camera]) -> None:
        w = self.world
        known = {Health.ONLINE: True, Health.OFFLINE: False}
        items = [i for c in w.cameras.values()
                 if (i := camera_item(c, known.get(w.camera_health.state(c.id)))) is not None]
        if items:
            self.view.set_cameras(items)

    def _on_alarms(self, alarms: list[Alarm]) -> None:
        """At once after a quiet spell; in a storm at most every ALARM_PERIOD_MS (the map
        then churns a few big batches instead of twenty small ones a second)."""
        self._alarm_batch.extend(alarms)
        if self._alarm_clock.isActive():
            return
        wait = ALARM_PERIOD_MS - (time.monotonic() - self._alarms_sent) * 1000
        if wait <= 0:
            self._send_alarms()
        else:
            self._alarm_clock.start(int(wait))

    def _send_alarms(self) -> None:
        """The open alarms with a place, at most MapAlarms' limit (the most urgent, the
        latest): the desk lists every one of them."""
        alarms, self._alarm_batch = self._alarm_batch, []
        self._alarms_sent = time.monotonic()
        draw, gone = self._alarms.update(alarms)
        if gone:
            self.view.remove_alarms(gone)
        items = [i for a in draw if (i := alarm_item(a)) is not None]
        if items:
            self.view.update_alarms(items)

    def _remember_view(self, lat: float, lon: float, zoom: int) -> None:
        settings().setValue(self._view_key, [lat, lon, zoom])

    def _remember_base(self, name: str) -> None:
        settings().setValue(self._view_key.replace("map/view/", "map/base/"), name)


def view_key(site: Site) -> str:
    return f"map/view/{slug(site.site.name)}"


def make_map_view(site: Site, cache_dir: Path) -> MapView:
    """The map as the user left it (centre and zoom), else as the site file says."""
    center, zoom = site.map.center, site.map.zoom
    saved = settings().value(view_key(site))
    if isinstance(saved, list) and len(saved) == 3:
        with contextlib.suppress(TypeError, ValueError):
            center, zoom = (float(saved[0]), float(saved[1])), int(saved[2])
    try:
        src = resolve_sources(site)
    except ValueError as exc:  # e.g. a provider that needs a key: the map still opens
        log.error("map: %s", exc)
        src = MapSources(town=site.resolve(site.map.streets_geojson)
                         if site.map.streets_geojson else None)
    saved_base = settings().value(view_key(site).replace("map/view/", "map/base/"))
    names = {str(t["name"]) for t in src.tiles} | ({"streets"} if src.town else set())
    base = saved_base if isinstance(saved_base, str) and saved_base in names else src.base
    m = site.map
    return MapView(center=center, zoom=zoom, cache_dir=cache_dir, town_geojson=src.town,
                   attribution=m.attribution, tiles=src.tiles, base=base, mbtiles=src.mbtiles,
                   remote=src.remote, zones_geojson=src.zones, stale_after_s=m.stale_after_s,
                   trail_s=m.trail_minutes * 60)
