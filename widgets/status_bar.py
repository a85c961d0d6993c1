"""The status bar: one chip per adapter (state and detail in its tooltip) and counters
an operator glances at: officers on duty, cameras online (out of those whose state is
known, the unknown ones counted apart), open alarms.

The counters follow the bridge at most 4 times a second and a label is set only when its
text changes: in an alarm storm a new text at every 50 ms tick re-laid out the whole window
20 times a second."""

from __future__ import annotations

import html

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

from app.core.access import User
from app.core.events import AdapterStatus
from app.core.model import Alarm, OfficerStatus
from app.ui.access_log_words import role_label
from app.ui.bridge import HubBridge
from app.ui.labels import adapter_state_label, colon

REFRESH_MS = 250
STATE_COLOURS = {"running": "#43a047", "starting": "#fdd835", "retrying": "#fb8c00",
                 "failed": "#e53935", "refused": "#e53935", "stopped": "#757575",
                 "disabled": "#757575"}


class ConsoleStatusBar(QStatusBar):
    def __init__(self, bridge: HubBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._world = bridge.world
        self._chips: dict[str, QLabel] = {}
        self._states: dict[str, AdapterStatus] = {}
        self._open: set[str] = set()
        self._who = QLabel(self)  # who is signed in; the demo's user marked as such
        self._who.setObjectName("signed-in")
        self._user: User | None = None
        self.addPermanentWidget(self._who)
        self._counts = QLabel(self)
        self.addPermanentWidget(self._counts)
        self._later = QTimer(self)
        self._later.setObjectName("status-bar-refresh")
        self._later.setSingleShot(True)
        self._later.setInterval(REFRESH_MS)
        self._later.timeout.connect(self._refresh)
        bridge.adapters_changed.connect(self._on_adapters)
        bridge.alarms_changed.connect(self._on_alarms)
        bridge.officers_changed.connect(lambda _o: self._soon())
        bridge.cameras_changed.connect(lambda _c: self._soon())
        self._refresh()

    def set_user(self, user: User | None) -> None:
        """Who acts at this console, always in sight (shared workstations: shifts)."""
        self._user = user
        self._show_user()

    def _show_user(self) -> None:
        u = self._user
        if u is None:
            self._who.setText(self.tr("Nobody signed in"))
            self._who.setStyleSheet("")
            return
        if u.source == "demo":  # the packaged demo signs in by itself: say it is one
            self._who.setText(self.tr("DEMO · {0}").format(u.name))
            self._who.setStyleSheet("QLabel { background: #fdd835; color: #212121;"
                                    " padding: 0 6px; border-radius: 3px; font-weight: bold; }")
            self._who.setToolTip(self.tr("The demonstration town: signed in without a "
                                         "password. A real site asks who signs in."))
            return
        self._who.setText(self.tr("{0} · {1}").format(u.name, role_label(u.role.value)))
        self._who.setStyleSheet("")
        self._who.setToolTip(self.tr("Signed in as {0} ({1})").format(u.login, u.name))

    def _soon(self) -> None:
        if not self._later.isActive():
            self._later.start()

    def _on_adapters(self, statuses: list[AdapterStatus]) -> None:
        for s in statuses:
            self._states[s.adapter] = s
            self._show_adapter(s)

    def _show_adapter(self, s: AdapterStatus) -> None:
        chip = self._chips.get(s.adapter)
        if chip is None:
            chip = QLabel(self)
            chip.setTextFormat(Qt.TextFormat.RichText)
            self._chips[s.adapter] = chip
            self.addWidget(chip)
        colour = STATE_COLOURS.get(s.state, "#9e9e9e")
        said = colon(s.adapter, adapter_state_label(s.state))  # French: "demo : en marche"
        text = f"<span style='color:{colour}'>●</span> {html.escape(said)}"
        if chip.text() != text:  # counters arrive every few seconds: no relayout for them
            chip.setText(text)
        chip.setToolTip(s.detail or adapter_state_label(s.state))

    def _on_alarms(self, alarms: list[Alarm]) -> None:
        for a in alarms:
            (self._open.add if a.is_open else self._open.discard)(a.id)
        self._soon()

    def _refresh(self) -> None:
        w = self._world
        on_duty = sum(o.status is not OfficerStatus.OFF_DUTY for o in w.officers.values())
        # online out of the cameras whose state is known; the unknown ones said apart
        online, offline, unknown = w.camera_health.counts(w.cameras)
        cameras = self.tr("Cameras online: {0}/{1}").format(online, online + offline)
        if unknown:
            cameras += self.tr(", {0} unknown").format(unknown)
        text = self.tr("Officers: {0}   {1}   Open alarms: {2}").format(
            on_duty, cameras, len(self._open))
        if self._counts.text() != text:
            self._counts.setText(text)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._refresh()
            self._show_user()
            for status in self._states.values():
                self._show_adapter(status)
        super().changeEvent(event)
