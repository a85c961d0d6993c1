"""Working from the map: what a click, a right-click or following an officer does.

The controller knows the map and the world; the main window hands it plain callables for the
wall and the audit log, so it never reaches into them (and tests pass fakes).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import QMenu, QWidget

from app.core.model import Alarm, AlarmState, Camera, CameraKind, LatLon, Officer, utc_now
from app.ui.bridge import HubBridge
from app.ui.services import can_see, distance_m, nearest_cameras, responders
from maps.view import MapView
from widgets.bodycam_reason import BodyCamGate

log = logging.getLogger(__name__)

# Live body-cam viewing is lawful when the officers' safety is threatened (CSI L241-2);
# these alarm types are such a threat by themselves. Every viewing is logged (CSI R241-14).
RESPONDERS = 3
REFRESH_S = 1.0
# cameras laid for a point or a followed officer: a wall of their own holds them (1+5 at
# most: the nearest on the big tile, the context around it)
NEAR_CAMERAS = 6


def format_distance(metres: float) -> str:
    return f"{metres:.0f} m" if metres < 1000 else f"{metres / 1000:.1f} km"


def cameras_seeing(point: LatLon, cameras: list[Camera], limit: int) -> list[Camera]:
    """Fixed cameras whose field of view holds the point, nearest first."""
    seeing = [c for c in cameras if c.kind is CameraKind.FIXED and can_see(c, point)]
    seeing.sort(key=lambda c: distance_m(point, c.position))  # type: ignore[arg-type]
    return seeing[:limit]


class MapController(QObject):
    """Clicks, context menu, follow mode and alarm responders for one MapView."""

    message = Signal(str)  # a line for the status bar
    assignment_suggested = Signal(str, str)  # alarm id, officer id

    def __init__(
        self,
        view: MapView,
        bridge: HubBridge,
        *,
        show_camera: Callable[[Camera], object],
        lay_cameras: Callable[[list[Camera], str], object],
        gate: BodyCamGate,
        stale_after_s: float | None = 60.0,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent or view)
        self.view = view
        self.world = bridge.world
        self._show_camera = show_camera
        self._lay_cameras = lay_cameras  # cameras, what they are (the wall says it)
        self._gate = gate
        self.stale_after_s = stale_after_s  # an older position gives no suggestion
        self.alarms: dict[str, Alarm] = {}
        self.following: str | None = None
        self._follow_ids: list[str] = []
        self.responding: str | None = None  # the alarm whose responders are drawn
        self._refreshed = 0.0
        self.last_menu: QMenu | None = None
        view.officer_clicked.connect(self.open_bodycam)
        view.camera_clicked.connect(self.open_camera)
        view.alarm_clicked.connect(lambda aid: self.show_alarm(self.alarms.get(aid)))
        view.context_requested.connect(self.context_menu)
        view.follow_stopped.connect(self._on_follow_stopped)
        bridge.alarms_changed.connect(self._on_alarms)
        bridge.positions_changed.connect(self._on_positions)

    # ---- clicks ----------------------------------------------------------------------
    def open_camera(self, camera_id: str) -> None:
        """A camera clicked on the map, through the gate like every path (a body cam drawn
        as a camera must not skip its reason)."""
        cam = self.world.cameras.get(camera_id)
        if cam is not None:
            self._gate.request(cam, "map", lambda: self._show_camera(cam))

    def open_bodycam(self, officer_id: str) -> bool:
        """The officer's body cam in the focused tile, the lawful way (the gate asks the
        reason unless an open safety alarm is one, and shows it once logged)."""
        officer = self.world.officers.get(officer_id)
        if officer is None:
            return False
        self.view.highlight("officer", officer_id)
        cam = self.world.cameras.get(officer.body_camera_id or "")
        if cam is None:
            self.message.emit(self.tr("{0} has no body camera").format(officer.callsign))
            return False
        return self._gate.request(cam, "map", lambda: self._show_camera(cam))

    # ---- cameras near a point ------------------------------------------------------------
    def cameras_near(self, lat: float, lon: float) -> list[Camera]:
        """Lay the cameras that can see the point on a wall of their own, nearest first
        (the wall the operator had stays one key away)."""
        cams = cameras_seeing(LatLon(lat, lon), list(self.world.cameras.values()),
                              NEAR_CAMERAS)
        if cams:
            self._lay_cameras(cams, self.tr("Cameras near here"))
        else:
            self.message.emit(self.tr("No camera sees this point"))
        return cams

    # ---- follow ------------------------------------------------------------------------------
    def follow(self, officer_id: str | None) -> None:
        """Keep an officer centred; the wall keeps the fixed cameras nearest them."""
        officer = self.world.officers.get(officer_id or "")
        self.following = officer.id if officer else None
        self._follow_ids = []
        label = self.tr("Following {0}").format(officer.callsign) if officer else ""
        self.view.follow(self.following, label)
        if officer is not None and officer.id in self.world.fixes:
            self._update_follow(self.world.fixes[officer.id].position)

    def _on_follow_stopped(self) -> None:
        self.following = None
        self._follow_ids = []

    def _update_follow(self, p: LatLon) -> None:
        fixed = [c for c in self.world.cameras.values() if c.kind is CameraKind.FIXED]
        cams = nearest_cameras(p, fixed, NEAR_CAMERAS)
        ids = [c.id for c in cams]
        officer = self.world.officers.get(self.following or "")
        if ids and ids != self._follow_ids:
            self._follow_ids = ids
            self._lay_cameras(cams, self.tr("Following {0}").format(
                officer.callsign if officer else ""))

    # ---- alarms: nearest available officers and a suggested assignment ---------------------
    def responders(self, alarm: Alarm) -> list[tuple[Officer, float]]:
        """The nearest officers who can respond and are available, with a recent position
        (the rule is `app.services.responders`: never the alarm's own subject)."""
        if alarm.position is None:
            return []
        found = responders(alarm, self.world.officers.values(), self.world.fixes, utc_now(),
                           self.stale_after_s)
        return [(r.officer, r.distance_m) for r in found
                if r.suggestible and r.distance_m is not None][:RESPONDERS]

    def show_alarm(self, alarm: Alarm | None) -> None:
        """Draw lines to the nearest available officers; the nearest is the suggestion."""
        if alarm is None or alarm.position is None or not alarm.is_open \
                or alarm.state is AlarmState.ASSIGNED:
            self.responding = None
            self.view.show_responders(0, 0, [])
            return
        self.responding = alarm.id
        self._refreshed = time.monotonic()
        items: list[dict[str, object]] = []
        for i, (o, d) in enumerate(self.responders(alarm)):
            text = (self.tr("Suggested: {0} · {1}") if i == 0 else "{0} · {1}")
            items.append({"id": o.id, "label": text.format(o.callsign, format_distance(d)),
                          "suggested": i == 0})
        self.view.show_responders(alarm.position.lat, alarm.position.lon, items)
        if items:
            self.assignment_suggested.emit(alarm.id, str(items[0]["id"]))

    def _on_alarms(self, alarms: list[Alarm]) -> None:
        for a in alarms:
            if a.is_open:
                self.alarms[a.id] = a
            else:
                self.alarms.pop(a.id, None)
            if a.id == self.responding:
                self.show_alarm(a if a.is_open else None)

    def _on_positions(self, fixes: list[object]) -> None:
        if self.following and self.following in self.world.fixes:
            self._update_follow(self.world.fixes[self.following].position)
        if self.responding and time.monotonic() - self._refreshed >= REFRESH_S:
            self.show_alarm(self.alarms.get(self.responding))

    # ---- right-click -----------------------------------------------------------------------
    def context_menu(self, lat: float, lon: float, kind: str, item_id: str) -> QMenu:
        """The map's menu at the pointer: cameras near here, follow, body cam."""
        parent = self.view if isinstance(self.view, QWidget) else None
        menu = QMenu(parent)
        menu.setObjectName("map-menu")
        menu.addAction(self.tr("Cameras near here"), lambda: self.cameras_near(lat, lon))
        officer = self.world.officers.get(item_id) if kind == "officer" else None
        if officer is not None:
            menu.addAction(self.tr("Follow {0}").format(officer.callsign),
                           lambda: self.follow(officer.id))
            if officer.body_camera_id:
                menu.addAction(self.tr("Body camera of {0}").format(officer.callsign),
                               lambda: self.open_bodycam(officer.id))
        if kind == "alarm" and item_id in self.alarms:
            menu.addAction(self.tr("Nearest officers"),
                           lambda: self.show_alarm(self.alarms.get(item_id)))
        if self.following:
            menu.addAction(self.tr("Stop following"), lambda: self.follow(None))
        if self.last_menu is not None:
            self.last_menu.deleteLater()
        self.last_menu = menu
        menu.popup(QCursor.pos())
        return menu
