"""The console's main window: composes the video wall (centre), the camera list, the map
and the alarm queue (docks), and the optional second wall. It wires widgets to each other
and to the bridge; their logic lives in them (the wall's in `widgets.wall_desk`)."""

from __future__ import annotations

import getpass
import logging
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path

import platformdirs
from PySide6.QtCore import QByteArray, QEvent, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QDockWidget,
    QMainWindow,
    QMenu,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from app.core.access import Permission
from app.core.events import RecordingStateChanged
from app.core.model import Alarm, Camera
from app.core.site import Site
from app.ui.bodycam_access import BodyCamAccess
from app.ui.bridge import HubBridge
from app.ui.diagnostics import Facts
from app.ui.i18n import apply_language, current_language
from app.ui.inactivity import InactivityWatch
from app.ui.labels import alarm_title
from app.ui.services import ConsoleRuntime
from app.ui.settings import cache_dir, settings, slug
from widgets.about_dialog import AboutDialog
from widgets.access_log_window import AccessLogEntry
from widgets.adapter_panel import AdapterPanel
from widgets.alarms import AlarmDock
from widgets.bodycam_reason import BodyCamGate
from widgets.camera_list import CameraList
from widgets.journal_banner import JournalBanner
from widgets.lock_overlay import LockOverlay
from widgets.map_controller import MapController
from widgets.map_dock import MapFeed, make_map_view
from widgets.placement import restore_placement, save_placement
from widgets.quit_guard import QuitGuard
from widgets.replay.entry import ReplayEntry
from widgets.room_view import RoomView
from widgets.sign_in_dialog import ask_user
from widgets.status_bar import ConsoleStatusBar
from widgets.video.wall import VideoWall
from widgets.wall_desk import PREVIOUS_WALL_KEY, WallDesk
from widgets.wall_menu import WallMenu
from widgets.wall_window import WallWindow

log = logging.getLogger(__name__)

# Docks keep a usable size whatever the wall asks for: the camera list stays readable, the
# alarm table keeps about four rows (a dense wall once squeezed both, for good).
CAMERA_DOCK_MIN_W = 150
ALARM_DOCK_MIN_H = 160


def snapshot_dir() -> Path:
    return Path(platformdirs.user_pictures_dir()) / "CSU Console"


