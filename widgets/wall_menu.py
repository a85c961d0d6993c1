"""The "Wall" menu: layouts, named layouts, tours, tile tools, the second wall — each with
a keyboard shortcut, since an operator does these all shift long.

It acts on the wall the operator is on (`console.active_desk()`): the second wall when its
window is active, else the main one.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QEvent
from PySide6.QtGui import QAction, QActionGroup, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QInputDialog, QMenu, QWidget

from app.core.layouts import KINDS, Layout
from app.core.site import Site
from app.ui.settings import settings
from widgets.keyboard import give_back_keys
from widgets.video.layouts import delete_layout, save_layout, saved_layouts, site_layouts
from widgets.video.tours import DEFAULT_DWELL_S, MIN_DWELL_S
from widgets.wall_desk import WallDesk

KIND_KEYS = {"1": "Ctrl+1", "2x2": "Ctrl+2", "3x3": "Ctrl+3", "4x4": "Ctrl+4", "5x5": "Ctrl+5",
             "1+5": "Ctrl+6", "1+7": "Ctrl+7", "1+12": "Ctrl+8"}


class Console(Protocol):
    site: Site

    def active_desk(self) -> WallDesk: ...
    def tour_cameras(self) -> list[str]: ...
    def toggle_second_wall(self, on: bool) -> None: ...
    def show_camera_on_map(self, camera_id: str) -> None: ...


def tour_dwell_s() -> int:
    value = settings().value("wall/tour_dwell_s", DEFAULT_DWELL_S)
    try:
        return max(MIN_DWELL_S, int(value))  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return DEFAULT_DWELL_S


class WallMenu(QMenu):
    def __init__(self, console: Console, parent: QWidget) -> None:
        super().__init__(parent)
        self.console = console
        self._parent = parent
        self.kind_group = QActionGroup(self)
        self.kind_actions: dict[str, QAction] = {}
        for kind in KINDS:
            act = self._act(KIND_KEYS[kind], lambda k=kind: console.active_desk().set_kind(k))
            act.setCheckable(True)
            self.kind_group.addAction(act)
            self.kind_actions[kind] = act
        self.addSeparator()
        self.layouts_menu = self.addMenu("")
        self.layouts_menu.aboutToShow.connect(self._fill_layouts)
        self.save_action = self._act("Ctrl+S", self._save_as)
        self.delete_menu = self.addMenu("")
        self.delete_menu.aboutToShow.connect(self._fill_delete)
        self.copy_action = self._act("", self._copy_for_site)
        self.addSeparator()
        self.maximise_action = self._act("Ctrl+Return", self._toggle_maximise)
        self.tour_action = self._act("Ctrl+T", self._start_tour)
        self.pause_action = self._act("Ctrl+Space", lambda: console.active_desk().toggle_tour())
        self.stop_tour_action = self._act("Ctrl+Shift+T",
                                          lambda: console.active_desk().stop_tour())
        self.dwell_action = self._act("", self._ask_dwell)
        self.addSeparator()
        self.snapshot_action = self._act("Ctrl+Shift+S", lambda: self._tool("snapshot"))
        self.map_action = self._act("Ctrl+Shift+M", lambda: self._tool("map"))
        self.ptz_action = self._act("Ctrl+Shift+P", lambda: self._tool("ptz"))
        self.addSeparator()
        self.second_action = self._act("Ctrl+Shift+W", lambda: None)
        self.second_action.setCheckable(True)
        self.second_action.toggled.connect(console.toggle_second_wall)
        self.aboutToShow.connect(self._sync)
        self.retranslate()

    def _act(self, key: str, slot: object) -> QAction:
        act = QAction(self)
        if key:
            act.setShortcut(QKeySequence(key))
        act.triggered.connect(lambda _c=False: slot())  # type: ignore[operator]
        self.addAction(act)
        self._parent.addAction(act)  # shortcuts work with the menu closed
        return act

    def retranslate(self) -> None:
        self.setTitle(self.tr("&Wall"))
        names = {"1": self.tr("Single camera"), "1+5": self.tr("1 large + 5"),
                 "1+7": self.tr("1 large + 7"), "1+12": self.tr("1 large + 12")}
        for kind, act in self.kind_actions.items():
            act.setText(names.get(kind) or self.tr("Grid %1").replace("%1", kind.replace(
                "x", "×")))
        self.layouts_menu.setTitle(self.tr("Saved layouts"))
        self.save_action.setText(self.tr("Save layout as…"))
        self.delete_menu.setTitle(self.tr("Delete a saved layout"))
        self.copy_action.setText(self.tr("Copy layout for the site file"))
        self.maximise_action.setText(self.tr("Maximise / restore tile"))
        self.tour_action.setText(self.tr("Start a tour on this tile (selected cameras)"))
        self.pause_action.setText(self.tr("Pause / resume the tour"))
        self.stop_tour_action.setText(self.tr("Stop the tour"))
        self.dwell_action.setText(self.tr("Tour dwell time…"))
        self.snapshot_action.setText(self.tr("Snapshot of the tile"))
        self.map_action.setText(self.tr("Show the tile's camera on the map"))
        self.ptz_action.setText(self.tr("PTZ controls…"))
        self.second_action.setText(self.tr("Second wall (other monitor)"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def sync_kind(self) -> None:
        kind = self.console.active_desk().wall.kind
        self.kind_actions[kind].setChecked(True)

    def _sync(self) -> None:
        self.sync_kind()

    # --- layouts --------------------------------------------------------------------------

    def _fill_layouts(self) -> None:
        self.layouts_menu.clear()
        mine, shared = saved_layouts(), site_layouts(self.console.site)
        for lay in mine:
            self.layouts_menu.addAction(lay.name).triggered.connect(
                lambda _c=False, lay=lay: self.console.active_desk().apply_layout(lay))
        if shared:
            self.layouts_menu.addSection(self.tr("Site layouts"))
        for lay in shared:
            self.layouts_menu.addAction(lay.name).triggered.connect(
                lambda _c=False, lay=lay: self.console.active_desk().apply_layout(lay))
        if not mine and not shared:
            self.layouts_menu.addAction(self.tr("(none yet: Ctrl+S saves this wall)")) \
                .setEnabled(False)

    def _fill_delete(self) -> None:
        self.delete_menu.clear()
        for lay in saved_layouts():
            self.delete_menu.addAction(lay.name).triggered.connect(
                lambda _c=False, name=lay.name: delete_layout(name))

    def _save_as(self) -> None:
        name, ok = QInputDialog.getText(self._parent, self.tr("Save layout"),
                                        self.tr("Name of this layout:"))
        give_back_keys(self._parent)
        if ok and name.strip():
            save_layout(self.console.active_desk().layout(name.strip()))

    def _copy_for_site(self) -> None:
        desk = self.console.active_desk()
        lay: Layout = desk.layout(self.tr("Shared layout"))
        QGuiApplication.clipboard().setText(lay.to_toml())
        desk.message.emit(self.tr("Layout copied: paste it into the site file to share it"))

    # --- tiles and tours ------------------------------------------------------------------

    def _toggle_maximise(self) -> None:
        wall = self.console.active_desk().wall
        if wall.maximised is not None:
            wall.restore()
        else:
            wall.maximise(wall.current_index())

    def _start_tour(self) -> None:
        self.console.active_desk().start_tour(self.console.tour_cameras(), tour_dwell_s())

    def _ask_dwell(self) -> None:
        value, ok = QInputDialog.getInt(self._parent, self.tr("Tour dwell time"),
                                        self.tr("Seconds on each camera:"), tour_dwell_s(),
                                        MIN_DWELL_S, 3600)
        give_back_keys(self._parent)
        if ok:
            settings().setValue("wall/tour_dwell_s", value)

    def _tool(self, which: str) -> None:
        desk = self.console.active_desk()
        index = desk.wall.current_index()
        cam = desk.wall.tile(index).camera
        if cam is None:
            desk.message.emit(self.tr("This tile shows no camera"))
        elif which == "snapshot":
            desk.tools.snapshot(index)
        elif which == "ptz":
            desk.tools.open_ptz_pad(index)
        else:
            self.console.show_camera_on_map(cam.id)
