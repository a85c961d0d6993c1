"""The console's main window: composes the video wall (centre), the map and the alarm queue
(docks). It wires widgets to each other and to the bridge; their logic lives in them."""

from __future__ import annotations

import getpass
import logging

from PySide6.QtCore import QByteArray, QEvent, Qt
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QDockWidget, QMainWindow, QMenu, QWidget

from app.core.model import Alarm, AlarmType, Camera, CameraKind
from app.core.site import Site
from app.services.runtime import Runtime
from app.ui.bridge import HubBridge
from app.ui.i18n import apply_language, chosen_language
from app.ui.settings import cache_dir, settings
from widgets.alarms import AlarmDock
from widgets.map_dock import MapFeed, make_map_view
from widgets.status_bar import ConsoleStatusBar
from widgets.video.wall import VideoWall

log = logging.getLogger(__name__)

GRIDS = (1, 2, 3, 4)
# Live body-cam viewing is lawful when the officers' safety is threatened (CSI L241-2);
# these alarm types are such a threat by themselves. Every viewing is logged (CSI R241-14).
BODYCAM_SAFETY_ALARMS = {AlarmType.WEAPON_DRAWN, AlarmType.BODYCAM_EMERGENCY}


def saved_grid() -> int:
    value = settings().value("wall/grid", 3)
    try:
        n = int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return 3
    return n if n in GRIDS else 3