class MainWindow(QMainWindow):
    # a person of other communes signed in (switch user): their window is built afresh
    territory_changed = Signal(object)  # User

    @property
    def operator(self) -> str:
        """Who is signed in (their login; the OS login only where nobody signs in: a
        runtime of a test's own)."""
        session = self.runtime.session
        return session.user.login if session is not None else getpass.getuser()

    def __init__(self, site: Site, runtime: ConsoleRuntime, bridge: HubBridge,
                 parent: QWidget | None = None, *, lock_after_s: float | None = None,
                 unlock: Callable[[str], Future[None]] | None = None,
                 facts: Facts | None = None) -> None:
        """`lock_after_s`: lock the session after this long without input (the site
        file's `[auth] lock_after_s`), checking the password with `unlock`; None: no
        lock. `facts`: where this console runs from, for Help › About and diagnostics."""
        super().__init__(parent)
        self.facts = facts or Facts(site_path=site.source_path)
        self.setObjectName("main-window")
        self.site = site
        self.runtime = runtime
        self.bridge = bridge
        self.world = bridge.world
        # a seat of a room knows its own id (the seat runtime's; "" for a single process)
        self.seat_id = str(getattr(runtime, "seat_id", "") or "")
        self.bodycam_access = BodyCamAccess(runtime, lambda: self.operator, self)
        self.gate = BodyCamGate(self.bodycam_access, self.world, self)
        self.bodycam_access.refused.connect(self._bodycam_refused)

        self.wall = VideoWall(self)
        # the journal's state above the wall: loud when alarms cannot be stored
        self.journal_banner = JournalBanner(self)
        centre = QWidget(self)
        column = QVBoxLayout(centre)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.journal_banner)
        column.addWidget(self.wall, 1)
        self.setCentralWidget(centre)
        self._centre_column = column
        # a wall's layout is kept per site: a training site must not empty the real one
        self.desk = self._desk_for(self.wall, f"wall/{slug(site.site.name)}",
                                   fill_by_default=True)
        self.second: WallWindow | None = None
        self.second_desk: WallDesk | None = None

        self.camera_list = CameraList(self.world, self)
        self.camera_dock = self._dock("camera-dock", self.camera_list,
                                      Qt.DockWidgetArea.LeftDockWidgetArea)

        self.map_view = make_map_view(site, cache_dir())
        self.map_feed = MapFeed(self.map_view, bridge, site)
        self.alarms = AlarmDock(site, runtime, bridge, self, operator=self.operator)
        self.adapter_panel = AdapterPanel(bridge, self, seat_id=self.seat_id)
        # a seat of a room: the red band when the room is lost, and what is stale meanwhile
        self.room = RoomView(bridge, self.alarms, self.map_view, self.adapter_panel, self)
        column.insertWidget(0, self.room.banner)
        self.map_dock = self._dock("map-dock", self.room.map_frame,
                                   Qt.DockWidgetArea.RightDockWidgetArea)
        self.alarm_dock = self._dock("alarm-dock", self.room.alarm_frame,
                                     Qt.DockWidgetArea.BottomDockWidgetArea)
        self.adapter_dock = self._dock("adapter-dock", self.room.systems_frame,
                                       Qt.DockWidgetArea.BottomDockWidgetArea)
        self.tabifyDockWidget(self.alarm_dock, self.adapter_dock)
        self.camera_dock.setMinimumWidth(CAMERA_DOCK_MIN_W)
        self.alarm_dock.setMinimumHeight(ALARM_DOCK_MIN_H)
        self.alarm_dock.raise_()
        self.status_bar = ConsoleStatusBar(bridge, self)
        self.setStatusBar(self.status_bar)
        self.statusBar().addPermanentWidget(self.journal_banner.chip)
        # a seat's journal is the room's: its "Room:" chip says how it is (this one would
        # say "OK" while the room's database is lost)
        self.journal_banner.chip.setVisible(not self.seat_id)
        self.statusBar().addPermanentWidget(self.room.banner.chip)
        self.room.banner.link_back.connect(lambda m: self.statusBar().showMessage(m, 10_000))
        self.alarms.place_sound_chip(self.statusBar())
        self.journal_banner.update_status(self.world.journal)
        bridge.journal_changed.connect(self.journal_banner.update_status)
        self.journal_banner.seen.connect(self.world.journal_notice_seen)

        bridge.cameras_changed.connect(self._on_cameras)
        bridge.recording_changed.connect(self._on_recording)
        bridge.officers_changed.connect(lambda _o: self.camera_list.update_cameras(
            list(self.world.cameras.values())))
        self.camera_list.camera_chosen.connect(
            lambda cid: self.active_desk().open_camera(cid, via="camera list"))
        # any selection is highlighted on the map; the operator's own choice (not the desk's
        # first pick, not a click on the map) also lays the alarm's cameras on the wall
        self.alarms.alarm_selected.connect(lambda a: self.map_view.highlight("alarm", a.id))
        self.alarms.alarm_picked.connect(self._on_alarm_opened)
        self.alarms.alarm_opened.connect(self._on_alarm_opened)
        self.map_view.alarm_clicked.connect(self.alarms.select_alarm)
        # clicks on officers (their body cam, asked and logged) and cameras, "cameras near
        # here", following an officer, and the responders drawn for the selected alarm
        self.map_controller = MapController(
            self.map_view, bridge,
            show_camera=lambda cam: self.active_desk().show_allowed(cam),
            lay_cameras=lambda cams, what: self.active_desk().show_task(
                "map", what, cams, via="map"),
            gate=self.gate, stale_after_s=site.map.stale_after_s)
        self.alarms.alarm_selected.connect(self.map_controller.show_alarm)
        self.map_controller.message.connect(lambda m: self.statusBar().showMessage(m, 5000))
        self._about: AboutDialog | None = None
        self._build_menus()
        self._add_previous_wall_action()
        self.lock_overlay: LockOverlay | None = None
        self.inactivity: InactivityWatch | None = None
        if lock_after_s is not None:
            self._add_lock(lock_after_s, unlock)
        self.show_who_acts()
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
        # Console > Quit (Ctrl+Q); closing with open alarms asks first. A seat of a room (its
        # runtime says which seat it is) leaves the alarms to the service and the other seats;
        # a single-process console receives them itself.
        self.quit_guard = QuitGuard(self, self.runtime.current_alarms,
                                    seat_of_a_room=bool(self.seat_id))
        bar.addMenu(self.quit_guard.menu)
        # Console > Access log…, for those who may read it (a chief, an administrator)
        self.access_log = AccessLogEntry(self.site, self.runtime, self.quit_guard.menu,
                                         self.quit_guard.quit_action, self)
        # Console > Replay… and "Replay this alarm…", for those who may replay (a chief)
        self.replay = ReplayEntry(self.site, self.runtime, self.bridge.world,
                                  self.bridge.visibility, self.quit_guard.menu,
                                  self.access_log.action, cache_dir(), self.statusBar(), self)
        self.replay.alarm_action.triggered.connect(
            lambda _c=False: self.replay.replay_alarm(self.alarms.current_alarm()))
        self.alarms.queue.add_context_action(self.replay.alarm_action)
        self.alarms.menu.addSeparator()
        self.alarms.menu.addAction(self.replay.alarm_action)
        self.alarms.menu.aboutToShow.connect(self.replay.sync)
        self.view_menu = QMenu(self)
        self.search_action = QAction(self)
        self.search_action.setShortcut(QKeySequence("Ctrl+Shift+F"))
        self.search_action.triggered.connect(self._focus_camera_search)
        self.addAction(self.search_action)
        self.view_menu.addAction(self.search_action)
        self.view_menu.addAction(self.camera_dock.toggleViewAction())
        self.view_menu.addSeparator()
        self.view_menu.addAction(self.map_dock.toggleViewAction())
        self.view_menu.addAction(self.alarm_dock.toggleViewAction())
        self.view_menu.addAction(self.adapter_dock.toggleViewAction())
        self.fullscreen_action = QAction(self, checkable=True)
        self.fullscreen_action.setShortcut(QKeySequence(Qt.Key.Key_F11))
        self.fullscreen_action.toggled.connect(
            lambda on: self.showFullScreen() if on else self.showNormal())
        self.view_menu.addAction(self.fullscreen_action)
        bar.addMenu(self.view_menu)
        self.wall_menu = WallMenu(self, self)
        bar.addMenu(self.wall_menu)

        self.lang_menu = QMenu(self)
        self.lang_group = QActionGroup(self)
        self.lang_actions: dict[str, QAction] = {}
        current = current_language()  # what is shown, `--lang` included
        for code in ("system", "fr", "en"):
            act = QAction(self, checkable=True)
            act.setChecked(code == current)
            act.triggered.connect(lambda _c=False, code=code: apply_language(code))
            self.lang_group.addAction(act)
            self.lang_menu.addAction(act)
            self.lang_actions[code] = act
        bar.addMenu(self.lang_menu)
        bar.addMenu(self.alarms.menu)
        self.help_menu = QMenu(self)
        self.about_action = QAction(self)
        self.about_action.setObjectName("about-action")
        self.about_action.triggered.connect(self.show_about)
        self.help_menu.addAction(self.about_action)
        bar.addMenu(self.help_menu)

    def show_about(self) -> AboutDialog:
        """Help › About and diagnostics (one dialog at a time, raised if already open)."""
        if self._about is None:
            self._about = AboutDialog(self.site, self.world, self.facts, self)
            self._about.finished.connect(lambda _r: setattr(self, "_about", None))
            self._about.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._about.show()
        self._about.raise_()
        return self._about

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("CSU Console — {0}").format(self.site.site.name))
        self.quit_guard.retranslate()
        self.access_log.retranslate()
        self.replay.retranslate()
        self.map_dock.setWindowTitle(self.tr("Map"))
        self.alarm_dock.setWindowTitle(self.tr("Alarms"))
        self.adapter_dock.setWindowTitle(self.tr("Connected systems"))
        self.camera_dock.setWindowTitle(self.tr("Cameras"))
        self.view_menu.setTitle(self.tr("&View"))
        self.search_action.setText(self.tr("Find a camera"))
        self.fullscreen_action.setText(self.tr("Full screen"))
        self.lang_menu.setTitle(self.tr("&Language"))
        self.lang_actions["system"].setText(self.tr("System language"))
        self.lang_actions["fr"].setText("Français")
        self.lang_actions["en"].setText("English")
        self.help_menu.setTitle(self.tr("&Help"))
        self.about_action.setText(self.tr("About and diagnostics…"))
        self.previous_wall_action.setText(self.tr("Back to the previous wall"))
        self.room.retranslate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- the lock after inactivity ----------------------------------------------------------
    def _add_lock(self, lock_after_s: float,
                  unlock: Callable[[str], Future[None]] | None) -> None:
        """The lock takes the wall's place; the alarm dock stays as it is (alarms keep
        arriving, the tone keeps sounding)."""
        if unlock is None:
            raise ValueError("a lock after inactivity needs an `unlock` password check")
        overlay = LockOverlay(unlock, self._lock_covers, self)
        session = self.runtime.session
        overlay.set_user(session.user.name if session is not None else self.operator)
        self._centre_column.addWidget(overlay, 1)
        overlay.locked.connect(self._on_locked)
        overlay.unlocked.connect(self._on_unlocked)
        overlay.switch_user.connect(self.switch_user)
        self.lock_overlay = overlay
        self.inactivity = InactivityWatch(lock_after_s, self)
        self.inactivity.idle.connect(self.lock_now)
        self.inactivity.start()

    def _lock_covers(self) -> list[QWidget]:
        """What a locked session hides: every wall and the map."""
        covers: list[QWidget] = [self.wall, self.map_view]
        if self.second is not None:
            covers.append(self.second.wall)
        return covers

    @property
    def locked(self) -> bool:
        return self.lock_overlay is not None and self.lock_overlay.is_locked

    def lock_now(self) -> None:
        """Lock the session (the inactivity delay passed, or asked for)."""
        if self.lock_overlay is not None:
            self.lock_overlay.lock()

    def _on_locked(self) -> None:
        # no second wall opens while locked (it would show video)
        self.wall_menu.second_action.setEnabled(False)
        # the one who acts locks the session too (logged; a seat's at the room's service):
        # nothing is done in this person's name until their password is typed again
        self.runtime.lock()
        self.access_log.forget()  # its own window: the lock hides the log too
        self.replay.forget()  # recorded video too

    def show_who_acts(self) -> None:
        """Who is signed in, on screen, and what their role lets them do in this window
        (hidden here; refused anyway by the one who acts: app.services.gate)."""
        session = self.runtime.session
        user = session.user if session is not None else None
        self.status_bar.set_user(user)
        queue = self.alarms.queue
        queue.set_may_act(user is None or user.may(Permission.HANDLE_ALARMS))

    def switch_user(self) -> None:
        """Shift change: another person signs in at this console (one action; the access
        log keeps who left and who came). A person of other communes gets a window of their
        own territory (`territory_changed`: the launcher builds it)."""
        before = self.runtime.session
        user = ask_user(self.runtime.sign_in, self.site.site.name, self)
        if user is None:
            return  # nobody signed in: the session stays as it was (locked)
        if self.alarms.commands is not None:
            self.alarms.commands.operator = user.login
        self.access_log.forget()  # what the person before read is not left open
        self.access_log.sync()
        self.replay.forget()
        self.replay.sync()
        self.show_who_acts()
        if before is not None and set(before.user.communes) != set(user.communes):
            self.territory_changed.emit(user)
            return
        if self.lock_overlay is not None:
            self.lock_overlay.release(user.name)
        self.statusBar().showMessage(self.tr("Signed in: %1").replace("%1", user.name), 8000)

    def _on_unlocked(self) -> None:
        self.wall_menu.second_action.setEnabled(True)
        if self.inactivity is not None:
            self.inactivity.reset()

    # -- walls ----------------------------------------------------------------------------
    def _desk_for(self, wall: VideoWall, key: str, *, fill_by_default: bool) -> WallDesk:
        desk = WallDesk(wall, key, self.world, self.gate, operator=lambda: self.operator,
                        site_name=self.site.site.name,
                        snapshot_dir=snapshot_dir(), ptz=self.runtime.ptz,
                        audit=lambda action, target, detail: self.runtime.audit(
                            self.operator, action, target, detail),
                        fill_by_default=fill_by_default, parent=self)
        desk.message.connect(lambda m: self.statusBar().showMessage(m, 8000))
        wall.tile_health.connect(self.bridge.tile_seen)  # tiles playing or not: camera health
        desk.tools.show_on_map.connect(self.show_camera_on_map)
        return desk

    def active_desk(self) -> WallDesk:
        """The wall the operator is on: the second one when its window is active."""
        if self.second is not None and self.second_desk is not None \
                and self.second.isActiveWindow():
            return self.second_desk
        return self.desk

    def tour_cameras(self) -> list[str]:
        """A tour goes through the cameras selected in the list, else those it shows."""
        return self.camera_list.selected_ids() or self.camera_list.visible_ids()

    def toggle_second_wall(self, on: bool) -> None:
        if on and self.locked:
            self.wall_menu.second_action.setChecked(False)
            return
        if on and self.second is None:
            self.second = WallWindow("wall2")
            self.second_desk = self._desk_for(self.second.wall,
                                              f"wall2/{slug(self.site.site.name)}",
                                              fill_by_default=False)
            self.second_desk.on_cameras(list(self.world.cameras.values()))
            self.second.attach_menu(self.wall_menu)
            # the console's window keys there too (they bring the main window forward)
            # (F11 there is the wall window's own full screen)
            self.second.addActions([self.alarms.queue.act_find, self.alarms.mute_action,
                                    self.search_action])
            self.second.closed.connect(lambda: self.wall_menu.second_action.setChecked(False))
            self.second.show_placed(settings())
        elif not on and self.second is not None:
            second, self.second = self.second, None
            second.save_placement(settings())
            if self.second_desk is not None:
                self.second_desk.tours.stop_all()
                self.second_desk.tools.shutdown()
                self.second_desk.deleteLater()
                self.second_desk = None
            second.wall.shutdown()
            second.hide()
            second.deleteLater()

    def show_camera_on_map(self, camera_id: str) -> None:
        cam = self.world.cameras.get(camera_id)
        if cam is None:
            return
        if cam.position is not None:
            self.map_view.center_on(cam.position.lat, cam.position.lon)
        self.map_view.highlight("camera", cam.id)
        self.map_dock.show()
        self.map_dock.raise_()

    def _focus_camera_search(self) -> None:
        self.activateWindow()  # Ctrl+Shift+F from the second wall: keys come back here
        self.camera_dock.show()
        self.camera_dock.raise_()
        self.camera_list.search.setFocus()
        self.camera_list.search.selectAll()

    def _on_cameras(self, cameras: list[Camera]) -> None:
        self.camera_list.update_cameras(cameras)
        self.desk.on_cameras(cameras)
        if self.second_desk is not None:
            self.second_desk.on_cameras(cameras)

    def _on_recording(self, states: list[RecordingStateChanged]) -> None:
        """The recorder's word on each camera: on the tiles and in the camera list (a
        storage folder nearing its budget is a status of the connected systems)."""
        for st in states:
            for desk in (self.desk, self.second_desk):
                if desk is not None:
                    desk.wall.set_recording(st.camera_id, st.state, st.detail)
        self.camera_list.update_recording([s.camera_id for s in states])

    def _show_on_map(self, alarm: Alarm) -> None:
        if alarm.position is not None:
            self.map_view.center_on(alarm.position.lat, alarm.position.lon)
            self.map_view.highlight("alarm", alarm.id)

    def _on_alarm_opened(self, alarm: Alarm) -> None:
        """The alarm's cameras take a wall of their own (its first camera on the big tile);
        the operator's wall is kept, one key away. A body camera comes only when the alarm
        is a lawful reason by itself (the policy decides); otherwise the operator opens it
        by hand, stating the reason."""
        self._show_on_map(alarm)
        cams = [self.world.cameras[c] for c in alarm.camera_ids if c in self.world.cameras]
        self.desk.show_task(f"alarm {alarm.id}", self.tr("Cameras of the alarm “%1”")
                            .replace("%1", alarm_title(alarm)), cams, via=f"alarm {alarm.id}",
                            alarm=alarm)

    def _add_previous_wall_action(self) -> None:
        """One key back to the wall an alarm or the map replaced (Wall menu, any focus)."""
        self.previous_wall_action = QAction(self)
        self.previous_wall_action.setShortcut(QKeySequence(PREVIOUS_WALL_KEY))
        self.previous_wall_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.previous_wall_action.triggered.connect(
            lambda: self.active_desk().restore_previous())
        self.addAction(self.previous_wall_action)
        self.wall_menu.addSeparator()
        self.wall_menu.addAction(self.previous_wall_action)

    def _bodycam_refused(self, text: str) -> None:
        """Said where the operator looks, and kept in a box until read."""
        self.statusBar().showMessage(text, 15_000)
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Body camera not opened"), text,
                          QMessageBox.StandardButton.Ok, self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    # -- state ----------------------------------------------------------------------------
    def show_restored(self) -> None:
        """Show the window where it was (or on the whole screen), and take the keyboard: in
        a kiosk session without a window manager (or under Xvfb) no window is active by
        itself, and every window shortcut (F2, Ctrl+4...) is lost until a click. The alarm
        table has the focus (before, the first tile had it: Enter maximised a picture)."""
        self._place_and_show()
        self.raise_()
        self.activateWindow()
        # keyboard-first: the queue's letters (A, S, C, N, Enter) work from the first second
        self.alarms.queue.view.setFocus(Qt.FocusReason.OtherFocusReason)

    def _place_and_show(self) -> None:
        s = settings()
        if s.value("wall2/open", False) in (True, "true"):
            self.wall_menu.second_action.setChecked(True)  # opens it where it was
        state = s.value("window/state")
        if restore_placement(self, s, "window", before_show=lambda: isinstance(
                state, QByteArray) and self.restoreState(state)):
            return
        # First start: the whole screen (without a window manager, as under Xvfb,
        # showMaximized alone does nothing), the map a third of the width.
        screen = self.screen().availableGeometry()
        self.setGeometry(screen)
        self.resizeDocks([self.map_dock, self.camera_dock],
                         [int(screen.width() * 0.34), int(screen.width() * 0.15)],
                         Qt.Orientation.Horizontal)
        self.resizeDocks([self.alarm_dock], [int(screen.height() * 0.34)],
                         Qt.Orientation.Vertical)
        self.showMaximized()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.quit_guard.on_close(event):
            return  # the operator keeps working
        s = settings()
        save_placement(self, s, "window")
        s.setValue("window/state", self.saveState())
        s.setValue("wall2/open", self.second is not None)
        if self.second is not None:
            self.second.save_placement(s)
            self.second.close()
        self.desk.save()
        s.sync()
        super().closeEvent(event)

    def shutdown(self) -> None:
        """Stop players before the runtime goes (the demo's camera server goes with it)."""
        if self.inactivity is not None:
            self.inactivity.stop()
        self.replay.forget()
        for desk in (self.desk, self.second_desk):
            if desk is not None:
                desk.tools.shutdown()
        self.wall.shutdown()
        if self.second is not None:
            self.second.wall.shutdown()
