"""The journal's state where the operator cannot miss it.

A red band across the top of the window while the journal cannot store what happens (a
full disk, a file another program holds): what is wrong, since when, and what waits (alarm
reports, operator actions and escalations are kept and stored as soon as it writes again;
sources are not acknowledged meanwhile, so they send again). An amber band when the journal
was found damaged at start and replaced, with what was saved, until the operator says they
have seen it. A chip in the status bar says the same in two words.
"""

from __future__ import annotations

import html
from dataclasses import replace

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from app.core.events import JournalStatus
from app.ui.labels import journal_problem_label, local_time

FAILING_STYLE = "background:#b71c1c; color:white; font-weight:bold;"
NOTICE_STYLE = "background:#ff8f00; color:black;"


class JournalBanner(QWidget):
    seen = Signal()  # the operator dismissed the notice

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("journal-banner")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.text = QLabel(self)
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.dismiss = QPushButton(self)
        self.dismiss.clicked.connect(self._dismissed)
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 6, 10, 6)
        row.addWidget(self.text, 1)
        row.addWidget(self.dismiss)
        self.chip = QLabel()
        self.chip.setObjectName("journal-chip")
        self.chip.setTextFormat(Qt.TextFormat.RichText)
        self._status = JournalStatus(ok=True)
        self.hide()
        self._show()

    def update_status(self, status: JournalStatus) -> None:
        self._status = status
        self._show()

    def _dismissed(self) -> None:
        self.seen.emit()
        self._status = replace(self._status, recovered_from="", recovery_problem="")
        self._show()

    def _show(self) -> None:
        s = self._status
        if not s.ok:
            self.setStyleSheet(FAILING_STYLE)
            self.text.setText(html.escape(self.tr(
                "The journal cannot store what happens: {0} (since {1}). Alarms are still "
                "shown; {2} alarm report(s) and {3} operator action(s) or escalation(s) "
                "wait and will be stored as soon as it writes again. Alarm sources are not "
                "acknowledged meanwhile and will send again.").format(
                    journal_problem_label(s.problem), local_time(s.since), s.waiting_reports,
                    s.waiting_actions)))
            self.dismiss.hide()
            label = self.tr("Journal: cannot write")
            self.chip.setText(f"<span style='color:#e53935'>●</span> {html.escape(label)}")
            self.chip.setToolTip(journal_problem_label(s.problem))
            self.show()
            return
        label = self.tr("Journal: OK")
        self.chip.setText(f"<span style='color:#43a047'>●</span> {html.escape(label)}")
        self.chip.setToolTip(self.tr("Every alarm and action is stored"))
        if s.recovered_from:
            self.setStyleSheet(NOTICE_STYLE)
            self.text.setText(html.escape(self.tr(
                "At start the journal could not be used ({0}). It was kept aside, untouched, "
                "as {1}, and a new journal was opened: {2} alarm(s), {3} logged action(s) "
                "and {4} event(s) were recovered from the old one. Tell the installer.")
                .format(journal_problem_label(s.recovery_problem), s.recovered_from,
                        s.saved_alarms, s.saved_actions, s.saved_events)))
            self.dismiss.setText(self.tr("Seen"))
            self.dismiss.show()
            self.show()
            return
        self.hide()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._show()
        super().changeEvent(event)