class MainWindow(QMainWindow):
    def __init__(self, site: Site, runtime: Runtime, bridge: HubBridge,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("main-window")
        self.site = site
        self.runtime = runtime
        self.bridge = bridge
        self.world = bridge.world
        self.operator = getpass.getuser()
        self._wall_filled = False

        self.wall = VideoWall(self)
        self.wall.set_grid(saved_grid())
        self.setCentralWidget(self.wall)

        self.map_view = make_map_view(site, cache_dir())
        self.map_feed = MapFeed(self.map_view, bridge, site)
        self.map_dock = self._dock("map-dock", self.map_view, Qt.DockWidgetArea.RightDockWidgetArea)

        self.alarms = AlarmDock(site, runtime, bridge, self)
        self.alarm_dock = self._dock("alarm-dock", self.alarms,
                                     Qt.DockWidgetArea.BottomDockWidgetArea)
        self.setStatusBar(ConsoleStatusBar(bridge, self))

        bridge.cameras_changed.connect(self._on_cameras)
        self.alarms.alarm_selected.connect(self._on_alarm_selected)
        self.alarms.alarm_opened.connect(self._on_alarm_opened)
        # a click on the alarm already selected (e.g. the one the desk picked) opens it too
        self.alarms.queue.view.clicked.connect(self._on_queue_clicked)
        self.map_view.camera_clicked.connect(self._on_camera_clicked)
        self.map_view.alarm_clicked.connect(self.alarms.select_alarm)
        self.map_view.officer_clicked.connect(self._on_officer_clicked)
        self._build_menus()
        self.retranslate()

    # -- composition ----------------------------------------------------------------------
    def _dock(self, name: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(self)
        dock.setObjectName(name)  # saveState() keys docks by object name
        dock.setWidget(widget)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                         | QDockWidget.DockWidgetFeature.DockWidgetFloatable
                         | QDockWidget.DockWidgetFeature.DockWidgetClosable)
        self.addDockWidget(area, dock)
        return dock

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.view_menu = QMenu(self)
        self.grid_group = QActionGroup(self)
        self.grid_actions: dict[int, QAction] = {}
        for n in GRIDS:
            act = QAction(self, checkable=True)
            act.setShortcut(QKeySequence(f"Ctrl+{n}"))
            act.triggered.connect(lambda _c=False, n=n: self.set_grid(n))
            act.setChecked(n == self.wall.grid)
            self.grid_group.addAction(act)
            self.view_menu.addAction(act)
            self.grid_actions[n] = act
        self.view_menu.addSeparator()
        self.view_menu.addAction(self.map_dock.toggleViewAction())
        self.view_menu.addAction(self.alarm_dock.toggleViewAction())
        self.fullscreen_action = QAction(self, checkable=True)
        self.fullscreen_action.setShortcut(QKeySequence(Qt.Key.Key_F11))
        self.fullscreen_action.toggled.connect(
            lambda on: self.showFullScreen() if on else self.showNormal())
        self.view_menu.addAction(self.fullscreen_action)
        bar.addMenu(self.view_menu)

        self.lang_menu = QMenu(self)
        self.lang_group = QActionGroup(self)
        self.lang_actions: dict[str, QAction] = {}
        current = chosen_language()
        for code in ("system", "fr", "en"):
            act = QAction(self, checkable=True)
            act.setChecked(code == current)
            act.triggered.connect(lambda _c=False, code=code: apply_language(code))
            self.lang_group.addAction(act)
            self.lang_menu.addAction(act)
            self.lang_actions[code] = act
        bar.addMenu(self.lang_menu)
        bar.addMenu(self.alarms.menu)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("CSU Console — {0}").format(self.site.site.name))
        self.map_dock.setWindowTitle(self.tr("Map"))
        self.alarm_dock.setWindowTitle(self.tr("Alarms"))
        self.view_menu.setTitle(self.tr("&View"))
        for n, act in self.grid_actions.items():
            act.setText(self.tr("Wall {0}×{0}").format(n) if n > 1 else self.tr("Single camera"))
        self.fullscreen_action.setText(self.tr("Full screen"))
        self.lang_menu.setTitle(self.tr("&Language"))
        self.lang_actions["system"].setText(self.tr("System language"))
        self.lang_actions["fr"].setText("Français")
        self.lang_actions["en"].setText("English")

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- behaviour ------------------------------------------------------------------------
    def set_grid(self, n: int) -> None:
        self.wall.set_grid(n)
        settings().setValue("wall/grid", n)
        self._fill_wall()

    def _fixed_cameras(self) -> list[Camera]:
        cams = [c for c in self.world.cameras.values() if c.kind is CameraKind.FIXED]
        return sorted(cams, key=lambda c: c.id)

    def _fill_wall(self) -> None:
        cams = self._fixed_cameras()
        if cams:
            self.wall.show_cameras(cams[: self.wall.grid ** 2])
            self._wall_filled = True

    def _on_cameras(self, cameras: list[Camera]) -> None:
        for cam in cameras:
            officer = self.world.officer_of_camera(cam.id)
            if officer is not None:
                self.wall.set_callsign(cam.id, officer.callsign)
        if not self._wall_filled:
            self._fill_wall()

    def _on_camera_clicked(self, camera_id: str) -> None:
        cam = self.world.cameras.get(camera_id)
        if cam is not None:
            self.wall.show_camera(cam, 0)

    def _on_officer_clicked(self, officer_id: str) -> None:
        fix = self.world.fixes.get(officer_id)
        if fix is not None:
            self.map_view.center_on(fix.position.lat, fix.position.lon)

    def _on_alarm_selected(self, alarm: Alarm) -> None:
        """The operator picked an alarm in the queue: show it on the map and its cameras on
        the wall. A selection the desk makes by itself (the first alarm of the shift) moves
        neither the operator's map nor the wall."""
        focus = QApplication.focusWidget()
        if focus is None or not self.alarms.isAncestorOf(focus):
            self.map_view.highlight("alarm", alarm.id)
            return
        self._on_alarm_opened(alarm)

    def _on_queue_clicked(self, _index: object) -> None:
        alarm = self.alarms.current_alarm()
        if alarm is not None:
            self._on_alarm_opened(alarm)

    def _show_on_map(self, alarm: Alarm) -> None:
        if alarm.position is not None:
            self.map_view.center_on(alarm.position.lat, alarm.position.lon)
            self.map_view.highlight("alarm", alarm.id)

    def _on_alarm_opened(self, alarm: Alarm) -> None:
        """Lay the alarm's cameras on the wall, first tiles first."""
        self._show_on_map(alarm)
        cams = [self.world.cameras[c] for c in alarm.camera_ids if c in self.world.cameras]
        for index, cam in enumerate(cams[: self.wall.grid ** 2]):
            shown = self.wall.tile(index).camera
            if shown is not None and shown.id == cam.id:
                continue  # already there: no restart, no second log line
            if cam.kind is CameraKind.BODY:
                if alarm.type not in BODYCAM_SAFETY_ALARMS:
                    continue  # not a lawful reason by itself: the operator opens it by hand
                self.runtime.audit(self.operator, "bodycam_live_view", f"camera:{cam.id}",
                                   f"alarm {alarm.id} ({alarm.type.value}): {alarm.title}")
            self.wall.show_camera(cam, index)

    # -- state ----------------------------------------------------------------------------
    def show_restored(self) -> None:
        s = settings()
        geometry, state = s.value("window/geometry"), s.value("window/state")
        if isinstance(geometry, QByteArray) and self.restoreGeometry(geometry):
            if isinstance(state, QByteArray):
                self.restoreState(state)
            self.show()
            return
        # First start: the whole screen (without a window manager, as under Xvfb,
        # showMaximized alone does nothing), the map a third of the width.
        screen = self.screen().availableGeometry()
        self.setGeometry(screen)
        self.resizeDocks([self.map_dock], [int(screen.width() * 0.36)],
                         Qt.Orientation.Horizontal)
        self.resizeDocks([self.alarm_dock], [int(screen.height() * 0.34)],
                         Qt.Orientation.Vertical)
        self.showMaximized()

    def closeEvent(self, event: QCloseEvent) -> None:
        s = settings()
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/state", self.saveState())
        s.sync()
        super().closeEvent(event)

    def shutdown(self) -> None:
        """Stop players before the runtime goes (the demo's camera server goes with it)."""
        self.wall.shutdown()
