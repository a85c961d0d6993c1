"""The alarm desk: the queue and the selected alarm's detail side by side, with sound.

The main window only does::

    self.alarms = AlarmDock(site, runtime, bridge, self)
    self.alarms.alarm_selected.connect(...)      # Alarm: centre the map
    self.alarms.alarm_opened.connect(...)        # Alarm: lay its cameras on the wall
    map_view.alarm_clicked.connect(self.alarms.select_alarm)   # str id
    menu_bar.addMenu(self.alarms.menu)
    self.alarms.place_sound_chip(self.statusBar())  # says when alarms are silent

`AlarmDesk(model, actions, site, world, bridge)` builds the same from parts (e.g. a replay
window: its own model fed from the journal, `actions=None`, `sound=False`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QMenu,
    QSplitter,
    QStatusBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.core.model import Alarm
from app.core.site import Site
from app.ui.alarm_actions import AlarmActions
from app.ui.alarm_model import AlarmTableModel
from app.ui.bridge import HubBridge
from app.ui.labels import key_name
from app.ui.world import World
from widgets.alarms.alerting import AlarmAlerter
from widgets.alarms.detail import AlarmDetailPanel
from widgets.alarms.queue import AlarmQueueWidget

if TYPE_CHECKING:
    from app.ui.services import ConsoleRuntime

__all__ = ["AlarmAlerter", "AlarmDesk", "AlarmDetailPanel", "AlarmDock", "AlarmQueueWidget"]


class AlarmDesk(QWidget):
    """Queue + detail + sound from parts you own. `actions=None`: read-only (replay)."""

    alarm_selected = Signal(object)  # Alarm
    alarm_opened = Signal(object)  # Alarm
    alarm_picked = Signal(object)  # Alarm chosen by the operator (see AlarmQueueWidget)

    def __init__(self, model: AlarmTableModel, actions: AlarmActions | None,
                 site: Site | None, world: World, bridge: HubBridge | None = None,
                 parent: QWidget | None = None, *, sound: bool = True) -> None:
        super().__init__(parent)
        self.setObjectName("alarm-desk")
        self.model = model
        self.commands = actions
        self.queue = AlarmQueueWidget(model, actions, world, self)
        if actions is None:
            self.queue.stale_after_s = None  # a replay: positions are as old as its clock
        elif site is not None:
            self.queue.stale_after_s = site.map.stale_after_s
        self.detail = AlarmDetailPanel(model, actions, site, world, self)
        self.detail.set_actions(self.queue.command_actions())
        self.queue.set_command_buttons_visible(False)  # the detail shows them
        self.queue.alarm_selected.connect(self.detail.show_alarm)
        self.queue.selection_cleared.connect(lambda: self.detail.show_alarm(None))
        self.queue.alarm_selected.connect(self.alarm_selected)
        self.queue.alarm_opened.connect(self.alarm_opened)
        self.queue.alarm_picked.connect(self.alarm_picked)

        self.alerter: AlarmAlerter | None = None
        self.mute_button: QToolButton | None = None
        # "alarms are silent here", for the status bar: a muted console says so on its
        # button, a console that cannot sound must say so where the operator looks
        self.sound_chip = QLabel(self)
        self.sound_chip.setObjectName("alarm-sound-chip")
        self.sound_chip.setStyleSheet("QLabel { background: #b71c1c; color: white;"
                                      " font-weight: bold; padding: 0 6px; }")
        self.sound_chip.hide()
        self.mute_action = QAction(self)
        self.mute_action.setCheckable(True)
        self.mute_action.setShortcut(QKeySequence("Ctrl+M"))
        # the window's key: an operator silences the room from wherever the focus is
        self.mute_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.mute_action.toggled.connect(lambda _on: self.retranslate())
        self.addAction(self.mute_action)
        if sound:
            self.alerter = AlarmAlerter(model, window=self, parent=self)
            self.mute_action.toggled.connect(self.alerter.set_muted)
            self.mute_button = self.queue.add_tool(self.mute_action)
            self.mute_button.setObjectName("alarm-mute")
            self.alerter.audio_changed.connect(lambda _why: self.retranslate())
        if bridge is not None:
            if self.alerter is not None:
                bridge.alarms_raised.connect(self.alerter.on_raised)
            bridge.positions_changed.connect(self.detail.schedule_nearby)
            bridge.officers_changed.connect(self.detail.schedule_nearby)

        self.menu = QMenu(self)
        for act in self.queue.command_actions():
            self.menu.addAction(act)
        self.menu.addSeparator()
        self.menu.addAction(self.queue.act_find)
        if sound:
            self.menu.addAction(self.mute_action)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.queue)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.splitter)
        self.retranslate()

    def select_alarm(self, alarm_id: str) -> None:
        """Show an alarm (e.g. clicked on the map), even one the queue's filters hide."""
        if not self.queue.select_alarm(alarm_id):
            alarm = self.model.alarm(alarm_id)
            if alarm is not None:  # shown, not acted on: the queue's actions are elsewhere
                self.detail.show_alarm(alarm, actionable=False)
                self.alarm_selected.emit(alarm)

    def set_blocked(self, reason: str) -> None:
        """No command can be sent now, for `reason` (plain words); "" when they can again:
        the queue's and the detail's buttons are greyed and say why."""
        self.queue.set_blocked(reason)
        self.detail.set_blocked(reason)

    def place_sound_chip(self, status_bar: QStatusBar) -> None:
        status_bar.addPermanentWidget(self.sound_chip)
        self.retranslate()

    def current_alarm(self) -> Alarm | None:
        return self.queue.current_alarm()

    def retranslate(self) -> None:
        # explicit context: AlarmDock subclasses this, and self.tr() would use its name
        # (written out literally so that lupdate finds the strings)
        self.menu.setTitle(QCoreApplication.translate("AlarmDesk", "&Alarms"))
        self.mute_action.setText(QCoreApplication.translate("AlarmDesk", "Mute alarm sounds"))
        silent = self.alerter.silent_reason if self.alerter is not None else ""
        if self.mute_action.isChecked():
            text = QCoreApplication.translate("AlarmDesk", "Sound off ({0})")
        elif silent:
            text = QCoreApplication.translate("AlarmDesk", "No audio ({0})")
        else:
            text = QCoreApplication.translate("AlarmDesk", "Sound on ({0})")
        self.mute_action.setIconText(text.format(key_name(self.mute_action.shortcut())))
        self.mute_action.setToolTip(silent or self.mute_action.text())
        self.sound_chip.setText(
            QCoreApplication.translate("AlarmDesk", "Alarms silent on this workstation"))
        self.sound_chip.setToolTip(silent)
        # only once placed in a status bar: a child of the desk would cover its filters
        self.sound_chip.setVisible(bool(silent) and self.sound_chip.parent() is not self)
        if self.mute_button is not None:
            loud = self.mute_action.isChecked() or bool(silent)  # red: no tone will be heard
            self.mute_button.setStyleSheet(
                "QToolButton { background: #b71c1c; color: white; font-weight: bold; }"
                if loud else "")

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


class AlarmDock(AlarmDesk):
    """The live desk of the main window, built from the runtime and the bridge."""

    def __init__(self, site: Site, runtime: ConsoleRuntime, bridge: HubBridge,
                 parent: QWidget | None = None, *, operator: str | None = None) -> None:
        model = AlarmTableModel(site, bridge.world)
        actions = AlarmActions(runtime.submit, operator, seen=model.alarm)
        super().__init__(model, actions, site, bridge.world, bridge, parent)
        model.setParent(self)
        actions.setParent(self)
        model.attach(bridge)
