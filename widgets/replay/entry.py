"""Where a shift chief starts a replay: Console > Replay… (the saved incidents, or a new one)
and "Replay this alarm…" in an alarm's menu. Offered only to a person whose role may replay
(the runtime refuses the others anyway), checked each time a menu opens (shifts change
hands on the same console).

The steps, each one able to stop everything: the incident (made, edited or reopened), the
motive (CSI R241-14: no motive, no video), the consultation logged, the past read, then
the replay window. While the log and the journal are asked, the status bar says so; a
refusal is said in a message, and nothing is shown.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QMessageBox, QStatusBar, QWidget

from app.core.access import Permission
from app.core.incident import Incident
from app.core.model import Alarm, utc_now
from app.core.site import Site
from app.ui.futures import hand_over
from app.ui.labels import alarm_title
from app.ui.replay_session import ReplaySession, can_replay
from app.ui.replay_video import draft_from_alarm
from app.ui.visibility import Visibility
from app.ui.world import World
from widgets.keyboard import give_back_keys
from widgets.replay.export_dialog import ExportDialog, open_export
from widgets.replay.incident_dialog import ask_incident
from widgets.replay.incident_list import Choice, IncidentList
from widgets.replay.motive_dialog import ask_motive
from widgets.replay.window import ReplayWindow

log = logging.getLogger(__name__)

NEW_INCIDENT_SPAN = timedelta(minutes=15)  # a new incident by hand: the last quarter hour


class ReplayEntry(QObject):
    _saved = Signal(object, object, object)  # Incident, its id, exception
    _looked_up = Signal(object, object, object)  # Alarm, ReplayHistory before it, exception

    def __init__(self, site: Site, runtime: Any, world: World,
                 visibility: Visibility | None, menu: QMenu, before: QAction,
                 cache_dir: Path, status: QStatusBar, parent: QWidget) -> None:
        super().__init__(parent)
        self.site = site
        self.runtime = runtime
        self.world = world
        self.visibility = visibility
        self.cache_dir = cache_dir
        self._status = status
        self._parent = parent
        self.windows: list[ReplayWindow] = []
        self.sessions: list[ReplaySession] = []
        self.export_dialog: ExportDialog | None = None  # the last one opened, for tests
        self.action = QAction(parent)
        self.action.setObjectName("replay")
        self.action.setShortcut(QKeySequence("Ctrl+R"))
        self.action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.action.triggered.connect(self.open)
        parent.addAction(self.action)
        menu.insertAction(before, self.action)
        self.alarm_action = QAction(parent)
        self.alarm_action.setObjectName("replay-alarm")
        menu.aboutToShow.connect(self.sync)
        self._saved.connect(self._on_saved)
        self._looked_up.connect(self._on_looked_up)
        self.sync()
        self.retranslate()

    # -- who may ------------------------------------------------------------------------------
    def may_replay(self) -> bool:
        session = getattr(self.runtime, "session", None)
        return (can_replay(self.runtime) and session is not None
                and session.user.may(Permission.REPLAY))

    def sync(self) -> None:
        shown = self.may_replay()
        self.action.setVisible(shown)
        self.alarm_action.setVisible(shown)
        if not shown:
            self.forget()

    def retranslate(self) -> None:
        self.action.setText(self.tr("&Replay…"))
        self.alarm_action.setText(self.tr("Replay this alarm…"))
        for w in self.windows:
            w.retranslate()

    def forget(self) -> None:
        """Close every replay: the session locked, or another person signed in."""
        for w in list(self.windows):
            w.close()

    # -- the steps ----------------------------------------------------------------------------
    def open(self) -> None:
        if not self.may_replay():
            return
        dialog = IncidentList(self.runtime, self.site.site.operator_timezone,
                              self._parent)
        try:
            accepted = dialog.exec() == IncidentList.DialogCode.Accepted
            choice, chosen = dialog.choice, dialog.chosen
        finally:
            dialog.deleteLater()
            give_back_keys(self._parent)
        if not accepted:
            return
        if choice is Choice.OPEN and chosen is not None:
            self.replay(chosen)
        elif choice is Choice.EXPORT and chosen is not None:
            self.export(chosen)
        elif choice is Choice.NEW:
            now = utc_now()
            self.edit(Incident("", now - NEW_INCIDENT_SPAN, now,
                               tuple(c for c in self.world.cameras)[:4]))

    def replay_alarm(self, alarm: Alarm | None) -> None:
        """An incident drafted from `alarm` (its span, its cameras, the officers near it),
        for the chief to check and save."""
        if alarm is None or not self.may_replay():
            return
        self._status.showMessage(self.tr("Looking up who was near the alarm…"))
        raised = alarm.raised_at
        try:
            future = self.runtime.replay_history(raised - timedelta(minutes=15), raised)
        except Exception as exc:
            self._on_looked_up(alarm, None, exc)
            return
        hand_over(future, self._looked_up, alarm)

    def _on_looked_up(self, alarm: Alarm, history: Any, exc: BaseException | None) -> None:
        """The draft is made here, on the GUI thread: it reads the window's world."""
        self._status.clearMessage()
        if exc is not None or history is None:
            self._refused(str(exc))
            return
        self.edit(draft_from_alarm(
            alarm, self.world.cameras, self.world.officers, history.fixes_at(alarm.raised_at),
            utc_now(), title=alarm_title(alarm)))  # the language shown (the journal: English)

    def edit(self, incident: Incident) -> None:
        cameras = [(c.id, c.name) for c in self.world.cameras.values()]
        officers = [(o.id, o.callsign) for o in self.world.officers.values()]
        edited = ask_incident(incident, cameras, officers, self._parent)
        if edited is None:
            return
        hand_over(self.runtime.save_incident(edited), self._saved, edited)

    def _on_saved(self, incident: Incident, incident_id: int | None,
                  exc: BaseException | None) -> None:
        if exc is not None or incident_id is None:
            self._refused(str(exc))
            return
        self.replay(replace(incident, id=incident_id))

    def replay(self, incident: Incident) -> None:
        motive = ask_motive([self._name(c) for c in incident.cameras], incident.start,
                            incident.end, self._parent)
        if motive is None:
            return  # no motive, no video (CSI R241-14)
        session = ReplaySession(self.runtime, incident, motive.purpose.value,
                                motive.reference, parent=self, words=motive.text)
        self.sessions.append(session)
        session.ready.connect(lambda: self._show(session))
        session.refused.connect(lambda why: self._gone_wrong(session, why))
        self._status.showMessage(self.tr("Logging the consultation, then reading the "
                                         "recordings…"))
        session.start()

    def _show(self, session: ReplaySession) -> None:
        self._status.clearMessage()
        self.sessions.remove(session)
        window = ReplayWindow(self.site, self.runtime, session, self.world,
                              self.visibility, self.cache_dir)
        window.closed.connect(lambda: self._closed(window))
        self.windows.append(window)
        screen = self._parent.screen().availableGeometry()
        window.resize(min(1600, screen.width() * 9 // 10), min(1000, screen.height() * 9 // 10))
        window.show()

    def _closed(self, window: ReplayWindow) -> None:
        if window in self.windows:
            self.windows.remove(window)

    def _gone_wrong(self, session: ReplaySession, why: str) -> None:
        self._status.clearMessage()
        if session in self.sessions:
            self.sessions.remove(session)
        session.close()
        self._refused(why)

    def export(self, incident: Incident) -> ExportDialog:
        """Export an incident as evidence straight from the list (the export is logged on
        its own: no replay, no consultation needed to hand it over)."""
        self.export_dialog = open_export(self.runtime, incident, self.world,
                                         incident.officers, self._parent)
        return self.export_dialog

    def _refused(self, why: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Replay"),
                          self.tr("The replay was not opened: %1").replace("%1", why),
                          QMessageBox.StandardButton.Ok, self._parent)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def _name(self, camera: str) -> str:
        cam = self.world.cameras.get(camera)
        return cam.name if cam is not None else camera

